/* Dead state-store elimination: a write to a state slot that is overwritten before
 * anything can observe the slot (a read of it, an instruction that may leave the
 * block or read arbitrary state, the terminator) is dropped. Walks backwards with the
 * set of slots certain to be overwritten. */
#include "ir/ir.h"

enum { KILLED_MAX = 64 };

void ir_pass_dse(IrBlock *b)
{
    int64_t killed[KILLED_MAX];
    unsigned n = 0;
    for (uint32_t i = b->n; i-- > 0;) {
        IrInsn *in = &b->insn[i];
        uint8_t flags = ir_info(in)->flags;
        if (in->op == IR_OP_set) {
            bool dead = false;
            for (unsigned k = 0; k < n; k++)
                dead |= killed[k] == in->imm;
            if (dead) {
                in->op = IR_OP_nop;
                in->arg[0] = IR_NONE;
            } else if (n < KILLED_MAX) {
                killed[n++] = in->imm;
            }
        } else if (in->op == IR_OP_get) {
            for (unsigned k = 0; k < n; k++)
                if (killed[k] == in->imm)
                    killed[k] = killed[--n];
        } else if (flags & (IR_F_MAY_EXIT | IR_F_READS_STATE | IR_F_TERM)) {
            n = 0;
        }
    }
}
