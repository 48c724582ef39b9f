/* Code-page set: an open-addressing hash set of page numbers with linear probing
 * and backward-shift deletion (no tombstones, so lookups stay short). */
#include "softmmu/code_pages.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash_page(uint64_t page, uint32_t capacity)
{
    return (uint32_t)((page * 0x9e3779b97f4a7c15ull) >> 32) & (capacity - 1);
}

void code_pages_init(CodePages *cp)
{
    cp->capacity = 1024;
    cp->count = 0;
    cp->slot = calloc(cp->capacity, sizeof *cp->slot);
    if (!cp->slot)
        abort();
}

void code_pages_destroy(CodePages *cp)
{
    free(cp->slot);
    cp->slot = NULL;
}

static uint32_t find(const CodePages *cp, uint64_t page)
{
    uint32_t i = hash_page(page, cp->capacity);
    while (cp->slot[i] && cp->slot[i] != page + 1)
        i = (i + 1) & (cp->capacity - 1);
    return i;
}

static void grow(CodePages *cp)
{
    CodePages bigger = {calloc(cp->capacity * 2, sizeof(uint64_t)), cp->capacity * 2, 0};
    if (!bigger.slot)
        abort();
    for (uint32_t i = 0; i < cp->capacity; i++)
        if (cp->slot[i])
            code_pages_add(&bigger, cp->slot[i] - 1);
    free(cp->slot);
    *cp = bigger;
}

bool code_pages_add(CodePages *cp, uint64_t page)
{
    if ((cp->count + 1) * 2 > cp->capacity)
        grow(cp);
    uint32_t i = find(cp, page);
    if (cp->slot[i])
        return false;
    cp->slot[i] = page + 1;
    cp->count++;
    return true;
}

bool code_pages_contains(const CodePages *cp, uint64_t page)
{
    return cp->slot[find(cp, page)] != 0;
}

void code_pages_remove(CodePages *cp, uint64_t page)
{
    uint32_t mask = cp->capacity - 1, i = find(cp, page);
    if (!cp->slot[i])
        return;
    cp->slot[i] = 0;
    cp->count--;
    /* Shift back later entries of the probe run that would now be unreachable. */
    for (uint32_t j = (i + 1) & mask; cp->slot[j]; j = (j + 1) & mask) {
        uint32_t home = hash_page(cp->slot[j] - 1, cp->capacity);
        bool reachable = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!reachable) {
            cp->slot[i] = cp->slot[j];
            cp->slot[j] = 0;
            i = j;
        }
    }
}

void code_pages_clear(CodePages *cp)
{
    memset(cp->slot, 0, cp->capacity * sizeof *cp->slot);
    cp->count = 0;
}
