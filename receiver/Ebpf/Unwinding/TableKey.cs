namespace Collector.Receivers.Ebpf.Unwinding;

/// <summary>
/// A file as the unwinder caches its table: device and inode from the maps line, and the modification time (a file
/// rewritten in place keeps its inode but not its mtime). Every process mapping the same key shares one table.
/// </summary>
internal readonly record struct TableKey(ulong Device, ulong Inode, long ModifiedTicks);
