namespace Aegis.Emulator.Devices;

/// <summary>An ELF image that cannot be loaded; the message is one line meant for the user.</summary>
public sealed class ElfLoadException(string message) : Exception(message);
