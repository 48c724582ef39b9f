/* IR printer for -d op/op_opt and test failures: one instruction per line,
 * "  12: v12 = add v3, v5" with the host register in brackets once allocated. */
#include "ir/ir.h"

#include <inttypes.h>

static const char *const cond_name[IR_COND_COUNT] = {"eq", "ne", "lt", "ge", "ltu", "geu"};

static const char *const fp_name[IR_FP_COUNT] = {
    "add", "sub", "mul", "div", "sqrt", "madd", "msub", "nmsub", "nmadd", "min", "max",
    "eq", "lt", "le", "from_i32", "from_u32", "from_i64", "from_u64", "to_i32", "to_u32",
    "to_i64", "to_u64", "cvt",
};

static void print_args(const IrInsn *in, FILE *out)
{
    const char *sep = " ";
    for (unsigned k = 0; k < ir_info(in)->nargs; k++) {
        if (in->arg[k] == IR_NONE)
            fprintf(out, "%s-", sep);
        else
            fprintf(out, "%sv%u", sep, in->arg[k]);
        sep = ", ";
    }
}

void ir_print(const IrBlock *b, FILE *out)
{
    for (uint32_t i = 0; i < b->n; i++) {
        const IrInsn *in = &b->insn[i];
        const IrOpInfo *info = ir_info(in);
        if (in->op == IR_OP_insn_start) {
            fprintf(out, " ---- insn %" PRId64 "\n", in->imm);
            continue;
        }
        fprintf(out, "%5u: ", i);
        if (info->type != IR_TYPE_VOID) {
            fprintf(out, "v%u", i);
            if (in->reg != IR_NO_REG)
                fprintf(out, "[r%u]", in->reg);
            fprintf(out, " = ");
        }
        fprintf(out, "%s", info->name);
        if (in->op == IR_OP_setcc || in->op == IR_OP_brcond || in->op == IR_OP_exit_if)
            fprintf(out, ".%s", cond_name[in->aux % IR_COND_COUNT]);
        if (in->op == IR_OP_fence)
            fprintf(out, ".%s%s%s%s", in->aux & IR_FENCE_LL ? "ll" : "", in->aux & IR_FENCE_LS ? "ls" : "",
                    in->aux & IR_FENCE_SL ? "sl" : "", in->aux & IR_FENCE_SS ? "ss" : "");
        if (in->op == IR_OP_addsh)
            fprintf(out, ".%u%+lld", in->aux, (long long)in->imm);
        if (in->op == IR_OP_load || in->op == IR_OP_store)
            fprintf(out, ".%s%u", (in->aux & IR_MEM_SIGNED) ? "s" : "u", 8u << (in->aux & 3));
        if (in->op == IR_OP_fp) {
            unsigned op = in->aux & ~IR_FP_SINGLE;
            fprintf(out, ".%s.%c", op < IR_FP_COUNT ? fp_name[op] : "?",
                    (in->aux & IR_FP_SINGLE) ? 's' : 'd');
        }
        print_args(in, out);
        switch (in->op) {
        case IR_OP_const:
            fprintf(out, " 0x%" PRIx64, (uint64_t)in->imm);
            break;
        case IR_OP_get: case IR_OP_set:
            fprintf(out, "%sslot %" PRId64, in->op == IR_OP_set ? ", " : " ", in->imm);
            break;
        case IR_OP_load: case IR_OP_store:
            fprintf(out, " + %" PRId64, in->imm);
            break;
        case IR_OP_call: case IR_OP_callp:
            fprintf(out, " fn=0x%" PRIx64 " k=%" PRIu64, (uint64_t)in->imm, in->imm2);
            break;
        case IR_OP_fp:
            fprintf(out, " fn=0x%" PRIx64 " rm=%" PRIu64, (uint64_t)in->imm, in->imm2);
            break;
        case IR_OP_call_insn:
            fprintf(out, " fn=0x%" PRIx64 " arg=0x%" PRIx64, (uint64_t)in->imm, in->imm2);
            break;
        case IR_OP_spill: case IR_OP_reload:
            fprintf(out, " frame %" PRId64, in->imm);
            break;
        case IR_OP_goto_tb: case IR_OP_exit:
            fprintf(out, " 0x%" PRIx64, (uint64_t)in->imm);
            break;
        case IR_OP_brcond:
            fprintf(out, " ? 0x%" PRIx64 " : 0x%" PRIx64, (uint64_t)in->imm, in->imm2);
            break;
        case IR_OP_exit_if:
            fprintf(out, " ? 0x%" PRIx64 " (+%" PRIu64 ")", (uint64_t)in->imm, in->imm2);
            break;
        case IR_OP_guard_ind:
            fprintf(out, " == 0x%" PRIx64 " (+%" PRIu64 ")", (uint64_t)in->imm, in->imm2);
            break;
        default:
            break;
        }
        fputc('\n', out);
    }
}
