using Collector.Core.Model;

namespace Collector.Processors.Symbolization.Runtimes;

/// <summary>
/// Turns on the perf maps of the runtimes whose JIT frames the symbolizer meets, so they are named without
/// restarting anything: .NET over its diagnostics IPC, HotSpot over its attach protocol. A process's first JIT
/// frame starts the request; the batch waits for the answers it started for at most <see cref="WaitPerBatch"/>
/// in all, so the first frames are named when the runtime is quick and a runtime that does not answer delays
/// one batch by that much at worst.
/// </summary>
internal sealed class RuntimePerfMaps(DotnetPerfMapEnabler? dotnet, JavaPerfMapRequester? java, TimeProvider time)
{
    internal static readonly TimeSpan WaitPerBatch = TimeSpan.FromMilliseconds(500);

    private long _batchStart;

    public DotnetPerfMapEnabler? Dotnet => dotnet;

    public JavaPerfMapRequester? Java => java;

    public void BeginBatch() => _batchStart = time.GetTimestamp();

    /// <summary>A JIT frame of <paramref name="pid"/> that its perf map does not name (yet).</summary>
    /// <returns>True when a request was answered while waiting, so the map is worth another look.</returns>
    public bool Missed(int pid, string? frameType)
    {
        var request = frameType switch
        {
            SemanticConventions.FrameTypeDotnet => dotnet?.Discovered(pid),
            SemanticConventions.FrameTypeJvm => java?.Missed(pid),
            _ => null,
        };
        if (request is null || request.IsCompleted) return false;
        var left = WaitPerBatch - time.GetElapsedTime(_batchStart);
        // Waiting on the handle, not the task: a failed request is counted where it failed, never thrown here.
        return left > TimeSpan.Zero && ((IAsyncResult)request).AsyncWaitHandle.WaitOne(left);
    }

    /// <summary>Turns off what was turned on here (.NET); HotSpot's map is written on request only, so nothing is left running there.</summary>
    public Task ShutdownAsync() => dotnet?.TurnOffAsync() ?? Task.CompletedTask;
}
