using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Collector.Host.Tests.Support;

/// <summary>
/// Programs for the JIT acceptance tests, each built here in a second or two and started with no environment
/// variable or flag that would make its runtime write a perf map:
/// <list type="bullet">
/// <item><c>hot</c> (.NET): Main → CallerOfHotLeaf → HotLeafForCollector, a spinning loop;</item>
/// <item><c>corelib</c> (.NET): Main → Churn, which spends its time in precompiled framework code (Dictionary
/// lookups, number and string formatting);</item>
/// <item><c>HotJava</c> (Java): main → callerOfHotLeaf → hotLeafForCollector.</item>
/// </list>
/// Each takes its run time in seconds as its argument. They run through symbolic links named
/// <c>jitwork-dotnet</c> and <c>jitwork-java</c>, so their command names tell them from every other dotnet and
/// java process on the machine (<see cref="ProcessNameFilter"/>); both runtimes find themselves through
/// <c>/proc/self/exe</c>, which the link does not change.
/// </summary>
public static class RuntimeWorkloads
{
    public const string HotLeaf = "HotLeafForCollector";
    public const string HotCaller = "CallerOfHotLeaf";
    public const string JavaHotLeaf = "hotLeafForCollector";
    public const string JavaHotCaller = "callerOfHotLeaf";

    private const string HotSource = """
        using System.Diagnostics;
        using System.Runtime.CompilerServices;

        static class Workload
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            static long HotLeafForCollector(long n)
            {
                long a = 0;
                for (long i = 0; i < n; i++) a = a * 31 + (i ^ a);
                return a;
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            static long CallerOfHotLeaf(long n) => HotLeafForCollector(n) + 1;

            static int Main(string[] args)
            {
                var watch = Stopwatch.StartNew();
                var limit = double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
                long sum = 0;
                while (watch.Elapsed.TotalSeconds < limit) sum += CallerOfHotLeaf(200_000);
                return (int)(sum & 1);
            }
        }
        """;

    /// <summary>The corelib workload, shared with bench/perfmap-growth.sh.</summary>
    private static string CoreLibSource => File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "dotnet", "DictionaryChurn.cs"));

    /// <summary>
    /// The hot method's loop body is long on purpose: 522 bytes of bytecode, more than HotSpot's FreqInlineSize
    /// (325), so C2 compiles it as a method of its own ("hot method too big" under -XX:+PrintInlining) instead of
    /// inlining it into its caller, the way real hot methods of that size stay separate. A perf map has no inlining
    /// information: code inlined into a caller is named after the caller (docs/symbolization.md).
    /// </summary>
    private const string JavaSource = """
        public class HotJava {
            static long hotLeafForCollector(long n) {
                long a = 0, b = 1, c = 2, d = 3;
                for (long i = 0; i < n; i++) {
                    a = a * 31 + (i ^ b);
                    b = b * 37 + (i ^ c);
                    c = c * 41 + (i ^ d);
                    d = d * 43 + (i ^ a);
                    a = a * 47 + (i ^ b);
                    b = b * 53 + (i ^ c);
                    c = c * 59 + (i ^ d);
                    d = d * 61 + (i ^ a);
                    a = a * 67 + (i ^ b);
                    b = b * 71 + (i ^ c);
                    c = c * 73 + (i ^ d);
                    d = d * 79 + (i ^ a);
                    a = a * 83 + (i ^ b);
                    b = b * 89 + (i ^ c);
                    c = c * 97 + (i ^ d);
                    d = d * 101 + (i ^ a);
                    a = a * 103 + (i ^ b);
                    b = b * 107 + (i ^ c);
                    c = c * 109 + (i ^ d);
                    d = d * 113 + (i ^ a);
                    a = a * 127 + (i ^ b);
                    b = b * 131 + (i ^ c);
                    c = c * 137 + (i ^ d);
                    d = d * 139 + (i ^ a);
                    a = a * 149 + (i ^ b);
                    b = b * 151 + (i ^ c);
                    c = c * 157 + (i ^ d);
                    d = d * 163 + (i ^ a);
                    a = a * 167 + (i ^ b);
                    b = b * 173 + (i ^ c);
                    c = c * 179 + (i ^ d);
                    d = d * 181 + (i ^ a);
                    a = a * 191 + (i ^ b);
                    b = b * 193 + (i ^ c);
                    c = c * 197 + (i ^ d);
                    d = d * 199 + (i ^ a);
                }
                return a ^ b ^ c ^ d;
            }

            static long callerOfHotLeaf(long n) { return hotLeafForCollector(n) + 1; }

            public static void main(String[] args) {
                long end = System.nanoTime() + (long) (Double.parseDouble(args[0]) * 1e9);
                long sum = 0;
                while (System.nanoTime() < end) sum += callerOfHotLeaf(2_000);
                System.exit((int) (sum & 1));
            }
        }
        """;

    /// <summary>The receiver's <c>process_names</c> entry that samples these workloads and nothing else.</summary>
    public const string ProcessNameFilter = "^jitwork-";

    private static string DotnetRoot =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    public static string BuildHot(string directory) => BuildDotnet(directory, "hot", HotSource);

    public static string BuildCoreLib(string directory) => BuildDotnet(directory, "corelib", CoreLibSource);

    /// <summary>Compiles HotJava.java into <paramref name="directory"/>; null with the reason when javac is missing.</summary>
    public static string? BuildJava(string directory, out string? problem)
    {
        File.WriteAllText(Path.Combine(directory, "HotJava.java"), JavaSource);
        try
        {
            Run("javac", directory, "HotJava.java");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            problem = $"javac is not installed ({error.Message})";
            return null;
        }
        problem = null;
        return directory;
    }

    /// <summary>Starts a .NET workload with a clean environment as far as the runtime is concerned, plus <paramref name="environment"/>.</summary>
    public static Process StartDotnet(string dll, double seconds, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(Link(Path.GetDirectoryName(dll)!, "jitwork-dotnet", Path.Combine(DotnetRoot, "dotnet"))) { RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        // The test host may run with diagnostics settings of its own; the workload must not inherit them.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.StartsWith("COMPlus_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
    }

    public static Process StartJava(string directory, double seconds, params string[] jvmOptions)
    {
        var java = Path.GetFullPath(Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "java")).First(File.Exists));
        var start = new ProcessStartInfo(Link(directory, "jitwork-java", new FileInfo(java).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? java))
        {
            RedirectStandardOutput = true,
            WorkingDirectory = directory,
        };
        foreach (var option in jvmOptions) start.ArgumentList.Add(option);
        start.ArgumentList.Add("-cp");
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add("HotJava");
        start.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException("could not start java");
    }

    private static string Link(string directory, string name, string target)
    {
        var link = Path.Combine(directory, name);
        if (!File.Exists(link)) File.CreateSymbolicLink(link, target);
        return link;
    }

    private static string BuildDotnet(string directory, string name, string source)
    {
        var csc = Directory.EnumerateFiles(Path.Combine(DotnetRoot, "sdk"), "csc.dll", SearchOption.AllDirectories)
            .First(path => path.Contains("/Roslyn/bincore/", StringComparison.Ordinal));
        var version = Environment.Version;
        var references = Directory.EnumerateDirectories(Path.Combine(DotnetRoot, "packs", "Microsoft.NETCore.App.Ref"))
            .Where(dir => Path.GetFileName(dir).StartsWith($"{version.Major}.{version.Minor}.", StringComparison.Ordinal))
            .Select(dir => Path.Combine(dir, "ref", $"net{version.Major}.{version.Minor}"))
            .First(Directory.Exists);
        var sourcePath = Path.Combine(directory, name + ".cs");
        File.WriteAllText(sourcePath, source);
        var output = Path.Combine(directory, name + ".dll");
        Run(Path.Combine(DotnetRoot, "dotnet"), directory,
            ["exec", csc, "-nologo", "-noconfig", "-nostdlib", "-optimize+", "-target:exe", $"-out:{output}", sourcePath,
             .. Directory.EnumerateFiles(references, "*.dll").Select(reference => $"-r:{reference}")]);
        var framework = $"{version.Major}.{version.Minor}";
        File.WriteAllText(Path.Combine(directory, name + ".runtimeconfig.json"),
            "{\"runtimeOptions\":{\"tfm\":\"net" + framework + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + framework + ".0\"}}}");
        return output;
    }

    private static void Run(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {stdout.Result}{stderr}");
    }
}
