/* RVC expansion: each 16-bit compressed encoding becomes the 32-bit instruction it
 * stands for (unprivileged spec, chapter "C" extension, RV64 column), so the rest
 * of rvx sees only 32-bit semantics. Reserved encodings expand to 0 (illegal);
 * HINT encodings (e.g. c.li x0) expand to their harmless 32-bit forms. */
#include "frontend/rv_insn.h"

static uint32_t bit(uint32_t v, int n) { return (v >> n) & 1; }
static uint32_t bits(uint32_t v, int hi, int lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }

static uint32_t enc_i(uint32_t match, unsigned rd, unsigned rs1, int32_t imm)
{
    return match | ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | rd << 7;
}
static uint32_t enc_r(uint32_t match, unsigned rd, unsigned rs1, unsigned rs2)
{
    return match | rs2 << 20 | rs1 << 15 | rd << 7;
}
static uint32_t enc_s(uint32_t match, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return match | bits(u, 11, 5) << 25 | rs2 << 20 | rs1 << 15 | bits(u, 4, 0) << 7;
}
static uint32_t enc_b(uint32_t match, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return match | bit(u, 12) << 31 | bits(u, 10, 5) << 25 | rs2 << 20 | rs1 << 15 |
           bits(u, 4, 1) << 8 | bit(u, 11) << 7;
}
static uint32_t enc_j(uint32_t match, unsigned rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return match | bit(u, 20) << 31 | bits(u, 10, 1) << 21 | bit(u, 11) << 20 |
           bits(u, 19, 12) << 12 | rd << 7;
}
static int32_t sext32(uint32_t v, int width) { return (int32_t)(v << (32 - width)) >> (32 - width); }

#define M(name) (rv_insn_info[RV_OP_##name].match)

/* 3-bit register fields of the CIW/CL/CS/CA/CB formats name x8..x15 (and f8..f15). */
static unsigned creg(uint32_t field) { return 8 + field; }

static uint32_t expand_q0(uint16_t c)
{
    unsigned rd_ = creg(bits(c, 4, 2)), rs1_ = creg(bits(c, 9, 7));
    uint32_t off_d = bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6;            /* ld/sd/fld/fsd */
    uint32_t off_w = bits(c, 12, 10) << 3 | bit(c, 6) << 2 | bit(c, 5) << 6; /* lw/sw */
    switch (bits(c, 15, 13)) {
    case 0: { /* c.addi4spn */
        uint32_t imm = bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bit(c, 6) << 2 | bit(c, 5) << 3;
        return imm ? enc_i(M(addi), rd_, 2, (int32_t)imm) : 0;
    }
    case 1: return enc_i(M(fld), rd_, rs1_, (int32_t)off_d);
    case 2: return enc_i(M(lw), rd_, rs1_, (int32_t)off_w);
    case 3: return enc_i(M(ld), rd_, rs1_, (int32_t)off_d);
    case 5: return enc_s(M(fsd), rs1_, rd_, (int32_t)off_d);
    case 6: return enc_s(M(sw), rs1_, rd_, (int32_t)off_w);
    case 7: return enc_s(M(sd), rs1_, rd_, (int32_t)off_d);
    default: return 0; /* funct3 4: reserved (Zcb not implemented) */
    }
}

static uint32_t expand_q1(uint16_t c)
{
    unsigned rd = bits(c, 11, 7);
    int32_t imm6 = sext32(bit(c, 12) << 5 | bits(c, 6, 2), 6);
    unsigned rs1_ = creg(bits(c, 9, 7)), rs2_ = creg(bits(c, 4, 2));
    switch (bits(c, 15, 13)) {
    case 0: return enc_i(M(addi), rd, rd, imm6);                 /* c.addi, c.nop */
    case 1: return rd ? enc_i(M(addiw), rd, rd, imm6) : 0;       /* c.addiw */
    case 2: return enc_i(M(addi), rd, 0, imm6);                  /* c.li */
    case 3:
        if (rd == 2) { /* c.addi16sp */
            int32_t imm = sext32(bit(c, 12) << 9 | bit(c, 6) << 4 | bit(c, 5) << 6 |
                                 bits(c, 4, 3) << 7 | bit(c, 2) << 5, 10);
            return imm ? enc_i(M(addi), 2, 2, imm) : 0;
        }
        /* c.lui: nzimm[17:12] */
        return imm6 ? (M(lui) | ((uint32_t)imm6 & 0xfffff) << 12 | rd << 7) : 0;
    case 4: {
        uint32_t shamt = bit(c, 12) << 5 | bits(c, 6, 2);
        switch (bits(c, 11, 10)) {
        case 0: return enc_i(M(srli), rs1_, rs1_, (int32_t)shamt);
        case 1: return enc_i(M(srai), rs1_, rs1_, (int32_t)shamt);
        case 2: return enc_i(M(andi), rs1_, rs1_, imm6);
        default: {
            static const uint8_t ops[8] = {RV_OP_sub, RV_OP_xor, RV_OP_or, RV_OP_and,
                                           RV_OP_subw, RV_OP_addw, 0, 0};
            unsigned op = ops[bit(c, 12) << 2 | bits(c, 6, 5)];
            return op ? enc_r(rv_insn_info[op].match, rs1_, rs1_, rs2_) : 0;
        }
        }
    }
    case 5: { /* c.j */
        int32_t imm = sext32(bit(c, 12) << 11 | bit(c, 11) << 4 | bits(c, 10, 9) << 8 |
                             bit(c, 8) << 10 | bit(c, 7) << 6 | bit(c, 6) << 7 |
                             bits(c, 5, 3) << 1 | bit(c, 2) << 5, 12);
        return enc_j(M(jal), 0, imm);
    }
    default: { /* c.beqz, c.bnez */
        int32_t imm = sext32(bit(c, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6 |
                             bits(c, 4, 3) << 1 | bit(c, 2) << 5, 9);
        return enc_b(bits(c, 15, 13) == 6 ? M(beq) : M(bne), rs1_, 0, imm);
    }
    }
}

static uint32_t expand_q2(uint16_t c)
{
    unsigned rd = bits(c, 11, 7), rs2 = bits(c, 6, 2);
    uint32_t off_dsp = bit(c, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6;
    uint32_t off_wsp = bit(c, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6;
    uint32_t soff_d = bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6;
    uint32_t soff_w = bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6;
    switch (bits(c, 15, 13)) {
    case 0: return enc_i(M(slli), rd, rd, (int32_t)(bit(c, 12) << 5 | rs2));
    case 1: return enc_i(M(fld), rd, 2, (int32_t)off_dsp);
    case 2: return rd ? enc_i(M(lw), rd, 2, (int32_t)off_wsp) : 0;
    case 3: return rd ? enc_i(M(ld), rd, 2, (int32_t)off_dsp) : 0;
    case 4:
        if (!bit(c, 12)) {
            if (rs2 == 0)
                return rd ? enc_i(M(jalr), 0, rd, 0) : 0;        /* c.jr */
            return enc_r(M(add), rd, 0, rs2);                     /* c.mv */
        }
        if (rs2 == 0)
            return rd ? enc_i(M(jalr), 1, rd, 0) : M(ebreak);    /* c.jalr, c.ebreak */
        return enc_r(M(add), rd, rd, rs2);                        /* c.add */
    case 5: return enc_s(M(fsd), 2, rs2, (int32_t)soff_d);
    case 6: return enc_s(M(sw), 2, rs2, (int32_t)soff_w);
    default: return enc_s(M(sd), 2, rs2, (int32_t)soff_d);
    }
}

uint32_t rv_expand_compressed(uint16_t c)
{
    switch (c & 3) {
    case 0: return expand_q0(c);
    case 1: return expand_q1(c);
    case 2: return expand_q2(c);
    default: return 0;
    }
}
