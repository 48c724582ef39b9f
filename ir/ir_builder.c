/* IR builder: appends instructions to a block, plus the op-table metadata and the
 * evaluation of pure integer ops shared by constant folding. The builder does not
 * fold anything itself: lifters emit the plain meaning, passes simplify. */
#include "ir/ir.h"

#include <string.h>

const IrOpInfo ir_op_info[IR_OP_COUNT] = {
#define IR_OP(name, type, nargs, flags) [IR_OP_##name] = {#name, IR_TYPE_##type, nargs, flags},
#include "ir/ir_ops.def"
#undef IR_OP
};

void ir_block_init(IrBlock *b)
{
    b->n = 0;
    b->n_frame_slots = 0;
    b->overflow = false;
}

IrRef ir_emit(IrBlock *b, IrOp op, IrRef a, IrRef bb, IrRef c, int64_t imm, uint64_t imm2,
              uint8_t aux)
{
    if (b->n >= IR_MAX_INSNS - 1) {
        b->overflow = true;
        return 0;
    }
    IrInsn *i = &b->insn[b->n];
    i->op = (uint8_t)op;
    i->aux = aux;
    i->reg = IR_NO_REG;
    i->pad = 0;
    i->arg[0] = a;
    i->arg[1] = bb;
    i->arg[2] = c;
    i->imm = imm;
    i->imm2 = imm2;
    IrRef r = (IrRef)b->n++;
    return ir_op_info[op].type == IR_TYPE_VOID ? IR_NONE : r;
}

#define N IR_NONE
IrRef ir_const(IrBlock *b, int64_t v) { return ir_emit(b, IR_OP_const, N, N, N, v, 0, 0); }
IrRef ir_get(IrBlock *b, uint32_t slot) { return ir_emit(b, IR_OP_get, N, N, N, slot, 0, 0); }
void ir_set(IrBlock *b, uint32_t slot, IrRef v) { ir_emit(b, IR_OP_set, v, N, N, slot, 0, 0); }
IrRef ir_binop(IrBlock *b, IrOp op, IrRef x, IrRef y) { return ir_emit(b, op, x, y, N, 0, 0, 0); }
IrRef ir_unop(IrBlock *b, IrOp op, IrRef x) { return ir_emit(b, op, x, N, N, 0, 0, 0); }
IrRef ir_setcc(IrBlock *b, IrCond cond, IrRef x, IrRef y)
{
    return ir_emit(b, IR_OP_setcc, x, y, N, 0, 0, (uint8_t)cond);
}
IrRef ir_select(IrBlock *b, IrRef cond, IrRef if_true, IrRef if_false)
{
    return ir_emit(b, IR_OP_select, cond, if_true, if_false, 0, 0, 0);
}
IrRef ir_load(IrBlock *b, uint8_t mem, IrRef addr, int64_t disp)
{
    return ir_emit(b, IR_OP_load, addr, N, N, disp, 0, mem);
}
void ir_store(IrBlock *b, uint8_t mem, IrRef addr, int64_t disp, IrRef v)
{
    ir_emit(b, IR_OP_store, addr, v, N, disp, 0, mem);
}
IrRef ir_call(IrBlock *b, bool pure, const void *fn, IrRef x, IrRef y, IrRef z, uint64_t k)
{
    return ir_emit(b, pure ? IR_OP_callp : IR_OP_call, x, y, z, (int64_t)(uintptr_t)fn, k, 0);
}
void ir_call_insn(IrBlock *b, const void *fn, const void *arg)
{
    ir_emit(b, IR_OP_call_insn, N, N, N, (int64_t)(uintptr_t)fn, (uint64_t)(uintptr_t)arg, 0);
}
IrRef ir_fp(IrBlock *b, uint8_t fp_op, const void *fn, IrRef x, IrRef y, IrRef z, uint64_t rm)
{
    return ir_emit(b, IR_OP_fp, x, y, z, (int64_t)(uintptr_t)fn, rm, fp_op);
}
void ir_fence(IrBlock *b, uint8_t order) { ir_emit(b, IR_OP_fence, N, N, N, 0, 0, order); }
void ir_insn_start(IrBlock *b, uint32_t index) { ir_emit(b, IR_OP_insn_start, N, N, N, index, 0, 0); }
void ir_goto_tb(IrBlock *b, uint64_t target) { ir_emit(b, IR_OP_goto_tb, N, N, N, (int64_t)target, 0, 0); }
void ir_brcond(IrBlock *b, IrCond cond, IrRef x, IrRef y, uint64_t taken, uint64_t not_taken)
{
    ir_emit(b, IR_OP_brcond, x, y, N, (int64_t)taken, not_taken, (uint8_t)cond);
}

void ir_exit_if(IrBlock *b, IrCond cond, IrRef x, IrRef y, uint64_t target, uint64_t count)
{
    ir_emit(b, IR_OP_exit_if, x, y, N, (int64_t)target, count, (uint8_t)cond);
}
void ir_guard_ind(IrBlock *b, IrRef target, uint64_t expected, uint64_t count)
{
    ir_emit(b, IR_OP_guard_ind, target, N, N, (int64_t)expected, count, 0);
}
void ir_jump_ind(IrBlock *b, IrRef target) { ir_emit(b, IR_OP_jump_ind, target, N, N, 0, 0, 0); }
void ir_exit(IrBlock *b, uint64_t pc) { ir_emit(b, IR_OP_exit, N, N, N, (int64_t)pc, 0, 0); }
#undef N

bool ir_cond_holds(IrCond cond, uint64_t a, uint64_t b)
{
    switch (cond) {
    case IR_COND_EQ: return a == b;
    case IR_COND_NE: return a != b;
    case IR_COND_LT: return (int64_t)a < (int64_t)b;
    case IR_COND_GE: return (int64_t)a >= (int64_t)b;
    case IR_COND_LTU: return a < b;
    default: return a >= b;
    }
}

static uint64_t sx32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)v; }

uint64_t ir_eval(IrOp op, uint8_t aux, uint64_t a, uint64_t b)
{
    switch (op) {
    case IR_OP_add: return a + b;
    case IR_OP_sub: return a - b;
    case IR_OP_and: return a & b;
    case IR_OP_or: return a | b;
    case IR_OP_xor: return a ^ b;
    case IR_OP_shl: return a << (b & 63);
    case IR_OP_shr: return a >> (b & 63);
    case IR_OP_sar: return (uint64_t)((int64_t)a >> (b & 63));
    case IR_OP_rol: return (a << (b & 63)) | (a >> ((64 - (b & 63)) & 63));
    case IR_OP_mul: return a * b;
    case IR_OP_mulh: return (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
    case IR_OP_mulhu: return (uint64_t)(((unsigned __int128)a * b) >> 64);
    case IR_OP_setcc: return ir_cond_holds((IrCond)aux, a, b);
    case IR_OP_addsh: return a + (b << (aux & 63));
    case IR_OP_div:
        return b == 0 ? UINT64_MAX : (int64_t)a == INT64_MIN && (int64_t)b == -1 ? a
                                   : (uint64_t)((int64_t)a / (int64_t)b);
    case IR_OP_divu: return b == 0 ? UINT64_MAX : a / b;
    case IR_OP_rem:
        return b == 0 ? a : (int64_t)a == INT64_MIN && (int64_t)b == -1 ? 0
                          : (uint64_t)((int64_t)a % (int64_t)b);
    case IR_OP_remu: return b == 0 ? a : a % b;
    case IR_OP_div32: {
        int32_t x = (int32_t)a, y = (int32_t)b;
        return y == 0 ? UINT64_MAX : x == INT32_MIN && y == -1 ? sx32((uint32_t)x) : sx32((uint32_t)(x / y));
    }
    case IR_OP_divu32: return (uint32_t)b == 0 ? UINT64_MAX : sx32((uint32_t)a / (uint32_t)b);
    case IR_OP_rem32: {
        int32_t x = (int32_t)a, y = (int32_t)b;
        return y == 0 ? sx32((uint32_t)x) : x == INT32_MIN && y == -1 ? 0 : sx32((uint32_t)(x % y));
    }
    case IR_OP_remu32: return (uint32_t)b == 0 ? sx32((uint32_t)a) : sx32((uint32_t)a % (uint32_t)b);
    case IR_OP_add32: return sx32(a + b);
    case IR_OP_sub32: return sx32(a - b);
    case IR_OP_shl32: return sx32((uint32_t)a << (b & 31));
    case IR_OP_shr32: return sx32((uint32_t)a >> (b & 31));
    case IR_OP_sar32: return sx32((uint32_t)((int32_t)a >> (b & 31)));
    case IR_OP_rol32: {
        uint32_t x = (uint32_t)a;
        return sx32((x << (b & 31)) | (x >> ((32 - (b & 31)) & 31)));
    }
    case IR_OP_mul32: return sx32((uint32_t)a * (uint32_t)b);
    case IR_OP_sext8: return (uint64_t)(int64_t)(int8_t)a;
    case IR_OP_sext16: return (uint64_t)(int64_t)(int16_t)a;
    case IR_OP_sext32: return sx32(a);
    case IR_OP_zext8: return (uint8_t)a;
    case IR_OP_zext16: return (uint16_t)a;
    case IR_OP_zext32: return (uint32_t)a;
    default: return 0; /* not an arithmetic op (the folding pass only passes those) */
    }
}
