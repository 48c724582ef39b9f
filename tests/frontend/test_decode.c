/* Unit tests for frontend/decode.c: table-driven decoding of every 32-bit instruction
 * form, and the illegal encodings around them.
 *
 * How: for each entry of rv_insn.def, operand values (edge cases, then pseudo-random
 * ones) are packed into the entry's free bits by an encoder written here from the ISA
 * manual's format diagrams (independent of decode.c's extraction), and rv_decode must
 * return that entry and those operands. Illegal encodings are checked two ways: a
 * hand-written list of reserved encodings per major opcode, and a systematic sweep of
 * every funct3 x funct7 combination of every major opcode against a linear scan of
 * the table (the table's own "first match wins" rule, without decode.c's index).
 * Invariant: the pseudo-random generator is seeded with a constant, so failures are
 * reproducible. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "frontend/rv_insn.h"

/* ---- deterministic pseudo-random numbers (xorshift64*) ---- */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static bool has_rm(RvFormat f)
{
    return f == RV_FMT_FR_RM || f == RV_FMT_FR4 || f == RV_FMT_F2F_RM ||
           f == RV_FMT_F2X_RM || f == RV_FMT_X2F_RM;
}

/* The operands of one test instance; which ones matter depends on the format. */
typedef struct Operands {
    unsigned rd, rs1, rs2, rs3, rm, aqrl, pred, succ, fm, csr;
    int64_t imm;
} Operands;

/* Field placement from the ISA manual's base and extension format diagrams. */
static uint32_t put(uint32_t v, int lo, int width) { return (v & ((1u << width) - 1)) << lo; }

static uint32_t encode_imm(RvFormat f, int64_t imm)
{
    uint32_t u = (uint32_t)imm;
    switch (f) {
    case RV_FMT_I: case RV_FMT_LOAD: case RV_FMT_JALR: case RV_FMT_FLOAD:
        return put(u, 20, 12);
    case RV_FMT_SHIFT:
        return put(u, 20, 6);
    case RV_FMT_STORE: case RV_FMT_FSTORE:
        return put(u >> 5, 25, 7) | put(u, 7, 5);
    case RV_FMT_BRANCH:
        return put(u >> 12, 31, 1) | put(u >> 5, 25, 6) | put(u >> 1, 8, 4) | put(u >> 11, 7, 1);
    case RV_FMT_U:
        return u & 0xfffff000u;
    case RV_FMT_J:
        return put(u >> 20, 31, 1) | put(u >> 1, 21, 10) | put(u >> 11, 20, 1) | put(u >> 12, 12, 8);
    case RV_FMT_CSRI:
        return put(u, 15, 5);
    default:
        return 0;
    }
}

static uint32_t encode(int op, const Operands *o)
{
    const RvInsnInfo *info = &rv_insn_info[op];
    RvFormat f = info->format;
    uint32_t e = put(o->rd, 7, 5) | put(o->rs1, 15, 5) | put(o->rs2, 20, 5) | put(o->rs3, 27, 5);
    switch (f) {
    case RV_FMT_STORE: case RV_FMT_FSTORE: case RV_FMT_BRANCH:
        e = put(o->rs1, 15, 5) | put(o->rs2, 20, 5); /* no rd: bits 11:7 hold immediate */
        break;
    case RV_FMT_U: case RV_FMT_J:
        e = put(o->rd, 7, 5);
        break;
    case RV_FMT_I: case RV_FMT_SHIFT: case RV_FMT_LOAD: case RV_FMT_JALR: case RV_FMT_FLOAD:
        e = put(o->rd, 7, 5) | put(o->rs1, 15, 5); /* bits 31:20 hold the immediate */
        break;
    case RV_FMT_CSR:
        e = put(o->rd, 7, 5) | put(o->rs1, 15, 5) | put(o->csr, 20, 12);
        break;
    case RV_FMT_CSRI:
        e = put(o->rd, 7, 5) | put(o->csr, 20, 12);
        break;
    case RV_FMT_FENCE:
        e = put(o->rd, 7, 5) | put(o->rs1, 15, 5) | put(o->succ, 20, 4) | put(o->pred, 24, 4) |
            put(o->fm, 28, 4);
        break;
    case RV_FMT_AMO: case RV_FMT_LR:
        e |= put(o->aqrl, 25, 2);
        break;
    default:
        break;
    }
    e |= encode_imm(f, o->imm);
    if (has_rm(f))
        e |= put(o->rm, 12, 3);
    /* Fields the entry fixes (rs2 = 0 of unary ops, funct7 of slliw...) stay fixed. */
    return (e & ~info->mask) | info->match;
}

/* The op a linear scan of the whole table gives for e (first match wins; a reserved
 * rounding mode makes the first match illegal, as the decoder documents). */
static int scan_table(uint32_t e)
{
    if ((e & 3) != 3 || (e & 0x1c) == 0x1c)
        return RV_OP_ILLEGAL;
    for (int op = 1; op < RV_OP_COUNT; op++) {
        const RvInsnInfo *info = &rv_insn_info[op];
        if ((e & info->mask) != info->match)
            continue;
        unsigned rm = (e >> 12) & 7;
        if (has_rm(info->format) && (rm == 5 || rm == 6))
            return RV_OP_ILLEGAL;
        return op;
    }
    return RV_OP_ILLEGAL;
}

static int64_t sext(uint64_t v, int bits) { return (int64_t)(v << (64 - bits)) >> (64 - bits); }

/* Operand values for instance `k` of an entry: the first instances are the edges
 * (all-zero, all-max, minimum and maximum immediates), the rest are random. */
static Operands make_operands(int op, int k)
{
    RvFormat f = rv_insn_info[op].format;
    Operands o;
    uint64_t r = rng(), r2 = rng();
    static const unsigned edge_regs[] = {0, 31, 1, 15, 16};
    if (k < 5) {
        unsigned reg = edge_regs[k];
        o = (Operands){reg, reg, reg, reg, 0, 0, 0, 0, 0, 0, 0};
        o.rs1 = edge_regs[(k + 1) % 5];
        o.rs2 = edge_regs[(k + 2) % 5];
        o.rs3 = edge_regs[(k + 3) % 5];
    } else {
        o = (Operands){r & 31, (r >> 5) & 31, (r >> 10) & 31, (r >> 15) & 31, 0, 0, 0, 0, 0, 0, 0};
    }
    /* Immediates: the k-th edge or a random value of the format's width. */
    static const int64_t edge_frac[] = {0, -1, 1, 0, 0};
    switch (f) {
    case RV_FMT_I: case RV_FMT_LOAD: case RV_FMT_JALR: case RV_FMT_FLOAD:
    case RV_FMT_STORE: case RV_FMT_FSTORE:
        o.imm = k == 3 ? -2048 : k == 4 ? 2047 : k < 3 ? edge_frac[k] : sext(r2, 12);
        break;
    case RV_FMT_SHIFT: {
        int width = (rv_insn_info[op].mask & (1u << 25)) ? 5 : 6; /* *w shifts: 5 bits */
        int64_t max = (1 << width) - 1;
        o.imm = k == 0 ? 0 : k == 1 ? max : k == 2 ? 1 : (int64_t)(r2 & (uint64_t)max);
        break;
    }
    case RV_FMT_BRANCH:
        o.imm = k == 3 ? -4096 : k == 4 ? 4094 : k < 3 ? 2 * edge_frac[k] : sext(r2 << 1, 13);
        break;
    case RV_FMT_J:
        o.imm = k == 3 ? -(1 << 20) : k == 4 ? (1 << 20) - 2 : k < 3 ? 2 * edge_frac[k]
                                                                      : sext(r2 << 1, 21);
        break;
    case RV_FMT_U:
        o.imm = k == 3 ? INT32_MIN : k == 4 ? 0x7ffff000 : k < 3 ? edge_frac[k] * 4096
                                                                  : sext(r2 << 12, 32);
        break;
    case RV_FMT_CSRI:
        o.imm = k == 1 ? 31 : k < 5 ? 0 : (int64_t)(r2 & 31);
        break;
    default:
        o.imm = 0;
        break;
    }
    /* Rounding modes: every legal one (0..4 static, 7 dynamic) shows up. */
    static const unsigned legal_rm[] = {0, 1, 2, 3, 4, 7};
    o.rm = legal_rm[k % 6];
    o.aqrl = (unsigned)k & 3;
    o.pred = (unsigned)(r2 >> 20) & 15;
    o.succ = (unsigned)(r2 >> 24) & 15;
    o.fm = k == 1 ? 8 : 0;   /* fence.tso */
    o.csr = k == 1 ? 0xfff : k == 0 ? 0 : (unsigned)(r2 >> 28) & 0xfff;
    if (f == RV_FMT_LR)
        o.rs2 = 0;
    return o;
}

/* Checks the decoded operands against what was encoded; returns a failure count. */
static int check_fields(int op, const Operands *o, uint32_t e, const RvInsn *d)
{
    RvFormat f = rv_insn_info[op].format;
    int bad = 0;
#define EXPECT_EQ(field, want)                                                             \
    do {                                                                                   \
        if ((int64_t)(field) != (int64_t)(want)) {                                         \
            cr_log_error("%s %08" PRIx32 ": " #field " = %" PRId64 ", want %" PRId64,       \
                         rv_insn_info[op].mnemonic, e, (int64_t)(field), (int64_t)(want));   \
            bad++;                                                                         \
        }                                                                                  \
    } while (0)
    EXPECT_EQ(d->len, 4);
    EXPECT_EQ(d->raw, e);
    switch (f) {
    case RV_FMT_R: case RV_FMT_FR: case RV_FMT_FCMP: case RV_FMT_AMO: case RV_FMT_FR_RM:
        EXPECT_EQ(d->rd, o->rd); EXPECT_EQ(d->rs1, o->rs1); EXPECT_EQ(d->rs2, o->rs2);
        break;
    case RV_FMT_FR4:
        EXPECT_EQ(d->rd, o->rd); EXPECT_EQ(d->rs1, o->rs1); EXPECT_EQ(d->rs2, o->rs2);
        EXPECT_EQ(d->rs3, o->rs3);
        break;
    case RV_FMT_I: case RV_FMT_LOAD: case RV_FMT_JALR: case RV_FMT_FLOAD: case RV_FMT_SHIFT:
        EXPECT_EQ(d->rd, o->rd); EXPECT_EQ(d->rs1, o->rs1); EXPECT_EQ(d->imm, o->imm);
        break;
    case RV_FMT_UNARY: case RV_FMT_F2X: case RV_FMT_F2X_RM: case RV_FMT_X2F:
    case RV_FMT_X2F_RM: case RV_FMT_F2F_RM: case RV_FMT_LR:
        EXPECT_EQ(d->rd, o->rd); EXPECT_EQ(d->rs1, o->rs1);
        break;
    case RV_FMT_STORE: case RV_FMT_FSTORE: case RV_FMT_BRANCH:
        EXPECT_EQ(d->rs1, o->rs1); EXPECT_EQ(d->rs2, o->rs2); EXPECT_EQ(d->imm, o->imm);
        break;
    case RV_FMT_U: case RV_FMT_J:
        EXPECT_EQ(d->rd, o->rd); EXPECT_EQ(d->imm, o->imm);
        break;
    case RV_FMT_CSR:
        EXPECT_EQ(d->rd, o->rd); EXPECT_EQ(d->rs1, o->rs1); EXPECT_EQ(d->csr, o->csr);
        break;
    case RV_FMT_CSRI:
        EXPECT_EQ(d->rd, o->rd); EXPECT_EQ(d->imm, o->imm); EXPECT_EQ(d->csr, o->csr);
        break;
    case RV_FMT_FENCE:
        EXPECT_EQ(d->fence, o->pred << 4 | o->succ); EXPECT_EQ(d->rm, o->fm);
        break;
    case RV_FMT_SFENCE:
        EXPECT_EQ(d->rs1, o->rs1); EXPECT_EQ(d->rs2, o->rs2);
        break;
    case RV_FMT_CBO:
        EXPECT_EQ(d->rs1, o->rs1);
        break;
    default:
        break;
    }
    if (has_rm(f))
        EXPECT_EQ(d->rm, o->rm);
    if (f == RV_FMT_AMO || f == RV_FMT_LR)
        EXPECT_EQ(d->rm, o->aqrl);
#undef EXPECT_EQ
    return bad;
}

Test(decode, table_entries_are_well_formed)
{
    for (int op = 1; op < RV_OP_COUNT; op++) {
        const RvInsnInfo *info = &rv_insn_info[op];
        cr_expect_eq(info->match & ~info->mask, 0u, "%s: match has bits outside its mask",
                     info->mnemonic);
        cr_expect_eq(info->match & 3, 3u, "%s: not a 32-bit encoding", info->mnemonic);
        cr_expect_eq(info->mask & 0x7f, 0x7fu, "%s: major opcode not fully masked",
                     info->mnemonic);
        cr_expect_neq(info->format, RV_FMT_ILLEGAL, "%s", info->mnemonic);
    }
}

/* Entries may overlap only where the table says a special case comes first. */
Test(decode, only_documented_overlaps)
{
    for (int a = 1; a < RV_OP_COUNT; a++)
        for (int b = a + 1; b < RV_OP_COUNT; b++) {
            const RvInsnInfo *x = &rv_insn_info[a], *y = &rv_insn_info[b];
            uint32_t common = x->mask & y->mask;
            if ((x->match & common) != (y->match & common))
                continue; /* disjoint */
            bool documented = a == RV_OP_pause && b == RV_OP_fence;
            cr_expect(documented, "%s and %s overlap", x->mnemonic, y->mnemonic);
        }
}

Test(decode, every_entry_with_edge_and_random_operands)
{
    int failures = 0, checked = 0;
    for (int op = 1; op < RV_OP_COUNT; op++) {
        for (int k = 0; k < 200; k++) {
            Operands o = make_operands(op, k);
            uint32_t e = encode(op, &o);
            if (scan_table(e) != op)
                continue; /* an earlier special case (pause inside fence) owns e */
            RvInsn d;
            int len = rv_decode(e, &d);
            checked++;
            if (len != 4 || d.op != op) {
                cr_log_error("%08" PRIx32 " decodes as %s, want %s", e,
                             rv_insn_info[d.op].mnemonic, rv_insn_info[op].mnemonic);
                failures++;
                continue;
            }
            failures += check_fields(op, &o, e, &d);
        }
    }
    cr_assert_eq(failures, 0, "%d mismatches", failures);
    cr_assert_gt(checked, (RV_OP_COUNT - 1) * 190, "too few instances checked (%d)", checked);
}

/* Immediate sign extension by hand, one per format, against the manual's examples. */
Test(decode, immediate_layouts)
{
    RvInsn d;
    rv_decode(0xfff00093, &d);              /* addi x1, x0, -1 */
    cr_expect_eq(d.op, RV_OP_addi); cr_expect_eq(d.imm, -1);
    rv_decode(0x80000093, &d);              /* addi x1, x0, -2048 */
    cr_expect_eq(d.imm, -2048);
    rv_decode(0xfe113c23, &d);              /* sd x1, -8(x2) */
    cr_expect_eq(d.op, RV_OP_sd); cr_expect_eq(d.imm, -8); cr_expect_eq(d.rs1, 2);
    cr_expect_eq(d.rs2, 1);
    rv_decode(0xfe000ee3, &d);              /* beq x0, x0, -4 */
    cr_expect_eq(d.op, RV_OP_beq); cr_expect_eq(d.imm, -4);
    rv_decode(0x80000063, &d);              /* beq x0, x0, -4096 */
    cr_expect_eq(d.imm, -4096);
    rv_decode(0x7e000fe3, &d);              /* beq x0, x0, +4094 */
    cr_expect_eq(d.imm, 4094);
    rv_decode(0x800000b7, &d);              /* lui x1, 0x80000 */
    cr_expect_eq(d.op, RV_OP_lui); cr_expect_eq(d.imm, (int64_t)INT32_MIN);
    rv_decode(0xffdff0ef, &d);              /* jal x1, -4 */
    cr_expect_eq(d.op, RV_OP_jal); cr_expect_eq(d.imm, -4); cr_expect_eq(d.rd, 1);
    rv_decode(0x800000ef, &d);              /* jal x1, -1 MiB */
    cr_expect_eq(d.imm, -(1 << 20));
    rv_decode(0x03f51513, &d);              /* slli a0, a0, 63 */
    cr_expect_eq(d.op, RV_OP_slli); cr_expect_eq(d.imm, 63);
    rv_decode(0x41f55513, &d);              /* srai a0, a0, 31 */
    cr_expect_eq(d.op, RV_OP_srai); cr_expect_eq(d.imm, 31);
    rv_decode(0x4205551b, &d);              /* sraiw with shamt[5] set: reserved */
    cr_expect_eq(d.op, RV_OP_ILLEGAL);
    rv_decode(0xc0102573, &d);              /* rdtime a0 = csrrs a0, time, x0 */
    cr_expect_eq(d.op, RV_OP_csrrs); cr_expect_eq(d.csr, 0xc01); cr_expect_eq(d.rd, 10);
    rv_decode(0x0ff0000f, &d);              /* fence iorw, iorw */
    cr_expect_eq(d.op, RV_OP_fence); cr_expect_eq(d.fence, 0xff);
    rv_decode(0x8330000f, &d);              /* fence.tso */
    cr_expect_eq(d.op, RV_OP_fence); cr_expect_eq(d.fence, 0x33); cr_expect_eq(d.rm, 8);
    rv_decode(0x0100000f, &d);              /* pause */
    cr_expect_eq(d.op, RV_OP_pause);
    rv_decode(0x1605b52f, &d);              /* lr.d.aqrl a0, (a1) */
    cr_expect_eq(d.op, RV_OP_lr_d); cr_expect_eq(d.rm, 3);
    rv_decode(0x6a0e8ec3, &d);              /* fmadd.d ft9, ft9, ft0, fa3, rne */
    cr_expect_eq(d.op, RV_OP_fmadd_d); cr_expect_eq(d.rs3, 13); cr_expect_eq(d.rm, 0);
}

Test(decode, whole_word_illegal_encodings)
{
    static const uint32_t illegal[] = {
        0x00000000, /* defined illegal (16-bit all zero) */
        0xffffffff, /* defined illegal (>= 192-bit prefix) */
        0x0000001f, 0x0000003f, 0x0000005f, 0x0000007f,  /* 48/64/80+-bit prefixes */
        0x12345a1f, 0xdeadbe3f, 0x0000105f, 0x8000007f,
    };
    for (size_t i = 0; i < sizeof illegal / sizeof illegal[0]; i++) {
        RvInsn d;
        rv_decode(illegal[i], &d);
        cr_expect_eq(d.op, RV_OP_ILLEGAL, "%08" PRIx32 " decoded as %s", illegal[i],
                     rv_insn_info[d.op].mnemonic);
    }
    RvInsn d;
    cr_expect_eq(rv_decode(0x0000, &d), 2);
    cr_expect_eq(d.len, 2);
    cr_expect_eq(rv_decode(0xffffffff, &d), 4);
    cr_expect_eq(rv_insn_length(0x001f), 4);
    cr_expect_eq(rv_insn_length(0x003f), 4);
}

/* Major opcodes with no table entry (custom-0..3, OP-V, the reserved 0x6b and 0x77,
 * and the longer-encoding prefixes) are illegal whatever the other bits. */
Test(decode, reserved_major_opcodes)
{
    bool used[32] = {false};
    for (int op = 1; op < RV_OP_COUNT; op++)
        used[(rv_insn_info[op].match >> 2) & 31] = true;
    static const unsigned expect_unused[] = {2, 7, 10, 15, 21, 22, 23, 26, 29, 30, 31};
    for (size_t i = 0; i < sizeof expect_unused / sizeof expect_unused[0]; i++)
        cr_expect(!used[expect_unused[i]], "major opcode %u unexpectedly in the table",
                  expect_unused[i]);
    for (unsigned major = 0; major < 32; major++) {
        if (used[major])
            continue;
        for (int k = 0; k < 2000; k++) {
            uint32_t e = ((uint32_t)rng() & ~0x7fu) | major << 2 | 3;
            RvInsn d;
            rv_decode(e, &d);
            cr_assert_eq(d.op, RV_OP_ILLEGAL, "%08" PRIx32 " (major %u) decoded as %s", e,
                         major, rv_insn_info[d.op].mnemonic);
        }
    }
}

/* For every used major opcode, every funct3 (14:12) x funct7 (31:25) combination with
 * several random and edge fillings of the other bits: the decoder agrees with a
 * linear scan of the table, so nothing outside the table decodes. */
Test(decode, funct_sweep_matches_table)
{
    int mismatches = 0, legal = 0, illegal = 0;
    for (unsigned major = 0; major < 32; major++) {
        if (major == 7 || major == 15 || major == 23 || major == 31)
            continue; /* longer-encoding prefixes: see reserved_major_opcodes */
        for (unsigned f3 = 0; f3 < 8; f3++)
            for (unsigned f7 = 0; f7 < 128; f7++)
                for (int k = 0; k < 6; k++) {
                    /* k = 0: other fields zero; 1: all ones; else random. rs2 (24:20)
                     * matters to the unary and fcvt encodings, rd/rs1 to the fixed ones. */
                    uint32_t other = k == 0 ? 0 : k == 1 ? 0x01ff8f80u
                                                         : (uint32_t)rng() & 0x01ff8f80u;
                    if (k == 2)
                        other &= ~0x01f00000u; /* rs2 = 0 */
                    uint32_t e = f7 << 25 | other | f3 << 12 | major << 2 | 3;
                    RvInsn d;
                    rv_decode(e, &d);
                    int want = scan_table(e);
                    if (d.op != want) {
                        if (mismatches++ < 20)
                            cr_log_error("%08" PRIx32 ": decoded %s, table says %s", e,
                                         rv_insn_info[d.op].mnemonic, rv_insn_info[want].mnemonic);
                    }
                    if (want)
                        legal++;
                    else
                        illegal++;
                }
    }
    cr_assert_eq(mismatches, 0, "%d mismatches", mismatches);
    cr_assert_gt(legal, 0);
    cr_assert_gt(illegal, 0);
}

/* Reserved encodings within used major opcodes, written from the ISA manual (not
 * derived from the table), so a wrong table entry cannot hide them. */
Test(decode, reserved_funct_fields)
{
    static const struct { uint32_t e; const char *why; } cases[] = {
        {0x00007083, "LOAD funct3=7 (no ldu)"},
        {0x00004023, "STORE funct3=4"}, {0x00007023, "STORE funct3=7"},
        {0x00000007, "LOAD-FP funct3=0 (vector loads: no V)"},
        {0x00001007, "LOAD-FP funct3=1 (flh: no Zfh)"},
        {0x00004007, "LOAD-FP funct3=4 (flq: no Q)"},
        {0x00004027, "STORE-FP funct3=4 (fsq: no Q)"},
        {0x0000300f, "MISC-MEM funct3=3"}, {0x0000700f, "MISC-MEM funct3=7"},
        {0x0030200f, "cbo funct12=3"}, {0x0000208f, "cbo with rd != 0"},
        {0x80001013, "OP-IMM slli funct6=0x20"}, {0x20005013, "OP-IMM srli funct6=0x08"},
        {0x60301013, "OP-IMM funct12 0x603 (not a Zbb unary)"},
        {0x0000201b, "OP-IMM-32 funct3=2"}, {0x0000301b, "OP-IMM-32 funct3=3"},
        {0x0000401b, "OP-IMM-32 funct3=4"}, {0x0000601b, "OP-IMM-32 funct3=6"},
        {0x0000701b, "OP-IMM-32 funct3=7"}, {0x0200101b, "slliw shamt[5]=1"},
        {0x0200501b, "srliw shamt[5]=1"}, {0x4200501b, "sraiw shamt[5]=1"},
        {0x40001033, "OP funct7=0x20 funct3=1"}, {0x04000033, "OP funct7=0x02"},
        {0xfe000033, "OP funct7=0x7f"}, {0x40002033, "OP sub-like funct3=2"},
        {0x0000103b + 0x40000000, "OP-32 funct7=0x20 funct3=1"},
        {0x0000203b, "OP-32 funct3=2"}, {0x0200103b, "OP-32 M funct3=1 (no mulhw)"},
        {0x0000002f, "AMO funct3=0"}, {0x0000402f, "AMO funct3=4 (no amo*.q)"},
        {0x3000202f, "AMO funct5=0x06"}, {0xf800202f, "AMO funct5=0x1f"},
        {0x1010202f, "lr.w with rs2=1"}, {0x11f0302f, "lr.d with rs2=31"},
        {0x00002063, "BRANCH funct3=2"}, {0x00003063, "BRANCH funct3=3"},
        {0x00001067, "JALR funct3=1"}, {0x00007067, "JALR funct3=7"},
        {0x04000053, "OP-FP fmt=2 (half)"}, {0x06000053, "OP-FP fmt=3 (quad)"},
        {0x04000043, "FMADD fmt=2"}, {0x06000043, "FMADD fmt=3"},
        {0x20003053, "fsgnj.s funct3=3"}, {0x28002053, "fmin.s funct3=2"},
        {0xa0003053, "fcmp.s funct3=3"}, {0x58100053, "fsqrt.s rs2=1"},
        {0xc0400053, "fcvt.?.s rs2=4"}, {0xe0002053, "fmv.x.w funct3=2"},
        {0x40000053, "fcvt.s.s (rs2=0)"}, {0x42100053, "fcvt.d.d (rs2=1)"},
        {0xf0001053, "fmv.w.x funct3=1"},
        {0x00004073, "SYSTEM funct3=4 (hypervisor loads: no H)"},
        {0x00200073, "uret"}, {0x7b200073, "dret"}, {0x00000073 | 1 << 7, "ecall rd=1"},
        {0x00108073, "ebreak rs1=1"}, {0x10500173, "wfi rd=2"},
        {0x22000073, "hfence.vvma: no H"}, {0x12000173, "sfence.vma rd=2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RvInsn d;
        rv_decode(cases[i].e, &d);
        cr_expect_eq(d.op, RV_OP_ILLEGAL, "%08" PRIx32 " (%s) decoded as %s", cases[i].e,
                     cases[i].why, rv_insn_info[d.op].mnemonic);
    }
}

/* Rounding modes 5 and 6 are reserved on every instruction with an rm field; 7 (dyn)
 * and 0..4 are legal. */
Test(decode, reserved_rounding_modes)
{
    int n = 0;
    for (int op = 1; op < RV_OP_COUNT; op++) {
        if (!has_rm(rv_insn_info[op].format))
            continue;
        n++;
        for (unsigned rm = 0; rm < 8; rm++) {
            Operands o = make_operands(op, 7);
            o.rm = rm;
            uint32_t e = encode(op, &o);
            RvInsn d;
            rv_decode(e, &d);
            if (rm == 5 || rm == 6)
                cr_expect_eq(d.op, RV_OP_ILLEGAL, "%s rm=%u decoded as %s",
                             rv_insn_info[op].mnemonic, rm, rv_insn_info[d.op].mnemonic);
            else
                cr_expect_eq(d.op, op, "%s rm=%u decoded as %s", rv_insn_info[op].mnemonic,
                             rm, rv_insn_info[d.op].mnemonic);
        }
    }
    /* fmadd..fnmadd, fadd..fdiv, fcvt int<->fp: 8 each; fsqrt.s/d, fcvt.s.d, fcvt.d.s: 4 */
    cr_assert_eq(n, 8 + 8 + 8 + 8 + 4, "rm-format entry count changed (%d)", n);
}

Test(decode, lr_requires_rs2_zero)
{
    for (unsigned rs2 = 0; rs2 < 32; rs2++)
        for (unsigned aqrl = 0; aqrl < 4; aqrl++) {
            RvInsn dw, dd;
            rv_decode(0x1000252f | rs2 << 20 | aqrl << 25, &dw); /* lr.w a0, (a0) */
            rv_decode(0x1000352f | rs2 << 20 | aqrl << 25, &dd); /* lr.d a0, (a0) */
            cr_expect_eq(dw.op, rs2 ? RV_OP_ILLEGAL : RV_OP_lr_w, "lr.w rs2=%u", rs2);
            cr_expect_eq(dd.op, rs2 ? RV_OP_ILLEGAL : RV_OP_lr_d, "lr.d rs2=%u", rs2);
            if (!rs2)
                cr_expect_eq(dw.rm, aqrl);
        }
}

/* The decoder is pure: the same bits give the same RvInsn, whatever was in *out. */
Test(decode, pure_function_of_bits)
{
    for (int k = 0; k < 100000; k++) {
        uint32_t e = (uint32_t)rng() | 3;
        RvInsn a, b;
        memset(&a, 0x55, sizeof a);
        memset(&b, 0xaa, sizeof b);
        rv_decode(e, &a);
        rv_decode(e, &b);
        cr_assert(memcmp(&a, &b, sizeof a) == 0, "%08" PRIx32 " decodes differently", e);
        cr_assert_eq(a.op, scan_table(e), "%08" PRIx32, e);
    }
}
