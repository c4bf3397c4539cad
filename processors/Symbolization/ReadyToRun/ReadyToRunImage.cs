using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.Symbolization.ReadyToRun;

/// <summary>
/// Reads the precompiled methods of a ReadyToRun image (dotnet/runtime docs/design/coreclr/botr/readytorun-format.md):
/// the CLI header's ManagedNativeHeader points at the READYTORUN_HEADER ("RTR"), whose sections give the code
/// blocks (RuntimeFunctions), the MethodDef row each non-generic method starts at (MethodDefEntryPoints) and the
/// generic instantiations compiled into the image (InstanceMethodEntryPoints, whose entries start with a method
/// signature naming the MethodDef). Names come from the image's own metadata. Composite images, whose code lives in
/// another file, are refused.
/// </summary>
internal static class ReadyToRunImage
{
    private const uint Signature = 0x00525452; // "RTR"
    private const uint RuntimeFunctionsSection = 102;
    private const uint MethodDefEntryPointsSection = 103;
    private const uint InstanceMethodEntryPointsSection = 109;
    private const uint ComponentAssembliesSection = 115;
    private const uint OwnerCompositeExecutableSection = 116;

    // Method signature flags (READYTORUN_METHOD_SIG_*).
    private const uint MethodInstantiation = 0x04;
    private const uint SlotInsteadOfToken = 0x08;
    private const uint MemberRefToken = 0x10;
    private const uint Constrained = 0x20;
    private const uint OwnerType = 0x40;
    private const uint UpdateContext = 0x80;

    /// <summary>The image's methods; throws <see cref="ReadyToRunFormatException"/> when it is not a single-file ReadyToRun image.</summary>
    public static (ReadyToRunMethods Methods, ImageSections Sections) Read(SafeFileHandle handle, string path)
    {
        try
        {
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
            if (pe.PEHeaders.CorHeader is not { } cor) throw new ReadyToRunFormatException($"{path}: a PE image without .NET metadata");
            var nativeHeader = cor.ManagedNativeHeaderDirectory;
            if (nativeHeader.Size == 0) throw new ReadyToRunFormatException($"{path}: IL only, no ReadyToRun code");
            var image = new ImageReader(pe);
            var header = (uint)nativeHeader.RelativeVirtualAddress;
            if (image.UInt32(header) != Signature) throw new ReadyToRunFormatException($"{path}: the native header is not ReadyToRun");
            var sections = ReadSections(image, header);
            // Recognised by their sections rather than a flag: the flag values moved between format versions.
            if (sections.ContainsKey(ComponentAssembliesSection) || sections.ContainsKey(OwnerCompositeExecutableSection))
            {
                throw new ReadyToRunFormatException($"{path}: part of a composite ReadyToRun image");
            }
            if (!sections.TryGetValue(RuntimeFunctionsSection, out var functions)) throw new ReadyToRunFormatException($"{path}: no RuntimeFunctions section");

            var metadata = pe.GetMetadataReader();
            var (starts, ends) = RuntimeFunctions(image, functions, Is64BitX86(pe));
            var methods = new MethodDefinitionHandle[starts.Length];
            if (sections.TryGetValue(MethodDefEntryPointsSection, out var methodDefs))
            {
                foreach (var (index, element) in NativeTables.ArrayElements(image, methodDefs.Rva))
                {
                    Assign(methods, RuntimeFunctionIndex(image, element), MetadataTokens.MethodDefinitionHandle((int)index + 1));
                }
            }
            if (sections.TryGetValue(InstanceMethodEntryPointsSection, out var instances))
            {
                foreach (var entry in NativeTables.HashtableEntries(image, instances.Rva))
                {
                    if (InstanceMethod(image, entry, out var method, out var element)) Assign(methods, RuntimeFunctionIndex(image, element), method);
                }
            }
            return (new ReadyToRunMethods(starts, ends, methods, metadata), ImageSections.Of(pe));
        }
        catch (Exception error) when (error is BadImageFormatException or InvalidOperationException or ArgumentException)
        {
            throw new ReadyToRunFormatException($"{path}: {error.Message}");
        }
    }

    private static Dictionary<uint, (uint Rva, uint Size)> ReadSections(ImageReader image, uint header)
    {
        var count = image.UInt32(header + 12);
        if (count > 1000) throw new ReadyToRunFormatException($"{count} ReadyToRun sections");
        var sections = new Dictionary<uint, (uint, uint)>();
        for (uint i = 0; i < count; i++)
        {
            var at = header + 16 + 12 * i;
            sections[image.UInt32(at)] = (image.UInt32(at + 4), image.UInt32(at + 8));
        }
        return sections;
    }

    /// <summary>
    /// The code blocks, sorted by start RVA. On x64 each RUNTIME_FUNCTION is (begin, end, unwind); elsewhere it is
    /// (begin, unwind) and a block ends where the next begins.
    /// </summary>
    private static (uint[] Starts, uint[] Ends) RuntimeFunctions(ImageReader image, (uint Rva, uint Size) section, bool x64)
    {
        var entrySize = x64 ? 12u : 8u;
        var count = section.Size / entrySize;
        var starts = new uint[count];
        var ends = new uint[count];
        for (uint i = 0; i < count; i++)
        {
            starts[i] = image.UInt32(section.Rva + i * entrySize);
            if (x64) ends[i] = image.UInt32(section.Rva + i * entrySize + 4);
        }
        if (!x64)
        {
            for (var i = 0; i < count; i++) ends[i] = i + 1 < count ? starts[i + 1] : starts[i] + 1;
        }
        return (starts, ends);
    }

    /// <summary>The machine field of a ReadyToRun image is the architecture XOR a per-OS value (Linux, Apple, FreeBSD, NetBSD, none).</summary>
    private static bool Is64BitX86(PEReader pe)
    {
        var machine = (ushort)pe.PEHeaders.CoffHeader.Machine;
        foreach (var os in (ReadOnlySpan<ushort>)[0x7B79, 0x4644, 0xADC4, 0x1993, 0])
        {
            if ((machine ^ os) == 0x8664) return true;
        }
        return false;
    }

    /// <summary>
    /// An entry point element: the runtime function index shifted left by one, the low bit saying a fixup list
    /// follows; with a fixup list, the second bit says the list is elsewhere (at a backward offset), and the index
    /// is shifted by two.
    /// </summary>
    private static uint RuntimeFunctionIndex(ImageReader image, uint element)
    {
        image.DecodeUnsigned(element, out var id);
        return (id & 1) != 0 ? id >> 2 : id >> 1;
    }

    private static void Assign(MethodDefinitionHandle[] methods, uint index, MethodDefinitionHandle method)
    {
        if (index < methods.Length && methods[index].IsNil) methods[index] = method;
    }

    /// <summary>
    /// The MethodDef a generic instantiation's entry names and where its entry point element follows the signature;
    /// false for entries naming a method of another module or by slot or MemberRef, which this image's metadata
    /// cannot name.
    /// </summary>
    private static bool InstanceMethod(ImageReader image, uint entry, out MethodDefinitionHandle method, out uint element)
    {
        method = default;
        element = 0;
        var at = image.CompressedUnsigned(entry, out var flags);
        if ((flags & (UpdateContext | SlotInsteadOfToken | MemberRefToken)) != 0) return false;
        if ((flags & OwnerType) != 0 && !TypeSignature.TrySkip(image, ref at)) return false;
        at = image.CompressedUnsigned(at, out var row);
        if ((flags & MethodInstantiation) != 0)
        {
            at = image.CompressedUnsigned(at, out var arguments);
            for (var i = 0; i < arguments; i++)
            {
                if (!TypeSignature.TrySkip(image, ref at)) return false;
            }
        }
        if ((flags & Constrained) != 0 && !TypeSignature.TrySkip(image, ref at)) return false;
        if (row == 0 || row > int.MaxValue) return false;
        method = MetadataTokens.MethodDefinitionHandle((int)row);
        element = at;
        return true;
    }
}

internal sealed class ReadyToRunFormatException(string message) : Exception(message);
