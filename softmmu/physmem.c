/* Physical memory map (see physmem.h): a small sorted array searched by bisection. */
#include "softmmu/physmem.h"

#include <string.h>

static bool add_region(PhysMem *pm, PhysRegion r)
{
    if (pm->n_regions == PHYSMEM_MAX_REGIONS || r.size == 0 || r.base + r.size < r.base)
        return false;
    unsigned i = 0;
    while (i < pm->n_regions && pm->region[i].base < r.base)
        i++;
    if (i > 0 && pm->region[i - 1].base + pm->region[i - 1].size > r.base)
        return false;
    if (i < pm->n_regions && r.base + r.size > pm->region[i].base)
        return false;
    memmove(&pm->region[i + 1], &pm->region[i], (pm->n_regions - i) * sizeof r);
    pm->region[i] = r;
    pm->n_regions++;
    return true;
}

bool physmem_add_ram(PhysMem *pm, uint64_t base, uint64_t size, uint8_t *host, const char *name)
{
    return add_region(pm, (PhysRegion){base, size, host, NULL, NULL, name});
}

bool physmem_add_mmio(PhysMem *pm, uint64_t base, uint64_t size, const MmioOps *ops,
                      void *opaque, const char *name)
{
    return add_region(pm, (PhysRegion){base, size, NULL, ops, opaque, name});
}

static bool contains(const PhysRegion *r, uint64_t paddr)
{
    return paddr - r->base < r->size;
}

const PhysRegion *physmem_find(const PhysMem *pm, uint64_t paddr, const PhysRegion **hint)
{
    if (hint && *hint && contains(*hint, paddr))
        return *hint;
    unsigned lo = 0, hi = pm->n_regions;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const PhysRegion *r = &pm->region[mid];
        if (paddr < r->base)
            hi = mid;
        else if (paddr - r->base >= r->size)
            lo = mid + 1;
        else {
            if (hint)
                *hint = r;
            return r;
        }
    }
    return NULL;
}

void *physmem_ram_ptr(const PhysMem *pm, uint64_t paddr, uint64_t len)
{
    const PhysRegion *r = physmem_find(pm, paddr, NULL);
    if (!r || !r->ram || len > r->size - (paddr - r->base))
        return NULL;
    return r->ram + (paddr - r->base);
}

void physmem_dma_written(const PhysMem *pm, uint64_t paddr, uint64_t len)
{
    if (pm->dma_written && len)
        pm->dma_written(pm->dma_ctx, paddr, len);
}

bool physmem_read(const PhysMem *pm, uint64_t paddr, unsigned size, uint64_t *value)
{
    const PhysRegion *r = physmem_find(pm, paddr, NULL);
    if (!r || size > r->size - (paddr - r->base))
        return false;
    if (r->ram) {
        uint64_t v = 0;
        memcpy(&v, r->ram + (paddr - r->base), size);
        *value = v;
        return true;
    }
    return r->ops->read(r->opaque, paddr - r->base, size, value);
}

bool physmem_write(const PhysMem *pm, uint64_t paddr, unsigned size, uint64_t value)
{
    const PhysRegion *r = physmem_find(pm, paddr, NULL);
    if (!r || size > r->size - (paddr - r->base))
        return false;
    if (r->ram) {
        memcpy(r->ram + (paddr - r->base), &value, size);
        return true;
    }
    return r->ops->write(r->opaque, paddr - r->base, size, value);
}
