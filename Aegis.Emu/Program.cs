using Aegis.Emu;

return Cli.Run(args, Console.OpenStandardOutput(), Console.Error);
