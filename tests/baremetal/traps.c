/* Exceptions taken in M: illegal instruction (mtval = the bits), ebreak, access
 * faults on loads, stores and fetches outside any device or RAM, misaligned loads and
 * stores (done by the hart, no trap, also across a page boundary), and mtvec in
 * direct and vectored mode (vectored only for interrupts). */
#include "rt.h"

static uint8_t buf[8192] __attribute__((aligned(4096)));

static void resume_here(void) {}

static void msip_off(uint64_t cause) { *CLINT_MSIP = 0; }

int main(void)
{
    /* Illegal instruction: an all-ones 32-bit word. */
    rt_trap_reset();
    __asm__ volatile(".word 0xffffffff");
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 2);
    CHECK_EQ(rt_mtrap.tval, 0xffffffff);
    /* A 16-bit one: c.unimp (0x0000). */
    __asm__ volatile(".option push; .option rvc; .2byte 0; .2byte 1; .option pop");
    CHECK_EQ(rt_mtrap.count, 2);
    CHECK_EQ(rt_mtrap.cause, 2);

    /* ebreak: cause 3, epc at the instruction. */
    rt_trap_reset();
    uint64_t here;
    __asm__ volatile("auipc %0, 0\n\tebreak" : "=r"(here));
    CHECK_EQ(rt_mtrap.cause, 3);
    CHECK_EQ(rt_mtrap.epc, here + 4);

    /* Access faults: address 0x100 has nothing (below the test finisher at 0x100000). */
    rt_trap_reset();
    volatile uint64_t *hole;
    __asm__("li %0, 0x100" : "=r"(hole));  /* hide the constant from the optimizer */
    uint64_t v = *hole;
    (void)v;
    CHECK_EQ(rt_mtrap.cause, 5);
    CHECK_EQ(rt_mtrap.tval, 0x100);
    *hole = 1;
    CHECK_EQ(rt_mtrap.cause, 7);
    CHECK_EQ(rt_mtrap.tval, 0x100);
    rt_mtrap.resume = (uint64_t)resume_here;
    ((void (*)(void))0x100)();
    CHECK_EQ(rt_mtrap.cause, 1);
    CHECK_EQ(rt_mtrap.tval, 0x100);
    CHECK_EQ(rt_mtrap.epc, 0x100);
    CHECK_EQ(rt_mtrap.count, 3);

    /* Misaligned accesses of every size, inside a page and across the boundary. */
    rt_trap_reset();
    for (int i = 0; i < 16; i++)
        buf[4090 + i] = (uint8_t)(0x10 + i);
    uint64_t d, w, h;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(d) : "r"(buf + 4093));
    CHECK_EQ(d, 0x1a19181716151413ull);
    __asm__ volatile("lwu %0, 0(%1)" : "=r"(w) : "r"(buf + 4094));
    CHECK_EQ(w, 0x17161514);
    __asm__ volatile("lhu %0, 0(%1)" : "=r"(h) : "r"(buf + 4095));
    CHECK_EQ(h, 0x1615);
    __asm__ volatile("sd %0, 0(%1)" ::"r"(0x8877665544332211ull), "r"(buf + 4091) : "memory");
    CHECK_EQ(buf[4091], 0x11);
    CHECK_EQ(buf[4098], 0x88);
    __asm__ volatile("sw %0, 0(%1)" ::"r"(0xa1b2c3d4u), "r"(buf + 5) : "memory");
    CHECK_EQ(*(volatile uint32_t *)(buf + 4), 0xb2c3d400u | buf[4]);
    CHECK_EQ(rt_mtrap.count, 0);

    /* Direct mode: a software interrupt enters at the base. */
    rt_trap_reset();
    rt_mtrap.irq_hook = msip_off;
    CSR_SET(mie, 1u << 3);
    CSR_SET(mstatus, 1u << 3);
    *CLINT_MSIP = 1;
    for (int i = 0; i < 1000 && !rt_mtrap.irq_count; i++)
        __asm__ volatile("nop");
    CHECK_EQ(rt_mtrap.irq_count, 1);
    CHECK_EQ(rt_mtrap.irq_cause, 3);
    CHECK_EQ(rt_vector_slot, UINT64_MAX);

    /* Vectored mode: the interrupt enters at base + 4 * 3; an exception at base. */
    CSR_WRITE(mtvec, (uint64_t)rt_m_vectors | 1);
    CHECK_EQ(CSR_READ(mtvec), (uint64_t)rt_m_vectors | 1);
    *CLINT_MSIP = 1;
    for (int i = 0; i < 1000 && rt_mtrap.irq_count < 2; i++)
        __asm__ volatile("nop");
    CHECK_EQ(rt_mtrap.irq_count, 2);
    CHECK_EQ(rt_vector_slot, 3);
    __asm__ volatile("ebreak");
    CHECK_EQ(rt_vector_slot, 0);
    CHECK_EQ(rt_mtrap.cause, 3);
    CSR_CLEAR(mstatus, 1u << 3);
    CSR_WRITE(mtvec, (uint64_t)rt_m_trap_vector);
    return 0;
}
