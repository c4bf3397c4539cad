namespace Collector.Receivers.Tests.Ebpf.Python;

/// <summary>
/// Python scripts the CPython tests profile. Each prints one JSON line first: its pid, the address of each function's
/// code object (<c>id(code)</c>, which is what the kernel walk records) and each function's (start, end, line) bytecode
/// ranges, so a test can check frames and lines without a symbolizer. Then it works for argv[1] seconds.
/// </summary>
internal static class PythonWorkloads
{
    private const string Header = """
        import json, os, sys, threading, time

        def describe(*functions, **extra):
            codes = {f.__name__: id(f.__code__) for f in functions}
            lines = {f.__name__: [[s, e, l] for s, e, l in f.__code__.co_lines() if l is not None] for f in functions}
            print(json.dumps({"pid": os.getpid(), "codes": codes, "lines": lines, **extra}), flush=True)

        seconds = float(sys.argv[1])

        """;

    /// <summary>hot ← middle ← outer: nearly every sample is in hot's loop.</summary>
    public const string CallChain = Header + PythonCallChain.Functions + """


        describe(hot, middle, outer)
        outer(time.time() + seconds)
        """;

    /// <summary>Two threads, each in its own hot function; prints each thread's kernel thread id.</summary>
    public const string TwoThreads = Header + """
        def spin_a(deadline):
            total = 0
            while time.time() < deadline:
                for i in range(5000):
                    total += i
            return total

        def spin_b(deadline):
            total = 0
            while time.time() < deadline:
                for i in range(5000):
                    total -= i
            return total

        tids = {}
        def run(name, function, deadline):
            tids[name] = threading.get_native_id()
            function(deadline)

        deadline = time.time() + seconds
        threads = [threading.Thread(target=run, args=("spin_a", spin_a, deadline)), threading.Thread(target=run, args=("spin_b", spin_b, deadline))]
        for t in threads: t.start()
        while len(tids) < 2: time.sleep(0.001)
        describe(spin_a, spin_b, tids=tids)
        for t in threads: t.join()
        """;

    /// <summary>A Python caller of zlib.compress: the native compression code runs above it.</summary>
    public const string Compress = Header + """
        import zlib
        data = os.urandom(1 << 20)

        def compress_caller(deadline):
            while time.time() < deadline:
                zlib.compress(data, 9)

        describe(compress_caller)
        compress_caller(time.time() + seconds)
        """;

    /// <summary>
    /// A parent that starts short-lived children (1 s each) of the same interpreter; each child describes itself on the
    /// parent's standard output.
    /// </summary>
    public const string Children = Header + """
        import subprocess
        child = '''
        import json, os, sys, time
        def child_hot(deadline):
            total = 0
            while time.time() < deadline:
                for i in range(5000):
                    total += i
        print(json.dumps({"pid": os.getpid(), "codes": {"child_hot": id(child_hot.__code__)}}), flush=True)
        child_hot(time.time() + 1.0)
        '''
        describe()
        deadline = time.time() + seconds
        while time.time() < deadline:
            subprocess.run([sys.executable, "-c", child], check=True)
        """;
}
