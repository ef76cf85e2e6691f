using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Timing.A53;
using Aegis.Emulator.Cpu.Translation.Inline;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// Translates a guest block (a superblock: it runs on past conditional branches not taken) into a .NET method (a
/// <see cref="DynamicMethod"/> that RyuJIT compiles). The block does per instruction exactly what the interpreter's
/// loop does (Cpu.Run.cs RunFast): NextPc, the handler, PC, Retired, the timing model's cycles; what it leaves out are
/// the loop's checks before each instruction, which hold for the whole block: see <see cref="EndsBlock"/> and
/// <see cref="TranslatedBlock"/> for when it stops early.
/// </summary>
internal static unsafe class BlockTranslator
{
    /// <summary>The longest block under `simple`; a page holds 1024 instructions, and a block never leaves its page.</summary>
    public const int MaxLength = 128;

    /// <summary>The longest block under the A53 model: a way out packs its counts a byte each (A53BlockTiming.Packed),
    /// and a block of 64 makes at most 128 data accesses. Longer ones would mostly be cut by <see cref="MaxIlBytes"/>.</summary>
    public const int MaxTimedLength = 64;

    /// <summary>The longest block for <paramref name="model"/>.</summary>
    public static int MaxLengthFor(ITimingModel model) => model is OneCyclePerInstruction ? MaxLength : MaxTimedLength;

    /// <summary>
    /// The most IL a block's method may have. RyuJIT compiles a method past about 20,000 IL instructions (or 2,000 basic
    /// blocks) without optimising it (MinOpts: no register allocation across statements, no inlining), which made a
    /// 64-instruction block under the A53 model slower than the interpreter.
    /// </summary>
    public const int MaxIlBytes = 24_000;

    private static readonly Type[] Parameters = [typeof(object), typeof(Cpu), typeof(DecodedInst[]), typeof(ulong), typeof(ulong)];
    private static readonly object Target = new(); // what the delegates are closed over (BlockEmitter.LoadCpu)
    private static readonly MethodInfo ExecuteFromBlock = typeof(Cpu).GetMethod(nameof(Cpu.ExecuteFromBlock), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly FieldInfo SlowAccesses = typeof(Cpu).GetField(nameof(Cpu.SlowAccesses), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly FieldInfo ExceptionsTaken = BlockEmitter.BackingField(nameof(Cpu.ExceptionsTaken));
    private static readonly FieldInfo Epoch = BlockEmitter.BackingField(nameof(Cpu.TranslationEpoch));

    /// <summary>Whether the block ends after this instruction: an unconditional branch, or anything that may change what
    /// the loop checks between instructions (system registers, exception levels, interrupt masks, translation, the clock's
    /// events), except a hint that executes as NOP and a move of a plain system register. A block runs on past a
    /// conditional direct branch (a superblock), which it leaves when the branch is taken: the branch changes nothing the
    /// loop checks, and its inline form (BranchForms) gives the block both next PCs.</summary>
    public static bool EndsBlock(in DecodedInst inst) =>
        !IsConditional(inst.Raw) && !HintForms.IsNop(inst.Raw) && !SystemRegisterForms.MovesPlain(in inst) &&
        ((inst.Flags & (InstFlags.Branch | InstFlags.Serialising)) != 0
         || inst.Timing is TimingClass.Exception or TimingClass.System or TimingClass.Barrier or TimingClass.CacheMaintenance
             or TimingClass.Hint or TimingClass.Branch or TimingClass.BranchIndirect
         || inst.Row == Decoder.UndefinedRow);

    /// <summary>B.cond, CBZ, CBNZ, TBZ, TBNZ (Arm ARM C4.1.65: conditional branch, compare and branch, test and branch).</summary>
    private static bool IsConditional(uint raw) => (raw & 0xFF00_0010) == 0x5400_0000 || (raw & 0x7C00_0000) == 0x3400_0000;

    /// <summary>Integer computation on registers only: it cannot take an exception, reach a device or write code, and
    /// reads neither the clock nor NextPc (ADR reads PC, which the block keeps right before every handler).</summary>
    private static bool IntegerOnly(in DecodedInst inst) =>
        (inst.Flags & (InstFlags.Load | InstFlags.Store | InstFlags.Branch | InstFlags.Serialising)) == 0
        && inst.Timing is TimingClass.Alu or TimingClass.AluShifted or TimingClass.Shift or TimingClass.Bitfield
            or TimingClass.Multiply or TimingClass.MultiplyAccumulate or TimingClass.MultiplyHigh or TimingClass.Divide
            or TimingClass.Crc;

    /// <summary>May reach memory (a device, a code page): FP/SIMD data processing may trap, but touches no memory.</summary>
    private static bool MayAccessMemory(in DecodedInst inst) =>
        !IntegerOnly(in inst) && !((inst.Flags & (InstFlags.Load | InstFlags.Store)) == 0 && inst.Timing == TimingClass.SimdFp);

    /// <summary>
    /// Translates the block of <paramref name="length"/> decoded instructions from <paramref name="first"/> of
    /// <paramref name="page"/>, the first at <paramref name="pc"/>.
    /// <para>Instructions with an inline form (<see cref="InlineForms"/>) become host code; the others call their
    /// handler. A load or store whose fast path does not apply leaves through a stub that runs its handler and returns.
    /// Under the `simple` model every instruction costs one cycle, so the run loop enters the block only when all of it
    /// fits before the next event and the step limit (<see cref="Fits"/>), and the block checks neither; it adds
    /// instructions and cycles in one sum before each handler that could observe them (one that may take an exception
    /// or reach a device) and on the way out. Otherwise the model is asked after each instruction, and the block stops
    /// once the clock reaches the event or the cycle limit; the run loop enters it only when it fits in the step limit. A
    /// conditional branch inside the block leaves it when taken. A branch taken back to the block's own start runs it
    /// again while it fits (`simple`) or another pass fits in the step budget and the clock allows (otherwise), without
    /// returning to the run loop.</para>
    /// </summary>
    public static TranslatedBlock Translate(DecodedInst[] page, int first, int length, ulong pc, ITimingModel model, FlatCosts? flat = null)
    {
        // A scan (never compiled) finds the registers the inline forms use, the block keeps them in locals. The scan
        // times nothing (one cycle per instruction): the inline forms use the same registers under every model, and the
        // pipeline's timing is most of the IL (translation's cost, which the run's thread pays). Should the block use a
        // register the scan did not see, it is made again with it (a written register must be written back). A block
        // whose IL passes MaxIlBytes is cut shorter (a block may end after any instruction).
        var scan = new BlockEmitter(NewMethod(pc).GetILGenerator(), ScanModel.GetType());
        Emit(scan, page, first, length, pc, ScanModel, null);
        var (read, written) = scan.Registers;
        while (true)
        {
            var method = NewMethod(pc);
            var e = new BlockEmitter(method.GetILGenerator(), model.GetType());
            e.CacheRegisters(read | written, written);
            int inlined = Emit(e, page, first, length, pc, model, flat);
            var (used, changed) = e.Registers;
            if ((used & ~(read | written)) != 0 || (changed & ~written) != 0) (read, written) = (read | used, written | changed);
            else if (e.Size > MaxIlBytes && length > 1) length = Math.Max(1, (int)((long)length * MaxIlBytes / e.Size));
            else return new TranslatedBlock((BlockCode)method.CreateDelegate(typeof(BlockCode), Target), pc, length, e.Size, inlined);
        }
    }

    /// <summary>The model the register scan is emitted for (<see cref="Translate"/>).</summary>
    private static readonly OneCyclePerInstruction ScanModel = new();

    private static DynamicMethod NewMethod(ulong pc) =>
        new($"block_{pc:X}", typeof(int), Parameters, typeof(Cpu).Module, skipVisibility: true);

    /// <summary>The block's IL; returns how many instructions were generated inline.</summary>
    private static int Emit(BlockEmitter e, DecodedInst[] page, int first, int length, ulong pc, ITimingModel model, FlatCosts? flat)
    {
        bool oneCycle = model is OneCyclePerInstruction;
        var taken = e.Snapshot(ExceptionsTaken);
        var slow = e.Snapshot(SlowAccesses);
        var epoch = e.Snapshot(Epoch);
        var stubs = new List<Action>();
        var pipeline = model is A53Model ? new A53BlockTiming(e, pc, flat, stubs) : null;
        bool loops = pipeline != null && LoopsBack(page, first, length, pc);
        if (loops) pipeline!.DeferLoopCounts();
        var top = e.Label();
        e.Mark(top);
        // A short self-loop's later passes: the pipeline's state carried in locals from the pass before (A53BlockTiming.Carry).
        Label? resume = loops && length <= MaxCarriedLength ? e.Label() : null;
        int inlined = EmitPass(carried: false);
        if (resume is { } again && pipeline!.Carried)
        {
            e.Mark(again);
            pipeline.BeginCarriedPass();
            EmitPass(carried: true);
        }
        for (int s = 0; s < stubs.Count; s++) stubs[s](); // a stub may add one (a shared tail)
        return inlined;

        // One pass over the block's instructions; returns how many were generated inline.
        int EmitPass(bool carried)
        {
            int pending = 0; // instructions run whose Retired and Cycles are not added yet (oneCycle)
            bool pcStale = false; // whether cpu.PC and NextPc are behind the instruction about to run
            int generated = 0;

            for (int n = 0; n < length; n++)
            {
                int index = first + n, ran = n + 1;
                ulong at = pc + 4UL * (ulong)n;
                ref DecodedInst inst = ref page[index];
                bool last = n == length - 1;
                var form = InlineForms.Find(in inst);
                if (form != null) generated++;
                // Only an inline branch form gives the block both ways on (EndsBlock); a handler's branch would be run past.
                if (!last && (inst.Flags & InstFlags.Branch) != 0 && form is not { Kind: InlineKind.Branch })
                    throw new InvalidOperationException($"the branch 0x{inst.Raw:X8} at 0x{at:X} is inside a block without its inline form");

                if (form is { Kind: InlineKind.Branch } side && !last)
                {
                    // A conditional branch inside the block (a superblock: EndsBlock): taken, the block leaves (or runs again
                    // from its start); not taken, it goes on.
                    var target = e.Local(typeof(ulong));
                    e.Access = null;
                    side.Emit(e, in inst, at);
                    e.Store(target);
                    bool back = at + inst.Imm == pc;
                    if (oneCycle)
                    {
                        var exit = e.Label();
                        e.Load(target); e.Constant(at + 4); e.Emit(OpCodes.Bne_Un, exit);
                        int accounted = pending + 1;
                        (ulong, int, Label)? loop = back ? (pc, length, top) : null;
                        stubs.Add(() => SideExit(e, exit, target, accounted, ran, loop));
                        pending++;
                        pcStale = true;
                        continue;
                    }
                    // The model times the branch (the A53's trains its predictor: cpu.PC is where it went); taken, the block
                    // leaves (under a53 through the pipeline's shared exit tail), or runs again from its start.
                    e.SetPc(target);
                    if (inst.Imm == 4) e.FlushRegisters(); // the model reads the condition (A53Model.BranchInBlock by instruction)
                    Retire(e, pipeline, in inst, index, at, first: n == 0 && !carried, target);
                    var on = e.Label();
                    e.Load(target); e.Constant(at + 4); e.Emit(OpCodes.Beq, on);
                    if (back) LoopBack(e, target, pc, ran, length, oneCycle: false, top, pipeline, resume);
                    if (pipeline is { Live: true }) pipeline.LeaveTaken(ran, at, index, target);
                    else e.Return(ran); // another model: its Retire has run
                    e.Mark(on);
                    pcStale = false;
                }
                else if (form is { Kind: InlineKind.Branch } branch)
                {
                    // The block's end: the next PC, then the same accounting as an interpreted branch.
                    var next = e.Local(typeof(ulong));
                    e.Access = null;
                    branch.Emit(e, in inst, at);
                    e.Store(next);
                    e.SetPc(next);
                    if (oneCycle) e.Account(pending + 1);
                    else
                    {
                        e.FlushRegisters(); // the model reads the branch's condition
                        Retire(e, pipeline, in inst, index, at, first: n == 0 && !carried, next);
                    }
                    if (MayBranchTo(in inst, at, pc)) LoopBack(e, next, pc, length, length, oneCycle, top, pipeline, resume);
                    if (pipeline is { Live: true }) pipeline.Save();
                    e.Return(length);
                    break;
                }
                else if (form is { } inline)
                {
                    if (inline.Kind == InlineKind.Memory)
                    {
                        var bail = e.Label();
                        e.Bail = bail;
                        int before = pending, runBefore = n;
                        var live = pipeline is { Live: true } ? pipeline : null;
                        var state = live?.Capture();
                        stubs.Add(() => Bail(e, bail, index, at, before, runBefore, live, state));
                        if (n == 0 && !carried && pipeline != null && A53BlockTiming.Handles(in inst)) pipeline.BranchIfClockMoved(bail);
                    }
                    // Under a53 the block issues the instruction and charges its accesses itself, unlogged (A53BlockTiming).
                    e.LogAccesses = model.WantsAccessLog && !(pipeline != null && A53BlockTiming.Handles(in inst));
                    e.Access = null;
                    inline.Emit(e, in inst, at);
                    pcStale = true;
                    if (oneCycle) pending++;
                    else Retire(e, pipeline, in inst, index, at, first: n == 0 && !carried);
                    e.EndInstruction();
                }
                else
                {
                    // An integer-only handler cannot branch or take an exception: NextPc and the counts may stay behind.
                    bool integer = IntegerOnly(in inst);
                    if (oneCycle && !integer) { e.Account(pending); pending = 0; }
                    pipeline?.Release(); // the handler may read the clock, and its Retire the model
                    if (pcStale) e.StoreConstant(BlockEmitter.Pc, at); // ADR, ADRP read PC
                    if (!integer) e.StoreConstant(BlockEmitter.NextPc, at + 4);
                    e.FlushRegisters();
                    e.CallHandler(index, inst.Execute);
                    if (!integer) e.ForgetFastPages();
                    e.ReloadRegisters();
                    if (!integer) e.Copy(BlockEmitter.NextPc, BlockEmitter.Pc); // it may have branched or taken an exception
                    pcStale = integer;
                    if (oneCycle) pending++;
                    else e.Account(1, retire: (index, at));
                }
                if (last)
                {
                    if (oneCycle) e.Account(pending);
                    if (pipeline is { Live: true }) pipeline.Save();
                    if (pcStale) e.SetPc(at + 4);
                    e.Return(ran);
                    break;
                }

                // Early exits after an instruction that could have changed what the run loop checks.
                var go = e.Label();
                var leave = e.Label();
                bool exits = !oneCycle && pipeline is not { ClockChecked: true };
                if (form is null && !IntegerOnly(in inst))
                {
                    e.BranchIfChanged(ExceptionsTaken, taken, leave);
                    if (MayAccessMemory(in inst))
                    {
                        e.BranchIfChanged(SlowAccesses, slow, leave);
                        e.BranchIfChanged(Epoch, epoch, leave);
                    }
                    exits = true;
                }
                if (!exits) continue;
                if (!oneCycle) e.BranchUnlessBefore(go, pipeline is { Live: true } ? pipeline.LoadCycle : null);
                else e.Goto(go);
                e.Mark(leave);
                if (pipeline is { Live: true }) pipeline.Leave(ran, at, index); // after an instruction it issued (inline)
                else
                {
                    if (oneCycle) e.Account(pending);
                    if (pcStale) e.SetPc(at + 4);
                    e.Return(ran);
                }
                e.Mark(go);
            }
            return generated;
        }
    }

    /// <summary>A load or store whose fast path did not apply: everything before it accounted, the instruction run as
    /// the interpreter would (the slow path, a fault: <see cref="Cpu.ExecuteFromBlock"/>), and the block left.
    /// <paramref name="pipeline"/>: where the block held the A53 state there (<paramref name="state"/>), its way out.</summary>
    private static void Bail(BlockEmitter e, Label bail, int index, ulong at, int pending, int ran, A53BlockTiming? pipeline,
        A53BlockTiming.State? state)
    {
        e.Mark(bail);
        if (pipeline != null)
        {
            pipeline.Bail(state!, ran, at, index); // nothing pending under a53
            return;
        }
        e.FlushRegisters();
        e.LoadCpu(); e.LoadPage(); e.Constant(index); e.Constant(at); e.Constant((ulong)pending);
        e.Call(ExecuteFromBlock);
        e.ReturnWithoutFlush(ran + 1); // the handler wrote the machine's registers
    }

    /// <summary>A superblock's taken conditional branch (`simple`): the branch and everything before it accounted, PC
    /// at <paramref name="target"/>, and the block left, or run again from its start (<paramref name="loop"/>).</summary>
    private static void SideExit(BlockEmitter e, Label exit, LocalBuilder target, int accounted, int ran,
        (ulong Start, int Length, Label Top)? loop)
    {
        e.Mark(exit);
        e.SetPc(target);
        e.Account(accounted);
        if (loop is { } l) LoopBack(e, target, l.Start, ran, l.Length, oneCycle: true, l.Top, null, null);
        e.Return(ran);
    }

    /// <summary>Retired and the cycles of an inline instruction (not under `simple`): issued by the block itself where
    /// <see cref="A53BlockTiming"/> can, else by the model's Retire. A model a library user plugged in may read the
    /// machine after the instruction (ITimingModel.Retire), as in the interpreter: the registers and PC first (a branch
    /// has set PC, <paramref name="next"/>). The A53 model's Retire reads no register of an inline instruction.</summary>
    private static void Retire(BlockEmitter e, A53BlockTiming? pipeline, in DecodedInst inst, int index, ulong at, bool first,
        LocalBuilder? next = null)
    {
        if (pipeline != null && A53BlockTiming.Handles(in inst))
        {
            pipeline.Retire(in inst, at, first, SameLine(at), index, next); // Retired counted with the pipeline (Save)
            return;
        }
        if (pipeline != null) pipeline.Release();
        else
        {
            e.FlushRegisters();
            if (next == null) e.SetPc(at + 4);
        }
        e.Account(1, retire: (index, at));
    }

    /// <summary>Whether the instruction at <paramref name="at"/> is in the 64-byte fetch line of the one before it.</summary>
    private static bool SameLine(ulong at) => (at >> 6) == ((at - 4) >> 6);

    /// <summary>The longest self-loop given a second pass that carries the pipeline's state (the IL is emitted twice).</summary>
    private const int MaxCarriedLength = 16;

    /// <summary>Whether a branch of the block may take it back to its start (<see cref="LoopBack"/>): a conditional one inside
    /// it, or its last.</summary>
    private static bool LoopsBack(DecodedInst[] page, int first, int length, ulong pc)
    {
        for (int n = 0; n < length; n++)
        {
            ref DecodedInst inst = ref page[first + n];
            ulong at = pc + 4UL * (ulong)n;
            if (InlineForms.Find(in inst) is not { Kind: InlineKind.Branch }) continue;
            if (n < length - 1 ? at + inst.Imm == pc : MayBranchTo(in inst, at, pc)) return true;
        }
        return false;
    }

    /// <summary>Whether the block's last instruction, a direct branch, may go back to the block's start (an indirect one is
    /// left to the run loop).</summary>
    private static bool MayBranchTo(in DecodedInst inst, ulong at, ulong start) =>
        inst.Timing != TimingClass.BranchIndirect && (at + inst.Imm == start || at + 4 == start);

    /// <summary>Runs the block again from <paramref name="top"/> when the branch, having run <paramref name="ran"/>
    /// instructions of this pass, went to its start and the run loop would enter it again at once: nothing asked the run
    /// to stop, another pass of the block's <paramref name="length"/> fits in the budget, and in the time before stopAt
    /// (`simple`) or the clock is before it (otherwise). Where the block holds the pipeline's state and has a carried pass
    /// (<paramref name="resume"/>), the state goes into that pass's locals; otherwise to the model, for the top.</summary>
    private static void LoopBack(BlockEmitter e, LocalBuilder next, ulong start, int ran, int length, bool oneCycle, Label top,
        A53BlockTiming? pipeline, Label? resume)
    {
        var exit = e.Label();
        var again = e.Label();
        bool live = pipeline is { Live: true };
        e.Load(next); e.Constant(start); e.Emit(OpCodes.Bne_Un, exit);
        e.BranchIfStopRequested(exit);
        if (oneCycle) e.BranchIfFits(again, length, ran);
        else
        {
            e.BranchUnlessPassFits(exit, length, ran);
            e.BranchUnlessBefore(again, live ? pipeline!.LoadCycle : null);
        }
        e.Goto(exit);
        e.Mark(again);
        e.AddRan(ran);
        if (live && resume is { } carried)
        {
            pipeline!.Carry();
            e.Goto(carried);
        }
        else
        {
            if (live) pipeline!.SaveForLoop(); // the top of the block starts from the model's fields
            e.Goto(top);
        }
        e.Mark(exit);
    }

    /// <summary>Whether a `simple`-model block of <paramref name="length"/> instructions runs whole before the clock
    /// reaches <paramref name="stopAt"/> and within <paramref name="budget"/> steps.</summary>
    public static bool Fits(int length, ulong cycles, ulong stopAt, ulong budget) =>
        budget >= (ulong)length && stopAt > cycles && stopAt - cycles >= (ulong)length;

}
