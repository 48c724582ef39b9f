/* fpu_oracle_gen.c — riscv64 program that runs real F/D instructions (under
 * qemu-riscv64, i.e. softfloat) to produce expected results for test_fpu.c.
 *
 * It is the oracle: expectations never come from frontend/fpu*.c itself.
 * Every instruction is executed with a static rounding mode, fflags cleared
 * before and read after, on raw bit patterns moved in and out with fmv.
 *
 * Build and use (host needs gcc-riscv64-linux-gnu and qemu-user):
 *   riscv64-linux-gnu-gcc -static -O2 -o /tmp/fpu_oracle_gen tests/frontend/fpu_oracle_gen.c
 *   # regenerate the fixed table included by test_fpu.c:
 *   qemu-riscv64 /tmp/fpu_oracle_gen table > tests/frontend/fpu_oracle_table.inc
 *   # randomized comparison (N records per op and rm, binary stream):
 *   RVX_FPU_ORACLE_CMD="qemu-riscv64 /tmp/fpu_oracle_gen random 100000 1" ./test_fpu
 *
 * Output formats:
 *   table:  C initialisers {op, rm, a, b, c, result, fflags}, preceded by the
 *           op-name array; op indexes refer to that array.
 *   random: one text line "ops <name> <name> ...\n", then records of
 *           struct Rec (little-endian, packed as declared) until EOF.
 * Single-precision operands/results are the low 32 bits; integer results
 * are the full 64-bit register (fcvt.w*.* results sign-extended).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* name, operand kind (S single, D double, I integer), number of operands,
 * has rounding mode, asm: load operands / instruction / store result.
 * In the instruction ft0..ft2 are the operands, ft3 the result; integer
 * operands are %[a], integer results %[r]. */
#define LD_S "fmv.w.x ft0, %[a]\n\tfmv.w.x ft1, %[b]\n\tfmv.w.x ft2, %[c]\n\t"
#define LD_D "fmv.d.x ft0, %[a]\n\tfmv.d.x ft1, %[b]\n\tfmv.d.x ft2, %[c]\n\t"
#define ST_S "\n\tfmv.x.w %[r], ft3\n\t"
#define ST_D "\n\tfmv.x.d %[r], ft3\n\t"
#define ST_X "\n\t"

#define OPS(X)                                                             \
    X(FADD_S, "fadd.s", 'S', 2, 1, LD_S, "fadd.s ft3, ft0, ft1", ST_S)             \
    X(FSUB_S, "fsub.s", 'S', 2, 1, LD_S, "fsub.s ft3, ft0, ft1", ST_S)             \
    X(FMUL_S, "fmul.s", 'S', 2, 1, LD_S, "fmul.s ft3, ft0, ft1", ST_S)             \
    X(FDIV_S, "fdiv.s", 'S', 2, 1, LD_S, "fdiv.s ft3, ft0, ft1", ST_S)             \
    X(FSQRT_S, "fsqrt.s", 'S', 1, 1, LD_S, "fsqrt.s ft3, ft0", ST_S)                \
    X(FMADD_S, "fmadd.s", 'S', 3, 1, LD_S, "fmadd.s ft3, ft0, ft1, ft2", ST_S)      \
    X(FMSUB_S, "fmsub.s", 'S', 3, 1, LD_S, "fmsub.s ft3, ft0, ft1, ft2", ST_S)      \
    X(FNMSUB_S, "fnmsub.s", 'S', 3, 1, LD_S, "fnmsub.s ft3, ft0, ft1, ft2", ST_S)    \
    X(FNMADD_S, "fnmadd.s", 'S', 3, 1, LD_S, "fnmadd.s ft3, ft0, ft1, ft2", ST_S)    \
    X(FMIN_S, "fmin.s", 'S', 2, 0, LD_S, "fmin.s ft3, ft0, ft1", ST_S)             \
    X(FMAX_S, "fmax.s", 'S', 2, 0, LD_S, "fmax.s ft3, ft0, ft1", ST_S)             \
    X(FEQ_S, "feq.s", 'S', 2, 0, LD_S, "feq.s %[r], ft0, ft1", ST_X)              \
    X(FLT_S, "flt.s", 'S', 2, 0, LD_S, "flt.s %[r], ft0, ft1", ST_X)              \
    X(FLE_S, "fle.s", 'S', 2, 0, LD_S, "fle.s %[r], ft0, ft1", ST_X)              \
    X(FCLASS_S, "fclass.s", 'S', 1, 0, LD_S, "fclass.s %[r], ft0", ST_X)             \
    X(FCVT_W_S, "fcvt.w.s", 'S', 1, 1, LD_S, "fcvt.w.s %[r], ft0", ST_X)             \
    X(FCVT_WU_S, "fcvt.wu.s", 'S', 1, 1, LD_S, "fcvt.wu.s %[r], ft0", ST_X)           \
    X(FCVT_L_S, "fcvt.l.s", 'S', 1, 1, LD_S, "fcvt.l.s %[r], ft0", ST_X)             \
    X(FCVT_LU_S, "fcvt.lu.s", 'S', 1, 1, LD_S, "fcvt.lu.s %[r], ft0", ST_X)           \
    X(FCVT_S_W, "fcvt.s.w", 'I', 1, 1, "", "fcvt.s.w ft3, %[a]", ST_S)               \
    X(FCVT_S_WU, "fcvt.s.wu", 'I', 1, 1, "", "fcvt.s.wu ft3, %[a]", ST_S)             \
    X(FCVT_S_L, "fcvt.s.l", 'I', 1, 1, "", "fcvt.s.l ft3, %[a]", ST_S)               \
    X(FCVT_S_LU, "fcvt.s.lu", 'I', 1, 1, "", "fcvt.s.lu ft3, %[a]", ST_S)             \
    X(FADD_D, "fadd.d", 'D', 2, 1, LD_D, "fadd.d ft3, ft0, ft1", ST_D)             \
    X(FSUB_D, "fsub.d", 'D', 2, 1, LD_D, "fsub.d ft3, ft0, ft1", ST_D)             \
    X(FMUL_D, "fmul.d", 'D', 2, 1, LD_D, "fmul.d ft3, ft0, ft1", ST_D)             \
    X(FDIV_D, "fdiv.d", 'D', 2, 1, LD_D, "fdiv.d ft3, ft0, ft1", ST_D)             \
    X(FSQRT_D, "fsqrt.d", 'D', 1, 1, LD_D, "fsqrt.d ft3, ft0", ST_D)                \
    X(FMADD_D, "fmadd.d", 'D', 3, 1, LD_D, "fmadd.d ft3, ft0, ft1, ft2", ST_D)      \
    X(FMSUB_D, "fmsub.d", 'D', 3, 1, LD_D, "fmsub.d ft3, ft0, ft1, ft2", ST_D)      \
    X(FNMSUB_D, "fnmsub.d", 'D', 3, 1, LD_D, "fnmsub.d ft3, ft0, ft1, ft2", ST_D)    \
    X(FNMADD_D, "fnmadd.d", 'D', 3, 1, LD_D, "fnmadd.d ft3, ft0, ft1, ft2", ST_D)    \
    X(FMIN_D, "fmin.d", 'D', 2, 0, LD_D, "fmin.d ft3, ft0, ft1", ST_D)             \
    X(FMAX_D, "fmax.d", 'D', 2, 0, LD_D, "fmax.d ft3, ft0, ft1", ST_D)             \
    X(FEQ_D, "feq.d", 'D', 2, 0, LD_D, "feq.d %[r], ft0, ft1", ST_X)              \
    X(FLT_D, "flt.d", 'D', 2, 0, LD_D, "flt.d %[r], ft0, ft1", ST_X)              \
    X(FLE_D, "fle.d", 'D', 2, 0, LD_D, "fle.d %[r], ft0, ft1", ST_X)              \
    X(FCLASS_D, "fclass.d", 'D', 1, 0, LD_D, "fclass.d %[r], ft0", ST_X)             \
    X(FCVT_W_D, "fcvt.w.d", 'D', 1, 1, LD_D, "fcvt.w.d %[r], ft0", ST_X)             \
    X(FCVT_WU_D, "fcvt.wu.d", 'D', 1, 1, LD_D, "fcvt.wu.d %[r], ft0", ST_X)           \
    X(FCVT_L_D, "fcvt.l.d", 'D', 1, 1, LD_D, "fcvt.l.d %[r], ft0", ST_X)             \
    X(FCVT_LU_D, "fcvt.lu.d", 'D', 1, 1, LD_D, "fcvt.lu.d %[r], ft0", ST_X)           \
    X(FCVT_D_W, "fcvt.d.w", 'I', 1, 0, "", "fcvt.d.w ft3, %[a]", ST_D)               \
    X(FCVT_D_WU, "fcvt.d.wu", 'I', 1, 0, "", "fcvt.d.wu ft3, %[a]", ST_D)             \
    X(FCVT_D_L, "fcvt.d.l", 'I', 1, 1, "", "fcvt.d.l ft3, %[a]", ST_D)               \
    X(FCVT_D_LU, "fcvt.d.lu", 'I', 1, 1, "", "fcvt.d.lu ft3, %[a]", ST_D)             \
    X(FCVT_S_D, "fcvt.s.d", 'D', 1, 1, LD_D, "fcvt.s.d ft3, ft0", ST_S)              \
    X(FCVT_D_S, "fcvt.d.s", 'S', 1, 0, LD_S, "fcvt.d.s ft3, ft0", ST_D)

#define ENUM(id, n, k, na, hr, ld, ins, st) id,
enum { OPS(ENUM) NOPS };

typedef struct {
    const char *name;
    char kind;
    int nargs, has_rm;
} OpInfo;

#define INFO(id, n, k, na, hr, ld, ins, st) { n, k, na, hr },
static const OpInfo ops[] = { OPS(INFO) };

typedef struct {
    uint8_t op, rm, fflags, pad[5];
    uint64_t a, b, c, r;
} Rec;

#define ASM1(ld, ins, rmstr, st)                                                        \
    __asm__ volatile(ld "fsflags x0\n\t" ins rmstr st "frflags %[f]"                   \
                     : [r] "=&r"(r), [f] "=&r"(f)                                      \
                     : [a] "r"(a), [b] "r"(b), [c] "r"(c)                              \
                     : "ft0", "ft1", "ft2", "ft3")
/* instructions without an rm field must not be given one */
#define CASE_1(ld, ins, st)                                                             \
    switch (rm) {                                                                       \
    case 0: ASM1(ld, ins, ", rne", st); break;                                          \
    case 1: ASM1(ld, ins, ", rtz", st); break;                                          \
    case 2: ASM1(ld, ins, ", rdn", st); break;                                          \
    case 3: ASM1(ld, ins, ", rup", st); break;                                          \
    default: ASM1(ld, ins, ", rmm", st); break;                                         \
    }
#define CASE_0(ld, ins, st) ASM1(ld, ins, "", st);
/* fmv.x.w sign-extends: keep single results to their 32 bits */
#define CASE(id, n, k, na, hr, ld, ins, st)                                             \
    case id:                                                                            \
        CASE_##hr(ld, ins, st) if (!strcmp(st, ST_S)) r &= 0xffffffffu;                 \
        break;

static void run(Rec *x)
{
    uint64_t a = x->a, b = x->b, c = x->c, r = 0, f = 0;
    int rm = x->rm;
    switch (x->op) {
    OPS(CASE)
    default: break;
    }
    x->r = r;
    x->fflags = (uint8_t)f;
}

/* ---------------------------------------------------------------- inputs */

static const uint32_t edge_s[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0xbf000000,
    0x3f000000, 0x3f400000, 0xbfc00000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff,
    0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc00001, 0xff800001,
    0x3f800001, 0x40400000, 0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff,
    0x4f800000, 0x5effffff, 0x5f000000, 0xdf000000, 0xdf000001, 0x5f7fffff, 0x5f800000,
    0x3eaaaaab, 0x40000000, 0x7e800000, 0xbf400000, 0x3fe00000,
};
static const uint64_t edge_d[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x3ff8000000000000, 0x4004000000000000, 0xbfe0000000000000, 0x3fe0000000000000,
    0x3fe8000000000000, 0xbff8000000000000, 0x0000000000000001, 0x800fffffffffffff,
    0x0010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff, 0x7ff0000000000000,
    0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001, 0xfff8000000000001,
    0xfff0000000000001, 0x3ff0000000000001, 0x4008000000000000, 0x41dfffffffe00000,
    0x41e0000000000000, 0xc1e0000000000000, 0xc1e0000000100000, 0xc1e0000000200000,
    0x41efffffffe00000, 0x41f0000000000000, 0x41dfffffffc00000, 0x43e0000000000000,
    0xc3e0000000000000, 0x43dfffffffffffff, 0xc3e0000000000001, 0x43efffffffffffff,
    0x43f0000000000000, 0x3fd5555555555555, 0x4000000000000000, 0x47efffffe0000000,
    0x47effffff0000000, 0xc7effffff0000000, 0x3810000000000000, 0x380fffffffffffff,
    0x380ffffff0000000, 0x380fffffe0000000, 0x36a0000000000000, 0x3690000000000000,
    0x36a8000000000000, 0x3ff0000010000000, 0x3ff0000030000000, 0xbff0000010000000,
    0x7fe0000000000000, 0xbfe8000000000000,
};
/* full cross product of these for two-operand ops */
static const uint32_t cross_s[] = { 0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x00000001,
                                    0x00800000, 0x7f7fffff, 0xff800000, 0x7fc00000, 0x7f800001 };
static const uint64_t cross_d[] = { 0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000,
                                    0xbff8000000000000, 0x0000000000000001, 0x0010000000000000,
                                    0x7fefffffffffffff, 0xfff0000000000000, 0x7ff8000000000000,
                                    0x7ff0000000000001 };
/* hand-picked pairs: ties per rounding mode, overflow at max+half ulp,
 * tininess before vs after rounding, subnormal ties, exact cancellation */
static const uint32_t pair_s[][2] = {
    { 0x3f800000, 0x33800000 }, { 0x3f800001, 0x33800000 }, { 0x3f800000, 0x33800001 },
    { 0xbf800000, 0xb3800000 }, { 0x7f7fffff, 0x73000000 }, { 0x7f7fffff, 0x72ffffff },
    { 0xff7fffff, 0xf3000000 }, { 0x3f800000, 0xbf800000 }, { 0x00800000, 0x80000001 },
    { 0x3f7ffffe, 0x00800001 }, { 0x3f7fffff, 0x00800000 }, { 0x3f800001, 0x3f800001 },
    { 0x00800001, 0x3f000000 }, { 0x00800003, 0x3f000000 }, { 0x80800003, 0x3f000000 },
    { 0x3f800000, 0x40400000 }, { 0x3f800000, 0x00000000 }, { 0xbf800000, 0x80000000 },
    { 0x00800000, 0x3f800001 }, { 0x7f7fffff, 0x3f000000 }, { 0x00000003, 0x40000000 },
    { 0x00000001, 0x40000000 }, { 0x00000001, 0xc0000000 }, { 0x7f800000, 0x7f800000 },
    { 0x7f800000, 0xff800000 }, { 0x00800000, 0x00800000 }, { 0x7fc00000, 0xff800001 },
    { 0x80000000, 0x00000000 }, { 0x00000001, 0x80000001 }, { 0x4b7fffff, 0x3f000000 },
};
static const uint64_t pair_d[][2] = {
    { 0x3ff0000000000000, 0x3ca0000000000000 }, { 0x3ff0000000000001, 0x3ca0000000000000 },
    { 0x3ff0000000000000, 0x3ca0000000000001 }, { 0xbff0000000000000, 0xbca0000000000000 },
    { 0x7fefffffffffffff, 0x7c90000000000000 }, { 0x7fefffffffffffff, 0x7c8fffffffffffff },
    { 0xffefffffffffffff, 0xfc90000000000000 }, { 0x3ff0000000000000, 0xbff0000000000000 },
    { 0x0010000000000000, 0x8000000000000001 }, { 0x3feffffffffffffe, 0x0010000000000001 },
    { 0x3fefffffffffffff, 0x0010000000000000 }, { 0x3ff0000000000001, 0x3ff0000000000001 },
    { 0x0010000000000001, 0x3fe0000000000000 }, { 0x0010000000000003, 0x3fe0000000000000 },
    { 0x8010000000000003, 0x3fe0000000000000 }, { 0x3ff0000000000000, 0x4008000000000000 },
    { 0x3ff0000000000000, 0x0000000000000000 }, { 0xbff0000000000000, 0x8000000000000000 },
    { 0x0010000000000000, 0x3ff0000000000001 }, { 0x7fefffffffffffff, 0x3fe0000000000000 },
    { 0x0000000000000003, 0x4000000000000000 }, { 0x0000000000000001, 0x4000000000000000 },
    { 0x0000000000000001, 0xc000000000000000 }, { 0x7ff0000000000000, 0x7ff0000000000000 },
    { 0x7ff0000000000000, 0xfff0000000000000 }, { 0x0010000000000000, 0x0010000000000000 },
    { 0x7ff8000000000000, 0xfff0000000000001 }, { 0x8000000000000000, 0x0000000000000000 },
    { 0x0000000000000001, 0x8000000000000001 }, { 0x433fffffffffffff, 0x3fe0000000000000 },
};
static const uint32_t cross3_s[] = { 0x00000000, 0x80000000, 0x3fc00000, 0x7f800000,
                                     0xff800000, 0x7fc00000, 0x7f800001 };
static const uint64_t cross3_d[] = { 0x0000000000000000, 0x8000000000000000, 0x3ff8000000000000,
                                     0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
                                     0x7ff0000000000001 };
/* fma: exact cancellation, inf*0+qNaN, no intermediate overflow, ties,
 * subnormal results, tininess boundary */
static const uint32_t trip_s[][3] = {
    { 0x3fc00000, 0x3fc00000, 0xc0100000 }, { 0x3f800001, 0x3f7fffff, 0xbf800000 },
    { 0x7f800000, 0x00000000, 0x7fc00000 }, { 0x00000000, 0xff800000, 0x7fc00000 },
    { 0x7f800000, 0x3f800000, 0xff800000 }, { 0x7f7fffff, 0x40000000, 0xff7fffff },
    { 0x3f800000, 0x3f800000, 0x33800000 }, { 0x3f800001, 0x3f800001, 0x00000000 },
    { 0x00800000, 0x3f000000, 0x80000000 }, { 0x3f7ffffe, 0x00800001, 0x00000000 },
    { 0x3f800001, 0x3f800001, 0xbf800002 }, { 0x00800001, 0x3f000000, 0x00000001 },
    { 0x7f7fffff, 0x3f800000, 0x73000000 }, { 0x3f800000, 0x00800000, 0x80000001 },
    { 0x3fc00000, 0xbfc00000, 0x40100000 }, { 0x80000000, 0x3f800000, 0x80000000 },
};
static const uint64_t trip_d[][3] = {
    { 0x3ff8000000000000, 0x3ff8000000000000, 0xc002000000000000 },
    { 0x3ff0000000000001, 0x3fefffffffffffff, 0xbff0000000000000 },
    { 0x7ff0000000000000, 0x0000000000000000, 0x7ff8000000000000 },
    { 0x0000000000000000, 0xfff0000000000000, 0x7ff8000000000000 },
    { 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000 },
    { 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff },
    { 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000 },
    { 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000 },
    { 0x0010000000000000, 0x3fe0000000000000, 0x8000000000000000 },
    { 0x3feffffffffffffe, 0x0010000000000001, 0x0000000000000000 },
    { 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002 },
    { 0x0010000000000001, 0x3fe0000000000000, 0x0000000000000001 },
    { 0x7fefffffffffffff, 0x3ff0000000000000, 0x7c90000000000000 },
    { 0x3ff0000000000000, 0x0010000000000000, 0x8000000000000001 },
    { 0x3ff8000000000000, 0xbff8000000000000, 0x4002000000000000 },
    { 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000 },
};
static const uint64_t edge_i[] = {
    0, 1, 0xffffffffffffffff, 0x1000001, 0x1000003, 0xfffffffffeffffff, 0x7fffffff,
    0x80000000, 0xffffffff, 0xffffffff80000000, 0x20000000000001, 0x20000000000003,
    0xffdfffffffffffff, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffff8000000000,
    0xffffff8000000000, 0xfffffffffffffc00, 0x100000000, 0x7ffffffffffffe00,
};

static void emit(int op, int rm, uint64_t a, uint64_t b, uint64_t c)
{
    Rec x = { .op = (uint8_t)op, .rm = (uint8_t)rm, .a = a, .b = b, .c = c };
    run(&x);
    printf("{%d,%d,0x%llx,0x%llx,0x%llx,0x%llx,%d},\n", op, rm, (unsigned long long)a,
           (unsigned long long)b, (unsigned long long)c, (unsigned long long)x.r, x.fflags);
}

#define N(arr) (sizeof(arr) / sizeof((arr)[0]))

static void table(void)
{
    printf("/* generated by tests/frontend/fpu_oracle_gen.c under qemu-riscv64: do not edit */\n");
    printf("static const char *const fpu_oracle_ops[] = {");
    for (int i = 0; i < NOPS; i++)
        printf("%s\"%s\"", i ? "," : "", ops[i].name);
    printf("};\nstatic const FpuOracleCase fpu_oracle_cases[] = {\n");
    for (int op = 0; op < NOPS; op++) {
        const OpInfo *o = &ops[op];
        int nrm = o->has_rm ? 5 : 1, d = o->kind == 'D';
        for (int rm = 0; rm < nrm; rm++) {
            if (o->kind == 'I') {
                for (size_t i = 0; i < N(edge_i); i++)
                    emit(op, rm, edge_i[i], 0, 0);
            } else if (o->nargs == 1) {
                if (d)
                    for (size_t i = 0; i < N(edge_d); i++)
                        emit(op, rm, edge_d[i], 0, 0);
                else
                    for (size_t i = 0; i < N(edge_s); i++)
                        emit(op, rm, edge_s[i], 0, 0);
            } else if (o->nargs == 2) {
                /* specials are mostly rm-independent: cross product in RNE and RDN */
                if (rm == 0 || rm == 2)
                    for (size_t i = 0; i < N(cross_s); i++)
                        for (size_t j = 0; j < N(cross_s); j++)
                            emit(op, rm, d ? cross_d[i] : cross_s[i], d ? cross_d[j] : cross_s[j], 0);
                for (size_t i = 0; i < N(pair_s); i++)
                    emit(op, rm, d ? pair_d[i][0] : pair_s[i][0], d ? pair_d[i][1] : pair_s[i][1], 0);
            } else {
                if (rm == 0 && (op == FMADD_S || op == FMADD_D))
                    for (size_t i = 0; i < N(cross3_s); i++)
                        for (size_t j = 0; j < N(cross3_s); j++)
                            for (size_t k = 0; k < N(cross3_s); k++)
                                emit(op, rm, d ? cross3_d[i] : cross3_s[i], d ? cross3_d[j] : cross3_s[j],
                                     d ? cross3_d[k] : cross3_s[k]);
                for (size_t i = 0; i < N(trip_s); i++)
                    emit(op, rm, d ? trip_d[i][0] : trip_s[i][0], d ? trip_d[i][1] : trip_s[i][1],
                         d ? trip_d[i][2] : trip_s[i][2]);
            }
        }
    }
    printf("};\n");
}

/* ---------------------------------------------------------------- random */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

/* Edge-biased random value in a format with fbits fraction bits. */
static uint64_t rnd_fp(int fbits, uint64_t prev)
{
    int ebits = fbits == 23 ? 8 : 11, bias = (1 << (ebits - 1)) - 1;
    uint64_t emask = (1ull << ebits) - 1, fmask = (1ull << fbits) - 1;
    uint64_t sign = (rnd() & 1) << (fbits + ebits), f = rnd() & fmask, e;
    uint64_t ulps = (rnd() % 5);
    switch (rnd() % 16) {
    case 0: case 1: case 2: case 3:
        return rnd() & (fbits == 23 ? 0xffffffffull : ~0ull);
    case 4:
        return fbits == 23 ? edge_s[rnd() % N(edge_s)] : edge_d[rnd() % N(edge_d)];
    case 5: /* subnormal or smallest normals */
        e = rnd() % 3;
        return sign | (e << fbits) | (f >> (rnd() % fbits));
    case 6: /* near overflow */
        e = emask - 1 - rnd() % 3;
        return sign | (e << fbits) | f;
    case 7: /* moderate */
        e = bias - 8 + rnd() % 17;
        return sign | (e << fbits) | f;
    case 8: /* few fraction bits: exact results and ties */
        e = bias - 30 + rnd() % 61;
        return sign | (e << fbits) | (f & (fmask << (fbits - 1 - rnd() % 6)) & fmask);
    case 9: /* integers and half-integers near conversion limits */
    {
        static const int pw[] = { 0, 1, 2, 22, 23, 24, 30, 31, 32, 52, 53, 62, 63, 64 };
        e = bias + pw[rnd() % N(pw)];
        f = (rnd() & 1) ? fmask & ~(rnd() & 7) : rnd() & 7;
        if (e - bias < (uint64_t)fbits && (rnd() & 1)) /* x.5 */
            f = (f & ~((1ull << (fbits - (e - bias))) - 1)) | (1ull << (fbits - (e - bias) - 1));
        return sign | (e << fbits) | f;
    }
    case 10: /* NaNs with random payloads, quiet or signalling */
        f |= 1; /* nonzero */
        return sign | (emask << fbits) | f;
    case 11: /* near the smallest normal: tininess boundary */
        e = rnd() & 1;
        f = (rnd() & 1) ? fmask - (rnd() & 3) : rnd() & 3;
        return sign | (e << fbits) | f | (e ? 0 : 0);
    default: /* related to the previous operand: cancellation, equality */
        switch (rnd() % 4) {
        case 0: return prev ^ (1ull << (fbits + ebits)); /* negated */
        case 1: return prev + ulps; /* a few ulps away */
        case 2: return (prev ^ (1ull << (fbits + ebits))) - ulps;
        default: return prev;
        }
    }
}

static uint64_t rnd_int(void)
{
    uint64_t x = rnd();
    switch (rnd() % 6) {
    case 0: return x;
    case 1: return x >> (rnd() % 64);
    case 2: return -(x >> (rnd() % 64));
    case 3: return edge_i[rnd() % N(edge_i)] + (rnd() % 5) - 2;
    case 4: return (x >> (rnd() % 64)) << (rnd() % 64);
    default: return (int64_t)(int32_t)x;
    }
}

static void random_mode(long n, uint64_t seed, int only)
{
    static Rec buf[4096];
    size_t nb = 0;
    printf("ops");
    for (int i = 0; i < NOPS; i++)
        printf(" %s", ops[i].name);
    printf("\n");
    fflush(stdout);
    rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
    for (int op = 0; op < NOPS; op++) {
        if (only >= 0 && op != only)
            continue;
        const OpInfo *o = &ops[op];
        int fb = o->kind == 'S' ? 23 : 52;
        for (int rm = 0; rm < (o->has_rm ? 5 : 1); rm++) {
            for (long i = 0; i < n; i++) {
                Rec *x = &buf[nb++];
                memset(x, 0, sizeof *x);
                x->op = (uint8_t)op;
                x->rm = (uint8_t)rm;
                if (o->kind == 'I') {
                    x->a = rnd_int();
                } else {
                    x->a = rnd_fp(fb, 0);
                    if (o->nargs > 1)
                        x->b = rnd_fp(fb, x->a);
                    if (o->nargs > 2) {
                        x->c = rnd_fp(fb, x->b);
                        if (rnd() % 4 == 0) {
                            /* c ~ -(a*b): massive cancellation */
                            if (fb == 23) {
                                float fa, fbv, p;
                                uint32_t ua = (uint32_t)x->a, ub = (uint32_t)x->b, up;
                                memcpy(&fa, &ua, 4);
                                memcpy(&fbv, &ub, 4);
                                p = -(fa * fbv);
                                memcpy(&up, &p, 4);
                                x->c = up + (rnd() % 3) - 1;
                            } else {
                                double fa, fbv, p;
                                memcpy(&fa, &x->a, 8);
                                memcpy(&fbv, &x->b, 8);
                                p = -(fa * fbv);
                                memcpy(&x->c, &p, 8);
                                x->c += (rnd() % 3) - 1;
                            }
                        }
                    }
                    if (fb == 23) {
                        x->a &= 0xffffffff;
                        x->b &= 0xffffffff;
                        x->c &= 0xffffffff;
                    }
                }
                run(x);
                if (nb == N(buf)) {
                    fwrite(buf, sizeof(Rec), nb, stdout);
                    nb = 0;
                }
            }
        }
    }
    fwrite(buf, sizeof(Rec), nb, stdout);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "table")) {
        table();
        return 0;
    }
    if (argc >= 4 && !strcmp(argv[1], "random")) {
        int only = -1;
        if (argc >= 5)
            for (int i = 0; i < NOPS; i++)
                if (!strcmp(ops[i].name, argv[4]))
                    only = i;
        random_mode(atol(argv[2]), strtoull(argv[3], NULL, 0), only);
        return 0;
    }
    fprintf(stderr, "usage: %s table | random N SEED [OP]\n", argv[0]);
    return 2;
}
