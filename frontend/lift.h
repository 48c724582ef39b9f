/* The lifter: RISC-V instructions (decoded from the one instruction table) to IR.
 * Common integer, memory, branch and FP instructions become inline IR (FP arithmetic
 * is an fp op naming its exact fpu.c helper, with the rounding mode resolved at
 * translation time; backends compute the cases where the host FPU is exact inline);
 * every other instruction calls its interpreter handler (the visible fallback: one
 * semantic source for both engines).
 * Guest state is the Hart itself, seen as 8-byte slots (LIFT_SLOT_*).
 * Translation context (LIFT_FLAG_*): privilege, whether FP is off or already dirty,
 * frm, and the TLB context of loads and stores (softmmu/tlb.h). Blocks are keyed by
 * it, and nothing inside a block changes it except FP instructions making FS dirty (a
 * block compiled for "not dirty" still sets it). */
#ifndef RVX_FRONTEND_LIFT_H
#define RVX_FRONTEND_LIFT_H

#include <stddef.h>

#include "frontend/interp.h"
#include "ir/ir.h"

#define LIFT_SLOT_X(i) ((uint32_t)(offsetof(Hart, x) / 8 + (i)))
#define LIFT_SLOT_F(i) ((uint32_t)(offsetof(Hart, f) / 8 + (i)))
#define LIFT_SLOT_PC ((uint32_t)(offsetof(Hart, pc) / 8))
#define LIFT_SLOT_INSTRET ((uint32_t)(offsetof(Hart, instret) / 8))
#define LIFT_SLOT_MSTATUS ((uint32_t)(offsetof(Hart, mstatus) / 8))

enum {
    LIFT_FLAG_PRIV_MASK = 3,
    LIFT_FLAG_FS_OFF = 1 << 2,
    LIFT_FLAG_FS_DIRTY = 1 << 3,
    LIFT_FLAG_FRM_SHIFT = 4,      /* 3 bits */
    LIFT_FLAG_TLB_SHIFT = 7,      /* 2 bits: TlbContext */
    LIFT_FLAG_TLB_MASK = 3 << LIFT_FLAG_TLB_SHIFT,
};

uint32_t lift_flags(const Hart *h);
/* The TlbContext of the loads and stores of blocks translated for `flags`. */
static inline unsigned lift_flags_tlb_context(uint32_t flags)
{
    return (flags & LIFT_FLAG_TLB_MASK) >> LIFT_FLAG_TLB_SHIFT;
}

/* A block: n instructions, each at its pc. A jal before the last instruction was
 * followed: the next instruction is at its target, and it only writes the link. A
 * branch before the last instruction is a side exit: the next instruction is its
 * fall-through. */
typedef struct LiftBlock {
    const RvInsn *insn;
    const uint64_t *pc;
    uint32_t n;
    uint64_t end_pc;              /* pc after the last instruction */
    uint32_t flags;
    InterpInsn (*fallback)[2];    /* per instruction: storage for a fallback call */
} LiftBlock;

/* Lifts the block into b (which the caller initialised). Each guest instruction i
 * starts with insn_start i; the block counts instret and sets the pc at its end. */
void lift_block(IrBlock *b, const LiftBlock *lb);

#endif
