/* System-mode translation (see mmu.h). The walker reads PTEs from RAM only (a PTE
 * address in MMIO or a hole is an access fault) and updates A/D with a
 * compare-and-swap so it never overwrites a concurrent PTE change. A translation is
 * cached in the TLB only when the whole 4 KiB page has the same PMP outcome, and
 * write entries only for pages without translated code (write tracking). */
#include "softmmu/mmu.h"

#include "frontend/priv.h"
#include "softmmu/physmem.h"

enum {
    PTE_V = 1 << 0, PTE_R = 1 << 1, PTE_W = 1 << 2, PTE_X = 1 << 3, PTE_U = 1 << 4,
    PTE_G = 1 << 5, PTE_A = 1 << 6, PTE_D = 1 << 7,
};
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK ((1ull << 44) - 1)
#define PTE_PBMT (3ull << 61)
#define PTE_N (1ull << 63)
#define PTE_RESERVED (((1ull << 61) - 1) & ~((1ull << 54) - 1)) /* bits 60:54 */

static uint64_t access_fault(MemAccess access)
{
    static const uint64_t cause[3] = {RV_EXC_LOAD_ACCESS, RV_EXC_STORE_ACCESS, RV_EXC_INSN_ACCESS};
    return cause[access];
}

/* ---- PMP ---- */

enum { PMP_R = 1, PMP_W = 2, PMP_X = 4, PMP_A_SHIFT = 3, PMP_L = 0x80 };
enum { PMP_OFF = 0, PMP_TOR = 1, PMP_NA4 = 2, PMP_NAPOT = 3 };

/* The address range [lo, hi) of PMP entry i; false when it is off. */
static bool pmp_range(const Hart *h, unsigned i, uint64_t *lo, uint64_t *hi)
{
    unsigned a = (h->pmpcfg[i] >> PMP_A_SHIFT) & 3;
    uint64_t addr = h->pmpaddr[i];
    switch (a) {
    case PMP_TOR:
        *lo = i ? h->pmpaddr[i - 1] << 2 : 0;
        *hi = addr << 2;
        return *lo < *hi;
    case PMP_NA4:
        *lo = addr << 2;
        *hi = *lo + 4;
        return true;
    case PMP_NAPOT: {
        unsigned ones = (unsigned)__builtin_ctzll(~addr);
        if (ones >= 54) {
            *lo = 0;
            *hi = UINT64_MAX;
            return true;
        }
        uint64_t size = 1ull << (ones + 3);
        *lo = (addr << 2) & ~(size - 1);
        *hi = *lo + size;
        return true;
    }
    default:
        return false;
    }
}

bool pmp_allows(const Hart *h, uint64_t paddr, uint64_t size, MemAccess access, unsigned priv)
{
    static const uint8_t need[3] = {PMP_R, PMP_W, PMP_X};
    uint64_t last = paddr + size - 1;
    bool any = false;
    for (unsigned i = 0; i < 16; i++) {
        uint64_t lo, hi;
        if (!pmp_range(h, i, &lo, &hi))
            continue;
        any = true;
        bool first_in = paddr >= lo && paddr <= hi - 1;
        bool last_in = last >= lo && last <= hi - 1;
        if (!first_in && !last_in)
            continue;
        if (!first_in || !last_in)
            return false; /* an access straddling an entry's boundary fails */
        uint8_t cfg = h->pmpcfg[i];
        if (priv == RV_PRIV_M && !(cfg & PMP_L))
            return true;
        return (cfg & need[access]) != 0;
    }
    /* No match: M-mode is allowed; S/U only when no entry is active. */
    return priv == RV_PRIV_M || !any;
}

/* ---- page-table walk ---- */

static unsigned effective_priv(const Hart *h, MemAccess access)
{
    if (access != MEM_EXEC && (h->mstatus & MSTATUS_MPRV))
        return (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    return h->priv;
}

/* Reads (and, for A/D, updates) a PTE in RAM. */
static uint64_t *pte_ptr(const Hart *h, uint64_t paddr)
{
    if (!pmp_allows(h, paddr, 8, MEM_READ, RV_PRIV_S))
        return NULL;
    return physmem_ram_ptr(h->phys, paddr, 8);
}

/* Walks the page table for vaddr. Returns 0 with *paddr set, or a cause. */
static int walk(Hart *h, uint64_t vaddr, MemAccess access, unsigned priv, uint64_t *paddr)
{
    unsigned mode = (unsigned)(h->satp >> SATP_MODE_SHIFT);
    unsigned levels = mode == SATP_MODE_SV39 ? 3 : mode == SATP_MODE_SV48 ? 4 : 5;
    unsigned va_bits = 12 + 9 * levels;
    int page_fault = (int)mem_fault_cause(access);
    /* The upper bits must all equal bit va_bits-1. */
    int64_t top = (int64_t)vaddr >> (va_bits - 1);
    if (top != 0 && top != -1)
        return page_fault;

    uint64_t table = (h->satp & SATP_PPN_MASK) << 12;
    for (int level = (int)levels - 1; level >= 0; level--) {
        uint64_t vpn = (vaddr >> (12 + 9 * level)) & 511;
        uint64_t *slot = pte_ptr(h, table + vpn * 8);
        if (!slot)
            return (int)access_fault(access);
        uint64_t pte = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED))
            return page_fault;
        if ((pte & PTE_PBMT) == PTE_PBMT || ((pte & PTE_PBMT) && !(h->menvcfg & MENVCFG_PBMTE)))
            return page_fault;
        uint64_t ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
        if (!(pte & (PTE_R | PTE_X))) {
            if (pte & (PTE_U | PTE_A | PTE_D | PTE_N | PTE_PBMT))
                return page_fault; /* reserved in non-leaf PTEs */
            table = ppn << 12;
            continue;
        }
        /* Leaf: permissions. */
        if (priv == RV_PRIV_U && !(pte & PTE_U))
            return page_fault;
        if (priv == RV_PRIV_S && (pte & PTE_U) &&
            (access == MEM_EXEC || !(h->mstatus & MSTATUS_SUM)))
            return page_fault;
        bool readable = (pte & PTE_R) || ((h->mstatus & MSTATUS_MXR) && (pte & PTE_X));
        if ((access == MEM_READ && !readable) || (access == MEM_WRITE && !(pte & PTE_W)) ||
            (access == MEM_EXEC && !(pte & PTE_X)))
            return page_fault;
        /* Superpages must be aligned; Svnapot 64 KiB pages replace ppn[3:0]. */
        uint64_t low_mask = (1ull << (9 * level)) - 1;
        if (ppn & low_mask)
            return page_fault;
        if (pte & PTE_N) {
            if (level != 0 || (ppn & 15) != 8)
                return page_fault;
            low_mask = 15;
            ppn &= ~15ull;
        }
        /* Hardware A/D update. */
        uint64_t want = pte | PTE_A | (access == MEM_WRITE ? PTE_D : 0);
        if (want != pte) {
            if (!pmp_allows(h, table + vpn * 8, 8, MEM_WRITE, RV_PRIV_S))
                return (int)access_fault(access);
            if (!__atomic_compare_exchange_n(slot, &pte, want, false, __ATOMIC_ACQ_REL,
                                             __ATOMIC_ACQUIRE))
                return walk(h, vaddr, access, priv, paddr); /* the PTE changed: redo */
        }
        uint64_t page = ppn | ((vaddr >> 12) & low_mask);
        *paddr = (page << 12) | (vaddr & 0xfff);
        return 0;
    }
    return page_fault;
}

static int system_translate(Hart *h, uint64_t vaddr, MemAccess access, MemTranslation *t)
{
    unsigned priv = effective_priv(h, access);
    uint64_t paddr = vaddr;
    if (priv != RV_PRIV_M && (h->satp >> SATP_MODE_SHIFT) != SATP_MODE_BARE) {
        int cause = walk(h, vaddr, access, priv, &paddr);
        if (cause)
            return cause;
    }
    if (!pmp_allows(h, paddr, 1, access, priv))
        return (int)access_fault(access);
    const PhysRegion *r = physmem_find(h->phys, paddr, NULL);
    if (!r)
        return (int)access_fault(access);
    t->paddr = paddr;
    t->is_ram = r->ram != NULL;
    if (!t->is_ram) {
        t->tlb_ok = false;
        return 0;
    }
    uint64_t page_pa = paddr & TLB_PAGE_MASK;
    t->addend = (uintptr_t)(r->ram + (page_pa - r->base)) - (vaddr & TLB_PAGE_MASK);
    /* Cache the page only if all of it is RAM of this region with one PMP outcome. */
    t->tlb_ok = page_pa >= r->base && page_pa + TLB_PAGE_SIZE <= r->base + r->size &&
                pmp_allows(h, page_pa, TLB_PAGE_SIZE, access, priv) &&
                !(access == MEM_WRITE && code_pages_contains(&h->code_pages, paddr >> 12));
    return 0;
}

static bool system_io_read(Hart *h, uint64_t paddr, unsigned size, uint64_t *value)
{
    return physmem_read(h->phys, paddr, size, value);
}

static bool system_io_write(Hart *h, uint64_t paddr, unsigned size, uint64_t value)
{
    return physmem_write(h->phys, paddr, size, value);
}

const MmuOps system_mmu_ops = {
    .translate = system_translate,
    .io_read = system_io_read,
    .io_write = system_io_write,
};
