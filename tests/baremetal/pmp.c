/* PMP: NAPOT and TOR regions with R/W/X checked for S and U (access faults with the
 * address in mtval), priority of the lowest-numbered matching entry, M unaffected by
 * unlocked entries, and a locked entry binding M too. */
#include "rt.h"

static uint8_t ro[4096] __attribute__((aligned(4096)));
static uint8_t none[4096] __attribute__((aligned(4096)));
static uint8_t tor[2][4096] __attribute__((aligned(4096)));
static uint8_t locked[4096] __attribute__((aligned(4096)));

enum { CFG_R = 1, CFG_W = 2, CFG_X = 4, CFG_TOR = 1 << 3, CFG_NAPOT = 3 << 3, CFG_L = 0x80 };

static uint64_t napot(void *base, uint64_t size)
{
    return ((uint64_t)base >> 2) | ((size >> 3) - 1);
}

static uint64_t s_load(uint64_t a) { return *(volatile uint64_t *)a; }
static uint64_t s_store(uint64_t a)
{
    *(volatile uint64_t *)a = 1;
    return 0;
}
static uint64_t s_call(uint64_t a) { return ((uint64_t (*)(void))a)(); }
static void resume_here(void) {}

int main(void)
{
    /* 0: ro  NAPOT R;  1: none NAPOT ---;  2: (TOR base) OFF;  3: tor[0] TOR ---;
     * 4: everything NAPOT RWX. */
    CSR_WRITE(pmpaddr0, napot(ro, 4096));
    CSR_WRITE(pmpaddr1, napot(none, 4096));
    CSR_WRITE(pmpaddr2, (uint64_t)tor[0] >> 2);
    CSR_WRITE(pmpaddr3, (uint64_t)tor[1] >> 2);
    CSR_WRITE(pmpaddr4, UINT64_MAX >> 10);
    uint64_t cfg = (uint64_t)(CFG_NAPOT | CFG_R) | (uint64_t)CFG_NAPOT << 8 | (uint64_t)0 << 16 |
                   (uint64_t)CFG_TOR << 24 | (uint64_t)(CFG_NAPOT | CFG_R | CFG_W | CFG_X) << 32;
    CSR_WRITE(pmpcfg0, cfg);
    CHECK_EQ(CSR_READ(pmpcfg0), cfg);
    CHECK_EQ(CSR_READ(pmpaddr1), napot(none, 4096));

    rt_trap_reset();
    *(volatile uint8_t *)ro = 42;
    CHECK_EQ(rt_enter(PRIV_S, s_load, (uint64_t)ro), 42);
    CHECK_EQ(rt_mtrap.count, 0);
    rt_enter(PRIV_S, s_store, (uint64_t)ro + 8);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 7);
    CHECK_EQ(rt_mtrap.tval, (uint64_t)ro + 8);
    rt_enter(PRIV_U, s_load, (uint64_t)none + 16);
    CHECK_EQ(rt_mtrap.count, 2);
    CHECK_EQ(rt_mtrap.cause, 5);
    CHECK_EQ(rt_mtrap.tval, (uint64_t)none + 16);

    /* TOR: [tor[0], tor[1]) has no permissions; tor[1] falls to entry 4. */
    rt_enter(PRIV_S, s_load, (uint64_t)tor[0] + 4088);
    CHECK_EQ(rt_mtrap.count, 3);
    CHECK_EQ(rt_mtrap.cause, 5);
    rt_enter(PRIV_S, s_store, (uint64_t)tor[1]);
    CHECK_EQ(rt_mtrap.count, 3);

    /* Fetch from a region without X: instruction access fault. */
    *(uint32_t *)ro = 0x00008067;  /* ret (M writes: entry 0 is not locked) */
    __asm__ volatile("fence.i");
    rt_mtrap.resume = (uint64_t)resume_here;
    rt_enter(PRIV_S, s_call, (uint64_t)ro);
    CHECK_EQ(rt_mtrap.count, 4);
    CHECK_EQ(rt_mtrap.cause, 1);

    /* M ignores unlocked entries... */
    *(volatile uint8_t *)none = 1;
    CHECK_EQ(rt_mtrap.count, 4);
    /* ...but not a locked one (entry 5: locked, read-only). */
    CSR_WRITE(pmpaddr5, napot(locked, 4096));
    CSR_SET(pmpcfg0, (uint64_t)(CFG_L | CFG_NAPOT | CFG_R) << 40);
    *(volatile uint8_t *)locked = 1;  /* entry 4 (RWX) matches first for everything: still allowed */
    CHECK_EQ(rt_mtrap.count, 4);
    /* Lock entry 0 (ro): now M's store faults. */
    CSR_SET(pmpcfg0, (uint64_t)CFG_L);
    *(volatile uint8_t *)(ro + 64) = 1;
    CHECK_EQ(rt_mtrap.count, 5);
    CHECK_EQ(rt_mtrap.cause, 7);
    CHECK_EQ(rt_mtrap.from_priv, PRIV_M);
    /* Locked entries ignore writes. */
    CSR_WRITE(pmpaddr0, 0);
    CHECK_EQ(CSR_READ(pmpaddr0), napot(ro, 4096));
    return 0;
}
