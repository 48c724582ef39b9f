/* RISC-V to IR (see lift.h). Invariants of the emitted IR:
 *  - instruction i starts with insn_start i, so a fault in it exits with an exact pc
 *    and instret (the block adds its instruction count to instret only at its end);
 *  - x0 reads as the constant 0 and writes to it are dropped (after any fault);
 *  - a source is read before the destination is written (rd may equal rs1);
 *  - instructions the IR does not cover call their interpreter handler with the
 *    prepared instruction (index i: CSR reads of instret see h->instret + i). */
#include "frontend/lift.h"
#include "frontend/fpu.h"
#include "frontend/lift_helpers.h"

#define MSTATUS_FS (3ull << 13)

uint32_t lift_flags(const Hart *h)
{
    uint64_t fs = h->mstatus & MSTATUS_FS;
    return (h->priv & LIFT_FLAG_PRIV_MASK) | (fs == 0 ? LIFT_FLAG_FS_OFF : 0) |
           (fs == MSTATUS_FS ? LIFT_FLAG_FS_DIRTY : 0) | ((h->frm & 7) << LIFT_FLAG_FRM_SHIFT) |
           ((uint32_t)h->tlb_ctx[MEM_READ] << LIFT_FLAG_TLB_SHIFT);
}

/* F/D instructions computed by a helper (the rest of F/D is inline or a fallback). */
static const void *const fp_helper[RV_OP_COUNT] = {
#define FP_ENTRY(name) [RV_OP_##name] = (const void *)lift_h_##name,
    LIFT_FP_HELPERS(FP_ENTRY)
#undef FP_ENTRY
};

/* The IR fp operation of a helper-computed instruction, plus one (0: none), so the
 * backend may compute its common cases inline. */
#define D(op) (IR_FP_##op + 1)
#define S(op) (IR_FP_##op + IR_FP_SINGLE + 1)
static const uint8_t fp_ir_op[RV_OP_COUNT] = {
    [RV_OP_fadd_d] = D(ADD), [RV_OP_fsub_d] = D(SUB), [RV_OP_fmul_d] = D(MUL),
    [RV_OP_fdiv_d] = D(DIV), [RV_OP_fsqrt_d] = D(SQRT), [RV_OP_fmadd_d] = D(MADD),
    [RV_OP_fmsub_d] = D(MSUB), [RV_OP_fnmsub_d] = D(NMSUB), [RV_OP_fnmadd_d] = D(NMADD),
    [RV_OP_fmin_d] = D(MIN), [RV_OP_fmax_d] = D(MAX), [RV_OP_feq_d] = D(EQ),
    [RV_OP_flt_d] = D(LT), [RV_OP_fle_d] = D(LE), [RV_OP_fcvt_d_w] = D(FROM_I32),
    [RV_OP_fcvt_d_wu] = D(FROM_U32), [RV_OP_fcvt_d_l] = D(FROM_I64), [RV_OP_fcvt_d_lu] = D(FROM_U64),
    [RV_OP_fcvt_w_d] = D(TO_I32), [RV_OP_fcvt_wu_d] = D(TO_U32), [RV_OP_fcvt_l_d] = D(TO_I64),
    [RV_OP_fcvt_lu_d] = D(TO_U64), [RV_OP_fcvt_s_d] = D(CVT),
    [RV_OP_fadd_s] = S(ADD), [RV_OP_fsub_s] = S(SUB), [RV_OP_fmul_s] = S(MUL),
    [RV_OP_fdiv_s] = S(DIV), [RV_OP_fsqrt_s] = S(SQRT), [RV_OP_fmadd_s] = S(MADD),
    [RV_OP_fmsub_s] = S(MSUB), [RV_OP_fnmsub_s] = S(NMSUB), [RV_OP_fnmadd_s] = S(NMADD),
    [RV_OP_fmin_s] = S(MIN), [RV_OP_fmax_s] = S(MAX), [RV_OP_feq_s] = S(EQ),
    [RV_OP_flt_s] = S(LT), [RV_OP_fle_s] = S(LE), [RV_OP_fcvt_s_w] = S(FROM_I32),
    [RV_OP_fcvt_s_wu] = S(FROM_U32), [RV_OP_fcvt_s_l] = S(FROM_I64), [RV_OP_fcvt_s_lu] = S(FROM_U64),
    [RV_OP_fcvt_w_s] = S(TO_I32), [RV_OP_fcvt_wu_s] = S(TO_U32), [RV_OP_fcvt_l_s] = S(TO_I64),
    [RV_OP_fcvt_lu_s] = S(TO_U64), [RV_OP_fcvt_d_s] = S(CVT),
};
#undef D
#undef S
_Static_assert((int)RV_RM_RNE == (int)IR_FP_RNE && (int)RV_RM_RTZ == (int)IR_FP_RTZ, "IR rounding modes are RISC-V's");

typedef struct Lifter {
    IrBlock *b;
    const LiftBlock *lb;
    uint32_t i;           /* current instruction */
    const RvInsn *d;
    uint64_t pc;
    /* The last if-converted branch (LiftArms): whether it is taken (IR_NONE: none
     * yet), and the last instruction of its fall-through and of its taken arm. */
    IrRef taken;
    uint32_t fall_end, taken_end;
} Lifter;

static IrRef x_read(Lifter *l, unsigned r) { return r == 0 ? ir_const(l->b, 0) : ir_get(l->b, LIFT_SLOT_X(r)); }
static void x_write(Lifter *l, unsigned r, IrRef v)
{
    if (r == 0)
        return;
    if (l->taken != IR_NONE && l->i <= l->fall_end)
        v = ir_select(l->b, l->taken, ir_get(l->b, LIFT_SLOT_X(r)), v);
    else if (l->taken != IR_NONE && l->i <= l->taken_end)
        v = ir_select(l->b, l->taken, v, ir_get(l->b, LIFT_SLOT_X(r)));
    ir_set(l->b, LIFT_SLOT_X(r), v);
}
static IrRef f_read(Lifter *l, unsigned r) { return ir_get(l->b, LIFT_SLOT_F(r)); }
static IrRef k(Lifter *l, int64_t v) { return ir_const(l->b, v); }
static IrRef rs1(Lifter *l) { return x_read(l, l->d->rs1); }
static IrRef rs2(Lifter *l) { return x_read(l, l->d->rs2); }
static uint64_t next_pc(const Lifter *l) { return l->pc + l->d->len; }

/* Adds the instructions completed by the block to instret; precedes every terminator. */
static void count_insns(Lifter *l)
{
    IrRef n = ir_binop(l->b, IR_OP_add, ir_get(l->b, LIFT_SLOT_INSTRET), k(l, l->i + 1));
    ir_set(l->b, LIFT_SLOT_INSTRET, n);
}

static void fallback(Lifter *l)
{
    InterpInsn *in = l->lb->fallback[l->i];
    interp_prepare(&in[0], l->d, l->pc, l->i);
    interp_prepare_end(&in[1]);
    ir_call_insn(l->b, (const void *)in[0].fn, in);
}

/* ---- integer ---- */
static bool lift_alu(Lifter *l)
{
    IrBlock *b = l->b;
    const RvInsn *d = l->d;
    IrRef r;
#define BIN(op, x, y) ir_binop(b, IR_OP_##op, (x), (y))
#define IMM k(l, d->imm)
    switch (d->op) {
    case RV_OP_lui: r = IMM; break;
    case RV_OP_auipc: r = k(l, (int64_t)(l->pc + (uint64_t)d->imm)); break;
    case RV_OP_addi: r = BIN(add, rs1(l), IMM); break;
    case RV_OP_slti: r = ir_setcc(b, IR_COND_LT, rs1(l), IMM); break;
    case RV_OP_sltiu: r = ir_setcc(b, IR_COND_LTU, rs1(l), IMM); break;
    case RV_OP_xori: r = BIN(xor, rs1(l), IMM); break;
    case RV_OP_ori: r = BIN(or, rs1(l), IMM); break;
    case RV_OP_andi: r = BIN(and, rs1(l), IMM); break;
    case RV_OP_slli: r = BIN(shl, rs1(l), IMM); break;
    case RV_OP_srli: r = BIN(shr, rs1(l), IMM); break;
    case RV_OP_srai: r = BIN(sar, rs1(l), IMM); break;
    case RV_OP_add: r = BIN(add, rs1(l), rs2(l)); break;
    case RV_OP_sub: r = BIN(sub, rs1(l), rs2(l)); break;
    case RV_OP_sll: r = BIN(shl, rs1(l), rs2(l)); break;
    case RV_OP_slt: r = ir_setcc(b, IR_COND_LT, rs1(l), rs2(l)); break;
    case RV_OP_sltu: r = ir_setcc(b, IR_COND_LTU, rs1(l), rs2(l)); break;
    case RV_OP_xor: r = BIN(xor, rs1(l), rs2(l)); break;
    case RV_OP_srl: r = BIN(shr, rs1(l), rs2(l)); break;
    case RV_OP_sra: r = BIN(sar, rs1(l), rs2(l)); break;
    case RV_OP_or: r = BIN(or, rs1(l), rs2(l)); break;
    case RV_OP_and: r = BIN(and, rs1(l), rs2(l)); break;
    case RV_OP_addiw: r = BIN(add32, rs1(l), IMM); break;
    case RV_OP_slliw: r = BIN(shl32, rs1(l), IMM); break;
    case RV_OP_srliw: r = BIN(shr32, rs1(l), IMM); break;
    case RV_OP_sraiw: r = BIN(sar32, rs1(l), IMM); break;
    case RV_OP_addw: r = BIN(add32, rs1(l), rs2(l)); break;
    case RV_OP_subw: r = BIN(sub32, rs1(l), rs2(l)); break;
    case RV_OP_sllw: r = BIN(shl32, rs1(l), rs2(l)); break;
    case RV_OP_srlw: r = BIN(shr32, rs1(l), rs2(l)); break;
    case RV_OP_sraw: r = BIN(sar32, rs1(l), rs2(l)); break;
    case RV_OP_mul: r = BIN(mul, rs1(l), rs2(l)); break;
    case RV_OP_mulh: r = BIN(mulh, rs1(l), rs2(l)); break;
    case RV_OP_mulhu: r = BIN(mulhu, rs1(l), rs2(l)); break;
    case RV_OP_mulw: r = BIN(mul32, rs1(l), rs2(l)); break;
    case RV_OP_div: r = BIN(div, rs1(l), rs2(l)); break;
    case RV_OP_divu: r = BIN(divu, rs1(l), rs2(l)); break;
    case RV_OP_rem: r = BIN(rem, rs1(l), rs2(l)); break;
    case RV_OP_remu: r = BIN(remu, rs1(l), rs2(l)); break;
    case RV_OP_divw: r = BIN(div32, rs1(l), rs2(l)); break;
    case RV_OP_divuw: r = BIN(divu32, rs1(l), rs2(l)); break;
    case RV_OP_remw: r = BIN(rem32, rs1(l), rs2(l)); break;
    case RV_OP_remuw: r = BIN(remu32, rs1(l), rs2(l)); break;
    /* Zba */
    case RV_OP_sh1add: r = BIN(add, BIN(shl, rs1(l), k(l, 1)), rs2(l)); break;
    case RV_OP_sh2add: r = BIN(add, BIN(shl, rs1(l), k(l, 2)), rs2(l)); break;
    case RV_OP_sh3add: r = BIN(add, BIN(shl, rs1(l), k(l, 3)), rs2(l)); break;
    case RV_OP_add_uw: r = BIN(add, ir_unop(b, IR_OP_zext32, rs1(l)), rs2(l)); break;
    case RV_OP_sh1add_uw: r = BIN(add, BIN(shl, ir_unop(b, IR_OP_zext32, rs1(l)), k(l, 1)), rs2(l)); break;
    case RV_OP_sh2add_uw: r = BIN(add, BIN(shl, ir_unop(b, IR_OP_zext32, rs1(l)), k(l, 2)), rs2(l)); break;
    case RV_OP_sh3add_uw: r = BIN(add, BIN(shl, ir_unop(b, IR_OP_zext32, rs1(l)), k(l, 3)), rs2(l)); break;
    case RV_OP_slli_uw: r = BIN(shl, ir_unop(b, IR_OP_zext32, rs1(l)), IMM); break;
    /* Zbb (the simple ones) */
    case RV_OP_andn: r = BIN(and, rs1(l), BIN(xor, rs2(l), k(l, -1))); break;
    case RV_OP_orn: r = BIN(or, rs1(l), BIN(xor, rs2(l), k(l, -1))); break;
    case RV_OP_xnor: r = BIN(xor, BIN(xor, rs1(l), rs2(l)), k(l, -1)); break;
    case RV_OP_sext_b: r = ir_unop(b, IR_OP_sext8, rs1(l)); break;
    case RV_OP_sext_h: r = ir_unop(b, IR_OP_sext16, rs1(l)); break;
    case RV_OP_zext_h: r = ir_unop(b, IR_OP_zext16, rs1(l)); break;
    case RV_OP_rol: r = BIN(rol, rs1(l), rs2(l)); break;
    case RV_OP_ror: r = BIN(rol, rs1(l), BIN(sub, k(l, 0), rs2(l))); break;
    case RV_OP_rori: r = BIN(rol, rs1(l), k(l, (64 - d->imm) & 63)); break;
    case RV_OP_rolw: r = BIN(rol32, rs1(l), rs2(l)); break;
    case RV_OP_rorw: r = BIN(rol32, rs1(l), BIN(sub, k(l, 0), rs2(l))); break;
    case RV_OP_roriw: r = BIN(rol32, rs1(l), k(l, (32 - d->imm) & 31)); break;
    /* Zbs */
    case RV_OP_bset: r = BIN(or, rs1(l), BIN(shl, k(l, 1), rs2(l))); break;
    case RV_OP_bclr: r = BIN(and, rs1(l), BIN(xor, BIN(shl, k(l, 1), rs2(l)), k(l, -1))); break;
    case RV_OP_binv: r = BIN(xor, rs1(l), BIN(shl, k(l, 1), rs2(l))); break;
    case RV_OP_bext: r = BIN(and, BIN(shr, rs1(l), rs2(l)), k(l, 1)); break;
    case RV_OP_bseti: r = BIN(or, rs1(l), k(l, (int64_t)(1ull << d->imm))); break;
    case RV_OP_bclri: r = BIN(and, rs1(l), k(l, (int64_t)~(1ull << d->imm))); break;
    case RV_OP_binvi: r = BIN(xor, rs1(l), k(l, (int64_t)(1ull << d->imm))); break;
    case RV_OP_bexti: r = BIN(and, BIN(shr, rs1(l), IMM), k(l, 1)); break;
    default:
        return false;
    }
#undef BIN
#undef IMM
    x_write(l, d->rd, r);
    return true;
}

static bool lift_mem(Lifter *l)
{
    static const uint8_t kind[RV_OP_COUNT] = {
        [RV_OP_lb] = IR_MEM_8 | IR_MEM_SIGNED, [RV_OP_lh] = IR_MEM_16 | IR_MEM_SIGNED,
        [RV_OP_lw] = IR_MEM_32 | IR_MEM_SIGNED, [RV_OP_ld] = IR_MEM_64, [RV_OP_lbu] = IR_MEM_8,
        [RV_OP_lhu] = IR_MEM_16, [RV_OP_lwu] = IR_MEM_32, [RV_OP_sb] = IR_MEM_8,
        [RV_OP_sh] = IR_MEM_16, [RV_OP_sw] = IR_MEM_32, [RV_OP_sd] = IR_MEM_64,
    };
    const RvInsn *d = l->d;
    RvFormat f = rv_insn_info[d->op].format;
    if (f == RV_FMT_LOAD)
        x_write(l, d->rd, ir_load(l->b, kind[d->op], rs1(l), d->imm));
    else if (f == RV_FMT_STORE)
        ir_store(l->b, kind[d->op], rs1(l), d->imm, rs2(l));
    else
        return false;
    return true;
}

/* fence: the orderings it asks for (device input and output count as loads and
 * stores); fence.tso (fm 8) leaves stores free to pass later loads. No ordering
 * (a hint such as fence w,0) emits nothing. */
static bool lift_fence(Lifter *l)
{
    const RvInsn *d = l->d;
    if (d->op != RV_OP_fence)
        return false;
    enum { W = 1, R = 2, O = 4, I = 8 };
    unsigned pred = d->fence >> 4, succ = d->fence & 15;
    bool pl = pred & (R | I), ps = pred & (W | O), sl = succ & (R | I), ss = succ & (W | O);
    uint8_t order = (uint8_t)((pl && sl ? IR_FENCE_LL : 0) | (pl && ss ? IR_FENCE_LS : 0) |
                              (ps && sl && d->rm != 8 ? IR_FENCE_SL : 0) | (ps && ss ? IR_FENCE_SS : 0));
    if (order)
        ir_fence(l->b, order);
    return true;
}

/* Control transfers end the block: count, then the terminator (a jal the block
 * followed only links, a jalr it followed leaves unless its target is the predicted
 * one, a branch it runs on past is a side exit: see LiftBlock). */
static bool lift_jump(Lifter *l)
{
    static const IrCond cond[RV_OP_COUNT] = {
        [RV_OP_beq] = IR_COND_EQ, [RV_OP_bne] = IR_COND_NE, [RV_OP_blt] = IR_COND_LT,
        [RV_OP_bge] = IR_COND_GE, [RV_OP_bltu] = IR_COND_LTU, [RV_OP_bgeu] = IR_COND_GEU,
    };
    const RvInsn *d = l->d;
    uint64_t target = l->pc + (uint64_t)d->imm;
    switch (rv_insn_info[d->op].format) {
    case RV_FMT_J:
        x_write(l, d->rd, k(l, (int64_t)next_pc(l)));
        if (l->i + 1 < l->lb->n)
            return true;
        count_insns(l);
        ir_goto_tb(l->b, target);
        return true;
    case RV_FMT_JALR: {
        IrRef t = ir_binop(l->b, IR_OP_and, ir_binop(l->b, IR_OP_add, rs1(l), k(l, d->imm)), k(l, -2));
        x_write(l, d->rd, k(l, (int64_t)next_pc(l)));
        if (l->i + 1 < l->lb->n) { /* followed: the next instruction is the predicted target */
            ir_guard_ind(l->b, t, l->lb->pc[l->i + 1], l->i + 1);
            return true;
        }
        count_insns(l);
        ir_jump_ind(l->b, t);
        return true;
    }
    case RV_FMT_BRANCH: {
        IrRef a = rs1(l), c = rs2(l);
        if (lift_if_converted(l->lb->arms, l->i, l->lb->n)) {
            const LiftArms *arms = &l->lb->arms[l->i];
            l->taken = ir_setcc(l->b, cond[d->op], a, c);
            l->fall_end = l->i + arms->fall;
            l->taken_end = l->fall_end + arms->taken;
            /* instret counts every instruction of the block at its end: take back
             * now the arm that does not run */
            IrRef idle = ir_select(l->b, l->taken, k(l, arms->fall), k(l, arms->taken));
            ir_set(l->b, LIFT_SLOT_INSTRET, ir_binop(l->b, IR_OP_sub, ir_get(l->b, LIFT_SLOT_INSTRET), idle));
            return true;
        }
        if (l->i + 1 < l->lb->n) { /* followed: the next instruction is the fall-through */
            /* A branch to the next instruction (Linux's static keys) goes on either
             * way: leaving the block there would end it early for nothing. */
            if (target != next_pc(l))
                ir_exit_if(l->b, cond[d->op], a, c, target, l->i + 1);
            return true;
        }
        count_insns(l);
        ir_brcond(l->b, cond[d->op], a, c, target, next_pc(l));
        return true;
    }
    default:
        return false;
    }
}

/* ---- floating point ---- */
static void fs_dirty(Lifter *l)
{
    if (l->lb->flags & LIFT_FLAG_FS_DIRTY)
        return;
    IrRef m = ir_get(l->b, LIFT_SLOT_MSTATUS);
    ir_set(l->b, LIFT_SLOT_MSTATUS, ir_binop(l->b, IR_OP_or, m, k(l, (int64_t)MSTATUS_FS)));
}

static IrRef box_s(Lifter *l, IrRef v)
{
    return ir_binop(l->b, IR_OP_or, ir_unop(l->b, IR_OP_zext32, v), k(l, (int64_t)0xffffffff00000000ull));
}

/* The single in v (zero-extended), or the canonical NaN when v is not properly boxed:
 * ((zext32(v) ^ NaN) & all-ones-if-boxed) ^ NaN, without a branch. */
static IrRef unbox_s(Lifter *l, IrRef v)
{
    IrBlock *b = l->b;
    IrRef boxed = ir_setcc(b, IR_COND_EQ, ir_binop(b, IR_OP_shr, v, k(l, 32)), k(l, 0xffffffff));
    IrRef mask = ir_binop(b, IR_OP_sub, k(l, 0), boxed);
    IrRef t = ir_binop(b, IR_OP_xor, ir_unop(b, IR_OP_zext32, v), k(l, FPU_CANON_NAN_S));
    return ir_binop(b, IR_OP_xor, ir_binop(b, IR_OP_and, t, mask), k(l, FPU_CANON_NAN_S));
}

/* fsgnj.s, fsgnjn.s, fsgnjx.s: bit operations on the unboxed values. */
static IrRef sign_inject_s(Lifter *l)
{
    IrBlock *b = l->b;
    const RvInsn *d = l->d;
    IrRef a = unbox_s(l, f_read(l, d->rs1));
    IrRef c = d->rs2 == d->rs1 ? a : unbox_s(l, f_read(l, d->rs2));
    if (d->op == RV_OP_fsgnjn_s)
        c = ir_binop(b, IR_OP_xor, c, k(l, -1));
    IrRef sign = ir_binop(b, IR_OP_and, c, k(l, 0x80000000));
    if (d->op == RV_OP_fsgnjx_s)
        return box_s(l, ir_binop(b, IR_OP_xor, a, sign));
    return box_s(l, ir_binop(b, IR_OP_or, ir_binop(b, IR_OP_and, a, k(l, 0x7fffffff)), sign));
}

/* Resolved rounding mode, or -1 when it is reserved (the fallback raises illegal). */
static int rounding(const Lifter *l)
{
    unsigned rm = l->d->rm == RV_RM_DYN ? (l->lb->flags >> LIFT_FLAG_FRM_SHIFT) & 7 : l->d->rm;
    return rm > RV_RM_RMM ? -1 : (int)rm;
}

static bool has_rm(RvFormat f)
{
    return f == RV_FMT_FR_RM || f == RV_FMT_FR4 || f == RV_FMT_F2F_RM || f == RV_FMT_F2X_RM ||
           f == RV_FMT_X2F_RM;
}

static bool lift_fp(Lifter *l)
{
    const RvInsn *d = l->d;
    IrBlock *b = l->b;
    RvFormat f = rv_insn_info[d->op].format;
    int rm = has_rm(f) ? rounding(l) : 0;
    IrRef r;
    switch (d->op) {
    case RV_OP_flw:
        r = box_s(l, ir_load(b, IR_MEM_32, rs1(l), d->imm));
        break;
    case RV_OP_fld:
        r = ir_load(b, IR_MEM_64, rs1(l), d->imm);
        break;
    case RV_OP_fsw: case RV_OP_fsd:
        ir_store(b, d->op == RV_OP_fsw ? IR_MEM_32 : IR_MEM_64, rs1(l), d->imm, f_read(l, d->rs2));
        return true;
    case RV_OP_fmv_x_w:
        x_write(l, d->rd, ir_unop(b, IR_OP_sext32, f_read(l, d->rs1)));
        fs_dirty(l);
        return true;
    case RV_OP_fmv_x_d:
        x_write(l, d->rd, f_read(l, d->rs1));
        fs_dirty(l);
        return true;
    case RV_OP_fmv_w_x: r = box_s(l, rs1(l)); break;
    case RV_OP_fmv_d_x: r = rs1(l); break;
    case RV_OP_fsgnj_d:
        r = ir_binop(b, IR_OP_or, ir_binop(b, IR_OP_and, f_read(l, d->rs1), k(l, INT64_MAX)),
                     ir_binop(b, IR_OP_and, f_read(l, d->rs2), k(l, INT64_MIN)));
        break;
    case RV_OP_fsgnjn_d:
        r = ir_binop(b, IR_OP_or, ir_binop(b, IR_OP_and, f_read(l, d->rs1), k(l, INT64_MAX)),
                     ir_binop(b, IR_OP_and, ir_binop(b, IR_OP_xor, f_read(l, d->rs2), k(l, -1)),
                              k(l, INT64_MIN)));
        break;
    case RV_OP_fsgnj_s: case RV_OP_fsgnjn_s: case RV_OP_fsgnjx_s:
        r = sign_inject_s(l);
        break;
    case RV_OP_fsgnjx_d:
        r = ir_binop(b, IR_OP_xor, f_read(l, d->rs1),
                     ir_binop(b, IR_OP_and, f_read(l, d->rs2), k(l, INT64_MIN)));
        break;
    default: {
        const void *fn = fp_helper[d->op];
        if (!fn || rm < 0)
            return false;
        bool x_src = f == RV_FMT_X2F_RM;
        IrRef a = x_src ? rs1(l) : f_read(l, d->rs1);
        IrRef c2 = IR_NONE, c3 = IR_NONE;
        if (f == RV_FMT_FR_RM || f == RV_FMT_FR || f == RV_FMT_FR4 || f == RV_FMT_FCMP)
            c2 = f_read(l, d->rs2);
        if (f == RV_FMT_FR4)
            c3 = f_read(l, d->rs3);
        if (fp_ir_op[d->op])
            r = ir_fp(b, (uint8_t)(fp_ir_op[d->op] - 1), fn, a, c2, c3, (uint64_t)rm);
        else
            r = ir_call(b, false, fn, a, c2, c3, (uint64_t)rm);
        if (f == RV_FMT_FCMP || f == RV_FMT_F2X || f == RV_FMT_F2X_RM) {
            x_write(l, d->rd, r);
            fs_dirty(l);
            return true;
        }
        break;
    }
    }
    ir_set(b, LIFT_SLOT_F(d->rd), r);
    fs_dirty(l);
    return true;
}

static bool is_fp(const RvInsn *d)
{
    RvExt e = rv_insn_info[d->op].ext;
    return d->op != RV_OP_ILLEGAL && (e == RV_EXT_F || e == RV_EXT_D);
}

/* Lifts instruction l->i inline; false (nothing emitted) when it must fall back. */
static bool lift_one(Lifter *l)
{
    const RvInsn *d = l->d;
    if (d->op == RV_OP_ILLEGAL)
        return false;
    if (is_fp(d))
        return !(l->lb->flags & LIFT_FLAG_FS_OFF) && lift_fp(l);
    return lift_alu(l) || lift_mem(l) || lift_fence(l) || lift_jump(l);
}

bool lift_can_predicate(const RvInsn *d)
{
    switch (d->op) {
    case RV_OP_div: case RV_OP_divu: case RV_OP_rem: case RV_OP_remu:
    case RV_OP_divw: case RV_OP_divuw: case RV_OP_remw: case RV_OP_remuw:
        return false;
    default:
        break;
    }
    /* lift_alu is the list of what is inline: ask it, into a scratch block */
    static _Thread_local IrBlock scratch;
    ir_block_init(&scratch);
    Lifter l = {.b = &scratch, .d = d, .taken = IR_NONE};
    return d->op != RV_OP_ILLEGAL && lift_alu(&l);
}

void lift_block(IrBlock *b, const LiftBlock *lb)
{
    Lifter l = {.b = b, .lb = lb, .taken = IR_NONE};
    for (l.i = 0; l.i < lb->n; l.i++) {
        l.d = &lb->insn[l.i];
        l.pc = lb->pc[l.i];
        ir_insn_start(b, l.i);
        uint32_t before = b->n;
        if (lift_one(&l)) {
            if (ir_op_info[b->insn[b->n - 1].op].flags & IR_F_TERM)
                return;
            continue;
        }
        b->n = before; /* an op that bailed out may have emitted operand reads */
        fallback(&l);
        if (rv_insn_ends_block(l.d)) {
            count_insns(&l);
            ir_exit(b, next_pc(&l));
            return;
        }
    }
    l.i = lb->n - 1;
    count_insns(&l);
    ir_goto_tb(b, lb->end_pc);
}
