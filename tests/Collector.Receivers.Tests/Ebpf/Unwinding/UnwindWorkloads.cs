namespace Collector.Receivers.Tests.Ebpf.Unwinding;

/// <summary>Sources of the programs the unwinder tests compile: no frame pointers anywhere.</summary>
internal static class UnwindWorkloads
{
    /// <summary>main → worker_loop → run_batch → compress_block, with libc calls (memcpy, qsort with a callback) at each level.</summary>
    public const string C = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <time.h>

        static unsigned char buffer[1 << 16], copy[1 << 16];
        static volatile unsigned long sink;

        static double now(void)
        {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            return ts.tv_sec + ts.tv_nsec / 1e9;
        }

        static int compare(const void *a, const void *b)
        {
            return *(const unsigned char *)a - *(const unsigned char *)b;
        }

        __attribute__((noinline)) void compress_block(unsigned long n)
        {
            unsigned long x = sink;
            for (unsigned long i = 0; i < n; i++)
                x = x * 6364136223846793005UL + buffer[i & 0xffff];
            memcpy(copy, buffer, sizeof(buffer));
            sink = x;
        }

        __attribute__((noinline)) void run_batch(int round)
        {
            for (int i = 0; i < 8; i++)
                compress_block(20000);
            buffer[round & 0xffff] = (unsigned char)round;
            qsort(buffer, 4096, 1, compare);
        }

        __attribute__((noinline)) void worker_loop(double seconds)
        {
            double deadline = now() + seconds;
            int round = 0;
            while (now() < deadline)
                run_batch(round++);
        }

        int main(int argc, char **argv)
        {
            worker_loop(argc > 1 ? atof(argv[1]) : 1.0);
            printf("%lu\n", sink);
            return 0;
        }
        """;

    /// <summary>A loop that spins inside a SIGALRM handler: the stack must cross the signal frame.</summary>
    public const string Signal = """
        #include <signal.h>
        #include <stdlib.h>
        #include <sys/time.h>
        #include <time.h>

        static volatile unsigned long sink;
        static volatile int stop;

        /* Spins for 2 ms of the timer's 5, measured rather than counted: a fixed number of iterations that takes
           longer than 5 ms on a slower machine finds the next SIGALRM pending at every return, and the interrupted
           loop never runs again (a test here hung for 11 minutes that way). */
        __attribute__((noinline)) void spin_in_handler(void)
        {
            struct timespec start, now;
            clock_gettime(CLOCK_MONOTONIC, &start);
            do {
                for (unsigned long i = 0; i < 1000; i++)
                    sink = sink * 6364136223846793005UL + i;
                clock_gettime(CLOCK_MONOTONIC, &now);
            } while ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) < 2000000L);
        }

        __attribute__((noinline)) void on_alarm(int signal)
        {
            spin_in_handler();
            sink++; /* no tail call: on_alarm stays on the stack */
        }

        __attribute__((noinline)) void interrupted_loop(double seconds)
        {
            struct timespec start, now;
            clock_gettime(CLOCK_MONOTONIC, &start);
            do {
                for (int i = 0; i < 1000; i++)
                    sink += i;
                clock_gettime(CLOCK_MONOTONIC, &now);
            } while (now.tv_sec - start.tv_sec + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
        }

        int main(int argc, char **argv)
        {
            struct sigaction action = {0};
            action.sa_handler = on_alarm;
            sigaction(SIGALRM, &action, 0);
            struct itimerval timer = {{0, 5000}, {0, 5000}};
            setitimer(ITIMER_REAL, &timer, 0);
            interrupted_loop(argc > 1 ? atof(argv[1]) : 1.0);
            return 0;
        }
        """;

    /// <summary>
    /// Go: two goroutines hashing with crypto/sha256 (its assembly uses RBP as a data register, so the frame-pointer
    /// walk stops there) and sorting, until the deadline given in seconds.
    /// </summary>
    public const string Go = """
        package main

        import (
        	"crypto/sha256"
        	"fmt"
        	"os"
        	"sort"
        	"strconv"
        	"time"
        )

        //go:noinline
        func hashRounds(seed []byte, n int) [32]byte {
        	sum := sha256.Sum256(seed)
        	for i := 0; i < n; i++ {
        		sum = sha256.Sum256(sum[:])
        	}
        	return sum
        }

        //go:noinline
        func sortChunk(n int) int {
        	values := make([]int, n)
        	for i := range values {
        		values[i] = (i * 7919) % 10007
        	}
        	sort.Ints(values)
        	return values[n/2]
        }

        //go:noinline
        func worker(deadline time.Time, results chan<- int) {
        	total := 0
        	for time.Now().Before(deadline) {
        		h := hashRounds([]byte("seed"), 2000)
        		total += int(h[0]) + sortChunk(5000)
        	}
        	results <- total
        }

        func main() {
        	seconds, _ := strconv.ParseFloat(os.Args[1], 64)
        	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
        	results := make(chan int)
        	for i := 0; i < 2; i++ {
        		go worker(deadline, results)
        	}
        	fmt.Println(<-results + <-results)
        }
        """;

    /// <summary>Rust: a few non-inlined levels over std (iterators, a Vec) until the deadline given in seconds.</summary>
    public const string Rust = """
        use std::time::{Duration, Instant};

        #[inline(never)]
        fn mix(values: &mut Vec<u64>, round: u64) -> u64 {
            values.iter_mut().fold(round, |acc, v| { *v = v.wrapping_mul(6364136223846793005).wrapping_add(acc); *v ^ acc })
        }

        #[inline(never)]
        fn batch(values: &mut Vec<u64>, round: u64) -> u64 {
            (0..64).map(|i| mix(values, round + i)).fold(0, |a, b| a ^ b)
        }

        fn main() {
            let seconds: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1.0);
            let deadline = Instant::now() + Duration::from_secs_f64(seconds);
            let mut values: Vec<u64> = (0..4096).collect();
            let mut sink = 0u64;
            let mut round = 0u64;
            while Instant::now() < deadline {
                sink ^= batch(&mut values, round);
                round += 1;
            }
            println!("{}", sink);
        }
        """;

    /// <summary>C++: templates inlined deep, a virtual call, exceptions thrown and caught in the loop.</summary>
    public const string Cpp = """
        #include <cstdio>
        #include <cstdlib>
        #include <chrono>
        #include <stdexcept>
        #include <vector>

        static volatile unsigned long sink;

        template <int N> inline unsigned long fold(unsigned long x) { return fold<N - 1>(x * 6364136223846793005UL + N); }
        template <> inline unsigned long fold<0>(unsigned long x) { return x; }

        struct Stage { virtual ~Stage() = default; virtual unsigned long run(unsigned long) = 0; };
        struct Hash : Stage {
            __attribute__((noinline)) unsigned long run(unsigned long n) override {
                unsigned long x = sink;
                for (unsigned long i = 0; i < n; i++) x = fold<16>(x + i);
                if ((x & 0xff) == 0) throw std::runtime_error("unlucky");
                return x;
            }
        };

        __attribute__((noinline)) unsigned long pipeline(Stage &stage, unsigned long n)
        {
            try {
                return stage.run(n);
            } catch (const std::exception &) {
                return 1;
            }
        }

        int main(int argc, char **argv)
        {
            double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
            auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
            std::vector<Stage *> stages{new Hash()};
            while (std::chrono::steady_clock::now() < deadline)
                sink += pipeline(*stages[0], 20000);
            std::printf("%lu\n", (unsigned long)sink);
            return 0;
        }
        """;

    /// <summary>
    /// A program that sleeps a second, then dlopens a library (its path: the second argument) and spends the rest of
    /// its time in it: call_into_library → library_entry → library_middle → library_leaf. Prints the library's load
    /// base (dladdr) and a checksum.
    /// </summary>
    public const string DlopenHost = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <time.h>

        static volatile unsigned long sink;

        __attribute__((noinline)) void call_into_library(unsigned long (*entry)(double), double seconds)
        {
            sink += entry(seconds);
            sink++; /* no tail call: this frame stays on the stack */
        }

        int main(int argc, char **argv)
        {
            double seconds = atof(argv[1]);
            struct timespec pause = { 1, 0 };
            nanosleep(&pause, 0); /* the collector has read this process's maps by now: the library is new to it */
            void *library = dlopen(argv[2], RTLD_NOW);
            if (!library) {
                fprintf(stderr, "%s\n", dlerror());
                return 1;
            }
            unsigned long (*entry)(double) = (unsigned long (*)(double))dlsym(library, "library_entry");
            Dl_info info;
            if (!entry || !dladdr((void *)entry, &info))
                return 1;
            call_into_library(entry, seconds - 1);
            printf("%lx %lu\n", (unsigned long)info.dli_fbase, sink);
            return 0;
        }
        """;

    /// <summary>The library <see cref="DlopenHost"/> opens: two levels of its own below its entry point.</summary>
    public const string DlopenLibrary = """
        #include <time.h>

        static volatile unsigned long sink;

        static double now(void)
        {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            return ts.tv_sec + ts.tv_nsec / 1e9;
        }

        __attribute__((noinline)) static unsigned long library_leaf(unsigned long n)
        {
            unsigned long x = sink;
            for (unsigned long i = 0; i < n; i++)
                x = x * 6364136223846793005UL + i;
            return x;
        }

        __attribute__((noinline)) static unsigned long library_middle(unsigned long n)
        {
            unsigned long r = 0;
            for (int i = 0; i < 8; i++)
                r += library_leaf(n);
            return r + 1;
        }

        unsigned long library_entry(double seconds)
        {
            double deadline = now() + seconds;
            unsigned long r = 0;
            while (now() < deadline)
                r += library_middle(200000);
            return r;
        }
        """;

    /// <summary>
    /// A syscall-heavy loop: main → syscall_loop → read_zeros → read(2) of 1 MiB from /dev/zero, so most samples are
    /// taken in the kernel (clearing the user buffer) with the user stack below.
    /// </summary>
    public const string Syscalls = """
        #include <fcntl.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <time.h>
        #include <unistd.h>

        static char buffer[1 << 20];
        static volatile unsigned long sink;

        static double now(void)
        {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            return ts.tv_sec + ts.tv_nsec / 1e9;
        }

        __attribute__((noinline)) long read_zeros(int fd)
        {
            long n = read(fd, buffer, sizeof(buffer));
            sink += n > 0 ? (unsigned char)buffer[n - 1] + 1 : 0;
            return n;
        }

        __attribute__((noinline)) void syscall_loop(int fd, double seconds)
        {
            double deadline = now() + seconds;
            while (now() < deadline)
                for (int i = 0; i < 16; i++)
                    read_zeros(fd);
        }

        int main(int argc, char **argv)
        {
            int fd = open("/dev/zero", O_RDONLY);
            if (fd < 0)
                return 1;
            syscall_loop(fd, argc > 1 ? atof(argv[1]) : 1.0);
            printf("%lu\n", sink);
            return 0;
        }
        """;
}
