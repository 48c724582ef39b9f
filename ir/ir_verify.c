/* IR verifier: checks the structural invariants every pass must keep (see ir.h):
 * operands refer to earlier non-void values, operand counts match the op table,
 * conditions, memory kinds and FP operations are in range, exactly one terminator
 * and it is last.
 * Run after every pass in debug and test builds (ir_optimize with check). */
#include "ir/ir.h"

static bool optional_args(IrOp op) { return op == IR_OP_call || op == IR_OP_callp || op == IR_OP_fp; }

const char *ir_verify(const IrBlock *b, uint32_t *where)
{
    *where = 0;
    if (b->overflow)
        return "block overflowed";
    if (b->n == 0)
        return "empty block";
    for (uint32_t i = 0; i < b->n; i++) {
        const IrInsn *in = &b->insn[i];
        *where = i;
        if (in->op >= IR_OP_COUNT)
            return "unknown op";
        const IrOpInfo *info = ir_info(in);
        bool last = i + 1 == b->n;
        if ((info->flags & IR_F_TERM) && !last)
            return "terminator before the end";
        if (last && !(info->flags & IR_F_TERM))
            return "block does not end with a terminator";
        for (unsigned k = 0; k < 3; k++) {
            IrRef r = in->arg[k];
            if (k >= info->nargs) {
                if (r != IR_NONE)
                    return "operand beyond the op's count";
                continue;
            }
            if (r == IR_NONE) {
                if (!optional_args(in->op))
                    return "missing operand";
                continue;
            }
            if (r >= i)
                return "operand does not precede its use";
            const IrInsn *def = &b->insn[r];
            if (ir_info(def)->type == IR_TYPE_VOID)
                return "operand refers to a void instruction";
        }
        if ((in->op == IR_OP_setcc || in->op == IR_OP_brcond || in->op == IR_OP_exit_if) &&
            in->aux >= IR_COND_COUNT)
            return "bad condition";
        if (in->op == IR_OP_fence && (in->aux == 0 || in->aux > 15))
            return "bad fence ordering";
        if (in->op == IR_OP_addsh && (in->aux < 1 || in->aux > 3 || in->imm != (int32_t)in->imm))
            return "bad addsh shift";
        if (in->op == IR_OP_load && in->aux > (IR_MEM_64 | IR_MEM_SIGNED))
            return "bad load kind";
        if (in->op == IR_OP_store && in->aux > IR_MEM_64)
            return "bad store kind";
        if (in->op == IR_OP_fp && (in->aux & ~IR_FP_SINGLE) >= IR_FP_COUNT)
            return "bad FP operation";
        if ((in->op == IR_OP_get || in->op == IR_OP_set) && in->imm < 0)
            return "negative state slot";
    }
    return NULL;
}
