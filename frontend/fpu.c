/* fpu.c — RISC-V F/D semantics on top of the host FPU (API in fpu.h).
 *
 * Fastest path (RNE, normal-range operands, hardware fma available): the
 * host op in its default mode plus an exact error term for NX; no
 * environment switching at all (see "RNE fast paths" for why and when).
 *
 * Directed-mode path: RNE/RTZ/RDN/RUP exist on every IEEE host, so
 * add/sub/mul/div/sqrt/fma and fcvt.s.d run as the host's own instruction
 * inside a window where the host rounding mode is set and its sticky flags are
 * cleared; the host flags are then mapped to fflags.  On x86-64 the window is
 * two ldmxcsr/stmxcsr pairs (SSE only; x87 is never used); elsewhere <fenv.h>.
 *
 * Slow paths (fpu_soft.c, integer-only): RMM, which no host has; NaN results
 * (made canonical; fma's NaN flags follow RISC-V, not the host); and results
 * equal to ±min-normal with UF raised, where hosts that detect tininess before
 * rounding (AArch64) over-report UF — recomputing them in software makes the
 * flag correct on every host (on x86, which detects after rounding like
 * RISC-V, the recomputation agrees and is merely redundant).
 * Comparisons, min/max, fclass and float->int conversions are done on the
 * bits, since host instructions differ from RISC-V there (x86 cvt returns
 * 0x80000000 on overflow, min/max NaN rules, ...).
 *
 * Invariants:
 *  - Every host FP operation whose rounding or flags matter sits between
 *    host_begin() and host_end(), and its inputs and output pass through
 *    OPQ() barriers: gcc does not honour FENV_ACCESS, so the empty asm
 *    statements (volatile, hence ordered with the mode-switching asm) are
 *    what keeps the operation from being hoisted, sunk or constant-folded
 *    outside the window.
 *  - host_end() restores the caller's host environment exactly (x86); the
 *    fenv path restores the rounding mode and clears the sticky flags.
 *  - Subnormals are never flushed (MXCSR FTZ/DAZ are cleared in the window).
 */
/* gcc ignores (and warns about) this pragma; clang honours it */
#if defined(__clang__)
#pragma STDC FENV_ACCESS ON
#endif
#include "frontend/fpu.h"
#include "frontend/fpu_soft.h"

#include <fenv.h>
#include <math.h>
#include <string.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

#define MIN_NORMAL_S 0x00800000u
#define MIN_NORMAL_D 0x0010000000000000ull

static inline float f_of(uint32_t v) { float f; memcpy(&f, &v, 4); return f; }
static inline double d_of(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline uint32_t bits_f(float f) { uint32_t v; memcpy(&v, &f, 4); return v; }
static inline uint64_t bits_d(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }
static inline int nan_s(uint32_t v) { return (v & 0x7fffffffu) > 0x7f800000u; }
static inline int nan_d(uint64_t v) { return (v & ~(1ull << 63)) > 0x7ff0000000000000ull; }
static inline int snan_s(uint32_t v) { return nan_s(v) && !(v & 0x00400000u); }
static inline int snan_d(uint64_t v) { return nan_d(v) && !(v & 0x0008000000000000ull); }

/* ---------------------------------------------------------------- host env */

#if defined(__x86_64__) && !defined(FPU_FORCE_FENV)
/* MXCSR: flags in bits 0..5 (IE DE ZE OE UE PE), masks 7..12, RC 13..14. */
typedef uint32_t HostSave;
#define OPQ(v) __asm__ volatile("" : "+x"(v))

static inline HostSave host_begin(int rm)
{
    /* x86 RC: 0 nearest, 1 down, 2 up, 3 toward zero */
    static const uint32_t rc[4] = { 0u << 13, 3u << 13, 1u << 13, 2u << 13 };
    uint32_t saved, m = 0x1f80u | rc[rm];
    __asm__ volatile("stmxcsr %0" : "=m"(saved));
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
    return saved;
}

static inline uint32_t host_end(HostSave saved)
{
    /* index: MXCSR bits 0..5; DE (denormal operand) has no RISC-V meaning */
#define X(ie, ze, oe, ue, pe)                                                                 \
    ((ie) * RV_FFLAG_NV | (ze) * RV_FFLAG_DZ | (oe) * RV_FFLAG_OF | (ue) * RV_FFLAG_UF |     \
     (pe) * RV_FFLAG_NX)
#define ROW(i) X((i) & 1, ((i) >> 2) & 1, ((i) >> 3) & 1, ((i) >> 4) & 1, ((i) >> 5) & 1)
#define R8(i) ROW(i), ROW(i + 1), ROW(i + 2), ROW(i + 3), ROW(i + 4), ROW(i + 5), ROW(i + 6), ROW(i + 7)
    static const uint8_t map[64] = { R8(0), R8(8), R8(16), R8(24), R8(32), R8(40), R8(48), R8(56) };
#undef R8
#undef ROW
#undef X
    uint32_t cur;
    __asm__ volatile("stmxcsr %0" : "=m"(cur));
    __asm__ volatile("ldmxcsr %0" : : "m"(saved));
    return map[cur & 63];
}
#else
/* Portable path.  fesetround/feclearexcept are calls gcc treats as opaque,
 * but it may still move pure FP arithmetic across them: hence OPQ. */
typedef int HostSave;
#if defined(__aarch64__)
#define OPQ(v) __asm__ volatile("" : "+w"(v))
#else
#define OPQ(v) __asm__ volatile("" : "+m"(v))
#endif

static inline HostSave host_begin(int rm)
{
    static const int mode[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };
    HostSave saved = fegetround();
    fesetround(mode[rm]);
    feclearexcept(FE_ALL_EXCEPT);
    return saved;
}

static inline uint32_t host_end(HostSave saved)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    uint32_t f = 0;
    fesetround(saved);
    /* the caller's sticky flags are not preserved on this path: clearing is
     * what the C library offers cheaply, and nothing in rvx reads them */
    feclearexcept(FE_ALL_EXCEPT);
    if (e & FE_INVALID)   f |= RV_FFLAG_NV;
    if (e & FE_DIVBYZERO) f |= RV_FFLAG_DZ;
    if (e & FE_OVERFLOW)  f |= RV_FFLAG_OF;
    if (e & FE_UNDERFLOW) f |= RV_FFLAG_UF;
    if (e & FE_INEXACT)   f |= RV_FFLAG_NX;
    return f;
}
#endif


/* ------------------------------------------------------ RNE fast paths */

/* Why: on x86 an ldmxcsr ... op ... stmxcsr window serialises the pipeline
 * (~40 ns per op measured), so for RNE, by far the common mode, we run the
 * op in the host's default mode (round-to-nearest: see fpu.h) without
 * touching the environment and derive NX from an error-free transformation
 * (TwoSum, or the exact fma remainder) instead of host flags.  Each path
 * only accepts inputs/results in a range where the transformation is exact
 * and where UF, OF, DZ and NV cannot occur; everything else (NaN, inf, zero,
 * tiny or huge) returns 0 and takes the general path.
 * Single precision runs in double: double rounding is innocuous for
 * + - * / sqrt since 53 >= 2*24+2 (Figueroa), and fma checks for the one
 * bad case (a double result exactly on a single midpoint). */
#if defined(__x86_64__)
#define FMA_TARGET __attribute__((target("fma")))
#define HAVE_HOST_FMA() __builtin_cpu_supports("fma")
#elif defined(__FP_FAST_FMA) && defined(__FP_FAST_FMAF)
#define FMA_TARGET
#define HAVE_HOST_FMA() 1
#else
#define FMA_TARGET
#define HAVE_HOST_FMA() 0
#endif
#if defined(__x86_64__)
/* inline asm: also sidesteps gcc's errno call for negative inputs */
#define HOST_SQRT_S(x) __asm__("sqrtss %1, %0" : "=x"(x) : "x"(x))
#define HOST_SQRT_D(x) __asm__("sqrtsd %1, %0" : "=x"(x) : "x"(x))
#else
#define HOST_SQRT_S(x) (x = __builtin_sqrtf(x))
#define HOST_SQRT_D(x) (x = __builtin_sqrt(x))
#endif

static inline unsigned ef_s(uint32_t v) { return (v >> 23) & 0xff; }
static inline unsigned ef_d(uint64_t v) { return (v >> 52) & 0x7ff; }

/* Exact double d (or inexact if !d_exact) rounded to single. */
static inline int rne_s_from_d(double d, int d_exact, uint32_t *out, uint32_t *fflags)
{
    float r = (float)d;
    uint32_t rb = bits_f(r);
    unsigned e = ef_s(rb);
    /* zero/subnormal/min-normal (maybe tiny), inf/NaN: general path */
    if (e == 0 || e == 0xff || (rb & 0x7fffffffu) == MIN_NORMAL_S)
        return 0;
    if (!d_exact || (double)r != d)
        *fflags |= RV_FFLAG_NX;
    *out = rb;
    return 1;
}

/* TwoSum error of s = RN(x + y): exact in round-to-nearest without overflow */
static inline double two_sum_err(double x, double y, double s)
{
    double bb = s - x;
    return (x - (s - bb)) + (y - bb);
}

FMA_TARGET static int rne_add_s(uint32_t a, uint32_t b, uint32_t *out, uint32_t *fflags)
{
    double x = f_of(a), y = f_of(b), d = x + y;
    return rne_s_from_d(d, two_sum_err(x, y, d) == 0, out, fflags);
}

FMA_TARGET static int rne_mul_s(uint32_t a, uint32_t b, uint32_t *out, uint32_t *fflags)
{
    double d = (double)f_of(a) * (double)f_of(b); /* 48-bit product: exact */
    return rne_s_from_d(d, 1, out, fflags);
}

FMA_TARGET static int rne_div_s(uint32_t a, uint32_t b, uint32_t *out, uint32_t *fflags)
{
    double x = f_of(a), y = f_of(b), d = x / y;
    /* single operands are far from double underflow: remainder is exact */
    return rne_s_from_d(d, __builtin_fma(-d, y, x) == 0, out, fflags);
}

FMA_TARGET static int rne_sqrt_s(uint32_t a, uint32_t *out, uint32_t *fflags)
{
    double x = f_of(a), d = x;
    HOST_SQRT_D(d);
    return rne_s_from_d(d, __builtin_fma(-d, d, x) == 0, out, fflags);
}

FMA_TARGET static int rne_fma_s(uint32_t a, uint32_t b, uint32_t c, uint32_t *out, uint32_t *fflags)
{
    double p = (double)f_of(a) * (double)f_of(b), z = f_of(c), d = p + z;
    double t = two_sum_err(p, z, d); /* a*b + c == d + t exactly */
    /* d exactly halfway between two singles with t != 0: the sign of t
     * decides, which RN of d cannot see */
    if (t != 0 && (bits_d(d) & 0x1fffffffu) == 0x10000000u)
        return 0;
    return rne_s_from_d(d, t == 0, out, fflags);
}

FMA_TARGET static int rne_add_d(uint64_t a, uint64_t b, uint64_t *out, uint32_t *fflags)
{
    double x = d_of(a), y = d_of(b), s = x + y;
    uint64_t r = bits_d(s);
    /* operands below 2^1023 keep TwoSum free of spurious overflow; a
     * normal sum cannot be tiny; zero/subnormal/inf/NaN go the long way */
    if (ef_d(a) >= 0x7fe || ef_d(b) >= 0x7fe || ef_d(r) - 1u >= 0x7fdu)
        return 0;
    if (two_sum_err(x, y, s) != 0)
        *fflags |= RV_FFLAG_NX;
    *out = r;
    return 1;
}

FMA_TARGET static int rne_mul_d(uint64_t a, uint64_t b, uint64_t *out, uint32_t *fflags)
{
    double x = d_of(a), y = d_of(b), p = x * y;
    uint64_t r = bits_d(p);
    /* |p| >= 2^-959: the product error is representable and p not tiny */
    if (ef_d(r) - 0x40u >= 0x7ffu - 0x40u)
        return 0;
    if (__builtin_fma(x, y, -p) != 0)
        *fflags |= RV_FFLAG_NX;
    *out = r;
    return 1;
}

FMA_TARGET static int rne_div_d(uint64_t a, uint64_t b, uint64_t *out, uint32_t *fflags)
{
    double x = d_of(a), y = d_of(b), q = x / y;
    uint64_t r = bits_d(q);
    /* |q|, |a| >= 2^-959: the remainder a - q*b is representable */
    if (ef_d(r) - 0x40u >= 0x7ffu - 0x40u || ef_d(a) < 0x40)
        return 0;
    if (__builtin_fma(-q, y, x) != 0)
        *fflags |= RV_FFLAG_NX;
    *out = r;
    return 1;
}

FMA_TARGET static int rne_sqrt_d(uint64_t a, uint64_t *out, uint32_t *fflags)
{
    double x = d_of(a), q = x;
    if (ef_d(a) - 0x40u >= 0x7ffu - 0x40u || (a >> 63)) /* also: NaN, inf, negative */
        return 0;
    HOST_SQRT_D(q);
    if (__builtin_fma(-q, q, x) != 0)
        *fflags |= RV_FFLAG_NX;
    *out = bits_d(q);
    return 1;
}

/* ErrFma (Boldo & Muller, "Exact and approximated error of the FMA", IEEE
 * TC 2011): in RN without underflow/overflow, a*b + c == r1 + r2 + r3
 * exactly, where r2 = RN(gamma + alpha2) is 0 iff r2 + r3 is. */
FMA_TARGET static int rne_fma_d(uint64_t a, uint64_t b, uint64_t c, uint64_t *out, uint32_t *fflags)
{
    /* |a|,|b| in [2^-447, 2^449), |c| < 2^961, |r1| in [2^-959, 2^961) */
    if (ef_d(a) - 0x240u >= 0x380u || ef_d(b) - 0x240u >= 0x380u || ef_d(c) >= 0x7c0u)
        return 0;
    double x = d_of(a), y = d_of(b), z = d_of(c);
    double r1 = __builtin_fma(x, y, z);
    uint64_t r = bits_d(r1);
    if (ef_d(r) - 0x40u >= 0x780u)
        return 0;
    double u1 = x * y, u2 = __builtin_fma(x, y, -u1);
    double al1 = z + u2, al2 = two_sum_err(z, u2, al1);
    double be1 = u1 + al1, be2 = two_sum_err(u1, al1, be1);
    double gamma = (be1 - r1) + be2;
    if (gamma + al2 != 0)
        *fflags |= RV_FFLAG_NX;
    *out = r;
    return 1;
}

/* The RNE fast paths assume the host is in its default rounding mode and
 * need a hardware fma for the exact remainders. */
#define RNE_FAST(rm) LIKELY((rm) == RV_RM_RNE && HAVE_HOST_FMA())

/* ------------------------------------------------- add, sub, mul, div, sqrt */

/* After a host op: canonicalise NaN results (host flags are right for
 * these ops: NV exactly for sNaN inputs and invalid operations), and redo
 * ±min-normal results with UF in software (see top comment). */
/* Test hook: make this x86 host report UF like a tininess-before-rounding
 * host would (and more), to exercise the fix-up below. */
#ifdef FPU_TEST_SIMULATE_TININESS_BEFORE
#define SIMULATE_BEFORE(r, fl, minnorm, absmask)                                             \
    if ((fl & RV_FFLAG_NX) && (r & absmask) == minnorm)                                      \
        fl |= RV_FFLAG_UF;
#else
#define SIMULATE_BEFORE(r, fl, minnorm, absmask)
#endif

#define FINISH_S(r, fl, soft)                                                                \
    do {                                                                                     \
        SIMULATE_BEFORE(r, fl, MIN_NORMAL_S, 0x7fffffffu)                                    \
        if (UNLIKELY((fl & RV_FFLAG_UF) || nan_s(r))) {                                      \
            if (nan_s(r))                                                                    \
                r = FPU_CANON_NAN_S;                                                         \
            else if ((r & 0x7fffffffu) == MIN_NORMAL_S)                                      \
                return (uint32_t)(soft);                                                     \
        }                                                                                    \
        *fflags |= fl;                                                                       \
        return r;                                                                            \
    } while (0)

#define FINISH_D(r, fl, soft)                                                                \
    do {                                                                                     \
        SIMULATE_BEFORE(r, fl, MIN_NORMAL_D, ~(1ull << 63))                                  \
        if (UNLIKELY((fl & RV_FFLAG_UF) || nan_d(r))) {                                      \
            if (nan_d(r))                                                                    \
                r = FPU_CANON_NAN_D;                                                         \
            else if ((r & ~(1ull << 63)) == MIN_NORMAL_D)                                    \
                return (soft);                                                               \
        }                                                                                    \
        *fflags |= fl;                                                                       \
        return r;                                                                            \
    } while (0)

#define BINOP_S(name, OP, soft)                                                              \
    uint32_t fpu_##name##_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags)                \
    {                                                                                        \
        uint32_t q;                                                                          \
        if (RNE_FAST(rm) && rne_##name##_s(a, b, &q, fflags))                                \
            return q;                                                                        \
        if (UNLIKELY(rm == RV_RM_RMM))                                                       \
            return (uint32_t)(soft);                                                         \
        float x = f_of(a), y = f_of(b);                                                      \
        HostSave sv = host_begin(rm);                                                        \
        OPQ(x);                                                                              \
        OPQ(y);                                                                              \
        float z = x OP y;                                                                    \
        OPQ(z);                                                                              \
        uint32_t fl = host_end(sv);                                                          \
        uint32_t r = bits_f(z);                                                              \
        FINISH_S(r, fl, soft);                                                               \
    }

#define BINOP_D(name, OP, soft)                                                              \
    uint64_t fpu_##name##_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags)                \
    {                                                                                        \
        uint64_t q;                                                                          \
        if (RNE_FAST(rm) && rne_##name##_d(a, b, &q, fflags))                                \
            return q;                                                                        \
        if (UNLIKELY(rm == RV_RM_RMM))                                                       \
            return soft;                                                                     \
        double x = d_of(a), y = d_of(b);                                                     \
        HostSave sv = host_begin(rm);                                                        \
        OPQ(x);                                                                              \
        OPQ(y);                                                                              \
        double z = x OP y;                                                                   \
        OPQ(z);                                                                              \
        uint32_t fl = host_end(sv);                                                          \
        uint64_t r = bits_d(z);                                                              \
        FINISH_D(r, fl, soft);                                                               \
    }

BINOP_S(add, +, fpu_soft_add(FPU_FMT_S, a, b, rm, fflags))
static inline int rne_sub_s(uint32_t a, uint32_t b, uint32_t *out, uint32_t *fflags)
{
    return rne_add_s(a, b ^ 0x80000000u, out, fflags);
}
static inline int rne_sub_d(uint64_t a, uint64_t b, uint64_t *out, uint32_t *fflags)
{
    return rne_add_d(a, b ^ (1ull << 63), out, fflags);
}
BINOP_S(sub, -, fpu_soft_add(FPU_FMT_S, a, b ^ 0x80000000u, rm, fflags))
BINOP_S(mul, *, fpu_soft_mul(FPU_FMT_S, a, b, rm, fflags))
BINOP_S(div, /, fpu_soft_div(FPU_FMT_S, a, b, rm, fflags))
BINOP_D(add, +, fpu_soft_add(FPU_FMT_D, a, b, rm, fflags))
BINOP_D(sub, -, fpu_soft_add(FPU_FMT_D, a, b ^ (1ull << 63), rm, fflags))
BINOP_D(mul, *, fpu_soft_mul(FPU_FMT_D, a, b, rm, fflags))
BINOP_D(div, /, fpu_soft_div(FPU_FMT_D, a, b, rm, fflags))


uint32_t fpu_sqrt_s(uint32_t a, int rm, uint32_t *fflags)
{
    uint32_t q;
    if (RNE_FAST(rm) && rne_sqrt_s(a, &q, fflags))
        return q;
    if (UNLIKELY(rm == RV_RM_RMM))
        return (uint32_t)fpu_soft_sqrt(FPU_FMT_S, a, rm, fflags);
    float x = f_of(a);
    HostSave sv = host_begin(rm);
    OPQ(x);
    HOST_SQRT_S(x);
    OPQ(x);
    uint32_t fl = host_end(sv);
    uint32_t r = bits_f(x);
    /* sqrt never underflows, so only the NaN part of FINISH applies */
    FINISH_S(r, fl, fpu_soft_sqrt(FPU_FMT_S, a, rm, fflags));
}

uint64_t fpu_sqrt_d(uint64_t a, int rm, uint32_t *fflags)
{
    uint64_t q;
    if (RNE_FAST(rm) && rne_sqrt_d(a, &q, fflags))
        return q;
    if (UNLIKELY(rm == RV_RM_RMM))
        return fpu_soft_sqrt(FPU_FMT_D, a, rm, fflags);
    double x = d_of(a);
    HostSave sv = host_begin(rm);
    OPQ(x);
    HOST_SQRT_D(x);
    OPQ(x);
    uint32_t fl = host_end(sv);
    uint64_t r = bits_d(x);
    FINISH_D(r, fl, fpu_soft_sqrt(FPU_FMT_D, a, rm, fflags));
}

/* ----------------------------------------------------------------------- fma */

/* NaN results take the software path: RISC-V wants NV for inf*0+qNaN,
 * which hosts (x86) do not agree on. */

FMA_TARGET static uint32_t host_fma_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags)
{
    float x = f_of(a), y = f_of(b), w = f_of(c);
    HostSave sv = host_begin(rm);
    OPQ(x);
    OPQ(y);
    OPQ(w);
    float z = __builtin_fmaf(x, y, w);
    OPQ(z);
    uint32_t fl = host_end(sv);
    uint32_t r = bits_f(z);
    if (UNLIKELY(nan_s(r)))
        return (uint32_t)fpu_soft_fma(FPU_FMT_S, a, b, c, rm, fflags);
    FINISH_S(r, fl, fpu_soft_fma(FPU_FMT_S, a, b, c, rm, fflags));
}

FMA_TARGET static uint64_t host_fma_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags)
{
    double x = d_of(a), y = d_of(b), w = d_of(c);
    HostSave sv = host_begin(rm);
    OPQ(x);
    OPQ(y);
    OPQ(w);
    double z = __builtin_fma(x, y, w);
    OPQ(z);
    uint32_t fl = host_end(sv);
    uint64_t r = bits_d(z);
    if (UNLIKELY(nan_d(r)))
        return fpu_soft_fma(FPU_FMT_D, a, b, c, rm, fflags);
    FINISH_D(r, fl, fpu_soft_fma(FPU_FMT_D, a, b, c, rm, fflags));
}

static inline uint32_t fma_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags)
{
    uint32_t q;
    if (RNE_FAST(rm) && rne_fma_s(a, b, c, &q, fflags))
        return q;
    if (LIKELY(rm != RV_RM_RMM && HAVE_HOST_FMA()))
        return host_fma_s(a, b, c, rm, fflags);
    return (uint32_t)fpu_soft_fma(FPU_FMT_S, a, b, c, rm, fflags);
}

static inline uint64_t fma_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags)
{
    uint64_t q;
    if (RNE_FAST(rm) && rne_fma_d(a, b, c, &q, fflags))
        return q;
    if (LIKELY(rm != RV_RM_RMM && HAVE_HOST_FMA()))
        return host_fma_d(a, b, c, rm, fflags);
    return fpu_soft_fma(FPU_FMT_D, a, b, c, rm, fflags);
}

/* The spec's negations are of the product and of the addend; negating an
 * input is exact and keeps NaN-ness, so sign flips of a and c implement them. */
#define SGN_S 0x80000000u
#define SGN_D (1ull << 63)
uint32_t fpu_madd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *f) { return fma_s(a, b, c, rm, f); }
uint32_t fpu_msub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *f) { return fma_s(a, b, c ^ SGN_S, rm, f); }
uint32_t fpu_nmsub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *f) { return fma_s(a ^ SGN_S, b, c, rm, f); }
uint32_t fpu_nmadd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *f) { return fma_s(a ^ SGN_S, b, c ^ SGN_S, rm, f); }
uint64_t fpu_madd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *f) { return fma_d(a, b, c, rm, f); }
uint64_t fpu_msub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *f) { return fma_d(a, b, c ^ SGN_D, rm, f); }
uint64_t fpu_nmsub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *f) { return fma_d(a ^ SGN_D, b, c, rm, f); }
uint64_t fpu_nmadd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *f) { return fma_d(a ^ SGN_D, b, c ^ SGN_D, rm, f); }

/* ------------------------------------------------- min/max, compare, class */

/* Map a non-NaN value to an unsigned key ordered like the reals, with
 * -0 just below +0 (what fmin/fmax need; compares treat ±0 equal). */
static inline uint64_t key_s(uint32_t v) { return (v & SGN_S) ? (uint32_t)~v : v | SGN_S; }
static inline uint64_t key_d(uint64_t v) { return (v & SGN_D) ? ~v : v | SGN_D; }

uint32_t fpu_min_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_s(a) || nan_s(b))) {
        if (snan_s(a) || snan_s(b))
            *fflags |= RV_FFLAG_NV;
        return nan_s(a) ? (nan_s(b) ? FPU_CANON_NAN_S : b) : a;
    }
    return key_s(a) <= key_s(b) ? a : b;
}

uint32_t fpu_max_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_s(a) || nan_s(b))) {
        if (snan_s(a) || snan_s(b))
            *fflags |= RV_FFLAG_NV;
        return nan_s(a) ? (nan_s(b) ? FPU_CANON_NAN_S : b) : a;
    }
    return key_s(a) >= key_s(b) ? a : b;
}

uint64_t fpu_min_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_d(a) || nan_d(b))) {
        if (snan_d(a) || snan_d(b))
            *fflags |= RV_FFLAG_NV;
        return nan_d(a) ? (nan_d(b) ? FPU_CANON_NAN_D : b) : a;
    }
    return key_d(a) <= key_d(b) ? a : b;
}

uint64_t fpu_max_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_d(a) || nan_d(b))) {
        if (snan_d(a) || snan_d(b))
            *fflags |= RV_FFLAG_NV;
        return nan_d(a) ? (nan_d(b) ? FPU_CANON_NAN_D : b) : a;
    }
    return key_d(a) >= key_d(b) ? a : b;
}

int fpu_eq_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_s(a) || nan_s(b))) {
        if (snan_s(a) || snan_s(b))
            *fflags |= RV_FFLAG_NV;
        return 0;
    }
    return a == b || ((a | b) << 1) == 0;
}

int fpu_lt_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_s(a) || nan_s(b))) {
        *fflags |= RV_FFLAG_NV;
        return 0;
    }
    return key_s(a) < key_s(b) && ((a | b) << 1) != 0;
}

int fpu_le_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_s(a) || nan_s(b))) {
        *fflags |= RV_FFLAG_NV;
        return 0;
    }
    return key_s(a) <= key_s(b) || ((a | b) << 1) == 0;
}

int fpu_eq_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_d(a) || nan_d(b))) {
        if (snan_d(a) || snan_d(b))
            *fflags |= RV_FFLAG_NV;
        return 0;
    }
    return a == b || ((a | b) << 1) == 0;
}

int fpu_lt_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_d(a) || nan_d(b))) {
        *fflags |= RV_FFLAG_NV;
        return 0;
    }
    return key_d(a) < key_d(b) && ((a | b) << 1) != 0;
}

int fpu_le_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
    if (UNLIKELY(nan_d(a) || nan_d(b))) {
        *fflags |= RV_FFLAG_NV;
        return 0;
    }
    return key_d(a) <= key_d(b) || ((a | b) << 1) == 0;
}

static uint32_t classify(int sign, int exp_all_ones, int exp_zero, int frac_zero, int quiet)
{
    if (exp_all_ones) {
        if (frac_zero)
            return sign ? FPU_CLASS_NEG_INF : FPU_CLASS_POS_INF;
        return quiet ? FPU_CLASS_QNAN : FPU_CLASS_SNAN;
    }
    if (exp_zero) {
        if (frac_zero)
            return sign ? FPU_CLASS_NEG_ZERO : FPU_CLASS_POS_ZERO;
        return sign ? FPU_CLASS_NEG_SUBNORMAL : FPU_CLASS_POS_SUBNORMAL;
    }
    return sign ? FPU_CLASS_NEG_NORMAL : FPU_CLASS_POS_NORMAL;
}

uint32_t fpu_class_s(uint32_t a)
{
    uint32_t e = (a >> 23) & 0xff, f = a & 0x7fffff;
    return classify(a >> 31, e == 0xff, e == 0, f == 0, (f >> 22) & 1);
}

uint32_t fpu_class_d(uint64_t a)
{
    uint64_t e = (a >> 52) & 0x7ff, f = a & 0xfffffffffffffull;
    return classify((int)(a >> 63), e == 0x7ff, e == 0, f == 0, (int)(f >> 51) & 1);
}

/* ---------------------------------------------------- float -> integer */

enum { TOI_OK, TOI_BIG, TOI_NAN };

/* Round a float (fraction width fbits, exponent width ebits) to an integer:
 * sign and magnitude; TOI_BIG when the magnitude is >= 2^64 or infinite. */
static int to_int(uint64_t v, int fbits, int ebits, int rm, int *neg, uint64_t *mag, int *inexact)
{
    int emask = (1 << ebits) - 1, bias = emask >> 1;
    int be = (int)(v >> fbits) & emask;
    uint64_t f = v & ((1ull << fbits) - 1);
    *neg = (int)(v >> (fbits + ebits)) & 1;
    *inexact = 0;
    *mag = 0;
    if (be == emask)
        return f ? TOI_NAN : TOI_BIG;
    if (be == 0 && f == 0)
        return TOI_OK;
    uint64_t sig = be ? f | (1ull << fbits) : f;
    int e = (be ? be : 1) - bias; /* value = sig * 2^(e - fbits) */
    if (e >= 64)
        return TOI_BIG;
    if (e >= fbits) {
        *mag = sig << (e - fbits);
        return TOI_OK;
    }
    int shift = fbits - e, cls;
    uint64_t m, rem = 0, half = 0;
    if (shift >= 64) {
        m = 0;
        cls = 1; /* sig < 2^53 is far below half of 2^shift */
    } else {
        m = sig >> shift;
        rem = sig & ((1ull << shift) - 1);
        half = 1ull << (shift - 1);
        cls = rem == 0 ? 0 : rem < half ? 1 : rem == half ? 2 : 3;
    }
    int up;
    switch (rm) {
    case RV_RM_RNE: up = cls == 3 || (cls == 2 && (m & 1)); break;
    case RV_RM_RTZ: up = 0; break;
    case RV_RM_RDN: up = cls && *neg; break;
    case RV_RM_RUP: up = cls && !*neg; break;
    default:        up = cls >= 2; break;
    }
    *mag = m + up;
    *inexact = cls != 0;
    return TOI_OK;
}

/* Saturate to [lo_mag negative .. hi positive]; NV replaces NX when clipped. */
static uint64_t to_int_sat(uint64_t v, int fbits, int ebits, int rm, uint64_t neg_limit,
                           uint64_t pos_limit, uint64_t neg_sat, uint64_t pos_sat, uint32_t *fflags)
{
    int neg, inexact;
    uint64_t mag;
    int k = to_int(v, fbits, ebits, rm, &neg, &mag, &inexact);
    if (k == TOI_NAN) {
        *fflags |= RV_FFLAG_NV;
        return pos_sat;
    }
    if (neg) {
        if (k == TOI_BIG || mag > neg_limit) {
            *fflags |= RV_FFLAG_NV;
            return neg_sat;
        }
        if (inexact)
            *fflags |= RV_FFLAG_NX;
        return -mag;
    }
    if (k == TOI_BIG || mag > pos_limit) {
        *fflags |= RV_FFLAG_NV;
        return pos_sat;
    }
    if (inexact)
        *fflags |= RV_FFLAG_NX;
    return mag;
}

#define I32_LIMS 0x80000000ull, 0x7fffffffull, 0xffffffff80000000ull, 0x7fffffffull
#define U32_LIMS 0ull, 0xffffffffull, 0ull, 0xffffffffull
#define I64_LIMS 0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x7fffffffffffffffull
#define U64_LIMS 0ull, ~0ull, 0ull, ~0ull

int32_t fpu_cvt_w_s(uint32_t a, int rm, uint32_t *f) { return (int32_t)to_int_sat(a, 23, 8, rm, I32_LIMS, f); }
uint32_t fpu_cvt_wu_s(uint32_t a, int rm, uint32_t *f) { return (uint32_t)to_int_sat(a, 23, 8, rm, U32_LIMS, f); }
int64_t fpu_cvt_l_s(uint32_t a, int rm, uint32_t *f) { return (int64_t)to_int_sat(a, 23, 8, rm, I64_LIMS, f); }
uint64_t fpu_cvt_lu_s(uint32_t a, int rm, uint32_t *f) { return to_int_sat(a, 23, 8, rm, U64_LIMS, f); }
int32_t fpu_cvt_w_d(uint64_t a, int rm, uint32_t *f) { return (int32_t)to_int_sat(a, 52, 11, rm, I32_LIMS, f); }
uint32_t fpu_cvt_wu_d(uint64_t a, int rm, uint32_t *f) { return (uint32_t)to_int_sat(a, 52, 11, rm, U32_LIMS, f); }
int64_t fpu_cvt_l_d(uint64_t a, int rm, uint32_t *f) { return (int64_t)to_int_sat(a, 52, 11, rm, I64_LIMS, f); }
uint64_t fpu_cvt_lu_d(uint64_t a, int rm, uint32_t *f) { return to_int_sat(a, 52, 11, rm, U64_LIMS, f); }

/* ---------------------------------------------------- integer -> float */

/* Magnitudes below 2^(p) convert exactly in every mode, so the host cast
 * needs no environment; the rest is rounded in software (cheap: a clz and a
 * shift), which also covers RMM and the unsigned 64-bit case x86 lacks. */
uint32_t fpu_cvt_s_w(int32_t a, int rm, uint32_t *f)
{
    uint64_t mag = a < 0 ? -(uint64_t)a : (uint64_t)a;
    if (LIKELY(mag < (1u << 24)))
        return bits_f((float)a);
    return (uint32_t)fpu_soft_from_int(FPU_FMT_S, a < 0, mag, rm, f);
}

uint32_t fpu_cvt_s_wu(uint32_t a, int rm, uint32_t *f)
{
    if (LIKELY(a < (1u << 24)))
        return bits_f((float)a);
    return (uint32_t)fpu_soft_from_int(FPU_FMT_S, 0, a, rm, f);
}

uint32_t fpu_cvt_s_l(int64_t a, int rm, uint32_t *f)
{
    uint64_t mag = a < 0 ? -(uint64_t)a : (uint64_t)a;
    if (LIKELY(mag < (1u << 24)))
        return bits_f((float)a);
    return (uint32_t)fpu_soft_from_int(FPU_FMT_S, a < 0, mag, rm, f);
}

uint32_t fpu_cvt_s_lu(uint64_t a, int rm, uint32_t *f)
{
    if (LIKELY(a < (1u << 24)))
        return bits_f((float)a);
    return (uint32_t)fpu_soft_from_int(FPU_FMT_S, 0, a, rm, f);
}

/* exact: rm and flags unused */
uint64_t fpu_cvt_d_w(int32_t a, int rm, uint32_t *f) { (void)rm; (void)f; return bits_d((double)a); }
uint64_t fpu_cvt_d_wu(uint32_t a, int rm, uint32_t *f) { (void)rm; (void)f; return bits_d((double)a); }

uint64_t fpu_cvt_d_l(int64_t a, int rm, uint32_t *f)
{
    uint64_t mag = a < 0 ? -(uint64_t)a : (uint64_t)a;
    if (LIKELY(mag < (1ull << 53)))
        return bits_d((double)a);
    return fpu_soft_from_int(FPU_FMT_D, a < 0, mag, rm, f);
}

uint64_t fpu_cvt_d_lu(uint64_t a, int rm, uint32_t *f)
{
    if (LIKELY(a < (1ull << 53)))
        return bits_d((double)a);
    return fpu_soft_from_int(FPU_FMT_D, 0, a, rm, f);
}

/* ---------------------------------------------------- float <-> double */

uint32_t fpu_cvt_s_d(uint64_t a, int rm, uint32_t *fflags)
{
    if (UNLIKELY(rm == RV_RM_RMM))
        return (uint32_t)fpu_soft_cvt(FPU_FMT_S, FPU_FMT_D, a, rm, fflags);
    double x = d_of(a);
    HostSave sv = host_begin(rm);
    OPQ(x);
    float z = (float)x;
    OPQ(z);
    uint32_t fl = host_end(sv);
    uint32_t r = bits_f(z);
    FINISH_S(r, fl, fpu_soft_cvt(FPU_FMT_S, FPU_FMT_D, a, rm, fflags));
}

uint64_t fpu_cvt_d_s(uint32_t a, int rm, uint32_t *fflags)
{
    /* exact for all non-NaN inputs, so no environment is needed */
    (void)rm;
    if (UNLIKELY(nan_s(a))) {
        if (snan_s(a))
            *fflags |= RV_FFLAG_NV;
        return FPU_CANON_NAN_D;
    }
    return bits_d((double)f_of(a));
}
