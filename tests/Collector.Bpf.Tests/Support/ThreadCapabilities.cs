using System.Runtime.InteropServices;

namespace Collector.Bpf.Tests.Support;

/// <summary>
/// Runs code on a fresh thread whose effective capabilities lack CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN.
/// Capabilities are per thread in Linux, so the rest of the test process keeps its privileges.
/// </summary>
internal static partial class ThreadCapabilities
{
    private const uint Version3 = 0x20080522; // _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set

    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    // The test project has no unsafe code, so these use array marshalling rather than LibraryImport pointers.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static extern int CapGet(ref Header header, [Out] Data[] data);

    [DllImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static extern int CapSet(ref Header header, [In] Data[] data);
#pragma warning restore SYSLIB1054

    public static T RunWithoutBpfCapabilities<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Drop(KernelRequirements.CapBpf, KernelRequirements.CapPerfmon, KernelRequirements.CapSysAdmin);
                result = action();
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("the unprivileged thread failed", failure);
        }
        return result;
    }

    private static void Drop(params int[] capabilities)
    {
        var header = new Header { Version = Version3, Pid = 0 };
        var data = new Data[2];
        if (CapGet(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        }
        foreach (var capability in capabilities)
        {
            data[capability / 32].Effective &= ~(1u << (capability % 32));
        }
        if (CapSet(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
