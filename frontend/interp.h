/* The reference interpreter: executes decoded instructions with exact spec semantics.
 * It is the oracle every other engine is compared with.
 * An InterpInsn is a decoded instruction prepared for execution (handler chosen,
 * rd = 0 redirected to a sink register so handlers write unconditionally). */
#ifndef RVX_FRONTEND_INTERP_H
#define RVX_FRONTEND_INTERP_H

#include "frontend/hart.h"
#include "frontend/rv_insn.h"

/* Index of the sink register: writes to x0 land in x[HART_X_SINK], reads of x0 see 0. */
#define HART_X_SINK 32

typedef struct InterpInsn InterpInsn;

/* Executes an instruction and (by tail call) the rest of its block. Returns true when
 * the block completed; false when hart->exc is set (an exception or an rvx-internal
 * exit), with hart->fault_insn the instruction that stopped. Control-transfer
 * instructions set hart->pc. */
typedef bool (*InterpFn)(Hart *h, const InterpInsn *in);

struct InterpInsn {
    InterpFn fn;
    uint64_t pc;
    uint32_t index;   /* position in its block: instret is counted per block */
    RvInsn d;
};

void interp_prepare(InterpInsn *out, const RvInsn *d, uint64_t pc, uint32_t index);
/* Makes a prepared jal one whose target is the next instruction of the run (a jump the
 * DBT followed inside its block, see LiftBlock): it writes the link and goes on. */
void interp_prepare_followed_jump(InterpInsn *out);
/* The sentinel that must follow the last instruction of a run (see interp_internal.h). */
void interp_prepare_end(InterpInsn *out);
bool interp_block_end(Hart *h, const InterpInsn *in);

/* True when the instruction must be the last of a block: control transfers, and
 * instructions after which the translation context may change (most CSR writes,
 * fence.i, sfence.vma, ecall/ebreak, privileged instructions). */
bool rv_insn_ends_block(const RvInsn *d);

/* Executes one instruction at h->pc outside any block (single-step, used by --verify
 * and tests). Returns false with h->exc set on an exception; h->pc is then the pc of
 * the faulting instruction. */
bool interp_step(Hart *h);

#endif
