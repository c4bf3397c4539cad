using System.Collections.Immutable;
using Collector.Core.Model;
using Collector.Otlp;

namespace Collector.Host.Tests.Support;

/// <summary>
/// Generates samples/sample-profiles.jsonl, the recording the default pipeline replays until the eBPF receiver
/// exists. It is synthetic, seeded and therefore reproducible: three processes of an imagined shop (a .NET API
/// with JIT frames, PostgreSQL, an nginx worker) sampled at 19 Hz, 12 exports of 5 s each, every frame named,
/// with kernel frames below syscalls. A test regenerates it and fails when the committed file is stale.
/// </summary>
public static class SampleRecording
{
    public const string RelativePath = "samples/sample-profiles.jsonl";

    private const ulong Start = 1_763_700_000_000_000_000UL; // 2025-11-21T04:40:00Z, fixed for reproducibility
    private const long PeriodNanos = 1_000_000_000 / 19;

    public static IEnumerable<byte[]> Lines()
    {
        var random = new Random(20261121);
        var processes = Processes();
        for (var export = 0; export < 12; export++)
        {
            var time = Start + (ulong)export * 5_000_000_000UL;
            var batch = new ProfileBatch();
            foreach (var process in processes)
            {
                var profile = new Profile
                {
                    SampleType = Core.Model.ValueType.Samples,
                    PeriodType = Core.Model.ValueType.CpuNanoseconds,
                    Period = PeriodNanos,
                    TimeUnixNano = time,
                    DurationNano = 5_000_000_000UL,
                };
                var samples = new Dictionary<Stack, Sample>();
                var count = random.Next(process.MinSamples, process.MaxSamples);
                for (var i = 0; i < count; i++)
                {
                    var stack = process.Stacks[Pick(random, process.Weights)];
                    if (!samples.TryGetValue(stack, out var sample))
                    {
                        sample = new Sample(stack) { Attributes = [KeyValueAndUnit.Of("thread.id", process.Pid), KeyValueAndUnit.Of("thread.name", process.ThreadName)] };
                        samples.Add(stack, sample);
                        profile.Samples.Add(sample);
                    }
                    sample.TimestampsUnixNano.Add(time + (ulong)random.NextInt64(0, 5_000_000_000));
                }
                foreach (var sample in profile.Samples) sample.TimestampsUnixNano.Sort();
                batch.ResourceProfiles.Add(new ResourceProfiles
                {
                    Resource = new Resource
                    {
                        Attributes =
                        [
                            KeyValue.Of("process.pid", process.Pid),
                            KeyValue.Of("process.executable.name", process.Name),
                            KeyValue.Of("process.executable.path", process.Path),
                            KeyValue.Of("container.id", process.ContainerId),
                        ],
                    },
                    ScopeProfiles = [new ScopeProfiles { Scope = new InstrumentationScope { Name = "collector", Version = "sample" }, Profiles = [profile] }],
                });
            }
            yield return OtlpJson.Serialize(ModelToOtlp.ToRequest(batch));
        }
    }

    private static int Pick(Random random, int[] weights)
    {
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            if ((roll -= weights[i]) < 0) return i;
        }
        return weights.Length - 1;
    }

    private sealed record SampledProcess(int Pid, string Name, string Path, string ThreadName, string ContainerId, int MinSamples, int MaxSamples, Stack[] Stacks, int[] Weights);

    private static List<SampledProcess> Processes()
    {
        var kernel = new Mapping(0xffffffff81000000, 0xffffffff83000000, 0, "[kernel.kallsyms]");
        var libc = new Mapping(0x7f3a1c000000, 0x7f3a1c195000, 0x28000, "/usr/lib/x86_64-linux-gnu/libc.so.6", [KeyValueAndUnit.Of("process.executable.build_id.gnu", "c047672cae7964324658491e7dee26748ae5d2f8")]);
        var coreclr = new Mapping(0x7f3a20000000, 0x7f3a20500000, 0x1b0000, "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libcoreclr.so", [KeyValueAndUnit.Of("process.executable.build_id.gnu", "5b7e3a1c9d2f4e60a1b2c3d4e5f60718293a4b5c")]);
        var jit = new Mapping(0x7f3a40000000, 0x7f3a44000000, 0, "memfd:doublemapper (deleted)");
        var postgres = new Mapping(0x55d0c0000000, 0x55d0c0900000, 0x9a000, "/usr/lib/postgresql/15/bin/postgres", [KeyValueAndUnit.Of("process.executable.build_id.gnu", "8d1e4b7a2c6f9e03b5d8a1c4f7e2b9d6a3c0e5f1")]);
        var nginx = new Mapping(0x55e1a0000000, 0x55e1a0120000, 0x18000, "/usr/sbin/nginx", [KeyValueAndUnit.Of("process.executable.build_id.gnu", "2f9c6e3a8b1d4f7e0a5c9b2d6e1f4a8c3b7d0e92")]);

        var frames = new FrameFactory();
        Location K(string name, ulong address) => frames.Get(kernel, address, name, "kernel");
        Location N(Mapping mapping, string name, ulong address) => frames.Get(mapping, address, name, "native");
        Location D(string name, ulong address) => frames.Get(jit, address, name, "dotnet");
        Stack S(params Location[] leafFirst) => new([.. leafFirst]);

        var write = new[] { K("copy_user_enhanced_fast_string", 0xffffffff81a2c3e0), K("tcp_sendmsg_locked", 0xffffffff81c4d210), K("tcp_sendmsg", 0xffffffff81c4e500), K("sock_sendmsg", 0xffffffff81b90120), K("__sys_sendto", 0xffffffff81b93f40), K("do_syscall_64", 0xffffffff81e01a30), N(libc, "__send", 0x7f3a1c10e2a0) };
        var read = new[] { K("filemap_read", 0xffffffff812d7c10), K("ext4_file_read_iter", 0xffffffff8142a8b0), K("vfs_read", 0xffffffff813a1e20), K("ksys_read", 0xffffffff813a2b70), K("do_syscall_64", 0xffffffff81e01a30), N(libc, "__libc_pread64", 0x7f3a1c0fe310) };

        var apiMain = new[] { D("Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ProcessRequests", 0x7f3a40012340), N(coreclr, "CallDescrWorkerInternal", 0x7f3a20145a10), N(libc, "start_thread", 0x7f3a1c094b50) };
        Stack Api(params Location[] top) => S([.. top, .. apiMain]);
        var checkout = D("Shop.Api.Controllers.CheckoutController.PlaceOrder", 0x7f3a40031a80);
        var pricing = D("Shop.Pricing.DiscountEngine.Apply", 0x7f3a40033c20);
        var serialize = D("System.Text.Json.JsonSerializer.Serialize", 0x7f3a40021b00);
        var api = new SampledProcess(4242, "Shop.Api", "/app/Shop.Api", ".NET TP Worker", "3f2b1c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c", 60, 95,
        [
            Api(D("Shop.Pricing.DiscountEngine.ComputeTieredRate", 0x7f3a40034e10), pricing, checkout),
            Api(pricing, checkout),
            Api(D("System.Collections.Generic.Dictionary`2.FindValue", 0x7f3a40028f40), pricing, checkout),
            Api(D("System.Text.Json.Utf8JsonWriter.WriteStringValue", 0x7f3a40022d90), serialize, checkout),
            Api(serialize, checkout),
            Api(N(coreclr, "WKS::gc_heap::mark_object_simple", 0x7f3a20233f10), N(coreclr, "WKS::gc_heap::garbage_collect", 0x7f3a20230c00), checkout),
            Api([.. write, D("System.Net.Sockets.Socket.Send", 0x7f3a40040a20), checkout]),
        ],
        [30, 14, 9, 12, 6, 8, 11]);

        var pgMain = new[] { N(postgres, "PostgresMain", 0x55d0c02a8e10), N(postgres, "BackendRun", 0x55d0c0261c40), N(postgres, "ServerLoop", 0x55d0c025f8a0), N(postgres, "main", 0x55d0c00e1e20), N(libc, "__libc_start_call_main", 0x7f3a1c029d90) };
        Stack Pg(params Location[] top) => S([.. top, .. pgMain]);
        var exec = N(postgres, "ExecutorRun", 0x55d0c01d6c70);
        var pg = new SampledProcess(1187, "postgres", "/usr/lib/postgresql/15/bin/postgres", "postgres", "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d", 30, 50,
        [
            Pg(N(postgres, "hash_search_with_hash_value", 0x55d0c0601e90), N(postgres, "ExecHashJoin", 0x55d0c01f3a40), exec),
            Pg(N(postgres, "slot_deform_heap_tuple", 0x55d0c01b8d20), N(postgres, "ExecScan", 0x55d0c01e9b10), exec),
            Pg(N(postgres, "pg_qsort", 0x55d0c0641c70), N(postgres, "ExecSort", 0x55d0c0205f30), exec),
            Pg([.. read, N(postgres, "FileRead", 0x55d0c04a7e50), N(postgres, "ReadBuffer_common", 0x55d0c04b1a60), exec]),
        ],
        [10, 8, 5, 6]);

        var ngMain = new[] { N(nginx, "ngx_process_events_and_timers", 0x55e1a0043f60), N(nginx, "ngx_worker_process_cycle", 0x55e1a004fe10), N(nginx, "main", 0x55e1a001fb90) };
        Stack Ng(params Location[] top) => S([.. top, .. ngMain]);
        var web = new SampledProcess(873, "nginx", "/usr/sbin/nginx", "nginx", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b", 10, 25,
        [
            Ng([.. write, N(nginx, "ngx_linux_sendfile_chain", 0x55e1a0061a10), N(nginx, "ngx_http_write_filter", 0x55e1a00795c0)]),
            Ng(N(nginx, "ngx_http_parse_request_line", 0x55e1a0068c20), N(nginx, "ngx_http_process_request_line", 0x55e1a006d5a0)),
            Ng(N(nginx, "ngx_http_gzip_body_filter", 0x55e1a00a3e70), N(nginx, "ngx_http_output_filter", 0x55e1a00702d0)),
        ],
        [9, 5, 4]);
        return [api, pg, web];
    }

    /// <summary>One location per (mapping, address), so identical frames are one entity as a symbolizer would produce.</summary>
    private sealed class FrameFactory
    {
        private readonly Dictionary<(Mapping, ulong), Location> _locations = [];

        public Location Get(Mapping mapping, ulong address, string name, string frameType)
        {
            if (_locations.TryGetValue((mapping, address), out var location)) return location;
            var function = new Function(name, name, mapping.Filename);
            location = new Location(mapping, address, [new Line(function)], [KeyValueAndUnit.Of("profile.frame.type", frameType)]);
            _locations.Add((mapping, address), location);
            return location;
        }
    }
}
