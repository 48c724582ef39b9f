/* x86-64 code generation: one emitter per IR op, the inline soft-TLB fast path with an
 * out-of-line slow path, terminators and side exits with patchable chaining jumps and
 * the jump-cache lookup, trampolines (entry/epilogue), chaining and invalidation
 * patches (the fp op's inline FPU code and its helper call: x64_emit_fp.c; blocks that
 * loop inside themselves: x64_loop.c).
 * Invariants: the pinned registers hold their slots whenever control passes between
 * blocks (a looping block stores its own pins back and reloads what it borrowed on
 * every way out), and every path back to the exec loop goes through the epilogue,
 * which writes them back, so the guest state in memory is exact at every exit. */
#include "backend-x86_64/x64.h"
#include "backend-x86_64/x64_emit_internal.h"
#include "backend-x86_64/x64_encode.h"

#include <string.h>

enum {
    FRAME_SLOTS = 64,
    FRAME_SIZE = FRAME_SLOTS * 8 + 8, /* keeps rsp 16-aligned after six pushes */
};

enum {
    COUNTER_XMM = 15,
    COUNTER_ADDENDS = 128, /* covers a block's instruction count (TB_MAX_INSNS) */
};

static const int8_t pinnable[] = {X64_RBP, X64_R12, X64_R13, X64_R14, X64_R15};
static const int8_t callee_saved[] = {X64_RBX, X64_RBP, X64_R12, X64_R13, X64_R14, X64_R15};
static const int8_t pool_caller_saved[] = {X64_RSI, X64_RDI, X64_R8, X64_R9, X64_R10, X64_R11};

/* ---- operands ---- */
/* The host register holding slot for the whole block: pinned for all blocks, or by
 * this block while it loops (be->loop). */
static int pinned_reg_for(const X64Backend *be, int64_t slot)
{
    for (unsigned k = 0; k < be->n_pinned; k++)
        if (be->abi.pinned_slot[k] == slot)
            return be->pinned_reg[k];
    for (unsigned k = 0; k < be->loop.n; k++)
        if (be->loop.slot[k] == slot)
            return be->loop.reg[k];
    return X64_NO_REG;
}

static X64Mem slot_mem(int64_t slot) { return x64_mem(STATE, (int32_t)(slot * 8)); }
static bool is_counter(const X64Backend *be, int64_t slot) { return be->abi.has_counter && be->abi.counter_slot == slot; }

bool mem_operand(const Emitter *e, IrRef r, X64Mem *m)
{
    const IrInsn *in = &e->b->insn[r];
    if (e->loc[r] != X64_NO_REG || is_const(e, r) || (in->op == IR_OP_get && is_counter(e->be, in->imm)))
        return false;
    *m = in->op == IR_OP_get ? slot_mem(in->imm) : x64_mem(X64_RSP, (int32_t)(in->imm * 8));
    return true;
}

void load_in_place(Emitter *e, IrRef r, int scratch)
{
    X64Mem m;
    if (mem_operand(e, r, &m))
        x64_load(e->c, 64, false, scratch, m);
    else
        x64_movq_rx(e->c, true, scratch, COUNTER_XMM);
}

static uint32_t fault_label(Emitter *e)
{
    if (e->cur_insn >= 256) {
        e->overflow = true;
        return 0;
    }
    if (e->fault_label[e->cur_insn] == 0) {
        e->fault_label[e->cur_insn] = new_label(e) + 1;
        e->fault_insn[e->n_fault_insns++] = (uint8_t)e->cur_insn;
    }
    return e->fault_label[e->cur_insn] - 1;
}

static void counter_out(const X64Backend *be, CodeBuf *c)
{
    if (be->abi.has_counter)
        x64_movq_mx(c, slot_mem(be->abi.counter_slot), COUNTER_XMM);
}

static void counter_in(const X64Backend *be, CodeBuf *c)
{
    if (be->abi.has_counter)
        x64_movq_xm(c, COUNTER_XMM, slot_mem(be->abi.counter_slot));
}

static void call_c(const X64Backend *be, CodeBuf *c, const void *fn)
{
    counter_out(be, c);
    x64_mov_ri(c, X64_RAX, (uint64_t)(uintptr_t)fn);
    x64_call_r(c, X64_RAX);
    counter_in(be, c);
}

void call_abs(Emitter *e, const void *fn) { call_c(e->be, e->c, fn); }

static void counter_add(Emitter *e, int32_t n)
{
    if (n >= 0 && n < COUNTER_ADDENDS) {
        x64_paddq_x_riprel(e->c, COUNTER_XMM, e->be->counter_addends + 16 * (uint32_t)n);
    } else {
        x64_movq_rx(e->c, true, X64_RAX, COUNTER_XMM);
        x64_alu_ri(e->c, X64_ADD, true, X64_RAX, n);
        x64_movq_xr(e->c, true, COUNTER_XMM, X64_RAX);
    }
}

/* State slot += n (the counter slot lives in its register). */
static void slot_add(Emitter *e, int64_t slot, int32_t n)
{
    if (is_counter(e->be, slot))
        counter_add(e, n);
    else
        x64_alu_mi(e->c, X64_ADD, true, slot_mem(slot), n);
}

/* The flag test blocks start with (and a looping block's loop head): at least 5 bytes,
 * so invalidation can overwrite it with a jump (x64_invalidate). Returns its offset. */
static uint32_t exit_request_test(Emitter *e, uint32_t exit_label)
{
    CodeBuf *c = e->c;
    uint32_t at = (uint32_t)(c->used - e->start);
    x64_alu_mi(c, X64_CMP, false, x64_mem(STATE, e->be->abi.exit_request_off), 0);
    while (c->used - e->start - at < 5)
        x64_emit8(c, 0x90);
    x64_jcc_label(c, &e->labels, X64_CC_NE, exit_label);
    return at;
}

static void jmp_epilogue(Emitter *e) { x64_jmp_rel32(e->c, e->be->epilogue); }

/* The guest's fp flags waiting in MXCSR (see x64.h): harvest ORs them into the flags
 * word (clobbers rcx, rdx); clear drops them once they are there. */
static void fflags_harvest(const X64Backend *be, CodeBuf *c) { x64_call_rel32(c, be->harvest_fflags); }
static void fflags_clear(const X64Backend *be, CodeBuf *c) { x64_ldmxcsr_riprel(c, be->mxcsr_default); }

/* On the way into a looping block: what it borrows to its slots, its pins loaded. */
static void enter_loop(Emitter *e)
{
    const X64LoopPins *l = &e->be->loop;
    for (unsigned k = 0; k < l->n_borrowed; k++)
        x64_store(e->c, 64, slot_mem(l->borrowed_slot[k]), l->borrowed_reg[k]);
    for (unsigned k = 0; k < l->n; k++)
        x64_load(e->c, 64, false, l->reg[k], slot_mem(l->slot[k]));
}

/* On the way out: its written pins back to their slots, what it borrowed back. */
static void leave_loop(Emitter *e)
{
    const X64LoopPins *l = &e->be->loop;
    for (unsigned k = 0; k < l->n; k++)
        if (l->written[k])
            x64_store(e->c, 64, slot_mem(l->slot[k]), l->reg[k]);
    for (unsigned k = 0; k < l->n_borrowed; k++)
        x64_load(e->c, 64, false, l->borrowed_reg[k], slot_mem(l->borrowed_slot[k]));
}

static void sync_pinned_out(Emitter *e)
{
    for (unsigned k = 0; k < e->be->n_pinned; k++)
        x64_store(e->c, 64, slot_mem(e->be->abi.pinned_slot[k]), e->be->pinned_reg[k]);
}

static void sync_pinned_in(Emitter *e)
{
    for (unsigned k = 0; k < e->be->n_pinned; k++)
        x64_load(e->c, 64, false, e->be->pinned_reg[k], slot_mem(e->be->abi.pinned_slot[k]));
}

/* ---- arithmetic ---- */
/* The sign extension a 32-bit op ends with, unless every use reads the low half only. */
static void sext32_result(Emitter *e, int d)
{
    if (!e->low32_uses[e->cur_def])
        x64_movsx_rr(e->c, 32, d, d);
}

static X64Cond cond_of(IrCond c, bool swapped)
{
    static const X64Cond normal[IR_COND_COUNT] = {X64_CC_E, X64_CC_NE, X64_CC_L, X64_CC_GE, X64_CC_B, X64_CC_AE};
    static const X64Cond swap[IR_COND_COUNT] = {X64_CC_E, X64_CC_NE, X64_CC_G, X64_CC_LE, X64_CC_A, X64_CC_BE};
    return swapped ? swap[c] : normal[c];
}

/* d = a op b for a two-address host op (w: 64-bit); either operand may be read from
 * its slot (mem_operand). */
static void emit_alu(Emitter *e, X64Alu op, bool w, bool commutes, int d, IrRef a, IrRef b)
{
    CodeBuf *c = e->c;
    X64Mem ma, mb;
    bool a_in_slot = mem_operand(e, a, &ma);
    if (is_imm32(e, b)) {
        int32_t imm = (int32_t)cval(e, b);
        if (a_in_slot) {
            x64_load(c, 64, false, d, ma);
            x64_alu_ri(c, op, w, d, imm);
            return;
        }
        int ra = reg_of(e, a, X64_RAX);
        if (op == X64_ADD && w && d != ra) {
            x64_lea(c, d, x64_mem(ra, imm));
            return;
        }
        if (d != ra)
            x64_mov_rr(c, w, d, ra);
        x64_alu_ri(c, op, w, d, imm);
        return;
    }
    if (mem_operand(e, b, &mb)) {
        if (a_in_slot) {
            x64_load(c, 64, false, d, ma);
        } else {
            int ra = reg_of(e, a, X64_RAX);
            if (d != ra)
                x64_mov_rr(c, true, d, ra);
        }
        x64_alu_rm(c, op, w, d, mb);
        return;
    }
    int rb = reg_of(e, b, X64_RCX);
    if (a_in_slot) {
        if (d == rb && commutes) {
            x64_alu_rm(c, op, w, d, ma);
            return;
        }
        if (d == rb) {
            x64_mov_rr(c, true, X64_RCX, rb);
            rb = X64_RCX;
        }
        x64_load(c, 64, false, d, ma);
        x64_alu_rr(c, op, w, d, rb);
        return;
    }
    int ra = reg_of(e, a, X64_RAX);
    if (op == X64_ADD && w && d != ra && d != rb) {
        x64_lea(c, d, x64_mem_idx(ra, rb, 1, 0)); /* three-operand add */
        return;
    }
    if (d == ra) {
        x64_alu_rr(c, op, w, d, rb);
    } else if (d == rb) {
        if (commutes) {
            x64_alu_rr(c, op, w, d, ra);
        } else {
            x64_mov_rr(c, true, X64_RCX, rb);
            x64_mov_rr(c, true, d, ra);
            x64_alu_rr(c, op, w, d, X64_RCX);
        }
    } else {
        x64_mov_rr(c, true, d, ra);
        x64_alu_rr(c, op, w, d, rb);
    }
}

static void emit_shift(Emitter *e, X64Shift op, bool w, int d, IrRef a, IrRef b)
{
    CodeBuf *c = e->c;
    if (is_const(e, b)) {
        int ra = reg_of(e, a, X64_RAX);
        unsigned bits = w ? 64 : 32, k = (unsigned)cval(e, b) & (bits - 1);
        if (op == X64_ROL && d != ra && k != 0 && e->be->has_bmi2) { /* no copy first */
            x64_rorx(c, w, d, ra, (uint8_t)(bits - k));
            return;
        }
        if (d != ra)
            x64_mov_rr(c, true, d, ra);
        x64_shift_ri(c, op, w, d, (uint8_t)k);
        return;
    }
    x64_mov_rr(c, false, X64_RCX, e->loc[b]); /* the count first: d may be b's register */
    int ra = reg_of(e, a, X64_RAX);
    if (d != ra)
        x64_mov_rr(c, true, d, ra);
    x64_shift_cl(c, op, w, d);
}

static void emit_mul(Emitter *e, bool w, int d, IrRef a, IrRef b)
{
    CodeBuf *c = e->c;
    if (is_imm32(e, b)) {
        x64_imul_rri(c, w, d, reg_of(e, a, X64_RAX), (int32_t)cval(e, b));
        return;
    }
    int rb = reg_of(e, b, X64_RCX);
    int ra = reg_of(e, a, X64_RAX);
    if (d == ra)
        x64_imul_rr(c, w, d, rb);
    else if (d == rb)
        x64_imul_rr(c, w, d, ra);
    else {
        x64_mov_rr(c, true, d, ra);
        x64_imul_rr(c, w, d, rb);
    }
}

/* The IR's total division (ir_ops.def): x86 faults on a zero divisor and on the
 * signed overflow, so both are tested first (-1 as divisor needs no division). */
static void emit_divrem(Emitter *e, IrOp op, int d, IrRef a, IrRef b)
{
    CodeBuf *c = e->c;
    bool w = op == IR_OP_div || op == IR_OP_divu || op == IR_OP_rem || op == IR_OP_remu;
    bool is_signed = op == IR_OP_div || op == IR_OP_rem || op == IR_OP_div32 || op == IR_OP_rem32;
    bool want_rem = op == IR_OP_rem || op == IR_OP_remu || op == IR_OP_rem32 || op == IR_OP_remu32;
    int rb = reg_of(e, b, X64_RCX);
    if (rb != X64_RCX)
        x64_mov_rr(c, true, X64_RCX, rb);
    int ra = reg_of(e, a, X64_RAX);
    if (ra != X64_RAX)
        x64_mov_rr(c, true, X64_RAX, ra);
    uint32_t by_zero = new_label(e), divide = new_label(e), done = new_label(e);
    x64_alu_ri(c, X64_CMP, w, X64_RCX, 0);
    x64_jcc_label(c, &e->labels, X64_CC_E, by_zero);
    if (is_signed) {
        x64_alu_ri(c, X64_CMP, w, X64_RCX, -1);
        x64_jcc_label(c, &e->labels, X64_CC_NE, divide);
        if (want_rem)
            x64_alu_rr(c, X64_XOR, false, X64_RAX, X64_RAX);
        else
            x64_neg_r(c, w, X64_RAX); /* MIN stays MIN */
        x64_jmp_label(c, &e->labels, done);
    }
    bind(e, divide);
    if (is_signed)
        x64_sign_extend_rax(c, w);
    else
        x64_alu_rr(c, X64_XOR, false, X64_RDX, X64_RDX);
    x64_div_r(c, is_signed, w, X64_RCX);
    if (want_rem)
        x64_mov_rr(c, true, X64_RAX, X64_RDX);
    x64_jmp_label(c, &e->labels, done);
    bind(e, by_zero);
    if (!want_rem) /* a % 0 = a, already in rax */
        x64_mov_ri(c, X64_RAX, UINT64_MAX);
    bind(e, done);
    if (w)
        x64_mov_rr(c, true, d, X64_RAX);
    else
        x64_movsx_rr(c, 32, d, X64_RAX);
}

static void emit_mulh(Emitter *e, bool is_signed, int d, IrRef a, IrRef b)
{
    int rb = reg_of(e, b, X64_RCX);
    int ra = reg_of(e, a, X64_RAX);
    if (ra != X64_RAX)
        x64_mov_rr(e->c, true, X64_RAX, ra);
    x64_mul_r(e->c, is_signed, rb);
    x64_mov_rr(e->c, true, d, X64_RDX);
}

/* d = a's low `bits` bits, sign- or zero-extended (read from a's slot if it is there) */
static void emit_extend(Emitter *e, unsigned bits, bool sign, int d, IrRef a)
{
    X64Mem m;
    if (mem_operand(e, a, &m))
        x64_load(e->c, bits, sign, d, m);
    else if (sign)
        x64_movsx_rr(e->c, bits, d, reg_of(e, a, X64_RAX));
    else
        x64_movzx_rr(e->c, bits, d, reg_of(e, a, X64_RAX));
}

/* Compares a with b (either may be in its slot); returns the x86 condition for `cond`
 * in that comparison. */
static X64Cond emit_cmp(Emitter *e, IrCond cond, IrRef a, IrRef b)
{
    bool swapped = false;
    X64Mem ma, mb;
    bool a_in_slot = mem_operand(e, a, &ma), b_in_slot = mem_operand(e, b, &mb);
    if (a_in_slot && is_imm32(e, b)) {
        x64_alu_mi(e->c, X64_CMP, true, ma, (int32_t)cval(e, b));
        return cond_of(cond, false);
    }
    /* a constant or a slot second: an immediate or a memory operand */
    if ((is_const(e, a) && !is_const(e, b)) || (a_in_slot && !b_in_slot)) {
        IrRef t = a;
        a = b;
        b = t;
        swapped = true;
    }
    int ra = reg_of(e, a, X64_RAX);
    if (is_imm32(e, b))
        x64_alu_ri(e->c, X64_CMP, true, ra, (int32_t)cval(e, b));
    else if (mem_operand(e, b, &mb))
        x64_alu_rm(e->c, X64_CMP, true, ra, mb);
    else
        x64_alu_rr(e->c, X64_CMP, true, ra, reg_of(e, b, X64_RCX));
    return cond_of(cond, swapped);
}

/* ---- memory ---- */
static void emit_guest_addr(Emitter *e, IrRef addr, int64_t disp);

/* Leaves the host address in rax and jumps to the slow path on a TLB miss. */
static void emit_tlb_lookup(Emitter *e, IrRef addr, int64_t disp, unsigned size, bool write,
                            uint32_t slow)
{
    CodeBuf *c = e->c;
    const IrGuestAbi *abi = &e->be->abi;
    emit_guest_addr(e, addr, disp);
    /* rcx = byte offset of the entry: ((vaddr >> page_bits) & mask) << entry_shift (a
     * rotate keeps rax, and the mask drops what it brings round to the top) */
    uint8_t shift = (uint8_t)(abi->page_bits - abi->tlb_entry_shift);
    if (e->be->has_bmi2) {
        x64_rorx(c, true, X64_RCX, X64_RAX, shift);
    } else {
        x64_mov_rr(c, true, X64_RCX, X64_RAX);
        x64_shift_ri(c, X64_SHR, true, X64_RCX, shift);
    }
    x64_alu_ri(c, X64_AND, false, X64_RCX, (int32_t)(abi->tlb_mask << abi->tlb_entry_shift));
    /* rdx = vaddr & (page mask | (size - 1)): misaligned addresses never match */
    x64_mov_rr(c, true, X64_RDX, X64_RAX);
    x64_alu_ri(c, X64_AND, true, X64_RDX, (int32_t)(-(1 << abi->page_bits) | (int32_t)(size - 1)));
    int32_t tag = e->tb->tlb_off + (write ? abi->tag_write_off : abi->tag_read_off);
    x64_alu_rm(c, X64_CMP, true, X64_RDX, x64_mem_idx(STATE, X64_RCX, 1, tag));
    x64_jcc_label(c, &e->labels, X64_CC_NE, slow);
    x64_alu_rm(c, X64_ADD, true, X64_RAX, x64_mem_idx(STATE, X64_RCX, 1, e->tb->tlb_off + abi->addend_off));
}

/* Leaves the guest address in rax. */
static void emit_guest_addr(Emitter *e, IrRef addr, int64_t disp)
{
    if (is_const(e, addr)) {
        x64_mov_ri(e->c, X64_RAX, (uint64_t)(cval(e, addr) + disp));
    } else {
        int ra = e->loc[addr];
        if (disp)
            x64_lea(e->c, X64_RAX, x64_mem(ra, (int32_t)disp));
        else
            x64_mov_rr(e->c, true, X64_RAX, ra);
    }
}

/* Whether address value a is known below 2^flat_bits for an access at displacement
 * disp: it was tested before in this block (see emit_flat_addr), or it is a tested
 * value u plus a constant c with c + disp still within the guard, so that the host
 * address is base + u + (c + disp), as safe as an access through u. */
static bool flat_known_inside(const Emitter *e, IrRef a, int64_t disp)
{
    if (e->flat_checked[a])
        return true;
    const IrInsn *in = &e->b->insn[a];
    if (in->op != IR_OP_add || is_const(e, in->arg[0]) || !is_const(e, in->arg[1]) ||
        !e->flat_checked[in->arg[0]])
        return false;
    int64_t c = cval(e, in->arg[1]), guard = e->be->abi.flat_guard;
    return c >= -guard && c <= guard && c + disp >= -guard && c + disp + 8 <= guard;
}

/* Flat memory: an address inside the guest space is accessed straight in the host
 * mapping, as [base + disp + register]. Where the guest may not read (write), the host
 * page is inaccessible (read-only: also a page translated code came from, see
 * MmuOps.protect_code), the access faults, and the fault handler resumes at the slow
 * path (exec_host_fault), which starts by computing the address into rax (the
 * address register is intact: only a faulting load would have written its
 * destination). Returns the host operand; the caller emits the access itself right
 * after (its offset is d->site). False: no operand (the slow path is always taken). */
static bool emit_flat_addr(Emitter *e, const IrInsn *in, Deferred *d, X64Mem *m)
{
    CodeBuf *c = e->c;
    const IrGuestAbi *abi = &e->be->abi;
    if (e->n_flat_sites >= IR_MAX_FAULT_SITES) {
        e->overflow = true;
        return false;
    }
    e->n_flat_sites++;
    d->flat = true;
    d->addr_const = is_const(e, in->arg[0]);
    d->addr_reg = d->addr_const ? X64_NO_REG : e->loc[in->arg[0]];
    d->addr_disp = d->addr_const ? cval(e, in->arg[0]) + in->imm : in->imm;
    /* The host address of the guest address's register part: when the space lies
     * low in the host (guest_mem_init tries to), base + displacement is the operand's
     * disp32, else it goes into rcx. */
    uint64_t host_disp = abi->flat_base + (uint64_t)d->addr_disp;
    bool disp32 = host_disp < 0x80000000u;
    if (d->addr_const) {
        uint64_t a = (uint64_t)d->addr_disp;
        if (a >> abi->flat_bits) {
            x64_jmp_label(c, &e->labels, d->label);
            return false;
        }
    } else {
        if (d->addr_disp >= -abi->flat_guard && d->addr_disp + 8 <= abi->flat_guard) {
            /* register < 2^bits: with the displacement, an access (up to 8 bytes) may
             * reach into a guard page but not beyond. Once per register value: when
             * the test fails, the slow path never resumes (the first and last guest
             * pages are never mapped, so no such address plus a displacement within
             * the guard is a mapped page), so any later access runs with it passed. */
            if (!flat_known_inside(e, in->arg[0], d->addr_disp)) {
                x64_cmp_r_riprel(c, d->addr_reg, e->be->flat_limit);
                x64_jcc_label(c, &e->labels, X64_CC_AE, d->label);
                e->flat_checked[in->arg[0]] = true;
            }
        } else {
            x64_lea(c, X64_RCX, x64_mem(d->addr_reg, (int32_t)d->addr_disp));
            x64_shift_ri(c, X64_SHR, true, X64_RCX, (uint8_t)abi->flat_bits);
            x64_jcc_label(c, &e->labels, X64_CC_NE, d->label);
        }
    }
    /* [address register (none for a constant) + host_disp] */
    if (disp32) {
        *m = x64_mem(d->addr_reg, (int32_t)host_disp);
    } else {
        x64_mov_ri(c, X64_RCX, host_disp);
        *m = x64_mem_idx(X64_RCX, d->addr_reg, 1, 0);
    }
    d->site = (uint32_t)(c->used - e->start);
    return true;
}

static void emit_load(Emitter *e, const IrInsn *in)
{
    unsigned size = 1u << (in->aux & 3);
    Deferred *d = defer(e, DEFER_LOAD);
    d->mem = in->aux;
    d->dst = e->loc[e->cur_def];
    d->label = new_label(e);
    d->done = new_label(e);
    d->site = UINT32_MAX;
    X64Mem m;
    if (e->be->abi.flat_base) {
        if (emit_flat_addr(e, in, d, &m))
            x64_load(e->c, size * 8, (in->aux & IR_MEM_SIGNED) != 0, d->dst, m);
    } else {
        emit_tlb_lookup(e, in->arg[0], in->imm, size, false, d->label);
        d->access = new_label(e);
        bind(e, d->access);
        x64_load(e->c, size * 8, (in->aux & IR_MEM_SIGNED) != 0, d->dst, x64_mem(X64_RAX, 0));
    }
    bind(e, d->done);
}

static void emit_store(Emitter *e, const IrInsn *in)
{
    unsigned size = 1u << (in->aux & 3);
    IrRef v = in->arg[1];
    Deferred *d = defer(e, DEFER_STORE);
    d->mem = in->aux;
    d->val_reg = is_const(e, v) ? X64_NO_REG : e->loc[v];
    d->val_imm = is_const(e, v) ? cval(e, v) : 0;
    d->label = new_label(e);
    d->done = new_label(e);
    d->site = UINT32_MAX;
    X64Mem m = x64_mem(X64_RAX, 0);
    if (e->be->abi.flat_base) {
        if (!emit_flat_addr(e, in, d, &m)) {
            bind(e, d->done);
            return;
        }
    } else {
        emit_tlb_lookup(e, in->arg[0], in->imm, size, true, d->label);
        d->access = new_label(e);
        bind(e, d->access);
    }
    if (d->val_reg != X64_NO_REG) {
        x64_store(e->c, size * 8, m, d->val_reg);
    } else if (size < 8 || d->val_imm == (int32_t)d->val_imm) {
        x64_store_imm(e->c, size * 8, m, (int32_t)d->val_imm);
    } else { /* rdx: rcx may hold the flat address */
        x64_mov_ri(e->c, X64_RDX, (uint64_t)d->val_imm);
        if (d->flat)
            d->site = (uint32_t)(e->c->used - e->start); /* the store, after the constant */
        x64_store(e->c, 64, m, X64_RDX);
    }
    bind(e, d->done);
}

static void push_pool(CodeBuf *c)
{
    for (unsigned k = 0; k < sizeof pool_caller_saved; k++)
        x64_push(c, pool_caller_saved[k]);
}

static void pop_pool(CodeBuf *c)
{
    for (unsigned k = sizeof pool_caller_saved; k-- > 0;)
        x64_pop(c, pool_caller_saved[k]);
}

/* The slow paths' shared part, a stub each for loads and stores (emitted once, with
 * the trampolines): guest address in rax, size in edx, a store's value in rcx; they
 * save the caller-saved pool (the allocator's values live on), call the helper and
 * return its bool in al, a load's value in rdx. Called with rsp 16-aligned: the
 * return address and six pushes leave it 8 off, hence the odd adjustments. */
static uintptr_t emit_load_stub(const X64Backend *be, CodeBuf *c)
{
    uintptr_t at = code_buf_rx_pos(c);
    push_pool(c);
    x64_alu_ri(c, X64_SUB, true, X64_RSP, 24); /* [rsp]: the value */
    x64_mov_rr(c, true, X64_RSI, X64_RAX);
    x64_mov_rr(c, true, X64_RDI, STATE);
    x64_mov_rr(c, true, X64_RCX, X64_RSP);
    call_c(be, c, be->abi.load_slow);
    x64_load(c, 64, false, X64_RDX, x64_mem(X64_RSP, 0));
    x64_alu_ri(c, X64_ADD, true, X64_RSP, 24);
    pop_pool(c);
    x64_ret(c);
    return at;
}

static uintptr_t emit_store_stub(const X64Backend *be, CodeBuf *c)
{
    uintptr_t at = code_buf_rx_pos(c);
    push_pool(c);
    x64_alu_ri(c, X64_SUB, true, X64_RSP, 8);
    x64_mov_rr(c, true, X64_RSI, X64_RAX);
    x64_mov_rr(c, true, X64_RDI, STATE);
    call_c(be, c, be->abi.store_slow);
    x64_alu_ri(c, X64_ADD, true, X64_RSP, 8);
    pop_pool(c);
    x64_ret(c);
    return at;
}

/* A flat access's slow path starts without the guest address in rax (the fast path
 * never computed it): it is the address register plus displacement, or a constant. */
static void flat_address_to_rax(Emitter *e, const Deferred *d)
{
    if (d->addr_const)
        x64_mov_ri(e->c, X64_RAX, (uint64_t)d->addr_disp);
    else
        x64_lea(e->c, X64_RAX, x64_mem(d->addr_reg, (int32_t)d->addr_disp));
}

/* A soft-TLB access whose set's first entry missed tries the second (softmmu/tlb.h)
 * before the slow path: rax, rcx and rdx still hold the address, the set's offset and
 * the tag to match (emit_tlb_lookup). Two hot pages of one set then cost this compare
 * at every access instead of a page walk. */
static void emit_older_way(Emitter *e, const Deferred *d, bool write)
{
    CodeBuf *c = e->c;
    const IrGuestAbi *abi = &e->be->abi;
    int32_t older = e->tb->tlb_off + abi->tlb_older_off;
    uint32_t miss = new_label(e);
    x64_alu_rm(c, X64_CMP, true, X64_RDX,
               x64_mem_idx(STATE, X64_RCX, 1, older + (write ? abi->tag_write_off : abi->tag_read_off)));
    x64_jcc_label(c, &e->labels, X64_CC_NE, miss);
    x64_alu_rm(c, X64_ADD, true, X64_RAX, x64_mem_idx(STATE, X64_RCX, 1, older + abi->addend_off));
    x64_jmp_label(c, &e->labels, d->access);
    bind(e, miss);
}

/* Slow paths: the address, size (and value) for the shared stub, then fault or resume. */
static void emit_slow_load(Emitter *e, const Deferred *d)
{
    CodeBuf *c = e->c;
    unsigned size = 1u << (d->mem & 3);
    bind(e, d->label);
    if (d->flat)
        flat_address_to_rax(e, d);
    else
        emit_older_way(e, d, false);
    x64_mov_ri(c, X64_RDX, size);
    x64_call_rel32(c, e->be->load_stub);
    x64_test8_rr(c, X64_RAX, X64_RAX);
    e->cur_insn = d->insn;
    x64_jcc_label(c, &e->labels, X64_CC_E, fault_label(e));
    if (d->mem & IR_MEM_SIGNED)
        x64_movsx_rr(c, size * 8, d->dst, X64_RDX);
    else if (size < 8)
        x64_movzx_rr(c, size * 8, d->dst, X64_RDX);
    else
        x64_mov_rr(c, true, d->dst, X64_RDX);
    x64_jmp_label(c, &e->labels, d->done);
}

static void emit_slow_store(Emitter *e, const Deferred *d)
{
    CodeBuf *c = e->c;
    bind(e, d->label);
    if (d->flat)
        flat_address_to_rax(e, d);
    else
        emit_older_way(e, d, true);
    if (d->val_reg != X64_NO_REG)
        x64_mov_rr(c, true, X64_RCX, d->val_reg);
    else
        x64_mov_ri(c, X64_RCX, (uint64_t)d->val_imm);
    x64_mov_ri(c, X64_RDX, 1u << (d->mem & 3));
    x64_call_rel32(c, e->be->store_stub);
    x64_test8_rr(c, X64_RAX, X64_RAX);
    e->cur_insn = d->insn;
    x64_jcc_label(c, &e->labels, X64_CC_E, fault_label(e));
    x64_jmp_label(c, &e->labels, d->done);
}

/* ---- calls ---- */
static void emit_call(Emitter *e, const IrInsn *in)
{
    CodeBuf *c = e->c;
    /* Sources live in pool registers or are constants; rcx/rdx are scratch, so filling
     * rcx, rdx, rsi, rdi, r8 in this order never overwrites a source still needed. */
    static const int8_t dst[3] = {X64_RSI, X64_RDX, X64_RCX};
    for (int k = 2; k >= 0; k--) {
        IrRef r = in->arg[k];
        if (r == IR_NONE)
            x64_mov_ri(c, dst[k], 0);
        else if (is_const(e, r))
            x64_mov_ri(c, dst[k], (uint64_t)cval(e, r));
        else if (e->loc[r] != dst[k])
            x64_mov_rr(c, true, dst[k], e->loc[r]);
    }
    x64_mov_rr(c, true, X64_RDI, STATE);
    x64_mov_ri(c, X64_R8, in->imm2);
    call_abs(e, (const void *)(uintptr_t)in->imm);
    x64_mov_rr(c, true, e->loc[e->cur_def], X64_RAX);
}

static void emit_call_insn(Emitter *e, const IrInsn *in)
{
    CodeBuf *c = e->c;
    sync_pinned_out(e);
    fflags_harvest(e->be, c); /* the fallback may read or write the flags word */
    x64_mov_rr(c, true, X64_RDI, STATE);
    x64_mov_ri(c, X64_RSI, in->imm2);
    call_abs(e, (const void *)(uintptr_t)in->imm);
    fflags_clear(e->be, c);
    sync_pinned_in(e);
    x64_test8_rr(c, X64_RAX, X64_RAX);
    x64_jcc_label(c, &e->labels, X64_CC_E, fault_label(e));
}

/* ---- terminators ---- */
static void set_pc_imm(Emitter *e, uint64_t pc)
{
    X64Mem m = slot_mem(e->be->abi.pc_slot);
    if ((int64_t)pc == (int32_t)pc) {
        x64_store_imm(e->c, 64, m, (int32_t)pc);
    } else {
        x64_mov_ri(e->c, X64_RAX, pc);
        x64_store(e->c, 64, m, X64_RAX);
    }
}

/* A direct jump to target, if cc >= 0 only when cc holds: a chainable exit, or
 * through the jump cache when target lies on another page than the block under a
 * guest MMU (IrGuestAbi.link_page_bits). */
static void link_edge(Emitter *e, int cc, uint64_t target)
{
    uint32_t bits = e->be->abi.link_page_bits;
    if (bits && (target >> bits) != (e->tb->pc >> bits)) {
        Deferred *d = defer(e, DEFER_FAR_EDGE);
        d->label = new_label(e);
        d->target = target;
        if (cc < 0)
            x64_jmp_label(e->c, &e->labels, d->label);
        else
            x64_jcc_label(e->c, &e->labels, (X64Cond)cc, d->label);
        return;
    }
    if (e->tb->n_links == IR_MAX_LINKS) {
        e->overflow = true;
        return;
    }
    uint32_t edge = e->tb->n_links++;
    Deferred *d = defer(e, DEFER_LINK);
    d->label = new_label(e);
    d->target = target;
    d->edge = edge;
    if (cc < 0)
        x64_jmp_label(e->c, &e->labels, d->label);
    else
        x64_jcc_label(e->c, &e->labels, (X64Cond)cc, d->label);
    e->tb->link_site[edge] = (uint32_t)(e->c->used - 4 - e->start);
}

/* A side exit taken: the loop's pins out, the instructions it completed counted,
 * then a chainable jump. */
static void emit_side_exit(Emitter *e, const Deferred *d)
{
    bind(e, d->label);
    leave_loop(e);
    slot_add(e, e->be->abi.counter_slot, (int32_t)d->count);
    link_edge(e, -1, d->target);
}

static void emit_link_stub(Emitter *e, const Deferred *d)
{
    bind(e, d->label);
    set_pc_imm(e, d->target);
    x64_mov_ri(e->c, X64_RAX, e->tb->link_ret[d->edge]);
    jmp_epilogue(e);
}

/* A jump to guest pc rax through the jump cache: to the block's code on a hit, else
 * to what jump_lookup finds, else back to the exec loop. Only pinned registers are
 * live. */
static void emit_jump_cached(Emitter *e)
{
    CodeBuf *c = e->c;
    const IrGuestAbi *abi = &e->be->abi;
    /* rcx = ir_jump_cache_index(pc) * 16 = ((pc ^ (pc >> bits)) << 3) & (mask << 4) */
    x64_mov_rr(c, true, X64_RCX, X64_RAX);
    x64_shift_ri(c, X64_SHR, true, X64_RCX, (uint8_t)abi->jump_cache_bits);
    x64_alu_rr(c, X64_XOR, false, X64_RCX, X64_RAX);
    x64_shift_ri(c, X64_SHL, false, X64_RCX, 3);
    x64_alu_ri(c, X64_AND, false, X64_RCX, (int32_t)(((1u << abi->jump_cache_bits) - 1) << 4));
    x64_mov_ri(c, X64_RDX, (uint64_t)(uintptr_t)e->tb->jump_cache);
    x64_alu_rm(c, X64_CMP, true, X64_RAX, x64_mem_idx(X64_RDX, X64_RCX, 1, 0));
    uint32_t miss = new_label(e);
    x64_jcc_label(c, &e->labels, X64_CC_NE, miss);
    x64_jmp_m(c, x64_mem_idx(X64_RDX, X64_RCX, 1, 8));
    /* A hit needs no pc in the state: blocks set it wherever they leave. */
    bind(e, miss);
    x64_store(c, 64, slot_mem(abi->pc_slot), X64_RAX);
    if (abi->jump_lookup) {
        /* The block table, without leaving: only pinned (callee-saved) registers are
         * live here, and rsp is 16-aligned inside a block. */
        x64_mov_rr(c, true, X64_RSI, X64_RAX);
        x64_mov_rr(c, true, X64_RDI, STATE);
        call_abs(e, (const void *)abi->jump_lookup);
        x64_test_rr(c, true, X64_RAX, X64_RAX);
        uint32_t leave = new_label(e);
        x64_jcc_label(c, &e->labels, X64_CC_E, leave);
        x64_jmp_r(c, X64_RAX);
        bind(e, leave);
    } else {
        x64_mov_ri(c, X64_RAX, 0);
    }
    jmp_epilogue(e);
}

static void emit_jump_ind(Emitter *e, IrRef target)
{
    if (is_const(e, target))
        x64_mov_ri(e->c, X64_RAX, (uint64_t)cval(e, target));
    else
        x64_mov_rr(e->c, true, X64_RAX, e->loc[target]);
    emit_jump_cached(e);
}

/* A guard_ind that failed: to the guest pc in d->val_reg through the jump cache, once
 * the loop's pins are out and the completed instructions counted (rdx keeps the pc
 * meanwhile: leaving the loop reloads what it borrowed, counting may use rax). */
static void emit_guard_exit(Emitter *e, const Deferred *d)
{
    bind(e, d->label);
    if (d->val_reg != X64_RDX)
        x64_mov_rr(e->c, true, X64_RDX, d->val_reg);
    leave_loop(e);
    slot_add(e, e->be->abi.counter_slot, (int32_t)d->count);
    x64_mov_rr(e->c, true, X64_RAX, X64_RDX);
    emit_jump_cached(e);
}

static void emit_far_edge(Emitter *e, const Deferred *d)
{
    bind(e, d->label);
    x64_mov_ri(e->c, X64_RAX, d->target);
    emit_jump_cached(e);
}

/* d = cond ? t : f. Built in rdx: d may be any operand's register (the allocator's
 * rule), so every operand is read before d is written. Operands are all in registers
 * before the test: materializing a constant 0 (xor) would clobber the flags. */
static void emit_select(Emitter *e, int d, IrRef cond, IrRef t, IrRef f)
{
    CodeBuf *c = e->c;
    int rf = reg_of(e, f, X64_RDX);
    if (rf != X64_RDX)
        x64_mov_rr(c, true, X64_RDX, rf);
    int rc = reg_of(e, cond, X64_RAX);
    int rt = reg_of(e, t, X64_RCX);
    x64_test_rr(c, true, rc, rc);
    x64_cmov_rr(c, X64_CC_NE, true, X64_RDX, rt);
    x64_mov_rr(c, true, d, X64_RDX);
}

static void emit_insn(Emitter *e, const IrInsn *in)
{
    CodeBuf *c = e->c;
    int d = e->loc[e->cur_def];
    IrRef a = in->arg[0], b = in->arg[1];
    switch ((IrOp)in->op) {
    case IR_OP_const: case IR_OP_nop:
        break;
    case IR_OP_fence: /* x86-64 (TSO) only lets a store pass a later load */
        if (in->aux & IR_FENCE_SL)
            x64_store_load_barrier(c);
        break;
    case IR_OP_insn_start:
        e->cur_insn = (uint32_t)in->imm;
        break;
    case IR_OP_get: {
        if (e->add_in_place[e->cur_def]) {
            slot_add(e, in->imm, (int32_t)cval(e, e->b->insn[e->cur_def + 1].arg[1]));
            break;
        }
        int p = pinned_reg_for(e->be, in->imm);
        if (p != X64_NO_REG)
            x64_mov_rr(c, true, d, p);
        else if (is_counter(e->be, in->imm))
            x64_movq_rx(c, true, d, COUNTER_XMM);
        else
            x64_load(c, 64, false, d, slot_mem(in->imm));
        break;
    }
    case IR_OP_set: {
        int p = pinned_reg_for(e->be, in->imm);
        if (p != X64_NO_REG) {
            if (is_const(e, a))
                x64_mov_ri(c, p, (uint64_t)cval(e, a));
            else
                x64_mov_rr(c, true, p, e->loc[a]);
        } else if (is_counter(e->be, in->imm)) {
            x64_movq_xr(c, true, COUNTER_XMM, reg_of(e, a, X64_RAX));
        } else if (is_imm32(e, a)) {
            x64_store_imm(c, 64, slot_mem(in->imm), (int32_t)cval(e, a));
        } else {
            x64_store(c, 64, slot_mem(in->imm), reg_of(e, a, X64_RAX));
        }
        break;
    }
    case IR_OP_add: emit_alu(e, X64_ADD, true, true, d, a, b); break;
    case IR_OP_sub: emit_alu(e, X64_SUB, true, false, d, a, b); break;
    case IR_OP_addsh:
        x64_lea(c, d, x64_mem_idx(reg_of(e, a, X64_RAX), reg_of(e, b, X64_RCX), 1u << in->aux, (int32_t)in->imm));
        break;
    case IR_OP_and: emit_alu(e, X64_AND, true, true, d, a, b); break;
    case IR_OP_or: emit_alu(e, X64_OR, true, true, d, a, b); break;
    case IR_OP_xor: emit_alu(e, X64_XOR, true, true, d, a, b); break;
    case IR_OP_shl: emit_shift(e, X64_SHL, true, d, a, b); break;
    case IR_OP_shr: emit_shift(e, X64_SHR, true, d, a, b); break;
    case IR_OP_sar: emit_shift(e, X64_SAR, true, d, a, b); break;
    case IR_OP_rol: emit_shift(e, X64_ROL, true, d, a, b); break;
    case IR_OP_rol32: emit_shift(e, X64_ROL, false, d, a, b); sext32_result(e, d); break;
    case IR_OP_mul: emit_mul(e, true, d, a, b); break;
    case IR_OP_mulh: emit_mulh(e, true, d, a, b); break;
    case IR_OP_mulhu: emit_mulh(e, false, d, a, b); break;
    case IR_OP_div: case IR_OP_divu: case IR_OP_rem: case IR_OP_remu:
    case IR_OP_div32: case IR_OP_divu32: case IR_OP_rem32: case IR_OP_remu32:
        emit_divrem(e, (IrOp)in->op, d, a, b);
        break;
    case IR_OP_add32: emit_alu(e, X64_ADD, false, true, d, a, b); sext32_result(e, d); break;
    case IR_OP_sub32: emit_alu(e, X64_SUB, false, false, d, a, b); sext32_result(e, d); break;
    case IR_OP_shl32: emit_shift(e, X64_SHL, false, d, a, b); sext32_result(e, d); break;
    case IR_OP_shr32:
        emit_shift(e, X64_SHR, false, d, a, b);
        if (!is_const(e, b) || (cval(e, b) & 31) == 0) /* else bit 31 is clear */
            sext32_result(e, d);
        break;
    case IR_OP_sar32: emit_shift(e, X64_SAR, false, d, a, b); sext32_result(e, d); break;
    case IR_OP_mul32: emit_mul(e, false, d, a, b); sext32_result(e, d); break;
    case IR_OP_setcc: {
        X64Cond cc = emit_cmp(e, (IrCond)in->aux, a, b);
        x64_setcc(c, cc, d);
        x64_movzx_rr(c, 8, d, d);
        break;
    }
    case IR_OP_select: emit_select(e, d, a, b, in->arg[2]); break;
    case IR_OP_sext8: emit_extend(e, 8, true, d, a); break;
    case IR_OP_sext16: emit_extend(e, 16, true, d, a); break;
    case IR_OP_sext32: emit_extend(e, 32, true, d, a); break;
    case IR_OP_zext8: emit_extend(e, 8, false, d, a); break;
    case IR_OP_zext16: emit_extend(e, 16, false, d, a); break;
    case IR_OP_zext32: emit_extend(e, 32, false, d, a); break;
    case IR_OP_load: emit_load(e, in); break;
    case IR_OP_store: emit_store(e, in); break;
    case IR_OP_call: case IR_OP_callp: emit_call(e, in); break;
    case IR_OP_call_insn: emit_call_insn(e, in); break;
    case IR_OP_fp: x64_emit_fp(e, in); break;
    case IR_OP_spill:
        x64_store(c, 64, x64_mem(X64_RSP, (int32_t)(in->imm * 8)), e->loc[a]);
        break;
    case IR_OP_reload:
        x64_load(c, 64, false, d, x64_mem(X64_RSP, (int32_t)(in->imm * 8)));
        break;
    case IR_OP_goto_tb:
        if (e->be->loop.active && (uint64_t)in->imm == e->tb->pc)
            x64_jmp_label(c, &e->labels, e->loop_head);
        else
            link_edge(e, -1, (uint64_t)in->imm);
        break;
    case IR_OP_brcond: {
        X64Cond cc = emit_cmp(e, (IrCond)in->aux, a, b);
        uint64_t taken = (uint64_t)in->imm, other = in->imm2;
        if (e->be->loop.active && (taken == e->tb->pc || other == e->tb->pc)) {
            if (taken == e->tb->pc) {
                x64_jcc_label(c, &e->labels, cc, e->loop_head);
            } else {
                x64_jcc_label(c, &e->labels, (X64Cond)(cc ^ 1), e->loop_head); /* inverted */
                other = taken;
            }
            leave_loop(e);
            link_edge(e, -1, other);
            break;
        }
        link_edge(e, cc, taken);
        link_edge(e, -1, other);
        break;
    }
    case IR_OP_exit_if: {
        X64Cond cc = emit_cmp(e, (IrCond)in->aux, a, b);
        Deferred *d = defer(e, DEFER_SIDE_EXIT);
        d->label = new_label(e);
        d->target = (uint64_t)in->imm;
        d->count = in->imm2;
        x64_jcc_label(c, &e->labels, cc, d->label);
        break;
    }
    case IR_OP_guard_ind: {
        int r = reg_of(e, a, X64_RAX);
        if (in->imm == (int32_t)in->imm) {
            x64_alu_ri(c, X64_CMP, true, r, (int32_t)in->imm);
        } else {
            x64_mov_ri(c, X64_RCX, (uint64_t)in->imm);
            x64_alu_rr(c, X64_CMP, true, r, X64_RCX);
        }
        Deferred *d = defer(e, DEFER_GUARD_EXIT);
        d->label = new_label(e);
        d->val_reg = (int8_t)r;
        d->count = in->imm2;
        x64_jcc_label(c, &e->labels, X64_CC_NE, d->label);
        break;
    }
    case IR_OP_jump_ind:
        emit_jump_ind(e, a);
        break;
    case IR_OP_exit:
        set_pc_imm(e, (uint64_t)in->imm);
        x64_mov_ri(c, X64_RAX, 0);
        jmp_epilogue(e);
        break;
    case IR_OP_COUNT:
        break;
    }
}

/* Whether operand k of `in` is read only through its low 32 bits (by the emitters
 * here: 32-bit host operations, extensions from 32 bits or fewer, narrow stores, and
 * ops whose low 32 result bits depend only on their operands' low 32 bits when only
 * those result bits are used: low32_result). */
static bool reads_low32(const IrInsn *in, unsigned k, bool low32_result)
{
    switch ((IrOp)in->op) {
    case IR_OP_add: case IR_OP_sub: case IR_OP_and: case IR_OP_or: case IR_OP_xor:
    case IR_OP_mul: case IR_OP_addsh:
        return low32_result;
    case IR_OP_shl:
        return low32_result && k == 0;
    case IR_OP_add32: case IR_OP_sub32: case IR_OP_shl32: case IR_OP_shr32: case IR_OP_sar32:
    case IR_OP_rol32: case IR_OP_mul32: case IR_OP_div32: case IR_OP_divu32: case IR_OP_rem32:
    case IR_OP_remu32: case IR_OP_sext32: case IR_OP_zext32: case IR_OP_sext16:
    case IR_OP_zext16: case IR_OP_sext8: case IR_OP_zext8:
        return true;
    case IR_OP_store:
        return k == 1 && (in->aux & 3) <= IR_MEM_32;
    default:
        return false;
    }
}

/* Fills e->loc and e->skip (see Emitter): reads of pinned slots use the pinned
 * register directly, and results headed for a pinned slot are computed there. */
static void place_values(Emitter *e)
{
    static _Thread_local uint16_t uses[IR_MAX_INSNS], last[IR_MAX_INSNS];
    const IrBlock *b = e->b;
    for (uint32_t i = 0; i < b->n; i++) {
        uses[i] = 0;
        last[i] = 0;
        e->loc[i] = (int8_t)b->insn[i].reg;
        e->skip[i] = false;
        e->add_in_place[i] = false;
        e->low32_uses[i] = true;
        e->flat_checked[i] = false;
    }
    for (uint32_t i = 0; i < b->n; i++)
        for (unsigned k = 0; k < 3; k++)
            if (b->insn[i].arg[k] != IR_NONE) {
                uses[b->insn[i].arg[k]]++;
                last[b->insn[i].arg[k]] = (uint16_t)i;
            }
    /* Backwards: every use of a value comes after it, so its uses are settled first. */
    for (uint32_t i = b->n; i-- > 0;)
        for (unsigned k = 0; k < 3; k++)
            if (b->insn[i].arg[k] != IR_NONE &&
                !reads_low32(&b->insn[i], k, uses[i] != 0 && e->low32_uses[i]))
                e->low32_uses[b->insn[i].arg[k]] = false;
    for (uint32_t i = 0; i + 2 < b->n; i++) {
        /* slot += constant, with nothing else using the values (instret at exits) */
        const IrInsn *g = &b->insn[i], *add = &b->insn[i + 1], *set = &b->insn[i + 2];
        if (g->op == IR_OP_get && add->op == IR_OP_add && add->arg[0] == i &&
            is_imm32(e, add->arg[1]) && set->op == IR_OP_set && set->arg[0] == i + 1 &&
            set->imm == g->imm && uses[i] == 1 && uses[i + 1] == 1 &&
            pinned_reg_for(e->be, g->imm) == X64_NO_REG) {
            e->add_in_place[i] = true;
            e->skip[i + 1] = e->skip[i + 2] = true;
        }
    }
    for (uint32_t i = 0; i < b->n; i++) {
        const IrInsn *in = &b->insn[i];
        int p = X64_NO_REG;
        int64_t slot = 0;
        uint32_t from = i + 1;
        /* Left in its slot by the allocator: nothing to emit, its users read the
         * slot, or the register of a pinned slot (the allocator saw to it that the
         * slot is not written before they run). */
        if ((in->op == IR_OP_get || in->op == IR_OP_reload) && in->reg == IR_NO_REG &&
            !e->add_in_place[i]) {
            e->skip[i] = true;
            if (in->op == IR_OP_get)
                e->loc[i] = (int8_t)pinned_reg_for(e->be, in->imm);
            continue;
        }
        if (e->add_in_place[i] || e->skip[i])
            continue;
        if (in->op == IR_OP_get) {
            slot = in->imm;
            p = pinned_reg_for(e->be, slot);
        } else if (ir_info(in)->type != IR_TYPE_VOID && in->op != IR_OP_const && i + 1 < b->n &&
                   b->insn[i + 1].op == IR_OP_set && b->insn[i + 1].arg[0] == i) {
            slot = b->insn[i + 1].imm;
            p = pinned_reg_for(e->be, slot);
            from = i + 2;
        }
        if (p == X64_NO_REG)
            continue;
        /* The pinned register holds the value until the slot is written again or
         * the fallback may change it: every use must come before that. */
        uint32_t j = from;
        while (j < b->n && b->insn[j].op != IR_OP_call_insn &&
               !(b->insn[j].op == IR_OP_set && b->insn[j].imm == slot))
            j++;
        if (uses[i] != 0 && last[i] > j)
            continue;
        e->loc[i] = (int8_t)p;
        e->skip[from - 1] = true; /* the get, or the set made redundant */
    }
}

uintptr_t x64_codegen(X64Backend *be, const IrBlock *b, IrTbCode *tb)
{
    static _Thread_local Emitter em;
    Emitter *e = &em;
    CodeBuf *c = be->code;
    e->be = be;
    e->c = c;
    e->b = b;
    e->tb = tb;
    e->start = c->used;
    e->n_def = 0;
    e->n_flat_sites = 0;
    e->cur_insn = 0;
    e->overflow = false;
    e->n_fault_insns = 0;
    x64_labels_init(&e->labels);
    tb->n_links = 0;

    /* Entry: one flag test, which invalidation turns into a jump to the entry exit. */
    uint32_t entry_exit = new_label(e);
    exit_request_test(e, entry_exit);

    tb->loop_head = tb->loop_exit = 0;
    uint32_t loop_exit = 0;
    if (be->loop.active) {
        /* the pins, then the loop head: the entry's test again, patched alike */
        enter_loop(e);
        e->loop_head = new_label(e);
        loop_exit = new_label(e);
        bind(e, e->loop_head);
        tb->loop_head = exit_request_test(e, loop_exit);
    }

    place_values(e);
    for (uint32_t i = 0; i < b->n; i++) {
        e->cur_def = i;
        if (!e->skip[i])
            emit_insn(e, &b->insn[i]);
    }

    for (uint32_t k = 0; k < e->n_def; k++) {
        const Deferred *d = &e->def[k];
        if (d->kind == DEFER_LOAD)
            emit_slow_load(e, d);
        else if (d->kind == DEFER_STORE)
            emit_slow_store(e, d);
        else if (d->kind == DEFER_FP)
            x64_emit_fp_slow(e, d);
        else if (d->kind == DEFER_SIDE_EXIT)
            emit_side_exit(e, d);
        else if (d->kind == DEFER_FAR_EDGE)
            emit_far_edge(e, d);
        else if (d->kind == DEFER_GUARD_EXIT)
            emit_guard_exit(e, d);
        else
            emit_link_stub(e, d);
    }
    for (uint32_t k = 0; k < e->n_fault_insns; k++) {
        uint32_t i = e->fault_insn[k];
        bind(e, e->fault_label[i] - 1);
        e->fault_label[i] = 0; /* unused again, for the next block */
        leave_loop(e);
        x64_mov_ri(c, X64_RAX, tb->rec_base + (uintptr_t)i * tb->rec_stride + 1);
        jmp_epilogue(e);
    }
    if (be->loop.active) {
        bind(e, loop_exit);
        tb->loop_exit = (uint32_t)(c->used - e->start);
        leave_loop(e);
    }
    bind(e, entry_exit);
    tb->entry_exit = (uint32_t)(c->used - e->start);
    set_pc_imm(e, tb->pc);
    x64_mov_ri(c, X64_RAX, 0);
    jmp_epilogue(e);

    if (!x64_labels_resolve(&e->labels, c) || e->overflow || c->overflow) {
        c->used = e->start;
        c->overflow = false;
        return 0;
    }
    tb->size = (uint32_t)(c->used - e->start);
    tb->n_fault_sites = 0;
    for (uint32_t k = 0; k < e->n_def; k++) {
        const Deferred *d = &e->def[k];
        if ((d->kind == DEFER_LOAD || d->kind == DEFER_STORE) && d->site != UINT32_MAX)
            tb->fault_site[tb->n_fault_sites++] =
                (IrFaultSite){d->site, (uint32_t)e->labels.pos[d->label] - (uint32_t)e->start};
    }
    return c->rx + e->start;
}

/* ---- trampolines, setup, patching ---- */
bool x64_backend_init(X64Backend *be, CodeBuf *code, const IrGuestAbi *abi)
{
    memset(be, 0, sizeof *be);
    be->code = code;
    be->abi = *abi;
    be->has_fma = __builtin_cpu_supports("fma");
    be->has_bmi2 = __builtin_cpu_supports("bmi2");
    be->n_pinned = abi->n_pinned < sizeof pinnable ? abi->n_pinned : (uint8_t)sizeof pinnable;
    for (unsigned k = 0; k < be->n_pinned; k++)
        be->pinned_reg[k] = pinnable[k];
    /* Allocatable: the caller-saved pool first, then callee-saved registers nobody pinned. */
    for (unsigned k = 0; k < sizeof pool_caller_saved; k++) {
        be->regs.reg[be->regs.n++] = (uint8_t)pool_caller_saved[k];
        be->regs.caller_saved |= 1u << pool_caller_saved[k];
    }
    for (unsigned k = be->n_pinned; k < sizeof pinnable; k++)
        be->regs.reg[be->regs.n++] = (uint8_t)pinnable[k];
    be->regs.max_frame_slots = FRAME_SLOTS;
    /* "op reg, [mem]" and "mov reg, [mem]; op reg, ..." (emit_alu, emit_cmp),
     * "movsx/movzx reg, [mem]" (emit_extend) */
    static const IrOp both_from_memory[] = {IR_OP_add, IR_OP_sub, IR_OP_and, IR_OP_or, IR_OP_xor,
                                            IR_OP_add32, IR_OP_sub32, IR_OP_setcc, IR_OP_brcond,
                                            IR_OP_exit_if};
    static const IrOp a_from_memory[] = {IR_OP_sext8, IR_OP_sext16, IR_OP_sext32,
                                         IR_OP_zext8, IR_OP_zext16, IR_OP_zext32};
    for (unsigned k = 0; k < sizeof both_from_memory / sizeof both_from_memory[0]; k++)
        be->regs.from_memory[both_from_memory[k]] = 1u << 0 | 1u << 1;
    for (unsigned k = 0; k < sizeof a_from_memory / sizeof a_from_memory[0]; k++)
        be->regs.from_memory[a_from_memory[k]] = 1u << 0;

    CodeBuf *c = code;
    c->used = 0;
    /* constants */
    be->flat_limit = code_buf_rx_pos(c);
    x64_emit64(c, abi->flat_bits ? 1ull << abi->flat_bits : 0);
    be->mxcsr_default = code_buf_rx_pos(c);
    x64_emit64(c, 0x1f80);
    while (c->used & 15) /* paddq's memory operand is aligned */
        x64_emit8(c, 0xcc);
    be->counter_addends = code_buf_rx_pos(c);
    for (unsigned n = 0; n < COUNTER_ADDENDS; n++) {
        x64_emit64(c, n);
        x64_emit64(c, 0);
    }
    be->fflags_map = code_buf_rx_pos(c);
    for (unsigned m = 0; m < 64; m++) /* MXCSR bits IE DE ZE OE UE PE; DE is not IEEE's */
        x64_emit8(c, (uint8_t)((m & 1 ? abi->fflag.invalid : 0) | (m & 4 ? abi->fflag.div_zero : 0) |
                               (m & 8 ? abi->fflag.overflow : 0) | (m & 16 ? abi->fflag.underflow : 0) |
                               (m & 32 ? abi->fflag.inexact : 0)));

    /* the harvest stub: [rsp - 8] is in the red zone */
    be->harvest_fflags = code_buf_rx_pos(c);
    x64_stmxcsr(c, x64_mem(X64_RSP, -8));
    x64_load(c, 32, false, X64_RCX, x64_mem(X64_RSP, -8));
    x64_alu_ri(c, X64_AND, false, X64_RCX, 63);
    x64_lea_riprel(c, X64_RDX, be->fflags_map);
    x64_load(c, 8, false, X64_RCX, x64_mem_idx(X64_RDX, X64_RCX, 1, 0));
    x64_load(c, 32, false, X64_RDX, x64_mem(STATE, abi->fflags_off));
    x64_alu_rr(c, X64_OR, false, X64_RDX, X64_RCX);
    x64_store(c, 32, x64_mem(STATE, abi->fflags_off), X64_RDX);
    x64_ret(c);
    be->load_stub = emit_load_stub(be, c);
    be->store_stub = emit_store_stub(be, c);

    be->enter = (X64EnterFn)code_buf_rx_pos(c);
    for (unsigned k = 0; k < sizeof callee_saved; k++)
        x64_push(c, callee_saved[k]);
    x64_alu_ri(c, X64_SUB, true, X64_RSP, FRAME_SIZE);
    x64_mov_rr(c, true, STATE, X64_RDI);
    for (unsigned k = 0; k < be->n_pinned; k++)
        x64_load(c, 64, false, be->pinned_reg[k], slot_mem(abi->pinned_slot[k]));
    counter_in(be, c);
    fflags_clear(be, c);
    x64_emit8(c, 0xff); /* jmp rsi */
    x64_emit8(c, 0xe6);

    be->epilogue = code_buf_rx_pos(c);
    fflags_harvest(be, c);
    counter_out(be, c);
    for (unsigned k = 0; k < be->n_pinned; k++)
        x64_store(c, 64, slot_mem(abi->pinned_slot[k]), be->pinned_reg[k]);
    x64_alu_ri(c, X64_ADD, true, X64_RSP, FRAME_SIZE);
    for (unsigned k = sizeof callee_saved; k-- > 0;)
        x64_pop(c, callee_saved[k]);
    x64_ret(c);
    be->blocks_start = c->used;
    return !c->overflow;
}

void x64_backend_reset(X64Backend *be) { be->code->used = be->blocks_start; }

void x64_invalidate(X64Backend *be, uintptr_t entry_rx, const IrTbCode *tb)
{
    CodeBuf *c = be->code;
    x64_patch_jmp(c->rw + (entry_rx - c->rx), entry_rx, entry_rx + tb->entry_exit);
    if (tb->loop_head) {
        uintptr_t head = entry_rx + tb->loop_head;
        x64_patch_jmp(c->rw + (head - c->rx), head, entry_rx + tb->loop_exit);
    }
}

void x64_link(X64Backend *be, uintptr_t entry_rx, uint32_t site_off, uintptr_t target_rx)
{
    CodeBuf *c = be->code;
    uintptr_t field = entry_rx + site_off;
    x64_patch_rel32(c->rw + (field - c->rx), field, target_rx);
}
