/* Sstc: stimecmp drives STIP (read-only in mip then), S programs its own timer and
 * takes the interrupt; stimecmp is inaccessible to S without menvcfg.STCE; the time
 * CSR follows mcounteren.TM / scounteren.TM. */
#include "rt.h"

#define MIP_STIP (1u << 5)
#define MENVCFG_STCE (1ull << 63)

static void s_timer_off(uint64_t cause)
{
    CSR_WRITE(0x14d, UINT64_MAX);   /* stimecmp: lowers STIP */
}

static uint64_t s_timer(uint64_t ticks)
{
    uint64_t now = CSR_READ(time);
    CSR_WRITE(0x14d, now + ticks);
    CSR_SET(sie, MIP_STIP);
    CSR_SET(sstatus, 2);
    while (!rt_strap.irq_count)
        __asm__ volatile("wfi");
    CSR_CLEAR(sstatus, 2);
    return CSR_READ(time) - now;
}

static uint64_t s_touch_stimecmp(uint64_t arg)
{
    CSR_WRITE(0x14d, arg);
    return CSR_READ(0x14d);
}

static uint64_t read_time(uint64_t arg)
{
    return CSR_READ(time);
}

int main(void)
{
    rt_s_trap_init();

    /* Without STCE, S cannot touch stimecmp. */
    rt_trap_reset();
    CSR_CLEAR(0x30a, MENVCFG_STCE);
    CSR_WRITE(mcounteren, 2);
    rt_enter(PRIV_S, s_touch_stimecmp, 5);
    CHECK_EQ(rt_mtrap.count, 2);
    CHECK_EQ(rt_mtrap.cause, 2);

    /* With STCE, STIP is the comparator's output. */
    CSR_SET(0x30a, MENVCFG_STCE);
    CHECK(CSR_READ(0x30a) & MENVCFG_STCE);
    CSR_WRITE(0x14d, 0);
    CHECK(CSR_READ(mip) & MIP_STIP);
    CSR_CLEAR(mip, MIP_STIP);                       /* read-only under Sstc */
    CHECK(CSR_READ(mip) & MIP_STIP);
    CSR_WRITE(0x14d, UINT64_MAX);
    CHECK_EQ(CSR_READ(mip) & MIP_STIP, 0);

    /* S programs a 2 ms timer and takes it in S. */
    rt_trap_reset();
    CSR_WRITE(mideleg, MIP_STIP);
    rt_strap.irq_hook = s_timer_off;
    uint64_t waited = rt_enter(PRIV_S, s_timer, 20000);
    CHECK_EQ(rt_strap.irq_count, 1);
    CHECK_EQ(rt_strap.irq_cause, 5);
    CHECK(waited >= 20000);
    CHECK(waited < 10000000);  /* well under a second */
    CHECK_EQ(rt_mtrap.count, 0);

    /* time in U: needs TM in both mcounteren and scounteren. */
    rt_trap_reset();
    CSR_WRITE(scounteren, 0);
    rt_enter(PRIV_U, read_time, 0);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 2);
    CSR_WRITE(scounteren, 2);
    uint64_t t = rt_enter(PRIV_U, read_time, 0);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK(t > 0);
    CSR_WRITE(mcounteren, 0);
    rt_enter(PRIV_S, read_time, 0);
    CHECK_EQ(rt_mtrap.count, 2);
    return 0;
}
