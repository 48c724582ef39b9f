/* The DBT engine's exec-layer state: translated blocks (DbtTb) and their cache keyed
 * by (pc, host address of the code bytes, translation flags), the code memory, the
 * jump cache read by generated code, and the options (--verify, -d).
 * Owned by one hart's ExecCtx: no locking (each guest thread translates for itself).
 *
 * Life cycle of generated code: blocks are appended to the code memory; chaining
 * patches a block's exit jumps to enter another block directly; invalidating a
 * block (a store to its page) patches its entry to exit at once, so chained jumps
 * into it stay harmless; memory is reclaimed only by a full flush (fence.i, mapping
 * changes, a full buffer), which happens only while no generated code runs. */
#ifndef RVX_EXEC_DBT_H
#define RVX_EXEC_DBT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exec/exec.h"
typedef struct DbtCtx DbtCtx;

/* -d categories (QEMU names) */
enum {
    DBT_LOG_IN_ASM = 1 << 0,   /* guest instructions of each new block */
    DBT_LOG_OP = 1 << 1,       /* IR as lifted */
    DBT_LOG_OP_OPT = 1 << 2,   /* IR after the passes and register allocation */
    DBT_LOG_OUT_ASM = 1 << 3,  /* host code */
    DBT_LOG_EXEC = 1 << 4,     /* every block run (chaining is off) */
    DBT_LOG_PERFMAP = 1 << 5,  /* /tmp/perf-PID.map: names host code for perf(1) */
};

/* Categories written to stderr (the others go elsewhere). */
#define DBT_LOG_STDERR (DBT_LOG_IN_ASM | DBT_LOG_OP | DBT_LOG_OP_OPT | DBT_LOG_OUT_ASM | DBT_LOG_EXEC)

/* Parses "in_asm,op,..." into DBT_LOG_* bits; false on an unknown name. */
bool dbt_parse_log(const char *list, unsigned *mask);

/* Whether this host has a backend. */
bool dbt_available(void);
DbtCtx *dbt_create(const ExecOptions *opt);
void dbt_destroy(DbtCtx *d);
/* Drops every block (the caller also drops the code-page set and the TLB). */
void dbt_flush(DbtCtx *d);
/* Drops the blocks with bytes on physical page `page`; may run from a store's slow
 * path inside generated code (it patches their entries; their code stays until a
 * flush). */
void dbt_invalidate_page(DbtCtx *d, uint64_t page);
/* Empties the jump caches (guest virtual pc -> block): mappings changed. */
void dbt_jump_cache_clear(DbtCtx *d);

/* Appends " tbs=N tb_flushes=N code_bytes=N blocks_run=N ..." (rvx-stats keys). */
void dbt_print_stats(FILE *out, const DbtCtx *d);

/* The DBT exec loop (exec_run for EXEC_ENGINE_DBT). */
ExecStop exec_run_dbt(Hart *h);

#endif
