/* The program the ELF reader's tests compile: known functions, aliases of every binding, a local function,
   an IFUNC, so the symbol table's choices can be checked against readelf and nm. */
#include <stdio.h>

__attribute__((noinline)) int leaf_hot(int x) { for (int i = 0; i < 1000; i++) x = x * 31 + i; return x; }
__attribute__((noinline)) int leaf_cold(int x) { return x ^ 0x5a5a; }
__attribute__((noinline)) static int local_helper(int x) { return x * 7 + 3; }
__attribute__((noinline)) int mid(int x) { return leaf_hot(x) + leaf_cold(x) + local_helper(x); }
int mid_alias(int x) __attribute__((alias("mid")));
int weak_mid(int x) __attribute__((weak, alias("mid")));

static int picked_impl(int x) { return x + 1; }
static int (*resolve_picked(void))(int) { return picked_impl; }
int picked(int x) __attribute__((ifunc("resolve_picked")));

int main(int argc, char **argv) { (void)argv; printf("%d\n", mid(argc) + picked(argc)); return 0; }
