/* Bench kernel: sorting 64-bit keys with libc qsort (indirect calls, branchy
 * compares) and with an LSD radix sort (streaming loads/stores, histograms).
 * Argument: number of rounds, each sorting 32768 keys both ways; the two results
 * must agree. */
#include <string.h>

#include "common.h"

enum { N = 32768 };
static uint64_t keys[N], a[N], b[N], tmp[N];

static int cmp_u64(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return p < q ? -1 : p > q;
}

static void radix_sort(uint64_t *v, uint64_t *scratch, size_t n)
{
    for (int shift = 0; shift < 64; shift += 16) {
        static size_t count[65536 + 1];
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[((v[i] >> shift) & 0xffff) + 1]++;
        for (size_t i = 1; i <= 65536; i++)
            count[i] += count[i - 1];
        for (size_t i = 0; i < n; i++)
            scratch[count[(v[i] >> shift) & 0xffff]++] = v[i];
        memcpy(v, scratch, n * sizeof *v);
    }
}

int main(int argc, char **argv)
{
    long rounds = bench_iterations(argc, argv, 80);
    uint64_t s = 7, sum = 0;
    for (long r = 0; r < rounds; r++) {
        for (size_t i = 0; i < N; i++)
            keys[i] = bench_rand(&s) >> (r % 3 * 8);   /* vary the key range */
        memcpy(a, keys, sizeof keys);
        memcpy(b, keys, sizeof keys);
        qsort(a, N, sizeof a[0], cmp_u64);
        radix_sort(b, tmp, N);
        if (memcmp(a, b, sizeof a) != 0) {
            printf("sort: qsort and radix sort disagree\n");
            return 1;
        }
        for (size_t i = 0; i < N; i += 97)
            sum = bench_mix(sum, a[i] ^ i);
    }
    return bench_report("sort", sum);
}
