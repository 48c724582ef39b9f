/* indirect.c — indirect jumps the DBT follows inside a block to the target it
 * predicts (exec/dbt_translate.c, predict_jalr; a guard leaves the block when the
 * target is another): calls through a function pointer the block did not compute,
 * to a leaf on another page (whose return goes back into the block: a known link), to
 * one on the same page, and to one that calls on (its return comes from the stack); the
 * same call site then reaching another function (the guard fails every time), targets
 * that change every few calls, a call whose target is the block's own start
 * (recursion), jumps through an auipc-computed base and their returns, and a callee
 * in an RWX mapping rewritten without fence.i while its caller's block holds a copy of
 * it. Each runs in loops long enough for the DBT to translate it hot; expected values
 * are worked out by hand (or, where marked, qemu's output is the oracle). */
#include "rt.h"

#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define PROT_RWX 7
#define ADDI(rd, rs1, imm) ((((u32)(imm) & 0xfff) << 20) | ((rs1) << 15) | ((rd) << 7) | 0x13)
#define A0 10
#define RET 0x00008067u /* jalr x0, 0(ra) */

typedef u64 (*fn2)(u64, u64);

static __attribute__((noipa)) u64 add_fn(u64 a, u64 b) { return a + b; }
static __attribute__((noipa)) u64 xor_fn(u64 a, u64 b) { return a ^ b; }
static __attribute__((noipa)) u64 sub_fn(u64 a, u64 b) { return a - b; }
/* starts a page, which the loops below share: the leaves above lie on the page before
 * it, so the calls to them cross pages (and this one does not) */
static __attribute__((noipa, aligned(4096))) u64 far_fn(u64 a, u64 b) { return a * 3 + b; }
/* calls on: its return address comes back from the stack */
static __attribute__((noipa)) u64 nested_fn(u64 a, u64 b) { return add_fn(a, b) + 1; }

/* s = f(i, s) for i < n: one call site per copy, so each copy's block predicts the
 * target of its own first call. */
#define RUN(name)                                                                      \
    static __attribute__((noipa)) u64 name(fn2 f, u64 n)                               \
    {                                                                                  \
        u64 s = 0;                                                                     \
        for (u64 i = 0; i < n; i++)                                                    \
            s = f(i, s);                                                               \
        return s;                                                                      \
    }
RUN(run_leaf)
RUN(run_far)
RUN(run_nested)
RUN(run_changed)
RUN(run_smc)

/* Every `every` calls the target moves on to the next of table[0..2]. */
static __attribute__((noipa)) u64 run_switching(const fn2 *table, u64 n, u64 every)
{
    u64 s = 0;
    for (u64 i = 0; i < n; i++) {
        fn2 f = table[i % 3];
        for (u64 j = 0; j < every; j++)
            s = f(i * every + j, s);
    }
    return s;
}

/* sum of k for k <= n, through a pointer to itself: the call's predicted target is
 * the start of the block making it */
typedef u64 (*self_fn)(void *, u64);
static __attribute__((noipa)) u64 self_sum(void *self, u64 n)
{
    return n == 0 ? 0 : n + ((self_fn)self)(self, n - 1);
}

/* x + 101: auipc makes the base of a jalr (a known target) to "x += 1" and back
 * through the link it wrote (a known return), then r = x + 100. */
static __attribute__((noipa)) u64 auipc_round_trip(u64 x)
{
    u64 r;
    __asm__ volatile(".option push\n.option norvc\n"
                     "auipc t0, 0\n"
                     "jalr t1, 16(t0)\n"
                     "addi %0, %1, 100\n"
                     "j 3f\n"
                     "addi %1, %1, 1\n"
                     "jalr zero, 0(t1)\n"
                     "3:\n"
                     ".option pop\n"
                     : "=&r"(r), "+r"(x) : : "t0", "t1");
    return r;
}

int main(void)
{
    enum { N = 1001 };
    group("followed calls");
    check("leaf: sum of i", run_leaf(add_fn, N), 500500);
    check("same page: sum of 3i", run_far(far_fn, N), 1501500);
    check("calling on: sum of i + 1", run_nested(nested_fn, N), 501501);

    group("guards that fail");
    check("first target", run_changed(add_fn, N), 500500);
    check("then another: xor of i", run_changed(xor_fn, N), 1000);
    check("then a third: s = i - s", run_changed(sub_fn, 4), 2); /* 0, 1, 1, 2 */
    {
        static const fn2 table[3] = {add_fn, xor_fn, sub_fn};
        show("switching every 5 calls", run_switching(table, 300, 5));
        show("switching every call", run_switching(table, 900, 1));
    }

    group("recursion and known targets");
    check("sum through a pointer to itself", self_sum((void *)self_sum, 200), 20100);
    {
        u64 s = 0;
        for (u64 i = 0; i < N; i++)
            s += auipc_round_trip(i);
        check("auipc jalr and back", s, 500500 + 101 * N);
    }

    group("callee rewritten under its caller's block");
    {
        long m = rt_syscall6(SYS_mmap, 0, 4096, PROT_RWX, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        check("mmap rwx ok", (u64)m < (u64)-4096, 1);
        volatile u32 *code = (u32 *)m;
        code[0] = ADDI(A0, A0, 1); /* f(i, s) = i + 1 */
        code[1] = RET;
        __asm__ volatile("fence.i" ::: "memory");
        check("i + 1", run_smc((fn2)(void *)code, N), N);
        code[0] = ADDI(A0, A0, 2); /* no fence.i: the store itself must invalidate */
        check("i + 2 after the rewrite", run_smc((fn2)(void *)code, N), N + 1);
    }
    return 0;
}
