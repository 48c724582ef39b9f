/* Interpreter semantics of the integer instructions: RV64I, M, Zba, Zbb, Zbc, Zbs,
 * Zicond, and integer loads/stores. Straight transcriptions of the unprivileged spec. */
#include "frontend/interp_internal.h"

/* ---- upper immediates, jumps, branches ---- */
INSN(lui)   { RD = (uint64_t)IMM; return NEXT(); }
INSN(auipc) { RD = PC + (uint64_t)IMM; return NEXT(); }
INSN(jal)   { RD = NEXT_PC; h->pc = PC + (uint64_t)IMM; return true; }
INSN(jal_followed) { RD = NEXT_PC; return NEXT(); } /* the target is the next in the run */
INSN(jalr)
{
    uint64_t target = (RS1 + (uint64_t)IMM) & ~(uint64_t)1;
    RD = NEXT_PC;
    h->pc = target;
    return true;
}

#define BRANCH(name, cond) \
    INSN(name) { h->pc = (cond) ? PC + (uint64_t)IMM : NEXT_PC; return true; }
BRANCH(beq, RS1 == RS2)
BRANCH(bne, RS1 != RS2)
BRANCH(blt, (int64_t)RS1 < (int64_t)RS2)
BRANCH(bge, (int64_t)RS1 >= (int64_t)RS2)
BRANCH(bltu, RS1 < RS2)
BRANCH(bgeu, RS1 >= RS2)

/* ---- loads and stores ---- */
#define LOAD(name, bits, convert)                                     \
    INSN(name)                                                        \
    {                                                                 \
        uint64_t v;                                                   \
        if (!mem_load_u##bits(h, RS1 + (uint64_t)IMM, &v))            \
            return FAIL();                                            \
        RD = convert;                                                 \
        return NEXT();                                                \
    }
LOAD(lb, 8, (uint64_t)(int64_t)(int8_t)v)
LOAD(lh, 16, (uint64_t)(int64_t)(int16_t)v)
LOAD(lw, 32, SEXT32(v))
LOAD(ld, 64, v)
LOAD(lbu, 8, v)
LOAD(lhu, 16, v)
LOAD(lwu, 32, v)

#define STORE(name, bits) \
    INSN(name) { return mem_store_u##bits(h, RS1 + (uint64_t)IMM, RS2) ? NEXT() : FAIL(); }
STORE(sb, 8)
STORE(sh, 16)
STORE(sw, 32)
STORE(sd, 64)

/* ---- register-immediate and register-register ALU ---- */
#define ALU(name, expr) INSN(name) { RD = (expr); return NEXT(); }
ALU(addi, RS1 + (uint64_t)IMM)
ALU(slti, (int64_t)RS1 < IMM)
ALU(sltiu, RS1 < (uint64_t)IMM)
ALU(xori, RS1 ^ (uint64_t)IMM)
ALU(ori, RS1 | (uint64_t)IMM)
ALU(andi, RS1 & (uint64_t)IMM)
ALU(slli, RS1 << IMM)
ALU(srli, RS1 >> IMM)
ALU(srai, (uint64_t)((int64_t)RS1 >> IMM))
ALU(add, RS1 + RS2)
ALU(sub, RS1 - RS2)
ALU(sll, RS1 << (RS2 & 63))
ALU(slt, (int64_t)RS1 < (int64_t)RS2)
ALU(sltu, RS1 < RS2)
ALU(xor, RS1 ^ RS2)
ALU(srl, RS1 >> (RS2 & 63))
ALU(sra, (uint64_t)((int64_t)RS1 >> (RS2 & 63)))
ALU(or, RS1 | RS2)
ALU(and, RS1 & RS2)
ALU(addiw, SEXT32(RS1 + (uint64_t)IMM))
ALU(slliw, SEXT32((uint32_t)RS1 << IMM))
ALU(srliw, SEXT32((uint32_t)RS1 >> IMM))
ALU(sraiw, SEXT32((int32_t)RS1 >> IMM))
ALU(addw, SEXT32(RS1 + RS2))
ALU(subw, SEXT32(RS1 - RS2))
ALU(sllw, SEXT32((uint32_t)RS1 << (RS2 & 31)))
ALU(srlw, SEXT32((uint32_t)RS1 >> (RS2 & 31)))
ALU(sraw, SEXT32((int32_t)RS1 >> (RS2 & 31)))

/* ---- M: division by zero and overflow give the spec's fixed results, no trap ---- */
static uint64_t div_s64(int64_t a, int64_t b)
{
    if (b == 0) return UINT64_MAX;
    if (a == INT64_MIN && b == -1) return (uint64_t)a;
    return (uint64_t)(a / b);
}
static uint64_t rem_s64(int64_t a, int64_t b)
{
    if (b == 0) return (uint64_t)a;
    if (a == INT64_MIN && b == -1) return 0;
    return (uint64_t)(a % b);
}
static uint64_t div_s32(int32_t a, int32_t b)
{
    if (b == 0) return UINT64_MAX;
    if (a == INT32_MIN && b == -1) return SEXT32(a);
    return SEXT32(a / b);
}
static uint64_t rem_s32(int32_t a, int32_t b)
{
    if (b == 0) return SEXT32(a);
    if (a == INT32_MIN && b == -1) return 0;
    return SEXT32(a % b);
}

ALU(mul, RS1 * RS2)
ALU(mulh, (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64))
ALU(mulhsu, (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(unsigned __int128)RS2) >> 64))
ALU(mulhu, (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64))
ALU(div, div_s64((int64_t)RS1, (int64_t)RS2))
ALU(divu, RS2 ? RS1 / RS2 : UINT64_MAX)
ALU(rem, rem_s64((int64_t)RS1, (int64_t)RS2))
ALU(remu, RS2 ? RS1 % RS2 : RS1)
ALU(mulw, SEXT32((uint32_t)RS1 * (uint32_t)RS2))
ALU(divw, div_s32((int32_t)RS1, (int32_t)RS2))
ALU(divuw, (uint32_t)RS2 ? SEXT32((uint32_t)RS1 / (uint32_t)RS2) : UINT64_MAX)
ALU(remw, rem_s32((int32_t)RS1, (int32_t)RS2))
ALU(remuw, (uint32_t)RS2 ? SEXT32((uint32_t)RS1 % (uint32_t)RS2) : SEXT32(RS1))

/* ---- Zba ---- */
ALU(sh1add, (RS1 << 1) + RS2)
ALU(sh2add, (RS1 << 2) + RS2)
ALU(sh3add, (RS1 << 3) + RS2)
ALU(add_uw, (uint64_t)(uint32_t)RS1 + RS2)
ALU(sh1add_uw, ((uint64_t)(uint32_t)RS1 << 1) + RS2)
ALU(sh2add_uw, ((uint64_t)(uint32_t)RS1 << 2) + RS2)
ALU(sh3add_uw, ((uint64_t)(uint32_t)RS1 << 3) + RS2)
ALU(slli_uw, (uint64_t)(uint32_t)RS1 << IMM)

/* ---- Zbb ---- */
static uint64_t rotl64(uint64_t v, unsigned n) { n &= 63; return n ? (v << n) | (v >> (64 - n)) : v; }
static uint64_t rotr64(uint64_t v, unsigned n) { n &= 63; return n ? (v >> n) | (v << (64 - n)) : v; }
static uint32_t rotl32(uint32_t v, unsigned n) { n &= 31; return n ? (v << n) | (v >> (32 - n)) : v; }
static uint32_t rotr32(uint32_t v, unsigned n) { n &= 31; return n ? (v >> n) | (v << (32 - n)) : v; }
static uint64_t orc_b(uint64_t v)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i += 8)
        if ((v >> i) & 0xff)
            r |= (uint64_t)0xff << i;
    return r;
}

ALU(andn, RS1 & ~RS2)
ALU(orn, RS1 | ~RS2)
ALU(xnor, ~(RS1 ^ RS2))
ALU(clz, RS1 ? (uint64_t)__builtin_clzll(RS1) : 64)
ALU(ctz, RS1 ? (uint64_t)__builtin_ctzll(RS1) : 64)
ALU(cpop, (uint64_t)__builtin_popcountll(RS1))
ALU(sext_b, (uint64_t)(int64_t)(int8_t)RS1)
ALU(sext_h, (uint64_t)(int64_t)(int16_t)RS1)
ALU(clzw, (uint32_t)RS1 ? (uint64_t)__builtin_clz((uint32_t)RS1) : 32)
ALU(ctzw, (uint32_t)RS1 ? (uint64_t)__builtin_ctz((uint32_t)RS1) : 32)
ALU(cpopw, (uint64_t)__builtin_popcount((uint32_t)RS1))
ALU(zext_h, (uint16_t)RS1)
ALU(max, (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2)
ALU(maxu, RS1 > RS2 ? RS1 : RS2)
ALU(min, (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2)
ALU(minu, RS1 < RS2 ? RS1 : RS2)
ALU(rol, rotl64(RS1, (unsigned)RS2))
ALU(ror, rotr64(RS1, (unsigned)RS2))
ALU(rolw, SEXT32(rotl32((uint32_t)RS1, (unsigned)RS2)))
ALU(rorw, SEXT32(rotr32((uint32_t)RS1, (unsigned)RS2)))
ALU(rori, rotr64(RS1, (unsigned)IMM))
ALU(roriw, SEXT32(rotr32((uint32_t)RS1, (unsigned)IMM)))
ALU(orc_b, orc_b(RS1))
ALU(rev8, __builtin_bswap64(RS1))

/* ---- Zbc: carry-less multiply ---- */
static uint64_t clmul_lo(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a << i;
    return r;
}
static uint64_t clmul_hi(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 1; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a >> (64 - i);
    return r;
}
static uint64_t clmul_rev(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a >> (63 - i);
    return r;
}
ALU(clmul, clmul_lo(RS1, RS2))
ALU(clmulh, clmul_hi(RS1, RS2))
ALU(clmulr, clmul_rev(RS1, RS2))

/* ---- Zbs ---- */
ALU(bclr, RS1 & ~((uint64_t)1 << (RS2 & 63)))
ALU(bext, (RS1 >> (RS2 & 63)) & 1)
ALU(binv, RS1 ^ ((uint64_t)1 << (RS2 & 63)))
ALU(bset, RS1 | ((uint64_t)1 << (RS2 & 63)))
ALU(bclri, RS1 & ~((uint64_t)1 << IMM))
ALU(bexti, (RS1 >> IMM) & 1)
ALU(binvi, RS1 ^ ((uint64_t)1 << IMM))
ALU(bseti, RS1 | ((uint64_t)1 << IMM))

/* ---- Zicond ---- */
ALU(czero_eqz, RS2 == 0 ? 0 : RS1)
ALU(czero_nez, RS2 != 0 ? 0 : RS1)
