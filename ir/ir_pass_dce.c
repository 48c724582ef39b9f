/* Dead code elimination and compaction: values nobody uses are dropped when computing
 * them has no effect (pure ops and state reads), then nops are squeezed out and the
 * operands renumbered. Walks backwards so chains of dead values go in one pass. */
#include "ir/ir.h"

#include <string.h>

static bool removable(const IrInsn *in)
{
    return in->op == IR_OP_nop || in->op == IR_OP_get || (ir_info(in)->flags & IR_F_PURE);
}

void ir_pass_dce(IrBlock *b)
{
    static _Thread_local uint16_t uses[IR_MAX_INSNS];
    static _Thread_local IrRef map[IR_MAX_INSNS];
    memset(uses, 0, b->n * sizeof uses[0]);
    for (uint32_t i = b->n; i-- > 0;) {
        IrInsn *in = &b->insn[i];
        if (uses[i] == 0 && removable(in) && !(ir_info(in)->flags & IR_F_TERM)) {
            in->op = IR_OP_nop;
            continue;
        }
        for (unsigned k = 0; k < 3; k++)
            if (in->arg[k] != IR_NONE)
                uses[in->arg[k]]++;
    }
    uint32_t out = 0;
    for (uint32_t i = 0; i < b->n; i++) {
        IrInsn *in = &b->insn[i];
        if (in->op == IR_OP_nop)
            continue;
        for (unsigned k = 0; k < 3; k++)
            if (in->arg[k] != IR_NONE)
                in->arg[k] = map[in->arg[k]];
        map[i] = (IrRef)out;
        b->insn[out++] = *in;
    }
    b->n = out;
}
