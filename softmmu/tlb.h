/* The soft TLB: a direct-mapped cache from guest virtual page to host memory, one
 * per hart. Its layout is part of the backend contract (generated code inlines the
 * hit path), so keep it plain:
 *   hit  <=>  (vaddr & (TLB_PAGE_MASK | (size - 1))) == entry.tag_<access>
 *   host address = vaddr + entry.addend
 * Misaligned accesses never hit (the size bits make the compare fail) and take the
 * slow path, which splits them. An invalid tag is all ones, which no aligned vaddr
 * can equal. Entries for pages whose writes must be seen (code pages, MMIO) simply
 * have no tag_write, so every write to them goes through the slow path. */
#ifndef RVX_SOFTMMU_TLB_H
#define RVX_SOFTMMU_TLB_H

#include <stdint.h>

#include "softmmu/fill_log.h"

#define TLB_PAGE_BITS 12
#define TLB_PAGE_SIZE (1ull << TLB_PAGE_BITS)
#define TLB_PAGE_MASK (~(TLB_PAGE_SIZE - 1))
/* 2048 entries: hot pages whose addresses are equal modulo the table's span share an
 * entry and evict each other at every access. Address-space randomisation makes that
 * a lottery: with 512 entries about one run in twelve of a guest's busybox awk loop
 * walked the page table tens of millions of times and took 3 to 10 times as long;
 * with 2048 the walks of a normal run fell from 1.35 M reads to 0.37 M, and one run in
 * 36 still met such a pair. */
#define TLB_BITS 11
#define TLB_ENTRIES (1u << TLB_BITS)
#define TLB_INVALID_TAG UINT64_MAX

typedef enum MemAccess { MEM_READ = 0, MEM_WRITE = 1, MEM_EXEC = 2 } MemAccess;

typedef struct TlbEntry {
    uint64_t tag[3];   /* indexed by MemAccess */
    uintptr_t addend;  /* host address - guest virtual address, for the page */
} TlbEntry;

/* Besides the entries (what generated code reads), the entries filled since the last
 * flush, so that a flush clears only them: whole flushes (16 KiB each, at every change
 * of privilege in system mode) were an eighth of a Linux boot. */
#define TLB_LOG 64

typedef struct Tlb {
    TlbEntry entry[TLB_ENTRIES];
    uint32_t filled[TLB_LOG];
    FillLog log;
} Tlb;

/* A hart keeps one TLB per translation context, as QEMU keeps one per MMU index, so
 * that moving between contexts (a trap and its return, a kernel's user copy setting
 * SUM) keeps the entries of each: the effective privilege of the access, and for
 * supervisor data accesses whether SUM lets them reach user pages. Changing what a
 * context translates to (satp, sfence.vma, PMP, MXR) empties them all. */
typedef enum TlbContext { TLB_CTX_U, TLB_CTX_S, TLB_CTX_S_SUM, TLB_CTX_M, TLB_CONTEXTS } TlbContext;

static inline TlbEntry *tlb_entry(Tlb *tlb, uint64_t vaddr)
{
    return &tlb->entry[(vaddr >> TLB_PAGE_BITS) & (TLB_ENTRIES - 1)];
}

void tlb_flush(Tlb *tlb);
void tlb_flush_page(Tlb *tlb, uint64_t vaddr);

#endif
