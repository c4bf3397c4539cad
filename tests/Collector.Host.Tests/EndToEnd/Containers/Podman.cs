using System.Diagnostics;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd.Containers;

/// <summary>
/// Real containers for the deployment tests: podman with runc, images built here (there is no registry), and the
/// collector's image from the Containerfile with the Native AOT executable ./run.sh publishes.
/// <para>podman runs with a containers.conf of the tests' own (CONTAINERS_CONF), so no system file is edited: runc
/// (crun refuses this kind of host's hybrid cgroups) and no default ulimits (podman's default nproc limit is refused
/// by hosts whose own limits are lower and that lack CAP_SYS_RESOURCE).</para>
/// </summary>
internal static class Podman
{
    public const string BaseImage = "localhost/collector-base:bookworm";
    public const string CollectorImage = "localhost/collector:e2e";

    /// <summary>The capabilities docs/deploy.md lists for an agent (what examples/*/podman-*.sh grant).</summary>
    public static readonly string[] AgentCapabilities = ["BPF", "PERFMON", "SYS_PTRACE", "DAC_READ_SEARCH", "CHECKPOINT_RESTORE", "SYSLOG"];

    private static readonly string StateDirectory = Path.Combine(Path.GetTempPath(), "collector-podman-tests");
    private static readonly SemaphoreSlim ImagesOnce = new(1, 1);
    private static bool _imagesReady;

    public static string ContainersConf => Path.Combine(StateDirectory, "containers.conf");

    /// <summary>The seccomp profile examples/seccomp-with-bpf.py derives from the system's default.</summary>
    public static string SeccompProfile => Path.Combine(StateDirectory, "seccomp.json");

    /// <summary>Skips (fails under CI=true) without root, podman, runc, debootstrap or the published collector.</summary>
    public static void Require()
    {
        ExternalTools.Require(Environment.IsPrivilegedProcess, "containers with eBPF need root (rootful podman)");
        ExternalTools.Require("podman", "podman");
        ExternalTools.Require("runc", "runc");
        ExternalTools.Require(File.Exists("/usr/share/containers/seccomp.json"), "podman's default seccomp profile /usr/share/containers/seccomp.json is missing (Debian package golang-github-containers-common)");
        var kind = Path.Combine(RepoPaths.Root, "artifacts", "collector", "build-kind");
        ExternalTools.Require(File.Exists(kind) && File.ReadAllText(kind).Trim() == "aot",
            "the image packs the Native AOT collector ./run.sh publishes into artifacts/collector (./test.sh publishes it first)");
    }

    /// <summary>The Debian base (built once with debootstrap and kept) and the collector image (rebuilt from the current executable).</summary>
    public static async Task EnsureImagesAsync(ITestOutputHelper log)
    {
        await ImagesOnce.WaitAsync();
        try
        {
            if (_imagesReady) return;
            Directory.CreateDirectory(StateDirectory);
            await File.WriteAllTextAsync(ContainersConf, "[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = \"runc\"\n");
            var profile = await ExternalTools.RunAsync(ExternalTools.SystemPython, [Path.Combine(RepoPaths.Root, "examples", "seccomp-with-bpf.py")]);
            Assert.True(profile.ExitCode == 0, profile.Error);
            await File.WriteAllTextAsync(SeccompProfile, profile.Output);

            if ((await TryAsync("image", "exists", BaseImage)).ExitCode != 0)
            {
                ExternalTools.Require("debootstrap", "debootstrap");
                var started = Stopwatch.GetTimestamp();
                var rootfs = Path.Combine(StateDirectory, "rootfs");
                if (Directory.Exists(rootfs)) Directory.Delete(rootfs, recursive: true);
                var debootstrap = await RunToolAsync("debootstrap", ["--variant=minbase", "bookworm", rootfs, "http://deb.debian.org/debian"], TimeSpan.FromMinutes(10));
                Assert.True(debootstrap.ExitCode == 0, debootstrap.Error);
                var import = await RunToolAsync("sh", ["-c", $"tar -C '{rootfs}' -c . | podman import - {BaseImage}"], TimeSpan.FromMinutes(5));
                Assert.True(import.ExitCode == 0, import.Error);
                Directory.Delete(rootfs, recursive: true);
                log.WriteLine($"built {BaseImage} with debootstrap in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
            }
            var build = Stopwatch.GetTimestamp();
            await RunAsync(TimeSpan.FromMinutes(10), "build", "-q", "-t", CollectorImage, "--build-arg", $"BASE={BaseImage}",
                "-f", Path.Combine(RepoPaths.Root, "Containerfile"), RepoPaths.Root);
            log.WriteLine($"built {CollectorImage} in {Stopwatch.GetElapsedTime(build).TotalSeconds:F1} s");
            _imagesReady = true;
        }
        finally
        {
            ImagesOnce.Release();
        }
    }

    /// <summary>Runs podman and returns its standard output, trimmed; fails the test when it fails.</summary>
    public static Task<string> RunAsync(params string[] arguments) => RunAsync(TimeSpan.FromMinutes(2), arguments);

    public static async Task<string> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var (code, output, error) = await RunToolAsync("podman", arguments, timeout);
        Assert.True(code == 0, $"podman {string.Join(' ', arguments)} exited {code}: {error}");
        return output.Trim();
    }

    public static Task<(int ExitCode, string Output, string Error)> TryAsync(params string[] arguments) =>
        RunToolAsync("podman", arguments, TimeSpan.FromMinutes(2));

    /// <summary>Everything the container wrote (the collector logs to standard error).</summary>
    public static async Task<string> LogsAsync(string container)
    {
        var (_, output, error) = await TryAsync("logs", container);
        return output + error;
    }

    public static async Task<string> InspectAsync(string container, string format) => await RunAsync("inspect", "--format", format, container);

    /// <summary>Removes containers and pods, ignoring those already gone.</summary>
    public static async Task RemoveAsync(string[] containers, string? pod = null)
    {
        foreach (var container in containers) await TryAsync("rm", "-f", "-t", "2", container);
        if (pod is not null) await TryAsync("pod", "rm", "-f", "-t", "2", pod);
    }

    /// <summary>A name no other test run uses.</summary>
    public static string UniqueName(string role) => $"collector-e2e-{role}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Arguments that run the collector image as the examples do: non-root, not privileged, only <paramref name="capabilities"/>.</summary>
    public static string[] CollectorSecurity(IEnumerable<string> capabilities)
    {
        var list = string.Join(',', capabilities);
        return list.Length == 0
            ? ["--cap-drop", "ALL", "--security-opt", $"seccomp={SeccompProfile}", "--security-opt", "no-new-privileges"]
            : ["--cap-drop", "ALL", "--cap-add", list, "--security-opt", $"seccomp={SeccompProfile}", "--security-opt", "no-new-privileges"];
    }

    private static Task<(int ExitCode, string Output, string Error)> RunToolAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout) =>
        ExternalTools.RunAsync(tool, arguments, stdin: null, new Dictionary<string, string> { ["CONTAINERS_CONF"] = ContainersConf }, timeout);
}
