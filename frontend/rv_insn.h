/* RvInsn: one decoded RISC-V instruction, and the instruction table's derived enums.
 * Invariant: every field is filled from the encoding alone (no pc, no machine state),
 * so a decoded instruction can be cached and reused for any pc holding the same bits. */
#ifndef RVX_FRONTEND_RV_INSN_H
#define RVX_FRONTEND_RV_INSN_H

#include <stdbool.h>
#include <stdint.h>

typedef enum RvOp {
    RV_OP_ILLEGAL = 0,
#define RV_INSN(name, mnem, fmt, mask, match, ext) RV_OP_##name,
#include "frontend/rv_insn.def"
#undef RV_INSN
    RV_OP_COUNT
} RvOp;

/* Operand layouts. The letters say which register file each operand uses:
 * x = integer, f = floating point; _RM = has a rounding-mode field. */
typedef enum RvFormat {
    RV_FMT_ILLEGAL,
    RV_FMT_R,       /* xd, xs1, xs2 */
    RV_FMT_I,       /* xd, xs1, imm12 */
    RV_FMT_SHIFT,   /* xd, xs1, shamt (imm) */
    RV_FMT_UNARY,   /* xd, xs1 */
    RV_FMT_LOAD,    /* xd, imm(xs1) */
    RV_FMT_STORE,   /* xs2, imm(xs1) */
    RV_FMT_BRANCH,  /* xs1, xs2, pc-relative imm */
    RV_FMT_U,       /* xd, imm (already shifted left by 12) */
    RV_FMT_J,       /* xd, pc-relative imm */
    RV_FMT_JALR,    /* xd, imm(xs1) */
    RV_FMT_CSR,     /* xd, csr, xs1 */
    RV_FMT_CSRI,    /* xd, csr, uimm5 (imm) */
    RV_FMT_FENCE,   /* pred, succ, fm (in `fence`) */
    RV_FMT_NONE,    /* no operands */
    RV_FMT_AMO,     /* xd, xs2, (xs1); aq/rl in `aqrl` */
    RV_FMT_LR,      /* xd, (xs1); aq/rl in `aqrl` */
    RV_FMT_SFENCE,  /* xs1, xs2 */
    RV_FMT_CBO,     /* (xs1) */
    RV_FMT_FLOAD,   /* fd, imm(xs1) */
    RV_FMT_FSTORE,  /* fs2, imm(xs1) */
    RV_FMT_FR,      /* fd, fs1, fs2 */
    RV_FMT_FR_RM,   /* fd, fs1, fs2, rm */
    RV_FMT_FR4,     /* fd, fs1, fs2, fs3, rm */
    RV_FMT_F2F_RM,  /* fd, fs1, rm */
    RV_FMT_FCMP,    /* xd, fs1, fs2 */
    RV_FMT_F2X,     /* xd, fs1 */
    RV_FMT_F2X_RM,  /* xd, fs1, rm */
    RV_FMT_X2F,     /* fd, xs1 */
    RV_FMT_X2F_RM,  /* fd, xs1, rm */
} RvFormat;

typedef enum RvExt {
    RV_EXT_I, RV_EXT_M, RV_EXT_A, RV_EXT_F, RV_EXT_D, RV_EXT_ZICSR, RV_EXT_ZIFENCEI,
    RV_EXT_ZBA, RV_EXT_ZBB, RV_EXT_ZBC, RV_EXT_ZBS, RV_EXT_ZICOND, RV_EXT_ZIHINTPAUSE,
    RV_EXT_ZICBOM, RV_EXT_ZICBOZ, RV_EXT_PRIV,
} RvExt;

typedef struct RvInsn {
    uint16_t op;       /* RvOp */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t rm;        /* rounding mode (FP); aq/rl bits (A: bit1 = aq, bit0 = rl) */
    uint8_t len;       /* 2 (compressed) or 4 bytes */
    uint8_t fence;     /* FENCE: pred << 4 | succ (fm is kept in `rm`) */
    uint16_t csr;      /* CSR number */
    int64_t imm;       /* sign-extended immediate, shift amount or uimm */
    uint32_t raw;      /* the bits as fetched (16-bit forms zero-extended) */
} RvInsn;

typedef struct RvInsnInfo {
    const char *mnemonic;
    RvFormat format;
    RvExt ext;
    uint32_t mask, match;
} RvInsnInfo;

extern const RvInsnInfo rv_insn_info[RV_OP_COUNT];

/* Decodes the instruction in `bits` (a 16-bit RVC form uses only the low half).
 * Fills *out; out->op is RV_OP_ILLEGAL for any illegal or reserved encoding
 * (reserved RVC forms, reserved rounding modes, longer-than-32-bit encodings).
 * Returns the length in bytes, 2 or 4. */
int rv_decode(uint32_t bits, RvInsn *out);

/* Length of the instruction whose first parcel is `lo`: 2 or 4 (longer encodings,
 * which RV64GC does not have, report 4 and decode as illegal). */
static inline int rv_insn_length(uint16_t lo) { return (lo & 3) == 3 ? 4 : 2; }

/* Expands a 16-bit RVC encoding to its 32-bit equivalent; 0 if reserved/illegal. */
uint32_t rv_expand_compressed(uint16_t c);

#endif
