/* Unit tests for the reference interpreter (frontend/interp*.c, csr.c), one
 * instruction at a time through interp_step.
 *
 * Harness: a Hart in user mode whose MmuOps maps a 64 KiB buffer at RAM_BASE with
 * per-page permissions (R/W/X) and faults everywhere else, so page-crossing and
 * permission faults are exact. Each test writes one instruction at CODE, sets the
 * registers, steps once and checks registers, memory, pc, instret and the exception.
 * Expected values come from the ISA manual (tables for division by zero and
 * overflow, NaN boxing, fcvt saturation), not from running the code under test.
 * Invariant: every test starts from the same reset state (fixture `setup`). */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "frontend/csr.h"
#include "frontend/fpu.h"
#include "frontend/interp.h"
#include "frontend/rv_insn.h"
#include "softmmu/mem.h"

#define RAM_BASE 0x10000ull
#define RAM_SIZE 0x10000ull
#define CODE RAM_BASE                 /* page 0: code */
#define DATA (RAM_BASE + 0x1000)      /* pages 1..: data */
#define LAST_PAGE (RAM_BASE + RAM_SIZE - 0x1000)
#define MSTATUS_FS_INITIAL (1ull << 13)
#define MSTATUS_FS_DIRTY (3ull << 13)

enum { PERM_R = 1 << MEM_READ, PERM_W = 1 << MEM_WRITE, PERM_X = 1 << MEM_EXEC };

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t page_perm[RAM_SIZE / 4096];
static Hart h;

static int flat_translate(Hart *hart, uint64_t vaddr, MemAccess access, MemTranslation *t)
{
    if (vaddr < RAM_BASE || vaddr >= RAM_BASE + RAM_SIZE)
        return (int)mem_fault_cause(access);
    if (!(page_perm[(vaddr - RAM_BASE) >> 12] & (1 << access)))
        return (int)mem_fault_cause(access);
    t->addend = (uintptr_t)ram - RAM_BASE;
    t->paddr = vaddr;
    t->is_ram = true;
    t->tlb_ok = true;
    return 0;
}
static bool no_io_read(Hart *hart, uint64_t paddr, unsigned size, uint64_t *value) { return false; }
static bool no_io_write(Hart *hart, uint64_t paddr, unsigned size, uint64_t value) { return false; }

static const MmuOps flat_mmu = {
    .translate = flat_translate, .io_read = no_io_read, .io_write = no_io_write,
};

static void setup(void)
{
    memset(&h, 0, sizeof h);
    memset(ram, 0, sizeof ram);
    memset(page_perm, PERM_R | PERM_W | PERM_X, sizeof page_perm);
    mem_tlb_flush(&h);
    h.mmu = &flat_mmu;
    h.priv = RV_PRIV_U;
    h.resv_addr = RV_NO_RESERVATION;
    h.mstatus = MSTATUS_FS_INITIAL;
    h.mcounteren = h.scounteren = 7; /* cycle, time, instret readable in U (as Linux sets) */
}

TestSuite(interp, .init = setup);

/* ---- encoders (field layouts from the manual; opcodes from the table) ---- */
#define M(op) rv_insn_info[RV_OP_##op].match
static uint32_t enc_r(uint32_t m, unsigned rd, unsigned rs1, unsigned rs2)
{
    return m | rs2 << 20 | rs1 << 15 | rd << 7;
}
static uint32_t enc_i(uint32_t m, unsigned rd, unsigned rs1, int32_t imm)
{
    return m | ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | rd << 7;
}
static uint32_t enc_s(uint32_t m, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return m | (u >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | (u & 31) << 7;
}
static uint32_t enc_rm(uint32_t m, unsigned rd, unsigned rs1, unsigned rs2, unsigned rm)
{
    return enc_r(m, rd, rs1, rs2) | rm << 12;
}
static uint32_t enc_csr(uint32_t m, unsigned rd, unsigned csr, unsigned rs1)
{
    return m | csr << 20 | rs1 << 15 | rd << 7;
}
#define R(op, rd, rs1, rs2) enc_r(M(op), rd, rs1, rs2)
#define I(op, rd, rs1, imm) enc_i(M(op), rd, rs1, imm)
#define S(op, rs1, rs2, imm) enc_s(M(op), rs1, rs2, imm)
#define FRM(op, rd, rs1, rs2, rm) enc_rm(M(op), rd, rs1, rs2, rm)
#define CSRR(op, rd, csr, rs1) enc_csr(M(op), rd, csr, rs1)

/* ---- running ---- */
static void put32(uint64_t addr, uint32_t v) { memcpy(&ram[addr - RAM_BASE], &v, 4); }
static void put64(uint64_t addr, uint64_t v) { memcpy(&ram[addr - RAM_BASE], &v, 8); }
static uint32_t get32(uint64_t addr) { uint32_t v; memcpy(&v, &ram[addr - RAM_BASE], 4); return v; }
static uint64_t get64(uint64_t addr) { uint64_t v; memcpy(&v, &ram[addr - RAM_BASE], 8); return v; }

/* Runs `insn` at CODE; returns interp_step's verdict. */
static bool step(uint32_t insn)
{
    put32(CODE, insn);
    h.pc = CODE;
    return interp_step(&h);
}
static bool step16(uint16_t insn)
{
    memcpy(&ram[CODE - RAM_BASE], &insn, 2);
    h.pc = CODE;
    return interp_step(&h);
}

/* Runs a register-register op with x1 = a, x2 = b into x3; returns x3. */
static uint64_t alu_rr(uint32_t match, uint64_t a, uint64_t b)
{
    h.x[1] = a;
    h.x[2] = b;
    h.x[3] = 0xdeadbeefdeadbeefull;
    cr_assert(step(enc_r(match, 3, 1, 2)), "step failed, cause %" PRIu64, h.exc.cause);
    cr_assert_eq(h.pc, CODE + 4);
    return h.x[3];
}
static uint64_t alu_ri(uint32_t match, uint64_t a, int32_t imm)
{
    h.x[1] = a;
    cr_assert(step(enc_i(match, 3, 1, imm)), "step failed, cause %" PRIu64, h.exc.cause);
    return h.x[3];
}

static void expect_exception(uint64_t cause, uint64_t tval, uint64_t pc_before,
                             uint64_t instret_before)
{
    cr_expect_eq(h.exc.cause, cause, "cause %" PRIu64 ", want %" PRIu64, h.exc.cause, cause);
    cr_expect_eq(h.exc.tval, tval, "tval %" PRIx64 ", want %" PRIx64, h.exc.tval, tval);
    cr_expect_eq(h.pc, pc_before, "pc must stay at the faulting instruction");
    cr_expect_eq(h.instret, instret_before, "a trapping instruction does not retire");
}

#define I64(v) ((uint64_t)(int64_t)(v))

typedef struct AluCase {
    uint32_t match;
    const char *name;
    uint64_t a, b, want;
} AluCase;
#define CASE(op, a, b, want) {M(op), #op, (uint64_t)(a), (uint64_t)(b), (uint64_t)(want)}

static void run_alu_cases(const AluCase *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t got = alu_rr(cases[i].match, cases[i].a, cases[i].b);
        cr_expect_eq(got, cases[i].want, "%s(%#" PRIx64 ", %#" PRIx64 ") = %#" PRIx64
                     ", want %#" PRIx64, cases[i].name, cases[i].a, cases[i].b, got, cases[i].want);
    }
}

/* ---- M extension ---- */
Test(interp, div_rem_corner_cases)
{
    const AluCase cases[] = {
        CASE(div, 7, 2, 3), CASE(div, -7, 2, -3), CASE(div, 7, -2, -3),
        CASE(div, 7, 0, -1), CASE(div, 0, 0, -1), CASE(div, INT64_MIN, -1, INT64_MIN),
        CASE(divu, 7, 0, UINT64_MAX), CASE(divu, -1, 2, 0x7fffffffffffffffull),
        CASE(divu, INT64_MIN, -1, 0),
        CASE(rem, -7, 2, -1), CASE(rem, 7, -2, 1), CASE(rem, 7, 0, 7), CASE(rem, -7, 0, -7),
        CASE(rem, INT64_MIN, -1, 0),
        CASE(remu, 7, 0, 7), CASE(remu, -1, 0, -1), CASE(remu, -1, 10, 5),
        /* 32-bit forms read only the low words and sign-extend the result. */
        CASE(divw, 0x100000007ull, 2, 3), CASE(divw, -7, 2, -3), CASE(divw, 5, 0, -1),
        CASE(divw, 6, 0x100000000ull, -1), CASE(divw, INT32_MIN, -1, INT32_MIN),
        CASE(divw, 0xffffffff80000000ull, 0xffffffffull, INT32_MIN),
        CASE(divuw, 0xffffffffull, 1, -1), CASE(divuw, 5, 0, UINT64_MAX),
        CASE(divuw, 0x80000000ull, 1, 0xffffffff80000000ull), CASE(divuw, -1, 2, 0x7fffffff),
        CASE(remw, INT32_MIN, -1, 0), CASE(remw, -7, 0, -7),
        CASE(remw, 0x100000005ull, 0x100000000ull, 5), CASE(remw, -7, 2, -1),
        CASE(remw, 0x0000000080000001ull, 0, 0xffffffff80000001ull),
        CASE(remuw, 0x80000000ull, 0, 0xffffffff80000000ull), CASE(remuw, 7, 3, 1),
        CASE(remuw, 0xffffffffull, 0x10ull, 15),
    };
    run_alu_cases(cases, sizeof cases / sizeof cases[0]);
}

Test(interp, multiply_signs)
{
    const AluCase cases[] = {
        CASE(mul, 0x7fffffffffffffffull, 2, -2), CASE(mul, -3, 5, -15),
        CASE(mulh, -1, -1, 0), CASE(mulh, -1, 1, -1), CASE(mulh, INT64_MIN, INT64_MIN, 0x4000000000000000ull),
        CASE(mulh, INT64_MIN, -1, 0), CASE(mulh, INT64_MAX, INT64_MAX, 0x3fffffffffffffffull),
        CASE(mulhu, -1, -1, 0xfffffffffffffffeull), CASE(mulhu, 1ull << 63, 2, 1), CASE(mulhu, -1, 1, 0),
        CASE(mulhsu, -1, -1, -1), CASE(mulhsu, 1, -1, 0), CASE(mulhsu, INT64_MIN, -1, 1ull << 63),
        CASE(mulhsu, -2, 3, -1), CASE(mulhsu, 2, 1ull << 63, 1),
        CASE(mulw, 0x7fffffff, 2, -2), CASE(mulw, 0x100000003ull, 0x100000005ull, 15),
        CASE(mulw, 0x10000, 0x10000, 0), CASE(mulw, -1, -1, 1),
    };
    run_alu_cases(cases, sizeof cases / sizeof cases[0]);
}

/* ---- shifts and sign extension ---- */
Test(interp, shifts_mask_the_amount)
{
    const AluCase cases[] = {
        CASE(sll, 1, 63, 1ull << 63), CASE(sll, 1, 64, 1), CASE(sll, 1, 65 + 128, 2),
        CASE(srl, -1, 63, 1), CASE(srl, -1, 64 + 60, 15), CASE(sra, INT64_MIN, 63, -1),
        CASE(sra, INT64_MIN, 64, INT64_MIN), CASE(sra, 0x4000000000000000ull, 62, 1),
        CASE(sllw, 1, 31, 0xffffffff80000000ull), CASE(sllw, 1, 32, 1), CASE(sllw, 3, 63, 0xffffffff80000000ull),
        CASE(srlw, 0xffffffff80000000ull, 0, 0xffffffff80000000ull), CASE(srlw, 0x80000000ull, 31, 1),
        CASE(srlw, -1, 1, 0x7fffffff), CASE(srlw, 0x1234567800000000ull, 4, 0),
        CASE(sraw, 0x80000000ull, 31, -1), CASE(sraw, 0x80000000ull, 32, 0xffffffff80000000ull),
        CASE(sraw, 0x7fffffff00000000ull, 1, 0),
        CASE(addw, 0x7fffffff, 1, 0xffffffff80000000ull), CASE(subw, 0, 1, -1),
        CASE(subw, 0x100000000ull, 1, -1), CASE(addw, 0xffffffff00000001ull, 0, 1),
    };
    run_alu_cases(cases, sizeof cases / sizeof cases[0]);
    cr_expect_eq(alu_ri(M(slli), 1, 63), 1ull << 63);
    cr_expect_eq(alu_ri(M(srli), 1ull << 63, 63), 1);
    cr_expect_eq(alu_ri(M(srai), 1ull << 63, 63), UINT64_MAX);
    cr_expect_eq(alu_ri(M(srai), 1ull << 63, 0), 1ull << 63);
    cr_expect_eq(alu_ri(M(slliw), 0xffffffffull, 31), 0xffffffff80000000ull);
    cr_expect_eq(alu_ri(M(srliw), 0xffffffff80000000ull, 31), 1);
    cr_expect_eq(alu_ri(M(srliw), 0xffffffff80000000ull, 0), 0xffffffff80000000ull);
    cr_expect_eq(alu_ri(M(sraiw), 0x80000000ull, 4), 0xfffffffff8000000ull);
    cr_expect_eq(alu_ri(M(addiw), 0x7fffffff, 1), 0xffffffff80000000ull);
    cr_expect_eq(alu_ri(M(addiw), 0xffffffff00000000ull, -1), UINT64_MAX);
    cr_expect_eq(alu_ri(M(slti), I64(-1), 0), 1);
    cr_expect_eq(alu_ri(M(sltiu), 5, -1), 1, "sltiu compares against the sign-extended imm");
    cr_expect_eq(alu_ri(M(sltiu), I64(-1), -1), 0);
    cr_expect_eq(alu_ri(M(xori), 0x0f, -1), ~0x0full);
    cr_expect_eq(alu_ri(M(andi), UINT64_MAX, -2048), I64(-2048));
}

Test(interp, upper_immediates_and_jumps)
{
    cr_assert(step(M(lui) | 3 << 7 | 0x80000000u));
    cr_expect_eq(h.x[3], 0xffffffff80000000ull);
    cr_assert(step(M(auipc) | 3 << 7 | 0xfffff000u));
    cr_expect_eq(h.x[3], CODE - 4096);
    h.x[1] = DATA + 7;
    cr_assert(step(I(jalr, 5, 1, 0)));                /* jalr clears bit 0 of the target */
    cr_expect_eq(h.pc, DATA + 6);
    cr_expect_eq(h.x[5], CODE + 4);
    h.x[1] = 5;
    h.x[2] = I64(-5);
    uint32_t blt = M(blt) | 2 << 20 | 1 << 15 | 4 << 8;   /* blt x1, x2, +8: not taken */
    cr_assert(step(blt));
    cr_expect_eq(h.pc, CODE + 4);
    uint32_t bltu = M(bltu) | 2 << 20 | 1 << 15 | 4 << 8; /* 5 <u 2^64-5: taken */
    cr_assert(step(bltu));
    cr_expect_eq(h.pc, CODE + 8);
    cr_assert(step(M(jal) | 1 << 7 | 0x00c00000u));       /* jal ra, +12 */
    cr_expect_eq(h.pc, CODE + 12);
    cr_expect_eq(h.x[1], CODE + 4);
    cr_assert(step16(0x8082));                            /* c.jr ra: link is +2 for RVC */
    cr_expect_eq(h.pc, CODE + 4);
    h.x[10] = DATA;
    cr_assert(step16(0x9502));                            /* c.jalr a0 */
    cr_expect_eq(h.pc, DATA);
    cr_expect_eq(h.x[1], CODE + 2);
}

/* ---- loads and stores ---- */
Test(interp, load_sign_and_zero_extension)
{
    put64(DATA, 0x8000000080008080ull);
    h.x[1] = DATA + 8;   /* negative offsets */
    static const struct { uint32_t match; const char *name; int32_t off; uint64_t want; } cases[] = {
        {0, "lb", -8, I64(-128)}, {0, "lbu", -8, 0x80}, {0, "lh", -8, 0xffffffffffff8080ull},
        {0, "lhu", -8, 0x8080}, {0, "lw", -8, 0xffffffff80008080ull}, {0, "lwu", -8, 0x80008080},
        {0, "lw", -4, 0xffffffff80000000ull}, {0, "ld", -8, 0x8000000080008080ull},
    };
    uint32_t ops[] = {M(lb), M(lbu), M(lh), M(lhu), M(lw), M(lwu), M(lw), M(ld)};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert(step(enc_i(ops[i], 3, 1, cases[i].off)));
        cr_expect_eq(h.x[3], cases[i].want, "%s: %#" PRIx64, cases[i].name, h.x[3]);
    }
}

Test(interp, stores_write_only_their_width)
{
    put64(DATA, 0x1111111111111111ull);
    h.x[1] = DATA;
    h.x[2] = 0xaabbccddeeff0099ull;
    cr_assert(step(S(sb, 1, 2, 1)));
    cr_expect_eq(get64(DATA), 0x1111111111119911ull);
    cr_assert(step(S(sh, 1, 2, 2)));
    cr_expect_eq(get64(DATA), 0x1111111100999911ull);
    cr_assert(step(S(sw, 1, 2, 4)));
    cr_expect_eq(get64(DATA), 0xeeff009900999911ull);
    cr_assert(step(S(sd, 1, 2, 8)));
    cr_expect_eq(get64(DATA + 8), 0xaabbccddeeff0099ull);
    cr_expect_eq(get64(DATA), 0xeeff009900999911ull);
}

/* Misaligned accesses are performed (Linux user mode and most platforms emulate them). */
Test(interp, misaligned_accesses)
{
    for (unsigned i = 0; i < 32; i++)
        ram[DATA - RAM_BASE + i] = (uint8_t)(0x10 + i);
    h.x[1] = DATA;
    cr_assert(step(I(ld, 3, 1, 3)));
    cr_expect_eq(h.x[3], 0x1a19181716151413ull);
    cr_assert(step(I(lw, 3, 1, 1)));
    cr_expect_eq(h.x[3], 0x14131211);
    cr_assert(step(I(lh, 3, 1, 7)));
    cr_expect_eq(h.x[3], 0x1817);
    h.x[2] = 0x8877665544332211ull;
    cr_assert(step(S(sd, 1, 2, 5)));
    cr_expect_eq(get64(DATA + 5), 0x8877665544332211ull);
    cr_expect_eq(ram[DATA - RAM_BASE + 4], 0x14);
    cr_expect_eq(ram[DATA - RAM_BASE + 13], 0x1d);
    /* Across a page boundary where both pages are mapped. */
    h.x[1] = DATA + 0x1000 - 3;
    cr_assert(step(S(sw, 1, 2, 0)));
    cr_expect_eq(get32(DATA + 0x1000 - 3), 0x44332211);
    cr_assert(step(I(lwu, 4, 1, 0)));
    cr_expect_eq(h.x[4], 0x44332211);
    /* Floating-point loads and stores too. */
    h.x[1] = DATA + 0x101;
    h.f[1] = 0x400921fb54442d18ull;
    cr_assert(step(S(fsd, 1, 1, 0)));
    cr_assert(step(I(fld, 2, 1, 0)));
    cr_expect_eq(h.f[2], 0x400921fb54442d18ull);
}

Test(interp, page_crossing_store_fault_leaves_memory_untouched)
{
    uint64_t addr = RAM_BASE + RAM_SIZE - 4;   /* second half beyond the mapping */
    put32(addr, 0xa5a5a5a5);
    h.x[1] = addr;
    h.x[2] = 0x0102030405060708ull;
    h.instret = 10;
    cr_assert_not(step(S(sd, 1, 2, 0)));
    cr_expect_eq(h.exc.cause, RV_EXC_STORE_PAGE_FAULT);
    cr_expect(h.exc.tval >= addr && h.exc.tval < addr + 8, "tval %#" PRIx64, h.exc.tval);
    cr_expect_eq(h.pc, CODE);
    cr_expect_eq(h.instret, 10);
    cr_expect_eq(get32(addr), 0xa5a5a5a5, "first page written by a faulting store");

    /* Same with a mapped but read-only second page. */
    page_perm[3] = PERM_R;
    uint64_t a2 = RAM_BASE + 0x3000 - 2;
    memset(&ram[a2 - RAM_BASE], 0x5a, 2);
    h.x[1] = a2;
    cr_assert_not(step(S(sw, 1, 2, 0)));
    cr_expect_eq(h.exc.cause, RV_EXC_STORE_PAGE_FAULT);
    cr_expect_eq(ram[a2 - RAM_BASE], 0x5a);
    cr_expect_eq(ram[a2 - RAM_BASE + 1], 0x5a);
    cr_expect_eq(get32(RAM_BASE + 0x3000), 0, "read-only page written");

    /* An aligned store to the read-only page reports its own address. */
    h.x[1] = RAM_BASE + 0x3008;
    cr_assert_not(step(S(sd, 1, 2, 0)));
    expect_exception(RV_EXC_STORE_PAGE_FAULT, RAM_BASE + 0x3008, CODE, 10);
    cr_assert(step(I(ld, 5, 1, 0)), "reads of the read-only page are fine");
}

Test(interp, page_crossing_load_fault_leaves_rd)
{
    uint64_t addr = RAM_BASE + RAM_SIZE - 2;
    h.x[1] = addr;
    h.x[3] = 0x1234;
    cr_assert_not(step(I(lw, 3, 1, 0)));
    cr_expect_eq(h.exc.cause, RV_EXC_LOAD_PAGE_FAULT);
    cr_expect(h.exc.tval >= addr && h.exc.tval < addr + 4);
    cr_expect_eq(h.x[3], 0x1234);
    h.x[1] = 0;   /* address 0: unmapped */
    cr_assert_not(step(I(ld, 3, 1, 16)));
    expect_exception(RV_EXC_LOAD_PAGE_FAULT, 16, CODE, 0);
    cr_expect_eq(h.x[3], 0x1234);
}

/* ---- A extension ---- */
Test(interp, lr_sc)
{
    uint32_t lr_d = M(lr_d) | 1 << 15 | 5 << 7;                 /* lr.d x5, (x1) */
    uint32_t sc_d = M(sc_d) | 2 << 20 | 1 << 15 | 6 << 7;       /* sc.d x6, x2, (x1) */
    put64(DATA, 42);
    h.x[1] = DATA;
    h.x[2] = 99;
    cr_assert(step(lr_d));
    cr_expect_eq(h.x[5], 42);
    cr_assert(step(sc_d));
    cr_expect_eq(h.x[6], 0, "sc after lr succeeds");
    cr_expect_eq(get64(DATA), 99);
    h.x[2] = 7;
    cr_assert(step(sc_d));
    cr_expect_eq(h.x[6], 1, "sc without a reservation fails");
    cr_expect_eq(get64(DATA), 99);

    /* A different address fails and clears the reservation. */
    cr_assert(step(lr_d));
    h.x[1] = DATA + 8;
    cr_assert(step(sc_d));
    cr_expect_eq(h.x[6], 1);
    cr_expect_eq(get64(DATA + 8), 0);
    h.x[1] = DATA;
    cr_assert(step(sc_d));
    cr_expect_eq(h.x[6], 1, "the failed sc cleared the reservation");

    /* An intervening store of a new value breaks the reservation. */
    cr_assert(step(lr_d));
    h.x[3] = 1234;
    cr_assert(step(S(sd, 1, 3, 0)));
    cr_assert(step(sc_d));
    cr_expect_eq(h.x[6], 1);
    cr_expect_eq(get64(DATA), 1234);

    /* lr.w sign-extends; sc.w writes only 32 bits. */
    put64(DATA + 16, 0x11111111f0000000ull);
    h.x[1] = DATA + 16;
    cr_assert(step(M(lr_w) | 1 << 15 | 5 << 7));
    cr_expect_eq(h.x[5], 0xfffffffff0000000ull);
    h.x[2] = 0xaaaaaaaa00000001ull;
    cr_assert(step(M(sc_w) | 2 << 20 | 1 << 15 | 6 << 7));
    cr_expect_eq(h.x[6], 0);
    cr_expect_eq(get64(DATA + 16), 0x1111111100000001ull);
}

Test(interp, atomics_misaligned_trap)
{
    h.x[1] = DATA + 4;
    cr_assert_not(step(M(lr_d) | 1 << 15 | 5 << 7));
    expect_exception(RV_EXC_LOAD_MISALIGNED, DATA + 4, CODE, 0);
    cr_assert_not(step(M(sc_d) | 1 << 15 | 5 << 7));
    expect_exception(RV_EXC_STORE_MISALIGNED, DATA + 4, CODE, 0);
    h.x[1] = DATA + 2;
    cr_assert_not(step(M(amoadd_w) | 1 << 15 | 5 << 7));
    expect_exception(RV_EXC_STORE_MISALIGNED, DATA + 2, CODE, 0);
    h.x[1] = RAM_BASE + RAM_SIZE + 64;
    cr_assert_not(step(M(amoswap_d) | 1 << 15 | 5 << 7));
    expect_exception(RV_EXC_STORE_PAGE_FAULT, RAM_BASE + RAM_SIZE + 64, CODE, 0);
}

Test(interp, amo_results)
{
    const struct {
        uint32_t match;
        const char *name;
        uint64_t mem, src, want_rd, want_mem;
        bool word;
    } cases[] = {
#define A(op, mem, src, rd, newmem, w) {M(op), #op, (uint64_t)(mem), (uint64_t)(src), (uint64_t)(rd), (uint64_t)(newmem), w}
        A(amoadd_w, 0x7fffffff, 1, 0x7fffffff, 0x80000000, true),
        A(amoadd_w, 0x80000000, 1, 0xffffffff80000000ull, 0x80000001, true),
        A(amoswap_w, 0xfffffffe, 0x12345678, I64(-2), 0x12345678, true),
        A(amoxor_w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00ull, 0xf0f0f0f0, true),
        A(amoand_w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00ull, 0x0f000f00, true),
        A(amoor_w, 0x00000001, 0x80000000, 1, 0x80000001, true),
        A(amomin_w, 0xfffffffb, 3, I64(-5), 0xfffffffb, true),
        A(amomax_w, 0xfffffffb, 3, I64(-5), 3, true),
        A(amominu_w, 0xfffffffb, 3, I64(-5), 3, true),
        A(amomaxu_w, 0xfffffffb, 3, I64(-5), 0xfffffffb, true),
        A(amomin_w, 5, 0x00000000fffffff0ull, 5, 0xfffffff0, true), /* rs2 upper bits ignored */
        A(amoadd_d, UINT64_MAX, 2, UINT64_MAX, 1, false),
        A(amoswap_d, 1, 2, 1, 2, false),
        A(amoxor_d, 0xf0, 0xff, 0xf0, 0x0f, false),
        A(amoand_d, 0xf0, 0x3c, 0xf0, 0x30, false),
        A(amoor_d, 0xf0, 0x0f, 0xf0, 0xff, false),
        A(amomin_d, -1, 1, -1, -1, false),
        A(amomax_d, -1, 1, -1, 1, false),
        A(amominu_d, -1, 1, -1, 1, false),
        A(amomaxu_d, -1, 1, -1, -1, false),
        A(amomin_d, INT64_MIN, INT64_MAX, INT64_MIN, INT64_MIN, false),
#undef A
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        put64(DATA, 0xccccccccccccccccull);
        if (cases[i].word)
            put32(DATA, (uint32_t)cases[i].mem);
        else
            put64(DATA, cases[i].mem);
        h.x[1] = DATA;
        h.x[2] = cases[i].src;
        cr_assert(step(cases[i].match | 2 << 20 | 1 << 15 | 5 << 7 | 3 << 25), "%s", cases[i].name);
        cr_expect_eq(h.x[5], cases[i].want_rd, "%s rd = %#" PRIx64, cases[i].name, h.x[5]);
        if (cases[i].word) {
            cr_expect_eq(get32(DATA), (uint32_t)cases[i].want_mem, "%s mem = %#x", cases[i].name,
                         get32(DATA));
            cr_expect_eq(get32(DATA + 4), 0xccccccccu, "%s wrote past its word", cases[i].name);
        } else {
            cr_expect_eq(get64(DATA), cases[i].want_mem, "%s mem = %#" PRIx64, cases[i].name,
                         get64(DATA));
        }
    }
}

/* ---- x0 ---- */
Test(interp, x0_stays_zero)
{
    put64(DATA, 0x55);
    h.x[1] = DATA;
    uint32_t writes_x0[] = {
        I(addi, 0, 0, 5), M(lui) | 0x12345000u, M(auipc) | 0x1000u, R(add, 0, 1, 1),
        I(ld, 0, 1, 0), M(jal) | 4 << 21 /* jal x0, +8 */, CSRR(csrrs, 0, CSR_INSTRET, 0),
        M(amoadd_d) | 1 << 20 | 1 << 15, R(mul, 0, 1, 1), M(fmv_x_d),
    };
    for (size_t i = 0; i < sizeof writes_x0 / sizeof writes_x0[0]; i++) {
        cr_assert(step(writes_x0[i]), "insn %08x", writes_x0[i]);
        cr_expect_eq(h.x[0], 0, "insn %08x wrote x0", writes_x0[i]);
        cr_assert(step(R(add, 7, 0, 0)));
        cr_expect_eq(h.x[7], 0, "x0 reads non-zero after %08x", writes_x0[i]);
    }
    cr_expect_eq(get64(DATA), 0x55 + DATA, "the AMO into x0 still updates memory");
}

/* ---- CSRs ---- */
Test(interp, read_only_csr_rules)
{
    h.instret = 100;
    uint32_t w = CSRR(csrrw, 1, CSR_CYCLE, 2);
    cr_assert_not(step(w));
    expect_exception(RV_EXC_ILLEGAL_INSN, w, CODE, 100);
    uint32_t si = CSRR(csrrsi, 1, CSR_INSTRET, 1);     /* uimm != 0: a write */
    cr_assert_not(step(si));
    expect_exception(RV_EXC_ILLEGAL_INSN, si, CODE, 100);
    cr_assert(step(CSRR(csrrs, 1, CSR_INSTRET, 0)));   /* rs1 = x0: a read, allowed */
    cr_expect_eq(h.x[1], 100);
    cr_assert(step(CSRR(csrrci, 1, CSR_CYCLE, 0)));    /* uimm = 0: read only */
    cr_expect_eq(h.x[1], 101);
    cr_assert(step(CSRR(csrrs, 1, CSR_TIME, 0)));
    cr_expect_neq(h.x[1], 0);
    /* csrrs with rs1 != x0 writes even when x[rs1] is 0, so it traps too. */
    h.x[2] = 0;
    cr_assert_not(step(CSRR(csrrs, 1, CSR_CYCLE, 2)));
    cr_expect_eq(h.exc.cause, RV_EXC_ILLEGAL_INSN);
}

Test(interp, csr_privilege_and_counter_enables)
{
    uint32_t r = CSRR(csrrs, 1, CSR_MSTATUS, 0);
    cr_assert_not(step(r));
    expect_exception(RV_EXC_ILLEGAL_INSN, r, CODE, 0);
    r = CSRR(csrrs, 1, CSR_SSTATUS, 0);
    cr_assert_not(step(r), "U mode reads sstatus");
    r = CSRR(csrrs, 1, 0x7ff, 0);
    cr_assert_not(step(r), "unknown CSR");
    h.mcounteren = 0;
    r = CSRR(csrrs, 1, CSR_CYCLE, 0);
    cr_assert_not(step(r), "cycle with mcounteren.CY = 0");
    expect_exception(RV_EXC_ILLEGAL_INSN, r, CODE, 0);
    h.priv = RV_PRIV_M;
    cr_assert(step(r), "M mode ignores counter enables");
    cr_assert(step(CSRR(csrrs, 1, CSR_MSTATUS, 0)));
    cr_expect_eq(h.x[1] & MSTATUS_FS_DIRTY, MSTATUS_FS_INITIAL);
}

Test(interp, fp_csr_masking)
{
    h.x[2] = 0xffffffff;
    cr_assert(step(CSRR(csrrw, 1, CSR_FCSR, 2)));
    cr_expect_eq(h.x[1], 0);
    cr_expect_eq(h.fflags, 0x1f);
    cr_expect_eq(h.frm, 7);
    cr_assert(step(CSRR(csrrs, 3, CSR_FCSR, 0)));
    cr_expect_eq(h.x[3], 0xff, "fcsr reads only bits 7:0");
    cr_expect_eq(h.mstatus & MSTATUS_FS_DIRTY, MSTATUS_FS_DIRTY, "FP CSR write dirties FS");
    h.x[2] = 0xe5;
    cr_assert(step(CSRR(csrrw, 3, CSR_FFLAGS, 2)));
    cr_expect_eq(h.x[3], 0x1f);
    cr_expect_eq(h.fflags, 0x05);
    cr_expect_eq(h.frm, 7, "fflags writes leave frm alone");
    cr_assert(step(CSRR(csrrwi, 3, CSR_FRM, 0x1a)));
    cr_expect_eq(h.x[3], 7);
    cr_expect_eq(h.frm, 2);
    cr_expect_eq(h.fflags, 0x05, "frm writes leave fflags alone");
    cr_assert(step(CSRR(csrrci, 3, CSR_FFLAGS, 0x01)));
    cr_expect_eq(h.fflags, 0x04);
    cr_assert(step(CSRR(csrrs, 3, CSR_FCSR, 0)));
    cr_expect_eq(h.x[3], 2 << 5 | 0x04);

    /* FS = Off: FP CSRs and FP instructions are illegal. */
    h.mstatus = 0;
    uint32_t r = CSRR(csrrs, 3, CSR_FFLAGS, 0);
    cr_assert_not(step(r));
    expect_exception(RV_EXC_ILLEGAL_INSN, r, CODE, h.instret);
    uint32_t fadd = FRM(fadd_d, 1, 2, 3, 0);
    cr_assert_not(step(fadd));
    expect_exception(RV_EXC_ILLEGAL_INSN, fadd, CODE, h.instret);
    cr_assert_not(step(I(fld, 1, 0, 0)), "fld with FS off");
}

/* ---- floating point ---- */
#define F32(x) fpu_box_s(x)
enum { ONE_S = 0x3f800000, THREE_S = 0x40400000, CANON_S = 0x7fc00000 };

Test(interp, dynamic_rounding_mode)
{
    h.f[1] = F32(ONE_S);
    h.f[2] = F32(THREE_S);
    uint32_t fdiv_dyn = FRM(fdiv_s, 3, 1, 2, RV_RM_DYN);
    h.frm = RV_RM_RDN;
    cr_assert(step(fdiv_dyn));
    uint64_t down = h.f[3];
    h.frm = RV_RM_RUP;
    cr_assert(step(fdiv_dyn));
    uint64_t up = h.f[3];
    cr_expect_eq(down, F32(0x3eaaaaaa), "1/3 rounded down: %#" PRIx64, down);
    cr_expect_eq(up, F32(0x3eaaaaab), "1/3 rounded up: %#" PRIx64, up);
    cr_expect(h.fflags & RV_FFLAG_NX);
    /* A static rounding mode overrides frm. */
    cr_assert(step(FRM(fdiv_s, 3, 1, 2, RV_RM_RTZ)));
    cr_expect_eq(h.f[3], F32(0x3eaaaaaa));
    cr_expect_eq(h.mstatus & MSTATUS_FS_DIRTY, MSTATUS_FS_DIRTY, "FP writes dirty FS");
}

Test(interp, invalid_frm_with_dynamic_rounding_is_illegal)
{
    h.f[1] = F32(ONE_S);
    h.f[2] = F32(THREE_S);
    static const unsigned bad_frm[] = {5, 6, 7};
    uint32_t dyn_ops[] = {
        FRM(fadd_s, 3, 1, 2, 7), FRM(fmul_d, 3, 1, 2, 7), FRM(fsqrt_d, 3, 1, 0, 7),
        FRM(fcvt_w_s, 3, 1, 0, 7), FRM(fcvt_d_l, 3, 1, 0, 7), FRM(fmadd_s, 3, 1, 2, 7) | 1u << 27,
        FRM(fcvt_s_d, 3, 1, 0, 7),
    };
    for (size_t f = 0; f < 3; f++) {
        h.frm = bad_frm[f];
        for (size_t i = 0; i < sizeof dyn_ops / sizeof dyn_ops[0]; i++) {
            h.f[3] = 0x1234;
            h.x[3] = 0x1234;
            uint64_t retired = h.instret;
            cr_assert_not(step(dyn_ops[i]), "%08x with frm=%u", dyn_ops[i], bad_frm[f]);
            expect_exception(RV_EXC_ILLEGAL_INSN, dyn_ops[i], CODE, retired);
            cr_expect_eq(h.f[3], 0x1234);
            cr_expect_eq(h.x[3], 0x1234);
        }
        /* Static rounding modes and ops without rm do not look at frm. */
        cr_assert(step(FRM(fadd_s, 3, 1, 2, RV_RM_RNE)));
        cr_assert(step(R(fsgnj_s, 3, 1, 2)));
    }
}

Test(interp, nan_boxing)
{
    h.f[1] = 0x000000003f800000ull;   /* 1.0f, not boxed: reads as the canonical NaN */
    h.f[2] = F32(ONE_S);
    cr_assert(step(FRM(fadd_s, 3, 1, 2, RV_RM_RNE)));
    cr_expect_eq(h.f[3], F32(CANON_S));
    cr_assert(step(FRM(fadd_s, 3, 2, 2, RV_RM_RNE)));
    cr_expect_eq(h.f[3], F32(0x40000000), "boxed 1 + 1 = boxed 2");
    cr_assert(step(R(fsgnjn_s, 3, 1, 1)));
    cr_expect_eq(h.f[3], F32(CANON_S | 0x80000000u), "sign injection on an unboxed input");
    cr_assert(step(FRM(fcvt_d_s, 3, 1, 0, RV_RM_RNE)));
    cr_expect_eq(h.f[3], 0x7ff8000000000000ull);
    /* Moves and stores see the raw bits. */
    cr_assert(step(R(fmv_x_w, 4, 1, 0)));
    cr_expect_eq(h.x[4], 0x3f800000);
    h.f[5] = F32(0x80000000u);
    cr_assert(step(R(fmv_x_w, 4, 5, 0)));
    cr_expect_eq(h.x[4], 0xffffffff80000000ull, "fmv.x.w sign-extends");
    h.x[6] = 0xdeadbeef40490fdbull;
    cr_assert(step(R(fmv_w_x, 7, 6, 0)));
    cr_expect_eq(h.f[7], F32(0x40490fdb), "fmv.w.x boxes the low word");
    h.x[1] = DATA;
    cr_assert(step(S(fsw, 1, 1, 0)));
    cr_expect_eq(get32(DATA), 0x3f800000, "fsw stores the low word unchanged");
    cr_assert(step(I(flw, 8, 1, 0)));
    cr_expect_eq(h.f[8], F32(ONE_S), "flw boxes");
    /* A double op on single values sees the whole register. */
    cr_assert(step(R(fclass_d, 9, 2, 0)));
    cr_expect_eq(h.x[9], 1u << 9, "boxed single is a quiet NaN as a double");
}

Test(interp, fcvt_saturation)
{
    const struct {
        uint32_t match;
        const char *name;
        uint64_t src;
        unsigned rm;
        uint64_t want;
        uint32_t flags;
    } cases[] = {
#define C(op, src, rm, want, fl) {M(op), #op, (uint64_t)(src), rm, (uint64_t)(want), fl}
        C(fcvt_w_s, F32(CANON_S), 0, INT32_MAX, RV_FFLAG_NV),
        C(fcvt_w_s, F32(0xff800000), 0, I64(INT32_MIN), RV_FFLAG_NV),          /* -inf */
        C(fcvt_w_s, F32(0x4f000000), 0, INT32_MAX, RV_FFLAG_NV),               /* 2^31 */
        C(fcvt_wu_s, F32(0xbf800000), 0, 0, RV_FFLAG_NV),                      /* -1.0 */
        C(fcvt_wu_s, F32(0xbf000000), RV_RM_RTZ, 0, RV_FFLAG_NX),              /* -0.5 */
        C(fcvt_wu_s, F32(0x4f800000), 0, UINT64_MAX, RV_FFLAG_NV),             /* 2^32 */
        C(fcvt_l_s, F32(0x7f800000), 0, INT64_MAX, RV_FFLAG_NV),               /* +inf */
        C(fcvt_lu_s, F32(CANON_S), 0, UINT64_MAX, RV_FFLAG_NV),
        C(fcvt_l_d, 0x46293e5939a08ceaull, 0, INT64_MAX, RV_FFLAG_NV),         /* 1e30 */
        C(fcvt_l_d, 0xc3e0000000000000ull, 0, INT64_MIN, 0),                   /* -2^63 exact */
        C(fcvt_lu_d, 0x7ff8000000000000ull, 0, UINT64_MAX, RV_FFLAG_NV),
        C(fcvt_w_d, 0xc1e0000000080000ull, RV_RM_RTZ, I64(INT32_MIN), RV_FFLAG_NX), /* -2^31-0.25 */
        C(fcvt_w_d, 0xc1e0000000200000ull, RV_RM_RTZ, I64(INT32_MIN), RV_FFLAG_NV), /* -2^31-1 */
        C(fcvt_wu_d, 0x41f0000000000000ull, 0, UINT64_MAX, RV_FFLAG_NV),       /* 2^32 */
        C(fcvt_wu_d, 0x41efffffffe00000ull, 0, UINT64_MAX, 0),                 /* 2^32-1 */
        C(fcvt_w_d, 0x3ff8000000000000ull, RV_RM_RNE, 2, RV_FFLAG_NX),         /* 1.5 -> 2 */
        C(fcvt_w_d, 0x4004000000000000ull, RV_RM_RNE, 2, RV_FFLAG_NX),         /* 2.5 -> 2 */
        C(fcvt_w_d, 0x4004000000000000ull, RV_RM_RMM, 3, RV_FFLAG_NX),         /* 2.5 -> 3 */
        C(fcvt_w_d, 0xc004000000000000ull, RV_RM_RDN, I64(-3), RV_FFLAG_NX),   /* -2.5 -> -3 */
#undef C
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h.f[1] = cases[i].src;
        h.fflags = 0;
        cr_assert(step(cases[i].match | cases[i].rm << 12 | 1 << 15 | 3 << 7), "%s", cases[i].name);
        cr_expect_eq(h.x[3], cases[i].want, "%s(%#" PRIx64 ") = %#" PRIx64 ", want %#" PRIx64,
                     cases[i].name, cases[i].src, h.x[3], cases[i].want);
        cr_expect_eq(h.fflags, cases[i].flags, "%s(%#" PRIx64 ") flags %#x, want %#x", cases[i].name,
                     cases[i].src, h.fflags, cases[i].flags);
    }
}

/* ---- exceptions ---- */
Test(interp, illegal_instruction_reports_the_bits)
{
    h.instret = 5;
    uint32_t bad[] = {0x0000006b, 0xffffffff, 0x0200103b, 0x1010202f, 0x00007083};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(step(bad[i]));
        expect_exception(RV_EXC_ILLEGAL_INSN, bad[i], CODE, 5);
    }
    /* 16-bit illegal encodings report the 16 bits only. */
    put32(CODE, 0xffff0000);
    h.pc = CODE;
    cr_assert_not(interp_step(&h));
    expect_exception(RV_EXC_ILLEGAL_INSN, 0, CODE, 5);
    cr_assert_not(step16(0x6101));   /* c.addi16sp 0 */
    expect_exception(RV_EXC_ILLEGAL_INSN, 0x6101, CODE, 5);
    /* Reserved rounding mode in the instruction. */
    uint32_t rm5 = FRM(fadd_d, 1, 2, 3, 5);
    cr_assert_not(step(rm5));
    expect_exception(RV_EXC_ILLEGAL_INSN, rm5, CODE, 5);
    /* Privileged instructions in U mode. */
    uint32_t priv[] = {M(mret), M(sret), M(wfi), M(sfence_vma)};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_not(step(priv[i]));
        expect_exception(RV_EXC_ILLEGAL_INSN, priv[i], CODE, 5);
    }
}

Test(interp, ebreak_and_ecall)
{
    cr_assert_not(step(M(ebreak)));
    expect_exception(RV_EXC_BREAKPOINT, CODE, CODE, 0);
    cr_assert_not(step16(0x9002));   /* c.ebreak */
    expect_exception(RV_EXC_BREAKPOINT, CODE, CODE, 0);
    cr_assert_not(step(M(ecall)));
    expect_exception(RV_EXC_ECALL_U, 0, CODE, 0);
    h.priv = RV_PRIV_S;
    cr_assert_not(step(M(ecall)));
    cr_expect_eq(h.exc.cause, RV_EXC_ECALL_S);
    h.priv = RV_PRIV_M;
    cr_assert_not(step(M(ecall)));
    cr_expect_eq(h.exc.cause, RV_EXC_ECALL_M);
}

Test(interp, fetch_faults)
{
    h.pc = RAM_BASE + RAM_SIZE;     /* unmapped */
    cr_assert_not(interp_step(&h));
    expect_exception(RV_EXC_INSN_PAGE_FAULT, RAM_BASE + RAM_SIZE, RAM_BASE + RAM_SIZE, 0);
    page_perm[1] = PERM_R | PERM_W;  /* data page: not executable */
    h.pc = DATA;
    cr_assert_not(interp_step(&h));
    expect_exception(RV_EXC_INSN_PAGE_FAULT, DATA, DATA, 0);
    /* A 32-bit instruction whose upper half is on a non-executable page. */
    page_perm[1] = PERM_X | PERM_R;
    page_perm[2] = PERM_R;
    uint64_t pc = DATA + 0x1000 - 2;
    uint16_t lo = (uint16_t)I(addi, 1, 1, 1);
    memcpy(&ram[pc - RAM_BASE], &lo, 2);
    h.pc = pc;
    cr_assert_not(interp_step(&h));
    cr_expect_eq(h.exc.cause, RV_EXC_INSN_PAGE_FAULT);
    cr_expect_eq(h.exc.tval, pc + 2);
    cr_expect_eq(h.pc, pc);
    /* ...and it runs when that page is executable. */
    page_perm[2] = PERM_X;
    uint16_t hi = (uint16_t)(I(addi, 1, 1, 1) >> 16);
    memcpy(&ram[pc + 2 - RAM_BASE], &hi, 2);
    h.x[1] = 41;
    h.pc = pc;
    cr_assert(interp_step(&h));
    cr_expect_eq(h.x[1], 42);
    cr_expect_eq(h.pc, pc + 4);
}

Test(interp, instret_counts_retired_instructions)
{
    h.x[1] = 0;
    for (int i = 0; i < 10; i++)
        cr_assert(step(I(addi, 1, 1, 1)));
    cr_expect_eq(h.instret, 10);
    cr_assert_not(step(0));                       /* illegal: not retired */
    cr_assert_not(step(M(ecall)));
    cr_expect_eq(h.instret, 10);
    cr_assert(step(M(fence_i)), "fence.i completes (internal exit)");
    cr_expect_eq(h.pc, CODE + 4);
    cr_expect_eq(h.instret, 11);
    cr_assert(step(CSRR(csrrs, 2, CSR_INSTRET, 0)));
    cr_expect_eq(h.x[2], 11, "instret CSR reads the count before this instruction");
    cr_expect_eq(h.instret, 12);
    cr_assert(step16(0x0505));                    /* c.addi a0, 1 */
    cr_expect_eq(h.pc, CODE + 2);
    cr_expect_eq(h.instret, 13);
}
