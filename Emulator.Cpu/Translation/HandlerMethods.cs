using System.Reflection;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// The method behind each instruction handler's function pointer, so that translated code calls a handler directly
/// (RyuJIT may then inline it) instead of through the pointer. A handler not found here is called through its pointer.
/// </summary>
internal static unsafe class HandlerMethods
{
    private static readonly Dictionary<nint, MethodInfo> ByPointer = Build();

    public static MethodInfo? Find(delegate*<Cpu, ref DecodedInst, void> handler) =>
        ByPointer.TryGetValue((nint)handler, out var m) ? m : null;

    private static Dictionary<nint, MethodInfo> Build()
    {
        var map = new Dictionary<nint, MethodInfo>();
        var byRef = typeof(DecodedInst).MakeByRefType();
        foreach (var type in typeof(Cpu).Assembly.GetTypes())
            foreach (var m in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (m.ReturnType != typeof(void) || m.IsGenericMethodDefinition) continue;
                var p = m.GetParameters();
                if (p.Length != 2 || p[0].ParameterType != typeof(Cpu) || p[1].ParameterType != byRef) continue;
                map[m.MethodHandle.GetFunctionPointer()] = m;
            }
        return map;
    }
}
