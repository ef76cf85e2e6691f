using System.Reflection;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Translation.Inline;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>What an inline form may do, and so what the translator wraps around it.</summary>
internal enum InlineKind
{
    /// <summary>Registers and flags only: cannot take an exception, reach memory or read the clock.</summary>
    Register,
    /// <summary>A load or store by the RAM fast path (or a plain system-register move); goes to
    /// <see cref="BlockEmitter.Bail"/>, having changed nothing, where the fast path does not apply (the access is not
    /// allowed), and the translator then runs the instruction's handler.</summary>
    Memory,
    /// <summary>A direct branch, the block's last instruction: leaves the next PC on the stack.</summary>
    Branch,
}

/// <summary>Emits one instruction's semantics inline, its operands (<paramref name="i"/>) and address known.</summary>
internal delegate void InlineEmit(BlockEmitter e, in DecodedInst i, ulong pc);

/// <summary>Whether a form applies to this instruction of its handler's (null: to all).</summary>
internal delegate bool InlineApplies(in DecodedInst i);

internal readonly record struct InlineForm(InlineKind Kind, InlineEmit Emit, InlineApplies? Applies = null);

/// <summary>
/// The instructions the translator generates inline instead of calling their handler: the common integer, load/store
/// and branch forms (a block's cost is then the host code of the instruction itself). Each form is registered under
/// its handler's name and does exactly what that handler does for the same <see cref="DecodedInst"/>; everything else
/// calls the handler. Tests/Engines compare both on random code.
/// </summary>
internal static unsafe class InlineForms
{
    private static readonly Dictionary<MethodInfo, InlineForm> ByHandler = Build();

    public static InlineForm? Find(in DecodedInst inst) =>
        HandlerMethods.Find(inst.Execute) is { } m && ByHandler.TryGetValue(m, out var form) && (form.Applies is null || form.Applies(in inst))
            ? form : null;

    /// <summary>How many handlers have an inline form (for the tests).</summary>
    public static int Count => ByHandler.Count;

    private static Dictionary<MethodInfo, InlineForm> Build()
    {
        var map = new Dictionary<MethodInfo, InlineForm>();
        foreach (var (type, handler, form) in IntegerForms.All.Concat(LoadStoreForms.All).Concat(BranchForms.All).Concat(HintForms.All)
            .Concat(SystemRegisterForms.All))
        {
            var m = Type.GetType($"Aegis.Emulator.Cpu.Instructions.{type}")?.GetMethod(handler, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                ?? throw new MissingMethodException(type, handler); // a renamed handler must rename its form
            map.Add(m, form);
        }
        return map;
    }
}
