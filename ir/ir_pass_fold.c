/* Constant folding and propagation: arithmetic on constants becomes a constant,
 * algebraic identities (x + 0, x & -1, x * 1, shifts by 0 ...) become their operand,
 * constants move to the right of commutative ops (backends then use immediates), and
 * a conditional branch on constants becomes a direct jump (a select on a constant, or
 * between equal values, its operand; select(setcc, 1, 0) the setcc; a select through a
 * select on the same condition skips it; the guard of a jump whose target is the
 * constant it predicts, nothing). x & 0xff (0xffff, 0xffffffff)
 * is a zero extension, and so is (x << 32) >> 32 (>>, arithmetic: a sign extension;
 * also 48, 56). A 32-bit op with a 0 operand
 * is a sign extension, and sign-extending what is already sign-extended is nothing
 * (RV64's *w instructions and sext.w make these common). x + (y << 1..3) becomes one
 * addsh (an indexed address; the shift goes if nothing else uses it), and constants added to
 * its operands or its result become its displacement. One forward walk: operands
 * are always defined earlier, so replacements propagate in the same walk. */
#include "ir/ir.h"

static bool foldable(const IrInsn *in)
{
    const IrOpInfo *info = ir_info(in);
    return (info->flags & IR_F_PURE) && !(info->flags & IR_F_CALL) && in->op != IR_OP_const &&
           info->nargs >= 1;
}

/* The value an identity reduces `in` to, or IR_NONE. y is the constant right operand. */
static IrRef identity(IrBlock *b, IrInsn *in, uint64_t y)
{
    IrRef x = in->arg[0];
    switch (in->op) {
    case IR_OP_add: case IR_OP_sub: case IR_OP_or: case IR_OP_xor:
    case IR_OP_shl: case IR_OP_shr: case IR_OP_sar: case IR_OP_rol:
        return y == 0 ? x : IR_NONE;
    case IR_OP_and:
        return y == UINT64_MAX ? x : IR_NONE;
    case IR_OP_mul:
        return y == 1 ? x : IR_NONE;
    default:
        return IR_NONE;
    }
}

/* Whether r's value always equals its low 32 bits sign-extended. */
static bool is_sext32(const IrBlock *b, IrRef r)
{
    const IrInsn *in = &b->insn[r];
    switch (in->op) {
    case IR_OP_const: return in->imm == (int32_t)in->imm;
    case IR_OP_add32: case IR_OP_sub32: case IR_OP_shl32: case IR_OP_shr32: case IR_OP_rol32:
    case IR_OP_sar32: case IR_OP_mul32: case IR_OP_div32: case IR_OP_divu32: case IR_OP_rem32:
    case IR_OP_remu32: case IR_OP_sext32: case IR_OP_sext16:
    case IR_OP_sext8: case IR_OP_zext16: case IR_OP_zext8: case IR_OP_setcc:
        return true;
    case IR_OP_load: return (in->aux & 3) < IR_MEM_32 || in->aux == (IR_MEM_32 | IR_MEM_SIGNED);
    default: return false;
    }
}

/* The 32-bit ops for which a 0 right operand leaves the left one (sign-extended). */
static bool is_op32_identity_at_0(IrOp op)
{
    return op == IR_OP_add32 || op == IR_OP_sub32 || op == IR_OP_shl32 || op == IR_OP_shr32 ||
           op == IR_OP_sar32 || op == IR_OP_rol32;
}

/* (x << k) | (x >> (width - k)) as one rotation (rol, or rol32 for the 32-bit shifts,
 * whose OR is the sign-extended 32-bit rotation since the right shift's bit 31 is 0):
 * the idiom of hash and cipher code built without Zbb. IR_OP_nop if p, q aren't it. */
static IrOp rotation(const IrBlock *b, IrRef p, IrRef q)
{
    const IrInsn *l = &b->insn[p], *r = &b->insn[q];
    bool wide = l->op == IR_OP_shl && r->op == IR_OP_shr;
    bool narrow = l->op == IR_OP_shl32 && r->op == IR_OP_shr32;
    if (!(wide || narrow) || l->arg[0] != r->arg[0] || !ir_is_const(b, l->arg[1]) ||
        !ir_is_const(b, r->arg[1]))
        return IR_OP_nop;
    int64_t width = wide ? 64 : 32, kl = b->insn[l->arg[1]].imm, kr = b->insn[r->arg[1]].imm;
    if (kl <= 0 || kr <= 0 || kl >= width || kl + kr != width)
        return IR_OP_nop;
    return wide ? IR_OP_rol : IR_OP_rol32;
}

/* (x << k) >> k (k = 32, 48, 56) as one zero extension (arithmetic: sign extension)
 * of x: how RV64 code without Zba/Zbb writes zext.w (slli+srli by 32), and also
 * zext.h/sext.b/sext.h. IR_OP_nop if shl (the shift's left operand) isn't it. */
static IrOp extension(const IrBlock *b, IrRef shl, uint64_t k, bool arithmetic)
{
    const IrInsn *l = &b->insn[shl];
    if (l->op != IR_OP_shl || !ir_is_const(b, l->arg[1]) || (uint64_t)b->insn[l->arg[1]].imm != k)
        return IR_OP_nop;
    switch (k) {
    case 32: return arithmetic ? IR_OP_sext32 : IR_OP_zext32;
    case 48: return arithmetic ? IR_OP_sext16 : IR_OP_zext16;
    case 56: return arithmetic ? IR_OP_sext8 : IR_OP_zext8;
    default: return IR_OP_nop;
    }
}

/* An addsh operand r that is x + c: r becomes x and c << shift moves into the
 * displacement *disp when it stays a 32-bit one. base + ((i + c) << k) is the table
 * lookup of C code (index plus a row offset, scaled): then it is one lea. */
static void fold_addend(const IrBlock *b, IrRef *r, int64_t *disp, unsigned shift)
{
    const IrInsn *a = &b->insn[*r];
    if (a->op != IR_OP_add || !ir_is_const(b, a->arg[1]) || ir_is_const(b, a->arg[0]))
        return;
    int64_t c = b->insn[a->arg[1]].imm;
    if (c != (int32_t)c)
        return;
    int64_t sum = *disp + c * ((int64_t)1 << shift);
    if (sum != (int32_t)sum)
        return;
    *r = a->arg[0];
    *disp = sum;
}

/* x & 0, x * 0: the result is 0 whatever x is. */
static bool annihilates(const IrInsn *in, uint64_t y)
{
    return y == 0 && (in->op == IR_OP_and || in->op == IR_OP_mul || in->op == IR_OP_mulhu ||
                      in->op == IR_OP_mulh || in->op == IR_OP_mul32);
}

static void make_const(IrInsn *in, uint64_t v)
{
    in->op = IR_OP_const;
    in->arg[0] = in->arg[1] = in->arg[2] = IR_NONE;
    in->imm = (int64_t)v;
    in->aux = 0;
}

void ir_pass_fold(IrBlock *b)
{
    static _Thread_local IrRef map[IR_MAX_INSNS];
    for (uint32_t i = 0; i < b->n; i++) {
        IrInsn *in = &b->insn[i];
        map[i] = (IrRef)i;
        for (unsigned k = 0; k < 3; k++)
            if (in->arg[k] != IR_NONE)
                in->arg[k] = map[in->arg[k]];
        unsigned nargs = ir_info(in)->nargs;
        if (in->op == IR_OP_brcond && ir_is_const(b, in->arg[0]) && ir_is_const(b, in->arg[1])) {
            bool taken = ir_cond_holds((IrCond)in->aux, (uint64_t)b->insn[in->arg[0]].imm,
                                       (uint64_t)b->insn[in->arg[1]].imm);
            in->op = IR_OP_goto_tb;
            in->imm = taken ? in->imm : (int64_t)in->imm2;
            in->imm2 = 0;
            in->aux = 0;
            in->arg[0] = in->arg[1] = IR_NONE;
            continue;
        }
        if (in->op == IR_OP_exit_if && ir_is_const(b, in->arg[0]) && ir_is_const(b, in->arg[1]) &&
            !ir_cond_holds((IrCond)in->aux, (uint64_t)b->insn[in->arg[0]].imm,
                           (uint64_t)b->insn[in->arg[1]].imm)) {
            in->op = IR_OP_nop; /* never leaves */
            in->arg[0] = in->arg[1] = IR_NONE;
            continue;
        }
        if (in->op == IR_OP_guard_ind && ir_is_const(b, in->arg[0]) && b->insn[in->arg[0]].imm == in->imm) {
            in->op = IR_OP_nop; /* the predicted target, known: never leaves */
            in->arg[0] = IR_NONE;
            continue;
        }
        if (in->op == IR_OP_select) {
            /* a select on the same condition as an operand's picks through it: the
             * arms of an if-converted branch writing one register twice */
            const IrInsn *ti = &b->insn[in->arg[1]], *fi = &b->insn[in->arg[2]];
            if (ti->op == IR_OP_select && ti->arg[0] == in->arg[0])
                in->arg[1] = ti->arg[1];
            if (fi->op == IR_OP_select && fi->arg[0] == in->arg[0])
                in->arg[2] = fi->arg[2];
            IrRef c = in->arg[0], t = in->arg[1], f = in->arg[2];
            bool consts = ir_is_const(b, t) && ir_is_const(b, f);
            IrRef same = t == f || (consts && b->insn[t].imm == b->insn[f].imm) ? t
                         : ir_is_const(b, c) ? (b->insn[c].imm ? t : f)
                         : consts && b->insn[c].op == IR_OP_setcc && b->insn[t].imm == 1 &&
                                   b->insn[f].imm == 0 ? c /* a 0/1 condition: itself */
                                                       : IR_NONE;
            if (same != IR_NONE) {
                map[i] = same;
                in->op = IR_OP_nop;
                in->arg[0] = in->arg[1] = in->arg[2] = IR_NONE;
            }
            continue;
        }
        if (!foldable(in))
            continue;
        if ((ir_info(in)->flags & IR_F_COMMUTES) && ir_is_const(b, in->arg[0]) &&
            !ir_is_const(b, in->arg[1])) {
            IrRef t = in->arg[0];
            in->arg[0] = in->arg[1];
            in->arg[1] = t;
        }
        bool xc = ir_is_const(b, in->arg[0]);
        bool yc = nargs < 2 || ir_is_const(b, in->arg[1]);
        uint64_t x = xc ? (uint64_t)b->insn[in->arg[0]].imm : 0;
        uint64_t y = nargs >= 2 && yc ? (uint64_t)b->insn[in->arg[1]].imm : 0;
        if (xc && yc) {
            make_const(in, ir_eval((IrOp)in->op, in->aux, x, y) + (in->op == IR_OP_addsh ? (uint64_t)in->imm : 0));
            continue;
        }
        if (nargs == 2 && yc && y == 0 && is_op32_identity_at_0((IrOp)in->op)) {
            in->op = IR_OP_sext32;
            in->arg[1] = IR_NONE;
        }
        if (in->op == IR_OP_sext32 && is_sext32(b, in->arg[0])) {
            map[i] = in->arg[0];
            in->op = IR_OP_nop;
            in->arg[0] = IR_NONE;
            continue;
        }
        if ((in->op == IR_OP_or || in->op == IR_OP_add || in->op == IR_OP_xor) && !yc) {
            IrRef x = in->arg[0], y = in->arg[1];
            IrOp rot = rotation(b, x, y);
            if (rot == IR_OP_nop && (rot = rotation(b, y, x)) != IR_OP_nop)
                x = y;
            if (rot != IR_OP_nop) { /* x is the left shift: its count is k */
                in->op = (uint8_t)rot;
                in->arg[1] = b->insn[x].arg[1];
                in->arg[0] = b->insn[x].arg[0];
            }
        }
        if (in->op == IR_OP_add && !yc) {
            for (unsigned k = 0; k < 2; k++) {
                const IrInsn *sh = &b->insn[in->arg[k]];
                if (sh->op == IR_OP_shl && ir_is_const(b, sh->arg[1]) &&
                    b->insn[sh->arg[1]].imm >= 1 && b->insn[sh->arg[1]].imm <= 3 &&
                    !ir_is_const(b, sh->arg[0])) {
                    in->op = IR_OP_addsh;
                    in->aux = (uint8_t)b->insn[sh->arg[1]].imm;
                    in->arg[0] = in->arg[1 - k];
                    in->arg[1] = sh->arg[0];
                    in->imm = 0;
                    break;
                }
            }
        }
        if (in->op == IR_OP_add && yc && b->insn[in->arg[0]].op == IR_OP_addsh) {
            const IrInsn *inner = &b->insn[in->arg[0]];
            int64_t disp = inner->imm + (int64_t)y;
            if (disp == (int32_t)disp && (int64_t)y == (int32_t)y) { /* (a + (i << k) + d) + c */
                in->op = IR_OP_addsh;
                in->aux = inner->aux;
                in->arg[0] = inner->arg[0];
                in->arg[1] = inner->arg[1];
                in->imm = disp;
            }
        }
        if (in->op == IR_OP_addsh) {
            fold_addend(b, &in->arg[0], &in->imm, 0);
            fold_addend(b, &in->arg[1], &in->imm, in->aux);
            continue;
        }
        if ((in->op == IR_OP_shr || in->op == IR_OP_sar) && yc) {
            IrOp ext = extension(b, in->arg[0], y, in->op == IR_OP_sar);
            if (ext != IR_OP_nop) {
                in->op = (uint8_t)ext;
                in->arg[0] = b->insn[in->arg[0]].arg[0];
                in->arg[1] = IR_NONE;
                continue;
            }
        }
        if (in->op == IR_OP_and && yc && (y == 0xff || y == 0xffff || y == 0xffffffff)) {
            in->op = y == 0xff ? IR_OP_zext8 : y == 0xffff ? IR_OP_zext16 : IR_OP_zext32;
            in->arg[1] = IR_NONE; /* one movzx, and a known-narrow value for later folds */
            continue;
        }
        if (nargs == 2 && yc) {
            IrRef same = identity(b, in, y);
            if (same != IR_NONE) {
                map[i] = same;
                in->op = IR_OP_nop;
                in->arg[0] = in->arg[1] = IR_NONE;
            } else if (annihilates(in, y)) {
                make_const(in, 0);
            }
        }
    }
}
