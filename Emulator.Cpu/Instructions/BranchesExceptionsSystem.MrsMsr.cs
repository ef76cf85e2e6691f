using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// MRS, MSR (register) and SYS over the system-register table. Decode resolves the encoding to a table
/// entry (inst.Imm = its index); an unknown encoding, an MRS of a write-only or an MSR of a read-only
/// entry stays UNDEFINED. Execution applies the per-EL rules and traps, then reads or writes.
/// </summary>
internal static unsafe partial class BranchesExceptionsSystem
{
    internal static bool PrepareMrs(uint raw, ref DecodedInst i) => Resolve(raw, ref i, read: true);

    internal static bool PrepareMsr(uint raw, ref DecodedInst i) => Resolve(raw, ref i, read: false);

    private static bool Resolve(uint raw, ref DecodedInst i, bool read)
    {
        if (!SystemRegisterTable.TryFind(SystemRegister.KeyOf(raw), out int index)) return false;
        var r = SystemRegisterTable.All[index];
        if (read ? r.Read is null : r.Write is null) return false;
        i.Imm = (ulong)index;
        return true;
    }

    internal static void Mrs(Cpu cpu, ref DecodedInst i)
    {
        var r = SystemRegisterTable.All[i.Imm];
        if (!cpu.CheckSystemAccess(r, read: true, i.Raw)) return;
        cpu.SetX(i.Rt, r.Read!(cpu));
    }

    /// <summary>MSR (register) and SYS: the entry's write receives X[t] (XZR for Rt = 31).</summary>
    internal static void Msr(Cpu cpu, ref DecodedInst i)
    {
        var r = SystemRegisterTable.All[i.Imm];
        if (!cpu.CheckSystemAccess(r, read: false, i.Raw)) return;
        ulong value = cpu.Xr(i.Rt);
        ulong taken = cpu.ExceptionsTaken;
        r.Write!(cpu, value);
        // Hooks see what took effect: not a maintenance operation that took a data abort instead.
        if (cpu.HasHooks && cpu.ExceptionsTaken == taken) cpu.HookSystemWrite(r, value);
    }
}
