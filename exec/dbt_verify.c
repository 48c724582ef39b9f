/* --verify: every block runs under both engines and the results must agree.
 * Order: the interpreter runs first on a shadow copy of the hart whose memory
 * accesses go through a recording shim (stores are logged, not applied; loads see
 * the logged stores over real memory), then the translated code runs for real. Then
 * registers (x, f, pc, instret, fflags, frm, mstatus, the exception if any) and the
 * bytes the interpreter stored are compared. The first difference prints both
 * register files and the block, and ends the process.
 * In system mode the shim translates as the hart does (page walk, PMP) and reads and
 * logs by physical address; the privileged state is compared too.
 * Not verified (run by the DBT alone, counted): blocks with atomics or cache-block
 * operations (the shim cannot hand out host pointers), blocks reading the time CSR
 * (host clock) or mip/sip (devices change it at any time), and blocks that touch
 * MMIO (a device access has side effects, so the interpreter's run skips it and the
 * block is run by the DBT alone). A translation the guest changed without
 * sfence.vma may be seen stale by the DBT's TLB and fresh by the shim's walk: both
 * are allowed, and --verify would report it. */
#include "exec/dbt_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/csr.h"
#include "frontend/disas.h"
#include "frontend/lift.h"
#include "softmmu/mem.h"
#include "softmmu/physmem.h"

enum { LOG_MAX = 8192, LOG_HASH = 2 * LOG_MAX, SHIM_TLB = 16 };

/* A byte the interpreter stored: the last value for its address (each address is
 * logged once), and its slot in the hash index. */
typedef struct LoggedByte {
    uint64_t addr;
    uint16_t slot;
    uint8_t byte;
} LoggedByte;

typedef struct ShimTlbEntry {
    uint64_t page;  /* virtual page */
    uint64_t run;   /* the run that filled it (DbtVerify.run) */
    MemTranslation t;
} ShimTlbEntry;

typedef struct DbtVerify {
    Hart shadow;
    const MmuOps *real;
    MmuOps shim;
    InterpInsn prog[DBT_MAX_INSNS + 1];
    LoggedByte log[LOG_MAX];
    uint32_t n_log;
    uint16_t log_index[LOG_HASH]; /* open addressing: log index + 1, 0 = empty */
    bool log_overflow;
    bool write_ends_block; /* the last write's real translation was not for the TLB */
    bool touched_io;       /* the interpreter's run met MMIO: it is not compared */
    /* The real translations of this run's pages, per access kind: the shadow has no
     * TLB (every access must come to the shim), and walking the page table and PMP
     * for each was most of system mode's --verify time. Nothing in a block changes
     * the translation context before its last instruction (satp, mstatus and PMP
     * writes, sfence.vma and trap returns end it), and a page table store without
     * sfence.vma may be seen late. */
    ShimTlbEntry tlb[3][SHIM_TLB];
    uint64_t run;          /* counts verified blocks: a new run empties tlb */
    uint64_t last_paddr;   /* the last access's physical address, */
    const uint8_t *last_host; /* and its host byte if RAM */
    InterpFn branch_fn[DBT_MAX_INSNS]; /* the side exits' own handlers (and followed jalrs') */
    /* if-converted branches: the block's arms (DbtTb.arms); per first instruction of a
     * taken arm, its handler and the arm's length; whether a taken branch is entering
     * its arm */
    const LiftArms *arms;
    InterpFn arm_fn[DBT_MAX_INSNS];
    uint32_t arm_len[DBT_MAX_INSNS];
    bool taking;
    const InterpInsn *side_exit;       /* the one the interpreter left by, if any */
} DbtVerify;

static DbtVerify *vfy_of(Hart *h) { return h->exec->dbt->vfy; }

/* The hash slot of addr: the one holding it, else the empty one to put it in.
 * (A block clearing a page logs thousands of bytes: a linear search was quadratic.) */
static uint32_t log_slot(const DbtVerify *v, uint64_t addr)
{
    uint32_t k = (uint32_t)((addr * 0x9e3779b97f4a7c15ull) >> 40) & (LOG_HASH - 1);
    while (v->log_index[k] && v->log[v->log_index[k] - 1].addr != addr)
        k = (k + 1) & (LOG_HASH - 1);
    return k;
}

static const LoggedByte *log_find(const DbtVerify *v, uint64_t addr)
{
    uint16_t at = v->log_index[log_slot(v, addr)];
    return at ? &v->log[at - 1] : NULL;
}

static bool log_store(DbtVerify *v, uint64_t addr, uint8_t byte)
{
    uint32_t k = log_slot(v, addr);
    if (!v->log_index[k]) {
        if (v->n_log == LOG_MAX)
            return false;
        v->log[v->n_log] = (LoggedByte){.addr = addr, .slot = (uint16_t)k};
        v->log_index[k] = (uint16_t)++v->n_log;
    }
    v->log[v->log_index[k] - 1].byte = byte;
    return true;
}

static void log_clear(DbtVerify *v)
{
    for (uint32_t k = 0; k < v->n_log; k++)
        v->log_index[v->log[k].slot] = 0;
    v->n_log = 0;
    v->log_overflow = false;
}

static int shim_translate(Hart *h, uint64_t vaddr, MemAccess access, MemTranslation *out)
{
    DbtVerify *v = vfy_of(h);
    uint64_t page = vaddr & TLB_PAGE_MASK;
    ShimTlbEntry *e = &v->tlb[access][(vaddr >> TLB_PAGE_BITS) % SHIM_TLB];
    if (e->page == page && e->run == v->run) {
        *out = e->t;
        out->paddr = (e->t.paddr & TLB_PAGE_MASK) | (vaddr & ~TLB_PAGE_MASK);
    } else {
        int cause = v->real->translate(h, vaddr, access, out);
        if (cause)
            return cause;
        if (out->is_ram && out->tlb_ok) /* one outcome for the whole page */
            *e = (ShimTlbEntry){.page = page, .run = v->run, .t = *out};
    }
    /* A store to RAM the TLB may not cache (a page holding code, of this thread or,
     * still protected, of another) ends the block in the DBT: see shim_write. */
    if (access == MEM_WRITE)
        v->write_ends_block = out->is_ram && !out->tlb_ok;
    v->last_paddr = out->paddr;
    v->last_host = out->is_ram ? (const uint8_t *)(uintptr_t)(vaddr + out->addend) : NULL;
    out->is_ram = false; /* every access goes through io_read/io_write below */
    out->tlb_ok = false;
    return 0;
}

/* The host byte of guest RAM at paddr (user mode: the virtual address); NULL for
 * MMIO or nothing. */
static const uint8_t *ram_byte(Hart *h, const MmuOps *real, uint64_t paddr)
{
    const DbtVerify *v = vfy_of(h);
    if (paddr == v->last_paddr && v->last_host)
        return v->last_host;
    if (h->phys)
        return physmem_ram_ptr(h->phys, paddr, 1);
    MemTranslation t;
    if (real->translate(h, paddr, MEM_READ, &t) != 0 || !t.is_ram)
        return NULL;
    return (const uint8_t *)(uintptr_t)(paddr + t.addend);
}

/* Real memory under the logged stores. */
static bool shim_read(Hart *h, uint64_t paddr, unsigned size, uint64_t *value)
{
    DbtVerify *v = vfy_of(h);
    const uint8_t *ram = ram_byte(h, v->real, paddr); /* aligned: one page, one region */
    if (!ram) {
        if (!h->phys)
            return false;
        v->touched_io = true; /* a device read has side effects: leave it to the DBT */
        *value = 0;
        return true;
    }
    uint64_t result = 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t a = paddr + i;
        const LoggedByte *logged = log_find(v, a);
        uint8_t byte = logged ? logged->byte : ram[i];
        result |= (uint64_t)byte << (8 * i);
    }
    *value = result;
    return true;
}

static bool shim_write(Hart *h, uint64_t paddr, unsigned size, uint64_t value)
{
    DbtVerify *v = vfy_of(h);
    if (h->phys && !ram_byte(h, v->real, paddr)) {
        v->touched_io = true;
        return true;
    }
    for (unsigned i = 0; i < size && !v->log_overflow; i++)
        v->log_overflow = !log_store(v, paddr + i, (uint8_t)(value >> (8 * i)));
    /* A store the DBT's memory path sees as one to code ends the block: the same. */
    if (v->write_ends_block)
        h->code_written = true;
    return true;
}

/* A branch the block runs on past, or a jalr it followed to a predicted target
 * (LiftBlock): the interpreter ends its run there only when the jump goes elsewhere
 * than the next instruction of the block. */
static bool side_exit(Hart *h, const InterpInsn *in)
{
    DbtVerify *v = vfy_of(h);
    uint64_t end_pc = h->pc; /* the run's, which control transfers overwrite */
    v->branch_fn[in->index](h, in);
    if (h->pc == in[1].pc) {
        h->pc = end_pc;
        return in[1].fn(h, in + 1);
    }
    v->side_exit = in;
    return true;
}

/* A branch the block if-converts (LiftArms): the interpreter runs the arm it picks and
 * goes on where the arms meet; the other arm does not count in instret. */
static bool converted_branch(Hart *h, const InterpInsn *in)
{
    DbtVerify *v = vfy_of(h);
    uint64_t end_pc = h->pc;
    v->branch_fn[in->index](h, in);
    bool taken = h->pc != in->pc + in->d.len;
    h->pc = end_pc;
    const LiftArms *arms = &v->arms[in->index];
    if (!taken)
        return in[1].fn(h, in + 1); /* taken_arm skips the other arm */
    h->instret -= arms->fall;
    v->taking = arms->taken != 0;
    return in[1 + arms->fall].fn(h, in + 1 + arms->fall);
}

/* The first instruction of a taken arm: run when the branch was taken, else (the
 * fall-through arm ran into it) skipped with the rest of the arm. */
static bool taken_arm(Hart *h, const InterpInsn *in)
{
    DbtVerify *v = vfy_of(h);
    if (v->taking) {
        v->taking = false;
        return v->arm_fn[in->index](h, in);
    }
    uint32_t n = v->arm_len[in->index];
    h->instret -= n;
    return in[n].fn(h, in + n);
}

static bool verifiable(const DbtTb *tb)
{
    for (uint32_t i = 0; i < tb->n_insns; i++) {
        const RvInsn *d = &tb->insn[i];
        RvFormat f = rv_insn_info[d->op].format;
        if (f == RV_FMT_AMO || f == RV_FMT_LR || f == RV_FMT_CBO)
            return false;
        if ((f == RV_FMT_CSR || f == RV_FMT_CSRI) &&
            (d->csr == CSR_TIME || d->csr == CSR_SIP || d->csr == CSR_MIP))
            return false;
    }
    return true;
}

/* Applies what the exec loop does at an exit to pc and instret (exec_run_dbt); n is
 * the block's length, counted here for the interpreter's completed runs. */
typedef struct Outcome {
    bool fault;
    RvException exc;
} Outcome;

static Outcome settle(Hart *h, bool completed, uint64_t pc, uint32_t len, uint32_t index, uint32_t n)
{
    Outcome o = {.fault = false};
    if (completed) {
        h->instret += n;
        return o;
    }
    h->instret += index;
    if (hart_exit_is_internal(h->exc.cause)) {
        h->instret++;
        if (!hart_exit_sets_pc(h->exc.cause))
            h->pc = pc + len;
        return o;
    }
    h->pc = pc;
    o.fault = true;
    o.exc = h->exc;
    return o;
}

static void print_regs(const char *who, const Hart *h)
{
    fprintf(stderr, "%s: pc %016" PRIx64 " instret %" PRIu64 " fflags %x frm %x mstatus %" PRIx64 " priv %u\n",
            who, h->pc, h->instret, h->fflags, h->frm, h->mstatus, h->priv);
    if (h->phys)
        fprintf(stderr, " satp %016" PRIx64 " sepc %016" PRIx64 " scause %" PRIx64 " stval %016" PRIx64
                        " mepc %016" PRIx64 " mcause %" PRIx64 " mtval %016" PRIx64 "\n",
                h->satp, h->sepc, h->scause, h->stval, h->mepc, h->mcause, h->mtval);
    for (int i = 0; i < 32; i++)
        fprintf(stderr, " x%-2d %016" PRIx64 "%s", i, i ? h->x[i] : 0, i % 4 == 3 ? "\n" : "");
    for (int i = 0; i < 32; i++)
        fprintf(stderr, " f%-2d %016" PRIx64 "%s", i, h->f[i], i % 4 == 3 ? "\n" : "");
}

static void fail(const Hart *dbt, const Hart *ref, const DbtTb *tb, const char *what)
{
    fprintf(stderr, "rvx --verify: DBT and interpreter differ (%s) after the block at %016" PRIx64 ":\n",
            what, tb->pc);
    for (uint32_t i = 0; i < tb->n_insns; i++) {
        char text[96];
        rv_disas(&tb->insn[i], tb->rec[i].pc, text, sizeof text);
        fprintf(stderr, "  %016" PRIx64 ":  %s\n", tb->rec[i].pc, text);
    }
    print_regs("dbt", dbt);
    print_regs("interp", ref);
    fflush(stderr);
    exit(125);
}

static const char *compare(const Hart *a, const Hart *b, const Outcome *oa, const Outcome *ob)
{
    for (int i = 1; i < 32; i++)
        if (a->x[i] != b->x[i])
            return "x registers";
    if (memcmp(a->f, b->f, sizeof a->f) != 0)
        return "f registers";
    if (a->pc != b->pc)
        return "pc";
    if (a->instret != b->instret)
        return "instret";
    if (a->fflags != b->fflags || a->frm != b->frm || a->mstatus != b->mstatus)
        return "fcsr or mstatus";
    /* the privileged registers, mstatus up to mip (which devices change) */
    size_t csrs = offsetof(Hart, mstatus), csrs_end = offsetof(Hart, mip);
    if (a->priv != b->priv ||
        memcmp((const char *)a + csrs, (const char *)b + csrs, csrs_end - csrs) != 0 ||
        memcmp(a->pmpcfg, b->pmpcfg, sizeof a->pmpcfg) != 0 ||
        memcmp(a->pmpaddr, b->pmpaddr, sizeof a->pmpaddr) != 0)
        return "privileged state";
    if (oa->fault != ob->fault || (oa->fault && (oa->exc.cause != ob->exc.cause || oa->exc.tval != ob->exc.tval)))
        return "exception";
    return NULL;
}

/* *dst = *src but for the TLBs (64 KiB: copying them twice a block was most of
 * --verify's time), which the copies here never use as the hart's. */
static void copy_but_tlbs(Hart *dst, const Hart *src)
{
    size_t start = offsetof(Hart, tlb), end = start + sizeof src->tlb;
    memcpy(dst, src, start);
    memcpy((char *)dst + end, (const char *)src + end, sizeof *dst - end);
}

uintptr_t dbt_verify_run(Hart *h, DbtCtx *d, DbtTb *tb)
{
    if (!verifiable(tb))
        return d->be.enter(h, tb->code);
    if (!d->vfy) {
        d->vfy = calloc(1, sizeof *d->vfy);
        if (!d->vfy)
            abort();
        d->vfy->shim = (MmuOps){.translate = shim_translate, .io_read = shim_read, .io_write = shim_write};
    }
    DbtVerify *v = d->vfy;
    Hart *s = &v->shadow;
    copy_but_tlbs(s, h); /* the shadow keeps its TLBs, emptied here */
    v->real = h->mmu;
    s->mmu = &v->shim;
    s->code_written = false;
    mem_tlb_flush(s);
    log_clear(v);
    v->touched_io = false;
    v->run++;
    v->last_host = NULL;

    /* the interpreter, on the shadow */
    uint32_t n = tb->n_insns;
    for (uint32_t i = 0; i < n; i++) {
        interp_prepare(&v->prog[i], &tb->insn[i], tb->rec[i].pc, i);
        if (i + 1 < n && tb->insn[i].op == RV_OP_jal)
            interp_prepare_followed_jump(&v->prog[i]);
        RvFormat f = rv_insn_info[tb->insn[i].op].format;
        if (i + 1 < n && (f == RV_FMT_BRANCH || f == RV_FMT_JALR)) {
            v->branch_fn[i] = v->prog[i].fn;
            v->prog[i].fn = side_exit;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!lift_if_converted(tb->arms, i, n))
            continue;
        v->prog[i].fn = converted_branch;
        uint32_t t = i + 1 + tb->arms[i].fall; /* the taken arm */
        if (tb->arms[i].taken) {
            v->arm_fn[t] = v->prog[t].fn;
            v->arm_len[t] = tb->arms[i].taken;
            v->prog[t].fn = taken_arm;
        }
    }
    v->arms = tb->arms;
    v->side_exit = NULL;
    v->taking = false;
    interp_prepare_end(&v->prog[n]);
    s->pc = tb->end_pc;
    bool ok = v->prog[0].fn(s, v->prog);
    const InterpInsn *in = ok ? NULL : s->fault_insn;
    uint32_t ran = ok && v->side_exit ? v->side_exit->index + 1 : n;
    Outcome ref = settle(s, ok, ok ? 0 : in->pc, ok ? 0 : in->d.len, ok ? 0 : in->index, ran);

    /* the translated code, for real; then what the exec loop makes of its exit */
    uint64_t instret_before = h->instret;
    uintptr_t r = d->be.enter(h, tb->code);
    if (r == 0 && h->pc == tb->pc && h->instret == instret_before)
        return r; /* left at its entry (an exit request, e.g. a signal): nothing ran */
    static _Thread_local Hart real;
    copy_but_tlbs(&real, h);
    Outcome got = {.fault = false};
    if (r & 1) {
        const DbtInsnRec *rec = (const DbtInsnRec *)(r - 1);
        got = settle(&real, false, rec->pc, rec->len, rec->index, n);
    }
    if (v->touched_io)
        return r;
    const char *diff = v->log_overflow ? NULL : compare(&real, s, &got, &ref);
    if (diff)
        fail(&real, s, tb, diff);
    for (uint32_t k = 0; k < v->n_log && !v->log_overflow; k++) {
        uint64_t a = v->log[k].addr, value;
        const uint8_t *byte = ram_byte(h, v->real, a);
        if (!byte)
            continue;
        value = *byte;
        if (value != v->log[k].byte) {
            fprintf(stderr, "rvx --verify: memory at %016" PRIx64 ": dbt %02" PRIx64 " interp %02x\n",
                    a, value, v->log[k].byte);
            fail(&real, s, tb, "memory");
        }
    }
    d->n_verified++;
    return r;
}

void dbt_verify_destroy(DbtCtx *d)
{
    free(d->vfy);
    d->vfy = NULL;
}
