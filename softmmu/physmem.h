/* The physical address space of a machine: RAM regions (host memory) and MMIO
 * regions (device callbacks), kept sorted, with a last-hit cache for the common case
 * of repeated accesses to the same region.
 * Devices have one shape: read(opaque, offset, size, &value) / write(opaque, offset,
 * size, value), offset relative to the region base; returning false makes the access
 * an access fault for the guest. DMA by devices goes through physmem_ram_ptr, which
 * returns host memory only when the whole guest range is inside one RAM region.
 * Regions are registered before the harts run and never change afterwards, so
 * lookups need no lock (the last-hit cache is per caller). */
#ifndef RVX_SOFTMMU_PHYSMEM_H
#define RVX_SOFTMMU_PHYSMEM_H

#include <stdbool.h>
#include <stdint.h>

typedef struct MmioOps {
    bool (*read)(void *opaque, uint64_t offset, unsigned size, uint64_t *value);
    bool (*write)(void *opaque, uint64_t offset, unsigned size, uint64_t value);
} MmioOps;

typedef struct PhysRegion {
    uint64_t base, size;
    uint8_t *ram;             /* host memory of a RAM region, NULL for MMIO */
    const MmioOps *ops;       /* MMIO only */
    void *opaque;
    const char *name;
} PhysRegion;

enum { PHYSMEM_MAX_REGIONS = 64 };

typedef struct PhysMem {
    PhysRegion region[PHYSMEM_MAX_REGIONS];
    unsigned n_regions;
    /* Told of every device write to RAM, after it (physmem_dma_written): the exec
     * layer drops what it decoded from those bytes. NULL: nobody listens. */
    void (*dma_written)(void *ctx, uint64_t paddr, uint64_t len);
    void *dma_ctx;
} PhysMem;

/* Registration fails (false) on overlap or when the table is full. */
bool physmem_add_ram(PhysMem *pm, uint64_t base, uint64_t size, uint8_t *host, const char *name);
bool physmem_add_mmio(PhysMem *pm, uint64_t base, uint64_t size, const MmioOps *ops,
                      void *opaque, const char *name);
/* The region containing paddr, or NULL. `hint` (may be NULL) is a per-caller last-hit
 * cache slot. */
const PhysRegion *physmem_find(const PhysMem *pm, uint64_t paddr, const PhysRegion **hint);
/* Host pointer to [paddr, paddr+len) when it lies entirely in one RAM region. */
void *physmem_ram_ptr(const PhysMem *pm, uint64_t paddr, uint64_t len);
/* A device wrote [paddr, paddr+len) of RAM through physmem_ram_ptr's pointer: every
 * such write must be reported (code may have been decoded from those bytes). */
void physmem_dma_written(const PhysMem *pm, uint64_t paddr, uint64_t len);
/* Device-side access by physical address (RAM or MMIO); false on a hole or fault. */
bool physmem_read(const PhysMem *pm, uint64_t paddr, unsigned size, uint64_t *value);
bool physmem_write(const PhysMem *pm, uint64_t paddr, unsigned size, uint64_t value);

#endif
