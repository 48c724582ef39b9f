/* ifconv.c — short forward branches over a few instructions (hammocks), which the
 * DBT if-converts (frontend/lift.h, lift_predicated): each taken and not taken, with
 * one, two and three skipped instructions (compressed and not), a skipped write to a
 * register the branch itself reads, a skipped chain where each instruction uses the
 * previous one's result, a skipped write over a constant set just before (a 0 made
 * with li), lui in the region, and the branches that must stay branches: a skipped
 * division, a skipped load, a skipped call and four skipped instructions; if/else
 * arms that meet again after a j, arms that both return, and arms that leave by
 * different indirect jumps (which stay a branch). Each runs in a loop with
 * alternating outcomes so the DBT translates it hot, and the loop's sum is checked
 * too. Expected values are worked out by hand from the instructions' definitions;
 * instret exactness is --verify's (guest-ifconv-rvx-verify). */
#include "rt.h"

/* x + y unless a < b (unsigned) */
static __attribute__((noinline)) u64 skip_one(u64 a, u64 b, u64 x, u64 y)
{
    __asm__ volatile("bltu %1,%2,1f\n add %0,%0,%3\n1:" : "+r"(x) : "r"(a), "r"(b), "r"(y));
    return x;
}

/* x + 5 then * 3 unless a == b (the addi compresses to c.addi) */
static __attribute__((noinline)) u64 skip_two(u64 a, u64 b, u64 x)
{
    u64 three = 3;
    __asm__ volatile("beq %1,%2,1f\n addi %0,%0,5\n mul %0,%0,%3\n1:"
                     : "+r"(x) : "r"(a), "r"(b), "r"(three));
    return x;
}

/* s = 0; unless 31 >= a: s = ((a & -16) - 17) >> 4 (a chain through t) */
static __attribute__((noinline)) u64 skip_chain_over_constant(u64 a)
{
    u64 s, t, lim = 31;
    __asm__ volatile("li %0,0\n bgeu %3,%2,1f\n andi %1,%2,-16\n addi %1,%1,-17\n srli %0,%1,4\n1:"
                     : "=&r"(s), "=&r"(t) : "r"(a), "r"(lim));
    return s;
}

/* x + 1 unless x == a: the skipped write is to the branch's own operand */
static __attribute__((noinline)) u64 skip_own_operand(u64 x, u64 a)
{
    __asm__ volatile("beq %0,%1,1f\n addi %0,%0,1\n1:" : "+r"(x) : "r"(a));
    return x;
}

/* lui then addiw (sign-extending) unless a >= 0 (signed) */
static __attribute__((noinline)) u64 skip_lui(i64 a)
{
    u64 x = 7;
    __asm__ volatile("bge %1,zero,1f\n lui %0,0x80000\n addiw %0,%0,-1\n1:" : "+r"(x) : "r"(a));
    return x;
}

/* x / y unless a != b: a division stays a branch */
static __attribute__((noinline)) u64 skip_division(u64 a, u64 b, u64 x, u64 y)
{
    __asm__ volatile("bne %1,%2,1f\n divu %0,%0,%3\n1:" : "+r"(x) : "r"(a), "r"(b), "r"(y));
    return x;
}

/* *p unless a < b (signed): a load stays a branch (it may fault) */
static __attribute__((noinline)) u64 skip_load(i64 a, i64 b, u64 x, const u64 *p)
{
    __asm__ volatile("blt %1,%2,1f\n ld %0,0(%3)\n1:" : "+r"(x) : "r"(a), "r"(b), "r"(p) : "memory");
    return x;
}

/* four additions unless a == 0: too many to predicate */
static __attribute__((noinline)) u64 skip_four(u64 a, u64 x)
{
    __asm__ volatile("beqz %1,1f\n addi %0,%0,1\n addi %0,%0,2\n addi %0,%0,3\n addi %0,%0,4\n1:"
                     : "+r"(x) : "r"(a));
    return x;
}

/* a < b ? y + 1 : x * 2, as an if/else whose fall-through arm jumps over the other */
static __attribute__((noinline)) u64 if_else(i64 a, i64 b, u64 x, u64 y)
{
    u64 r;
    __asm__ volatile("blt %1,%2,1f\n slli %0,%3,1\n j 2f\n1: addi %0,%4,1\n2:"
                     : "=&r"(r) : "r"(a), "r"(b), "r"(x), "r"(y));
    return r;
}

/* a < b ? -1 : (b < a): both arms return (the compare function of a sort) */
static __attribute__((naked, noinline)) i64 compare(u64 a, u64 b)
{
    __asm__ volatile("bltu a0,a1,1f\n sltu a0,a1,a0\n ret\n1: li a0,-1\n ret");
}

/* a == b ? x + 1 (and back through ra) : x + 2 (and back through t0 = ra): the arms
 * end with different indirect jumps, so it stays a branch */
static __attribute__((naked, noinline)) u64 two_exits(u64 a, u64 b, u64 x)
{
    __asm__ volatile("mv t0,ra\n beq a0,a1,1f\n addi a0,a2,2\n jr t0\n1: addi a0,a2,1\n ret");
}

static __attribute__((used, noinline)) u64 add_three(u64 x) { return x + 3; }

/* x + 3 by a call unless a != 0: a call stays a branch */
static __attribute__((noinline)) u64 skip_call(u64 a, u64 x)
{
    register u64 arg __asm__("a0") = x;
    __asm__ volatile("bnez %1,1f\n call add_three\n1:"
                     : "+r"(arg) : "r"(a)
                     : "ra", "t0", "t1", "t2", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t3", "t4", "t5", "t6", "memory");
    return arg;
}

/* min(x, y) and a clamp to 1000 in a loop over alternating values: hot hammocks */
static __attribute__((noinline)) u64 hot_loop(u64 n)
{
    u64 sum = 0;
    for (u64 i = 0; i < n; i++) {
        u64 v = (i & 1) ? i * 3 : 2000 - i;
        u64 lim = 1000;
        __asm__ volatile("bgeu %1,%0,1f\n mv %0,%1\n1:" : "+r"(v) : "r"(lim));
        sum += v;
    }
    return sum;
}

int main(void)
{
    static const u64 word = 0x1122334455667788ull;
    group("ifconv: one skipped instruction");
    check("skip_one taken", skip_one(1, 2, 10, 5), 10);
    check("skip_one not taken", skip_one(2, 1, 10, 5), 15);
    check("skip_one equal (not taken)", skip_one(3, 3, 10, 5), 15);
    group("ifconv: two, compressed first");
    check("skip_two taken", skip_two(4, 4, 1), 1);
    check("skip_two not taken", skip_two(4, 5, 1), 18);
    group("ifconv: three chained, over li 0");
    check("chain taken (a 28)", skip_chain_over_constant(28), 0);
    check("chain taken (a 31)", skip_chain_over_constant(31), 0);
    check("chain not taken (a 50)", skip_chain_over_constant(50), 1);
    check("chain not taken (a 0x1234)", skip_chain_over_constant(0x1234), (0x1230 - 17) >> 4);
    group("ifconv: skipped write to the branch operand");
    check("own operand taken", skip_own_operand(9, 9), 9);
    check("own operand not taken", skip_own_operand(9, 8), 10);
    group("ifconv: lui and addiw");
    check("lui taken", skip_lui(5), 7);
    check("lui not taken", skip_lui(-5), 0x000000007fffffffull);
    group("ifconv: what stays a branch");
    check("division taken", skip_division(1, 2, 100, 0), 100);
    check("division not taken", skip_division(2, 2, 100, 7), 14);
    check("division by 0 not taken", skip_division(2, 2, 100, 0), ~0ull);
    check("load taken", skip_load(-1, 0, 3, &word), 3);
    check("load not taken", skip_load(0, -1, 3, &word), word);
    check("four taken", skip_four(0, 100), 100);
    check("four not taken", skip_four(1, 100), 110);
    check("call taken", skip_call(1, 10), 10);
    check("call not taken", skip_call(0, 10), 13);
    group("ifconv: if/else arms");
    check("if/else taken", if_else(-2, 1, 5, 7), 8);
    check("if/else not taken", if_else(1, -2, 5, 7), 10);
    check("compare less", (u64)compare(1, 2), (u64)-1);
    check("compare greater", (u64)compare(3, 2), 1);
    check("compare equal", (u64)compare(2, 2), 0);
    check("different exits taken", two_exits(4, 4, 10), 11);
    check("different exits not taken", two_exits(4, 5, 10), 12);
    group("ifconv: hot loop");
    /* i odd: min(3i, 1000); i even: min(2000 - i, 1000) = 1000 for i <= 1000 */
    u64 exp = 0;
    for (u64 i = 1; i < 1000; i += 2)
        exp += 3 * i < 1000 ? 3 * i : 1000;
    exp += 500 * 1000;
    check("clamped sum of 1000", hot_loop(1000), exp);
    u64 less = 0, greater = 0;
    for (u64 i = 0; i < 1000; i++) {
        i64 c = compare(i * 7 % 13, i * 5 % 11);
        less += c < 0;
        greater += c > 0;
    }
    show("compare loop: less", less);
    show("compare loop: greater", greater);
    return 0;
}
