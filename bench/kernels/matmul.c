/* Bench kernel: dense double-precision matrix multiply (i-k-j loop order), the
 * FP load/multiply/add throughput case. Built with -ffp-contract=off on both
 * architectures so riscv64 does not fuse into fmadd.d and results stay bit-identical
 * with x86-64. Argument: repetitions of a 96x96 product. */
#include <string.h>

#include "common.h"

enum { N = 96 };
static double a[N][N], b[N][N], c[N][N];

int main(int argc, char **argv)
{
    long reps = bench_iterations(argc, argv, 1100);
    uint64_t s = 12345;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)(bench_rand(&s) % 2001) / 1000.0 - 1.0;
            b[i][j] = (double)(bench_rand(&s) % 2001) / 1000.0 - 1.0;
        }
    uint64_t sum = 0;
    for (long r = 0; r < reps; r++) {
        memset(c, 0, sizeof c);
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++) {
                double aik = a[i][k];
                for (int j = 0; j < N; j++)
                    c[i][j] += aik * b[k][j];
            }
        /* Feed the result back so no repetition can be skipped. */
        a[r % N][(r * 7) % N] = c[(r * 3) % N][(r * 5) % N] * 0.5;
        uint64_t bits;
        memcpy(&bits, &c[r % N][(r * 11) % N], sizeof bits);
        sum = bench_mix(sum, bits);
    }
    return bench_report("matmul", sum);
}
