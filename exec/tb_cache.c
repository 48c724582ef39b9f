/* TB cache: TBs live in one bump-allocated arena (freed all at once by a flush), are
 * found through a hash of (pc, flags), with a direct-mapped jump cache in front.
 * Invalidating a page unlinks its TBs (found through the page index) and marks them
 * invalid; their arena space is reclaimed at the next full flush. Successor links (Tb.succ) only ever point into
 * the same arena generation: a flush discards the TBs that hold them. */
#include "exec/tb.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { ARENA_SIZE = 64 << 20 };

static uint32_t tb_hash(uint64_t pc, uint32_t flags)
{
    return (uint32_t)(((pc ^ ((uint64_t)flags << 40)) * 0x9e3779b97f4a7c15ull) >> (64 - TB_HASH_BITS));
}

static uint32_t jc_index(uint64_t pc)
{
    return (uint32_t)(pc >> 1) & ((1u << TB_JUMP_CACHE_BITS) - 1);
}

void tb_cache_init(TbCache *c)
{
    memset(c, 0, sizeof *c);
    c->arena_size = ARENA_SIZE;
    c->arena = mmap(NULL, c->arena_size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (c->arena == MAP_FAILED)
        abort();
}

void tb_cache_destroy(TbCache *c)
{
    page_index_clear(&c->pages);
    munmap(c->arena, c->arena_size);
    c->arena = NULL;
}

Tb *tb_lookup(TbCache *c, uint64_t pc, uintptr_t host, uint32_t flags)
{
    Tb **slot = &c->jump_cache[jc_index(pc)];
    Tb *tb = *slot;
    if (tb && tb->pc == pc && tb->host == host && tb->flags == flags)
        return tb;
    for (tb = c->bucket[tb_hash(pc, flags)]; tb; tb = tb->hash_next)
        if (tb->pc == pc && tb->host == host && tb->flags == flags) {
            *slot = tb;
            return tb;
        }
    return NULL;
}

Tb *tb_alloc(TbCache *c, uint32_t n_insns)
{
    size_t size = sizeof(Tb) + n_insns * sizeof(InterpInsn);
    size = (size + 15) & ~(size_t)15;
    if (c->arena_used + size > c->arena_size)
        return NULL;
    Tb *tb = (Tb *)(c->arena + c->arena_used);
    c->arena_used += size;
    return tb;
}

void tb_insert(TbCache *c, Tb *tb)
{
    Tb **head = &c->bucket[tb_hash(tb->pc, tb->flags)];
    tb->hash_next = *head;
    *head = tb;
    c->jump_cache[jc_index(tb->pc)] = tb;
    page_index_add(&c->pages, tb->page[0], tb);
    if (tb->page[1] != tb->page[0])
        page_index_add(&c->pages, tb->page[1], tb);
    c->n_translated++;
}

void tb_flush_all(TbCache *c)
{
    memset(c->bucket, 0, sizeof c->bucket);
    memset(c->jump_cache, 0, sizeof c->jump_cache);
    page_index_clear(&c->pages);
    c->arena_used = 0;
    c->n_flushes++;
}

void tb_invalidate_page(TbCache *c, uint64_t page)
{
    size_t n;
    void **tbs = page_index_take(&c->pages, page, &n);
    for (size_t k = 0; k < n; k++) {
        Tb *tb = tbs[k];
        if (!tb->valid) /* dropped with its other page */
            continue;
        tb->valid = false; /* successor links to it now fail their check */
        Tb **link = &c->bucket[tb_hash(tb->pc, tb->flags)];
        while (*link != tb)
            link = &(*link)->hash_next;
        *link = tb->hash_next;
        if (c->jump_cache[jc_index(tb->pc)] == tb)
            c->jump_cache[jc_index(tb->pc)] = NULL;
    }
    free(tbs);
}
