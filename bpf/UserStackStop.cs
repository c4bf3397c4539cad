namespace Collector.Bpf;

/// <summary>
/// How a sample's user stack walk ended (<c>enum profiler_user_stop</c> in profiler.h). Every value but
/// <see cref="Complete"/> and <see cref="None"/> says why the outermost frames may be missing.
/// </summary>
public enum UserStackStop : byte
{
    /// <summary>The kernel's frame-pointer walk (<c>native_unwinding: frame_pointers</c>), or no user stack.</summary>
    None = 0,

    /// <summary>Reached the outermost frame (<c>_start</c>, a thread's entry).</summary>
    Complete = 1,

    /// <summary>Code without a loaded table was stepped by frame pointer, and that chain ended.</summary>
    NoTable = 2,

    /// <summary>An address in no known executable mapping was stepped by frame pointer, and that chain ended.</summary>
    NoMapping = 3,

    /// <summary>A saved register could not be read from the process's memory.</summary>
    ReadFault = 4,

    /// <summary>The walk filled every frame and was not done.</summary>
    DepthLimit = 5,

    /// <summary>A rule the unwinder cannot follow, or a frame that does not move up the stack.</summary>
    Unsupported = 6,

    /// <summary>The process's mappings were not in the kernel yet (just started): the kernel's frame-pointer walk was used.</summary>
    NoProcess = 7,
}
