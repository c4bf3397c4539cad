namespace Collector.Processors.Symbolization.ReadyToRun;

/// <summary>
/// Steps over one type in a signature (ECMA-335 II.23.2.12, plus the ReadyToRun zapsig element types), only to
/// find what follows it: instance entry points list their owner type and instantiation before the entry point.
/// </summary>
internal static class TypeSignature
{
    private const int MaxDepth = 64;

    public static bool TrySkip(ImageReader image, ref uint at) => TrySkip(image, ref at, 0);

    private static bool TrySkip(ImageReader image, ref uint at, int depth)
    {
        if (depth > MaxDepth) return false;
        var element = image.Byte(at++);
        switch (element)
        {
            case >= 0x01 and <= 0x0E: // void, bool, char, integers, floats, string
            case 0x16 or 0x18 or 0x19 or 0x1C: // typedref, native int, native uint, object
            case 0x3E: // ELEMENT_TYPE_CANON_ZAPSIG: __Canon
                return true;
            case 0x0F or 0x10 or 0x1D or 0x45: // pointer, byref, szarray, pinned
            case 0x3D: // ELEMENT_TYPE_NATIVE_VALUETYPE_ZAPSIG
                return TrySkip(image, ref at, depth + 1);
            case 0x11 or 0x12: // valuetype, class: TypeDefOrRefOrSpec token
            case 0x13 or 0x1E: // type variable, method variable: number
                at = image.CompressedUnsigned(at, out _);
                return true;
            case 0x1F or 0x20: // custom modifier, then the type
                at = image.CompressedUnsigned(at, out _);
                return TrySkip(image, ref at, depth + 1);
            case 0x3F: // ELEMENT_TYPE_MODULE_ZAPSIG: module index, then the type
                at = image.CompressedUnsigned(at, out _);
                return TrySkip(image, ref at, depth + 1);
            case 0x15: // generic instantiation: the generic type, the count, the arguments
                if (!TrySkip(image, ref at, depth + 1)) return false;
                at = image.CompressedUnsigned(at, out var count);
                for (var i = 0; i < count; i++)
                {
                    if (!TrySkip(image, ref at, depth + 1)) return false;
                }
                return true;
            case 0x14: // array: element type, rank, sizes, lower bounds
                if (!TrySkip(image, ref at, depth + 1)) return false;
                at = image.CompressedUnsigned(at, out _);
                at = image.CompressedUnsigned(at, out var sizes);
                for (var i = 0; i < sizes; i++) at = image.CompressedUnsigned(at, out _);
                at = image.CompressedUnsigned(at, out var bounds);
                for (var i = 0; i < bounds; i++) at = image.CompressedUnsigned(at, out _); // signed, same length
                return true;
            default: // function pointers and anything unknown: give the entry up rather than guess
                return false;
        }
    }
}
