/* The set of guest pages (physical page numbers; user mode: virtual) that hold code
 * decoded or translated by an engine. Stores to these pages must take the slow path
 * so the engine can drop what it derived from the old bytes: MmuOps.translate
 * reports tlb_ok = false for writes to a page in this set.
 * Single-threaded use per set (one per exec context). */
#ifndef RVX_SOFTMMU_CODE_PAGES_H
#define RVX_SOFTMMU_CODE_PAGES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct CodePages {
    uint64_t *slot;      /* open addressing; 0 = empty, else page number + 1 */
    uint32_t capacity;   /* power of two */
    uint32_t count;
} CodePages;

void code_pages_init(CodePages *cp);
void code_pages_destroy(CodePages *cp);
/* Returns true when the page was not yet in the set. */
bool code_pages_add(CodePages *cp, uint64_t page);
bool code_pages_contains(const CodePages *cp, uint64_t page);
void code_pages_remove(CodePages *cp, uint64_t page);
void code_pages_clear(CodePages *cp);

#endif
