using System.Collections.Concurrent;

namespace Aegis.Tests.Support;

/// <summary>Assembles A64 source with llvm-mc-14 (the encoding reference) into instruction words.</summary>
public static class Llvm
{
    private static readonly ConcurrentDictionary<string, uint[]> Cache = new();

    /// <summary>Assembles lines of A64 assembly (one instruction per line, labels allowed) into words.</summary>
    public static uint[] Assemble(string source) => Cache.GetOrAdd(source, AssembleUncached);

    public static uint[] Assemble(params string[] lines) => Assemble(string.Join("\n", lines));

    private static uint[] AssembleUncached(string source)
    {
        string dir = Directory.CreateTempSubdirectory("aegis-asm").FullName;
        try
        {
            string src = Path.Combine(dir, "a.s"), obj = Path.Combine(dir, "a.o"), bin = Path.Combine(dir, "a.bin");
            File.WriteAllText(src, ".text\n" + source + "\n");
            ReferenceTools.Run(ReferenceTools.LlvmMc, $"-triple=aarch64 -mattr=+crc,+v8a,+neon,+aes,+sha2 -filetype=obj -o {obj} {src}");
            ReferenceTools.Run(ReferenceTools.LlvmObjcopy, $"-O binary --only-section=.text {obj} {bin}");
            var bytes = File.ReadAllBytes(bin);
            var words = new uint[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, words, 0, words.Length * 4);
            return words;
        }
        finally { Directory.Delete(dir, true); }
    }
}
