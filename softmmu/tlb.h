/* The soft TLB: a two-way set-associative cache from guest virtual page to host
 * memory, one per hart and translation context. Its layout is part of the backend
 * contract (generated code inlines the hit path), so keep it plain:
 *   hit  <=>  (vaddr & (TLB_PAGE_MASK | (size - 1))) == entry.tag_<access>
 *   host address = vaddr + entry.addend
 * A set is entry[i] (the page filled last, what fast paths test) and older[i] (the
 * page it displaced, tested only when entry[i] misses: by the out-of-line code of
 * generated code and by mem_tlb_hit). Two hot pages of one set then cost a second
 * compare instead of a page walk at every access.
 * Misaligned accesses never hit (the size bits make the compare fail) and take the
 * slow path, which splits them. An invalid tag is all ones, which no aligned vaddr
 * can equal. Entries for pages whose writes must be seen (code pages, MMIO) simply
 * have no tag_write, so every write to them goes through the slow path. */
#ifndef RVX_SOFTMMU_TLB_H
#define RVX_SOFTMMU_TLB_H

#include <stddef.h>
#include <stdint.h>

#include "softmmu/fill_log.h"

#define TLB_PAGE_BITS 12
#define TLB_PAGE_SIZE (1ull << TLB_PAGE_BITS)
#define TLB_PAGE_MASK (~(TLB_PAGE_SIZE - 1))
/* 2048 sets: hot pages whose addresses are equal modulo the table's span share a set.
 * With one way, address-space randomisation made that a lottery: with 512 entries
 * about one run in twelve of a guest's busybox awk loop walked the page table tens of
 * millions of times and took 3 to 10 times as long; with 2048 the walks of a normal
 * run fell from 1.35 M reads to 0.37 M, and one run in 36 still met such a pair,
 * which the second way now holds. */
#define TLB_BITS 11
#define TLB_ENTRIES (1u << TLB_BITS)
#define TLB_INVALID_TAG UINT64_MAX

typedef enum MemAccess { MEM_READ = 0, MEM_WRITE = 1, MEM_EXEC = 2 } MemAccess;

typedef struct TlbEntry {
    uint64_t tag[3];   /* indexed by MemAccess */
    uintptr_t addend;  /* host address - guest virtual address, for the page */
} TlbEntry;

/* Besides the entries (what generated code reads), the sets filled since the last
 * flush, so that a flush clears only them: whole flushes (16 KiB each, at every change
 * of privilege in system mode) were an eighth of a Linux boot. Each way has its own
 * log: the older one is filled only when two pages meet in a set, so its log rarely
 * overflows, and clearing both ways whole at each flush made a busybox shell loop in
 * the guest 15-30% slower. */
#define TLB_LOG 64

typedef struct Tlb {
    TlbEntry entry[TLB_ENTRIES];   /* first: generated code addresses it from the Tlb */
    TlbEntry older[TLB_ENTRIES];
    uint32_t filled[TLB_LOG], older_filled[TLB_LOG];
    FillLog log, older_log;
} Tlb;

/* A hart keeps one TLB per translation context, as QEMU keeps one per MMU index, so
 * that moving between contexts (a trap and its return, a kernel's user copy setting
 * SUM) keeps the entries of each: the effective privilege of the access, and for
 * supervisor data accesses whether SUM lets them reach user pages. Changing what a
 * context translates to (satp, sfence.vma, PMP, MXR) empties them all. */
typedef enum TlbContext { TLB_CTX_U, TLB_CTX_S, TLB_CTX_S_SUM, TLB_CTX_M, TLB_CONTEXTS } TlbContext;

static inline uint32_t tlb_index(uint64_t vaddr)
{
    return (uint32_t)(vaddr >> TLB_PAGE_BITS) & (TLB_ENTRIES - 1);
}

/* The entry of vaddr's set whose `access` tag is `tag` (the page, with the size bits
 * of a data access), or NULL. */
static inline TlbEntry *tlb_find(Tlb *tlb, uint64_t vaddr, uint64_t tag, MemAccess access)
{
    uint32_t i = tlb_index(vaddr);
    if (__builtin_expect(tlb->entry[i].tag[access] == tag, 1))
        return &tlb->entry[i];
    if (tlb->older[i].tag[access] == tag)
        return &tlb->older[i];
    return NULL;
}

void tlb_flush(Tlb *tlb);
void tlb_flush_page(Tlb *tlb, uint64_t vaddr);

#endif
