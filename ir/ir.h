/* The IR: one translation block as a linear list of instructions in SSA form (every
 * instruction defines at most one value, referred to by its index). Control never
 * joins inside a block: it flows straight down, leaving early only through faulting
 * instructions (IR_F_MAY_EXIT) and at the single terminator, the last instruction.
 * The IR knows nothing about the guest ISA (state is a vector of 8-byte slots) nor
 * about the host (registers are small numbers handed out by ir_regalloc). */
#ifndef RVX_IR_IR_H
#define RVX_IR_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum IrOp {
#define IR_OP(name, type, nargs, flags) IR_OP_##name,
#include "ir/ir_ops.def"
#undef IR_OP
    IR_OP_COUNT
} IrOp;

typedef enum IrType { IR_TYPE_VOID, IR_TYPE_I64 } IrType;

enum {
    IR_F_PURE = 1 << 0,          /* no side effect: may be folded, dropped if unused */
    IR_F_COMMUTES = 1 << 1,      /* a op b == b op a */
    IR_F_READS_STATE = 1 << 2,
    IR_F_WRITES_STATE = 1 << 3,
    IR_F_MAY_EXIT = 1 << 4,      /* may leave the block early: the state must be exact */
    IR_F_CALL = 1 << 5,          /* calls C: caller-saved host registers are clobbered */
    IR_F_TERM = 1 << 6,
};

typedef struct IrOpInfo {
    const char *name;
    IrType type;
    uint8_t nargs;
    uint8_t flags;
} IrOpInfo;
extern const IrOpInfo ir_op_info[IR_OP_COUNT];

typedef enum IrCond {
    IR_COND_EQ, IR_COND_NE, IR_COND_LT, IR_COND_GE, IR_COND_LTU, IR_COND_GEU, IR_COND_COUNT
} IrCond;

/* fence aux: earlier loads/stores ordered before later loads/stores */
enum { IR_FENCE_LL = 1, IR_FENCE_LS = 2, IR_FENCE_SL = 4, IR_FENCE_SS = 8 };

/* load/store aux: log2 of the size in bytes, plus IR_MEM_SIGNED for sign-extending loads */
enum { IR_MEM_8 = 0, IR_MEM_16 = 1, IR_MEM_32 = 2, IR_MEM_64 = 3, IR_MEM_SIGNED = 4 };

/* fp aux: the operation, plus IR_FP_SINGLE when the format (of the operands, and of the
 * result for FROM_*) is binary32 rather than binary64. A binary32 value is NaN-boxed in
 * its 64-bit value (high 32 bits all ones); the helper reads anything else as the
 * canonical NaN. */
typedef enum IrFpOp {
    IR_FP_ADD, IR_FP_SUB, IR_FP_MUL, IR_FP_DIV, IR_FP_SQRT,
    IR_FP_MADD, IR_FP_MSUB, IR_FP_NMSUB, IR_FP_NMADD, /* a*b+c, a*b-c, -(a*b)+c, -(a*b)-c */
    IR_FP_MIN, IR_FP_MAX,                             /* -0 < +0; a NaN loses to a number */
    IR_FP_EQ, IR_FP_LT, IR_FP_LE,                     /* 1 or 0 */
    IR_FP_FROM_I32, IR_FP_FROM_U32, IR_FP_FROM_I64, IR_FP_FROM_U64, /* integer a to FP */
    IR_FP_TO_I32, IR_FP_TO_U32, IR_FP_TO_I64, IR_FP_TO_U64, /* 32-bit results sign-extended */
    IR_FP_CVT,                                        /* to the other format */
    IR_FP_COUNT,
    IR_FP_SINGLE = 0x80,
} IrFpOp;
/* fp imm2: rounding modes in IEEE 754 order (then RDN, RUP, RMM) */
enum { IR_FP_RNE = 0, IR_FP_RTZ = 1 };

typedef uint16_t IrRef;
#define IR_NONE ((IrRef)0xffff)
#define IR_NO_REG 0xff
#define IR_MAX_INSNS 4096

typedef struct IrInsn {
    uint8_t op;       /* IrOp */
    uint8_t aux;      /* IrCond or IR_MEM_* */
    uint8_t reg;      /* host register of the result (after ir_regalloc) */
    uint8_t pad;
    IrRef arg[3];     /* a, b, c (IR_NONE when absent) */
    int64_t imm;
    uint64_t imm2;
} IrInsn;

typedef struct IrBlock {
    IrInsn insn[IR_MAX_INSNS];
    uint32_t n;
    uint32_t n_frame_slots;   /* spill slots used (after ir_regalloc) */
    bool overflow;            /* too many instructions: the block is unusable */
} IrBlock;

static inline const IrOpInfo *ir_info(const IrInsn *i) { return &ir_op_info[i->op]; }
static inline bool ir_is_const(const IrBlock *b, IrRef r) { return b->insn[r].op == IR_OP_const; }

/* ---- builder (ir_builder.c): each returns the new value (IR_NONE for void ops) ---- */
void ir_block_init(IrBlock *b);
IrRef ir_emit(IrBlock *b, IrOp op, IrRef a, IrRef bb, IrRef c, int64_t imm, uint64_t imm2,
              uint8_t aux);
IrRef ir_const(IrBlock *b, int64_t v);
IrRef ir_get(IrBlock *b, uint32_t slot);
void ir_set(IrBlock *b, uint32_t slot, IrRef v);
IrRef ir_binop(IrBlock *b, IrOp op, IrRef x, IrRef y);
IrRef ir_unop(IrBlock *b, IrOp op, IrRef x);
IrRef ir_setcc(IrBlock *b, IrCond cond, IrRef x, IrRef y);
IrRef ir_select(IrBlock *b, IrRef cond, IrRef if_true, IrRef if_false);
IrRef ir_load(IrBlock *b, uint8_t mem, IrRef addr, int64_t disp);
void ir_store(IrBlock *b, uint8_t mem, IrRef addr, int64_t disp, IrRef v);
IrRef ir_call(IrBlock *b, bool pure, const void *fn, IrRef x, IrRef y, IrRef z, uint64_t k);
void ir_call_insn(IrBlock *b, const void *fn, const void *arg);
IrRef ir_fp(IrBlock *b, uint8_t fp_op, const void *fn, IrRef x, IrRef y, IrRef z, uint64_t rm);
void ir_fence(IrBlock *b, uint8_t order); /* IR_FENCE_* bits */
void ir_insn_start(IrBlock *b, uint32_t index);
void ir_goto_tb(IrBlock *b, uint64_t target);
void ir_brcond(IrBlock *b, IrCond cond, IrRef x, IrRef y, uint64_t taken, uint64_t not_taken);
void ir_exit_if(IrBlock *b, IrCond cond, IrRef x, IrRef y, uint64_t target, uint64_t count);
void ir_guard_ind(IrBlock *b, IrRef target, uint64_t expected, uint64_t count);
void ir_jump_ind(IrBlock *b, IrRef target);
void ir_exit(IrBlock *b, uint64_t pc);

/* Evaluates a pure integer op on constants (also used by the folding pass). */
uint64_t ir_eval(IrOp op, uint8_t aux, uint64_t a, uint64_t b);
bool ir_cond_holds(IrCond cond, uint64_t a, uint64_t b);

/* ---- checks and output ---- */
/* Returns NULL when b is well formed, else a message naming the first problem
 * (and writes its instruction index to *where). */
const char *ir_verify(const IrBlock *b, uint32_t *where);
void ir_print(const IrBlock *b, FILE *out);

/* ---- passes: one per file; each keeps the block well formed ---- */
void ir_pass_regcache(IrBlock *b);   /* read each state slot once */
void ir_pass_fold(IrBlock *b);       /* constant folding/propagation, identities */
void ir_pass_dse(IrBlock *b);        /* drop state writes overwritten before anyone sees them */
void ir_pass_dce(IrBlock *b);        /* drop unused pure values; compact */
/* The standard pipeline; with `check`, verifies after every pass and aborts with a
 * message on the first failure (debug and test builds). */
void ir_optimize(IrBlock *b, bool check);

#endif
