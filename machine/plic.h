/* PLIC (RISC-V platform-level interrupt controller, SiFive layout as on QEMU virt)
 * at 0xc000000 with sources 1..PLIC_NSOURCES-1 and two contexts for hart 0:
 * context 0 = M-mode (drives MEIP), context 1 = S-mode (drives SEIP).
 * Sources are level triggered: a source is pending while its line is high and it is
 * not claimed; claim returns the highest-priority pending enabled source above the
 * context threshold (ties: lowest id) and clears its pending bit; complete re-arms
 * it (pending again if the line is still high). The outputs are recomputed after
 * every change. Accessed only from the machine thread. */
#ifndef RVX_MACHINE_PLIC_H
#define RVX_MACHINE_PLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend/hart.h"
#include "machine/irq.h"
#include "softmmu/physmem.h"

#define PLIC_BASE 0xc000000ull
#define PLIC_SIZE 0x600000ull
#define PLIC_NSOURCES 96      /* source 0 does not exist; 1..95 */
#define PLIC_NCONTEXTS 2
#define PLIC_WORDS (PLIC_NSOURCES / 32)

typedef struct Plic {
    Hart *hart;
    uint32_t priority[PLIC_NSOURCES];
    uint32_t level[PLIC_WORDS];     /* line levels as the devices drive them */
    uint32_t pending[PLIC_WORDS];
    uint32_t claimed[PLIC_WORDS];
    uint32_t enable[PLIC_NCONTEXTS][PLIC_WORDS];
    uint32_t threshold[PLIC_NCONTEXTS];
} Plic;

extern const MmioOps plic_ops;

void plic_init(Plic *p, Hart *hart);
/* The IrqLine for source n (1..PLIC_NSOURCES-1). */
IrqLine plic_irq_line(Plic *p, unsigned n);
void plic_set_irq(void *opaque, unsigned n, bool level);

#endif
