/* Privilege switches: M -> S -> U and back, ecall causes, delegation of ecall-from-U
 * to S, privileged instructions and CSRs refused at lower levels (illegal
 * instruction with the instruction bits in mtval), TSR and TW. */
#include "rt.h"

static uint64_t read_priv_probe(uint64_t arg)
{
    /* In S: sstatus is readable, mstatus is not. */
    uint64_t s = CSR_READ(sstatus);
    (void)s;
    CSR_READ(mstatus);  /* illegal in S and U */
    return arg + 1;
}

static uint64_t do_ecall(uint64_t arg)
{
    register uint64_t a7 __asm__("a7") = 0;
    register uint64_t a0 __asm__("a0") = arg;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0 * 2;
}

static uint64_t do_sret(uint64_t arg)
{
    __asm__ volatile("sret");
    return arg;
}

static uint64_t do_mret(uint64_t arg)
{
    __asm__ volatile("mret");
    return arg;
}

static uint64_t do_wfi(uint64_t arg)
{
    __asm__ volatile("wfi");
    return arg;
}

/* Conditional branches to the next instruction (Linux's static keys): execution goes
 * on either way. A block that ended at them would still compute the same, but
 * --verify, which compares whole blocks, told the engines apart there. */
static long branch_to_next(long x)
{
    long r;
    __asm__ volatile("beqz %1, 1f\n1:\n"
                     "addi %0, %1, 1\n"
                     "bnez %1, 2f\n2:\n"
                     "addi %0, %0, 1"
                     : "=&r"(r)
                     : "r"(x));
    return r;
}

int main(void)
{
    rt_s_trap_init();

    CHECK_EQ(branch_to_next(0), 2);
    CHECK_EQ(branch_to_next(5), 7);

    /* S-mode: the result comes back, mstatus read traps with the insn bits. */
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, read_priv_probe, 41), 42);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 2);
    CHECK_EQ(rt_mtrap.from_priv, PRIV_S);
    CHECK_EQ(rt_mtrap.tval & 0xfff0007f, 0x30000073);  /* csrrs rd, mstatus(0x300), x0 */

    /* U-mode: sstatus is not readable either. */
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_U, read_priv_probe, 1), 2);
    CHECK_EQ(rt_mtrap.count, 2);
    CHECK_EQ(rt_mtrap.from_priv, PRIV_U);

    /* ecall from S and from U, taken in M. */
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, do_ecall, 5), 10);
    CHECK_EQ(rt_mtrap.cause, 9);
    CHECK_EQ(rt_enter(PRIV_U, do_ecall, 6), 12);
    CHECK_EQ(rt_mtrap.cause, 8);
    CHECK_EQ(rt_mtrap.count, 2);
    CHECK_EQ(rt_strap.count, 0);

    /* Delegated: ecall from U goes to S; ecall from S stays in M. */
    rt_trap_reset();
    CSR_WRITE(medeleg, 1u << 8);
    CHECK_EQ(CSR_READ(medeleg) & (1u << 8), 1u << 8);
    CHECK_EQ(rt_enter(PRIV_U, do_ecall, 7), 14);
    CHECK_EQ(rt_strap.count, 1);
    CHECK_EQ(rt_strap.cause, 8);
    CHECK_EQ(rt_mtrap.count, 0);
    CHECK_EQ(rt_enter(PRIV_S, do_ecall, 8), 16);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 9);
    CSR_WRITE(medeleg, 0);

    /* sret in U, mret in S and U are illegal. */
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_U, do_sret, 3), 3);
    CHECK_EQ(rt_mtrap.cause, 2);
    CHECK_EQ(rt_enter(PRIV_S, do_mret, 4), 4);
    CHECK_EQ(rt_mtrap.cause, 2);
    CHECK_EQ(rt_mtrap.count, 2);

    /* TSR: sret in S traps. */
    rt_trap_reset();
    CSR_SET(mstatus, 1ull << 22);
    CHECK_EQ(rt_enter(PRIV_S, do_sret, 9), 9);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 2);
    CSR_CLEAR(mstatus, 1ull << 22);

    /* wfi in U is illegal; with TW, in S too. (Without TW an S wfi just returns.) */
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_U, do_wfi, 1), 1);
    CHECK_EQ(rt_mtrap.count, 1);
    CSR_SET(mstatus, 1ull << 21);
    CHECK_EQ(rt_enter(PRIV_S, do_wfi, 2), 2);
    CHECK_EQ(rt_mtrap.count, 2);
    CHECK_EQ(rt_mtrap.cause, 2);
    CSR_CLEAR(mstatus, 1ull << 21);

    /* mret leaves MPP at U, the least-privileged mode. */
    CHECK_EQ((CSR_READ(mstatus) >> 11) & 3, PRIV_U);
    return 0;
}
