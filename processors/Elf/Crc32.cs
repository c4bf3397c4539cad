namespace Collector.Processors.Elf;

/// <summary>
/// The CRC-32 that <c>.gnu_debuglink</c> records (reflected polynomial 0xEDB88320, as zlib's crc32), over a
/// whole debug file read in chunks.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> bytes)
    {
        crc = ~crc;
        foreach (var value in bytes) crc = Table[(crc ^ value) & 0xff] ^ (crc >> 8);
        return ~crc;
    }

    public static uint OfFile(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            uint crc = 0;
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(file, buffer, offset)) > 0)
            {
                crc = Append(crc, buffer.AsSpan(0, read));
                offset += read;
            }
            return crc;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++) value = (value & 1) != 0 ? 0xEDB88320u ^ (value >> 1) : value >> 1;
            table[i] = value;
        }
        return table;
    }
}
