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

/* If-conversion of short forward branches (what x86 compilers turn into cmov and
 * RISC-V ones into branches): the block neither leaves nor waits at such a branch. It
 * runs both of its arms, keeps the results of the one the branch picks (selects), and
 * counts only that one in instret. Data-dependent branches of this kind mispredict
 * half the time on the host; a select does not. The block builder picks the branches
 * (lift_can_predicate says what an arm may hold) and lays the arms out after the
 * branch: `fall` instructions that run when it is not taken, then `taken` ones that run
 * when it is; the next instruction is where both arms meet:
 *  - a hammock (taken 0): the branch skips its fall-through arm, `if (c) x = y + z;`;
 *  - an if/else that meets again: the fall-through arm ends with a jump (j, kept in the
 *    arm) to the instruction after the taken arm;
 *  - an if/else whose arms both end with the same indirect jump (rd x0, as ret): the
 *    jump follows the taken arm, once, and ends the block.
 * Both arms, and the instruction after them, are in the block (lift_if_converted). */
typedef struct LiftArms {
    uint8_t fall, taken;          /* 0, 0: an ordinary instruction or branch */
} LiftArms;

/* A block: n instructions, each at its pc. A jal before the last instruction was
 * followed: the next instruction is at its target, and it only writes the link
 * (except a jal ending an if-converted branch's fall-through arm: see LiftArms). A
 * jalr before the last instruction was followed to the target the block builder
 * predicted, the next instruction: it leaves the block (through the jump cache) when
 * its target is another. A branch before the last instruction is a side exit: the
 * next instruction is its fall-through; except an if-converted one. */
typedef struct LiftBlock {
    const RvInsn *insn;
    const uint64_t *pc;
    uint32_t n;
    uint64_t end_pc;              /* pc after the last instruction */
    uint32_t flags;
    InterpInsn (*fallback)[2];    /* per instruction: storage for a fallback call */
    const LiftArms *arms;         /* per instruction; NULL: no branch is if-converted */
} LiftBlock;

/* Whether branch i of a block of n instructions is if-converted: it has arms, and they
 * and the instruction after them are in the block (a block cut short right after the
 * branch ends with it as an ordinary branch). */
static inline bool lift_if_converted(const LiftArms *arms, uint32_t i, uint32_t n)
{
    return arms && (arms[i].fall || arms[i].taken) && i + 1u + arms[i].fall + arms[i].taken < n;
}

/* Whether instruction d may run predicated: the integer instructions the lifter emits
 * inline, pure and unable to fault, except division (too slow to run for nothing). */
bool lift_can_predicate(const RvInsn *d);

/* Lifts the block into b (which the caller initialised). Each guest instruction i
 * starts with insn_start i; the block counts instret and sets the pc at its end. */
void lift_block(IrBlock *b, const LiftBlock *lb);

#endif
