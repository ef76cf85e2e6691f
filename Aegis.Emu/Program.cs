using System.CommandLine;
using Aegis.Emu;

var root = new RootCommand("Aegis.Emu: a Cortex-A53 QEMU-virt machine emulator");
root.Subcommands.Add(RunCommand.Create());
return root.Parse(args).Invoke();
