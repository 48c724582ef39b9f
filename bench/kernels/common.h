/* Shared by the bench kernels: argument parsing and the checksum line.
 * Invariants: every kernel is deterministic, uses only fixed-width unsigned types for
 * data (riscv64 `char` is unsigned, x86-64's is signed), and prints exactly one line
 * "NAME: <hex checksum>" so rvx bench can compare engines and architectures. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Iteration count from argv[1] (the harness scales it; see bench/README.md). */
static inline long bench_iterations(int argc, char **argv, long fallback)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : fallback;
    return n > 0 ? n : 1;
}

/* xorshift64: the same pseudo-random data on every architecture. */
static inline uint64_t bench_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static inline uint64_t bench_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

static inline int bench_report(const char *name, uint64_t checksum)
{
    printf("%s: %016llx\n", name, (unsigned long long)checksum);
    return 0;
}

#endif
