/* The contract between the exec layer and a code-generating backend, host-neutral:
 * where code goes (CodeBuf), what generated code may know about the guest state
 * (IrGuestAbi: offsets and slow-path helpers, filled by exec from the Hart layout),
 * and the per-block inputs and outputs of code generation (IrTbCode).
 *
 * Generated code runs with the guest state pointer in a host register; it leaves by
 * returning a word to the exec loop:
 *   0                 the guest pc slot is set; look the next block up
 *   link_ret[k]       the same, and the exit was the chainable edge k of the block
 *   rec_base + i * rec_stride, plus 1
 *                     instruction i of the block faulted (or asked for an internal
 *                     exit); the state is exact up to the start of instruction i */
#ifndef RVX_IR_IR_TARGET_H
#define RVX_IR_IR_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

typedef struct CodeBuf {
    uint8_t *rw;        /* where code is written */
    uintptr_t rx;       /* where the same bytes execute */
    size_t size, used;
    bool overflow;      /* ran out of space: the block being emitted is unusable */
} CodeBuf;

static inline uintptr_t code_buf_rx_pos(const CodeBuf *c) { return c->rx + c->used; }

#define IR_MAX_PINNED 8

typedef struct IrGuestAbi {
    int32_t pc_slot;              /* state slot of the guest pc */
    int32_t exit_request_off;     /* byte offset of a 32-bit flag: nonzero = leave */
    /* soft TLB (softmmu/tlb.h): entry = IrTbCode.tlb_off + ((vaddr >> page_bits) &
     * tlb_mask) * tlb_entry_size; hit iff (vaddr & (page_mask | (size - 1))) == tag[access] */
    uint32_t tlb_mask, tlb_entry_shift, page_bits;
    int32_t tag_read_off, tag_write_off, addend_off;   /* within an entry */
    /* The set's second way, tested out of line when the first misses: the entry at
     * tlb_older_off + the same offset (same layout). */
    int32_t tlb_older_off;
    /* bool load_slow(state, vaddr, size, uint64_t *value); bool store_slow(state,
     * vaddr, size, value): false = fault (or an internal exit after a store) */
    const void *load_slow, *store_slow;
    /* The 32-bit word fp ops accrue exception flags into, and its bit for each IEEE
     * exception. Flags raised by inline host FP instructions may wait in the host
     * (x86: MXCSR) until the block leaves or calls the instruction fallback
     * (call_insn), so nothing else may read or write the word while blocks run. */
    int32_t fflags_off;
    struct { uint8_t invalid, div_zero, overflow, underflow, inexact; } fflag;
    /* A slot generated code only ever changes by adding constants (instret), which
     * the backend may keep in a host register while generated code runs, writing it
     * back around every call and at every exit: adding to it in memory at the end of
     * every block made a store-to-load chain through all blocks. */
    bool has_counter;
    int32_t counter_slot;
    /* Hot state slots the backend keeps in host registers for as long as generated
     * code runs (it uses as many as it has registers for, in this order). */
    uint8_t n_pinned;
    int32_t pinned_slot[IR_MAX_PINNED];
    /* Slots 0 .. n_reg_slots - 1 (guest registers) are read and written only by blocks
     * and the instruction fallback while blocks run, never by helpers: a block that
     * loops may keep them in host registers until it leaves. */
    uint32_t n_reg_slots;
    /* Flat guest memory (see ExecOptions), flat_base 0 if none: loads of addresses
     * below 2^flat_bits read host flat_base + address directly, and a host fault there
     * is sent to the load's slow path (IrTbCode.fault_site). */
    uintptr_t flat_base;
    uint32_t flat_bits;
    int32_t flat_guard;           /* inaccessible bytes below 0 and above 2^flat_bits */
    /* jump caches (IrTbCode.jump_cache): entries of {guest pc, host code address}; an
     * empty entry holds an odd pc (targets are even) */
    uint32_t jump_cache_bits;     /* 2^bits entries, indexed by ir_jump_cache_index */
    /* On a jump cache miss: host code address jump_lookup(state, pc) of the block at
     * pc (it refills the cache), or 0 to leave through the exec loop. NULL: always
     * leave (no chaining). */
    uintptr_t (*jump_lookup)(void *state, uint64_t pc);
    /* Direct jumps are chained only within one 2^link_page_bits guest page (0: any
     * jump): under a guest MMU another page may be remapped without the block being
     * retranslated, so jumps to other pages go through the jump cache, which mapping
     * changes empty. */
    uint32_t link_page_bits;
} IrGuestAbi;

/* The jump cache entry of pc: the low bits of pc >> 1 folded with the next ones, so
 * hot targets 2^(bits+1) bytes apart (an interpreter's handlers in one library and its
 * callers in another, say) do not evict each other as in a plain direct map. */
static inline uint32_t ir_jump_cache_index(uint64_t pc, unsigned bits)
{
    return (uint32_t)((pc >> 1) ^ (pc >> (1 + bits))) & ((1u << bits) - 1);
}

/* A host instruction that may fault on flat guest memory, and where the faulting
 * context resumes (its slow path); offsets from the block's first byte. */
typedef struct IrFaultSite {
    uint32_t at, resume;
} IrFaultSite;
#define IR_MAX_FAULT_SITES 128

#define IR_MAX_LINKS 6 /* chainable edges of a block: its side exits and terminator */

typedef struct IrTbCode {
    /* in */
    uint64_t pc;                  /* guest pc of the block (for the entry exit) */
    uintptr_t rec_base;
    uint32_t rec_stride;
    uintptr_t link_ret[IR_MAX_LINKS];
    IrFaultSite *fault_site;      /* room for IR_MAX_FAULT_SITES (flat memory only) */
    /* A jump back to the block's own start may loop inside the block instead of
     * leaving it (off when every block must return to the exec loop). */
    bool may_loop;
    int32_t tlb_off;              /* state offset of the soft TLB its loads and stores use */
    const uint64_t *jump_cache;   /* the jump cache of its indirect and far jumps */
    /* out (offsets from the block's first byte) */
    uint32_t n_links;
    uint32_t link_site[IR_MAX_LINKS]; /* rel32 fields to patch for chaining (edge k) */
    uint32_t entry_exit;          /* where an invalidated entry jumps */
    /* A block looping inside itself: the loop's head, patched like the entry when the
     * block is invalidated, to jump to loop_exit (0: no loop) */
    uint32_t loop_head, loop_exit;
    uint32_t size;
    uint32_t n_fault_sites;       /* entries of fault_site, in code order */
} IrTbCode;

#endif
