/* mem.c — loads and stores of every width (lb lh lw ld lbu lhu lwu, sb sh sw sd, and the
 * FP transfers flw fld fsw fsd) with sign/zero extension, positive and negative
 * immediate offsets, every misalignment 0..7 and accesses straddling a page boundary.
 * Linux user mode lets misaligned accesses succeed (hardware or kernel emulation), so
 * the emulator must too. Expected values are built byte by byte in C (little-endian). */
#include "rt.h"

static unsigned char pages[3 * 4096] __attribute__((aligned(4096)));

#define LD(op, p, off)                                                                 \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(op " %0,%2(%1)" : "=r"(_d) : "r"(p), "i"(off) : "memory");    \
        _d;                                                                            \
    })
#define ST(op, p, off, v)                                                              \
    __asm__ volatile(op " %1,%2(%0)" : : "r"(p), "r"((u64)(v)), "i"(off) : "memory")
/* FP load then move the raw 64-bit register image out (shows NaN boxing of flw). */
#define FLD(op, p)                                                                     \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(op " ft0,0(%1)\n fmv.x.d %0,ft0" : "=r"(_d) : "r"(p) : "ft0", "memory"); \
        _d;                                                                            \
    })
#define FST(op, p, v)                                                                  \
    __asm__ volatile("fmv.d.x ft0,%1\n " op " ft0,0(%0)" : : "r"(p), "r"((u64)(v)) : "ft0", "memory")

/* Reference little-endian load of n bytes, optionally sign-extended. */
static u64 ref_load(const unsigned char *p, int n, int sign)
{
    u64 v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    if (sign && n < 8 && (v >> (8 * n - 1)) & 1)
        v |= ~0ull << (8 * n);
    return v;
}

static void fill(unsigned char *p, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(0x81 + i * 0x13); /* many bytes have bit 7 set */
}

static void name_off(char *buf, const char *op, int off, const char *suffix)
{
    int i = 0;
    while (*op)
        buf[i++] = *op++;
    buf[i++] = ' ';
    buf[i++] = '+';
    buf[i++] = (char)('0' + off);
    while (*suffix)
        buf[i++] = *suffix++;
    buf[i] = 0;
}

static void loads_at(unsigned char *base, const char *where)
{
    char nm[64];
    for (int off = 0; off < 8; off++) {
        unsigned char *p = base + off;
        name_off(nm, "lb", off, where);  check(nm, LD("lb", p, 0), ref_load(p, 1, 1));
        name_off(nm, "lbu", off, where); check(nm, LD("lbu", p, 0), ref_load(p, 1, 0));
        name_off(nm, "lh", off, where);  check(nm, LD("lh", p, 0), ref_load(p, 2, 1));
        name_off(nm, "lhu", off, where); check(nm, LD("lhu", p, 0), ref_load(p, 2, 0));
        name_off(nm, "lw", off, where);  check(nm, LD("lw", p, 0), ref_load(p, 4, 1));
        name_off(nm, "lwu", off, where); check(nm, LD("lwu", p, 0), ref_load(p, 4, 0));
        name_off(nm, "ld", off, where);  check(nm, LD("ld", p, 0), ref_load(p, 8, 0));
        name_off(nm, "flw", off, where);
        check(nm, FLD("flw", p), 0xffffffff00000000ull | ref_load(p, 4, 0));
        name_off(nm, "fld", off, where); check(nm, FLD("fld", p), ref_load(p, 8, 0));
    }
}

/* Store V with OP at base+off into a zeroed 16-byte window, then check the window. */
#define STORE_CASE(op, n, isfp)                                                        \
    do {                                                                               \
        for (int off = 0; off < 8; off++) {                                            \
            unsigned char *p = base + off, exp[24];                                    \
            for (int i = 0; i < 24; i++)                                               \
                base[i - 8] = exp[i] = (unsigned char)(0xa5 ^ i);                      \
            for (int i = 0; i < n; i++)                                                \
                exp[8 + off + i] = (unsigned char)(val >> (8 * i));                    \
            if (isfp)                                                                  \
                FST(op, p, val);                                                       \
            else                                                                       \
                ST(op, p, 0, val);                                                     \
            name_off(nm, op, off, where);                                              \
            check(nm, ref_load(base, 8, 0) ^ ref_load(base + 8, 8, 0) * 3, /* digest */ \
                  ref_load(exp + 8, 8, 0) ^ ref_load(exp + 16, 8, 0) * 3);              \
            int same = 1;                                                              \
            for (int i = 0; i < 24; i++)                                               \
                same &= base[i - 8] == exp[i];                                         \
            if (!same)                                                                 \
                check("  window bytes match", 0, 1);                                   \
        }                                                                              \
    } while (0)

static void stores_at(unsigned char *base, const char *where)
{
    char nm[64];
    const u64 val = 0x8877665544332211ull;
    STORE_CASE("sb", 1, 0);
    STORE_CASE("sh", 2, 0);
    STORE_CASE("sw", 4, 0);
    STORE_CASE("sd", 8, 0);
    STORE_CASE("fsw", 4, 1);
    STORE_CASE("fsd", 8, 1);
}

int main(void)
{
    fill(pages, sizeof pages);

    group("loads, aligned and misaligned");
    loads_at(pages + 64, "");
    group("loads straddling a page boundary");
    loads_at(pages + 4096 - 7, " (page-7)");

    group("load immediate offsets");
    {
        unsigned char *p = pages + 2048;
        check("lw -4", LD("lw", p, -4), ref_load(p - 4, 4, 1));
        check("ld -2048", LD("ld", p, -2048), ref_load(p - 2048, 8, 0));
        check("lhu 2047", LD("lhu", p, 2047), ref_load(p + 2047, 2, 0));
        check("lb -1", LD("lb", p, -1), ref_load(p - 1, 1, 1));
    }
    group("sign/zero extension edge values");
    {
        static u64 w[2] __attribute__((aligned(16)));
        w[0] = 0x0000000080008080ull;
        w[1] = 0x7fffffff7fff7f7full;
        check("lb 0x80", LD("lb", w, 0), 0xffffffffffffff80ull);
        check("lbu 0x80", LD("lbu", w, 0), 0x80);
        check("lh 0x8080", LD("lh", w, 0), 0xffffffffffff8080ull);
        check("lhu 0x8080", LD("lhu", w, 0), 0x8080);
        check("lw 0x80008080", LD("lw", w, 0), 0xffffffff80008080ull);
        check("lwu 0x80008080", LD("lwu", w, 0), 0x80008080ull);
        check("lb 0x7f", LD("lb", w, 8), 0x7f);
        check("lh 0x7f7f", LD("lh", w, 8), 0x7f7f);
        check("lw 0x7fff7f7f", LD("lw", w, 8), 0x7fff7f7f);
        check("ld", LD("ld", w, 8), 0x7fffffff7fff7f7full);
    }

    group("stores, aligned and misaligned");
    stores_at(pages + 256, "");
    group("stores straddling a page boundary");
    stores_at(pages + 2 * 4096 - 12, " (page-4)");

    group("store immediate offsets");
    {
        static u64 w[4] __attribute__((aligned(16)));
        unsigned char *p = (unsigned char *)&w[2];
        ST("sd", p, -16, 0x1122334455667788ull);
        ST("sw", p, -4, 0xdeadbeefcafef00dull);
        ST("sh", p, 1, 0xffffffffffff1234ull);
        ST("sb", p, 15, 0xabull);
        check("sd -16", w[0], 0x1122334455667788ull);
        check("sw -4", w[1], 0xcafef00d00000000ull);
        check("sh +1", w[2], 0x0000000000123400ull);
        check("sb +15", w[3], 0xab00000000000000ull);
    }
    return 0;
}
