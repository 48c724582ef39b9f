/* Which blocks hold bytes of which physical page, so that invalidating a page (a store
 * or a device wrote to it) visits that page's blocks, not every bucket of the block
 * table. Blocks are opaque pointers: the interpreter's TB cache and the DBT each keep
 * an index of their own. A block on several pages (two for an instruction that
 * straddles them; a DBT block following a jump to another page, up to DBT_MAX_PAGES)
 * is recorded under each, and may still be listed under one after another's
 * invalidation dropped it: takers skip blocks they already invalidated. */
#ifndef RVX_EXEC_PAGE_INDEX_H
#define RVX_EXEC_PAGE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_INDEX_BITS 12

typedef struct PageIndex {
    struct PageBlocks *bucket[1u << PAGE_INDEX_BITS];
} PageIndex;

/* Records block under page (zeroed memory is an empty index). */
void page_index_add(PageIndex *x, uint64_t page, void *block);
/* The blocks recorded under page, *n of them, which the index forgets: the caller
 * frees the array (NULL when there are none). */
void **page_index_take(PageIndex *x, uint64_t page, size_t *n);
/* Forgets every page (a flush). */
void page_index_clear(PageIndex *x);

#endif
