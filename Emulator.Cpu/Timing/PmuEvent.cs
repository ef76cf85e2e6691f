namespace Aegis.Emulator.Cpu;

/// <summary>
/// The Armv8 common architectural and microarchitectural PMU event numbers that the Cortex-A53 implements
/// (A53 TRM DDI0500 §12.9 "Events"; Arm ARM D7.11). The A53's IMPLEMENTATION DEFINED events (0x60 and up)
/// are not listed: <see cref="PerformanceEvents"/> keeps totals for event numbers below 64 only.
/// Which of them are actually counted, and by whom, is in docs/PMU.md and <see cref="PerformanceEvents.Implemented"/>.
/// </summary>
public enum PmuEvent : ushort
{
    SW_INCR = 0x00,
    L1I_CACHE_REFILL = 0x01,
    L1I_TLB_REFILL = 0x02,
    L1D_CACHE_REFILL = 0x03,
    L1D_CACHE = 0x04,
    L1D_TLB_REFILL = 0x05,
    LD_RETIRED = 0x06,
    ST_RETIRED = 0x07,
    INST_RETIRED = 0x08,
    EXC_TAKEN = 0x09,
    EXC_RETURN = 0x0A,
    CID_WRITE_RETIRED = 0x0B,
    PC_WRITE_RETIRED = 0x0C,
    BR_IMMED_RETIRED = 0x0D,
    BR_RETURN_RETIRED = 0x0E,
    UNALIGNED_LDST_RETIRED = 0x0F,
    BR_MIS_PRED = 0x10,
    CPU_CYCLES = 0x11,
    BR_PRED = 0x12,
    MEM_ACCESS = 0x13,
    L1I_CACHE = 0x14,
    L1D_CACHE_WB = 0x15,
    L2D_CACHE = 0x16,
    L2D_CACHE_REFILL = 0x17,
    L2D_CACHE_WB = 0x18,
    BUS_ACCESS = 0x19,
    MEMORY_ERROR = 0x1A,
    BUS_CYCLES = 0x1D,
    CHAIN = 0x1E,
}
