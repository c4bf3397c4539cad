namespace Collector.Bpf.Records;

/// <summary>Mirror of the #defines in profiler.h.</summary>
internal static class AbiConstants
{
    public const int MaxFrames = 127;
    public const int MaxPythonFrames = 96;
    public const int PythonWalkSteps = 128;
    public const int PythonMaxThreads = 256;
    public const int CommLength = 16;
    public const int FilenameLength = 256;
    public const int BuildIdLength = 20;
    public const int MaxTargetPids = 1024;
    public const int MaxTables = 4096;
    public const int MaxMappings = 128;
    public const int MaxProcesses = 8192;
    public const uint ProcessPython = 1;
    public const int SignalRbp = 120;
    public const int SignalRsp = 160;
    public const int SignalRip = 168;
}
