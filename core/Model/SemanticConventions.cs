namespace Collector.Core.Model;

/// <summary>
/// Attribute names and values from the OpenTelemetry semantic conventions that our components write and read,
/// in one place so that a producer and a consumer can never disagree on spelling.
/// </summary>
public static class SemanticConventions
{
    // Resource: the process that produced the profile.
    public const string ProcessPid = "process.pid";
    public const string ProcessExecutableName = "process.executable.name";
    public const string ProcessExecutablePath = "process.executable.path";
    public const string ContainerId = "container.id";

    // Mapping: the file's identity.
    public const string BuildIdGnu = "process.executable.build_id.gnu";
    public const string BuildIdHtlhash = "process.executable.build_id.htlhash";

    // Sample: the thread.
    public const string ThreadId = "thread.id";
    public const string ThreadName = "thread.name";

    // Location: what kind of code the frame runs.
    public const string FrameType = "profile.frame.type";
    public const string FrameTypeKernel = "kernel";
    public const string FrameTypeNative = "native";
    public const string FrameTypeDotnet = "dotnet";
    public const string FrameTypeV8js = "v8js";
    public const string FrameTypeJvm = "jvm";
    public const string FrameTypeCpython = "cpython";

    /// <summary>
    /// Location of a <see cref="FrameTypeCpython"/> frame (whose address is its code object's): the byte offset of
    /// the executing instruction in the code object's bytecode, which the line table maps to a line.
    /// </summary>
    public const string CpythonInstructionOffset = "cpython.instruction_offset";
}
