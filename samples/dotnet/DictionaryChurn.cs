// A .NET workload whose time goes to precompiled (ReadyToRun) framework code: Dictionary lookups and string.Format.
// Compiled and run by tests/Collector.Host.Tests (RuntimeWorkloads.BuildCoreLib) and bench/perfmap-growth.sh.
// Usage: dotnet DictionaryChurn.dll SECONDS
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;

static class Workload
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    static long Churn(Dictionary<string, int> table, string[] keys)
    {
        long sum = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (table.TryGetValue(keys[i], out var value)) sum += value;
            sum += string.Format("{0}:{1}", keys[i], i).Length;
        }
        return sum;
    }

    static int Main(string[] args)
    {
        var table = new Dictionary<string, int>();
        var keys = new string[4096];
        for (var i = 0; i < keys.Length; i++) { keys[i] = "key-" + i * 7919; table[keys[i]] = i; }
        var watch = Stopwatch.StartNew();
        var limit = double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        long sum = 0;
        while (watch.Elapsed.TotalSeconds < limit) sum += Churn(table, keys);
        return (int)(sum & 1);
    }
}
