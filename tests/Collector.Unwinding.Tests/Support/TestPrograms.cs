namespace Collector.Unwinding.Tests.Support;

/// <summary>Sources of the programs the tests compile: each exercises a different shape of call-frame information.</summary>
internal static class TestPrograms
{
    /// <summary>Three levels deep plus calls into libc; a variable-length array gives a function an RBP-based CFA.</summary>
    public const string DeepC = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        static int compare(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
        __attribute__((noinline)) int leaf(int *values, int count) {
            qsort(values, count, sizeof *values, compare);
            int sum = 0;
            for (int i = 0; i < count; i++) sum += values[i] * (i | 1);
            return sum;
        }
        __attribute__((noinline)) int middle(int count) {
            int values[count];
            for (int i = 0; i < count; i++) values[i] = rand();
            return leaf(values, count) + (int)strlen((const char *)values);
        }
        __attribute__((noinline)) long outer(int rounds) {
            long a = 0, b = 1, c = 2, d = 3, e = 4;
            for (int i = 0; i < rounds; i++) {
                a += middle(i % 64 + 1); b ^= a; c += b * 3; d -= c; e += d ^ a;
            }
            return a + b + c + d + e;
        }
        int main(int argc, char **argv) { printf("%ld\n", outer(argc * 1000)); return 0; }
        """;

    /// <summary>C++ with exceptions: 'zPLR' CIEs with a personality routine and LSDA pointers.</summary>
    public const string ExceptionsCpp = """
        #include <cstdio>
        #include <stdexcept>
        #include <string>
        #include <vector>
        __attribute__((noinline)) int thrower(int n) {
            std::vector<std::string> keep(n % 7 + 1, std::string(40, 'x'));
            if (n % 3 == 0) throw std::runtime_error("multiple of three: " + keep[0]);
            return (int)keep.size();
        }
        __attribute__((noinline)) int catcher(int n) {
            try { return thrower(n); } catch (const std::exception &e) { return (int)std::string(e.what()).size(); }
        }
        int main(int argc, char **) { int total = 0; for (int i = 0; i < argc * 100; i++) total += catcher(i); std::printf("%d\n", total); }
        """;

    /// <summary>
    /// Hand-written CFI covering the instructions compilers rarely emit, through .cfi_escape: remember/restore state,
    /// advance_loc2/4 (by skipping code), def_cfa_sf, def_cfa_offset_sf, offset_extended_sf, val_offset, register,
    /// same_value, undefined, GNU_args_size, GNU_negative_offset_extended, expression, restore_extended, and a signal frame.
    /// </summary>
    public const string OpcodesC = """
        asm(".text\n"
            ".globl opcodes\n.type opcodes,@function\nopcodes:\n"
            ".cfi_startproc\n"
            "push %rbp\n.cfi_adjust_cfa_offset 8\n.cfi_rel_offset %rbp, 0\n"
            "mov %rsp, %rbp\n.cfi_def_cfa_register %rbp\n"
            ".cfi_remember_state\n"
            ".skip 100, 0x90\n"
            ".cfi_escape 0x0e, 0x10\n"                  /* def_cfa_offset 16, after advance_loc1 */
            ".skip 300, 0x90\n"
            ".cfi_escape 0x12, 0x07, 0x7e\n"            /* def_cfa_sf rsp, -2 * -8 = 16 */
            ".skip 70000, 0x90\n"
            ".cfi_escape 0x13, 0x7d\n"                  /* def_cfa_offset_sf -3 * -8 = 24 */
            "nop\n"
            ".cfi_escape 0x11, 0x06, 0x7d\n"            /* offset_extended_sf rbp at cfa-24 */
            "nop\n"
            ".cfi_escape 0x2e, 0x10\n"                  /* GNU_args_size 16 */
            "nop\n"
            ".cfi_escape 0x2f, 0x06, 0x02\n"            /* GNU_negative_offset_extended rbp at cfa+16 */
            "nop\n"
            ".cfi_escape 0x14, 0x06, 0x01\n"            /* val_offset rbp = cfa-8: not representable */
            "nop\n"
            ".cfi_register %rbp, %rbx\n"
            "nop\n"
            ".cfi_same_value %rbp\n"
            "nop\n"
            ".cfi_escape 0x10, 0x06, 0x02, 0x77, 0x00\n" /* expression rbp = [rsp+0] */
            "nop\n"
            ".cfi_escape 0x06, 0x06\n"                  /* restore_extended rbp (CIE: unchanged) */
            "nop\n"
            ".cfi_escape 0x0c, 0x03, 0x08\n"            /* def_cfa rbx+8: not representable */
            "nop\n"
            ".cfi_restore_state\n"
            "pop %rbp\n.cfi_def_cfa %rsp, 8\n.cfi_same_value %rbp\n"
            "ret\n"
            ".cfi_endproc\n.size opcodes, .-opcodes\n"
            ".globl outermost\n.type outermost,@function\noutermost:\n"
            ".cfi_startproc\n.cfi_undefined %rip\n"
            "nop\nret\n.cfi_endproc\n.size outermost, .-outermost\n"
            ".globl trampoline\n.type trampoline,@function\n"
            "nop\n"
            "trampoline:\n"
            ".cfi_startproc\n.cfi_signal_frame\n"
            "nop\nnop\nret\n.cfi_endproc\n.size trampoline, .-trampoline\n");
        void opcodes(void); void outermost(void); void trampoline(void);
        int main(int argc, char **argv) { if (argc > 5) { opcodes(); outermost(); trampoline(); } return 0; }
        """;
}
