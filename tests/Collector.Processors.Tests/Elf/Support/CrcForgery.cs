using Collector.Processors.Elf;

namespace Collector.Processors.Tests.Elf.Support;

/// <summary>
/// Appends four bytes to a file's content so that its CRC-32 becomes a chosen value. Debug-link cycles need it:
/// A's link must carry B's CRC and B's link A's, which no real toolchain can produce, but an attacker can.
/// CRC-32 of (data ‖ x) is affine in the 32 bits of x, so x is found by solving a 32×32 system over GF(2).
/// </summary>
public static class CrcForgery
{
    public static byte[] AppendToReach(byte[] data, uint target)
    {
        var state = Crc32.Append(0, data);
        var baseline = Crc32.Append(state, new byte[4]);
        var rows = new uint[32];
        var combinations = new uint[32];
        for (var bit = 0; bit < 32; bit++)
        {
            rows[bit] = Crc32.Append(state, BitConverter.GetBytes(1u << bit)) ^ baseline;
            combinations[bit] = 1u << bit;
        }
        // Gaussian elimination: each pivot row owns one bit of the CRC.
        var pivots = new int[32];
        var rank = 0;
        for (var bit = 31; bit >= 0; bit--)
        {
            var pivot = Array.FindIndex(rows, rank, row => (row >> bit & 1) != 0);
            if (pivot < 0) continue;
            (rows[rank], rows[pivot]) = (rows[pivot], rows[rank]);
            (combinations[rank], combinations[pivot]) = (combinations[pivot], combinations[rank]);
            for (var other = 0; other < 32; other++)
            {
                if (other != rank && (rows[other] >> bit & 1) != 0)
                {
                    rows[other] ^= rows[rank];
                    combinations[other] ^= combinations[rank];
                }
            }
            pivots[rank++] = bit;
        }
        var remaining = target ^ baseline;
        uint suffix = 0;
        for (var row = 0; row < rank; row++)
        {
            if ((remaining >> pivots[row] & 1) == 0) continue;
            remaining ^= rows[row];
            suffix ^= combinations[row];
        }
        if (remaining != 0) throw new InvalidOperationException("CRC-32 could not be forced (the system should be invertible)");
        var forged = data.Concat(BitConverter.GetBytes(suffix)).ToArray();
        if (Crc32.Append(0, forged) != target) throw new InvalidOperationException("forged CRC-32 does not match");
        return forged;
    }
}
