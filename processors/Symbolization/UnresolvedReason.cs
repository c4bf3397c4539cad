namespace Collector.Processors.Symbolization;

/// <summary>Why a frame kept only its address; the label values of the unnamed-frames metric.</summary>
internal enum UnresolvedReason
{
    /// <summary>The kernel hides kallsyms addresses from this process, or kallsyms could not be read.</summary>
    KernelSymbolsUnavailable,

    /// <summary>A kernel address in no symbol, even after a fresh read of kallsyms.</summary>
    KernelAddressUnknown,

    /// <summary>No readable file for the frame's mapping (not in the batch, no debug file, path gone or another file now).</summary>
    FileUnavailable,

    /// <summary>The file was not valid ELF, or reading it failed.</summary>
    FileUnreadable,

    /// <summary>The file has no symbol covering the address (stripped, or the address is outside every PT_LOAD).</summary>
    NoSymbol,

    /// <summary>No perf map for the process, or no entry in it for the address.</summary>
    NoPerfMapEntry,

    /// <summary>A <c>cpython</c> frame of a process whose CPython could not be read (not found, unsupported version, layout check failed, gone).</summary>
    CpythonUnavailable,

    /// <summary>A <c>cpython</c> frame whose code object could not be read or failed a check (wrong type, bad string, unreadable).</summary>
    CpythonCodeUnreadable,

    /// <summary>A frame with neither a mapping nor a frame type we can use (no file, not JIT, not kernel).</summary>
    NoSource,
}

internal static class UnresolvedReasonNames
{
    public static string Label(this UnresolvedReason reason) => reason switch
    {
        UnresolvedReason.KernelSymbolsUnavailable => "kernel_symbols_unavailable",
        UnresolvedReason.KernelAddressUnknown => "kernel_address_unknown",
        UnresolvedReason.FileUnavailable => "file_unavailable",
        UnresolvedReason.FileUnreadable => "file_unreadable",
        UnresolvedReason.NoSymbol => "no_symbol",
        UnresolvedReason.NoPerfMapEntry => "no_perf_map_entry",
        UnresolvedReason.CpythonUnavailable => "cpython_unavailable",
        UnresolvedReason.CpythonCodeUnreadable => "cpython_code_unreadable",
        _ => "no_source",
    };
}
