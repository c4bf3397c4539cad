namespace Collector.Interpreters.CPython;

/// <summary>
/// What a code object names: its function and file, its first line, and its line table to place instructions.
/// Immutable in CPython once created, so it may be cached for as long as the code object lives.
/// </summary>
/// <param name="QualifiedName"><c>co_qualname</c> (3.11+: <c>Class.method</c>, <c>outer.&lt;locals&gt;.inner</c>); 3.10 <c>co_name</c>.</param>
/// <param name="FileName"><c>co_filename</c> as the interpreter saw it (relative if the script was run by a relative path).</param>
/// <param name="FirstLine"><c>co_firstlineno</c>.</param>
public sealed record PythonCode(string QualifiedName, string FileName, int FirstLine, byte[] LineTable, CPythonLineTableFormat LineTableFormat)
{
    /// <summary>The line of the instruction at <paramref name="byteOffset"/> within the bytecode; null when the table gives none.</summary>
    public int? LineAt(long byteOffset) => LineTables.LineAt(LineTableFormat, LineTable, FirstLine, byteOffset);
}

/// <summary>Why a code object could not be named; counted per reason, and the frame stays unnamed (never wrongly named).</summary>
public enum CodeObjectFailure
{
    /// <summary>The memory could not be read: the process is gone, or the address is not mapped.</summary>
    MemoryUnreadable,

    /// <summary>The address holds no code object (its <c>ob_type</c> is not <c>PyCode_Type</c>): a wrong layout, or memory reused.</summary>
    NotCode,

    /// <summary>A name or file is not a compact str, or is empty or longer than believable.</summary>
    BadString,

    /// <summary>The line table is not bytes, or is larger than believable.</summary>
    BadLineTable,
}
