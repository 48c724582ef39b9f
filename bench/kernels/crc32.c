/* Bench kernel: CRC-32 (IEEE 802.3, reflected 0xEDB88320) with a slice-by-4 table
 * and, on a tenth of the data, the bitwise loop: byte loads, table lookups, shifts.
 * Argument: number of passes over a 256 KiB buffer. */
#include <string.h>

#include "common.h"

static uint32_t table[4][256];

static void make_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 4; t++)
            table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
}

static uint32_t crc32_slice4(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (; n >= 4; n -= 4, p += 4) {
        crc ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        crc = table[3][crc & 0xff] ^ table[2][(crc >> 8) & 0xff] ^ table[1][(crc >> 16) & 0xff] ^
              table[0][crc >> 24];
    }
    while (n--)
        crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
    return ~crc;
}

static uint32_t crc32_bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

enum { SIZE = 256 * 1024 };
static uint8_t buf[SIZE];

int main(int argc, char **argv)
{
    long passes = bench_iterations(argc, argv, 1200);
    make_tables();
    if (crc32_slice4(0, (const uint8_t *)"123456789", 9) != 0xcbf43926u) {
        printf("crc32: self-check failed\n");
        return 1;
    }
    uint64_t s = 99;
    for (size_t i = 0; i < SIZE; i++)
        buf[i] = (uint8_t)bench_rand(&s);
    uint64_t sum = 0;
    for (long i = 0; i < passes; i++) {
        uint32_t c = crc32_slice4((uint32_t)i, buf, SIZE);
        if (i % 10 == 0 && crc32_bitwise((uint32_t)i, buf, SIZE / 10) !=
                               crc32_slice4((uint32_t)i, buf, SIZE / 10)) {
            printf("crc32: bitwise and sliced disagree\n");
            return 1;
        }
        buf[i % SIZE] ^= (uint8_t)c;
        sum = bench_mix(sum, c);
    }
    return bench_report("crc32", sum);
}
