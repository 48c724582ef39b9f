/* x86-64 code for the IR fp op (QEMU's "hardfloat"): the host SSE/FMA instruction
 * where it gives the helper's exact result and flags, and an out-of-line call of the
 * helper for everything else.
 *
 * Why the inline cases are exact: SSE computes every IEEE operation correctly rounded
 * in the MXCSR mode, which generated code keeps at its default (round to nearest even,
 * no flush-to-zero, every exception masked), and raises IEEE's flags for it, detecting
 * tininess after rounding as RISC-V does (the underflow flag then means tiny and
 * inexact on both). The host's sticky MXCSR flags are the guest's: they are cleared
 * when generated code is entered and after the instruction fallback (which may write
 * the guest's flags), and ORed into the guest's flags word at every exit and before
 * the fallback (x64_emit.c). What differs from RISC-V is NaNs (x86 propagates an
 * operand's payload, RISC-V returns the canonical NaN), min/max, compares and
 * out-of-range conversions to integer. So each inline case goes slow when
 *   - arithmetic (+ - * / sqrt fma, narrowing): the rounding mode is not RNE, or the
 *     result is a NaN. x86 raises invalid only where RISC-V does (signalling NaN
 *     operands, inf - inf, 0 * inf ...), so the helper, which raises the RISC-V flags,
 *     adds what the host missed (fma's inf * 0 + quiet NaN).
 *   - min/max, compares: an operand is a NaN (ucomis raises invalid only for a
 *     signalling one, as both helpers do). Equal operands are the same number, or
 *     zeros whose min is their OR and max their AND (-0 < +0).
 *   - conversions to integer: out of range (the host raises invalid alone, as
 *     RISC-V does, and answers INT_MIN where RISC-V saturates). Unsigned ones test
 *     the range before converting, so no host flag is raised for a case that goes slow.
 * Singles are NaN-boxed in their 64-bit values; a badly boxed operand goes slow before
 * any host instruction. */
#include "backend-x86_64/x64_emit_internal.h"

enum { X0 = 0, X1 = 1, X2 = 2 }; /* xmm scratch */

typedef struct FpCtx {
    Emitter *e;
    CodeBuf *c;
    const IrInsn *in;
    bool dbl;          /* binary64 (operands; the result for FROM_*) */
    bool in_x0;        /* the fast path left its result in xmm0, not rax */
    uint32_t slow;     /* label of the helper call */
} FpCtx;

static void go_slow_if(FpCtx *f, X64Cond cc) { x64_jcc_label(f->c, &f->e->labels, cc, f->slow); }

/* xmm = operand k as a float of the op's operand format (rax, rcx scratch). */
static void load(FpCtx *f, int xmm, unsigned k, bool dbl)
{
    int g = reg_of(f->e, f->in->arg[k], X64_RAX);
    if (!dbl) { /* the high half must be all ones */
        x64_mov_rr(f->c, true, X64_RCX, g);
        x64_shift_ri(f->c, X64_SHR, true, X64_RCX, 32);
        x64_alu_ri(f->c, X64_CMP, false, X64_RCX, -1);
        go_slow_if(f, X64_CC_NE);
    }
    x64_movq_xr(f->c, dbl, xmm, g);
}

/* rax = xmm0, NaN-boxed if a single. */
static void rax_from_x0(FpCtx *f, bool dbl)
{
    x64_movq_rx(f->c, dbl, X64_RAX, X0);
    if (!dbl) {
        x64_mov_ri(f->c, X64_RCX, 0xffffffff00000000ull);
        x64_alu_rr(f->c, X64_OR, true, X64_RAX, X64_RCX);
    }
}

/* The result is xmm0 (a double), or rax = xmm0 NaN-boxed (a single); goes slow if it
 * is a NaN. */
static void result_not_nan(FpCtx *f, bool dbl)
{
    CodeBuf *c = f->c;
    x64_ucomis_rr(c, dbl, X0, X0);
    go_slow_if(f, X64_CC_P);
    if (dbl)
        f->in_x0 = true;
    else
        rax_from_x0(f, false);
}

static bool arith(FpCtx *f, unsigned op)
{
    static const X64Sse sse[] = {
        [IR_FP_ADD] = X64_SSE_ADD, [IR_FP_SUB] = X64_SSE_SUB, [IR_FP_MUL] = X64_SSE_MUL,
        [IR_FP_DIV] = X64_SSE_DIV, [IR_FP_SQRT] = X64_SSE_SQRT,
    };
    if (f->in->imm2 != IR_FP_RNE)
        return false;
    load(f, X0, 0, f->dbl);
    if (op == IR_FP_SQRT) {
        x64_sse_rr(f->c, X64_SSE_SQRT, f->dbl, X0, X0);
    } else {
        load(f, X1, 1, f->dbl);
        x64_sse_rr(f->c, sse[op], f->dbl, X0, X1);
    }
    result_not_nan(f, f->dbl);
    return true;
}

static bool fused(FpCtx *f, unsigned op)
{
    /* x86 names the negated-product forms the other way round */
    static const X64Fma kind[] = {
        [IR_FP_MADD] = X64_FMADD, [IR_FP_MSUB] = X64_FMSUB,
        [IR_FP_NMSUB] = X64_FNMADD, [IR_FP_NMADD] = X64_FNMSUB,
    };
    if (f->in->imm2 != IR_FP_RNE || !f->e->be->has_fma)
        return false;
    load(f, X1, 0, f->dbl);
    load(f, X2, 1, f->dbl);
    load(f, X0, 2, f->dbl);
    x64_vfma231(f->c, kind[op], f->dbl, X0, X1, X2);
    result_not_nan(f, f->dbl);
    return true;
}

/* rax = min or max of two non-NaN operands. */
static bool min_max(FpCtx *f, bool is_min)
{
    CodeBuf *c = f->c;
    load(f, X0, 0, f->dbl);
    load(f, X1, 1, f->dbl);
    int ga = reg_of(f->e, f->in->arg[0], X64_RDX);
    int gb = reg_of(f->e, f->in->arg[1], X64_RCX);
    x64_mov_rr(c, true, X64_RAX, ga); /* the equal case: same bits, or zeros */
    x64_alu_rr(c, is_min ? X64_OR : X64_AND, true, X64_RAX, gb);
    x64_ucomis_rr(c, f->dbl, X0, X1);
    go_slow_if(f, X64_CC_P);
    x64_cmov_rr(c, X64_CC_A, true, X64_RAX, is_min ? gb : ga);
    x64_cmov_rr(c, X64_CC_B, true, X64_RAX, is_min ? ga : gb);
    return true;
}

static bool compare(FpCtx *f, X64Cond cc)
{
    load(f, X0, 0, f->dbl);
    load(f, X1, 1, f->dbl);
    x64_ucomis_rr(f->c, f->dbl, X0, X1);
    go_slow_if(f, X64_CC_P);
    x64_setcc(f->c, cc, X64_RAX);
    x64_movzx_rr(f->c, 8, X64_RAX, X64_RAX);
    return true;
}

/* Integer operand to FP, in RNE (the host raises inexact when it rounds), or in any
 * mode when every value converts exactly (32-bit integers to double). */
static bool from_int(FpCtx *f, unsigned op)
{
    CodeBuf *c = f->c;
    bool w = op != IR_FP_FROM_I32;
    bool always_exact = f->dbl && (op == IR_FP_FROM_I32 || op == IR_FP_FROM_U32);
    if (f->in->imm2 != IR_FP_RNE && !always_exact)
        return false;
    int g = reg_of(f->e, f->in->arg[0], X64_RDX);
    if (op == IR_FP_FROM_U32) {
        x64_mov_rr(c, false, X64_RDX, g); /* zero-extends: an int64 conversion is exact */
        g = X64_RDX;
    } else if (op == IR_FP_FROM_U64) {
        x64_test_rr(c, true, g, g);
        go_slow_if(f, X64_CC_S);
    }
    x64_cvtsi2s(c, f->dbl, w, X0, g);
    rax_from_x0(f, f->dbl);
    return true;
}

/* Goes slow unless 0 <= xmm0 < bound (not a NaN), raising no flag for a number. */
static void need_in_unsigned_range(FpCtx *f, double bound)
{
    CodeBuf *c = f->c;
    uint64_t bits;
    if (f->dbl) {
        memcpy(&bits, &bound, 8);
    } else {
        float b32 = (float)bound;
        uint32_t u;
        memcpy(&u, &b32, 4);
        bits = u;
    }
    x64_alu_rr(c, X64_XOR, false, X64_RCX, X64_RCX);
    x64_movq_xr(c, f->dbl, X1, X64_RCX);
    x64_ucomis_rr(c, f->dbl, X0, X1);
    go_slow_if(f, X64_CC_B); /* below zero, or unordered */
    x64_mov_ri(c, X64_RCX, bits);
    x64_movq_xr(c, f->dbl, X1, X64_RCX);
    x64_ucomis_rr(c, f->dbl, X0, X1);
    go_slow_if(f, X64_CC_AE);
}

/* FP to integer, truncating (RTZ) or in the MXCSR mode (RNE); the host raises inexact
 * when it rounds. */
static bool to_int(FpCtx *f, unsigned op)
{
    CodeBuf *c = f->c;
    if (f->in->imm2 != IR_FP_RNE && f->in->imm2 != IR_FP_RTZ)
        return false;
    bool trunc = f->in->imm2 == IR_FP_RTZ;
    bool w = op != IR_FP_TO_I32; /* unsigned 32-bit results come from a 64-bit conversion */
    load(f, X0, 0, f->dbl);
    if (op == IR_FP_TO_U64) {
        need_in_unsigned_range(f, 0x1p63);
    } else if (op == IR_FP_TO_U32) {
        /* in RNE, 2^32 - 0.5 rounds (to even) out of range; no single lies between */
        need_in_unsigned_range(f, trunc || !f->dbl ? 0x1p32 : 0x1p32 - 0.5);
    }
    x64_cvts2si(c, f->dbl, w, trunc, X64_RAX, X0);
    if (op == IR_FP_TO_I32 || op == IR_FP_TO_I64) {
        /* the host's out-of-range answer (also for NaN) is INT_MIN: cmp 1 overflows */
        x64_alu_ri(c, X64_CMP, w, X64_RAX, 1);
        go_slow_if(f, X64_CC_O);
    }
    if (op == IR_FP_TO_I32 || op == IR_FP_TO_U32)
        x64_movsx_rr(c, 32, X64_RAX, X64_RAX);
    return true;
}

/* To the other format: widening is exact for non-NaN; narrowing is arithmetic. */
static bool convert(FpCtx *f)
{
    if (f->dbl) {
        if (f->in->imm2 != IR_FP_RNE)
            return false;
        load(f, X0, 0, true);
        x64_sse_rr(f->c, X64_SSE_CVT, true, X0, X0);
        result_not_nan(f, false);
        return true;
    }
    load(f, X0, 0, false);
    x64_ucomis_rr(f->c, false, X0, X0);
    go_slow_if(f, X64_CC_P);
    x64_sse_rr(f->c, X64_SSE_CVT, false, X0, X0);
    x64_movq_rx(f->c, true, X64_RAX, X0);
    return true;
}

/* Emits the inline case leaving the result in rax; false when there is none. */
static bool fast_path(FpCtx *f)
{
    unsigned op = f->in->aux & ~IR_FP_SINGLE;
    switch ((IrFpOp)op) {
    case IR_FP_ADD: case IR_FP_SUB: case IR_FP_MUL: case IR_FP_DIV: case IR_FP_SQRT:
        return arith(f, op);
    case IR_FP_MADD: case IR_FP_MSUB: case IR_FP_NMSUB: case IR_FP_NMADD:
        return fused(f, op);
    case IR_FP_MIN: return min_max(f, true);
    case IR_FP_MAX: return min_max(f, false);
    case IR_FP_EQ: return compare(f, X64_CC_E);
    case IR_FP_LT: return compare(f, X64_CC_B);
    case IR_FP_LE: return compare(f, X64_CC_BE);
    case IR_FP_FROM_I32: case IR_FP_FROM_U32: case IR_FP_FROM_I64: case IR_FP_FROM_U64:
        return from_int(f, op);
    case IR_FP_TO_I32: case IR_FP_TO_U32: case IR_FP_TO_I64: case IR_FP_TO_U64:
        return to_int(f, op);
    case IR_FP_CVT:
        return convert(f);
    default:
        return false;
    }
}

void x64_emit_fp(Emitter *e, const IrInsn *in)
{
    Deferred *d = defer(e, DEFER_FP);
    d->def = e->cur_def;
    d->dst = e->loc[e->cur_def];
    d->label = new_label(e);
    d->done = new_label(e);
    FpCtx f = {.e = e, .c = e->c, .in = in, .dbl = !(in->aux & IR_FP_SINGLE), .slow = d->label};
    /* The result register is written last: it may hold an operand the helper needs. */
    if (!fast_path(&f))
        x64_jmp_label(e->c, &e->labels, d->label);
    else if (f.in_x0)
        x64_movq_rx(e->c, true, d->dst, X0);
    else
        x64_mov_rr(e->c, true, d->dst, X64_RAX);
    bind(e, d->done);
}

void x64_emit_fp_slow(Emitter *e, const Deferred *d)
{
    CodeBuf *c = e->c;
    const IrInsn *in = &e->b->insn[d->def];
    uint32_t saved = e->be->regs.caller_saved;
    unsigned n = (unsigned)__builtin_popcount(saved);
    bind(e, d->label);
    /* The allocator keeps values in the caller-saved registers across this op: save
     * them around the call, keeping rsp 16-byte aligned. */
    for (int r = 0; r < 16; r++)
        if (saved & (1u << r))
            x64_push(c, r);
    if (n & 1)
        x64_alu_ri(c, X64_SUB, true, X64_RSP, 8);
    /* As for `call`: rcx, rdx (scratch) then rsi, so no source is overwritten first. */
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
    if (n & 1)
        x64_alu_ri(c, X64_ADD, true, X64_RSP, 8);
    for (int r = 16; r-- > 0;)
        if (saved & (1u << r))
            x64_pop(c, r);
    x64_mov_rr(c, true, d->dst, X64_RAX);
    x64_jmp_label(c, &e->labels, d->done);
}
