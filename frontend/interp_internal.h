/* Shared by the interpreter's semantic files (interp_*.c): operand access macros and
 * the declaration of one handler per table entry (interp_<name>). */
#ifndef RVX_FRONTEND_INTERP_INTERNAL_H
#define RVX_FRONTEND_INTERP_INTERNAL_H

#include "frontend/interp.h"
#include "softmmu/mem.h"

#define INSN(name) bool interp_##name(Hart *h, const InterpInsn *in)

#define RD   h->x[in->d.rd]
#define RS1  h->x[in->d.rs1]
#define RS2  h->x[in->d.rs2]
#define IMM  in->d.imm
#define PC   in->pc
#define NEXT_PC (in->pc + in->d.len)

#define SEXT32(v) ((uint64_t)(int64_t)(int32_t)(v))

/* Handlers continue by tail-calling the next instruction's handler (each handler
 * then has its own indirect jump, which the host predicts far better than one shared
 * dispatch site). Every TB ends with a sentinel whose handler returns true.
 * Block-ending instructions return true themselves; failures record the instruction
 * and return false. */
#define NEXT() in[1].fn(h, in + 1)
#define FAIL() interp_fail(h, in)

static inline bool interp_fail(Hart *h, const InterpInsn *in)
{
    h->fault_insn = in;
    return false;
}

bool interp_illegal(Hart *h, const InterpInsn *in);
bool interp_jal_followed(Hart *h, const InterpInsn *in); /* interp_prepare_followed_jump */

#define RV_INSN(name, mnem, fmt, mask, match, ext) INSN(name);
#include "frontend/rv_insn.def"
#undef RV_INSN

#endif
