/* A libc-free program for cross targets (32-bit, big-endian): no headers, no startup files. */
__attribute__((noinline)) int f1(int x) { return x * 2; }
__attribute__((noinline)) int f2(int x) { return f1(x) + 1; }
void _start(void) { f2(3); for (;;) { } }
