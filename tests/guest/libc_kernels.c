/* libc_kernels.c — benchmark-like kernels on a real glibc static binary (full libc
 * startup: auxv, brk, TLS, IRELATIVE ifuncs): SHA-256 and CRC-32 of generated data, a
 * double-precision matrix multiply, a prime sieve, and libm functions; prints the results
 * with printf. Self-checks the values that are standard (SHA-256("abc"), CRC-32 of
 * "123456789", pi(10^6)); the rest are compared with qemu's stdout. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fails;
#define EXPECT(cond, what)                                                             \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            printf("FAIL: %s\n", what);                                                \
            fails++;                                                                   \
        }                                                                              \
    } while (0)

/* ---- SHA-256 (FIPS 180-4) ---- */
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, hh;
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void sha256(const unsigned char *msg, size_t n, char out[65])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = n / 64 * 64;
    for (size_t i = 0; i < full; i += 64)
        sha256_block(h, msg + i);
    unsigned char tail[128] = {0};
    size_t r = n - full, tl = r < 56 ? 64 : 128;
    memcpy(tail, msg + full, r);
    tail[r] = 0x80;
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++)
        tail[tl - 1 - i] = (unsigned char)(bits >> (8 * i));
    for (size_t i = 0; i < tl; i += 64)
        sha256_block(h, tail + i);
    for (int i = 0; i < 8; i++)
        sprintf(out + 8 * i, "%08x", h[i]);
}

/* ---- CRC-32 (IEEE, reflected) ---- */
static uint32_t crc32(const unsigned char *p, size_t n)
{
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    uint32_t c = 0xffffffffu;
    while (n--)
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

int main(void)
{
    /* Generated data: xorshift64 bytes. */
    size_t n = 1 << 20;
    unsigned char *data = malloc(n);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        data[i] = (unsigned char)x;
    }
    char hex[65];
    sha256((const unsigned char *)"abc", 3, hex);
    printf("sha256(abc) = %s\n", hex);
    EXPECT(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "sha256 abc");
    sha256(data, n, hex);
    printf("sha256(1 MiB xorshift) = %s\n", hex);
    printf("crc32(123456789) = %08x\n", crc32((const unsigned char *)"123456789", 9));
    EXPECT(crc32((const unsigned char *)"123456789", 9) == 0xcbf43926u, "crc32 check value");
    printf("crc32(1 MiB xorshift) = %08x\n", crc32(data, n));
    free(data);

    /* Matrix multiply in double. */
    enum { N = 96 };
    double *A = malloc(sizeof(double) * N * N), *B = malloc(sizeof(double) * N * N),
           *C = calloc(N * N, sizeof(double));
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i * N + j] = (double)((i * 7 + j * 3) % 17) / 8.0 - 1.0;
            B[i * N + j] = sin((double)(i + 2 * j)) * 0.5;
        }
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++)
            for (int j = 0; j < N; j++)
                C[i * N + j] += A[i * N + k] * B[k * N + j];
    double tr = 0, sum = 0;
    for (int i = 0; i < N; i++)
        tr += C[i * N + i];
    for (int i = 0; i < N * N; i++)
        sum += C[i];
    printf("matmul %dx%d: trace=%.17g sum=%.17g c[5][7]=%a\n", N, N, tr, sum, C[5 * N + 7]);
    free(A), free(B), free(C);

    /* Sieve of Eratosthenes. */
    int lim = 1000000, count = 0;
    char *comp = calloc(lim + 1, 1);
    long long psum = 0;
    for (int i = 2; i <= lim; i++) {
        if (comp[i])
            continue;
        count++;
        psum += i;
        for (long long j = (long long)i * i; j <= lim; j += i)
            comp[j] = 1;
    }
    free(comp);
    printf("primes <= %d: %d, sum %lld\n", lim, count, psum);
    EXPECT(count == 78498, "pi(10^6)");

    /* libm: results printed exactly (hex floats) so any difference shows. */
    double v[] = {0.5, 1.0, 2.0, 10.0, -3.25, 1e-5, 123456.789};
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
        double a = v[i];
        printf("x=%a exp=%a log=%a sin=%a cos=%a tan=%a atan2=%a pow=%a sqrt=%a cbrt=%a\n", a,
               exp(a), log(fabs(a)), sin(a), cos(a), tan(a), atan2(a, 1.5), pow(fabs(a), 1.37),
               sqrt(fabs(a)), cbrt(a));
    }
    printf("float: sinf=%a expf=%a logf=%a hypot=%a fma=%a floor=%a round=%a lrint=%ld\n",
           (double)sinf(0.7f), (double)expf(3.3f), (double)logf(7.0f), hypot(3.0, 4.0),
           fma(1.0 + 0x1p-30, 1.0 + 0x1p-30, -1.0), floor(-2.5), round(-2.5), lrint(2.5));
    EXPECT(hypot(3.0, 4.0) == 5.0, "hypot");
    EXPECT(fma(1.0 + 0x1p-30, 1.0 + 0x1p-30, -1.0) == 0x1.00000002p-29, "fma fused");
    printf("result: %s\n", fails ? "FAIL" : "ok");
    return fails ? 1 : 0;
}
