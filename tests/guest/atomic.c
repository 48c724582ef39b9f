/* atomic.c — the A extension: LR/SC (.w/.d) success and the failure cases the spec
 * requires (SC without a reservation, second SC after an SC, SC to an address outside the
 * reservation set) plus SC after an intervening same-hart store (implementation-defined:
 * printed for comparison with qemu and checked only for consistency), and every AMO in
 * .w (32-bit op, result sign-extended, upper rs2 bits ignored) and .d forms, with the
 * aq/rl/aqrl orderings. Expected values follow the unprivileged spec's "A" chapter. */
#include "rt.h"

static u64 area[1024] __attribute__((aligned(4096)));
static u64 far_area[8] __attribute__((aligned(4096)));

#define LR(op, p)                                                                      \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(op " %0,(%1)" : "=r"(_d) : "r"(p) : "memory");                \
        _d;                                                                            \
    })
#define SC(op, p, v)                                                                   \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(op " %0,%2,(%1)" : "=&r"(_d) : "r"(p), "r"((u64)(v)) : "memory"); \
        _d;                                                                            \
    })
/* AMO: returns the old memory value; memory gets OP(old, v). */
#define AMO(op, p, v)                                                                  \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(op " %0,%2,(%1)" : "=&r"(_d) : "r"(p), "r"((u64)(v)) : "memory"); \
        _d;                                                                            \
    })

static u64 *w32(u64 *p, u64 v) /* set the low word, keep a marker in the high word */
{
    *p = 0x5a5a5a5a00000000ull | (v & 0xffffffffull);
    return p;
}
static u64 lo32(const u64 *p) { return *p & 0xffffffffull; }
static u64 hi32(const u64 *p) { return *p >> 32; }

static void lrsc(void)
{
    u64 *p = &area[0];
    group("lr/sc word");
    w32(p, 0x80000001);
    check("lr.w sext", LR("lr.w", p), 0xffffffff80000001ull);
    check("sc.w success", SC("sc.w", p, 0x1234567812345678ull), 0);
    check("sc.w stored low word", lo32(p), 0x12345678);
    check("sc.w kept high word", hi32(p), 0x5a5a5a5a);
    check("sc.w again (no reservation)", SC("sc.w", p, 7), 1);
    check("  memory unchanged", lo32(p), 0x12345678);
    check("lr.w.aq", LR("lr.w.aq", p), 0x12345678);
    check("sc.w.rl success", SC("sc.w.rl", p, 9), 0);
    check("lr.w.aqrl", LR("lr.w.aqrl", p), 9);
    check("sc.w.aqrl success", SC("sc.w.aqrl", p, 10), 0);
    check("  memory", lo32(p), 10);

    group("lr/sc doubleword");
    *p = 0x8000000000000002ull;
    check("lr.d", LR("lr.d", p), 0x8000000000000002ull);
    check("sc.d success", SC("sc.d", p, 0xfedcba9876543210ull), 0);
    check("  memory", *p, 0xfedcba9876543210ull);
    check("sc.d again (no reservation)", SC("sc.d", p, 1), 1);
    check("  memory unchanged", *p, 0xfedcba9876543210ull);
    check("lr.d.aq", LR("lr.d.aq", p), 0xfedcba9876543210ull);
    check("sc.d.rl", SC("sc.d.rl", p, 3), 0);
    check("lr.d.aqrl", LR("lr.d.aqrl", p), 3);
    check("sc.d.aqrl", SC("sc.d.aqrl", p, 4), 0);
    check("  memory", *p, 4);

    group("sc failures");
    /* SC to an address in another page is outside any reservation set: must fail. */
    far_area[0] = 77;
    *p = 5;
    (void)LR("lr.d", p);
    check("sc.d other address fails", SC("sc.d", &far_area[0], 6), 1);
    check("  other address unchanged", far_area[0], 77);
    check("  sc.d after failed sc fails", SC("sc.d", p, 6), 1);
    check("  lr address unchanged", *p, 5);
    (void)LR("lr.w", p);
    check("sc.w other address fails", SC("sc.w", &far_area[0], 6), 1);
    check("  other address unchanged", far_area[0], 77);

    /* Same-hart store to the reserved address between LR and SC: the spec lets the SC
     * succeed or fail; qemu fails it because the value changed. Print it, and check that
     * the result and memory agree. */
    *p = 100;
    (void)LR("lr.d", p);
    __asm__ volatile("sd %1,0(%0)" : : "r"(p), "r"(200ull) : "memory");
    {
        u64 r = SC("sc.d", p, 300);
        show("sc.d after same-hart store", r);
        check("  memory consistent with result", *p, r == 0 ? 300 : 200);
    }
    w32(p, 100);
    (void)LR("lr.w", p);
    __asm__ volatile("sw %1,0(%0)" : : "r"(p), "r"(200ull) : "memory");
    {
        u64 r = SC("sc.w", p, 300);
        show("sc.w after same-hart store", r);
        check("  memory consistent with result", lo32(p), r == 0 ? 300 : 200);
    }
    /* A typical retry loop: atomic increment by LR/SC. */
    *p = 41;
    {
        u64 tmp, fail;
        __asm__ volatile("1: lr.d %0,(%2)\n addi %0,%0,1\n sc.d %1,%0,(%2)\n bnez %1,1b"
                         : "=&r"(tmp), "=&r"(fail)
                         : "r"(p)
                         : "memory");
    }
    check("lr/sc increment loop", *p, 42);
}

/* One .w AMO: memory low word starts at M, rs2 = V (upper half garbage on purpose). */
#define AMOW(op, m, v, exp_ret, exp_mem)                                               \
    do {                                                                               \
        w32(p, m);                                                                     \
        check(op, AMO(op, p, 0xdeadbeef00000000ull | (u64)(u32)(v)), exp_ret);          \
        check("  memory", lo32(p), exp_mem);                                           \
        check("  high word untouched", hi32(p), 0x5a5a5a5a);                           \
    } while (0)
#define AMOD(op, m, v, exp_ret, exp_mem)                                               \
    do {                                                                               \
        *p = (m);                                                                      \
        check(op, AMO(op, p, v), exp_ret);                                             \
        check("  memory", *p, exp_mem);                                                \
    } while (0)

static void amos(void)
{
    u64 *p = &area[16];
    group("amo word");
    AMOW("amoswap.w", 0x80000000, 0x11, 0xffffffff80000000ull, 0x11);
    AMOW("amoadd.w", 0x7fffffff, 1, 0x7fffffff, 0x80000000);
    AMOW("amoadd.w.aq", 0xffffffff, 1, 0xffffffffffffffffull, 0);
    AMOW("amoxor.w", 0xf0f0f0f0, 0xff00ff00, 0xfffffffff0f0f0f0ull, 0x0ff00ff0);
    AMOW("amoand.w.rl", 0xf0f0f0f0, 0xff00ff00, 0xfffffffff0f0f0f0ull, 0xf000f000);
    AMOW("amoand.w", 0x80000001, 0xffffffff, 0xffffffff80000001ull, 0x80000001);
    AMOW("amoor.w", 0x0000f000, 0x0f000000, 0xf000, 0x0f00f000);
    AMOW("amoor.w.aqrl", 0x80000000, 0x00000001, 0xffffffff80000000ull, 0x80000001);
    AMOW("amomin.w", 0x80000000, 1, 0xffffffff80000000ull, 0x80000000);
    AMOW("amomin.w", 5, 0xffffffff, 5, 0xffffffff);
    AMOW("amomax.w", 0x80000000, 1, 0xffffffff80000000ull, 1);
    AMOW("amomax.w.aq", 0xfffffffe, 0xffffffff, 0xfffffffffffffffeull, 0xffffffff);
    AMOW("amominu.w", 0x80000000, 1, 0xffffffff80000000ull, 1);
    AMOW("amominu.w.rl", 3, 0xffffffff, 3, 3);
    AMOW("amomaxu.w", 0x80000000, 1, 0xffffffff80000000ull, 0x80000000);
    AMOW("amomaxu.w.aqrl", 3, 0xffffffff, 3, 0xffffffff);

    group("amo doubleword");
    AMOD("amoswap.d", 0x8000000000000000ull, 0x11, 0x8000000000000000ull, 0x11);
    AMOD("amoswap.d.aq", 1, 2, 1, 2);
    AMOD("amoadd.d", 0x7fffffffffffffffull, 1, 0x7fffffffffffffffull, 0x8000000000000000ull);
    AMOD("amoadd.d.rl", 0xffffffffffffffffull, 2, 0xffffffffffffffffull, 1);
    AMOD("amoxor.d", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0xff00ff00ff00ff00ull,
         0xf0f0f0f0f0f0f0f0ull);
    AMOD("amoand.d.aqrl", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0xff00ff00ff00ff00ull,
         0x0f000f000f000f00ull);
    AMOD("amoand.d", 0xffffffff00000000ull, 0x0000ffffffff0000ull, 0xffffffff00000000ull,
         0x0000ffff00000000ull);
    AMOD("amoor.d", 0x8000000000000000ull, 1, 0x8000000000000000ull, 0x8000000000000001ull);
    AMOD("amomin.d", 0x8000000000000000ull, 1, 0x8000000000000000ull, 0x8000000000000000ull);
    AMOD("amomin.d.aq", 0x0000000100000000ull, 0xffffffffffffffffull, 0x0000000100000000ull,
         0xffffffffffffffffull);
    AMOD("amomax.d", 0x8000000000000000ull, 1, 0x8000000000000000ull, 1);
    AMOD("amomax.d.rl", 0x00000000ffffffffull, 0x0000000100000000ull, 0x00000000ffffffffull,
         0x0000000100000000ull);
    AMOD("amominu.d", 0x8000000000000000ull, 1, 0x8000000000000000ull, 1);
    AMOD("amominu.d.aqrl", 0xffffffffffffffffull, 0xfffffffffffffffeull, 0xffffffffffffffffull,
         0xfffffffffffffffeull);
    AMOD("amomaxu.d", 0x8000000000000000ull, 1, 0x8000000000000000ull, 0x8000000000000000ull);
    AMOD("amomaxu.d.aq", 0x00000000ffffffffull, 0x0000000100000000ull, 0x00000000ffffffffull,
         0x0000000100000000ull);

    group("amo with rd=x0 and rd=rs2");
    *p = 10;
    __asm__ volatile("amoadd.d x0,%1,(%0)" : : "r"(p), "r"(5ull) : "memory");
    check("amoadd.d rd=x0", *p, 15);
    {
        u64 v = 100;
        __asm__ volatile("amoswap.d %0,%0,(%1)" : "+r"(v) : "r"(p) : "memory");
        check("amoswap.d rd=rs2 old", v, 15);
        check("  memory", *p, 100);
    }
}

int main(void)
{
    lrsc();
    amos();
    return 0;
}
