/* CLINT (SiFive core-local interruptor, the ACLINT MTIMER + MSWI pair) for one hart
 * at QEMU virt's 0x2000000: msip at 0x0, mtimecmp at 0x4000, mtime at 0xbff8.
 * mtime runs at CLINT_FREQ_HZ from the host monotonic clock; a guest write to mtime
 * shifts the offset. MTIP is a level: mtime >= mtimecmp, re-evaluated on every
 * mtimecmp/mtime write and whenever the machine calls clint_update (timer tick,
 * before and after sleeping). Accessed only from the machine thread. */
#ifndef RVX_MACHINE_CLINT_H
#define RVX_MACHINE_CLINT_H

#include <stdint.h>

#include "frontend/hart.h"
#include "softmmu/physmem.h"

#define CLINT_BASE 0x2000000ull
#define CLINT_SIZE 0x10000ull
#define CLINT_FREQ_HZ 10000000ull

typedef struct Clint {
    Hart *hart;
    int64_t offset_ticks;  /* mtime = host ticks + offset_ticks */
    uint64_t mtimecmp;
    uint32_t msip;
} Clint;

extern const MmioOps clint_ops;

void clint_init(Clint *c, Hart *hart);
/* The current mtime. */
uint64_t clint_mtime(const Clint *c);
/* Re-evaluates MTIP against the current mtime. */
void clint_update(Clint *c);
/* Host monotonic time in ticks of CLINT_FREQ_HZ, and the conversion back to ns
 * (for sleeping until a deadline expressed in mtime). */
uint64_t clint_host_ticks(void);
uint64_t clint_ticks_to_ns(uint64_t ticks);

#endif
