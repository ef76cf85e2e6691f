// Calls one function of a kernel ELF with chosen arguments, on the Cortex-A53 cycle model, and prints each result
// with the instructions and cycles the call took. Usage: dotnet run --project samples/embed -- KERNEL.elf FUNCTION ARG...
// e.g. AegisOS's capability table: ... -- Kernel.Image/bin/aegis.elf cap_for_syscall 1 0
using System.Globalization;
using Aegis.Emu;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: embed KERNEL.elf FUNCTION [ARG...]   (arguments: decimal or 0x-hex, at most 8)");
    return 2;
}
var machine = new Machine(new MachineOptions { Timing = "a53" });
machine.LoadElf(File.ReadAllBytes(args[0]));
// A stack at the top of RAM: the function may spill registers (the MMU is off, as at reset).
machine.WriteRegister("sp", 0x4000_0000 + machine.Options.RamSize);
ulong[] arguments = [.. args[2..].Select(Parse)];
var before = (machine.Instructions, machine.Cycles);
var result = machine.Call(machine.Symbol(args[1]), arguments, maxSteps: 1_000_000);
if (result.Stop != RunStop.Address)
{
    Console.Error.WriteLine($"{args[1]} did not return: {result.Stop} at pc 0x{result.Pc:x}");
    return 1;
}
Console.WriteLine($"{args[1]}({string.Join(", ", arguments.Select(a => $"0x{a:x}"))}) = 0x{machine.ReadRegister("x0"):x} " +
    $"in {result.Instructions - before.Instructions} instructions, {result.Cycles - before.Cycles} cycles");
return 0;

static ulong Parse(string s) => s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
    ? ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
    : ulong.Parse(s, CultureInfo.InvariantCulture);
