/* CLINT registers (see clint.h). Accesses of 4 or 8 bytes are accepted on the 64-bit
 * registers (rv32 software and OpenSBI's 32-bit halves), any other size or offset
 * is an access fault except that reads of unimplemented space inside the window
 * return 0, as QEMU's model does for unused harts. */
#include "machine/clint.h"

#include <time.h>

uint64_t clint_host_ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * CLINT_FREQ_HZ + (uint64_t)ts.tv_nsec / (1000000000ull / CLINT_FREQ_HZ);
}

uint64_t clint_ticks_to_ns(uint64_t ticks)
{
    return ticks * (1000000000ull / CLINT_FREQ_HZ);
}

uint64_t clint_mtime(const Clint *c)
{
    return clint_host_ticks() + (uint64_t)c->offset_ticks;
}

void clint_update(Clint *c)
{
    hart_set_irq(c->hart, MIP_MTIP, clint_mtime(c) >= c->mtimecmp);
}

void clint_init(Clint *c, Hart *hart)
{
    c->hart = hart;
    c->offset_ticks = -(int64_t)clint_host_ticks();  /* mtime starts at 0 */
    c->mtimecmp = UINT64_MAX;
    c->msip = 0;
    hart_set_irq(hart, MIP_MTIP | MIP_MSIP, false);
}

enum { REG_MSIP = 0x0, REG_MTIMECMP = 0x4000, REG_MTIME = 0xbff8 };

/* Splits an access into (64-bit register, shift, mask) when it hits one of them. */
static bool reg64(uint64_t off, unsigned size, uint64_t base, unsigned *shift, uint64_t *mask)
{
    if (off < base || off + size > base + 8 || (off & (size - 1)) || (size != 4 && size != 8))
        return false;
    *shift = (unsigned)(off - base) * 8;
    *mask = size == 8 ? UINT64_MAX : 0xffffffffull << *shift;
    return true;
}

static bool clint_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
    Clint *c = opaque;
    unsigned shift;
    uint64_t mask;
    if (off == REG_MSIP && size == 4) {
        *value = c->msip;
    } else if (reg64(off, size, REG_MTIMECMP, &shift, &mask)) {
        *value = (c->mtimecmp & mask) >> shift;
    } else if (reg64(off, size, REG_MTIME, &shift, &mask)) {
        *value = (clint_mtime(c) & mask) >> shift;
    } else if (off < CLINT_SIZE && (off & (size - 1)) == 0) {
        *value = 0;  /* registers of harts this board does not have */
    } else {
        return false;
    }
    return true;
}

static bool clint_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
    Clint *c = opaque;
    unsigned shift;
    uint64_t mask;
    if (off == REG_MSIP && size == 4) {
        c->msip = value & 1;
        hart_set_irq(c->hart, MIP_MSIP, c->msip);
    } else if (reg64(off, size, REG_MTIMECMP, &shift, &mask)) {
        c->mtimecmp = (c->mtimecmp & ~mask) | ((value << shift) & mask);
        clint_update(c);
    } else if (reg64(off, size, REG_MTIME, &shift, &mask)) {
        uint64_t t = (clint_mtime(c) & ~mask) | ((value << shift) & mask);
        c->offset_ticks = (int64_t)(t - clint_host_ticks());
        clint_update(c);
    } else if (off < CLINT_SIZE && (off & (size - 1)) == 0) {
        /* other harts' registers: ignored */
    } else {
        return false;
    }
    return true;
}

const MmioOps clint_ops = {clint_read, clint_write};
