/* Slow paths of guest memory access: TLB refill, MMIO, misaligned and page-crossing
 * accesses. A misaligned access is split into bytes only after every page it touches
 * has been translated, so a faulting store writes nothing (precise exceptions). */
#include "softmmu/mem.h"

#include "frontend/priv.h"

static const uint64_t fault_cause[3] = {
    [MEM_READ] = RV_EXC_LOAD_PAGE_FAULT,
    [MEM_WRITE] = RV_EXC_STORE_PAGE_FAULT,
    [MEM_EXEC] = RV_EXC_INSN_PAGE_FAULT,
};

/* Empties one way of every set, through its fill log when that knows which. */
static void tlb_flush_way(TlbEntry *way, FillLog *log, const uint32_t *filled)
{
    uint32_t n;
    if (fill_log_take(log, TLB_LOG, &n)) {
        for (uint32_t k = 0; k < n; k++)
            memset(&way[filled[k]], 0xff, sizeof(TlbEntry));
    } else {
        memset(way, 0xff, sizeof(TlbEntry) * TLB_ENTRIES);
    }
}

void tlb_flush(Tlb *tlb)
{
    tlb_flush_way(tlb->entry, &tlb->log, tlb->filled);
    tlb_flush_way(tlb->older, &tlb->older_log, tlb->older_filled);
}

static bool tlb_entry_empty(const TlbEntry *e)
{
    return e->tag[0] == TLB_INVALID_TAG && e->tag[1] == TLB_INVALID_TAG && e->tag[2] == TLB_INVALID_TAG;
}

static bool tlb_entry_has_page(const TlbEntry *e, uint64_t page)
{
    return e->tag[MEM_READ] == page || e->tag[MEM_WRITE] == page || e->tag[MEM_EXEC] == page;
}

void tlb_flush_page(Tlb *tlb, uint64_t vaddr)
{
    uint32_t i = tlb_index(vaddr);
    uint64_t page = vaddr & TLB_PAGE_MASK;
    if (tlb_entry_has_page(&tlb->entry[i], page))
        memset(&tlb->entry[i], 0xff, sizeof(TlbEntry));
    if (tlb_entry_has_page(&tlb->older[i], page))
        memset(&tlb->older[i], 0xff, sizeof(TlbEntry));
}

void mem_tlb_select(Hart *h)
{
    unsigned priv = h->priv;
    h->tlb_ctx[MEM_EXEC] = priv == RV_PRIV_M ? TLB_CTX_M : priv == RV_PRIV_S ? TLB_CTX_S : TLB_CTX_U;
    if (priv == RV_PRIV_M && (h->mstatus & MSTATUS_MPRV))
        priv = (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    uint8_t data = priv == RV_PRIV_M   ? TLB_CTX_M
                   : priv == RV_PRIV_S ? ((h->mstatus & MSTATUS_SUM) ? TLB_CTX_S_SUM : TLB_CTX_S)
                                       : TLB_CTX_U;
    h->tlb_ctx[MEM_READ] = h->tlb_ctx[MEM_WRITE] = data;
}

void mem_tlb_flush(Hart *h)
{
    for (unsigned k = 0; k < TLB_CONTEXTS; k++)
        tlb_flush(&h->tlb[k]);
    mem_tlb_select(h);
}

void mem_tlb_flush_page(Hart *h, uint64_t vaddr)
{
    for (unsigned k = 0; k < TLB_CONTEXTS; k++)
        tlb_flush_page(&h->tlb[k], vaddr);
}

/* Adds the page of vaddr for `access` to its set: to the entry holding the page
 * already, else as the set's newest entry, its former newest becoming the older one. */
static void tlb_fill(Hart *h, uint64_t vaddr, MemAccess access, const MemTranslation *t)
{
    Tlb *tlb = mem_tlb(h, access);
    uint32_t i = tlb_index(vaddr);
    TlbEntry *e = &tlb->entry[i], *older = &tlb->older[i];
    uint64_t page = vaddr & TLB_PAGE_MASK;
    if (older->addend == t->addend && tlb_entry_has_page(older, page)) {
        older->tag[access] = page;
        return;
    }
    if (e->addend != t->addend || !tlb_entry_has_page(e, page)) {
        if (tlb_entry_empty(e)) {
            fill_log_add(&tlb->log, tlb->filled, TLB_LOG, i);
        } else {
            if (tlb_entry_empty(older))
                fill_log_add(&tlb->older_log, tlb->older_filled, TLB_LOG, i);
            *older = *e;
        }
        e->tag[0] = e->tag[1] = e->tag[2] = TLB_INVALID_TAG;
        e->addend = t->addend;
    }
    e->tag[access] = page;
}

/* Translates vaddr for `access`, refilling the TLB when the page allows it. */
static bool translate(Hart *h, uint64_t vaddr, MemAccess access, MemTranslation *t)
{
    int cause = h->mmu->translate(h, vaddr, access, t);
    if (cause) {
        hart_raise(h, (uint64_t)cause, vaddr);
        return false;
    }
    if (t->is_ram && t->tlb_ok)
        tlb_fill(h, vaddr, access, t);
    return true;
}

static bool load_aligned(Hart *h, uint64_t vaddr, unsigned size, uint64_t *value)
{
    MemTranslation t;
    if (!translate(h, vaddr, MEM_READ, &t))
        return false;
    if (!t.is_ram) {
        if (h->mmu->io_read(h, t.paddr, size, value))
            return true;
        hart_raise(h, RV_EXC_LOAD_ACCESS, vaddr);
        return false;
    }
    uint64_t v = 0;
    memcpy(&v, (void *)(uintptr_t)(vaddr + t.addend), size); /* little-endian host */
    *value = v;
    return true;
}

static bool crosses_page(uint64_t vaddr, unsigned size)
{
    return ((vaddr & ~TLB_PAGE_MASK) + size) > TLB_PAGE_SIZE;
}

bool mem_load_slow(Hart *h, uint64_t vaddr, unsigned size, uint64_t *value)
{
    if ((vaddr & (size - 1)) == 0)
        return load_aligned(h, vaddr, size, value);
    /* Misaligned: byte by byte (each byte access is aligned and translated). */
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t byte;
        if (!load_aligned(h, vaddr + i, 1, &byte))
            return false;
        v |= byte << (8 * i);
    }
    *value = v;
    return true;
}

static bool store_aligned(Hart *h, uint64_t vaddr, unsigned size, uint64_t value)
{
    MemTranslation t;
    if (!translate(h, vaddr, MEM_WRITE, &t))
        return false;
    if (!t.is_ram) {
        if (h->mmu->io_write(h, t.paddr, size, value))
            return true;
        hart_raise(h, RV_EXC_STORE_ACCESS, vaddr);
        return false;
    }
    if (!t.tlb_ok && h->mmu->write_code)
        h->mmu->write_code(h, t.paddr);
    memcpy((void *)(uintptr_t)(vaddr + t.addend), &value, size);
    if (!t.tlb_ok && h->code_written_hook) {
        h->code_written_hook(h, t.paddr, size);
        h->code_written = true;
    }
    return true;
}

/* After a store that modified translated code, report the internal exit so the
 * caller ends its block with this instruction complete. */
static bool store_done(Hart *h)
{
    if (!h->code_written)
        return true;
    h->code_written = false;
    hart_raise(h, HART_EXIT_CODE_WRITTEN, 0);
    return false;
}

bool mem_store_slow(Hart *h, uint64_t vaddr, unsigned size, uint64_t value)
{
    if ((vaddr & (size - 1)) == 0)
        return store_aligned(h, vaddr, size, value) && store_done(h);
    if (crosses_page(vaddr, size)) {
        /* Probe the second page first so a fault there leaves memory untouched. */
        MemTranslation t;
        uint64_t next = (vaddr | ~TLB_PAGE_MASK) + 1;
        if (!translate(h, vaddr, MEM_WRITE, &t) || !translate(h, next, MEM_WRITE, &t))
            return false;
    }
    for (unsigned i = 0; i < size; i++)
        if (!store_aligned(h, vaddr + i, 1, value >> (8 * i)))
            return false;
    return store_done(h);
}

void *mem_atomic_ptr(Hart *h, uint64_t vaddr, unsigned size, MemAccess access)
{
    bool write = access == MEM_WRITE;
    if (vaddr & (size - 1)) {
        hart_raise(h, write ? RV_EXC_STORE_MISALIGNED : RV_EXC_LOAD_MISALIGNED, vaddr);
        return NULL;
    }
    void *host;
    if (mem_tlb_hit(h, vaddr, size, access, &host))
        return host;
    MemTranslation t;
    if (!translate(h, vaddr, access, &t))
        return NULL;
    if (!t.is_ram) {
        hart_raise(h, write ? RV_EXC_STORE_ACCESS : RV_EXC_LOAD_ACCESS, vaddr);
        return NULL;
    }
    if (write && !t.tlb_ok && h->mmu->write_code)
        h->mmu->write_code(h, t.paddr);
    if (write && !t.tlb_ok && h->code_written_hook)
        h->code_written_hook(h, t.paddr, size); /* before the write, which follows at once */
    return (void *)(uintptr_t)(vaddr + t.addend);
}

const uint8_t *mem_fetch_ptr(Hart *h, uint64_t vaddr, uint64_t *paddr)
{
    MemTranslation t;
    if (!translate(h, vaddr, MEM_EXEC, &t))
        return NULL;
    if (!t.is_ram) {
        hart_raise(h, RV_EXC_INSN_ACCESS, vaddr);
        return NULL;
    }
    *paddr = t.paddr;
    return (const uint8_t *)(uintptr_t)(vaddr + t.addend);
}

uint64_t mem_fault_cause(MemAccess access) { return fault_cause[access]; }
