/* Page -> blocks: a chained hash of per-page growable arrays. */
#include "exec/page_index.h"

#include <stdlib.h>

typedef struct PageBlocks {
    uint64_t page;
    size_t n, cap;
    void **block;
    struct PageBlocks *next;
} PageBlocks;

static PageBlocks **bucket_of(PageIndex *x, uint64_t page)
{
    return &x->bucket[(page * 0x9e3779b97f4a7c15ull) >> (64 - PAGE_INDEX_BITS)];
}

void page_index_add(PageIndex *x, uint64_t page, void *block)
{
    PageBlocks **head = bucket_of(x, page), *p = *head;
    while (p && p->page != page)
        p = p->next;
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            abort();
        p->page = page;
        p->next = *head;
        *head = p;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 8;
        p->block = realloc(p->block, p->cap * sizeof *p->block);
        if (!p->block)
            abort();
    }
    p->block[p->n++] = block;
}

void **page_index_take(PageIndex *x, uint64_t page, size_t *n)
{
    for (PageBlocks **link = bucket_of(x, page); *link; link = &(*link)->next) {
        PageBlocks *p = *link;
        if (p->page != page)
            continue;
        *link = p->next;
        void **blocks = p->block;
        *n = p->n;
        free(p);
        return blocks;
    }
    *n = 0;
    return NULL;
}

void page_index_clear(PageIndex *x)
{
    for (size_t b = 0; b < (1u << PAGE_INDEX_BITS); b++) {
        for (PageBlocks *p = x->bucket[b], *next; p; p = next) {
            next = p->next;
            free(p->block);
            free(p);
        }
        x->bucket[b] = NULL;
    }
}
