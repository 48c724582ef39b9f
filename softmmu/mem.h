/* Guest memory access for the interpreter and for helpers called from generated code.
 * Fast path: one soft-TLB compare (tlb.h). Slow path (mem.c): ask the hart's MmuOps to
 * translate (page walk in system mode, the process map in user mode), refill the TLB
 * when allowed, and do MMIO, misaligned and cross-page accesses.
 * Every function returns false after setting hart->exc when the access faults; the
 * guest never reaches host memory that the translation did not give it. */
#ifndef RVX_SOFTMMU_MEM_H
#define RVX_SOFTMMU_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "frontend/hart.h"

typedef struct MemTranslation {
    uintptr_t addend;   /* host = vaddr + addend, valid when is_ram */
    uint64_t paddr;     /* physical (user mode: virtual) address of vaddr */
    bool is_ram;        /* false: MMIO, go through io_read/io_write */
    bool tlb_ok;        /* the TLB may remember this page for this access */
} MemTranslation;

typedef struct MmuOps {
    /* 0 on success, else the exception cause to raise (tval = vaddr). */
    int (*translate)(Hart *h, uint64_t vaddr, MemAccess access, MemTranslation *out);
    bool (*io_read)(Hart *h, uint64_t paddr, unsigned size, uint64_t *value);
    bool (*io_write)(Hart *h, uint64_t paddr, unsigned size, uint64_t value);
    /* Optional (user mode, where the DBT stores to host memory directly): translated
     * code now comes from the page of vaddr, so a direct store there must fault;
     * and a store is about to change such a page (translate gave tlb_ok false). */
    void (*protect_code)(Hart *h, uint64_t vaddr);
    void (*write_code)(Hart *h, uint64_t paddr);
    /* Optional (user mode): translated code may have changed without a write this
     * hart's memory saw (through another mapping of shared pages), so fence.i must
     * drop the hart's translations. NULL: never (system mode sees every write). */
    bool (*code_may_be_stale)(Hart *h);
} MmuOps;

bool mem_load_slow(Hart *h, uint64_t vaddr, unsigned size, uint64_t *value);
bool mem_store_slow(Hart *h, uint64_t vaddr, unsigned size, uint64_t value);
/* Host pointer for an atomic access (LR: MEM_READ; SC/AMO: MEM_WRITE) of `size`
 * bytes at vaddr, RAM only; NULL with hart->exc set (misaligned, fault or MMIO). */
void *mem_atomic_ptr(Hart *h, uint64_t vaddr, unsigned size, MemAccess access);
/* The page-fault cause for an access kind (for MmuOps.translate implementations). */
uint64_t mem_fault_cause(MemAccess access);
/* Host pointer to the instruction bytes at vaddr up to the end of its page; sets
 * *paddr. NULL with hart->exc set on a fetch fault. */
const uint8_t *mem_fetch_ptr(Hart *h, uint64_t vaddr, uint64_t *paddr);

/* Sets h->tlb_ctx from the privilege and mstatus (MPRV, MPP, SUM): after any change
 * of them. */
void mem_tlb_select(Hart *h);
/* Empties every context's TLB (what translations give has changed), then selects. */
void mem_tlb_flush(Hart *h);
/* Drops the page of vaddr from every context's TLB. */
void mem_tlb_flush_page(Hart *h, uint64_t vaddr);

/* The TLB that serves `access` now. */
static inline Tlb *mem_tlb(Hart *h, MemAccess access) { return &h->tlb[h->tlb_ctx[access]]; }

static inline bool mem_tlb_hit(Hart *h, uint64_t vaddr, unsigned size, MemAccess access,
                               void **host)
{
    TlbEntry *e = tlb_find(mem_tlb(h, access), vaddr, vaddr & (TLB_PAGE_MASK | (size - 1)), access);
    if (__builtin_expect(e != NULL, 1)) {
        *host = (void *)(uintptr_t)(vaddr + e->addend);
        return true;
    }
    return false;
}

/* The host address of the instruction at pc when the fetch TLB knows its page, else 0. */
static inline uintptr_t mem_fetch_hit(Hart *h, uint64_t pc)
{
    TlbEntry *e = tlb_find(mem_tlb(h, MEM_EXEC), pc, pc & TLB_PAGE_MASK, MEM_EXEC);
    return __builtin_expect(e != NULL, 1) ? (uintptr_t)(pc + e->addend) : 0;
}

/* The host address of the instruction at pc (fetch TLB, else a translation that may
 * fault: 0 with h->exc set). */
static inline uintptr_t mem_fetch_host(Hart *h, uint64_t pc)
{
    uintptr_t host = mem_fetch_hit(h, pc);
    if (__builtin_expect(host != 0, 1))
        return host;
    uint64_t paddr;
    return (uintptr_t)mem_fetch_ptr(h, pc, &paddr);
}

#define MEM_DEFINE_ACCESS(bits)                                                       \
    static inline bool mem_load_u##bits(Hart *h, uint64_t vaddr, uint64_t *value)     \
    {                                                                                 \
        void *host;                                                                   \
        if (mem_tlb_hit(h, vaddr, bits / 8, MEM_READ, &host)) {                       \
            uint##bits##_t v;                                                         \
            memcpy(&v, host, sizeof v);                                               \
            *value = v;                                                               \
            return true;                                                              \
        }                                                                             \
        return mem_load_slow(h, vaddr, bits / 8, value);                              \
    }                                                                                 \
    static inline bool mem_store_u##bits(Hart *h, uint64_t vaddr, uint64_t value)     \
    {                                                                                 \
        void *host;                                                                   \
        if (mem_tlb_hit(h, vaddr, bits / 8, MEM_WRITE, &host)) {                      \
            uint##bits##_t v = (uint##bits##_t)value;                                 \
            memcpy(host, &v, sizeof v);                                               \
            return true;                                                              \
        }                                                                             \
        return mem_store_slow(h, vaddr, bits / 8, value);                             \
    }
MEM_DEFINE_ACCESS(8)
MEM_DEFINE_ACCESS(16)
MEM_DEFINE_ACCESS(32)
MEM_DEFINE_ACCESS(64)
#undef MEM_DEFINE_ACCESS

#endif
