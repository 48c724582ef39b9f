/* Decoder: 32-bit encodings are matched against the instruction table (rv_insn.def),
 * grouped by major opcode so a lookup scans only a handful of entries; 16-bit RVC
 * encodings are first expanded to their 32-bit equivalents (rvc.c).
 * Invariant: decoding is a pure function of the bits. */
#include "frontend/rv_insn.h"

#include <pthread.h>
#include <string.h>

const RvInsnInfo rv_insn_info[RV_OP_COUNT] = {
    [RV_OP_ILLEGAL] = {"illegal", RV_FMT_ILLEGAL, RV_EXT_I, 0, 0},
#define RV_INSN(name, mnem, fmt, mask, match, ext) \
    [RV_OP_##name] = {mnem, RV_FMT_##fmt, RV_EXT_##ext, mask, match},
#include "frontend/rv_insn.def"
#undef RV_INSN
};

/* For each major opcode (bits 6:2), the table entries in table order. */
enum { MAX_PER_OPCODE = 64 };
static uint16_t by_opcode[32][MAX_PER_OPCODE];
static uint8_t by_opcode_count[32];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
    for (int op = 1; op < RV_OP_COUNT; op++) {
        unsigned major = (rv_insn_info[op].match >> 2) & 31;
        by_opcode[major][by_opcode_count[major]++] = (uint16_t)op;
    }
}

static inline int64_t sext(uint64_t v, int bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static bool rm_is_reserved(unsigned rm) { return rm == 5 || rm == 6; }

static void extract_operands(uint32_t e, RvFormat fmt, RvInsn *d)
{
    d->rd = (e >> 7) & 31;
    d->rs1 = (e >> 15) & 31;
    d->rs2 = (e >> 20) & 31;
    d->rs3 = (e >> 27) & 31;
    switch (fmt) {
    case RV_FMT_I: case RV_FMT_LOAD: case RV_FMT_JALR: case RV_FMT_FLOAD:
        d->imm = sext(e >> 20, 12);
        break;
    case RV_FMT_SHIFT:
        d->imm = (e >> 20) & 63;
        break;
    case RV_FMT_STORE: case RV_FMT_FSTORE:
        d->imm = sext(((e >> 25) << 5) | ((e >> 7) & 31), 12);
        break;
    case RV_FMT_BRANCH:
        d->imm = sext(((e >> 31) & 1) << 12 | ((e >> 7) & 1) << 11 |
                      ((e >> 25) & 0x3f) << 5 | ((e >> 8) & 0xf) << 1, 13);
        break;
    case RV_FMT_U:
        d->imm = sext(e & 0xfffff000u, 32);
        break;
    case RV_FMT_J:
        d->imm = sext(((e >> 31) & 1) << 20 | ((e >> 12) & 0xff) << 12 |
                      ((e >> 20) & 1) << 11 | ((e >> 21) & 0x3ff) << 1, 21);
        break;
    case RV_FMT_CSR:
        d->csr = e >> 20;
        break;
    case RV_FMT_CSRI:
        d->csr = e >> 20;
        d->imm = d->rs1;
        break;
    case RV_FMT_FENCE:
        d->fence = (e >> 20) & 0xff;
        d->rm = e >> 28;
        break;
    case RV_FMT_AMO: case RV_FMT_LR:
        d->rm = (e >> 25) & 3;
        break;
    case RV_FMT_FR_RM: case RV_FMT_FR4: case RV_FMT_F2F_RM:
    case RV_FMT_F2X_RM: case RV_FMT_X2F_RM:
        d->rm = (e >> 12) & 7;
        break;
    default:
        break;
    }
}

static bool has_rounding_mode(RvFormat fmt)
{
    return fmt == RV_FMT_FR_RM || fmt == RV_FMT_FR4 || fmt == RV_FMT_F2F_RM ||
           fmt == RV_FMT_F2X_RM || fmt == RV_FMT_X2F_RM;
}

static void decode32(uint32_t e, RvInsn *d)
{
    d->op = RV_OP_ILLEGAL;
    if ((e & 3) != 3 || (e & 0x1c) == 0x1c) /* 16-bit or longer-than-32-bit forms */
        return;
    unsigned major = (e >> 2) & 31;
    for (unsigned i = 0; i < by_opcode_count[major]; i++) {
        uint16_t op = by_opcode[major][i];
        const RvInsnInfo *info = &rv_insn_info[op];
        if ((e & info->mask) != info->match)
            continue;
        extract_operands(e, info->format, d);
        if (has_rounding_mode(info->format) && rm_is_reserved(d->rm))
            return;
        d->op = op;
        return;
    }
}

int rv_decode(uint32_t bits, RvInsn *out)
{
    pthread_once(&index_once, build_index);
    memset(out, 0, sizeof *out);
    if ((bits & 3) != 3) {
        uint16_t c = (uint16_t)bits;
        out->raw = c;
        uint32_t e = rv_expand_compressed(c);
        if (e)
            decode32(e, out);
        out->len = 2;
        return 2;
    }
    out->raw = bits;
    decode32(bits, out);
    out->len = 4;
    return 4;
}
