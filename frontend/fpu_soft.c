/* fpu_soft.c — integer-only IEEE 754 binary32/binary64 core with RISC-V
 * rules (see fpu_soft.h for when it is used).
 *
 * Method: every operation produces its exact result, or a truncation of it
 * with a "sticky" bit OR-ed into the least significant bit, as a 64-bit
 * significand normalised to bit 63 plus the exponent of that bit.  As long
 * as at least two bits below the target precision are exact (we keep >= 9),
 * rounding that value once in fpu_round_pack gives the correctly rounded
 * result for every mode, and tells exactly whether it was inexact, tiny
 * (after rounding, with unbounded exponent, as RISC-V specifies) or overflowed.
 *
 * Invariants: no host floating-point instructions, no global state.
 */
#include "frontend/fpu_soft.h"
#include "frontend/fpu.h"

typedef unsigned __int128 u128;

enum { K_ZERO, K_FINITE, K_INF, K_QNAN, K_SNAN };

typedef struct {
    int kind;
    int sign;
    int exp;      /* value = sig * 2^(exp - 63) for K_FINITE */
    uint64_t sig; /* normalised: bit 63 set */
} Unp;

static inline int ebits_of(int fmt) { return fmt == FPU_FMT_S ? 8 : 11; }
static inline int bias_of(int fmt) { return (1 << (ebits_of(fmt) - 1)) - 1; }
static inline uint64_t canon_nan(int fmt) { return fmt == FPU_FMT_S ? FPU_CANON_NAN_S : FPU_CANON_NAN_D; }
static inline uint64_t sign_bit(int fmt) { return 1ull << (fmt + ebits_of(fmt)); }

static Unp unpack(int fmt, uint64_t v)
{
    Unp u;
    int emask = (1 << ebits_of(fmt)) - 1;
    int e = (int)(v >> fmt) & emask;
    uint64_t f = v & ((1ull << fmt) - 1);
    u.sign = (int)(v >> (fmt + ebits_of(fmt))) & 1;
    u.exp = 0;
    u.sig = 0;
    if (e == emask) {
        if (f == 0)
            u.kind = K_INF;
        else
            u.kind = (f >> (fmt - 1)) & 1 ? K_QNAN : K_SNAN;
    } else if (e == 0 && f == 0) {
        u.kind = K_ZERO;
    } else {
        /* subnormals have exponent 1 - bias and no implicit bit */
        uint64_t sig = e ? f | (1ull << fmt) : f;
        int ue = (e ? e : 1) - bias_of(fmt);
        int z = __builtin_clzll(sig);
        u.kind = K_FINITE;
        u.sig = sig << z;
        u.exp = ue + (63 - fmt) - z;
    }
    return u;
}

static inline uint64_t shr_jam64(uint64_t x, int n)
{
    if (n == 0)
        return x;
    if (n >= 64)
        return x != 0;
    return (x >> n) | ((x << (64 - n)) != 0);
}

static inline u128 shr_jam128(u128 x, int n)
{
    if (n == 0)
        return x;
    if (n >= 128)
        return x != 0;
    return (x >> n) | ((x << (128 - n)) != 0);
}

/* Should a value whose kept part ends in lsb and whose dropped part compares
 * to one half ulp as cls (0 exact, 1 below, 2 exactly half, 3 above) be
 * rounded away from zero? */
static inline int round_up(int rm, int sign, uint64_t lsb, int cls)
{
    switch (rm) {
    case RV_RM_RNE: return cls == 3 || (cls == 2 && (lsb & 1));
    case RV_RM_RTZ: return 0;
    case RV_RM_RDN: return cls != 0 && sign;
    case RV_RM_RUP: return cls != 0 && !sign;
    default:        return cls >= 2; /* RMM: ties away from zero */
    }
}

/* Drop the low `shift` bits of sig (1 <= shift); classify the dropped part. */
static inline uint64_t split(uint64_t sig, int shift, int *cls)
{
    uint64_t kept, rem, half;
    if (shift > 64) {
        *cls = sig != 0;
        return 0;
    }
    if (shift == 64) {
        kept = 0;
        rem = sig;
        half = 1ull << 63;
    } else {
        kept = sig >> shift;
        rem = sig & ((1ull << shift) - 1);
        half = 1ull << (shift - 1);
    }
    *cls = rem == 0 ? 0 : rem < half ? 1 : rem == half ? 2 : 3;
    return kept;
}

/* Round sign * sig * 2^(exp-63) (sig normalised, sticky in bit 0) to fmt. */
static uint64_t round_pack(int fmt, int sign, int exp, uint64_t sig, int rm, uint32_t *fflags)
{
    const int p = fmt + 1, bias = bias_of(fmt), emin = 1 - bias, emax = bias;
    uint64_t sbit = sign ? sign_bit(fmt) : 0;
    int tiny = 0, cls;
    uint64_t m;

    if (exp < emin) {
        /* Tininess after rounding: tiny unless rounding to p bits with an
         * unbounded exponent carries up to exactly 2^emin. */
        tiny = 1;
        if (exp == emin - 1) {
            int c;
            uint64_t mm = split(sig, 64 - p, &c);
            if (mm + round_up(rm, sign, mm, c) == (1ull << p))
                tiny = 0;
        }
        m = split(sig, 64 - p + (emin - exp), &cls);
        m += round_up(rm, sign, m, cls);
        if (cls) {
            *fflags |= RV_FFLAG_NX;
            if (tiny)
                *fflags |= RV_FFLAG_UF;
        }
        /* biased exponent 0; a carry into bit p-1 yields the min normal */
        return sbit | m;
    }
    m = split(sig, 64 - p, &cls);
    m += round_up(rm, sign, m, cls);
    if (m >> p) { /* carry out of the significand */
        m >>= 1;
        exp++;
    }
    if (exp > emax) {
        int to_max = rm == RV_RM_RTZ || (rm == RV_RM_RDN && !sign) || (rm == RV_RM_RUP && sign);
        *fflags |= RV_FFLAG_OF | RV_FFLAG_NX;
        uint64_t inf = (uint64_t)((1 << ebits_of(fmt)) - 1) << fmt;
        return sbit | (to_max ? inf - 1 : inf);
    }
    if (cls)
        *fflags |= RV_FFLAG_NX;
    return sbit | ((uint64_t)(exp + bias) << fmt) | (m & ((1ull << fmt) - 1));
}

static inline int is_nan(const Unp *u) { return u->kind >= K_QNAN; }

static inline uint64_t make_inf(int fmt, int sign)
{
    return (sign ? sign_bit(fmt) : 0) | ((uint64_t)((1 << ebits_of(fmt)) - 1) << fmt);
}

/* Exact zero result of an effective subtraction: +0, or -0 when rounding down. */
static inline uint64_t cancel_zero(int fmt, int rm) { return rm == RV_RM_RDN ? sign_bit(fmt) : 0; }

uint64_t fpu_soft_add(int fmt, uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
    Unp x = unpack(fmt, a), y = unpack(fmt, b);
    if (is_nan(&x) || is_nan(&y)) {
        if (x.kind == K_SNAN || y.kind == K_SNAN)
            *fflags |= RV_FFLAG_NV;
        return canon_nan(fmt);
    }
    if (x.kind == K_INF || y.kind == K_INF) {
        if (x.kind == K_INF && y.kind == K_INF && x.sign != y.sign) {
            *fflags |= RV_FFLAG_NV;
            return canon_nan(fmt);
        }
        return make_inf(fmt, x.kind == K_INF ? x.sign : y.sign);
    }
    if (x.kind == K_ZERO && y.kind == K_ZERO)
        return x.sign == y.sign ? (x.sign ? sign_bit(fmt) : 0) : cancel_zero(fmt, rm);
    if (x.kind == K_ZERO)
        return b;
    if (y.kind == K_ZERO)
        return a;
    /* make x the larger magnitude */
    if (y.exp > x.exp || (y.exp == x.exp && y.sig > x.sig)) {
        Unp t = x;
        x = y;
        y = t;
    }
    /* bit 63 is free for the carry; the aligned smaller one keeps a sticky bit */
    uint64_t xs = x.sig >> 1, ys = shr_jam64(y.sig >> 1, x.exp - y.exp);
    uint64_t s = x.sign == y.sign ? xs + ys : xs - ys;
    if (s == 0)
        return cancel_zero(fmt, rm);
    int z = __builtin_clzll(s);
    return round_pack(fmt, x.sign, x.exp + 1 - z, s << z, rm, fflags);
}

uint64_t fpu_soft_mul(int fmt, uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
    Unp x = unpack(fmt, a), y = unpack(fmt, b);
    int sign = x.sign ^ y.sign;
    if (is_nan(&x) || is_nan(&y)) {
        if (x.kind == K_SNAN || y.kind == K_SNAN)
            *fflags |= RV_FFLAG_NV;
        return canon_nan(fmt);
    }
    if (x.kind == K_INF || y.kind == K_INF) {
        if (x.kind == K_ZERO || y.kind == K_ZERO) {
            *fflags |= RV_FFLAG_NV;
            return canon_nan(fmt);
        }
        return make_inf(fmt, sign);
    }
    if (x.kind == K_ZERO || y.kind == K_ZERO)
        return sign ? sign_bit(fmt) : 0;
    u128 pr = (u128)x.sig * y.sig; /* value = pr * 2^(ex + ey - 126) */
    int z = (int)!(pr >> 127);
    pr <<= z;
    uint64_t hi = (uint64_t)(pr >> 64) | ((uint64_t)pr != 0);
    return round_pack(fmt, sign, x.exp + y.exp + 1 - z, hi, rm, fflags);
}

uint64_t fpu_soft_div(int fmt, uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
    Unp x = unpack(fmt, a), y = unpack(fmt, b);
    int sign = x.sign ^ y.sign;
    if (is_nan(&x) || is_nan(&y)) {
        if (x.kind == K_SNAN || y.kind == K_SNAN)
            *fflags |= RV_FFLAG_NV;
        return canon_nan(fmt);
    }
    if ((x.kind == K_INF && y.kind == K_INF) || (x.kind == K_ZERO && y.kind == K_ZERO)) {
        *fflags |= RV_FFLAG_NV;
        return canon_nan(fmt);
    }
    if (x.kind == K_INF)
        return make_inf(fmt, sign);
    if (y.kind == K_ZERO) {
        *fflags |= RV_FFLAG_DZ;
        return make_inf(fmt, sign);
    }
    if (x.kind == K_ZERO || y.kind == K_INF)
        return sign ? sign_bit(fmt) : 0;
    /* (x.sig/2 * 2^64) / y.sig = (x.sig/y.sig) * 2^63, in (2^62, 2^64) */
    u128 num = (u128)(x.sig >> 1) << 64;
    uint64_t q = (uint64_t)(num / y.sig);
    q |= (uint64_t)(num % y.sig) != 0;
    int z = __builtin_clzll(q);
    return round_pack(fmt, sign, x.exp - y.exp - z, q << z, rm, fflags);
}

uint64_t fpu_soft_sqrt(int fmt, uint64_t a, int rm, uint32_t *fflags)
{
    Unp x = unpack(fmt, a);
    if (is_nan(&x)) {
        if (x.kind == K_SNAN)
            *fflags |= RV_FFLAG_NV;
        return canon_nan(fmt);
    }
    if (x.kind == K_ZERO)
        return a;
    if (x.sign) {
        *fflags |= RV_FFLAG_NV;
        return canon_nan(fmt);
    }
    if (x.kind == K_INF)
        return a;
    /* value = sig * 2^(exp-63); take R = sig * 2^(64 or 63) so that the
     * remaining power of two is even: sqrt = isqrt(R) * 2^((exp-63-k)/2). */
    int k = ((x.exp - 63 - 64) & 1) ? 63 : 64;
    u128 r = (u128)x.sig << k; /* k=64: < 2^128; k=63: < 2^127 */
    int half_e = (x.exp - 63 - k) / 2; /* exact: even numerator */
    /* bit-by-bit integer square root, 64 result bits */
    u128 rem = 0, root = 0;
    for (int i = 0; i < 64; i++) {
        rem = (rem << 2) | (r >> 126);
        r <<= 2;
        u128 t = (root << 2) | 1;
        root <<= 1;
        if (rem >= t) {
            rem -= t;
            root |= 1;
        }
    }
    uint64_t s = (uint64_t)root | (rem != 0);
    int z = __builtin_clzll(s);
    /* value = s * 2^half_e = (s << z) * 2^(E - 63) with E = half_e + 63 - z */
    return round_pack(fmt, 0, half_e + 63 - z, s << z, rm, fflags);
}

uint64_t fpu_soft_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags)
{
    Unp x = unpack(fmt, a), y = unpack(fmt, b), w = unpack(fmt, c);
    int psign = x.sign ^ y.sign;
    int infzero = (x.kind == K_INF && y.kind == K_ZERO) || (x.kind == K_ZERO && y.kind == K_INF);
    if (is_nan(&x) || is_nan(&y) || is_nan(&w)) {
        /* RISC-V: inf*0 raises NV even when the addend is a quiet NaN */
        if (x.kind == K_SNAN || y.kind == K_SNAN || w.kind == K_SNAN || infzero)
            *fflags |= RV_FFLAG_NV;
        return canon_nan(fmt);
    }
    if (infzero) {
        *fflags |= RV_FFLAG_NV;
        return canon_nan(fmt);
    }
    if (x.kind == K_INF || y.kind == K_INF) {
        if (w.kind == K_INF && w.sign != psign) {
            *fflags |= RV_FFLAG_NV;
            return canon_nan(fmt);
        }
        return make_inf(fmt, psign);
    }
    if (w.kind == K_INF)
        return c;
    if (x.kind == K_ZERO || y.kind == K_ZERO) {
        if (w.kind == K_ZERO)
            return psign == w.sign ? (psign ? sign_bit(fmt) : 0) : cancel_zero(fmt, rm);
        return c;
    }
    u128 pr = (u128)x.sig * y.sig; /* value = pr * 2^(pe - 127) after normalising */
    int z = (int)!(pr >> 127);
    pr <<= z;
    int pe = x.exp + y.exp + 1 - z;
    if (w.kind == K_ZERO) {
        uint64_t hi = (uint64_t)(pr >> 64) | ((uint64_t)pr != 0);
        return round_pack(fmt, psign, pe, hi, rm, fflags);
    }
    /* Both at bit 125 (two bits of headroom); the product has <= 106
     * significant bits so the shift loses nothing. */
    u128 ps = pr >> 2, cs = (u128)w.sig << 62;
    int ce = w.exp, sign, e;
    u128 big, small;
    int d;
    if (pe > ce || (pe == ce && ps >= cs)) {
        big = ps; small = cs; e = pe; d = pe - ce; sign = psign;
    } else {
        big = cs; small = ps; e = ce; d = ce - pe; sign = w.sign;
    }
    small = shr_jam128(small, d);
    u128 s = psign == w.sign ? big + small : big - small;
    if (s == 0)
        return cancel_zero(fmt, rm);
    /* value = s * 2^(e - 125); normalise to bit 127 */
    uint64_t hi = (uint64_t)(s >> 64), lo = (uint64_t)s;
    int lz = hi ? __builtin_clzll(hi) : 64 + __builtin_clzll(lo);
    s <<= lz;
    hi = (uint64_t)(s >> 64) | ((uint64_t)s != 0);
    return round_pack(fmt, sign, e + 2 - lz, hi, rm, fflags);
}

uint64_t fpu_soft_cvt(int to_fmt, int from_fmt, uint64_t a, int rm, uint32_t *fflags)
{
    Unp x = unpack(from_fmt, a);
    switch (x.kind) {
    case K_SNAN: *fflags |= RV_FFLAG_NV; /* fall through */
    case K_QNAN: return canon_nan(to_fmt);
    case K_INF:  return make_inf(to_fmt, x.sign);
    case K_ZERO: return x.sign ? sign_bit(to_fmt) : 0;
    default:     return round_pack(to_fmt, x.sign, x.exp, x.sig, rm, fflags);
    }
}

uint64_t fpu_soft_from_int(int fmt, int neg, uint64_t mag, int rm, uint32_t *fflags)
{
    if (mag == 0)
        return 0; /* integer zero converts to +0 in every mode */
    int z = __builtin_clzll(mag);
    return round_pack(fmt, neg, 63 - z, mag << z, rm, fflags);
}
