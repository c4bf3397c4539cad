using System.Globalization;
using System.Text;
using Collector.Processors.Elf;

namespace Collector.Bench.Symbolize;

/// <summary>
/// The addresses of one file: uniformly random function symbols (with a size) of the file, and a uniformly random
/// address inside each. Virtual addresses as the file's symbols give them, which is what llvm-symbolizer and
/// eu-addr2line take for a shared object given by path (its own load base, 0 for these libraries).
/// </summary>
internal sealed class AddressSet
{
    private AddressSet(string path, ulong[] addresses)
    {
        Path = path;
        Addresses = addresses;
    }

    public string Path { get; }

    public ulong[] Addresses { get; }

    /// <summary>One "0x…" line per address: the standard input of both peers.</summary>
    public byte[] Input => Encoding.ASCII.GetBytes(string.Concat(Addresses.Select(a => "0x" + a.ToString("x", CultureInfo.InvariantCulture) + "\n")));

    public static AddressSet Generate(string path, int count, int seed)
    {
        using var file = ElfFile.Open(path);
        var table = file.ReadSymbols();
        var functions = Enumerable.Range(0, table.Count).Select(i => table[i]).Where(s => s.Size > 0).ToArray();
        if (functions.Length == 0) throw new InvalidOperationException($"{path} has no sized function symbols");
        var random = new Random(seed);
        var addresses = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            var function = functions[random.Next(functions.Length)];
            addresses[i] = function.Start + (ulong)random.NextInt64((long)function.Size);
        }
        return new AddressSet(path, addresses);
    }
}
