namespace Aegis.Kernel.Image.Abi;

/// <summary>Byte offsets in the 288-byte TrapFrame (REFERENCE §3.2). A lower-EL exception puts it at
/// __stack_end - 288 = 0x4011_CEE0.</summary>
public static class TrapFrameLayout
{
    public const int Size = 288;
    public const int SpEl0 = 248;
    public const int ElrEl1 = 256;
    public const int SpsrEl1 = 264;
    public const int Pad0 = 272;
    public const int Pad1 = 280;
    public static int X(int n) => n is >= 0 and <= 30 ? n * 8 : throw new ArgumentOutOfRangeException(nameof(n));
    public const ulong LowerElFrameAddress = MemoryMap.StackEnd - Size;
}
