/* The exec loop and TB building (interpreter engine). A TB holds prepared
 * instructions; running it is a loop of handler calls. Invariants:
 *  - h->pc is exact whenever control leaves a TB (exceptions restore the faulting
 *    instruction's pc from its record; instret counts only completed instructions);
 *  - every page a live TB was decoded from is in h->code_pages, so stores to it
 *    take the slow path and invalidate the TB (self-modifying code works without
 *    fence.i, as on real hardware with coherent instruction fetch). */
#include "exec/exec.h"

#include <stdlib.h>
#include <string.h>

#include "exec/dbt.h"
#include "frontend/trap.h"
#include "softmmu/mem.h"

void exec_init(Hart *h)
{
    /* A hart copied from another (a new guest thread) keeps its engine options. */
    const ExecOptions *inherit = h->exec ? &h->exec->opt : NULL;
    ExecCtx *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    tb_cache_init(&x->tbs);
    h->exec = x;
    h->code_written_hook = exec_code_written;
    code_pages_init(&h->code_pages);
    mem_tlb_flush(h);
    if (inherit && inherit->engine != EXEC_ENGINE_INTERP)
        exec_set_options(h, inherit);
}

void exec_destroy(Hart *h)
{
    if (!h->exec)
        return;
    tb_cache_destroy(&h->exec->tbs);
    dbt_destroy(h->exec->dbt);
    free(h->exec);
    h->exec = NULL;
    code_pages_destroy(&h->code_pages);
}

void exec_flush(Hart *h)
{
    tb_flush_all(&h->exec->tbs);
    if (h->exec->dbt)
        dbt_flush(h->exec->dbt);
    code_pages_clear(&h->code_pages);
    mem_tlb_flush(h); /* write entries were withheld for the old code pages */
}

/* Drops the code decoded from pages [addr, addr + len); false if there was none. */
static bool invalidate_code(Hart *h, uint64_t addr, uint64_t len)
{
    enum { MAX_PAGES = 64 }; /* pages collected before invalidating; more: a full flush */
    if (len == 0)
        return false;
    const CodePages *cp = &h->code_pages;
    uint64_t first = addr >> TLB_PAGE_BITS, last = (addr + len - 1) >> TLB_PAGE_BITS;
    uint64_t hit[MAX_PAGES];
    unsigned n = 0;
    bool by_page = last - first < cp->capacity; /* else walk the set instead */
    uint64_t count = by_page ? last - first + 1 : cp->capacity;
    for (uint64_t k = 0; k < count; k++) {
        uint64_t page = by_page ? first + k : cp->slot[k] - 1;
        if (by_page ? !code_pages_contains(cp, page) : (cp->slot[k] == 0 || page < first || page > last))
            continue;
        if (n == MAX_PAGES) {
            exec_flush(h);
            return true;
        }
        hit[n++] = page;
    }
    for (unsigned k = 0; k < n; k++)
        exec_code_written(h, hit[k] << TLB_PAGE_BITS, 1);
    return n > 0;
}

bool exec_engine_from_name(const char *name, ExecEngine *engine)
{
    if (strcmp(name, "interp") == 0)
        *engine = EXEC_ENGINE_INTERP;
    else if (strcmp(name, "dbt") == 0 && dbt_available())
        *engine = EXEC_ENGINE_DBT;
    else
        return false;
    return true;
}

const char *exec_engine_names(void) { return dbt_available() ? "interp, dbt" : "interp"; }

void exec_mappings_changed(Hart *h)
{
    mem_tlb_flush(h);
    if (h->exec->dbt)
        dbt_jump_cache_clear(h->exec->dbt);
}

void exec_flush_for_fence_i(Hart *h)
{
    /* System mode sees every write to code (exec_dma_written); user mode sees every
     * write but through a second mapping of shared memory (a JIT's writable view). */
    if (h->mmu->code_may_be_stale && h->mmu->code_may_be_stale(h))
        exec_flush(h);
}

void exec_invalidate_range(Hart *h, uint64_t addr, uint64_t len)
{
    mem_tlb_flush(h);
    invalidate_code(h, addr, len);
}

void exec_dma_written(Hart *h, uint64_t paddr, uint64_t len)
{
    if (invalidate_code(h, paddr, len))
        h->code_written = true;
}

void exec_code_written(Hart *h, uint64_t paddr, unsigned size)
{
    uint64_t first = paddr >> TLB_PAGE_BITS, last = (paddr + size - 1) >> TLB_PAGE_BITS;
    for (uint64_t page = first; page <= last; page++) {
        tb_invalidate_page(&h->exec->tbs, page);
        if (h->exec->dbt)
            dbt_invalidate_page(h->exec->dbt, page);
        code_pages_remove(&h->code_pages, page);
    }
    mem_tlb_flush(h); /* let writes to the page use the fast path again */
}

void exec_track_code_page(Hart *h, uint64_t page)
{
    if (code_pages_add(&h->code_pages, page))
        mem_tlb_flush(h); /* withdraw fast-path writes to the newly tracked page */
    if (h->mmu->protect_code) /* and writes by anyone else (other threads, syscalls) */
        h->mmu->protect_code(h, page << TLB_PAGE_BITS);
}

static uint32_t tb_flags(const Hart *h) { return h->priv; }

/* Reads the instruction at pc from the current fetch page `p` (covering [page_pc,
 * page end)), crossing into the next page when a 32-bit instruction straddles it.
 * Returns false with h->exc set when the second page cannot be fetched. */
static bool fetch_insn(Hart *h, uint64_t pc, const uint8_t *page, uint64_t *page2,
                       uint32_t *bits)
{
    unsigned off = pc & ~TLB_PAGE_MASK;
    uint32_t lo = (uint32_t)page[off] | (uint32_t)page[off + 1] << 8;
    if (rv_insn_length((uint16_t)lo) == 2) {
        *bits = lo;
        return true;
    }
    if (off + 2 < TLB_PAGE_SIZE) {
        *bits = lo | ((uint32_t)page[off + 2] | (uint32_t)page[off + 3] << 8) << 16;
        return true;
    }
    uint64_t paddr2;
    const uint8_t *q = mem_fetch_ptr(h, pc + 2, &paddr2);
    if (!q)
        return false;
    *page2 = paddr2 >> TLB_PAGE_BITS;
    *bits = lo | ((uint32_t)q[0] | (uint32_t)q[1] << 8) << 16;
    return true;
}

static Tb *tb_build(Hart *h, uint64_t pc, uint32_t flags)
{
    uint64_t paddr;
    const uint8_t *p = mem_fetch_ptr(h, pc, &paddr);
    if (!p)
        return NULL;
    uintptr_t host = (uintptr_t)p;
    const uint8_t *page = p - (pc & ~TLB_PAGE_MASK);
    uint64_t page0 = paddr >> TLB_PAGE_BITS, page1 = page0;

    RvInsn insn[TB_MAX_INSNS];
    uint64_t insn_pc[TB_MAX_INSNS];
    uint32_t n = 0;
    uint64_t cur = pc;
    for (;;) {
        uint32_t bits;
        uint64_t second = page0;
        if (!fetch_insn(h, cur, page, &second, &bits)) {
            if (n == 0)
                return NULL;
            break; /* the fault belongs to that instruction: let it start a TB */
        }
        rv_decode(bits, &insn[n]);
        insn_pc[n] = cur;
        cur += insn[n].len;
        n++;
        if (second != page0) {
            page1 = second;
            break;
        }
        if (rv_insn_ends_block(&insn[n - 1]) || n == TB_MAX_INSNS ||
            (cur & ~TLB_PAGE_MASK) == 0)
            break;
    }

    TbCache *c = &h->exec->tbs;
    Tb *tb = tb_alloc(c, n + 1); /* + the sentinel */
    if (!tb) {
        exec_flush(h);
        tb = tb_alloc(c, n + 1);
    }
    tb->pc = pc;
    tb->host = host;
    tb->end_pc = cur;
    tb->page[0] = page0;
    tb->page[1] = page1;
    tb->flags = flags;
    tb->n_insns = n;
    tb->valid = true;
    tb->succ[0] = tb->succ[1] = NULL;
    tb->runs = 0;
    for (uint32_t i = 0; i < n; i++)
        interp_prepare(&tb->insn[i], &insn[i], insn_pc[i], i);
    interp_prepare_end(&tb->insn[n]);
    exec_track_code_page(h, page0);
    exec_track_code_page(h, page1);
    tb_insert(c, tb);
    return tb;
}

/* After an internal exit the instruction has completed: set the pc where execution
 * continues (unless the instruction did) and drop what it made stale. Returns
 * false for wfi, which the caller must hand to its environment. */
static bool handle_internal_exit(Hart *h, const InterpInsn *in)
{
    switch (h->exc.cause) {
    case HART_EXIT_TRANSLATION: /* sret/mret set pc (and selected the TLB context) */
        return true;
    case HART_EXIT_MAPPINGS: /* sfence.vma set pc and flushed the TLB */
        if (h->exec->dbt) /* a cold block run under the DBT: its jump cache is stale too */
            dbt_jump_cache_clear(h->exec->dbt);
        return true;
    case HART_EXIT_FENCE_I:
        exec_flush_for_fence_i(h);
        break;
    case HART_EXIT_WFI:
        h->pc = in->pc + in->d.len;
        return false;
    default: /* HART_EXIT_CODE_WRITTEN: the store already invalidated the TBs */
        break;
    }
    h->pc = in->pc + in->d.len;
    return true;
}

static inline bool tb_matches(const Tb *tb, uint64_t pc, uintptr_t host, uint32_t flags)
{
    return tb && tb->pc == pc && tb->host == host && tb->flags == flags && tb->valid;
}

/* The TB at h->pc: first the successors the previous TB saw last time (no hashing),
 * then the cache, then a fresh translation. NULL with h->exc set on a fetch fault. */
static Tb *find_tb(Hart *h, Tb *prev, uint32_t flags)
{
    uint64_t pc = h->pc;
    uintptr_t host = mem_fetch_host(h, pc);
    if (!host)
        return NULL;
    if (prev) {
        if (tb_matches(prev->succ[0], pc, host, flags))
            return prev->succ[0];
        if (tb_matches(prev->succ[1], pc, host, flags))
            return prev->succ[1];
    }
    uint64_t flushes = h->exec->tbs.n_flushes;
    Tb *tb = tb_lookup(&h->exec->tbs, pc, host, flags);
    if (!tb)
        tb = tb_build(h, pc, flags);
    if (tb && prev && flushes == h->exec->tbs.n_flushes)
        prev->succ[prev->succ[0] ? 1 : 0] = tb;
    return tb;
}

typedef enum TbOutcome { TB_DONE, TB_INTERNAL_EXIT, TB_STOP } TbOutcome;

/* Runs tb, which starts at h->pc. TB_STOP: the run loop stops with *stop. */
static inline TbOutcome run_tb(Hart *h, Tb *tb, ExecStop *stop)
{
    h->exec->n_blocks_run++;
    h->pc = tb->end_pc; /* control transfers overwrite it */
    if (__builtin_expect(tb->insn[0].fn(h, tb->insn), 1)) {
        h->instret += tb->n_insns;
        return TB_DONE;
    }
    const InterpInsn *in = h->fault_insn;
    h->instret += in->index;
    if (hart_exit_is_internal(h->exc.cause)) {
        h->instret++;
        if (handle_internal_exit(h, in))
            return TB_INTERNAL_EXIT;
        *stop = EXEC_STOP_WFI;
        return TB_STOP;
    }
    h->pc = in->pc;
    *stop = EXEC_STOP_EXCEPTION;
    return TB_STOP;
}

ExecCold exec_run_cold(Hart *h, uint32_t threshold, ExecStop *stop)
{
    /* Cold code runs block after block here, the interpreter's way (successor links
     * instead of hash lookups), until a block is hot: going back to the DBT's loop
     * after every cold block cost two hash lookups per block (a sixth of the time of
     * python3's start-up). What that loop checks between blocks ends the run too. */
    Tb *prev = NULL;
    for (;;) {
        Tb *tb = find_tb(h, prev, tb_flags(h));
        if (!tb) {
            *stop = EXEC_STOP_EXCEPTION;
            return EXEC_COLD_STOP;
        }
        if (tb->runs >= threshold)
            return prev ? EXEC_COLD_RAN : EXEC_COLD_HOT;
        tb->runs++;
        switch (run_tb(h, tb, stop)) {
        case TB_DONE:
            break;
        case TB_INTERNAL_EXIT:
            return EXEC_COLD_RAN;
        case TB_STOP:
            return EXEC_COLD_STOP;
        }
        if (__builtin_expect(h->exit_request, 0) || (h->mip & h->mie) != 0)
            return EXEC_COLD_RAN;
        prev = tb;
    }
}

ExecStop exec_run(Hart *h)
{
    if (h->exec->dbt)
        return exec_run_dbt(h);
    Tb *prev = NULL;
    ExecStop stop;
    for (;;) {
        if (__builtin_expect(h->exit_request, 0))
            return EXEC_STOP_EXIT_REQUEST;
        /* One test per TB; only system mode ever has interrupts enabled in mie. */
        if (__builtin_expect((h->mip & h->mie) != 0, 0) && trap_take_interrupt(h))
            prev = NULL;
        uint32_t flags = tb_flags(h);
        Tb *tb = find_tb(h, prev, flags);
        if (!tb)
            return EXEC_STOP_EXCEPTION;
        prev = tb;
        switch (run_tb(h, tb, &stop)) {
        case TB_DONE:
            break;
        case TB_INTERNAL_EXIT:
            prev = NULL; /* its TB may be gone */
            break;
        case TB_STOP:
            return stop;
        }
    }
}
