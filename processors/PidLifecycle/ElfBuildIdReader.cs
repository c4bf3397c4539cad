using Collector.Processors.Elf;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.PidLifecycle;

/// <summary>The GNU build id note through the ELF reader; files without one (or not ELF) get their htlhash.</summary>
internal sealed class ElfBuildIdReader : IBuildIdReader
{
    public static readonly ElfBuildIdReader Instance = new();

    public FileBuildId? Read(SafeFileHandle file, string displayName)
    {
        try
        {
            using (var elf = ElfFile.Open(file, displayName))
            {
                if (!elf.GnuBuildId.IsEmpty) return FileBuildId.FromGnu(elf.GnuBuildId);
            }
        }
        catch (ElfFormatException)
        {
            // Not ELF (or a broken header): the htlhash still identifies the content.
        }
        catch (Exception error) when (ProcReader.IsGone(error))
        {
            return null;
        }
        try
        {
            return FileBuildId.FromHtlhash(Htlhash.Compute(file));
        }
        catch (Exception error) when (ProcReader.IsGone(error))
        {
            return null;
        }
    }
}
