using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Simd;

/// <summary>
/// The crypto extension: every AES/SHA row against QEMU 7.2 on random registers, and the published test vectors run as
/// guest code: FIPS-197 Appendix C.1 (AES-128 encryption and decryption with AESE/AESMC and AESD/AESIMC) and the
/// FIPS 180-2 "abc" examples of SHA-1 and SHA-256 (one block each, message schedule by SHA1SU0/SU1, SHA256SU0/SU1).
/// </summary>
public class CryptoTests
{
    [Test]
    public void RandomCryptoMatchesQemu()
    {
        var rows = A64Table.Rows.Where(r => r.Name.StartsWith("AES", StringComparison.Ordinal) || r.Name.StartsWith("SHA1", StringComparison.Ordinal) || r.Name.StartsWith("SHA256", StringComparison.Ordinal)).ToArray();
        Assert.That(rows.Length, Is.EqualTo(14));
        var seen = SimdDifferential.Run(rows, 1400, 0xC4F70, (row, w, rng) => SimdDifferential.Registers(w, rm: (row.Mask & (1u << 16)) == 0));
        Assert.That(seen.Count, Is.EqualTo(14));
    }

    private static CpuHarness Guest(IEnumerable<string> asm)
    {
        var h = new CpuHarness(Llvm.Assemble(string.Join("\n", asm)));
        h.Cpu.Sys.CPACR_EL1 = 3UL << 20;
        return h;
    }

    private static void SetBytes(Cpu cpu, int v, byte[] b)
    {
        cpu.Vreg[2 * v] = BitConverter.ToUInt64(b, 0);
        cpu.Vreg[2 * v + 1] = BitConverter.ToUInt64(b, 8);
    }

    private static byte[] GetBytes(Cpu cpu, int v) => [.. BitConverter.GetBytes(cpu.Vreg[2 * v]), .. BitConverter.GetBytes(cpu.Vreg[2 * v + 1])];

    /// <summary>FIPS-197 key expansion for AES-128 (5.2), in the test so that the guest code only runs the rounds.</summary>
    private static byte[][] ExpandKey(byte[] key)
    {
        byte[] sbox = new byte[256];
        // S-box from FIPS-197 Figure 7, through the affine map of the inverse (as the standard defines it).
        for (int x = 0; x < 256; x++)
        {
            int inv = 0;
            for (int y = 1; y < 256 && x != 0; y++) if (Mul((byte)x, (byte)y) == 1) { inv = y; break; }
            int s = inv;
            for (int k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >> (8 - k))) & 0xFF;
            sbox[x] = (byte)(s ^ 0x63);
        }
        var w = new byte[176];
        key.CopyTo(w, 0);
        byte rcon = 1;
        for (int i = 16; i < 176; i += 4)
        {
            byte[] t = [w[i - 4], w[i - 3], w[i - 2], w[i - 1]];
            if (i % 16 == 0)
            {
                t = [(byte)(sbox[t[1]] ^ rcon), sbox[t[2]], sbox[t[3]], sbox[t[0]]];
                rcon = Mul(rcon, 2);
            }
            for (int k = 0; k < 4; k++) w[i + k] = (byte)(w[i - 16 + k] ^ t[k]);
        }
        return Enumerable.Range(0, 11).Select(r => w[(16 * r)..(16 * r + 16)]).ToArray();
    }

    private static byte Mul(byte a, byte b)
    {
        int r = 0, x = a;
        for (int k = 0; k < 8; k++) { if (((b >> k) & 1) != 0) r ^= x; x <<= 1; if ((x & 0x100) != 0) x ^= 0x11B; }
        return (byte)r;
    }

    [Test]
    public void Aes128Fips197AppendixC1()
    {
        byte[] plain = Convert.FromHexString("00112233445566778899aabbccddeeff");
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        byte[] cipher = Convert.FromHexString("69c4e0d86a7b0430d8cdb78070b4c55a");
        var rk = ExpandKey(key);
        // Encryption: v0 = state, v1-v11 = round keys 0-10.
        var enc = new List<string>();
        for (int r = 0; r < 9; r++) { enc.Add($"aese v0.16b, v{r + 1}.16b"); enc.Add("aesmc v0.16b, v0.16b"); }
        enc.Add("aese v0.16b, v10.16b");
        enc.Add("eor v0.16b, v0.16b, v11.16b");
        var h = Guest(enc);
        SetBytes(h.Cpu, 0, plain);
        for (int r = 0; r < 11; r++) SetBytes(h.Cpu, r + 1, rk[r]);
        h.Run();
        Assert.That(Convert.ToHexString(GetBytes(h.Cpu, 0)), Is.EqualTo(Convert.ToHexString(cipher)), "AESE/AESMC");

        // Decryption (equivalent inverse cipher): round keys 9..1 through AESIMC, then AESD/AESIMC rounds.
        var dec = new List<string>();
        for (int r = 2; r <= 10; r++) dec.Add($"aesimc v{r}.16b, v{r}.16b");
        dec.Add("aesd v0.16b, v11.16b");
        dec.Add("aesimc v0.16b, v0.16b");
        for (int r = 10; r >= 3; r--) { dec.Add($"aesd v0.16b, v{r}.16b"); dec.Add("aesimc v0.16b, v0.16b"); }
        dec.Add("aesd v0.16b, v2.16b");
        dec.Add("eor v0.16b, v0.16b, v1.16b");
        var d = Guest(dec);
        SetBytes(d.Cpu, 0, cipher);
        for (int r = 0; r < 11; r++) SetBytes(d.Cpu, r + 1, rk[r]);
        d.Run();
        Assert.That(Convert.ToHexString(GetBytes(d.Cpu, 0)), Is.EqualTo(Convert.ToHexString(plain)), "AESD/AESIMC");
    }

    /// <summary>The padded one-block message "abc" as sixteen big-endian words (FIPS 180-2 5.1.1).</summary>
    private static uint[] AbcBlock()
    {
        var w = new uint[16];
        w[0] = 0x61626380;
        w[15] = 24;
        return w;
    }

    private static void SetWords(Cpu cpu, int v, uint a, uint b, uint c, uint d)
    {
        cpu.Vreg[2 * v] = a | (ulong)b << 32;
        cpu.Vreg[2 * v + 1] = c | (ulong)d << 32;
    }

    private static uint Word(Cpu cpu, int v, int e) => (uint)(cpu.Vreg[2 * v + e / 2] >> (32 * (e % 2)));

    [Test]
    public void Sha256AbcFips180()
    {
        uint[] k =
        [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
            0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
            0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
            0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        ];
        // v0 = ABCD, v1 = EFGH, v6/v7 their initial values, v16-v19 the message, K from memory at x1.
        var asm = new List<string> { "mov v6.16b, v0.16b", "mov v7.16b, v1.16b" };
        for (int q = 0; q < 16; q++)
        {
            int w = 16 + q % 4;
            asm.Add("ld1 {v5.4s}, [x1], #16");
            asm.Add($"add v4.4s, v{w}.4s, v5.4s");
            asm.Add("mov v2.16b, v0.16b");
            asm.Add("sha256h q0, q1, v4.4s");
            asm.Add("sha256h2 q1, q2, v4.4s");
            if (q < 12)
            {
                asm.Add($"sha256su0 v{w}.4s, v{16 + (q + 1) % 4}.4s");
                asm.Add($"sha256su1 v{w}.4s, v{16 + (q + 2) % 4}.4s, v{16 + (q + 3) % 4}.4s");
            }
        }
        asm.Add("add v0.4s, v0.4s, v6.4s");
        asm.Add("add v1.4s, v1.4s, v7.4s");
        var h = Guest(asm);
        for (int i = 0; i < 64; i++) h.Write(CpuHarness.DataBase + (ulong)i * 4, 4, k[i]);
        h.SetX(1, CpuHarness.DataBase);
        SetWords(h.Cpu, 0, 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a);
        SetWords(h.Cpu, 1, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);
        var m = AbcBlock();
        for (int b = 0; b < 4; b++) SetWords(h.Cpu, 16 + b, m[4 * b], m[4 * b + 1], m[4 * b + 2], m[4 * b + 3]);
        h.Run();
        string digest = string.Concat(Enumerable.Range(0, 8).Select(e => Word(h.Cpu, e / 4, e % 4).ToString("x8")));
        Assert.That(digest, Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    [Test]
    public void Sha1AbcFips180()
    {
        // v0 = abcd, s1 = e (alternating with s3 as SHA1H computes the next e), v16-v19 the message, v20-v23 K.
        var asm = new List<string> { "mov v6.16b, v0.16b", "mov v7.16b, v1.16b" };
        for (int q = 0; q < 20; q++)
        {
            int w = 16 + q % 4, e = q % 2 == 0 ? 1 : 3, next = q % 2 == 0 ? 3 : 1;
            string op = q < 5 ? "sha1c" : q < 10 ? "sha1p" : q < 15 ? "sha1m" : "sha1p";
            asm.Add($"add v4.4s, v{w}.4s, v{20 + q / 5}.4s");
            asm.Add($"sha1h s{next}, s0");
            asm.Add($"{op} q0, s{e}, v4.4s");
            if (q < 16)
            {
                asm.Add($"sha1su0 v{w}.4s, v{16 + (q + 1) % 4}.4s, v{16 + (q + 2) % 4}.4s");
                asm.Add($"sha1su1 v{w}.4s, v{16 + (q + 3) % 4}.4s");
            }
        }
        asm.Add("add v0.4s, v0.4s, v6.4s");
        asm.Add("add v1.2s, v1.2s, v7.2s");
        var h = Guest(asm);
        SetWords(h.Cpu, 0, 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476);
        SetWords(h.Cpu, 1, 0xC3D2E1F0, 0, 0, 0);
        uint[] k = [0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6];
        for (int i = 0; i < 4; i++) SetWords(h.Cpu, 20 + i, k[i], k[i], k[i], k[i]);
        var m = AbcBlock();
        for (int b = 0; b < 4; b++) SetWords(h.Cpu, 16 + b, m[4 * b], m[4 * b + 1], m[4 * b + 2], m[4 * b + 3]);
        h.Run();
        string digest = string.Concat(Enumerable.Range(0, 4).Select(e => Word(h.Cpu, 0, e).ToString("x8"))) + Word(h.Cpu, 1, 0).ToString("x8");
        Assert.That(digest, Is.EqualTo("a9993e364706816aba3e25717850c26c9cd0d89d"));
    }
}
