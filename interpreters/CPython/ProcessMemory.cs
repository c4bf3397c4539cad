using System.Runtime.InteropServices;

namespace Collector.Interpreters.CPython;

/// <summary>Reads another process's memory.</summary>
public interface IProcessMemory
{
    /// <summary>Fills <paramref name="buffer"/> from <paramref name="address"/> in process <paramref name="pid"/>; false when not all of it could be read.</summary>
    bool TryRead(int pid, ulong address, Span<byte> buffer);
}

/// <summary>
/// <c>process_vm_readv(2)</c>: one system call per read, no file descriptor to keep per process, and a clean failure
/// (not a fault) for an address that is not mapped. Needs the ptrace read permission on the target (root, or
/// CAP_SYS_PTRACE), which the profiler has.
/// </summary>
public sealed partial class ProcessMemory : IProcessMemory
{
    public static ProcessMemory Instance { get; } = new();

    public unsafe bool TryRead(int pid, ulong address, Span<byte> buffer)
    {
        if (buffer.IsEmpty) return true;
        if (pid <= 0 || address == 0 || address + (ulong)buffer.Length < address) return false;
        fixed (byte* destination = buffer)
        {
            var local = new IoVector { Base = (nint)destination, Length = (nuint)buffer.Length };
            var remote = new IoVector { Base = (nint)address, Length = (nuint)buffer.Length };
            return ProcessVmReadv(pid, &local, 1, &remote, 1, 0) == buffer.Length;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    [LibraryImport("libc", EntryPoint = "process_vm_readv", SetLastError = true)]
    private static unsafe partial nint ProcessVmReadv(int pid, IoVector* local, nuint localCount, IoVector* remote, nuint remoteCount, nuint flags);
}
