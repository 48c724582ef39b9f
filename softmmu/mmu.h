/* System-mode address translation: the MmuOps of a hart running on a machine.
 * Virtual → physical by the satp page-table walk (Sv39/Sv48/Sv57, with A/D updates
 * done by the walker, MXR/SUM/U rules, Svnapot and Svpbmt PTEs accepted), then PMP,
 * then the machine's physical map (RAM → host pointer, MMIO → device callbacks). */
#ifndef RVX_SOFTMMU_MMU_H
#define RVX_SOFTMMU_MMU_H

#include "softmmu/mem.h"

extern const MmuOps system_mmu_ops;

/* PMP check of [paddr, paddr+size) for `access` at privilege `priv`. */
bool pmp_allows(const Hart *h, uint64_t paddr, uint64_t size, MemAccess access, unsigned priv);

#endif
