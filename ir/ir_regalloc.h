/* Host-neutral local register allocator. The backend describes its registers
 * (IrHostRegs); the allocator gives every non-constant value a host register number
 * (IrInsn.reg), inserting spill/reload instructions when registers run out and around
 * calls for values living in caller-saved registers. Constants get no register:
 * backends encode them as immediates or materialize them in their own scratch
 * registers. Invariant of the output: when an instruction runs, each of its non-
 * constant operands is in the register recorded on the operand's defining
 * instruction (a reload or get defines a new value); except that a get or reload
 * with no register (IR_NO_REG) is read from its slot by its users, each of them an
 * operand the host reads from memory (IrHostRegs.from_memory), and the slot still
 * holds it when they run. */
#ifndef RVX_IR_IR_REGALLOC_H
#define RVX_IR_IR_REGALLOC_H

#include "ir/ir.h"

#define IR_MAX_HOST_REGS 16

typedef struct IrHostRegs {
    uint8_t n;                       /* allocatable registers, in order of preference */
    uint8_t reg[IR_MAX_HOST_REGS];   /* host register numbers */
    uint32_t caller_saved;           /* bit r set: a call clobbers host register r */
    uint32_t max_frame_slots;        /* spill slots the backend's frame provides */
    /* Per op, bit k: the host can read operand k straight from memory (x86's
     * "op reg, [mem]"). When such an operand is in no register but still in its home
     * state slot or its spill slot, it stays there (see the invariant above). */
    uint8_t from_memory[IR_OP_COUNT];
} IrHostRegs;

/* Allocates `in` into `out` (which may not alias it). Returns false when the block
 * needs more spill slots than the frame has (translate a shorter block). */
bool ir_regalloc(const IrBlock *in, IrBlock *out, const IrHostRegs *host);

#endif
