/* Zicboz/Zicbom: cbo.zero zeroes exactly the 64-byte block holding the address, in
 * every mode where menvcfg/senvcfg allow it and is illegal where they do not;
 * cbo.clean/flush/inval are accepted (memory is coherent) under the same rules; a
 * block holding code that ran is zeroed whole. */
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

/* A page that holds code the emulator has decoded (so its stores are watched). */
static uint8_t code_page[4096] __attribute__((aligned(4096)));

/* cbo.zero of a block holding decoded code zeroes all of it, not only the first
 * doubleword (the store that notices the code used to end the instruction). */
static void zero_decoded_code(void)
{
    for (int i = 0; i < 64; i++)
        code_page[i] = 0xff;
    const uint32_t ret = 0x00008067; /* jalr x0, 0(ra) */
    for (int i = 0; i < 4; i++)
        code_page[i] = (uint8_t)(ret >> (8 * i));
    __asm__ volatile("fence.i" ::: "memory");
    ((void (*)(void))(uintptr_t)code_page)();
    cbo_zero((uint64_t)code_page + 8);
    int nonzero = 0;
    for (int i = 0; i < 64; i++)
        nonzero += code_page[i] != 0;
    CHECK_EQ(nonzero, 0);
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
    zero_decoded_code();

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
