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

bool interp_illegal(Hart *h, const InterpInsn *in);

#define RV_INSN(name, mnem, fmt, mask, match, ext) INSN(name);
#include "frontend/rv_insn.def"
#undef RV_INSN

#endif
