/* Which slots of a lookup table were filled since it was last emptied, so that emptying
 * it touches only those: the soft TLBs (flushed at every satp change and sfence.vma in
 * system mode) and the DBT's jump caches (emptied at every sfence.vma) are large and
 * mostly empty when that happens. The owner keeps the slot array (`cap` entries) beside the
 * log; zeroed memory is a log that knows nothing, so the first emptying is whole. */
#ifndef RVX_SOFTMMU_FILL_LOG_H
#define RVX_SOFTMMU_FILL_LOG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct FillLog {
    uint32_t n;     /* slots filled; cap + 1: more than the array holds */
    bool known;     /* false: which slots are filled is unknown (zeroed memory) */
} FillLog;

/* Slot `index`, empty until now, is being filled. */
static inline void fill_log_add(FillLog *log, uint32_t *slots, uint32_t cap, uint32_t index)
{
    if (log->n < cap)
        slots[log->n] = index;
    if (log->n <= cap)
        log->n++;
}

/* The table is being emptied: true with *n slots to empty in the array, false when the
 * whole table must be. The log starts over. */
static inline bool fill_log_take(FillLog *log, uint32_t cap, uint32_t *n)
{
    bool listed = log->known && log->n <= cap;
    *n = log->n;
    log->n = 0;
    log->known = true;
    return listed;
}

#endif
