/* PLIC register file (see plic.h). Layout (offsets from the base):
 *   0x000000 + 4*src        priority (3 bits here: 0..7; 0 = never interrupts)
 *   0x001000 + 4*word       pending bits (read only)
 *   0x002000 + 0x80*ctx     enable bits per context
 *   0x200000 + 0x1000*ctx   threshold (+0) and claim/complete (+4)
 * Only aligned 32-bit accesses are valid; reads of unimplemented registers in the
 * window return 0 and writes are ignored, so probing firmware does not fault. */
#include "machine/plic.h"

#include <string.h>

enum {
    PRIORITY_BASE = 0x0, PENDING_BASE = 0x1000, ENABLE_BASE = 0x2000, ENABLE_STRIDE = 0x80,
    CONTEXT_BASE = 0x200000, CONTEXT_STRIDE = 0x1000, PRIORITY_MASK = 7,
};

static const uint64_t context_mip[PLIC_NCONTEXTS] = {MIP_MEIP, MIP_SEIP};

static bool bit(const uint32_t *w, unsigned n) { return (w[n / 32] >> (n % 32)) & 1; }

static void set_bit(uint32_t *w, unsigned n, bool v)
{
    if (v)
        w[n / 32] |= 1u << (n % 32);
    else
        w[n / 32] &= ~(1u << (n % 32));
}

/* The source a claim on ctx would return, 0 when none. */
static unsigned best_source(const Plic *p, unsigned ctx)
{
    unsigned best = 0;
    uint32_t best_prio = p->threshold[ctx];
    for (unsigned w = 0; w < PLIC_WORDS; w++) {
        uint32_t cand = p->pending[w] & p->enable[ctx][w] & ~p->claimed[w];
        while (cand) {
            unsigned src = w * 32 + (unsigned)__builtin_ctz(cand);
            cand &= cand - 1;
            if (p->priority[src] > best_prio) {
                best_prio = p->priority[src];
                best = src;
            }
        }
    }
    return best;
}

static void update(Plic *p)
{
    for (unsigned ctx = 0; ctx < PLIC_NCONTEXTS; ctx++)
        hart_set_irq(p->hart, context_mip[ctx], best_source(p, ctx) != 0);
}

void plic_set_irq(void *opaque, unsigned n, bool level)
{
    Plic *p = opaque;
    if (n == 0 || n >= PLIC_NSOURCES)
        return;
    set_bit(p->level, n, level);
    if (!bit(p->claimed, n))
        set_bit(p->pending, n, level);
    update(p);
}

IrqLine plic_irq_line(Plic *p, unsigned n)
{
    return (IrqLine){plic_set_irq, p, n};
}

void plic_init(Plic *p, Hart *hart)
{
    memset(p, 0, sizeof *p);
    p->hart = hart;
    update(p);
}

static bool plic_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
    Plic *p = opaque;
    if (size != 4 || (off & 3))
        return false;
    *value = 0;
    if (off < PENDING_BASE) {
        unsigned src = (unsigned)(off / 4);
        if (src < PLIC_NSOURCES)
            *value = p->priority[src];
    } else if (off < ENABLE_BASE) {
        unsigned w = (unsigned)((off - PENDING_BASE) / 4);
        if (w < PLIC_WORDS)
            *value = p->pending[w];
    } else if (off < CONTEXT_BASE) {
        unsigned ctx = (unsigned)((off - ENABLE_BASE) / ENABLE_STRIDE);
        unsigned w = (unsigned)((off - ENABLE_BASE) % ENABLE_STRIDE / 4);
        if (ctx < PLIC_NCONTEXTS && w < PLIC_WORDS)
            *value = p->enable[ctx][w];
    } else {
        unsigned ctx = (unsigned)((off - CONTEXT_BASE) / CONTEXT_STRIDE);
        unsigned reg = (unsigned)((off - CONTEXT_BASE) % CONTEXT_STRIDE);
        if (ctx >= PLIC_NCONTEXTS)
            return true;
        if (reg == 0) {
            *value = p->threshold[ctx];
        } else if (reg == 4) {  /* claim */
            unsigned src = best_source(p, ctx);
            if (src) {
                set_bit(p->pending, src, false);
                set_bit(p->claimed, src, true);
                update(p);
            }
            *value = src;
        }
    }
    return true;
}

static bool plic_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
    Plic *p = opaque;
    if (size != 4 || (off & 3))
        return false;
    uint32_t v = (uint32_t)value;
    if (off < PENDING_BASE) {
        unsigned src = (unsigned)(off / 4);
        if (src == 0 || src >= PLIC_NSOURCES)
            return true;
        p->priority[src] = v & PRIORITY_MASK;
    } else if (off < ENABLE_BASE) {
        return true;  /* pending bits are read only */
    } else if (off < CONTEXT_BASE) {
        unsigned ctx = (unsigned)((off - ENABLE_BASE) / ENABLE_STRIDE);
        unsigned w = (unsigned)((off - ENABLE_BASE) % ENABLE_STRIDE / 4);
        if (ctx >= PLIC_NCONTEXTS || w >= PLIC_WORDS)
            return true;
        p->enable[ctx][w] = w == 0 ? v & ~1u : v;  /* source 0 does not exist */
    } else {
        unsigned ctx = (unsigned)((off - CONTEXT_BASE) / CONTEXT_STRIDE);
        unsigned reg = (unsigned)((off - CONTEXT_BASE) % CONTEXT_STRIDE);
        if (ctx >= PLIC_NCONTEXTS)
            return true;
        if (reg == 0) {
            p->threshold[ctx] = v & PRIORITY_MASK;
        } else if (reg == 4) {  /* complete: ignored unless the source is claimed and enabled */
            if (v == 0 || v >= PLIC_NSOURCES || !bit(p->claimed, v) || !bit(p->enable[ctx], v))
                return true;
            set_bit(p->claimed, v, false);
            set_bit(p->pending, v, bit(p->level, v));
        }
    }
    update(p);
    return true;
}

const MmioOps plic_ops = {plic_read, plic_write};
