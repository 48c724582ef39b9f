/* The DBT exec loop and engine life cycle. Like the interpreter's loop (exec.c) it
 * keeps h->pc exact at every exit and instret exact: generated code adds a block's
 * count when it completes, and a fault returns the instruction's record, which says
 * how many instructions of the block completed before it.
 * Tiers: a block is translated once it has run ExecOptions.dbt_threshold times in
 * the interpreter (exec_run_cold); until then the loop interprets it.
 * Chaining: a block's chainable exit returns its DbtLink; the loop finds the next
 * block and patches the exit to jump there directly, provided both were translated
 * for the same flags. In system mode (ExecOptions.guest_mmu) a block's jumps to other
 * guest pages have no such exit: they go through the jump cache in generated code
 * (IrGuestAbi.link_page_bits), since a mapping change must not leave a cross-page
 * jump behind. */
#include "exec/dbt_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "frontend/fpu.h"
#include "frontend/lift.h"
#include "frontend/trap.h"
#include "softmmu/mem.h"

enum { CODE_SIZE = 256 << 20, DATA_SIZE = 256 << 20 };

bool dbt_available(void)
{
#if defined(__x86_64__)
    return true;
#else
    return false;
#endif
}

bool dbt_parse_log(const char *list, unsigned *mask)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"in_asm", DBT_LOG_IN_ASM}, {"op", DBT_LOG_OP}, {"op_opt", DBT_LOG_OP_OPT},
        {"out_asm", DBT_LOG_OUT_ASM}, {"exec", DBT_LOG_EXEC},
        {"perfmap", DBT_LOG_PERFMAP},
    };
    *mask = 0;
    while (*list) {
        size_t len = strcspn(list, ",");
        bool found = false;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            if (strlen(names[k].name) == len && strncmp(list, names[k].name, len) == 0) {
                *mask |= names[k].bit;
                found = true;
            }
        }
        if (!found)
            return false;
        list += len;
        if (*list == ',')
            list++;
    }
    return true;
}

static void jump_cache_fill(DbtJumpCache *jc, uint64_t pc, uintptr_t code)
{
    uint32_t index = ir_jump_cache_index(pc, DBT_JC_BITS);
    uint64_t *e = &jc->entry[2 * index];
    if (e[0] & 1) /* empty until now */
        fill_log_add(&jc->log, jc->filled, DBT_JC_LOG, index);
    e[0] = pc;
    e[1] = code;
}

/* IrGuestAbi.jump_lookup: an indirect jump missed the jump cache. The block comes
 * from the block table and the cache is refilled without a trip through the exec
 * loop (a full exit and re-entry), as long as the loop has nothing to do first: no
 * exit request or pending interrupt, the same translation flags, the fetch TLB
 * knows pc's page (else fetch_host may fault). */
static uintptr_t jump_lookup(void *state, uint64_t pc)
{
    Hart *h = state;
    DbtCtx *d = h->exec->dbt;
    uint32_t flags = lift_flags(h);
    DbtJumpCache *jc = dbt_jump_cache_for(d, flags);
    if (h->exit_request || (h->mip & h->mie) != 0 || flags != jc->flags || h->satp != d->jc_satp)
        return 0;
    uintptr_t host = mem_fetch_hit(h, pc);
    DbtTb *tb = host ? dbt_lookup(d, pc, host, flags) : NULL;
    if (!tb)
        return 0;
    jump_cache_fill(jc, pc, tb->code);
    d->n_jump_lookups++;
    return tb->code;
}

static IrGuestAbi guest_abi(DbtCtx *d)
{
    /* Hot registers pinned in host registers across blocks: sp, a5, a4, a3, a0. The
     * operands of the hottest blocks of the bench workloads (sampled with -d perfmap):
     * a5, a4 lead everywhere, a3 comes next (loop bounds, as in matmul's inner loop),
     * sp leads in call-heavy code (lua, python), a0 beats a1; s0, pinned before
     * a3, was rare except in lua. Measured: a3 for s0 took 10-30% off matmul, sha256,
     * strings, vm and xz, the rest unchanged; a1 for a0 was slower. */
    static const unsigned hot[] = {2, 15, 14, 13, 10};
    IrGuestAbi abi = {
        .pc_slot = LIFT_SLOT_PC,
        .exit_request_off = (int32_t)offsetof(Hart, exit_request),
        .tlb_mask = TLB_ENTRIES - 1,
        .tlb_entry_shift = 5,
        .page_bits = TLB_PAGE_BITS,
        .tag_read_off = (int32_t)offsetof(TlbEntry, tag[MEM_READ]),
        .tag_write_off = (int32_t)offsetof(TlbEntry, tag[MEM_WRITE]),
        .addend_off = (int32_t)offsetof(TlbEntry, addend),
        .tlb_older_off = (int32_t)offsetof(Tlb, older),
        .load_slow = (const void *)mem_load_slow,
        .store_slow = (const void *)mem_store_slow,
        .fflags_off = (int32_t)offsetof(Hart, fflags),
        .fflag = {.invalid = RV_FFLAG_NV, .div_zero = RV_FFLAG_DZ, .overflow = RV_FFLAG_OF,
                  .underflow = RV_FFLAG_UF, .inexact = RV_FFLAG_NX},
        .has_counter = true,
        .counter_slot = LIFT_SLOT_INSTRET,
        .n_pinned = sizeof hot / sizeof hot[0],
        .n_reg_slots = LIFT_SLOT_F(31) + 1,
        .jump_cache_bits = DBT_JC_BITS,
        .jump_lookup = d->chain ? jump_lookup : NULL,
    };
    _Static_assert(sizeof(TlbEntry) == 1 << 5, "generated code assumes 32-byte TLB entries");
    _Static_assert(offsetof(Tlb, entry) == 0, "generated code finds the entries at the Tlb");
    for (unsigned k = 0; k < abi.n_pinned; k++)
        abi.pinned_slot[k] = (int32_t)LIFT_SLOT_X(hot[k]);
    return abi;
}

DbtCtx *dbt_create(const ExecOptions *opt)
{
    if (!dbt_available())
        return NULL;
    DbtCtx *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->log = opt->log;
    d->verify = opt->verify;
    d->chain = !d->verify && !(d->log & DBT_LOG_EXEC);
    /* What --verify and the traces are for is translated code: all of it (perfmap
     * profiles the program as it runs by default). */
    d->threshold = d->verify || (d->log & DBT_LOG_STDERR) ? 0 : opt->dbt_threshold;
    uint64_t *entries = calloc((size_t)TLB_CONTEXTS << (DBT_JC_BITS + 1), sizeof(uint64_t));
    for (unsigned k = 0; k < TLB_CONTEXTS; k++)
        d->jc[k].entry = entries ? entries + ((size_t)k << (DBT_JC_BITS + 1)) : NULL;
    d->data_size = DATA_SIZE;
    d->data = mmap(NULL, d->data_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (!entries || d->data == MAP_FAILED || !dbt_codemem_init(&d->mem, CODE_SIZE))
        abort();
    dbt_jump_cache_clear(d); /* all of it (jc_log knows nothing yet): zero pcs match pc 0 */
    IrGuestAbi abi = guest_abi(d);
    abi.flat_base = opt->flat_base;
    abi.flat_bits = opt->flat_bits;
    abi.flat_guard = (int32_t)opt->flat_guard;
    abi.link_page_bits = opt->guest_mmu ? TLB_PAGE_BITS : 0;
    if (!x64_backend_init(&d->be, &d->mem.buf, &abi))
        abort();
    return d;
}

void dbt_destroy(DbtCtx *d)
{
    if (!d)
        return;
    dbt_fault_leave(d);
    dbt_verify_destroy(d);
    dbt_codemem_destroy(&d->mem);
    page_index_clear(&d->pages);
    munmap(d->data, d->data_size);
    free(d->jc[0].entry); /* the block of them all */
    free(d->sites);
    free(d);
}

void dbt_flush(DbtCtx *d)
{
    memset(d->bucket, 0, sizeof d->bucket);
    page_index_clear(&d->pages);
    dbt_jump_cache_clear(d);
    d->data_used = 0;
    d->n_sites = 0;
    x64_backend_reset(&d->be);
    d->generation++;
    d->n_flushes++;
}

static void chain(DbtCtx *d, const DbtLink *link, const DbtTb *to)
{
    const DbtTb *from = link->tb;
    if (from->flags != to->flags || !from->valid)
        return;
    x64_link(&d->be, from->code, from->out.link_site[link->edge], to->code);
    d->n_chained++;
}

/* After an internal exit the instruction has completed (see exec.c): continue after
 * it, dropping what it made stale. Returns false for wfi. */
static bool internal_exit(Hart *h, DbtCtx *d, const DbtInsnRec *rec)
{
    switch (h->exc.cause) {
    case HART_EXIT_TRANSLATION: /* sret/mret set pc; the exec loop sees the new flags */
        return true;
    case HART_EXIT_MAPPINGS: /* sfence.vma set pc; what the jump cache knows may be stale */
        dbt_jump_cache_clear(d);
        return true;
    case HART_EXIT_FENCE_I:
        exec_flush_for_fence_i(h);
        break;
    case HART_EXIT_WFI:
        h->pc = rec->pc + rec->len;
        return false;
    default: /* HART_EXIT_CODE_WRITTEN: the store already invalidated the blocks */
        break;
    }
    h->pc = rec->pc + rec->len;
    return true;
}

ExecStop exec_run_dbt(Hart *h)
{
    DbtCtx *d = h->exec->dbt;
    const DbtLink *pending = NULL;
    uint64_t pending_gen = 0;
    dbt_fault_enter(d);
    for (;;) {
        if (__builtin_expect(h->exit_request, 0))
            return EXEC_STOP_EXIT_REQUEST;
        if (__builtin_expect((h->mip & h->mie) != 0, 0) && trap_take_interrupt(h))
            pending = NULL;
        uint32_t flags = lift_flags(h);
        if (h->satp != d->jc_satp) { /* a csrw satp */
            dbt_jump_cache_clear(d);
            d->jc_satp = h->satp;
        }
        DbtJumpCache *jc = dbt_jump_cache_for(d, flags);
        if (flags != jc->flags) { /* say FS or frm changed: other blocks */
            dbt_jump_cache_empty(jc);
            jc->flags = flags;
        }
        uint64_t pc = h->pc;
        uintptr_t host = mem_fetch_host(h, pc);
        if (!host)
            return EXEC_STOP_EXCEPTION;
        DbtTb *tb = dbt_lookup(d, pc, host, flags);
        if (!tb && d->threshold) {
            ExecStop stop;
            ExecCold cold = exec_run_cold(h, d->threshold, &stop);
            if (cold == EXEC_COLD_STOP)
                return stop;
            if (cold == EXEC_COLD_RAN) {
                pending = NULL;
                continue;
            }
        }
        if (!tb) {
            tb = dbt_translate(h, d, pc, flags);
            if (!tb)
                return EXEC_STOP_EXCEPTION;
        }
        if (pending && pending_gen == d->generation && d->chain)
            chain(d, pending, tb);
        pending = NULL;
        uintptr_t r;
        d->n_entered++;
        if (d->verify) {
            r = dbt_verify_run(h, d, tb);
        } else {
            if (d->chain)
                jump_cache_fill(jc, pc, tb->code);
            if (d->log & DBT_LOG_EXEC)
                fprintf(stderr, "Trace: pc 0x%016llx [%u insns]\n", (unsigned long long)pc, tb->n_insns);
            r = d->be.enter(h, tb->code);
        }
        if (!(r & 1)) {
            d->n_back_link += r != 0;
            d->n_back_indirect += r == 0;
            if (r) {
                pending = (const DbtLink *)r;
                pending_gen = d->generation;
            }
            continue;
        }
        const DbtInsnRec *rec = (const DbtInsnRec *)(r - 1);
        h->instret += rec->index;
        if (hart_exit_is_internal(h->exc.cause)) {
            d->n_back_internal++;
            h->instret++;
            if (!internal_exit(h, d, rec))
                return EXEC_STOP_WFI;
            continue;
        }
        d->n_back_exception++;
        h->pc = rec->pc;
        return EXEC_STOP_EXCEPTION;
    }
}

void dbt_print_stats(FILE *out, const DbtCtx *d)
{
    fprintf(out, " tbs=%llu tb_flushes=%llu code_bytes=%zu blocks_run=%llu chained=%llu",
            (unsigned long long)d->n_translated, (unsigned long long)d->n_flushes,
            d->mem.buf.used, (unsigned long long)d->n_entered, (unsigned long long)d->n_chained);
    fprintf(out, " jump_lookups=%llu", (unsigned long long)d->n_jump_lookups);
    fprintf(out, " back_link=%llu back_indirect=%llu back_exception=%llu back_internal=%llu",
            (unsigned long long)d->n_back_link, (unsigned long long)d->n_back_indirect,
            (unsigned long long)d->n_back_exception, (unsigned long long)d->n_back_internal);
    if (d->verify)
        fprintf(out, " verified=%llu", (unsigned long long)d->n_verified);
}

void exec_vfork_prepare(Hart *h)
{
    if (h->exec->dbt)
        dbt_codemem_next_fork_without_code();
}

void exec_vfork_child(Hart *h)
{
    if (!h->exec->dbt)
        return;
    ExecOptions interp = h->exec->opt;
    interp.engine = EXEC_ENGINE_INTERP;
    exec_set_options(h, &interp);
}

bool exec_set_options(Hart *h, const ExecOptions *opt)
{
    ExecCtx *x = h->exec;
    DbtCtx *d = NULL;
    if (opt->engine == EXEC_ENGINE_DBT) {
        d = dbt_create(opt);
        if (!d)
            return false;
    }
    exec_flush(h); /* what the previous engine holds */
    dbt_destroy(x->dbt);
    x->dbt = d;
    x->opt = *opt;
    return true;
}
