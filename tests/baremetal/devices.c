/* The virt board's devices seen from a guest (rvx only: QEMU's spike has none of
 * them): garbage written everywhere must not stop or crash the machine; the UART's
 * THR-empty interrupt reaches M through the PLIC (claim/complete); a virtio queue
 * whose descriptor points outside RAM puts the device in NEEDS_RESET, and after a
 * reset a good virtio-rng request completes. */
#include "rt.h"

#define UART ((volatile uint8_t *)0x10000000)
#define PLIC_BASE 0x0c000000ull
#define PLIC_PRIO(n) ((volatile uint32_t *)(PLIC_BASE + 4 * (n)))
#define PLIC_ENABLE_M ((volatile uint32_t *)(PLIC_BASE + 0x2000))
#define PLIC_THRESHOLD_M ((volatile uint32_t *)(PLIC_BASE + 0x200000))
#define PLIC_CLAIM_M ((volatile uint32_t *)(PLIC_BASE + 0x200004))
#define RTC ((volatile uint32_t *)0x101000)
#define VIRTIO(slot, reg) ((volatile uint32_t *)(0x10001000ull + 0x1000 * (slot) + (reg)))
#define MIP_MEIP (1u << 11)

static uint64_t seed = 0x123456789abcdefull;
static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static volatile uint32_t claimed;
static void external(uint64_t cause)
{
    uint32_t src = *PLIC_CLAIM_M;
    claimed = src;
    UART[1] = 0;          /* IER off: the source drops */
    *PLIC_CLAIM_M = src;  /* complete */
}

static struct {
    uint8_t desc[16 * 8];
    uint8_t avail[6 + 2 * 8] __attribute__((aligned(2)));
    uint8_t used[6 + 8 * 8] __attribute__((aligned(4)));
    uint8_t buf[64];
} q __attribute__((aligned(4096)));

static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> 8 * i); }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> 8 * i); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

/* Brings up queue 0 of the device in `slot` (virtio 1.2 §3.1.1). */
static void virtio_up(int slot)
{
    for (unsigned i = 0; i < sizeof q; i++)
        ((volatile uint8_t *)&q)[i] = 0;
    *VIRTIO(slot, 0x70) = 0;
    *VIRTIO(slot, 0x70) = 3;
    *VIRTIO(slot, 0x24) = 1;
    *VIRTIO(slot, 0x20) = 1;  /* VERSION_1 */
    *VIRTIO(slot, 0x70) = 3 | 8;
    CHECK(*VIRTIO(slot, 0x70) & 8);
    *VIRTIO(slot, 0x30) = 0;
    *VIRTIO(slot, 0x38) = 8;
    *VIRTIO(slot, 0x80) = (uint32_t)(uint64_t)q.desc;
    *VIRTIO(slot, 0x84) = 0;
    *VIRTIO(slot, 0x90) = (uint32_t)(uint64_t)q.avail;
    *VIRTIO(slot, 0x94) = 0;
    *VIRTIO(slot, 0xa0) = (uint32_t)(uint64_t)q.used;
    *VIRTIO(slot, 0xa4) = 0;
    *VIRTIO(slot, 0x44) = 1;
    *VIRTIO(slot, 0x70) = 3 | 8 | 4;
}

static void submit(int slot, uint64_t addr, uint32_t len)
{
    put64(q.desc, addr);
    put32(q.desc + 8, len);
    put16(q.desc + 12, 2);  /* WRITE */
    put16(q.avail + 4, 0);
    __asm__ volatile("fence" ::: "memory");
    put16(q.avail + 2, 1);
    __asm__ volatile("fence" ::: "memory");
    *VIRTIO(slot, 0x50) = 0;
}

int main(void)
{
    rt_trap_reset();

    /* Garbage into every register of the UART, RTC, PLIC (a sample) and the virtio
     * slots; reads of the same. Only access faults are allowed as reactions. */
    UART[3] = 0x80;  /* DLAB: the garbage below goes to the divisor, not out the line */
    for (int i = 1; i < 8; i++)
        UART[i] = (uint8_t)rnd();
    UART[4] = 0;  /* loopback off again */
    for (int i = 0; i < 8; i++)
        RTC[i] = (uint32_t)rnd();
    RTC[4] = 0;   /* RTC interrupts off */
    RTC[5] = 1;
    RTC[7] = 1;
    for (int i = 0; i < 200; i++) {
        volatile uint32_t *p = (volatile uint32_t *)(PLIC_BASE + ((rnd() % 0x600000) & ~3ull));
        (void)*p;
        *p = (uint32_t)rnd();
    }
    for (int slot = 0; slot < 8; slot++)
        for (int reg = 0; reg < 0x100; reg += 4) {
            if (reg == 0x50)
                continue;  /* notify comes below, with a real queue */
            (void)*VIRTIO(slot, reg);
            *VIRTIO(slot, reg) = (uint32_t)rnd();
        }
    *(volatile uint32_t *)0x100000 = 0x1234;  /* not a finisher command */
    CHECK_EQ(rt_mtrap.count, 0);

    /* PLIC -> MEIP -> M external interrupt, claim and complete. */
    for (int ctx = 0; ctx < 2; ctx++)
        for (int w = 0; w < 3; w++)
            *(volatile uint32_t *)(PLIC_BASE + 0x2000 + 0x80 * ctx + 4 * w) = 0;
    *PLIC_PRIO(10) = 1;
    *PLIC_THRESHOLD_M = 0;
    *PLIC_ENABLE_M = 1u << 10;
    while (*PLIC_CLAIM_M)
        ;  /* drain what the garbage left claimable */
    rt_mtrap.irq_hook = external;
    CSR_SET(mie, MIP_MEIP);
    CSR_SET(mstatus, 8);
    UART[3] = 3;
    UART[1] = 0;
    UART[1] = 2;  /* THR empty interrupt: raised when enabled */
    for (int i = 0; i < 1000 && !claimed; i++)
        __asm__ volatile("nop");
    CSR_CLEAR(mstatus, 8);
    CHECK_EQ(claimed, 10);
    CHECK_EQ(rt_mtrap.irq_cause, 11);

    /* virtio-rng (slot 6): a buffer outside RAM -> NEEDS_RESET, nothing used. */
    CHECK_EQ(*VIRTIO(6, 0x000), 0x74726976);
    CHECK_EQ(*VIRTIO(6, 0x008), 4);
    virtio_up(6);
    submit(6, 0x40000000, 64);  /* a hole in the memory map */
    CHECK(*VIRTIO(6, 0x70) & 64);
    CHECK_EQ(q.used[2], 0);
    /* After a reset, a good request fills the buffer. */
    virtio_up(6);
    CHECK_EQ(*VIRTIO(6, 0x70) & 64, 0);
    submit(6, (uint64_t)q.buf, sizeof q.buf);
    CHECK_EQ(q.used[2], 1);
    CHECK_EQ(q.used[8], 64);
    CHECK(*VIRTIO(6, 0x60) & 1);
    int nonzero = 0;
    for (int i = 0; i < 64; i++)
        nonzero += q.buf[i] != 0;
    CHECK(nonzero > 40);
    return 0;
}
