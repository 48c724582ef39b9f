/* Translation blocks and their cache. A TB is the unit the exec loop runs: a run of
 * guest instructions ending at a control transfer, a block-ending instruction or the
 * end of a page. Key: (pc, host, flags): the virtual pc (the code uses it for
 * pc-relative values), the host address the bytes were fetched from (a stand-in for
 * the physical address, so a TB survives satp changes and never runs for another
 * mapping of the same pc), and mode bits (privilege). The TB also records the
 * physical pages it was decoded from, which is what write tracking invalidates.
 * The cache is owned by one hart's exec context: no locking. */
#ifndef RVX_EXEC_TB_H
#define RVX_EXEC_TB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/page_index.h"
#include "frontend/interp.h"

#define TB_MAX_INSNS 64

typedef struct Tb {
    uint64_t pc;
    uintptr_t host;           /* host address of the first instruction byte */
    uint64_t end_pc;          /* pc after the last instruction */
    uint64_t page[2];         /* physical page numbers of its bytes (same twice if one) */
    uint32_t flags;
    uint32_t n_insns;
    bool valid;               /* false once invalidated (memory lives until a flush) */
    struct Tb *hash_next;
    struct Tb *succ[2];       /* last successors seen: checked, then used without lookup */
    uint32_t runs;            /* under the DBT: times run before it is translated */
    InterpInsn insn[];
} Tb;

#define TB_HASH_BITS 15
#define TB_JUMP_CACHE_BITS 12

typedef struct TbCache {
    Tb *bucket[1u << TB_HASH_BITS];
    Tb *jump_cache[1u << TB_JUMP_CACHE_BITS];  /* direct-mapped front of the hash */
    PageIndex pages;                           /* physical page -> its TBs */
    uint8_t *arena;
    size_t arena_size, arena_used;
    uint64_t n_translated, n_flushes;
} TbCache;

void tb_cache_init(TbCache *c);
void tb_cache_destroy(TbCache *c);
Tb *tb_lookup(TbCache *c, uint64_t pc, uintptr_t host, uint32_t flags);
/* Space for a TB of n instructions, or NULL when the arena is full (flush first). */
Tb *tb_alloc(TbCache *c, uint32_t n_insns);
void tb_insert(TbCache *c, Tb *tb);
void tb_flush_all(TbCache *c);
/* Drops every TB with bytes on physical page `page`. */
void tb_invalidate_page(TbCache *c, uint64_t page);

#endif
