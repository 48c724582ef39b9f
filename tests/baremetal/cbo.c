/* Zicboz/Zicbom: cbo.zero zeroes exactly the 64-byte block holding the address, in
 * every mode where menvcfg/senvcfg allow it and is illegal where they do not;
 * cbo.clean/flush/inval are accepted (memory is coherent) under the same rules. */
#include "rt.h"

#define ENVCFG_CBIE (3ull << 4)
#define ENVCFG_CBCFE (1ull << 6)
#define ENVCFG_CBZE (1ull << 7)

static uint8_t buf[256] __attribute__((aligned(64)));

static uint64_t cbo_zero(uint64_t a)
{
    __asm__ volatile(".insn i 0x0f, 2, x0, 4(%0)" ::"r"(a) : "memory");
    return 0;
}
static uint64_t cbo_clean(uint64_t a)
{
    __asm__ volatile(".insn i 0x0f, 2, x0, 1(%0)" ::"r"(a) : "memory");
    return 0;
}
static uint64_t cbo_inval(uint64_t a)
{
    __asm__ volatile(".insn i 0x0f, 2, x0, 0(%0)" ::"r"(a) : "memory");
    return 0;
}

static void fill(void)
{
    for (int i = 0; i < 256; i++)
        buf[i] = 0xff;
}

static int zeroed(int from, int to)
{
    for (int i = 0; i < 256; i++)
        if ((buf[i] == 0) != (i >= from && i < to))
            return 0;
    return 1;
}

int main(void)
{
    rt_trap_reset();
    fill();
    cbo_zero((uint64_t)buf + 70);
    CHECK(zeroed(64, 128));
    CHECK_EQ(rt_mtrap.count, 0);
    cbo_clean((uint64_t)buf);
    cbo_inval((uint64_t)buf);
    CHECK_EQ(rt_mtrap.count, 0);
    CHECK(zeroed(64, 128));

    /* S: illegal until menvcfg.CBZE. */
    CSR_WRITE(0x30a, 0);
    fill();
    rt_enter(PRIV_S, cbo_zero, (uint64_t)buf);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 2);
    CHECK(zeroed(0, 0));
    CSR_SET(0x30a, ENVCFG_CBZE);
    rt_enter(PRIV_S, cbo_zero, (uint64_t)buf + 255);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK(zeroed(192, 256));

    /* U: also needs senvcfg.CBZE. */
    fill();
    CSR_WRITE(0x10a, 0);
    rt_enter(PRIV_U, cbo_zero, (uint64_t)buf);
    CHECK_EQ(rt_mtrap.count, 2);
    CSR_WRITE(0x10a, ENVCFG_CBZE);
    rt_enter(PRIV_U, cbo_zero, (uint64_t)buf);
    CHECK_EQ(rt_mtrap.count, 2);
    CHECK(zeroed(0, 64));

    /* clean needs CBCFE, inval needs CBIE != 0. */
    rt_enter(PRIV_S, cbo_clean, (uint64_t)buf);
    CHECK_EQ(rt_mtrap.count, 3);
    CSR_SET(0x30a, ENVCFG_CBCFE | (1ull << 4));
    rt_enter(PRIV_S, cbo_clean, (uint64_t)buf);
    rt_enter(PRIV_S, cbo_inval, (uint64_t)buf);
    CHECK_EQ(rt_mtrap.count, 3);
    return 0;
}
