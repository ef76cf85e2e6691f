namespace Aegis.Emulator.Cpu.SystemRegisters;

/// <summary>
/// The system-register table, keyed by (op0, op1, CRn, CRm, op2): every register that MRS/MSR reach and
/// every SYS operation (DC, IC, AT, TLBI). An encoding absent from the table is UNDEFINED, as are an
/// MRS of a write-only and an MSR of a read-only entry (both decided at decode time).
/// </summary>
public static partial class SystemRegisterTable
{
    public static readonly SystemRegister[] All = Build();
    private static readonly Dictionary<ushort, int> IndexByKey = BuildIndex();

    public static bool TryFind(ushort key, out int index) => IndexByKey.TryGetValue(key, out index);

    public static SystemRegister? Find(int op0, int op1, int crn, int crm, int op2) =>
        TryFind(SystemRegister.KeyOf(op0, op1, crn, crm, op2), out int i) ? All[i] : null;

    private static SystemRegister[] Build()
    {
        var list = new List<SystemRegister>();
        AddIdentification(list);
        AddSpecialPurpose(list);
        AddEl1Controls(list);
        AddEl2Controls(list);
        AddThreadAndContext(list);
        AddDebug(list);
        AddPmu(list);
        AddTimer(list);
        AddImplementationDefined(list);
        AddFloatingPoint(list);
        list.AddRange(Instructions.BranchesExceptionsSystem.SystemOperations());
        return list.ToArray();
    }

    private static Dictionary<ushort, int> BuildIndex()
    {
        var index = new Dictionary<ushort, int>();
        for (int i = 0; i < All.Length; i++)
            if (!index.TryAdd(All[i].Key, i))
                throw new InvalidOperationException($"system register table: {All[i]} duplicates {All[index[All[i].Key]]}");
        return index;
    }

    // ---- builders ------------------------------------------------------------------------------

    private static SystemRegister Rw(string name, int op0, int op1, int crn, int crm, int op2, int minEl,
        SysRegRead read, SysRegWrite write, SysRegCheck? check = null, ulong hcrRead = 0, ulong hcrWrite = 0, bool plain = false) =>
        new(name, op0, op1, crn, crm, op2)
        { MinEl = minEl, Read = read, Write = write, Check = check, HcrTrapRead = hcrRead, HcrTrapWrite = hcrWrite, Plain = plain };

    private static SystemRegister Ro(string name, int op0, int op1, int crn, int crm, int op2, int minEl,
        SysRegRead read, SysRegCheck? check = null, ulong hcrRead = 0) =>
        new(name, op0, op1, crn, crm, op2) { MinEl = minEl, Read = read, Check = check, HcrTrapRead = hcrRead };

    private static SystemRegister Wo(string name, int op0, int op1, int crn, int crm, int op2, int minEl,
        SysRegWrite write, SysRegCheck? check = null, ulong hcrWrite = 0) =>
        new(name, op0, op1, crn, crm, op2) { MinEl = minEl, Write = write, Check = check, HcrTrapWrite = hcrWrite };

    /// <summary>Reads as zero, ignores writes (IMPLEMENTATION DEFINED registers QEMU also treats as constant 0).</summary>
    private static SystemRegister RazWi(string name, int op0, int op1, int crn, int crm, int op2, int minEl, ulong hcr = 0) =>
        Rw(name, op0, op1, crn, crm, op2, minEl, static _ => 0, static (_, _) => { }, hcrRead: hcr, hcrWrite: hcr);
}
