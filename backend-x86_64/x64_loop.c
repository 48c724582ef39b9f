/* Blocks that loop inside themselves. A block whose terminator jumps back to its own
 * start (a loop of one block: a copy, a checksum, a hash round, a dot product) would
 * otherwise store its guest registers to the state at the end of every iteration and
 * load them again at the start of the next, a store-to-load chain through memory for
 * every value carried around the loop. x64_plan picks guest register slots the block
 * keeps in host registers instead (be->loop), and x64_codegen then loads them once on
 * entry, jumps back to a loop head after the entry, and stores the written ones back
 * on every way out (the other edges, faults, an exit request). The registers come from
 * the allocator's pool, which such a block widens with the pinned registers of slots
 * it never touches (borrowed: their slots hold them meanwhile). How many pins: the
 * count whose allocation of the block leaves the fewest state loads and stores and
 * spill code per iteration. Blocks with calls are left alone (a call would need the
 * pins in memory). */
#include "backend-x86_64/x64.h"

static bool loops_to_start(const IrBlock *b, uint64_t pc)
{
    const IrInsn *t = &b->insn[b->n - 1];
    if (t->op == IR_OP_goto_tb)
        return (uint64_t)t->imm == pc;
    return t->op == IR_OP_brcond && ((uint64_t)t->imm == pc || t->imm2 == pc);
}

static bool has_calls(const IrBlock *b)
{
    for (uint32_t i = 0; i < b->n; i++)
        if (ir_info(&b->insn[i])->flags & IR_F_CALL)
            return true;
    return false;
}

/* Whether slot lives in a host register in every block: pinned, or the counter. */
static bool always_in_register(const X64Backend *be, int64_t slot)
{
    for (unsigned k = 0; k < be->n_pinned; k++)
        if (be->abi.pinned_slot[k] == slot)
            return true;
    return be->abi.has_counter && slot == be->abi.counter_slot;
}

typedef struct Candidate {
    int32_t slot;
    bool read, written;
} Candidate;

/* Guest register slots the block reads or writes, not in a register already, in
 * block order. */
static unsigned candidates(const X64Backend *be, const IrBlock *b, Candidate *c)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < b->n; i++) {
        const IrInsn *in = &b->insn[i];
        if (in->op != IR_OP_get && in->op != IR_OP_set)
            continue;
        if (in->imm < 0 || in->imm >= be->abi.n_reg_slots || always_in_register(be, in->imm))
            continue;
        unsigned k = 0;
        while (k < n && c[k].slot != in->imm)
            k++;
        if (k == n) {
            if (n == X64_MAX_LOOP_PINS * 4)
                continue;
            c[n++] = (Candidate){.slot = (int32_t)in->imm};
        }
        if (in->op == IR_OP_get)
            c[k].read = true;
        else
            c[k].written = true;
    }
    return n;
}

/* Pinned registers whose slots b never touches (be->loop.borrowed_*). */
static void find_borrowable(X64Backend *be, const IrBlock *b)
{
    X64LoopPins *l = &be->loop;
    l->n_borrowed = 0;
    for (unsigned k = 0; k < be->n_pinned; k++) {
        bool used = false;
        for (uint32_t i = 0; i < b->n && !used; i++)
            used = (b->insn[i].op == IR_OP_get || b->insn[i].op == IR_OP_set) &&
                   b->insn[i].imm == be->abi.pinned_slot[k];
        if (!used) {
            l->borrowed_slot[l->n_borrowed] = be->abi.pinned_slot[k];
            l->borrowed_reg[l->n_borrowed++] = be->pinned_reg[k];
        }
    }
}

/* The pool plus the borrowed registers, without its last k registers (the
 * allocator's least preferred: borrowed ones go first). */
static void regs_without(const X64Backend *be, unsigned k, IrHostRegs *out)
{
    *out = be->regs;
    for (unsigned j = 0; j < be->loop.n_borrowed && out->n < IR_MAX_HOST_REGS; j++)
        out->reg[out->n++] = (uint8_t)be->loop.borrowed_reg[j];
    out->n = (uint8_t)(out->n - k);
}

/* Orders the candidates by how often allocated block b reads or writes their slots
 * in memory, most first; among equals, those both read and written (carried around
 * the loop) first, then block order. */
static void rank_by_accesses(const IrBlock *b, Candidate *c, unsigned n)
{
    unsigned count[X64_MAX_LOOP_PINS * 4] = {0}; /* 2 * accesses + carried */
    for (unsigned k = 0; k < n; k++)
        count[k] = c[k].read && c[k].written;
    for (uint32_t i = 0; i < b->n; i++) {
        const IrInsn *in = &b->insn[i];
        if (in->op == IR_OP_get || in->op == IR_OP_set)
            for (unsigned k = 0; k < n; k++)
                count[k] += 2 * (c[k].slot == in->imm);
    }
    for (unsigned k = 1; k < n; k++) /* insertion sort, n is small */
        for (unsigned j = k; j > 0 && count[j] > count[j - 1]; j--) {
            Candidate t = c[j];
            c[j] = c[j - 1];
            c[j - 1] = t;
            unsigned u = count[j];
            count[j] = count[j - 1];
            count[j - 1] = u;
        }
}

/* The state and frame accesses of allocated block b when the first k candidates are
 * pinned: gets and sets of slots in no register, spills and reloads. */
static unsigned memory_ops(const X64Backend *be, const IrBlock *b, const Candidate *c, unsigned k)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < b->n; i++) {
        const IrInsn *in = &b->insn[i];
        if (in->op == IR_OP_spill || in->op == IR_OP_reload) {
            n++;
        } else if (in->op == IR_OP_get || in->op == IR_OP_set) {
            bool in_reg = always_in_register(be, in->imm);
            for (unsigned j = 0; j < k && !in_reg; j++)
                in_reg = c[j].slot == in->imm;
            n += !in_reg;
        }
    }
    return n;
}

const IrHostRegs *x64_plan(X64Backend *be, const IrBlock *b, const IrTbCode *tb)
{
    static _Thread_local IrBlock trial;
    be->loop.active = false;
    be->loop.n = 0;
    be->loop.n_borrowed = 0;
    if (!tb->may_loop || b->n == 0 || !loops_to_start(b, tb->pc) || has_calls(b))
        return &be->regs;
    Candidate c[X64_MAX_LOOP_PINS * 4];
    unsigned n = candidates(be, b, c);
    if (!ir_regalloc(b, &trial, &be->regs))
        return &be->regs;
    unsigned plain = memory_ops(be, &trial, c, 0);
    rank_by_accesses(&trial, c, n);
    find_borrowable(be, b);
    IrHostRegs all, regs;
    regs_without(be, 0, &all);
    unsigned max = n < X64_MAX_LOOP_PINS ? n : X64_MAX_LOOP_PINS;
    if (max + 2 > all.n)
        max = all.n > 2 ? all.n - 2u : 0; /* leave the allocator a few */
    /* the count with the fewest memory accesses per iteration, if it beats the
     * block as it is */
    unsigned best = plain;
    int best_k = -1;
    for (unsigned k = 0; k <= max; k++) {
        regs_without(be, k, &regs);
        if (!ir_regalloc(b, &trial, &regs))
            break;
        unsigned ops = memory_ops(be, &trial, c, k);
        if (ops < best) {
            best = ops;
            best_k = (int)k;
        }
    }
    if (best_k < 0) {
        be->loop.n_borrowed = 0;
        return &be->regs;
    }
    regs_without(be, (unsigned)best_k, &be->loop_regs);
    be->loop.active = true;
    be->loop.n = (uint8_t)best_k;
    for (unsigned k = 0; k < (unsigned)best_k; k++) {
        be->loop.slot[k] = c[k].slot;
        be->loop.reg[k] = (int8_t)all.reg[all.n - 1 - k];
        be->loop.written[k] = c[k].written;
    }
    return &be->loop_regs;
}
