using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Collector.TestKit;

/// <summary>
/// A tiny console program that spins in a JIT-compiled method, built by calling the SDK's C# compiler
/// directly against the reference pack (no project, no restore: a second or two), and run with
/// <c>DOTNET_PerfMapEnabled=1</c> as the profiling documentation tells users to.
/// </summary>
public static class DotnetWorkload
{
    private const string Source = """
        using System.Diagnostics;
        using System.Runtime.CompilerServices;

        static class Workload
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            static long Spin(long n)
            {
                long a = 0;
                for (long i = 0; i < n; i++) a = a * 31 + (i ^ a);
                return a;
            }

            static int Main(string[] args)
            {
                var watch = Stopwatch.StartNew();
                var limit = double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
                long sum = 0;
                while (watch.Elapsed.TotalSeconds < limit) sum += Spin(200_000);
                return (int)(sum & 1);
            }
        }
        """;

    /// <summary>The installation this test runs on: the runtime directory is &lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;.</summary>
    private static string DotnetRoot =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>Returns the path of the built workload.dll, or null with the reason when the SDK pieces are not found.</summary>
    public static string? Build(string directory, out string? problem)
    {
        var dotnetRoot = DotnetRoot;
        var csc = Directory.EnumerateFiles(System.IO.Path.Combine(dotnetRoot, "sdk"), "csc.dll", SearchOption.AllDirectories)
            .FirstOrDefault(path => path.Contains("/Roslyn/bincore/", StringComparison.Ordinal));
        var version = Environment.Version;
        var references = Directory.EnumerateDirectories(System.IO.Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref"))
            .Where(dir => System.IO.Path.GetFileName(dir).StartsWith($"{version.Major}.{version.Minor}.", StringComparison.Ordinal))
            .Select(dir => System.IO.Path.Combine(dir, "ref", $"net{version.Major}.{version.Minor}"))
            .FirstOrDefault(Directory.Exists);
        if (csc is null || references is null)
        {
            problem = $"the .NET SDK under {dotnetRoot} has no Roslyn csc.dll or reference pack {version.Major}.{version.Minor}";
            return null;
        }
        var source = System.IO.Path.Combine(directory, "Workload.cs");
        File.WriteAllText(source, Source);
        var output = System.IO.Path.Combine(directory, "workload.dll");
        var start = new ProcessStartInfo(System.IO.Path.Combine(dotnetRoot, "dotnet")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "exec", csc, "-nologo", "-noconfig", "-nostdlib", "-optimize+", "-target:exe", $"-out:{output}", source })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var reference in Directory.EnumerateFiles(references, "*.dll"))
        {
            start.ArgumentList.Add($"-r:{reference}");
        }
        using (var compiler = Process.Start(start)!)
        {
            var stdout = compiler.StandardOutput.ReadToEndAsync();
            var stderr = compiler.StandardError.ReadToEnd();
            compiler.WaitForExit();
            if (compiler.ExitCode != 0)
            {
                throw new InvalidOperationException($"csc failed: {stdout.Result}{stderr}");
            }
        }
        var framework = $"{version.Major}.{version.Minor}";
        File.WriteAllText(System.IO.Path.Combine(directory, "workload.runtimeconfig.json"),
            "{\"runtimeOptions\":{\"tfm\":\"net" + framework + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + framework + ".0\"}}}");
        problem = null;
        return output;
    }

    public static Process Start(string dll, double seconds)
    {
        var start = new ProcessStartInfo(System.IO.Path.Combine(DotnetRoot, "dotnet")) { RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        start.Environment["DOTNET_PerfMapEnabled"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
    }
}
