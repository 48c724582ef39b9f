/* Interrupts: the M timer from the CLINT (taken, and waking wfi with MIE off), the
 * software interrupt, priority between pending interrupts (MSI before MTI), S-level
 * interrupts delegated through mideleg (taken in S, never in M, always in U even with
 * SIE off), and M-level interrupts taken in S regardless of MIE. */
#include "rt.h"

#define MIP_SSIP (1u << 1)
#define MIP_MSIP (1u << 3)
#define MIP_STIP (1u << 5)
#define MIP_MTIP (1u << 7)
#define MSTATUS_MIE (1u << 3)
#define SSTATUS_SIE (1u << 1)

static volatile uint64_t order[4];
static volatile unsigned n_order;

static void silence(uint64_t cause)
{
    if (n_order < 4)
        order[n_order++] = cause;
    if (cause == 3)
        *CLINT_MSIP = 0;
    else if (cause == 7)
        *CLINT_MTIMECMP = UINT64_MAX;
}

static void s_silence(uint64_t cause)
{
    if (n_order < 4)
        order[n_order++] = cause;
    if (cause == 1)
        CSR_CLEAR(sip, MIP_SSIP);
    else
        CSR_CLEAR(sie, 1u << cause);  /* STIP is M's to clear: mask it instead */
}

static uint64_t s_enable_and_spin(uint64_t arg)
{
    CSR_SET(sie, arg);
    CSR_SET(sstatus, SSTATUS_SIE);
    for (int i = 0; i < 1000 && !rt_strap.irq_count; i++)
        __asm__ volatile("nop");
    CSR_CLEAR(sstatus, SSTATUS_SIE);
    return rt_strap.irq_count;
}

static uint64_t s_self_ipi(uint64_t arg)
{
    CSR_SET(sie, MIP_SSIP);
    CSR_SET(sip, MIP_SSIP);          /* pending, but SIE is off: not taken yet */
    uint64_t before = rt_strap.irq_count;
    CSR_SET(sstatus, SSTATUS_SIE);
    __asm__ volatile("nop");
    CSR_CLEAR(sstatus, SSTATUS_SIE);
    return before == 0 && rt_strap.irq_count == 1;
}

static uint64_t u_spin(uint64_t arg)
{
    for (int i = 0; i < 1000 && !rt_strap.irq_count && !rt_mtrap.irq_count; i++)
        __asm__ volatile("nop");
    return 0;
}

int main(void)
{
    rt_s_trap_init();

    /* M timer, taken: 1 ms ahead, wait with wfi. */
    rt_trap_reset();
    rt_mtrap.irq_hook = silence;
    n_order = 0;
    CSR_SET(mie, MIP_MTIP);
    *CLINT_MTIMECMP = *CLINT_MTIME + 10000;
    CSR_SET(mstatus, MSTATUS_MIE);
    while (!rt_mtrap.irq_count)
        __asm__ volatile("wfi");
    CHECK_EQ(rt_mtrap.irq_cause, 7);
    CHECK(*CLINT_MTIME >= 10000);
    CSR_CLEAR(mstatus, MSTATUS_MIE);

    /* wfi wakes on a pending enabled interrupt even with MIE off (no trap). */
    *CLINT_MTIMECMP = *CLINT_MTIME + 5000;
    while (!(CSR_READ(mip) & MIP_MTIP))
        __asm__ volatile("wfi");
    CHECK_EQ(rt_mtrap.irq_count, 1);
    *CLINT_MTIMECMP = UINT64_MAX;
    CHECK_EQ(CSR_READ(mip) & MIP_MTIP, 0);

    /* Priority: MSI before MTI when both are pending. */
    rt_trap_reset();
    rt_mtrap.irq_hook = silence;
    n_order = 0;
    CSR_SET(mie, MIP_MSIP | MIP_MTIP);
    *CLINT_MTIMECMP = 0;
    *CLINT_MSIP = 1;
    CHECK_EQ(CSR_READ(mip) & (MIP_MSIP | MIP_MTIP), MIP_MSIP | MIP_MTIP);
    CSR_SET(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    CHECK_EQ(n_order, 2);
    CHECK_EQ(order[0], 3);
    CHECK_EQ(order[1], 7);

    /* M interrupt while in S with MIE clear: taken (lower privilege). */
    rt_trap_reset();
    rt_mtrap.irq_hook = silence;
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    *CLINT_MSIP = 1;
    rt_enter(PRIV_S, u_spin, 0);
    CHECK_EQ(rt_mtrap.irq_count, 1);
    CHECK_EQ(rt_mtrap.irq_cause, 3);
    CSR_CLEAR(mie, MIP_MSIP | MIP_MTIP);

    /* Delegated S software interrupt, raised by S itself. */
    rt_trap_reset();
    rt_strap.irq_hook = s_silence;
    n_order = 0;
    CSR_WRITE(mideleg, MIP_SSIP | MIP_STIP);
    CHECK_EQ(CSR_READ(mideleg) & (MIP_SSIP | MIP_STIP), MIP_SSIP | MIP_STIP);
    CHECK_EQ(rt_enter(PRIV_S, s_self_ipi, 0), 1);
    CHECK_EQ(rt_strap.irq_cause, 1);
    CHECK_EQ(rt_mtrap.irq_count, 0);

    /* A delegated interrupt pending while in M is not taken in M. */
    rt_trap_reset();
    CSR_SET(mie, MIP_SSIP);
    CSR_SET(mip, MIP_SSIP);
    CSR_SET(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    CHECK_EQ(rt_mtrap.irq_count, 0);
    /* ... but as soon as U runs, S takes it, even though sstatus.SIE is 0. */
    rt_strap.irq_hook = s_silence;
    rt_enter(PRIV_U, u_spin, 0);
    CHECK_EQ(rt_strap.irq_count, 1);
    CHECK_EQ(rt_strap.irq_cause, 1);
    CHECK_EQ(rt_strap.from_priv, PRIV_U);

    /* STIP injected by M (no Sstc here), taken in S once S enables it. */
    rt_trap_reset();
    rt_strap.irq_hook = s_silence;
    CSR_SET(mip, MIP_STIP);
    CHECK_EQ(rt_enter(PRIV_S, s_enable_and_spin, MIP_STIP), 1);
    CHECK_EQ(rt_strap.irq_cause, 5);
    CSR_CLEAR(mip, MIP_STIP);
    CSR_WRITE(mideleg, 0);
    return 0;
}
