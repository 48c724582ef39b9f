/* x86-64 code for the IR fp op (QEMU's "hardfloat"): the host SSE/FMA instruction
 * where it provably gives the helper's exact result and flags, and an out-of-line
 * call of the helper for everything else.
 *
 * Why the inline cases are exact: SSE computes every IEEE operation correctly rounded
 * in the MXCSR mode, which rvx leaves at its default (round to nearest even, no
 * flush-to-zero; frontend/fpu.h requires it too), with the same NaN-free results as
 * the guest. What differs is flags, NaNs and tiny results, so each inline case goes
 * slow unless
 *   - arithmetic (+ - * / sqrt fma, narrowing): the rounding mode is RNE, the
 *     inexact flag is already accrued, and |result| is a normal number above the
 *     smallest one. Then every operand was finite, nothing overflowed or underflowed
 *     (the smallest normal may be rounded up from a tiny value: underflow) and no
 *     invalid operation happened, so the only flag the helper could raise is inexact,
 *     already set. The result check alone is enough: a NaN or infinite operand, a
 *     division by zero or an invalid operation never gives such a result.
 *   - min/max, compares: neither operand is a NaN (the host's unordered flag). Then
 *     the helper raises nothing; equal operands are the same number, or zeros whose
 *     min is their OR and max their AND (-0 < +0).
 *   - conversions: the result converts back to the operand exactly, or (to integer)
 *     in range with inexact already accrued; exact conversions raise nothing in any
 *     rounding mode.
 * On the way to the helper, + - * in RNE get a second chance: an exact result raises
 * no flag at all, inexact accrued or not (exact_attempt).
 * The host's own sticky MXCSR flags are never read (fpu.c saves and restores MXCSR
 * around the host instructions whose flags it needs).
 * Singles are NaN-boxed in their 64-bit values; a badly boxed operand goes slow. */
#include "backend-x86_64/x64_emit_internal.h"

enum { X0 = 0, X1 = 1, X2 = 2 }; /* xmm scratch */

typedef struct FpCtx {
    Emitter *e;
    CodeBuf *c;
    const IrInsn *in;
    bool dbl;          /* binary64 (operands; the result for FROM_*) */
    uint32_t slow;     /* label of the helper call */
} FpCtx;

static void go_slow_if(FpCtx *f, X64Cond cc) { x64_jcc_label(f->c, &f->e->labels, cc, f->slow); }

/* Goes slow unless the inexact flag is already accrued. */
static void need_inexact(FpCtx *f)
{
    const IrGuestAbi *abi = &f->e->be->abi;
    unsigned bit = (unsigned)__builtin_ctz(abi->fflag_inexact);
    x64_test8_mi(f->c, x64_mem(STATE, abi->fflags_off + (int32_t)(bit / 8)), (uint8_t)(1u << (bit % 8)));
    go_slow_if(f, X64_CC_E);
}

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

/* rax = xmm0 (NaN-boxed if single) after checking that its magnitude is a normal
 * number whose biased exponent is at least min_exp (1: above the smallest normal),
 * or, with zero_ok, a zero. For doubles the test looks at the high word only, so
 * results just above the bound go slow too (harmless, rare). */
static void result_at_least(FpCtx *f, bool dbl, int32_t min_exp, bool zero_ok)
{
    CodeBuf *c = f->c;
    uint32_t zero = zero_ok ? new_label(f->e) : 0;
    x64_movq_rx(c, dbl, X64_RAX, X0);
    int32_t lo, hi;
    if (dbl) {
        if (zero_ok) {
            x64_mov_rr(c, true, X64_RCX, X64_RAX);
            x64_alu_rr(c, X64_ADD, true, X64_RCX, X64_RCX); /* drops the sign; ZF: a zero */
            x64_jcc_label(c, &f->e->labels, X64_CC_E, zero);
        } else {
            x64_lea(c, X64_RCX, x64_mem_idx(X64_RAX, X64_RAX, 1, 0)); /* drops the sign */
        }
        x64_shift_ri(c, X64_SHR, true, X64_RCX, 33); /* |result| >> 32 */
        lo = (min_exp << 20) | 1;
        hi = 0x7ff00000;
    } else {
        x64_mov_rr(c, false, X64_RCX, X64_RAX);
        x64_alu_ri(c, X64_AND, false, X64_RCX, 0x7fffffff);
        if (zero_ok)
            x64_jcc_label(c, &f->e->labels, X64_CC_E, zero);
        lo = (min_exp << 23) | 1;
        hi = 0x7f800000;
    }
    /* lo <= |r| < hi (infinity), as one unsigned compare */
    x64_alu_ri(c, X64_SUB, false, X64_RCX, lo);
    x64_alu_ri(c, X64_CMP, false, X64_RCX, hi - lo);
    go_slow_if(f, X64_CC_AE);
    if (zero_ok)
        bind(f->e, zero);
    if (!dbl) {
        x64_mov_ri(c, X64_RCX, 0xffffffff00000000ull);
        x64_alu_rr(c, X64_OR, true, X64_RAX, X64_RCX);
    }
}

static void result_normal(FpCtx *f, bool dbl) { result_at_least(f, dbl, 1, false); }

/* For a sum or difference: a zero result passes too. Sums of floats are multiples of
 * the smallest subnormal, so a zero sum is the exact one and raises no flag. */
static void sum_normal_or_zero(FpCtx *f, bool dbl) { result_at_least(f, dbl, 1, true); }

static bool arith(FpCtx *f, unsigned op)
{
    static const X64Sse sse[] = {
        [IR_FP_ADD] = X64_SSE_ADD, [IR_FP_SUB] = X64_SSE_SUB, [IR_FP_MUL] = X64_SSE_MUL,
        [IR_FP_DIV] = X64_SSE_DIV, [IR_FP_SQRT] = X64_SSE_SQRT,
    };
    if (f->in->imm2 != IR_FP_RNE)
        return false;
    need_inexact(f);
    load(f, X0, 0, f->dbl);
    if (op == IR_FP_SQRT) {
        x64_sse_rr(f->c, X64_SSE_SQRT, f->dbl, X0, X0);
    } else {
        load(f, X1, 1, f->dbl);
        x64_sse_rr(f->c, sse[op], f->dbl, X0, X1);
    }
    if (op == IR_FP_ADD || op == IR_FP_SUB)
        sum_normal_or_zero(f, f->dbl);
    else
        result_normal(f, f->dbl);
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
    need_inexact(f);
    load(f, X1, 0, f->dbl);
    load(f, X2, 1, f->dbl);
    load(f, X0, 2, f->dbl);
    x64_vfma231(f->c, kind[op], f->dbl, X0, X1, X2);
    result_normal(f, f->dbl);
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

/* Integer operand to FP: exact (checked by converting back) or slow. */
static bool from_int(FpCtx *f, unsigned op)
{
    CodeBuf *c = f->c;
    bool w = op != IR_FP_FROM_I32;
    int g = reg_of(f->e, f->in->arg[0], X64_RDX);
    if (op == IR_FP_FROM_U32) {
        x64_mov_rr(c, false, X64_RDX, g); /* zero-extends: an int64 conversion is exact */
        g = X64_RDX;
    } else if (op == IR_FP_FROM_U64) {
        x64_test_rr(c, true, g, g);
        go_slow_if(f, X64_CC_S);
    }
    x64_cvtsi2s(c, f->dbl, w, X0, g);
    if (!f->dbl || w) { /* only int32 -> double is always exact */
        x64_cvts2si(c, f->dbl, w, true, X64_RAX, X0);
        x64_alu_rr(c, X64_CMP, w, X64_RAX, g);
        go_slow_if(f, X64_CC_NE);
    }
    x64_movq_rx(c, f->dbl, X64_RAX, X0);
    if (!f->dbl) {
        x64_mov_ri(c, X64_RCX, 0xffffffff00000000ull);
        x64_alu_rr(c, X64_OR, true, X64_RAX, X64_RCX);
    }
    return true;
}

/* FP to integer, truncating (RTZ) or in the MXCSR mode (RNE). */
static bool to_int(FpCtx *f, unsigned op)
{
    CodeBuf *c = f->c;
    if (f->in->imm2 != IR_FP_RNE && f->in->imm2 != IR_FP_RTZ)
        return false;
    bool trunc = f->in->imm2 == IR_FP_RTZ;
    bool w = op != IR_FP_TO_I32; /* unsigned 32-bit results come from a 64-bit conversion */
    load(f, X0, 0, f->dbl);
    x64_cvts2si(c, f->dbl, w, trunc, X64_RAX, X0);
    if (op == IR_FP_TO_I32 || op == IR_FP_TO_I64) {
        /* the host's out-of-range answer (also for NaN) is INT_MIN: cmp 1 overflows */
        x64_alu_ri(c, X64_CMP, w, X64_RAX, 1);
        go_slow_if(f, X64_CC_O);
    } else {
        x64_test_rr(c, true, X64_RAX, X64_RAX); /* negative or out of range */
        go_slow_if(f, X64_CC_S);
        if (op == IR_FP_TO_U32) {
            x64_mov_rr(c, true, X64_RCX, X64_RAX);
            x64_shift_ri(c, X64_SHR, true, X64_RCX, 32);
            go_slow_if(f, X64_CC_NE);
        }
    }
    /* exact unless converting back differs; an inexact result needs inexact accrued */
    uint32_t exact = new_label(f->e);
    x64_cvtsi2s(c, f->dbl, w, X1, X64_RAX);
    x64_ucomis_rr(c, f->dbl, X0, X1);
    x64_jcc_label(c, &f->e->labels, X64_CC_E, exact);
    need_inexact(f);
    bind(f->e, exact);
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
        need_inexact(f);
        load(f, X0, 0, true);
        x64_sse_rr(f->c, X64_SSE_CVT, true, X0, X0);
        result_normal(f, false);
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
    if (fast_path(&f))
        x64_mov_rr(e->c, true, d->dst, X64_RAX);
    else
        x64_jmp_label(e->c, &e->labels, d->label);
    bind(e, d->done);
}

/* Goes to the helper unless the float in xmm `x` is zero (either sign). */
static void need_zero(FpCtx *f, int x)
{
    x64_movq_rx(f->c, f->dbl, X64_RCX, x);
    x64_alu_rr(f->c, X64_ADD, f->dbl, X64_RCX, X64_RCX); /* drops the sign */
    go_slow_if(f, X64_CC_NE);
}

/* The first thing on the way to the helper, for + - * in RNE: the result may still be
 * exact, and then it needs no flag at all, accrued inexact or not (code that only adds
 * and multiplies integer-valued doubles never sets it). Exactness is tested with the
 * error term: TwoSum for + and -, and the FMA residue a*b - s for *, which is exact
 * only when no underflow hides it: hence the product's stricter bound, 2^(emin + 2p).
 * Leaves the result in rax, or goes on to the helper (f->slow). */
static bool exact_attempt(FpCtx *f)
{
    enum { X3 = 3, X4 = 4, X5 = 5 };
    CodeBuf *c = f->c;
    unsigned op = f->in->aux & ~IR_FP_SINGLE;
    bool dbl = f->dbl;
    if (f->in->imm2 != IR_FP_RNE ||
        !(op == IR_FP_ADD || op == IR_FP_SUB || (op == IR_FP_MUL && f->e->be->has_fma)))
        return false;
    load(f, X0, 0, dbl); /* a */
    load(f, X1, 1, dbl); /* b */
    x64_sse_rr(c, X64_SSE_MOV, dbl, X2, X0);
    if (op == IR_FP_MUL) {
        x64_sse_rr(c, X64_SSE_MUL, dbl, X2, X1);                     /* s = a * b */
        x64_sse_rr(c, X64_SSE_MOV, dbl, X3, X2);
        x64_vfma231(c, X64_FMSUB, dbl, X3, X0, X1);              /* a * b - s, rounded once */
        need_zero(f, X3);
    } else {
        bool add = op == IR_FP_ADD;
        x64_sse_rr(c, add ? X64_SSE_ADD : X64_SSE_SUB, dbl, X2, X1); /* s = a ± b */
        x64_sse_rr(c, X64_SSE_MOV, dbl, X3, X2);
        x64_sse_rr(c, X64_SSE_SUB, dbl, X3, X0);                     /* t = s - a */
        x64_sse_rr(c, X64_SSE_MOV, dbl, X4, X2);
        x64_sse_rr(c, X64_SSE_SUB, dbl, X4, X3);                     /* s - t */
        x64_sse_rr(c, X64_SSE_MOV, dbl, X5, X0);
        x64_sse_rr(c, X64_SSE_SUB, dbl, X5, X4);                     /* a - (s - t) */
        /* add: b - t; sub: the error of a + (-b) is (a - (s - t)) - (b + t) */
        x64_sse_rr(c, add ? X64_SSE_SUB : X64_SSE_ADD, dbl, X1, X3);
        x64_sse_rr(c, add ? X64_SSE_ADD : X64_SSE_SUB, dbl, X5, X1);
        need_zero(f, X5);
    }
    x64_sse_rr(c, X64_SSE_MOV, dbl, X0, X2);
    if (op == IR_FP_MUL)
        result_at_least(f, dbl, dbl ? 1 + 2 * 53 : 1 + 2 * 24, false);
    else
        sum_normal_or_zero(f, dbl);
    return true;
}

void x64_emit_fp_slow(Emitter *e, const Deferred *d)
{
    CodeBuf *c = e->c;
    const IrInsn *in = &e->b->insn[d->def];
    uint32_t saved = e->be->regs.caller_saved;
    unsigned n = (unsigned)__builtin_popcount(saved);
    bind(e, d->label);
    FpCtx f = {.e = e, .c = c, .in = in, .dbl = !(in->aux & IR_FP_SINGLE), .slow = new_label(e)};
    if (exact_attempt(&f)) {
        x64_mov_rr(c, true, d->dst, X64_RAX);
        x64_jmp_label(c, &e->labels, d->done);
    }
    bind(e, f.slow);
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
