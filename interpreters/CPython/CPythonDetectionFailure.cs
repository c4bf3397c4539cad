namespace Collector.Interpreters.CPython;

/// <summary>Why a process gets no CPython layout; counted per reason, and its frames stay native.</summary>
public enum CPythonDetectionFailure
{
    /// <summary>Neither the executable nor a mapped <c>libpython3.*.so</c> defines <c>_PyRuntime</c>.</summary>
    NotPython,

    /// <summary>CPython, but a version without a layout (before 3.10, after 3.13, or a free-threaded build).</summary>
    UnsupportedVersion,

    /// <summary>The CPython file lacks a symbol the reader needs (<c>_PyEval_EvalFrameDefault</c>, <c>PyCode_Type</c>, a version).</summary>
    SymbolMissing,

    /// <summary>The file or the process memory could not be read (gone, no permission, not mapped).</summary>
    MemoryUnreadable,

    /// <summary>The process's own debug offsets (3.13+) failed the sanity checks.</summary>
    LayoutCheckFailed,
}
