namespace Collector.Processors.Elf;

/// <summary>
/// The bytes are not an ELF file we can read: wrong magic, truncated header, or a structure that points outside
/// the file. The only exception the ELF reader lets escape for bad content (I/O failures stay <see cref="IOException"/>).
/// </summary>
public sealed class ElfFormatException : Exception
{
    public ElfFormatException()
    {
    }

    public ElfFormatException(string message)
        : base(message)
    {
    }

    public ElfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
