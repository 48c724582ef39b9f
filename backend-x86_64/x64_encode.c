/* x86-64 encoders (see x64_encode.h). Each function emits exactly one instruction.
 * REX is emitted only when needed: W for 64-bit operands, R/X/B for r8-r15, and a bare
 * REX for byte access to spl/bpl/sil/dil. Memory operands pick the shortest
 * displacement and add the SIB byte that rsp/r12 bases require. */
#include "backend-x86_64/x64_encode.h"

#include <string.h>

void x64_emit8(CodeBuf *c, uint8_t v)
{
    if (c->used + 1 > c->size) {
        c->overflow = true;
        return;
    }
    c->rw[c->used++] = v;
}

void x64_emit32(CodeBuf *c, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x64_emit8(c, (uint8_t)(v >> (8 * i)));
}

void x64_emit64(CodeBuf *c, uint64_t v)
{
    x64_emit32(c, (uint32_t)v);
    x64_emit32(c, (uint32_t)(v >> 32));
}

/* ---- labels ---- */
void x64_labels_init(X64Labels *l)
{
    l->n = 0;
    l->n_fixups = 0;
    l->overflow = false;
}

uint32_t x64_label_new(X64Labels *l)
{
    if (l->n >= X64_MAX_LABELS) {
        l->overflow = true;
        return 0;
    }
    l->pos[l->n] = -1;
    return l->n++;
}

void x64_label_bind(X64Labels *l, uint32_t label, const CodeBuf *c) { l->pos[label] = (int32_t)c->used; }

static void add_fixup(X64Labels *l, uint32_t site, uint32_t label)
{
    if (l->n_fixups >= X64_MAX_FIXUPS) {
        l->overflow = true;
        return;
    }
    l->fixup[l->n_fixups].site = site;
    l->fixup[l->n_fixups++].label = label;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

bool x64_labels_resolve(X64Labels *l, CodeBuf *c)
{
    if (l->overflow)
        return false;
    for (uint32_t k = 0; k < l->n_fixups; k++) {
        uint32_t site = l->fixup[k].site;
        int32_t pos = l->pos[l->fixup[k].label];
        if (pos < 0)
            return false;
        if (site + 4 <= c->used)
            put32(c->rw + site, (uint32_t)(pos - (int32_t)(site + 4)));
    }
    return true;
}

/* ---- prefixes and operands ---- */
static void rex(CodeBuf *c, bool w, int r, int x, int b, bool force)
{
    uint8_t v = (uint8_t)(0x40 | (w ? 8 : 0) | ((r & 8) ? 4 : 0) | ((x & 8) ? 2 : 0) | ((b & 8) ? 1 : 0));
    if (v != 0x40 || force)
        x64_emit8(c, v);
}

/* Byte registers 4-7 mean ah/ch/dh/bh without REX: force one for spl/bpl/sil/dil. */
static bool byte_needs_rex(int r) { return r >= 4 && r <= 7; }

static void modrm_rr(CodeBuf *c, int reg, int rm) { x64_emit8(c, (uint8_t)(0xc0 | ((reg & 7) << 3) | (rm & 7))); }

/* The SIB byte of m with base field `base` (index 100: none). */
static void sib(CodeBuf *c, X64Mem m, int base)
{
    int ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
    int idx = m.index == X64_NO_REG ? 4 : (m.index & 7);
    x64_emit8(c, (uint8_t)((ss << 6) | (idx << 3) | base));
}

static void modrm_mem(CodeBuf *c, int reg, X64Mem m)
{
    if (m.base == X64_NO_REG) { /* [index * scale + disp32]: SIB with base 101, mod 00 */
        x64_emit8(c, (uint8_t)(((reg & 7) << 3) | 4));
        sib(c, m, 5);
        x64_emit32(c, (uint32_t)m.disp);
        return;
    }
    int base = m.base & 7;
    bool need_sib = m.index != X64_NO_REG || base == X64_RSP;
    int mod;
    if (m.disp == 0 && base != X64_RBP)
        mod = 0;
    else if (m.disp >= -128 && m.disp <= 127)
        mod = 1;
    else
        mod = 2;
    x64_emit8(c, (uint8_t)((mod << 6) | ((reg & 7) << 3) | (need_sib ? 4 : base)));
    if (need_sib)
        sib(c, m, base);
    if (mod == 1)
        x64_emit8(c, (uint8_t)(int8_t)m.disp);
    else if (mod == 2)
        x64_emit32(c, (uint32_t)m.disp);
}

static int mem_x(X64Mem m) { return m.index == X64_NO_REG ? 0 : m.index; }
static int mem_b(X64Mem m) { return m.base == X64_NO_REG ? 0 : m.base; }

/* One opcode (up to two bytes) with a register/memory operand. */
static void op_rm(CodeBuf *c, bool w, uint32_t opcode, int reg, X64Mem m, bool byte_reg)
{
    rex(c, w, reg, mem_x(m), mem_b(m), byte_reg && byte_needs_rex(reg));
    if (opcode > 0xff)
        x64_emit8(c, (uint8_t)(opcode >> 8));
    x64_emit8(c, (uint8_t)opcode);
    modrm_mem(c, reg, m);
}

static void op_rr(CodeBuf *c, bool w, uint32_t opcode, int reg, int rm, bool byte_regs)
{
    rex(c, w, reg, 0, rm, byte_regs && (byte_needs_rex(reg) || byte_needs_rex(rm)));
    if (opcode > 0xff)
        x64_emit8(c, (uint8_t)(opcode >> 8));
    x64_emit8(c, (uint8_t)opcode);
    modrm_rr(c, reg, rm);
}

static bool fits8(int64_t v) { return v >= -128 && v <= 127; }

/* ---- ALU ---- */
void x64_alu_rr(CodeBuf *c, X64Alu op, bool w, int dst, int src) { op_rr(c, w, (uint32_t)op * 8 + 1, src, dst, false); }

void x64_alu_ri(CodeBuf *c, X64Alu op, bool w, int dst, int32_t imm)
{
    op_rr(c, w, fits8(imm) ? 0x83 : 0x81, (int)op, dst, false);
    if (fits8(imm))
        x64_emit8(c, (uint8_t)imm);
    else
        x64_emit32(c, (uint32_t)imm);
}

void x64_alu_rm(CodeBuf *c, X64Alu op, bool w, int dst, X64Mem m) { op_rm(c, w, (uint32_t)op * 8 + 3, dst, m, false); }

/* The ModRM byte and disp32 of a [rip + disp32] operand reaching `target` (the last
 * part of the instruction). */
static void modrm_riprel(CodeBuf *c, int reg, uintptr_t target)
{
    x64_emit8(c, (uint8_t)(((reg & 7) << 3) | 5)); /* mod 00, rm 101: rip + disp32 */
    uintptr_t next = code_buf_rx_pos(c) + 4;
    x64_emit32(c, (uint32_t)(int32_t)(intptr_t)(target - next));
}

void x64_cmp_r_riprel(CodeBuf *c, int reg, uintptr_t target)
{
    rex(c, true, reg, 0, 0, false);
    x64_emit8(c, 0x3b);
    modrm_riprel(c, reg, target);
}

void x64_lea_riprel(CodeBuf *c, int dst, uintptr_t target)
{
    rex(c, true, dst, 0, 0, false);
    x64_emit8(c, 0x8d);
    modrm_riprel(c, dst, target);
}

void x64_alu_mi(CodeBuf *c, X64Alu op, bool w, X64Mem m, int32_t imm)
{
    op_rm(c, w, fits8(imm) ? 0x83 : 0x81, (int)op, m, false);
    if (fits8(imm))
        x64_emit8(c, (uint8_t)imm);
    else
        x64_emit32(c, (uint32_t)imm);
}

void x64_test_rr(CodeBuf *c, bool w, int a, int b) { op_rr(c, w, 0x85, b, a, false); }
void x64_test8_rr(CodeBuf *c, int a, int b) { op_rr(c, false, 0x84, b, a, true); }
void x64_mov_rr(CodeBuf *c, bool w, int dst, int src) { op_rr(c, w, 0x89, src, dst, false); }

void x64_mov_ri(CodeBuf *c, int dst, uint64_t imm)
{
    if (imm == 0) {
        x64_alu_rr(c, X64_XOR, false, dst, dst);
    } else if (imm <= UINT32_MAX) {           /* mov r32, imm32 zero-extends */
        rex(c, false, 0, 0, dst, false);
        x64_emit8(c, (uint8_t)(0xb8 + (dst & 7)));
        x64_emit32(c, (uint32_t)imm);
    } else if ((int64_t)imm == (int32_t)imm) { /* mov r/m64, imm32 sign-extends */
        op_rr(c, true, 0xc7, 0, dst, false);
        x64_emit32(c, (uint32_t)imm);
    } else {
        rex(c, true, 0, 0, dst, false);
        x64_emit8(c, (uint8_t)(0xb8 + (dst & 7)));
        x64_emit64(c, imm);
    }
}

void x64_shift_ri(CodeBuf *c, X64Shift op, bool w, int dst, uint8_t count)
{
    op_rr(c, w, 0xc1, (int)op, dst, false);
    x64_emit8(c, count);
}

void x64_shift_cl(CodeBuf *c, X64Shift op, bool w, int dst) { op_rr(c, w, 0xd3, (int)op, dst, false); }
void x64_imul_rr(CodeBuf *c, bool w, int dst, int src) { op_rr(c, w, 0x0faf, dst, src, false); }

void x64_imul_rri(CodeBuf *c, bool w, int dst, int src, int32_t imm)
{
    op_rr(c, w, fits8(imm) ? 0x6b : 0x69, dst, src, false);
    if (fits8(imm))
        x64_emit8(c, (uint8_t)imm);
    else
        x64_emit32(c, (uint32_t)imm);
}

void x64_mul_r(CodeBuf *c, bool is_signed, int src) { op_rr(c, true, 0xf7, is_signed ? 5 : 4, src, false); }
void x64_div_r(CodeBuf *c, bool is_signed, bool w, int src) { op_rr(c, w, 0xf7, is_signed ? 7 : 6, src, false); }
void x64_neg_r(CodeBuf *c, bool w, int r) { op_rr(c, w, 0xf7, 3, r, false); }
void x64_sign_extend_rax(CodeBuf *c, bool w)
{
    if (w)
        x64_emit8(c, 0x48);
    x64_emit8(c, 0x99);
}

void x64_movsx_rr(CodeBuf *c, unsigned from_bits, int dst, int src)
{
    if (from_bits == 32)
        op_rr(c, true, 0x63, dst, src, false);
    else
        op_rr(c, true, from_bits == 8 ? 0x0fbe : 0x0fbf, dst, src, from_bits == 8);
}

void x64_movzx_rr(CodeBuf *c, unsigned from_bits, int dst, int src)
{
    if (from_bits == 32)
        x64_mov_rr(c, false, dst, src);
    else
        op_rr(c, false, from_bits == 8 ? 0x0fb6 : 0x0fb7, dst, src, from_bits == 8);
}

void x64_setcc(CodeBuf *c, X64Cond cc, int dst) { op_rr(c, false, 0x0f90u + cc, 0, dst, true); }

void x64_cmov_rr(CodeBuf *c, X64Cond cc, bool w, int dst, int src) { op_rr(c, w, 0x0f40u + cc, dst, src, false); }

void x64_test8_mi(CodeBuf *c, X64Mem m, uint8_t imm)
{
    op_rm(c, false, 0xf6, 0, m, false);
    x64_emit8(c, imm);
}

/* ---- scalar floating point: a mandatory prefix, then REX, then the opcode ---- */
static void sse_rr(CodeBuf *c, uint8_t prefix, bool w, uint32_t opcode, int reg, int rm)
{
    x64_emit8(c, prefix);
    op_rr(c, w, opcode, reg, rm, false);
}

void x64_movq_xr(CodeBuf *c, bool w, int xmm, int src) { sse_rr(c, 0x66, w, 0x0f6e, xmm, src); }
void x64_movq_rx(CodeBuf *c, bool w, int dst, int xmm) { sse_rr(c, 0x66, w, 0x0f7e, xmm, dst); }
void x64_movq_xm(CodeBuf *c, int xmm, X64Mem m)
{
    x64_emit8(c, 0x66);
    op_rm(c, true, 0x0f6e, xmm, m, false);
}

void x64_movq_mx(CodeBuf *c, X64Mem m, int xmm)
{
    x64_emit8(c, 0x66);
    op_rm(c, true, 0x0f7e, xmm, m, false);
}

void x64_paddq_x_riprel(CodeBuf *c, int xmm, uintptr_t target)
{
    x64_emit8(c, 0x66);
    rex(c, false, xmm, 0, 0, false);
    x64_emit8(c, 0x0f);
    x64_emit8(c, 0xd4);
    modrm_riprel(c, xmm, target);
}

/* ldmxcsr / stmxcsr: 0f ae /2, /3 */
void x64_ldmxcsr_riprel(CodeBuf *c, uintptr_t target)
{
    x64_emit8(c, 0x0f);
    x64_emit8(c, 0xae);
    modrm_riprel(c, 2, target);
}

void x64_stmxcsr(CodeBuf *c, X64Mem m) { op_rm(c, false, 0x0fae, 3, m, false); }

void x64_sse_rr(CodeBuf *c, X64Sse op, bool dbl, int dst, int src) { sse_rr(c, dbl ? 0xf2 : 0xf3, false, 0x0f00u + op, dst, src); }

void x64_ucomis_rr(CodeBuf *c, bool dbl, int a, int b)
{
    if (dbl)
        x64_emit8(c, 0x66);
    op_rr(c, false, 0x0f2e, a, b, false);
}

/* BMI2 rorx dst, src, imm: VEX.LZ.F2.0F3A.W(w) F0 /r ib, a rotate that keeps src. */
void x64_rorx(CodeBuf *c, bool w, int dst, int src, uint8_t imm)
{
    x64_emit8(c, 0xc4);
    x64_emit8(c, (uint8_t)(((dst & 8) ? 0 : 0x80) | 0x40 | ((src & 8) ? 0 : 0x20) | 0x03));
    x64_emit8(c, (uint8_t)((w ? 0x80 : 0) | 0x78 | 0x03));
    x64_emit8(c, 0xf0);
    modrm_rr(c, dst, src);
    x64_emit8(c, imm);
}

/* Three-byte VEX (map 0f38, prefix 66, LIG): R and B inverted, vvvv = ~a. */
void x64_vfma231(CodeBuf *c, X64Fma op, bool dbl, int dst, int a, int b)
{
    x64_emit8(c, 0xc4);
    x64_emit8(c, (uint8_t)(((dst & 8) ? 0 : 0x80) | 0x40 | ((b & 8) ? 0 : 0x20) | 0x02));
    x64_emit8(c, (uint8_t)((dbl ? 0x80 : 0) | ((~a & 15) << 3) | 0x01));
    x64_emit8(c, (uint8_t)op);
    modrm_rr(c, dst, b);
}

void x64_cvtsi2s(CodeBuf *c, bool dbl, bool w, int xmm, int src) { sse_rr(c, dbl ? 0xf2 : 0xf3, w, 0x0f2a, xmm, src); }

void x64_cvts2si(CodeBuf *c, bool dbl, bool w, bool trunc, int dst, int xmm)
{
    sse_rr(c, dbl ? 0xf2 : 0xf3, w, trunc ? 0x0f2c : 0x0f2d, dst, xmm);
}

/* ---- memory ---- */
void x64_load(CodeBuf *c, unsigned bits, bool sign, int dst, X64Mem m)
{
    switch (bits) {
    case 8: op_rm(c, true, sign ? 0x0fbe : 0x0fb6, dst, m, false); break;
    case 16: op_rm(c, true, sign ? 0x0fbf : 0x0fb7, dst, m, false); break;
    case 32:
        if (sign)
            op_rm(c, true, 0x63, dst, m, false);
        else
            op_rm(c, false, 0x8b, dst, m, false);
        break;
    default: op_rm(c, true, 0x8b, dst, m, false); break;
    }
}

void x64_store(CodeBuf *c, unsigned bits, X64Mem m, int src)
{
    if (bits == 16)
        x64_emit8(c, 0x66);
    op_rm(c, bits == 64, bits == 8 ? 0x88 : 0x89, src, m, bits == 8);
}

void x64_store_imm(CodeBuf *c, unsigned bits, X64Mem m, int32_t imm)
{
    if (bits == 16)
        x64_emit8(c, 0x66);
    op_rm(c, bits == 64, bits == 8 ? 0xc6 : 0xc7, 0, m, false);
    if (bits == 8)
        x64_emit8(c, (uint8_t)imm);
    else if (bits == 16) {
        x64_emit8(c, (uint8_t)imm);
        x64_emit8(c, (uint8_t)(imm >> 8));
    } else
        x64_emit32(c, (uint32_t)imm);
}

void x64_lea(CodeBuf *c, int dst, X64Mem m) { op_rm(c, true, 0x8d, dst, m, false); }

/* ---- control ---- */
static uint32_t rel32_to(CodeBuf *c, uintptr_t target_rx)
{
    uint32_t site = (uint32_t)c->used;
    x64_emit32(c, (uint32_t)(int32_t)(target_rx - (c->rx + site + 4)));
    return site;
}

uint32_t x64_jmp_rel32(CodeBuf *c, uintptr_t target_rx)
{
    x64_emit8(c, 0xe9);
    return rel32_to(c, target_rx);
}

uint32_t x64_call_rel32(CodeBuf *c, uintptr_t target_rx)
{
    x64_emit8(c, 0xe8);
    return rel32_to(c, target_rx);
}

uint32_t x64_jcc_rel32(CodeBuf *c, X64Cond cc, uintptr_t target_rx)
{
    x64_emit8(c, 0x0f);
    x64_emit8(c, (uint8_t)(0x80 + cc));
    return rel32_to(c, target_rx);
}

void x64_jmp_label(CodeBuf *c, X64Labels *l, uint32_t label)
{
    x64_emit8(c, 0xe9);
    add_fixup(l, (uint32_t)c->used, label);
    x64_emit32(c, 0);
}

void x64_jcc_label(CodeBuf *c, X64Labels *l, X64Cond cc, uint32_t label)
{
    x64_emit8(c, 0x0f);
    x64_emit8(c, (uint8_t)(0x80 + cc));
    add_fixup(l, (uint32_t)c->used, label);
    x64_emit32(c, 0);
}

void x64_jmp_m(CodeBuf *c, X64Mem m) { op_rm(c, false, 0xff, 4, m, false); }
void x64_call_r(CodeBuf *c, int reg) { op_rr(c, false, 0xff, 2, reg, false); }
/* lock or dword [rsp], 0: a full barrier for ordinary (write-back) memory, cheaper
 * than mfence, which also waits for non-temporal and write-combining stores (QEMU's
 * x86 backend measured the same). */
void x64_store_load_barrier(CodeBuf *c)
{
    x64_emit8(c, 0xf0);
    x64_alu_mi(c, X64_OR, false, x64_mem(X64_RSP, 0), 0);
}
void x64_jmp_r(CodeBuf *c, int reg) { op_rr(c, false, 0xff, 4, reg, false); }

void x64_push(CodeBuf *c, int reg)
{
    rex(c, false, 0, 0, reg, false);
    x64_emit8(c, (uint8_t)(0x50 + (reg & 7)));
}

void x64_pop(CodeBuf *c, int reg)
{
    rex(c, false, 0, 0, reg, false);
    x64_emit8(c, (uint8_t)(0x58 + (reg & 7)));
}

void x64_ret(CodeBuf *c) { x64_emit8(c, 0xc3); }

void x64_patch_rel32(uint8_t *field_rw, uintptr_t field_rx, uintptr_t target_rx)
{
    put32(field_rw, (uint32_t)(int32_t)(target_rx - (field_rx + 4)));
}

void x64_patch_jmp(uint8_t *at_rw, uintptr_t at_rx, uintptr_t target_rx)
{
    uint8_t insn[5] = {0xe9};
    put32(insn + 1, (uint32_t)(int32_t)(target_rx - (at_rx + 5)));
    memcpy(at_rw, insn, sizeof insn);
}
