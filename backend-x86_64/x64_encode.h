/* x86-64 instruction encoders, one function per instruction form (sljit/QEMU style),
 * writing into a CodeBuf; labels are objects resolved when the block is finished.
 * Register numbers are the hardware encodings (X64_RAX = 0 ... X64_R15 = 15). The
 * encoders know nothing about the guest or the IR. */
#ifndef RVX_BACKEND_X86_64_X64_ENCODE_H
#define RVX_BACKEND_X86_64_X64_ENCODE_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir_target.h"

enum {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
    X64_NO_REG = -1,
};

/* ALU group 1 operations (the /digit of 0x81/0x83, and opcode base >> 3) */
typedef enum X64Alu { X64_ADD = 0, X64_OR = 1, X64_AND = 4, X64_SUB = 5, X64_XOR = 6, X64_CMP = 7 } X64Alu;
/* shift group 2 (/digit of 0xc1/0xd3) */
typedef enum X64Shift { X64_ROL = 0, X64_ROR = 1, X64_SHL = 4, X64_SHR = 5, X64_SAR = 7 } X64Shift;
/* condition codes (low nibble of jcc/setcc) */
typedef enum X64Cond {
    X64_CC_O = 0, X64_CC_B = 2, X64_CC_AE = 3, X64_CC_E = 4, X64_CC_NE = 5, X64_CC_BE = 6, X64_CC_A = 7,
    X64_CC_S = 8, X64_CC_P = 0xa,
    X64_CC_L = 0xc, X64_CC_GE = 0xd, X64_CC_LE = 0xe, X64_CC_G = 0xf,
} X64Cond;

/* scalar SSE arithmetic (the opcode after 0f; F2 prefix for double, F3 for single) */
typedef enum X64Sse {
    X64_SSE_MOV = 0x10, X64_SSE_SQRT = 0x51, X64_SSE_ADD = 0x58, X64_SSE_MUL = 0x59, X64_SSE_CVT = 0x5a,
    X64_SSE_SUB = 0x5c, X64_SSE_DIV = 0x5e,
} X64Sse;
/* FMA3 231 forms (VEX 0f38 opcode): dst = ±(a * b) ± dst */
typedef enum X64Fma { X64_FMADD = 0xb9, X64_FMSUB = 0xbb, X64_FNMADD = 0xbd, X64_FNMSUB = 0xbf } X64Fma;

/* A memory operand [base + index * scale + disp]; index X64_NO_REG for none, base
 * X64_NO_REG for none (an absolute disp32, or index * scale + disp32). */
typedef struct X64Mem {
    int8_t base, index;
    uint8_t scale;     /* 1, 2, 4, 8 */
    int32_t disp;
} X64Mem;
static inline X64Mem x64_mem(int base, int32_t disp) { return (X64Mem){(int8_t)base, X64_NO_REG, 1, disp}; }
static inline X64Mem x64_mem_idx(int base, int index, unsigned scale, int32_t disp)
{
    return (X64Mem){(int8_t)base, (int8_t)index, (uint8_t)scale, disp};
}

/* Labels: forward references are recorded and patched by x64_labels_resolve. */
enum { X64_MAX_LABELS = 512, X64_MAX_FIXUPS = 1024 };
typedef struct X64Labels {
    int32_t pos[X64_MAX_LABELS];            /* -1 until bound */
    uint32_t n;
    struct { uint32_t site; uint32_t label; } fixup[X64_MAX_FIXUPS];
    uint32_t n_fixups;
    bool overflow;
} X64Labels;

void x64_emit8(CodeBuf *c, uint8_t v);
void x64_emit32(CodeBuf *c, uint32_t v);
void x64_emit64(CodeBuf *c, uint64_t v);

void x64_labels_init(X64Labels *l);
uint32_t x64_label_new(X64Labels *l);
void x64_label_bind(X64Labels *l, uint32_t label, const CodeBuf *c);
/* Patches every rel32 referring to a label; false if a label was never bound. */
bool x64_labels_resolve(X64Labels *l, CodeBuf *c);

/* ---- register/register and register/immediate ---- */
void x64_alu_rr(CodeBuf *c, X64Alu op, bool w, int dst, int src);
void x64_alu_ri(CodeBuf *c, X64Alu op, bool w, int dst, int32_t imm);
void x64_alu_rm(CodeBuf *c, X64Alu op, bool w, int dst, X64Mem m);   /* dst op= [m] */
void x64_alu_mi(CodeBuf *c, X64Alu op, bool w, X64Mem m, int32_t imm); /* [m] op= imm */
/* cmp reg, qword [rip + ...]: compares with the 8 bytes at rx address `target`. */
void x64_cmp_r_riprel(CodeBuf *c, int reg, uintptr_t target);
void x64_test_rr(CodeBuf *c, bool w, int a, int b);
void x64_test8_rr(CodeBuf *c, int a, int b);        /* byte test (C bool results) */
void x64_mov_rr(CodeBuf *c, bool w, int dst, int src);
void x64_mov_ri(CodeBuf *c, int dst, uint64_t imm);   /* shortest form for the value */
void x64_shift_ri(CodeBuf *c, X64Shift op, bool w, int dst, uint8_t count);
void x64_shift_cl(CodeBuf *c, X64Shift op, bool w, int dst);
void x64_imul_rr(CodeBuf *c, bool w, int dst, int src);
void x64_imul_rri(CodeBuf *c, bool w, int dst, int src, int32_t imm);
void x64_mul_r(CodeBuf *c, bool is_signed, int src);  /* rdx:rax = rax * src (64-bit) */
/* rax = rdx:rax / src, rdx = remainder (edx:eax and 32-bit when !w) */
void x64_div_r(CodeBuf *c, bool is_signed, bool w, int src);
void x64_sign_extend_rax(CodeBuf *c, bool w);              /* cqo (cdq when !w) */
void x64_neg_r(CodeBuf *c, bool w, int r);
void x64_movsx_rr(CodeBuf *c, unsigned from_bits, int dst, int src); /* to 64 bits */
void x64_movzx_rr(CodeBuf *c, unsigned from_bits, int dst, int src); /* 8, 16 (32: mov r32) */
void x64_setcc(CodeBuf *c, X64Cond cc, int dst);      /* low byte only */
void x64_cmov_rr(CodeBuf *c, X64Cond cc, bool w, int dst, int src);
void x64_test8_mi(CodeBuf *c, X64Mem m, uint8_t imm);

/* ---- scalar floating point; xmm registers are numbered 0-15 ---- */
void x64_movq_xr(CodeBuf *c, bool w, int xmm, int src);  /* movq (w) / movd xmm, gpr */
void x64_movq_rx(CodeBuf *c, bool w, int dst, int xmm);  /* movq (w) / movd gpr, xmm */
void x64_rorx(CodeBuf *c, bool w, int dst, int src, uint8_t imm); /* BMI2: dst = src ror imm */
void x64_movq_xm(CodeBuf *c, int xmm, X64Mem m);          /* movq xmm, m64 */
void x64_movq_mx(CodeBuf *c, X64Mem m, int xmm);          /* movq m64, xmm */
/* paddq xmm, [rip-relative target]: the 16 bytes there must be 16-aligned */
void x64_paddq_x_riprel(CodeBuf *c, int xmm, uintptr_t target);
void x64_ldmxcsr_riprel(CodeBuf *c, uintptr_t target);   /* MXCSR = [rip + ...] */
void x64_stmxcsr(CodeBuf *c, X64Mem m);                   /* [m] = MXCSR */
/* dst op= src, double or single; X64_SSE_CVT converts src to the other format */
void x64_sse_rr(CodeBuf *c, X64Sse op, bool dbl, int dst, int src);
void x64_ucomis_rr(CodeBuf *c, bool dbl, int a, int b);  /* flags: ZF PF CF as unsigned a ? b */
void x64_vfma231(CodeBuf *c, X64Fma op, bool dbl, int dst, int a, int b);
/* integer (64-bit if w) to FP; FP to integer, truncating or in the MXCSR mode */
void x64_cvtsi2s(CodeBuf *c, bool dbl, bool w, int xmm, int src);
void x64_cvts2si(CodeBuf *c, bool dbl, bool w, bool trunc, int dst, int xmm);

/* ---- memory ---- */
void x64_load(CodeBuf *c, unsigned bits, bool sign, int dst, X64Mem m); /* extends to 64 */
void x64_store(CodeBuf *c, unsigned bits, X64Mem m, int src);
void x64_store_imm(CodeBuf *c, unsigned bits, X64Mem m, int32_t imm);
void x64_lea(CodeBuf *c, int dst, X64Mem m);
void x64_lea_riprel(CodeBuf *c, int dst, uintptr_t target);

/* ---- control ---- */
/* rel32 jumps; return the offset of the rel32 field (for patching or fixups). */
uint32_t x64_jmp_rel32(CodeBuf *c, uintptr_t target_rx);
uint32_t x64_call_rel32(CodeBuf *c, uintptr_t target_rx);
uint32_t x64_jcc_rel32(CodeBuf *c, X64Cond cc, uintptr_t target_rx);
void x64_jmp_label(CodeBuf *c, X64Labels *l, uint32_t label);
void x64_jcc_label(CodeBuf *c, X64Labels *l, X64Cond cc, uint32_t label);
void x64_jmp_m(CodeBuf *c, X64Mem m);
void x64_call_r(CodeBuf *c, int reg);
void x64_jmp_r(CodeBuf *c, int reg);
void x64_store_load_barrier(CodeBuf *c); /* lock or dword ptr [rsp], 0 */
void x64_push(CodeBuf *c, int reg);
void x64_pop(CodeBuf *c, int reg);
void x64_ret(CodeBuf *c);
/* Rewrites the rel32 field written at field_rw (executing at field_rx) to reach
 * target_rx: used for chaining and unchaining blocks. */
void x64_patch_rel32(uint8_t *field_rw, uintptr_t field_rx, uintptr_t target_rx);
/* Writes a 5-byte jmp rel32 at at_rw (executing at at_rx) to target_rx. */
void x64_patch_jmp(uint8_t *at_rw, uintptr_t at_rx, uintptr_t target_rx);

#endif
