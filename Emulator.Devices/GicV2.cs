using System.Numerics;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Devices;

/// <summary>
/// Arm Generic Interrupt Controller v2 (Arm IHI 0048B) as QEMU 7.2's arm_gic on `-M virt`:
/// one CPU interface, 288 interrupts (ITLinesNumber 8), no Security Extensions (QEMU virt without EL3),
/// so every access is treated as Secure and both groups are visible.
/// <para>
/// Distributor (base 0x0800_0000, 4 KiB; byte, halfword and word access):
///   0x000 GICD_CTLR (EnableGrp0, EnableGrp1)   0x004 GICD_TYPER (RO 0x8)   0x008 GICD_IIDR (RO 0x43B)
///   0x080 GICD_IGROUPRn    0x100 GICD_ISENABLERn   0x180 GICD_ICENABLERn  (SGIs are always enabled)
///   0x200 GICD_ISPENDRn    0x280 GICD_ICPENDRn     0x300 GICD_ISACTIVERn  0x380 GICD_ICACTIVERn
///   0x400 GICD_IPRIORITYRn (8 priority bits)       0x800 GICD_ITARGETSRn (RAZ/WI: uniprocessor)
///   0xC00 GICD_ICFGRn (SGIs fixed edge)            0xF00 GICD_SGIR (WO, word writes only)
///   0xF10 GICD_CPENDSGIRn  0xF20 GICD_SPENDSGIRn   0xFD0-0xFFC peripheral and component ID
/// CPU interface (base 0x0801_0000, 8 KiB; word access):
///   0x00 GICC_CTLR (EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImodeS = mask 0x21F)   0x04 GICC_PMR
///   0x08 GICC_BPR   0x0C GICC_IAR   0x10 GICC_EOIR   0x14 GICC_RPR   0x18 GICC_HPPIR   0x1C GICC_ABPR
///   0x20-0x28 GICC_AIAR/AEOIR/AHPPIR (RAZ/WI and bad offsets, as QEMU)   0xD0 GICC_APRn   0xE0 GICC_NSAPRn
///   0xFC GICC_IIDR (0x0002043B)   0x1000 GICC_DIR
/// </para>
/// Every value above was read back from qemu-system-aarch64 7.2 (see Tests/Devices/GicV2Tests.cs).
/// Other offsets inside the regions read as zero and ignore writes, as QEMU does; the accesses QEMU logs as "Bad offset"
/// (gic_dist_readb/writeb, gic_cpu_read/write) are <see cref="MmioStatus.Unimplemented"/>, reported by the bus.
/// </summary>
public sealed partial class GicV2
{
    public const int NumIrq = 288;           // QEMU virt: NUM_IRQS (256) + GIC_INTERNAL (32)
    public const int SpuriousId = 1023;
    public const int GroupOneSpuriousId = 1022;
    public const uint TyperValue = (NumIrq / 32) - 1;   // ITLinesNumber 8, CPUNumber 0, SecurityExtn 0
    public const uint DistributorIidr = 0x0000_043B;    // JEP106 Arm, revision/product 0 (QEMU)
    public const uint CpuInterfaceIidr = 0x0002_043B;   // architecture version 2, Arm
    public const ulong DistributorSize = 0x1000;
    public const ulong CpuInterfaceSize = 0x2000;

    // GICD_PIDR4..7, PIDR0..3, CIDR0..3 at 0xFD0..0xFFC (QEMU gic_id_gicv2).
    private static readonly byte[] IdRegisters = [0x04, 0x00, 0x00, 0x00, 0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1];

    private const uint CtlrEnableGrp0 = 1, CtlrEnableGrp1 = 2;
    private const uint CcAckCtl = 1 << 2, CcFiqEn = 1 << 3, CcCbpr = 1 << 4, CcEoiModeS = 1 << 9;
    private const uint CpuCtlrWritable = 0x21F;
    private const int Words = NumIrq / 32;
    private const int NumAprs = 4;            // 128 preemption levels (QEMU GIC_MIN_BPR 0)

    // Per-interrupt state as bitmaps, one bit per INTID.
    private readonly uint[] _enabled = new uint[Words];
    private readonly uint[] _pendingLatch = new uint[Words];
    private readonly uint[] _active = new uint[Words];
    private readonly uint[] _level = new uint[Words];
    private readonly uint[] _edge = new uint[Words];
    private readonly uint[] _group = new uint[Words];
    private readonly byte[] _priority = new byte[NumIrq];
    /// <summary>Per SGI, the set of CPUs that sent it (GICD_SPENDSGIR).</summary>
    private readonly byte[] _sgiSources = new byte[16];

    private uint _ctlr;
    private uint _cpuCtlr;
    private uint _pmr;
    private uint _bpr;
    private uint _abpr;
    private readonly uint[] _apr = new uint[NumAprs];
    private readonly uint[] _nsapr = new uint[NumAprs];
    private int _currentPending = SpuriousId;

    public IMmioDevice Distributor { get; }
    public IMmioDevice CpuInterface { get; }

    /// <summary>The IRQ and FIQ outputs to the CPU.</summary>
    public bool IrqOut { get; private set; }
    public bool FiqOut { get; private set; }

    /// <summary>Called with (irq, fiq) whenever an output changes; the board drives cpu.IrqLine/FiqLine from it.</summary>
    public Action<bool, bool>? OutputsChanged { get; set; }

    public GicV2()
    {
        Distributor = new DistributorRegion(this);
        CpuInterface = new CpuInterfaceRegion(this);
        Reset();
    }

    /// <summary>QEMU's arm_gic_common_reset: everything zero except the SGIs, which are enabled and edge-triggered.</summary>
    public void Reset()
    {
        Array.Clear(_enabled); Array.Clear(_pendingLatch); Array.Clear(_active); Array.Clear(_level);
        Array.Clear(_edge); Array.Clear(_group); Array.Clear(_priority); Array.Clear(_sgiSources);
        Array.Clear(_apr); Array.Clear(_nsapr);
        _enabled[0] = 0xFFFF;
        _edge[0] = 0xFFFF;
        _ctlr = 0; _cpuCtlr = 0; _pmr = 0; _bpr = 0; _abpr = 1;
        Update();
    }

    // ---- interrupt inputs ---------------------------------------------------------------------

    /// <summary>Drives a private peripheral interrupt (INTID 16-31), e.g. a generic timer output.</summary>
    public void SetPpi(int intid, bool level)
    {
        if (intid is < 16 or > 31) throw new ArgumentOutOfRangeException(nameof(intid), intid, "a PPI is INTID 16-31");
        SetLine(intid, level);
    }

    /// <summary>Drives a shared peripheral interrupt (INTID 32-287).</summary>
    public void SetSpi(int intid, bool level)
    {
        if (intid is < 32 or >= NumIrq) throw new ArgumentOutOfRangeException(nameof(intid), intid, "an SPI is INTID 32-287");
        SetLine(intid, level);
    }

    /// <summary>QEMU gic_set_irq (generic, non-11MPCore): an edge-triggered interrupt latches pending on a rising edge.</summary>
    private void SetLine(int irq, bool level)
    {
        if (Test(_level, irq) == level) return;
        if (level)
        {
            Set(_level, irq);
            if (Test(_edge, irq)) Set(_pendingLatch, irq);
        }
        else Clear(_level, irq);
        Update();
    }

    // ---- state queries (tests, debugger) ---------------------------------------------------------

    public bool IsPending(int irq) => IsPendingInternal(irq);
    public bool IsActive(int irq) => Test(_active, irq);
    public bool IsEnabled(int irq) => Test(_enabled, irq);
    public byte Priority(int irq) => _priority[irq];

    /// <summary>GICC_RPR's internal value: the group priority of the highest active preemption level, 0x100 when idle.</summary>
    public int RunningPriority
    {
        get
        {
            for (int i = 0; i < NumAprs; i++)
            {
                uint apr = _apr[i] | _nsapr[i];
                if (apr != 0) return (i * 32 + BitOperations.TrailingZeroCount(apr)) << 1;
            }
            return 0x100;
        }
    }

    // ---- the pending/priority logic (QEMU gic_update_internal) --------------------------------

    /// <summary>Level-sensitive interrupts are pending while their line is high, or when latched by software.</summary>
    private bool IsPendingInternal(int irq) => Test(_pendingLatch, irq) || (!Test(_edge, irq) && Test(_level, irq));

    private void Update()
    {
        _currentPending = SpuriousId;
        bool irqOut = false, fiqOut = false;
        if ((_ctlr & (CtlrEnableGrp0 | CtlrEnableGrp1)) != 0 && (_cpuCtlr & (CtlrEnableGrp0 | CtlrEnableGrp1)) != 0)
        {
            int bestIrq = SpuriousId, bestPrio = 0x100;
            for (int w = 0; w < Words; w++)
            {
                uint candidates = (_pendingLatch[w] | (_level[w] & ~_edge[w])) & _enabled[w] & ~_active[w];
                while (candidates != 0)
                {
                    int irq = w * 32 + BitOperations.TrailingZeroCount(candidates);
                    candidates &= candidates - 1;
                    if (_priority[irq] < bestPrio) { bestPrio = _priority[irq]; bestIrq = irq; }
                }
            }
            if (bestPrio < _pmr)
            {
                _currentPending = bestIrq;
                if (bestPrio < RunningPriority)
                {
                    uint groupBit = Test(_group, bestIrq) ? CtlrEnableGrp1 : CtlrEnableGrp0;
                    if ((_ctlr & groupBit) != 0 && (_cpuCtlr & groupBit) != 0)
                    {
                        if (groupBit == CtlrEnableGrp0 && (_cpuCtlr & CcFiqEn) != 0) fiqOut = true;
                        else irqOut = true;
                    }
                }
            }
        }
        if (irqOut != IrqOut || fiqOut != FiqOut)
        {
            IrqOut = irqOut;
            FiqOut = fiqOut;
            OutputsChanged?.Invoke(irqOut, fiqOut);
        }
    }

    /// <summary>GICC_HPPIR: without Security Extensions a Group 1 interrupt is only visible with AckCtl (else 1022).</summary>
    private int CurrentPendingForRead()
    {
        int irq = _currentPending;
        if (irq < 1020 && Test(_group, irq) && (_cpuCtlr & CcAckCtl) == 0) return GroupOneSpuriousId;
        return irq;
    }

    /// <summary>GICC_IAR read: activates the highest-priority pending interrupt (QEMU gic_acknowledge_irq).</summary>
    private uint Acknowledge()
    {
        int irq = CurrentPendingForRead();
        if (irq >= 1020) return (uint)irq;
        if (_priority[irq] >= RunningPriority) return SpuriousId;

        // Activate: set the Active Priority bit of its preemption level and the active state.
        int prio = GroupPriority(irq);
        int level = prio >> 1;
        var aprs = Test(_group, irq) ? _nsapr : _apr;
        aprs[level / 32] |= 1u << (level % 32);
        Set(_active, irq);

        uint result;
        if (irq < 16)
        {
            // The lowest-numbered source CPU is reported; the SGI stays pending while other sources remain.
            int src = BitOperations.TrailingZeroCount((uint)_sgiSources[irq]);
            _sgiSources[irq] &= (byte)~(1 << src);
            if (_sgiSources[irq] == 0) Clear(_pendingLatch, irq);
            result = (uint)irq | ((uint)(src & 7) << 10);
        }
        else
        {
            Clear(_pendingLatch, irq); // a level-sensitive line that is still high keeps it pending
            result = (uint)irq;
        }
        Update();
        return result;
    }

    /// <summary>The priority bits that take part in preemption, per GICC_BPR (or GICC_ABPR for Group 1 without CBPR).</summary>
    private int GroupPriority(int irq)
    {
        int bpr = Test(_group, irq) && (_cpuCtlr & CcCbpr) == 0 ? (int)_abpr - 1 : (int)_bpr;
        return _priority[irq] & (int)(~0u << ((bpr & 7) + 1));
    }

    /// <summary>GICC_EOIR write (QEMU gic_complete_irq): drops the running priority, and deactivates unless EOImodeS.</summary>
    private void Complete(int irq)
    {
        if (irq >= NumIrq) return;                 // 1023 and nonexistent INTIDs are ignored
        if (RunningPriority == 0x100) return;      // nothing active at a preemption level
        // Priority drop clears the lowest set bit of the interrupt's group's Active Priority registers.
        var aprs = Test(_group, irq) ? _nsapr : _apr;
        for (int i = 0; i < NumAprs; i++)
        {
            if (aprs[i] == 0) continue;
            aprs[i] &= aprs[i] - 1;
            break;
        }
        if ((_cpuCtlr & CcEoiModeS) == 0) Clear(_active, irq);
        Update();
    }

    /// <summary>GICC_DIR write: deactivation, only meaningful with EOImodeS (otherwise ignored, as QEMU).</summary>
    private void Deactivate(int irq)
    {
        if (irq >= NumIrq) return;
        if ((_cpuCtlr & CcEoiModeS) == 0) return;
        Clear(_active, irq);
    }

    // ---- distributor registers, byte-wise as QEMU's gic_dist_readb/writeb ----------------------

    /// <summary>One byte of the distributor; <paramref name="bad"/> is set where QEMU's gic_dist_readb goes to bad_reg (the byte reads 0).</summary>
    private uint DistReadByte(uint offset, ref bool bad)
    {
        if (offset < 0x100)
        {
            switch (offset)
            {
                case 0x000: return _ctlr;
                case 0x004: return TyperValue & 0xFF;
                case 0x008: return DistributorIidr & 0xFF;
                case 0x009: return (DistributorIidr >> 8) & 0xFF;
            }
            if (offset >= 0x80) return Bad(ref bad, (int)(offset - 0x80) * 8) ? 0 : ByteOf(_group, (int)(offset - 0x80) * 8);
            bad |= offset >= 0x0C; // the rest of CTLR, TYPER and IIDR is RAZ
            return 0;
        }
        if (offset < 0x200) return Bad(ref bad, (int)(offset & 0x7F) * 8) ? 0 : ByteOf(_enabled, (int)(offset & 0x7F) * 8);
        if (offset < 0x300)
        {
            int irq = (int)(offset & 0x7F) * 8;
            if (Bad(ref bad, irq)) return 0;
            uint res = 0;
            for (int i = 0; i < 8; i++) if (IsPendingInternal(irq + i)) res |= 1u << i;
            return res;
        }
        if (offset < 0x400) return Bad(ref bad, (int)(offset & 0x7F) * 8) ? 0 : ByteOf(_active, (int)(offset & 0x7F) * 8);
        if (offset < 0x800) { int irq = (int)offset - 0x400; return Bad(ref bad, irq) ? 0u : _priority[irq]; }
        if (offset < 0xC00) return 0; // GICD_ITARGETSRn: RAZ/WI on a uniprocessor GIC (IHI 0048B 4.3.12)
        if (offset < 0xF00)
        {
            int irq = (int)(offset - 0xC00) * 4;
            if (Bad(ref bad, irq)) return 0;
            uint res = 0;
            for (int i = 0; i < 4; i++) if (Test(_edge, irq + i)) res |= 2u << (i * 2);
            return res;
        }
        if (offset < 0xF10) { bad = true; return 0; } // GICD_SGIR is write-only
        if (offset < 0xF30) return _sgiSources[(offset - 0xF10) & 0xF];
        if (offset < 0xFD0) { bad = true; return 0; }
        return (offset & 3) != 0 ? 0u : IdRegisters[(offset - 0xFD0) >> 2];
    }

    /// <summary>A register byte whose first INTID is past the last interrupt: no register there (QEMU's bad_reg).</summary>
    private static bool Bad(ref bool bad, int irq)
    {
        if (irq < NumIrq) return false;
        bad = true;
        return true;
    }

    /// <summary>One byte of the distributor; <paramref name="bad"/> is set where QEMU's gic_dist_writeb goes to bad_reg (ignored).</summary>
    private void DistWriteByte(uint offset, uint value, ref bool bad)
    {
        value &= 0xFF;
        if (offset < 0x100)
        {
            if (offset == 0) _ctlr = value & (CtlrEnableGrp0 | CtlrEnableGrp1);
            else if (offset >= 0x80) { if (!Bad(ref bad, (int)(offset - 0x80) * 8)) SetByte(_group, (int)(offset - 0x80) * 8, value); }
            else bad |= offset >= 4; // the rest of CTLR is ignored; TYPER and IIDR are read-only
            return;
        }
        if (offset < 0x180) // GICD_ISENABLERn
        {
            int irq = (int)(offset - 0x100) * 8;
            if (Bad(ref bad, irq)) return;
            if (irq < 16) value = 0xFF;
            for (int i = 0; i < 8; i++)
            {
                if ((value & (1u << i)) == 0) continue;
                Set(_enabled, irq + i);
            }
            return;
        }
        if (offset < 0x200) // GICD_ICENABLERn (SGIs cannot be disabled)
        {
            int irq = (int)(offset - 0x180) * 8;
            if (Bad(ref bad, irq) || irq < 16) return;
            ClearByte(_enabled, irq, value);
            return;
        }
        if (offset < 0x280) // GICD_ISPENDRn (SGI bits are WI: use GICD_SPENDSGIRn)
        {
            int irq = (int)(offset - 0x200) * 8;
            if (Bad(ref bad, irq) || irq < 16) return;
            SetByteBits(_pendingLatch, irq, value);
            return;
        }
        if (offset < 0x300) // GICD_ICPENDRn
        {
            int irq = (int)(offset - 0x280) * 8;
            if (Bad(ref bad, irq) || irq < 16) return;
            ClearByte(_pendingLatch, irq, value);
            return;
        }
        if (offset < 0x380) { int irq = (int)(offset - 0x300) * 8; if (!Bad(ref bad, irq)) SetByteBits(_active, irq, value); return; }
        if (offset < 0x400) { int irq = (int)(offset - 0x380) * 8; if (!Bad(ref bad, irq)) ClearByte(_active, irq, value); return; }
        if (offset < 0x800) { int irq = (int)offset - 0x400; if (!Bad(ref bad, irq)) _priority[irq] = (byte)value; return; }
        if (offset < 0xC00) return; // GICD_ITARGETSRn: RAZ/WI
        if (offset < 0xF00) // GICD_ICFGRn: Int_config[1] of each field; SGIs stay edge-triggered
        {
            int irq = (int)(offset - 0xC00) * 4;
            if (Bad(ref bad, irq)) return;
            if (irq < 16) value |= 0xAA;
            for (int i = 0; i < 4; i++)
                if ((value & (2u << (i * 2))) != 0) Set(_edge, irq + i); else Clear(_edge, irq + i);
            return;
        }
        if (offset < 0xF10) { bad = true; return; } // GICD_SGIR takes word writes only
        if (offset < 0xF20) // GICD_CPENDSGIRn
        {
            int irq = (int)(offset - 0xF10);
            _sgiSources[irq] &= (byte)~value;
            if (_sgiSources[irq] == 0) Clear(_pendingLatch, irq);
            return;
        }
        if (offset < 0xF30) // GICD_SPENDSGIRn
        {
            int irq = (int)(offset - 0xF20);
            // QEMU also marks the SGI pending for a zero write and then asserts on acknowledge; we ignore it.
            if (value == 0) return;
            _sgiSources[irq] |= (byte)value;
            Set(_pendingLatch, irq);
            return;
        }
        bad = true; // reserved, and the read-only identification registers
    }

    /// <summary>GICD_SGIR: SGIINTID [3:0], CPUTargetList [23:16], TargetListFilter [25:24]. We are CPU 0.</summary>
    private void WriteSgir(uint value)
    {
        int irq = (int)(value & 0xF);
        uint mask = ((value >> 24) & 3) switch
        {
            0 => (value >> 16) & 0xFF,
            1 => 0xFEu,          // every CPU but the requester
            2 => 0x01u,          // the requester only
            _ => 0xFFu,          // reserved: QEMU sends to all
        };
        if ((mask & 1) == 0) return; // no other CPU exists
        _sgiSources[irq] |= 1;
        Set(_pendingLatch, irq);
    }

    private MmioStatus DistRead(ulong offset, int size, out ulong value)
    {
        uint v = 0;
        bool bad = false;
        for (int i = 0; i < size; i++) v |= DistReadByte((uint)offset + (uint)i, ref bad) << (8 * i);
        value = v;
        return bad ? MmioStatus.Unimplemented : MmioStatus.Ok;
    }

    private MmioStatus DistWrite(ulong offset, int size, ulong value)
    {
        bool bad = false;
        if (size == 4 && offset == 0xF00) WriteSgir((uint)value);
        else
            for (int i = 0; i < size; i++) DistWriteByte((uint)offset + (uint)i, (uint)(value >> (8 * i)), ref bad);
        Update();
        return bad ? MmioStatus.Unimplemented : MmioStatus.Ok;
    }

    // ---- CPU interface registers (QEMU gic_cpu_read/gic_cpu_write, Secure view) ----------------

    /// <summary>A word register by its offset (a multiple of 4); null where QEMU's gic_cpu_read logs a bad offset (reads 0).</summary>
    private uint? CpuRead(uint offset)
    {
        switch (offset)
        {
            case 0x00: return _cpuCtlr;
            case 0x04: return _pmr;
            case 0x08: return _bpr;
            case 0x0C: return Acknowledge();
            case 0x14: return (uint)Math.Min(RunningPriority, 0xFF);
            case 0x18: return (uint)CurrentPendingForRead();
            case 0x1C: return _abpr;
            case 0xFC: return CpuInterfaceIidr;
        }
        if (offset is >= 0xD0 and <= 0xDC) return _apr[(offset - 0xD0) / 4];
        if (offset is >= 0xE0 and <= 0xEC) return _nsapr[(offset - 0xE0) / 4];
        return null;
    }

    /// <summary>A word register by its offset (a multiple of 4); false where QEMU's gic_cpu_write logs a bad offset (ignored).</summary>
    private bool CpuWrite(uint offset, uint value)
    {
        bool known = true;
        switch (offset)
        {
            case 0x00: _cpuCtlr = value & CpuCtlrWritable; break;
            case 0x04: _pmr = value & 0xFF; break;
            case 0x08: _bpr = value & 7; break;
            case 0x10: Complete((int)(value & 0x3FF)); break;
            case 0x1C: _abpr = Math.Max(value & 7, 1); break;
            case 0x1000: Deactivate((int)(value & 0x3FF)); break;
            default:
                if (offset is >= 0xD0 and <= 0xDC) _apr[(offset - 0xD0) / 4] = value;
                else if (offset is >= 0xE0 and <= 0xEC) _nsapr[(offset - 0xE0) / 4] = value;
                else known = false;
                break;
        }
        Update();
        return known;
    }

    // ---- bitmap helpers ---------------------------------------------------------------------------

    private static bool Test(uint[] map, int irq) => (map[irq >> 5] & (1u << (irq & 31))) != 0;
    private static void Set(uint[] map, int irq) => map[irq >> 5] |= 1u << (irq & 31);
    private static void Clear(uint[] map, int irq) => map[irq >> 5] &= ~(1u << (irq & 31));
    private static uint ByteOf(uint[] map, int irq) => irq >= NumIrq ? 0 : (map[irq >> 5] >> (irq & 31)) & 0xFF;
    private static void SetByte(uint[] map, int irq, uint value)
    {
        if (irq >= NumIrq) return;
        int shift = irq & 31;
        map[irq >> 5] = (map[irq >> 5] & ~(0xFFu << shift)) | (value << shift);
    }
    private static void SetByteBits(uint[] map, int irq, uint value) => map[irq >> 5] |= value << (irq & 31);
    private static void ClearByte(uint[] map, int irq, uint value) => map[irq >> 5] &= ~(value << (irq & 31));

    /// <summary>Byte-addressed registers: a halfword or word access is its bytes in turn (QEMU gic_dist_read/write), but GICD_SGIR.</summary>
    private sealed class DistributorRegion(GicV2 gic) : IMmioDevice
    {
        public MmioAccessSizes AccessSizes => MmioAccessSizes.UpToWord;
        public MmioStatus Read(ulong offset, int size, out ulong value) => gic.DistRead(offset, size, out value);
        public MmioStatus Write(ulong offset, int size, ulong value) => gic.DistWrite(offset, size, value);
    }

    /// <summary>Word registers, selected by the whole offset (a narrower read gets the register's low bytes from the
    /// bus, as QEMU); an offset that is not a multiple of 4 has none (QEMU's switch on the offset: RAZ/WI, a bad offset).</summary>
    private sealed class CpuInterfaceRegion(GicV2 gic) : IMmioDevice
    {
        public MmioAccessSizes AccessSizes => MmioAccessSizes.UpToWord;

        public MmioStatus Read(ulong offset, int size, out ulong value)
        {
            uint? r = (offset & 3) != 0 ? null : gic.CpuRead((uint)offset);
            value = r ?? 0;
            return r is null ? MmioStatus.Unimplemented : MmioStatus.Ok;
        }

        public MmioStatus Write(ulong offset, int size, ulong value) =>
            (offset & 3) == 0 && gic.CpuWrite((uint)offset, (uint)value) ? MmioStatus.Ok : MmioStatus.Unimplemented;
    }
}
