/* fp.c — the F and D extensions: every arithmetic, FMA, sign-injection, min/max,
 * compare, classify, convert and move instruction in single and double precision, with
 * the static rounding modes rne/rtz/rdn/rup/rmm and the dynamic mode (frm), the exception
 * flags each operation raises, NaN boxing (an improperly boxed single reads as the
 * canonical NaN; transfers ignore the box), canonical NaN results, fmin/fmax on signed
 * zeros and NaNs, fcvt saturation (NaN, +-inf, out of range) and fused (single rounding)
 * multiply-add. Every check prints the raw 64-bit f-register image (so single results show
 * their NaN box) and the fflags the operation accrued, and compares both with values
 * derived from the unprivileged spec ("F", "D" chapters; IEEE 754-2008).
 * Operands are passed as raw register images through fmv.d.x, so tests can feed
 * unboxed or partially boxed values on purpose. */
#include "rt.h"

/* fflags bits */
#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

#define S(x) (0xffffffff00000000ull | (u64)(x)) /* a properly NaN-boxed single */
#define CNAN_S S(0x7fc00000)
#define CNAN_D 0x7ff8000000000000ull

/* single constants */
#define S_1 0x3f800000
#define S_2 0x40000000
#define S_3 0x40400000
#define S_M1 0xbf800000
#define S_M2 0xc0000000
#define S_HALF 0x3f000000
#define S_MHALF 0xbf000000
#define S_2P5 0x40200000
#define S_M2P5 0xc0200000
#define S_INF 0x7f800000
#define S_MINF 0xff800000
#define S_QNAN 0x7fc00000
#define S_SNAN 0x7f800001
#define S_MAX 0x7f7fffff
#define S_MMAX 0xff7fffff
#define S_MINN 0x00800000
#define S_P2M24 0x33800000 /* 2^-24: half an ulp of 1.0 */
#define S_P2M25 0x33000000
#define S_THIRD 0x3eaaaaab
#define S_MZERO 0x80000000
#define UNBOXED 0x000000003f800000ull /* 1.0f without its NaN box */

/* double constants */
#define D_1 0x3ff0000000000000ull
#define D_2 0x4000000000000000ull
#define D_3 0x4008000000000000ull
#define D_M1 0xbff0000000000000ull
#define D_HALF 0x3fe0000000000000ull
#define D_2P5 0x4004000000000000ull
#define D_M2P5 0xc004000000000000ull
#define D_INF 0x7ff0000000000000ull
#define D_MINF 0xfff0000000000000ull
#define D_QNAN 0x7ff8000000000000ull
#define D_QNANP 0x7ff8000000000123ull /* quiet NaN with a payload */
#define D_SNAN 0x7ff0000000000001ull
#define D_MAX 0x7fefffffffffffffull
#define D_MINN 0x0010000000000000ull
#define D_P2M53 0x3ca0000000000000ull
#define D_P2M54 0x3c90000000000000ull
#define D_THIRD 0x3fd5555555555555ull
#define D_MZERO 0x8000000000000000ull

static u64 fl; /* fflags accrued by the last wrapped operation */
/* fflags set before each wrapped operation: main runs every check with none, then with
 * inexact already accrued (a flag already set stays set and hides no new one) */
static u64 preset;

/* f2 = OP(f0, f1): result register image. */
#define F2(op, rm, a, b)                                                               \
    ({                                                                                 \
        u64 _r, _f;                                                                    \
        __asm__ volatile("fsflags %[pre]\n fmv.d.x ft0,%2\n fmv.d.x ft1,%3\n " op      \
                         " ft2,ft0,ft1" rm "\n fmv.x.d %0,ft2\n frflags %1"            \
                         : "=r"(_r), "=r"(_f)                                          \
                         : "r"((u64)(a)), "r"((u64)(b)), [pre] "r"(preset)             \
                         : "ft0", "ft1", "ft2");                                       \
        fl = _f;                                                                       \
        _r;                                                                            \
    })
#define F3(op, rm, a, b, c)                                                            \
    ({                                                                                 \
        u64 _r, _f;                                                                    \
        __asm__ volatile("fsflags %[pre]\n fmv.d.x ft0,%2\n fmv.d.x ft1,%3\n fmv.d.x ft3,%4\n " op \
                         " ft2,ft0,ft1,ft3" rm "\n fmv.x.d %0,ft2\n frflags %1"        \
                         : "=r"(_r), "=r"(_f)                                          \
                         : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(c)), [pre] "r"(preset) \
                         : "ft0", "ft1", "ft2", "ft3");                                \
        fl = _f;                                                                       \
        _r;                                                                            \
    })
#define F1(op, rm, a)                                                                  \
    ({                                                                                 \
        u64 _r, _f;                                                                    \
        __asm__ volatile("fsflags %[pre]\n fmv.d.x ft0,%2\n " op " ft2,ft0" rm         \
                         "\n fmv.x.d %0,ft2\n frflags %1"                              \
                         : "=r"(_r), "=r"(_f)                                          \
                         : "r"((u64)(a)), [pre] "r"(preset)                            \
                         : "ft0", "ft2");                                              \
        fl = _f;                                                                       \
        _r;                                                                            \
    })
/* integer rd = OP(f0) */
#define FX(op, rm, a)                                                                  \
    ({                                                                                 \
        u64 _r, _f;                                                                    \
        __asm__ volatile("fsflags %[pre]\n fmv.d.x ft0,%2\n " op " %0,ft0" rm "\n frflags %1" \
                         : "=&r"(_r), "=r"(_f)                                         \
                         : "r"((u64)(a)), [pre] "r"(preset)                            \
                         : "ft0");                                                     \
        fl = _f;                                                                       \
        _r;                                                                            \
    })
/* integer rd = OP(f0, f1) (compares) */
#define FCMP(op, a, b)                                                                 \
    ({                                                                                 \
        u64 _r, _f;                                                                    \
        __asm__ volatile("fsflags %[pre]\n fmv.d.x ft0,%2\n fmv.d.x ft1,%3\n " op      \
                         " %0,ft0,ft1\n frflags %1"                                    \
                         : "=&r"(_r), "=r"(_f)                                         \
                         : "r"((u64)(a)), "r"((u64)(b)), [pre] "r"(preset)             \
                         : "ft0", "ft1");                                              \
        fl = _f;                                                                       \
        _r;                                                                            \
    })
/* f2 = OP(integer) */
#define XF(op, rm, a)                                                                  \
    ({                                                                                 \
        u64 _r, _f;                                                                    \
        __asm__ volatile("fsflags %[pre]\n " op " ft2,%2" rm "\n fmv.x.d %0,ft2\n frflags %1" \
                         : "=r"(_r), "=r"(_f)                                          \
                         : "r"((u64)(a)), [pre] "r"(preset)                            \
                         : "ft2");                                                     \
        fl = _f;                                                                       \
        _r;                                                                            \
    })

/* Evaluate first, then read fl: argument evaluation order is unspecified in C. */
#define CF(name, expr, exp, ef)                                                        \
    do {                                                                               \
        u64 _v = (expr);                                                               \
        checkf(name, _v, fl, exp, (ef) | preset);                                      \
    } while (0)

/* One check per static rounding mode. */
#define RM5(name, MAC, e0, e1, e2, e3, e4, ef)                                         \
    do {                                                                               \
        CF(name " rne", MAC(",rne"), e0, ef);                                          \
        CF(name " rtz", MAC(",rtz"), e1, ef);                                          \
        CF(name " rdn", MAC(",rdn"), e2, ef);                                          \
        CF(name " rup", MAC(",rup"), e3, ef);                                          \
        CF(name " rmm", MAC(",rmm"), e4, ef);                                          \
    } while (0)

static void rounding(void)
{
    group("static rounding modes (single)");
#define M(rm) F2("fadd.s", rm, S(S_1), S(S_P2M24))
    RM5("fadd.s 1+2^-24 (tie)", M, S(S_1), S(S_1), S(S_1), S(0x3f800001), S(0x3f800001), NX);
#undef M
#define M(rm) F2("fadd.s", rm, S(0x3f800001), S(S_P2M24))
    RM5("fadd.s odd+tie", M, S(0x3f800002), S(0x3f800001), S(0x3f800001), S(0x3f800002),
        S(0x3f800002), NX);
#undef M
#define M(rm) F2("fadd.s", rm, S(S_M1), S(0xb3800000))
    RM5("fadd.s -1-2^-24 (tie)", M, S(S_M1), S(S_M1), S(0xbf800001), S(S_M1), S(0xbf800001), NX);
#undef M
#define M(rm) F2("fsub.s", rm, S(S_1), S(S_P2M25))
    RM5("fsub.s 1-2^-25 (tie)", M, S(S_1), S(0x3f7fffff), S(0x3f7fffff), S(S_1), S(S_1), NX);
#undef M
#define M(rm) F2("fmul.s", rm, S(S_THIRD), S(S_3))
    RM5("fmul.s third*3", M, S(S_1), S(S_1), S(S_1), S(0x3f800001), S(S_1), NX);
#undef M
#define M(rm) F2("fdiv.s", rm, S(S_1), S(S_3))
    RM5("fdiv.s 1/3", M, S(0x3eaaaaab), S(0x3eaaaaaa), S(0x3eaaaaaa), S(0x3eaaaaab),
        S(0x3eaaaaab), NX);
#undef M
#define M(rm) F2("fdiv.s", rm, S(S_M1), S(S_3))
    RM5("fdiv.s -1/3", M, S(0xbeaaaaab), S(0xbeaaaaaa), S(0xbeaaaaab), S(0xbeaaaaaa),
        S(0xbeaaaaab), NX);
#undef M
#define M(rm) F1("fsqrt.s", rm, S(S_2))
    RM5("fsqrt.s 2", M, S(0x3fb504f3), S(0x3fb504f3), S(0x3fb504f3), S(0x3fb504f4),
        S(0x3fb504f3), NX);
#undef M
#define M(rm) F3("fmadd.s", rm, S(S_1), S(S_1), S(S_P2M24))
    RM5("fmadd.s 1*1+2^-24", M, S(S_1), S(S_1), S(S_1), S(0x3f800001), S(0x3f800001), NX);
#undef M
#define M(rm) F2("fmul.s", rm, S(S_MAX), S(S_2))
    RM5("fmul.s max*2 overflow", M, S(S_INF), S(S_MAX), S(S_MAX), S(S_INF), S(S_INF), OF | NX);
#undef M
#define M(rm) F2("fmul.s", rm, S(S_MMAX), S(S_2))
    RM5("fmul.s -max*2 overflow", M, S(S_MINF), S(S_MMAX), S(S_MINF), S(S_MMAX), S(S_MINF),
        OF | NX);
#undef M

    group("static rounding modes (double)");
#define M(rm) F2("fadd.d", rm, D_1, D_P2M53)
    RM5("fadd.d 1+2^-53 (tie)", M, D_1, D_1, D_1, D_1 + 1, D_1 + 1, NX);
#undef M
#define M(rm) F2("fsub.d", rm, D_1, D_P2M54)
    RM5("fsub.d 1-2^-54 (tie)", M, D_1, 0x3fefffffffffffffull, 0x3fefffffffffffffull, D_1, D_1,
        NX);
#undef M
#define M(rm) F2("fmul.d", rm, D_THIRD, D_3)
    RM5("fmul.d third*3 (tie)", M, D_1, 0x3fefffffffffffffull, 0x3fefffffffffffffull, D_1, D_1,
        NX);
#undef M
#define M(rm) F2("fdiv.d", rm, D_1, D_3)
    RM5("fdiv.d 1/3", M, D_THIRD, D_THIRD, D_THIRD, D_THIRD + 1, D_THIRD, NX);
#undef M
#define M(rm) F1("fsqrt.d", rm, D_2)
    RM5("fsqrt.d 2", M, 0x3ff6a09e667f3bcdull, 0x3ff6a09e667f3bccull, 0x3ff6a09e667f3bccull,
        0x3ff6a09e667f3bcdull, 0x3ff6a09e667f3bcdull, NX);
#undef M
#define M(rm) F3("fmadd.d", rm, D_1, D_1, D_P2M53)
    RM5("fmadd.d 1*1+2^-53", M, D_1, D_1, D_1, D_1 + 1, D_1 + 1, NX);
#undef M
#define M(rm) F2("fmul.d", rm, D_MAX, D_2)
    RM5("fmul.d max*2 overflow", M, D_INF, D_MAX, D_MAX, D_INF, D_INF, OF | NX);
#undef M

    group("static rounding modes (conversions)");
#define M(rm) FX("fcvt.w.s", rm, S(S_2P5))
    RM5("fcvt.w.s 2.5", M, 2, 2, 2, 3, 3, NX);
#undef M
#define M(rm) FX("fcvt.w.s", rm, S(S_M2P5))
    RM5("fcvt.w.s -2.5", M, (u64)-2, (u64)-2, (u64)-3, (u64)-2, (u64)-3, NX);
#undef M
#define M(rm) FX("fcvt.l.s", rm, S(S_HALF))
    RM5("fcvt.l.s 0.5", M, 0, 0, 0, 1, 1, NX);
#undef M
#define M(rm) FX("fcvt.w.d", rm, D_2P5)
    RM5("fcvt.w.d 2.5", M, 2, 2, 2, 3, 3, NX);
#undef M
#define M(rm) FX("fcvt.l.d", rm, D_M2P5)
    RM5("fcvt.l.d -2.5", M, (u64)-2, (u64)-2, (u64)-3, (u64)-2, (u64)-3, NX);
#undef M
#define M(rm) FX("fcvt.wu.d", rm, 0x3ff8000000000000ull) /* 1.5 */
    RM5("fcvt.wu.d 1.5", M, 2, 1, 1, 2, 2, NX);
#undef M
#define M(rm) FX("fcvt.lu.s", rm, S(0x3fc00000)) /* 1.5 */
    RM5("fcvt.lu.s 1.5", M, 2, 1, 1, 2, 2, NX);
#undef M
#define M(rm) XF("fcvt.s.w", rm, 0x7fffffff)
    RM5("fcvt.s.w 2^31-1", M, S(0x4f000000), S(0x4effffff), S(0x4effffff), S(0x4f000000),
        S(0x4f000000), NX);
#undef M
#define M(rm) XF("fcvt.s.l", rm, 0x7fffffffffffffffull)
    RM5("fcvt.s.l 2^63-1", M, S(0x5f000000), S(0x5effffff), S(0x5effffff), S(0x5f000000),
        S(0x5f000000), NX);
#undef M
#define M(rm) XF("fcvt.d.lu", rm, 0xffffffffffffffffull)
    RM5("fcvt.d.lu 2^64-1", M, 0x43f0000000000000ull, 0x43efffffffffffffull,
        0x43efffffffffffffull, 0x43f0000000000000ull, 0x43f0000000000000ull, NX);
#undef M
#define M(rm) XF("fcvt.d.l", rm, 0x8000000000000001ull)
    RM5("fcvt.d.l -(2^63-1)", M, 0xc3e0000000000000ull, 0xc3dfffffffffffffull,
        0xc3e0000000000000ull, 0xc3dfffffffffffffull, 0xc3e0000000000000ull, NX);
#undef M
#define M(rm) F1("fcvt.s.d", rm, D_THIRD)
    RM5("fcvt.s.d third", M, S(0x3eaaaaab), S(0x3eaaaaaa), S(0x3eaaaaaa), S(0x3eaaaaab),
        S(0x3eaaaaab), NX);
#undef M
#define M(rm) XF("fcvt.s.wu", rm, 0xffffffff)
    RM5("fcvt.s.wu 2^32-1", M, S(0x4f800000), S(0x4f7fffff), S(0x4f7fffff), S(0x4f800000),
        S(0x4f800000), NX);
#undef M
#define M(rm) XF("fcvt.s.lu", rm, 0xffffffffffffffffull)
    RM5("fcvt.s.lu 2^64-1", M, S(0x5f800000), S(0x5f7fffff), S(0x5f7fffff), S(0x5f800000),
        S(0x5f800000), NX);
#undef M

    group("dynamic rounding mode (frm)");
    static const u64 tie[5] = {S(S_1), S(S_1), S(S_1), S(0x3f800001), S(0x3f800001)};
    static const u64 cvt[5] = {(u64)-2, (u64)-2, (u64)-3, (u64)-2, (u64)-3};
    static const char *const nm[5] = {"fadd.s dyn frm=0", "fadd.s dyn frm=1", "fadd.s dyn frm=2",
                                      "fadd.s dyn frm=3", "fadd.s dyn frm=4"};
    static const char *const nm2[5] = {"fcvt.w.s dyn frm=0", "fcvt.w.s dyn frm=1",
                                       "fcvt.w.s dyn frm=2", "fcvt.w.s dyn frm=3",
                                       "fcvt.w.s dyn frm=4"};
    for (u64 m = 0; m < 5; m++) {
        __asm__ volatile("fsrm %0" : : "r"(m));
        CF(nm[m], F2("fadd.s", ",dyn", S(S_1), S(S_P2M24)), tie[m], NX);
        CF(nm2[m], FX("fcvt.w.s", "", S(S_M2P5)), cvt[m], NX); /* no rm operand = dyn */
    }
    __asm__ volatile("fsrmi 0");
}

static void arith_special(void)
{
    group("exceptions and special values (single)");
    CF("fadd.s 1+2", F2("fadd.s", "", S(S_1), S(S_2)), S(S_3), 0);
    CF("fsub.s 1-2", F2("fsub.s", "", S(S_1), S(S_2)), S(S_M1), 0);
    CF("fsub.s x-x = +0", F2("fsub.s", ",rne", S(S_3), S(S_3)), S(0), 0);
    CF("fsub.s x-x rdn = -0", F2("fsub.s", ",rdn", S(S_3), S(S_3)), S(S_MZERO), 0);
    CF("fsub.s x-x = +0 (dynamic rm)", F2("fsub.s", "", S(S_3), S(S_3)), S(0), 0);
    CF("fadd.s -0+-0 = -0", F2("fadd.s", "", S(S_MZERO), S(S_MZERO)), S(S_MZERO), 0);
    CF("fadd.s 2.5+-2.5 = +0", F2("fadd.s", "", S(S_2P5), S(S_M2P5)), S(0), 0);
    CF("fdiv.s 1/0", F2("fdiv.s", "", S(S_1), S(0)), S(S_INF), DZ);
    CF("fdiv.s -1/+0", F2("fdiv.s", "", S(S_M1), S(0)), S(S_MINF), DZ);
    CF("fdiv.s 0/0", F2("fdiv.s", "", S(0), S(0)), CNAN_S, NV);
    CF("fdiv.s inf/inf", F2("fdiv.s", "", S(S_INF), S(S_INF)), CNAN_S, NV);
    CF("fadd.s inf-inf", F2("fadd.s", "", S(S_INF), S(S_MINF)), CNAN_S, NV);
    CF("fmul.s 0*inf", F2("fmul.s", "", S(0), S(S_INF)), CNAN_S, NV);
    CF("fadd.s qNaN payload -> canonical", F2("fadd.s", "", S(0x7fc12345), S(S_1)), CNAN_S, 0);
    CF("fadd.s sNaN", F2("fadd.s", "", S(S_SNAN), S(S_1)), CNAN_S, NV);
    CF("fsqrt.s -1", F1("fsqrt.s", "", S(S_M1)), CNAN_S, NV);
    CF("fsqrt.s -0", F1("fsqrt.s", "", S(S_MZERO)), S(S_MZERO), 0);
    CF("fsqrt.s inf", F1("fsqrt.s", "", S(S_INF)), S(S_INF), 0);
    CF("fsqrt.s 4", F1("fsqrt.s", "", S(0x40800000)), S(S_2), 0);
    CF("fmul.s underflow", F2("fmul.s", "", S(S_MINN), S(S_THIRD)), S(0x002aaaab), UF | NX);
    /* tiny before rounding (unbounded exponent), the smallest normal after: UF */
    CF("fmul.s rounds up to min normal", F2("fmul.s", "", S(S_MINN), S(0x3f7fffff)), S(S_MINN),
       UF | NX);
    /* tiny only before rounding: RISC-V detects tininess after rounding, so no UF */
    CF("fmul.s rounds to min normal, not tiny after rounding",
       F2("fmul.s", "", S(0x007ffc00), S(0x3f800400)), S(S_MINN), NX);
    CF("fmul.s exact subnormal", F2("fmul.s", "", S(S_MINN), S(S_HALF)), S(0x00400000), 0);
    CF("fadd.s subnormals", F2("fadd.s", "", S(1), S(1)), S(2), 0);
    CF("fmadd.s 2*3+1", F3("fmadd.s", "", S(S_2), S(S_3), S(S_1)), S(0x40e00000), 0);
    CF("fmsub.s 2*3-1", F3("fmsub.s", "", S(S_2), S(S_3), S(S_1)), S(0x40a00000), 0);
    CF("fnmsub.s -(2*3)+1", F3("fnmsub.s", "", S(S_2), S(S_3), S(S_1)), S(0xc0a00000), 0);
    CF("fnmadd.s -(2*3)-1", F3("fnmadd.s", "", S(S_2), S(S_3), S(S_1)), S(0xc0e00000), 0);
    /* (1+2^-12)^2 - 1 = 2^-11 + 2^-24 exactly only when not rounded in between. */
    CF("fmsub.s fused", F3("fmsub.s", "", S(0x3f800800), S(0x3f800800), S(S_1)), S(0x3a000400), 0);
    CF("fnmadd.s fused", F3("fnmadd.s", "", S(0x3f800800), S(0x3f800800), S(S_M1)),
       S(0xba000400), 0);
    CF("fnmsub.s fused", F3("fnmsub.s", "", S(0x3f800800), S(0x3f800800), S(S_1)), S(0xba000400), 0);
    CF("fmadd.s fused", F3("fmadd.s", "", S(0x3f800800), S(0x3f800800), S(S_M1)), S(0x3a000400), 0);
    /* inf*0 + qNaN is invalid (the spec requires NV even with a quiet NaN addend). */
    CF("fmadd.s inf*0+qNaN", F3("fmadd.s", "", S(S_INF), S(0), S(S_QNAN)), CNAN_S, NV);
    CF("fmadd.s inf*0+1", F3("fmadd.s", "", S(S_INF), S(0), S(S_1)), CNAN_S, NV);
    CF("fmadd.s 1*1+sNaN", F3("fmadd.s", "", S(S_1), S(S_1), S(S_SNAN)), CNAN_S, NV);
    CF("fmadd.s qNaN*1+1", F3("fmadd.s", "", S(S_QNAN), S(S_1), S(S_1)), CNAN_S, 0);
    CF("fmadd.s inf*1-inf", F3("fmadd.s", "", S(S_INF), S(S_1), S(S_MINF)), CNAN_S, NV);

    group("exceptions and special values (double)");
    CF("fadd.d 1+2", F2("fadd.d", "", D_1, D_2), D_3, 0);
    CF("fsub.d 1-2", F2("fsub.d", "", D_1, D_2), D_M1, 0);
    /* zero sums: exact, no flag, the sign by IEEE's rules */
    CF("fadd.d 1+-1 = +0", F2("fadd.d", "", D_1, D_M1), 0, 0);
    CF("fsub.d 3-3 = +0", F2("fsub.d", "", D_3, D_3), 0, 0);
    CF("fadd.d -0+-0 = -0", F2("fadd.d", "", D_MZERO, D_MZERO), D_MZERO, 0);
    CF("fsub.d -0-0 = -0", F2("fsub.d", "", D_MZERO, 0), D_MZERO, 0);
    CF("fsub.d -0--0 = +0", F2("fsub.d", "", D_MZERO, D_MZERO), 0, 0);
    CF("fadd.d subnormal+-subnormal = +0", F2("fadd.d", "", 1, 0x8000000000000001ull), 0, 0);
    CF("fsub.d x-x rdn = -0", F2("fsub.d", ",rdn", D_2P5, D_2P5), D_MZERO, 0);
    CF("fdiv.d 1/0", F2("fdiv.d", "", D_1, 0), D_INF, DZ);
    CF("fdiv.d 0/0", F2("fdiv.d", "", 0, 0), CNAN_D, NV);
    CF("fmul.d 0*inf", F2("fmul.d", "", 0, D_INF), CNAN_D, NV);
    CF("fsub.d inf-inf", F2("fsub.d", "", D_INF, D_INF), CNAN_D, NV);
    CF("fadd.d qNaN payload -> canonical", F2("fadd.d", "", D_QNANP, D_1), CNAN_D, 0);
    CF("fmul.d sNaN", F2("fmul.d", "", D_1, D_SNAN), CNAN_D, NV);
    CF("fsqrt.d -1", F1("fsqrt.d", "", D_M1), CNAN_D, NV);
    CF("fsqrt.d -0", F1("fsqrt.d", "", D_MZERO), D_MZERO, 0);
    CF("fmul.d underflow", F2("fmul.d", "", D_MINN, D_THIRD), 0x0005555555555555ull, UF | NX);
    CF("fmul.d rounds up to min normal", F2("fmul.d", "", D_MINN, 0x3fefffffffffffffull), D_MINN,
       UF | NX);
    CF("fmul.d rounds to min normal, not tiny after rounding",
       F2("fmul.d", "", 0x000ffffffe000000ull, 0x3ff0000002000000ull), D_MINN, NX);
    CF("fmsub.d max*2-max (fused: no overflow)", F3("fmsub.d", "", D_MAX, D_2, D_MAX), D_MAX, 0);
    CF("fmadd.d max*max+1 overflow", F3("fmadd.d", "", D_MAX, D_MAX, D_1), D_INF, OF | NX);
    CF("fmadd.d 2*3+1", F3("fmadd.d", "", D_2, D_3, D_1), 0x401c000000000000ull, 0);
    CF("fmsub.d 2*3-1", F3("fmsub.d", "", D_2, D_3, D_1), 0x4014000000000000ull, 0);
    CF("fnmsub.d -(2*3)+1", F3("fnmsub.d", "", D_2, D_3, D_1), 0xc014000000000000ull, 0);
    CF("fnmadd.d -(2*3)-1", F3("fnmadd.d", "", D_2, D_3, D_1), 0xc01c000000000000ull, 0);
    CF("fmsub.d fused", F3("fmsub.d", "", 0x3ff0000000400000ull, 0x3ff0000000400000ull, D_1),
       0x3e20000000200000ull, 0);
    CF("fmadd.d inf*0+qNaN", F3("fmadd.d", "", D_INF, 0, D_QNAN), CNAN_D, NV);
    CF("fnmadd.d sNaN", F3("fnmadd.d", "", D_SNAN, D_1, D_1), CNAN_D, NV);
}

static void sign_minmax_cmp(void)
{
    group("sign injection");
    CF("fsgnj.s", F2("fsgnj.s", "", S(S_1), S(S_MZERO)), S(S_M1), 0);
    CF("fsgnjn.s", F2("fsgnjn.s", "", S(S_1), S(S_MZERO)), S(S_1), 0);
    CF("fsgnjx.s -1,-2", F2("fsgnjx.s", "", S(S_M1), S(S_M2)), S(S_1), 0);
    CF("fsgnjx.s -1,+2", F2("fsgnjx.s", "", S(S_M1), S(S_2)), S(S_M1), 0);
    CF("fsgnj.s keeps sNaN payload", F2("fsgnj.s", "", S(S_SNAN), S(S_MZERO)), S(0xff800001), 0);
    CF("fsgnj.s unboxed rs1 -> canonical NaN", F2("fsgnj.s", "", UNBOXED, S(S_MZERO)),
       S(0xffc00000), 0);
    CF("fsgnj.s unboxed rs2 (sign of canonical NaN)", F2("fsgnj.s", "", S(S_M1), UNBOXED), S(S_1), 0);
    CF("fsgnjn.s unboxed rs2", F2("fsgnjn.s", "", S(S_1), UNBOXED), S(S_M1), 0);
    CF("fsgnjx.s partially boxed rs1", F2("fsgnjx.s", "", 0xfffffffe3f800000ull, S(S_M1)),
       S(0xffc00000), 0);
    CF("fsgnj.d", F2("fsgnj.d", "", D_1, D_MZERO), D_M1, 0);
    CF("fsgnjn.d sNaN keeps payload", F2("fsgnjn.d", "", D_SNAN, D_SNAN), 0xfff0000000000001ull, 0);
    CF("fsgnjx.d", F2("fsgnjx.d", "", D_M1, D_M1), D_1, 0);
    CF("fsgnj.d on a boxed single (raw bits)", F2("fsgnj.d", "", S(S_1), 0), 0x7fffffff3f800000ull, 0);

    group("fmin/fmax");
    CF("fmin.s 1,2", F2("fmin.s", "", S(S_1), S(S_2)), S(S_1), 0);
    CF("fmax.s 1,2", F2("fmax.s", "", S(S_1), S(S_2)), S(S_2), 0);
    CF("fmin.s -0,+0", F2("fmin.s", "", S(S_MZERO), S(0)), S(S_MZERO), 0);
    CF("fmin.s +0,-0", F2("fmin.s", "", S(0), S(S_MZERO)), S(S_MZERO), 0);
    CF("fmax.s -0,+0", F2("fmax.s", "", S(S_MZERO), S(0)), S(0), 0);
    CF("fmax.s +0,-0", F2("fmax.s", "", S(0), S(S_MZERO)), S(0), 0);
    CF("fmin.s qNaN,1", F2("fmin.s", "", S(S_QNAN), S(S_1)), S(S_1), 0);
    CF("fmax.s 1,qNaN", F2("fmax.s", "", S(S_1), S(S_QNAN)), S(S_1), 0);
    CF("fmin.s sNaN,1", F2("fmin.s", "", S(S_SNAN), S(S_1)), S(S_1), NV);
    CF("fmin.s qNaN,qNaN", F2("fmin.s", "", S(0x7fc00001), S(S_QNAN)), CNAN_S, 0);
    CF("fmax.s sNaN,qNaN", F2("fmax.s", "", S(S_SNAN), S(S_QNAN)), CNAN_S, NV);
    CF("fmin.s unboxed,2", F2("fmin.s", "", UNBOXED, S(S_2)), S(S_2), 0);
    CF("fmin.d -0,+0", F2("fmin.d", "", D_MZERO, 0), D_MZERO, 0);
    CF("fmax.d -0,+0", F2("fmax.d", "", D_MZERO, 0), 0, 0);
    CF("fmax.d qNaN,1", F2("fmax.d", "", D_QNANP, D_1), D_1, 0);
    CF("fmin.d sNaN,sNaN", F2("fmin.d", "", D_SNAN, D_SNAN), CNAN_D, NV);
    CF("fmax.d -inf,-max", F2("fmax.d", "", D_MINF, 0xffefffffffffffffull), 0xffefffffffffffffull, 0);
    CF("fmin.d 1,-inf", F2("fmin.d", "", D_1, D_MINF), D_MINF, 0);

    group("compares");
    CF("feq.s 1,1", FCMP("feq.s", S(S_1), S(S_1)), 1, 0);
    CF("feq.s qNaN,1", FCMP("feq.s", S(S_QNAN), S(S_1)), 0, 0);
    CF("feq.s sNaN,1", FCMP("feq.s", S(S_SNAN), S(S_1)), 0, NV);
    CF("flt.s qNaN,1", FCMP("flt.s", S(S_QNAN), S(S_1)), 0, NV);
    CF("fle.s 1,qNaN", FCMP("fle.s", S(S_1), S(S_QNAN)), 0, NV);
    CF("feq.s -0,+0", FCMP("feq.s", S(S_MZERO), S(0)), 1, 0);
    CF("flt.s -0,+0", FCMP("flt.s", S(S_MZERO), S(0)), 0, 0);
    CF("fle.s -0,+0", FCMP("fle.s", S(S_MZERO), S(0)), 1, 0);
    CF("flt.s -1,1", FCMP("flt.s", S(S_M1), S(S_1)), 1, 0);
    CF("fle.s 2,1", FCMP("fle.s", S(S_2), S(S_1)), 0, 0);
    CF("flt.s -inf,inf", FCMP("flt.s", S(S_MINF), S(S_INF)), 1, 0);
    CF("feq.s unboxed,unboxed", FCMP("feq.s", UNBOXED, UNBOXED), 0, 0);
    CF("flt.s unboxed,1", FCMP("flt.s", UNBOXED, S(S_1)), 0, NV);
    CF("feq.d 1,1", FCMP("feq.d", D_1, D_1), 1, 0);
    CF("feq.d qNaN,qNaN", FCMP("feq.d", D_QNAN, D_QNAN), 0, 0);
    CF("feq.d sNaN,1", FCMP("feq.d", D_SNAN, D_1), 0, NV);
    CF("flt.d 1,2", FCMP("flt.d", D_1, D_2), 1, 0);
    CF("flt.d qNaN,1", FCMP("flt.d", D_QNAN, D_1), 0, NV);
    CF("fle.d -0,+0", FCMP("fle.d", D_MZERO, 0), 1, 0);
    CF("fle.d 2,1", FCMP("fle.d", D_2, D_1), 0, 0);

    group("fclass");
    static const u64 sin[10] = {S(S_MINF), S(S_M1), S(0x80000001), S(S_MZERO), S(0),
                                S(1),      S(S_1),  S(S_INF),     S(S_SNAN),  S(S_QNAN)};
    static const u64 din[10] = {D_MINF, D_M1, 0x8000000000000001ull, D_MZERO, 0,
                                1,      D_1,  D_INF,                 D_SNAN,  D_QNAN};
    static const char *const cn[10] = {"-inf", "-normal", "-subnormal", "-0", "+0",
                                       "+subnormal", "+normal", "+inf", "sNaN", "qNaN"};
    for (int i = 0; i < 10; i++) {
        char b1[40] = "fclass.s ", b2[40] = "fclass.d ";
        for (int j = 0; cn[i][j]; j++)
            b1[9 + j] = b2[9 + j] = cn[i][j];
        CF(b1, FX("fclass.s", "", sin[i]), 1u << i, 0);
        CF(b2, FX("fclass.d", "", din[i]), 1u << i, 0);
    }
    CF("fclass.s unboxed", FX("fclass.s", "", UNBOXED), 0x200, 0);
    CF("fclass.s -qNaN", FX("fclass.s", "", S(0xffc00000)), 0x200, 0);
}

static void conversions(void)
{
    group("fcvt saturation and flags (single source)");
    CF("fcvt.w.s 2^31", FX("fcvt.w.s", ",rtz", S(0x4f000000)), 0x7fffffff, NV);
    CF("fcvt.w.s -2^31", FX("fcvt.w.s", ",rtz", S(0xcf000000)), 0xffffffff80000000ull, 0);
    CF("fcvt.w.s NaN", FX("fcvt.w.s", ",rtz", S(S_QNAN)), 0x7fffffff, NV);
    CF("fcvt.w.s -NaN", FX("fcvt.w.s", ",rtz", S(0xffc00000)), 0x7fffffff, NV);
    CF("fcvt.w.s +inf", FX("fcvt.w.s", ",rtz", S(S_INF)), 0x7fffffff, NV);
    CF("fcvt.w.s -inf", FX("fcvt.w.s", ",rtz", S(S_MINF)), 0xffffffff80000000ull, NV);
    CF("fcvt.w.s unboxed", FX("fcvt.w.s", ",rtz", UNBOXED), 0x7fffffff, NV);
    CF("fcvt.wu.s 2^31 (sext)", FX("fcvt.wu.s", ",rtz", S(0x4f000000)), 0xffffffff80000000ull, 0);
    CF("fcvt.wu.s 2^32", FX("fcvt.wu.s", ",rtz", S(0x4f800000)), 0xffffffffffffffffull, NV);
    CF("fcvt.wu.s -1", FX("fcvt.wu.s", ",rtz", S(S_M1)), 0, NV);
    CF("fcvt.wu.s -0.5 rtz", FX("fcvt.wu.s", ",rtz", S(S_MHALF)), 0, NX);
    CF("fcvt.wu.s NaN", FX("fcvt.wu.s", ",rtz", S(S_QNAN)), 0xffffffffffffffffull, NV);
    CF("fcvt.wu.s +inf", FX("fcvt.wu.s", ",rtz", S(S_INF)), 0xffffffffffffffffull, NV);
    CF("fcvt.wu.s -inf", FX("fcvt.wu.s", ",rtz", S(S_MINF)), 0, NV);
    CF("fcvt.l.s 2^63", FX("fcvt.l.s", ",rtz", S(0x5f000000)), 0x7fffffffffffffffull, NV);
    CF("fcvt.l.s -2^63", FX("fcvt.l.s", ",rtz", S(0xdf000000)), 0x8000000000000000ull, 0);
    CF("fcvt.l.s NaN", FX("fcvt.l.s", ",rtz", S(S_SNAN)), 0x7fffffffffffffffull, NV);
    CF("fcvt.l.s -inf", FX("fcvt.l.s", ",rtz", S(S_MINF)), 0x8000000000000000ull, NV);
    CF("fcvt.l.s -1", FX("fcvt.l.s", ",rtz", S(S_M1)), 0xffffffffffffffffull, 0);
    CF("fcvt.lu.s 2^64", FX("fcvt.lu.s", ",rtz", S(0x5f800000)), 0xffffffffffffffffull, NV);
    CF("fcvt.lu.s 2^63", FX("fcvt.lu.s", ",rtz", S(0x5f000000)), 0x8000000000000000ull, 0);
    CF("fcvt.lu.s -1", FX("fcvt.lu.s", ",rtz", S(S_M1)), 0, NV);
    CF("fcvt.lu.s -0.5 rtz", FX("fcvt.lu.s", ",rtz", S(S_MHALF)), 0, NX);
    CF("fcvt.lu.s -0.5 rdn", FX("fcvt.lu.s", ",rdn", S(S_MHALF)), 0, NV);
    CF("fcvt.lu.s NaN", FX("fcvt.lu.s", ",rtz", S(S_QNAN)), 0xffffffffffffffffull, NV);
    CF("fcvt.lu.s -inf", FX("fcvt.lu.s", ",rtz", S(S_MINF)), 0, NV);

    group("fcvt saturation and flags (double source)");
    CF("fcvt.w.d 2^31", FX("fcvt.w.d", ",rtz", 0x41e0000000000000ull), 0x7fffffff, NV);
    CF("fcvt.w.d -2^31-0.5 rtz", FX("fcvt.w.d", ",rtz", 0xc1e0000000100000ull),
       0xffffffff80000000ull, NX);
    CF("fcvt.w.d -2^31-0.5 rne", FX("fcvt.w.d", ",rne", 0xc1e0000000100000ull),
       0xffffffff80000000ull, NX);
    CF("fcvt.w.d -2^31-0.5 rdn", FX("fcvt.w.d", ",rdn", 0xc1e0000000100000ull),
       0xffffffff80000000ull, NV);
    CF("fcvt.w.d NaN", FX("fcvt.w.d", ",rtz", D_QNAN), 0x7fffffff, NV);
    CF("fcvt.w.d -inf", FX("fcvt.w.d", ",rtz", D_MINF), 0xffffffff80000000ull, NV);
    CF("fcvt.wu.d 2^32-1 (sext)", FX("fcvt.wu.d", ",rtz", 0x41efffffffe00000ull),
       0xffffffffffffffffull, 0);
    CF("fcvt.wu.d -0.9 rtz", FX("fcvt.wu.d", ",rtz", 0xbfeccccccccccccdull), 0, NX);
    CF("fcvt.wu.d 2^32", FX("fcvt.wu.d", ",rtz", 0x41f0000000000000ull), 0xffffffffffffffffull, NV);
    CF("fcvt.wu.d NaN", FX("fcvt.wu.d", ",rtz", D_SNAN), 0xffffffffffffffffull, NV);
    CF("fcvt.l.d 1e19", FX("fcvt.l.d", ",rtz", 0x43e158e460913d00ull), 0x7fffffffffffffffull, NV);
    CF("fcvt.l.d NaN", FX("fcvt.l.d", ",rtz", D_QNAN), 0x7fffffffffffffffull, NV);
    CF("fcvt.l.d -inf", FX("fcvt.l.d", ",rtz", D_MINF), 0x8000000000000000ull, NV);
    CF("fcvt.lu.d 1e19", FX("fcvt.lu.d", ",rtz", 0x43e158e460913d00ull), 0x8ac7230489e80000ull, 0);
    CF("fcvt.lu.d inf", FX("fcvt.lu.d", ",rtz", D_INF), 0xffffffffffffffffull, NV);
    CF("fcvt.lu.d -inf", FX("fcvt.lu.d", ",rtz", D_MINF), 0, NV);
    CF("fcvt.lu.d NaN", FX("fcvt.lu.d", ",rtz", D_QNAN), 0xffffffffffffffffull, NV);

    group("integer to float");
    CF("fcvt.s.w uses low 32 bits", XF("fcvt.s.w", "", 0x12345678ffffffffull), S(S_M1), 0);
    CF("fcvt.s.w 0", XF("fcvt.s.w", "", 0), S(0), 0);
    CF("fcvt.s.wu ignores high", XF("fcvt.s.wu", "", 0xffffffff00000001ull), S(S_1), 0);
    CF("fcvt.s.l -1", XF("fcvt.s.l", "", 0xffffffffffffffffull), S(S_M1), 0);
    CF("fcvt.s.lu 2^63", XF("fcvt.s.lu", "", 0x8000000000000000ull), S(0x5f000000), 0);
    CF("fcvt.d.w uses low 32 bits", XF("fcvt.d.w", "", 0x1234567880000000ull),
       0xc1e0000000000000ull, 0);
    CF("fcvt.d.wu", XF("fcvt.d.wu", "", 0xffffffffffffffffull), 0x41efffffffe00000ull, 0);
    CF("fcvt.d.l min", XF("fcvt.d.l", "", 0x8000000000000000ull), 0xc3e0000000000000ull, 0);
    CF("fcvt.d.lu 2^63", XF("fcvt.d.lu", "", 0x8000000000000000ull), 0x43e0000000000000ull, 0);

    group("float to float");
    CF("fcvt.s.d 1e300 rne", F1("fcvt.s.d", ",rne", 0x7e37e43c8800759cull), S(S_INF), OF | NX);
    CF("fcvt.s.d 1e300 rtz", F1("fcvt.s.d", ",rtz", 0x7e37e43c8800759cull), S(S_MAX), OF | NX);
    CF("fcvt.s.d 1e-50 rne", F1("fcvt.s.d", ",rne", 0x358dee7a4ad4b81full), S(0), UF | NX);
    CF("fcvt.s.d 1e-50 rup", F1("fcvt.s.d", ",rup", 0x358dee7a4ad4b81full), S(1), UF | NX);
    CF("fcvt.s.d qNaN payload", F1("fcvt.s.d", "", D_QNANP), CNAN_S, 0);
    CF("fcvt.s.d sNaN", F1("fcvt.s.d", "", D_SNAN), CNAN_S, NV);
    CF("fcvt.s.d -0", F1("fcvt.s.d", "", D_MZERO), S(S_MZERO), 0);
    CF("fcvt.s.d -inf", F1("fcvt.s.d", "", D_MINF), S(S_MINF), 0);
    CF("fcvt.d.s third", F1("fcvt.d.s", "", S(S_THIRD)), 0x3fd5555560000000ull, 0);
    CF("fcvt.d.s subnormal", F1("fcvt.d.s", "", S(1)), 0x36a0000000000000ull, 0);
    CF("fcvt.d.s sNaN", F1("fcvt.d.s", "", S(S_SNAN)), CNAN_D, NV);
    CF("fcvt.d.s qNaN payload", F1("fcvt.d.s", "", S(0x7fc12345)), CNAN_D, 0);
    CF("fcvt.d.s unboxed", F1("fcvt.d.s", "", UNBOXED), CNAN_D, 0);
}

static void moves(void)
{
    static u64 mem[2] __attribute__((aligned(8)));
    group("moves, loads, stores, NaN boxing");
    CF("fmv.w.x boxes", XF("fmv.w.x", "", 0x123456789abcdef0ull), S(0x9abcdef0), 0);
    CF("fmv.x.w sign-extends", FX("fmv.x.w", "", S(0x80000000)), 0xffffffff80000000ull, 0);
    CF("fmv.x.w positive", FX("fmv.x.w", "", S(0x7f800000)), 0x7f800000, 0);
    CF("fmv.x.w unboxed (raw low bits)", FX("fmv.x.w", "", 0x123456789abcdef0ull),
       0xffffffff9abcdef0ull, 0);
    CF("fmv.x.w keeps sNaN", FX("fmv.x.w", "", S(S_SNAN)), S_SNAN, 0);
    CF("fmv.d.x/fmv.x.d raw", XF("fmv.d.x", "", D_SNAN), D_SNAN, 0);
    CF("fmv.x.d", FX("fmv.x.d", "", 0x0123456789abcdefull), 0x0123456789abcdefull, 0);
    CF("fadd.s unboxed", F2("fadd.s", "", UNBOXED, S(S_1)), CNAN_S, 0);
    CF("fadd.s partially boxed", F2("fadd.s", "", 0x7fffffff3f800000ull, S(S_1)), CNAN_S, 0);
    CF("fmul.s boxed ok", F2("fmul.s", "", S(S_2), S(S_3)), S(0x40c00000), 0);

    mem[0] = 0x1111111180000001ull;
    mem[1] = 0;
    {
        u64 r;
        __asm__ volatile("flw ft0,0(%1)\n fmv.x.d %0,ft0" : "=r"(r) : "r"(mem) : "ft0", "memory");
        check("flw boxes", r, S(0x80000001));
        __asm__ volatile("fld ft0,0(%1)\n fmv.x.d %0,ft0" : "=r"(r) : "r"(mem) : "ft0", "memory");
        check("fld", r, 0x1111111180000001ull);
        /* fsw of an unboxed register stores its low 32 bits unchanged. */
        __asm__ volatile("fmv.d.x ft0,%1\n fsw ft0,8(%0)" : : "r"(mem), "r"(0xabcdef0012345678ull)
                         : "ft0", "memory");
        check("fsw unboxed stores low bits", mem[1], 0x12345678);
        __asm__ volatile("fmv.d.x ft0,%1\n fsd ft0,8(%0)" : : "r"(mem), "r"(D_SNAN) : "ft0", "memory");
        check("fsd keeps sNaN", mem[1], D_SNAN);
        /* flw -> fsw round trip of a signaling NaN must not quiet it (no arithmetic). */
        mem[0] = S_SNAN;
        __asm__ volatile("flw ft0,0(%0)\n fsw ft0,12(%0)" : : "r"(mem) : "ft0", "memory");
        check("flw/fsw keeps sNaN", mem[1] >> 32, S_SNAN);
    }
}

int main(void)
{
    for (preset = 0; preset <= NX; preset += NX) {
        __asm__ volatile("fscsr x0"); /* frm = rne, no flags */
        rounding();
        arith_special();
        sign_minmax_cmp();
        conversions();
        moves();
    }
    return 0;
}
