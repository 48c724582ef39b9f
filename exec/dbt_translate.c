/* Translation of one block: fetch and decode (up to a block-ending instruction, 64
 * instructions or the end of a page, going on at the target of a jal into the page, at
 * the predicted target of a jalr, past up to two branches, and through short forward
 * branches it if-converts: see follows_jump, predict_jalr, if_convert and LiftArms),
 * lift, optimise, allocate registers, emit host code; plus the block cache. Invariants:
 *  - every page a block was decoded from is in h->code_pages, so stores to it take
 *    the slow path and invalidate the block (self-modifying code without fence.i);
 *  - a block and everything it points to live in the data arena and the code memory
 *    until the next flush. */
#include "exec/dbt_internal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend/disas.h"
#include "frontend/lift.h"
#include "softmmu/mem.h"

static uint32_t tb_hash(uint64_t pc, uint32_t flags)
{
    return (uint32_t)(((pc ^ ((uint64_t)flags << 40)) * 0x9e3779b97f4a7c15ull) >> (64 - DBT_HASH_BITS));
}

DbtTb *dbt_lookup(DbtCtx *d, uint64_t pc, uintptr_t host, uint32_t flags)
{
    for (DbtTb *tb = d->bucket[tb_hash(pc, flags)]; tb; tb = tb->hash_next)
        if (tb->pc == pc && tb->host == host && tb->flags == flags)
            return tb;
    return NULL;
}

void dbt_invalidate_page(DbtCtx *d, uint64_t page)
{
    size_t n;
    void **tbs = page_index_take(&d->pages, page, &n);
    for (size_t k = 0; k < n; k++) {
        DbtTb *tb = tbs[k];
        if (!tb->valid) /* dropped with another of its pages */
            continue;
        tb->valid = false;
        DbtTb **link = &d->bucket[tb_hash(tb->pc, tb->flags)];
        while (*link != tb)
            link = &(*link)->hash_next;
        *link = tb->hash_next;
        x64_invalidate(&d->be, tb->code, &tb->out);
    }
    free(tbs);
}

void dbt_jump_cache_empty(DbtJumpCache *jc)
{
    /* An empty entry's pc is odd: it matches no target. */
    uint32_t n;
    if (fill_log_take(&jc->log, DBT_JC_LOG, &n)) {
        for (uint32_t k = 0; k < n; k++)
            jc->entry[2 * jc->filled[k]] = 1;
    } else {
        for (uint32_t k = 0; k < (1u << DBT_JC_BITS); k++)
            jc->entry[2 * k] = 1;
    }
}

void dbt_jump_cache_clear(DbtCtx *d)
{
    for (unsigned k = 0; k < TLB_CONTEXTS; k++)
        dbt_jump_cache_empty(&d->jc[k]);
}

DbtJumpCache *dbt_jump_cache_for(DbtCtx *d, uint32_t flags)
{
    return &d->jc[lift_flags_tlb_context(flags)];
}

static void *arena_alloc(DbtCtx *d, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (d->data_used + size > d->data_size)
        return NULL;
    void *p = d->data + d->data_used;
    d->data_used += size;
    return p;
}

/* Reads the instruction at pc from its fetch page, crossing into the next page when a
 * 32-bit instruction straddles it (then *page2 is that page). */
static bool fetch_insn(Hart *h, uint64_t pc, const uint8_t *page, uint64_t *page2, uint32_t *bits)
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

static void log_guest(const DbtTb *tb)
{
    fprintf(stderr, "IN: pc 0x%016llx flags 0x%x\n", (unsigned long long)tb->pc, tb->flags);
    for (uint32_t i = 0; i < tb->n_insns; i++) {
        char text[96];
        rv_disas(&tb->insn[i], tb->rec[i].pc, text, sizeof text);
        fprintf(stderr, "  0x%016llx:  %s\n", (unsigned long long)tb->rec[i].pc, text);
    }
}

/* One line per block in /tmp/perf-PID.map, the JIT symbol file perf(1) reads: "START
 * SIZE NAME" in hex. One write(2) per line on an O_APPEND descriptor, so guest threads
 * (each with its own context) may add lines at once; a forked child opens its own. */
static void perfmap_add(const DbtTb *tb)
{
    static int fd = -1;
    static pid_t owner;
    if (fd < 0 || owner != getpid()) {
        char path[64];
        owner = getpid();
        snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)owner);
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0)
            return;
    }
    char line[96];
    int len = snprintf(line, sizeof line, "%lx %x rvx:0x%llx\n", (unsigned long)tb->code,
                       tb->out.size, (unsigned long long)tb->pc);
    if (write(fd, line, (size_t)len) != len)
        return; /* a symbol file is best effort */
}

/* Lifts, optimises and emits tb's first n instructions. 0 if n is too many for the
 * register allocator or code memory is full (then *full). */
static uintptr_t generate(DbtCtx *d, DbtTb *tb, uint32_t n, bool *full)
{
    LiftBlock lb = {.insn = tb->insn, .n = n, .flags = tb->flags, .fallback = tb->fallback,
                    .arms = tb->arms};
    uint64_t pcs[DBT_MAX_INSNS];
    for (uint32_t i = 0; i < n; i++)
        pcs[i] = tb->rec[i].pc;
    lb.pc = pcs;
    lb.end_pc = tb->rec[n - 1].pc + tb->rec[n - 1].len;
    ir_block_init(&d->ir);
    lift_block(&d->ir, &lb);
    if (d->log & DBT_LOG_OP) {
        fprintf(stderr, "OP:\n");
        ir_print(&d->ir, stderr);
    }
    ir_optimize(&d->ir, d->verify);
    tb->out.pc = tb->pc;
    tb->out.may_loop = d->chain;
    tb->out.tlb_off = (int32_t)(offsetof(Hart, tlb) + sizeof(Tlb) * lift_flags_tlb_context(tb->flags));
    tb->out.jump_cache = dbt_jump_cache_for(d, tb->flags)->entry;
    if (!ir_regalloc(&d->ir, &d->ir_alloc, x64_plan(&d->be, &d->ir, &tb->out)))
        return 0;
    if (d->log & DBT_LOG_OP_OPT) {
        fprintf(stderr, "OP after optimisation and register allocation:\n");
        ir_print(&d->ir_alloc, stderr);
    }
    tb->out.rec_base = (uintptr_t)tb->rec;
    tb->out.rec_stride = sizeof(DbtInsnRec);
    for (unsigned k = 0; k < IR_MAX_LINKS; k++)
        tb->out.link_ret[k] = (uintptr_t)&tb->link[k];
    tb->out.fault_site = d->block_sites;
    uintptr_t code = x64_codegen(&d->be, &d->ir_alloc, &tb->out);
    /* Any block fits in this much; a failure with less room left means "full". */
    *full = !code && d->mem.buf.size - d->mem.buf.used < (256u << 10);
    return code;
}

/* A length of at most m for a block whose if-converted branches are `arms`: one that
 * ends with such a branch (as an ordinary one) rather than inside or just after its
 * arms, whose instructions are not a straight line (LiftArms). */
static uint32_t cut(const LiftArms *arms, uint32_t m)
{
    for (uint32_t i = 0; i < m; i++)
        if ((arms[i].fall || arms[i].taken) && !lift_if_converted(arms, i, m))
            return i + 1;
    return m;
}

static DbtTb *build(Hart *h, DbtCtx *d, uint64_t pc, uint32_t flags, const RvInsn *insn,
                    const uint64_t *insn_pc, const LiftArms *arms, uint32_t n, uintptr_t host,
                    bool *full)
{
    DbtTb *tb = arena_alloc(d, sizeof *tb);
    DbtInsnRec *rec = arena_alloc(d, n * sizeof *rec);
    RvInsn *copy = arena_alloc(d, n * sizeof *copy);
    InterpInsn(*fb)[2] = arena_alloc(d, n * sizeof *fb);
    LiftArms *arms_copy = arena_alloc(d, n * sizeof *arms_copy);
    if (!tb || !rec || !copy || !fb || !arms_copy) {
        *full = true;
        return NULL;
    }
    memset(tb, 0, sizeof *tb);
    tb->pc = pc;
    tb->host = host;
    tb->flags = flags;
    tb->rec = rec;
    tb->insn = copy;
    tb->fallback = fb;
    tb->arms = arms_copy;
    memcpy(arms_copy, arms, n * sizeof *arms);
    for (uint32_t i = 0; i < n; i++) {
        copy[i] = insn[i];
        rec[i] = (DbtInsnRec){insn_pc[i], i, insn[i].len};
    }
    /* Too many values for the frame: retry with half the instructions (not cutting an
     * if-converted branch's arms, nor the instruction after them, off: see LiftArms). */
    for (uint32_t m = cut(arms, n); m > 0; m = cut(arms, m / 2)) {
        tb->n_insns = m;
        tb->end_pc = insn_pc[m - 1] + insn[m - 1].len;
        *full = false;
        uintptr_t code = generate(d, tb, m, full);
        if (code) {
            tb->code = code;
            dbt_fault_sites_add(d, tb);
            for (uint32_t k = 0; k < IR_MAX_LINKS; k++)
                tb->link[k] = (DbtLink){tb, k};
            tb->valid = true;
            return tb;
        }
        if (*full)
            return NULL;
    }
    abort(); /* one instruction always fits */
}

/* Whether the block (n instructions so far) may go on at target, the target of its
 * last instruction, a jump: code not in the block yet (a jump back to its start is a
 * loop, which the block ends with), at most DBT_MAX_FOLLOWED times. */
static bool may_follow(const uint64_t *insn_pc, uint32_t n, uint64_t target, uint32_t *followed)
{
    if (*followed == DBT_MAX_FOLLOWED)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (insn_pc[i] == target)
            return false;
    ++*followed;
    return true;
}

/* Whether the block goes on at the target of its last instruction, a jal: a jump or
 * call into the same page (may_follow). The jal then only writes its link
 * (LiftBlock). */
static bool follows_jump(const uint64_t *insn_pc, uint32_t n, uint64_t target, uint32_t *followed)
{
    return (target & TLB_PAGE_MASK) == (insn_pc[n - 1] & TLB_PAGE_MASK) &&
           may_follow(insn_pc, n, target, followed);
}

/* What the block builder knows of the guest's x registers after the instructions
 * decoded so far: which ones they may write, and which of those hold a value known at
 * translation time (a link address, lui, auipc). Only predictions rest on it: the
 * lifted IR finds the same constants, and a guard checks every predicted target. */
typedef struct KnownRegs {
    uint32_t written, known;
    uint64_t value[32];
} KnownRegs;

static void known_after(KnownRegs *k, const RvInsn *d, uint64_t pc)
{
    unsigned rd = d->rd & 31; /* any instruction with an rd field may write it */
    if (rd == 0)
        return;
    k->written |= 1u << rd;
    k->known &= ~(1u << rd);
    uint64_t v;
    switch (d->op) {
    case RV_OP_jal: case RV_OP_jalr: v = pc + d->len; break;
    case RV_OP_lui: v = (uint64_t)d->imm; break;
    case RV_OP_auipc: v = pc + (uint64_t)d->imm; break;
    default: return;
    }
    k->known |= 1u << rd;
    k->value[rd] = v;
}

/* The target to follow the jalr d at with a guard (LiftBlock), if the block can tell:
 * its base register holds a value known at translation time (a return to a call the
 * block made), or, for a call (a link written), a function pointer no instruction of
 * the block wrote, predicted to be the one it holds now, at the block's entry. Jumps
 * without a link through other registers (switch tables, returns to callers outside
 * the block) have too many targets to guess from one. */
static bool predict_jalr(const Hart *h, const KnownRegs *k, const RvInsn *d, uint64_t *target)
{
    uint64_t base;
    uint32_t bit = 1u << d->rs1;
    if (d->rs1 == 0)
        base = 0;
    else if (k->known & bit)
        base = k->value[d->rs1];
    else if (d->rd != 0 && !(k->written & bit))
        base = h->x[d->rs1];
    else
        return false;
    *target = (base + (uint64_t)d->imm) & ~(uint64_t)1;
    return true;
}

/* The guest pages a block is decoded from: each invalidates it (d->pages). */
typedef struct Pages {
    uint64_t page[DBT_MAX_PAGES];
    uint32_t n;
} Pages;

static void pages_add(Pages *p, uint64_t page)
{
    for (uint32_t k = 0; k < p->n; k++)
        if (p->page[k] == page)
            return;
    p->page[p->n++] = page;
}

/* Whether the block goes on at target, the predicted target of its last instruction,
 * a jalr (may_follow): in the same page, or under no guest MMU (where a block is
 * keyed by its first page only, so another page's mapping could change under it) in
 * another page it then decodes from (*page, *page_no, added to `pages`), leaving
 * room for one more. */
static bool follows_jalr(Hart *h, const DbtCtx *d, const uint64_t *insn_pc, uint32_t n,
                         uint64_t target, uint32_t *followed, Pages *pages, const uint8_t **page,
                         uint64_t *page_no)
{
    bool same_page = (target & TLB_PAGE_MASK) == (insn_pc[n - 1] & TLB_PAGE_MASK);
    if (!same_page && (d->be.abi.link_page_bits || pages->n + 2 > DBT_MAX_PAGES))
        return false;
    uint32_t count = *followed;
    if (!may_follow(insn_pc, n, target, &count))
        return false;
    if (!same_page) {
        RvException saved = h->exc; /* not the guest's fault if it cannot be fetched */
        uint64_t paddr;
        const uint8_t *p = mem_fetch_ptr(h, target, &paddr);
        h->exc = saved;
        if (!p)
            return false;
        *page = p - (target & ~TLB_PAGE_MASK);
        *page_no = paddr >> TLB_PAGE_BITS;
        pages_add(pages, *page_no);
    }
    *followed = count;
    return true;
}

/* The arms of a branch the block if-converts (LiftArms), decoded. */
typedef struct Arms {
    LiftArms n;
    RvInsn insn[2 * DBT_MAX_ARM + 1];
    uint64_t pc[2 * DBT_MAX_ARM + 1];
    uint64_t next;                /* where both arms meet: decoding goes on there */
} Arms;

/* Decodes the instruction at pc of the page decoding is in (`page`, physical page
 * page_no): false if it is not all in that page. */
static bool arm_insn(Hart *h, const uint8_t *page, uint64_t page_no, uint64_t pc, RvInsn *d)
{
    uint32_t bits;
    uint64_t second = page_no;
    if ((pc & ~TLB_PAGE_MASK) == 0 || !fetch_insn(h, pc, page, &second, &bits) || second != page_no)
        return false;
    rv_decode(bits, d);
    return true;
}

/* Appends d (at pc) to the arm whose length is *count: an instruction the lifter can
 * predicate, or the j that ends a fall-through arm (meets). */
static bool arm_add(Arms *a, uint64_t pc, const RvInsn *d, uint8_t *count, bool meets)
{
    if (*count == DBT_MAX_ARM || !(meets || lift_can_predicate(d)))
        return false;
    uint32_t k = a->n.fall + a->n.taken;
    a->insn[k] = *d;
    a->pc[k] = pc;
    ++*count;
    return true;
}

/* Whether the branch with fall-through cur and target `target` is one the block
 * if-converts (LiftArms), in the branch's page (`page`, physical page page_no), with
 * room for its arms and the instruction where they meet (`room` instructions left);
 * then *a holds its arms. */
static bool if_convert(Hart *h, const uint8_t *page, uint64_t page_no, uint64_t cur, uint64_t target,
                       uint32_t room, Arms *a)
{
    a->n = (LiftArms){0, 0};
    if (target <= cur || (target & TLB_PAGE_MASK) != (cur & TLB_PAGE_MASK))
        return false;
    /* the fall-through arm: up to the target (a hammock), to a j (it meets the taken
     * arm's end there), or to an indirect jump both arms end with */
    uint64_t at = cur, meet = 0;
    bool meets = false;           /* else they end with exit_jump */
    RvInsn d, exit_jump = {.op = RV_OP_ILLEGAL};
    while (at != target) {
        if (!arm_insn(h, page, page_no, at, &d))
            return false;
        if (d.op == RV_OP_jal && d.rd == 0) {
            meet = at + (uint64_t)d.imm;
            meets = true;
            if (!arm_add(a, at, &d, &a->n.fall, true))
                return false;
            break;
        }
        if (d.op == RV_OP_jalr && d.rd == 0) {
            exit_jump = d;
            break;
        }
        if (!arm_add(a, at, &d, &a->n.fall, false))
            return false;
        at += d.len;
    }
    if (a->n.fall == 0 || at > target)
        return false;
    a->next = target;
    if (at != target) { /* the taken arm, from the target to where they meet */
        at = target;
        for (;;) {
            if (meets && at == meet)
                break;
            if (!arm_insn(h, page, page_no, at, &d))
                return false;
            if (!meets && d.op == RV_OP_jalr && d.rd == exit_jump.rd && d.rs1 == exit_jump.rs1 &&
                d.imm == exit_jump.imm)
                break;
            if (!arm_add(a, at, &d, &a->n.taken, false))
                return false;
            at += d.len;
        }
        a->next = at;
    }
    return (a->next & TLB_PAGE_MASK) == (cur & TLB_PAGE_MASK) && 1u + a->n.fall + a->n.taken <= room;
}

DbtTb *dbt_translate(Hart *h, DbtCtx *d, uint64_t pc, uint32_t flags)
{
    uint64_t paddr;
    const uint8_t *p = mem_fetch_ptr(h, pc, &paddr);
    if (!p)
        return NULL;
    /* the page decoding is in: its bytes and its physical page number */
    const uint8_t *page = p - (pc & ~TLB_PAGE_MASK);
    uint64_t page_no = paddr >> TLB_PAGE_BITS;
    Pages pages = {.page = {page_no}, .n = 1};

    RvInsn insn[DBT_MAX_INSNS];
    uint64_t insn_pc[DBT_MAX_INSNS];
    LiftArms arms[DBT_MAX_INSNS] = {{0, 0}};
    KnownRegs known = {0, 0, {0}};
    uint32_t n = 0, followed = 0, side_exits = 0;
    uint64_t cur = pc;
    for (;;) {
        uint32_t bits;
        uint64_t second = page_no;
        if (!fetch_insn(h, cur, page, &second, &bits)) {
            if (n == 0)
                return NULL;
            break; /* the fault belongs to that instruction: let it start a block */
        }
        rv_decode(bits, &insn[n]);
        insn_pc[n] = cur;
        cur += insn[n].len;
        n++;
        if (second != page_no) {
            pages_add(&pages, second);
            break;
        }
        if (n == DBT_MAX_INSNS)
            break;
        const RvInsn *last = &insn[n - 1];
        uint64_t target = insn_pc[n - 1] + (uint64_t)last->imm;
        /* the prediction reads the registers as they were before the jalr's link */
        bool follow = last->op == RV_OP_jalr
                          ? predict_jalr(h, &known, last, &target) &&
                                follows_jalr(h, d, insn_pc, n, target, &followed, &pages, &page, &page_no)
                          : last->op == RV_OP_jal && follows_jump(insn_pc, n, target, &followed);
        known_after(&known, last, insn_pc[n - 1]);
        if (follow) {
            cur = target;
            continue;
        }
        Arms a;
        if (rv_insn_info[last->op].format == RV_FMT_BRANCH &&
            if_convert(h, page, page_no, cur, target, DBT_MAX_INSNS - n, &a)) {
            arms[n - 1] = a.n;
            for (uint32_t k = 0; k < a.n.fall + a.n.taken; k++, n++) {
                insn[n] = a.insn[k];
                insn_pc[n] = a.pc[k];
                known_after(&known, &insn[n], insn_pc[n]);
            }
            cur = a.next;
            continue;
        }
        /* Past a branch (not one back to the start: a loop) while in the page. */
        if (rv_insn_info[last->op].format == RV_FMT_BRANCH && side_exits < DBT_MAX_SIDE_EXITS &&
            target != pc && (cur & ~TLB_PAGE_MASK) != 0) {
            side_exits++;
            continue;
        }
        if (rv_insn_ends_block(last) || (cur & ~TLB_PAGE_MASK) == 0)
            break;
    }

    bool full;
    DbtTb *tb = build(h, d, pc, flags, insn, insn_pc, arms, n, (uintptr_t)p, &full);
    if (!tb && full) {
        dbt_flush(d);
        code_pages_clear(&h->code_pages);
        mem_tlb_flush(h);
        tb = build(h, d, pc, flags, insn, insn_pc, arms, n, (uintptr_t)p, &full);
        if (!tb)
            abort(); /* an empty cache holds any single block */
    }
    uint32_t bucket = tb_hash(pc, flags);
    tb->hash_next = d->bucket[bucket];
    d->bucket[bucket] = tb;
    for (uint32_t k = 0; k < pages.n; k++) {
        exec_track_code_page(h, pages.page[k]);
        page_index_add(&d->pages, pages.page[k], tb);
    }
    d->n_translated++;
    if (d->log & DBT_LOG_IN_ASM)
        log_guest(tb);
    if (d->log & DBT_LOG_OUT_ASM) {
        fprintf(stderr, "OUT: [size=%u]\n", tb->out.size);
        x64_disas(stderr, (const uint8_t *)tb->code, tb->out.size, tb->code);
    }
    if (d->log & DBT_LOG_PERFMAP)
        perfmap_add(tb);
    if (d->log & DBT_LOG_STDERR)
        fputc('\n', stderr);
    return tb;
}
