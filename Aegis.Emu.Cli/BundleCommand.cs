using System.CommandLine;
using Aegis.Kernel.Image;

namespace Aegis.Emu;

/// <summary>
/// `bundle -o OUT FILE.elf:SLOT [NAME=]...`: builds an AegisOS boot bundle (docs/BOOT-BUNDLE.md) from user ELF
/// files, each for an ELF slot 0-5 (task = slot + 2). The entry name is the file name without ".elf", or
/// FILE.elf:SLOT:NAME. Boot it with `boot --bundle OUT` or QEMU's
/// <c>-device loader,file=OUT,addr=0x42000000</c>.
/// </summary>
internal static class BundleCommand
{
    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var output = new Option<string>("--output", "-o") { Description = "the bundle file to write", Required = true };
        var inputs = new Argument<string[]>("images")
        {
            Description = "ELF files with their slot: FILE.elf:SLOT or FILE.elf:SLOT:NAME (slot 0-5, task = slot + 2)",
            Arity = ArgumentArity.OneOrMore,
        };
        var cmd = new Command("bundle", "build an AegisOS boot bundle of user ELF images") { output, inputs };
        cmd.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(inputs)!, stdout, stderr));
        return cmd;
    }

    public static int Run(string output, string[] inputs, Stream stdout, TextWriter stderr)
    {
        var entries = new List<BootBundleEntry>();
        foreach (string spec in inputs)
        {
            string[] parts = spec.Split(':');
            if (parts.Length is < 2 or > 3 || !int.TryParse(parts[1], out int slot) || slot < 0 || slot >= BootBundle.MaxEntries)
                return Cli.Fail(stderr, $"{spec}: expected FILE.elf:SLOT[:NAME] with SLOT 0-{BootBundle.MaxEntries - 1}");
            string file = parts[0];
            if (Cli.ReadFile(file, "an ELF file", out var image) is { } readError) return Cli.Fail(stderr, readError);
            string name = parts.Length == 3 ? parts[2] : Path.GetFileNameWithoutExtension(file);
            entries.Add(new BootBundleEntry((byte)slot, BootBundle.TaskForSlot(slot), name, image));
        }
        byte[] bundle;
        try { bundle = BootBundle.Build(entries); }
        catch (ArgumentException e) { return Cli.Fail(stderr, e.Message); }
        try { File.WriteAllBytes(output, bundle); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Cli.Fail(stderr, $"cannot write {output}: {e.Message}"); }
        stderr.WriteLine($"aegis-emu: wrote {output}: {entries.Count} images, {bundle.Length} bytes");
        return 0;
    }
}
