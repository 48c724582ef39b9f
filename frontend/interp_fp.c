/* Interpreter semantics of the F and D extensions. Arithmetic is delegated to fpu.c
 * (bit-exact IEEE 754 with RISC-V NaN and flag rules); this file handles what is
 * architectural around it: NaN boxing of singles, rounding-mode resolution (dyn ->
 * frm, reserved -> illegal instruction), mstatus.FS (off -> illegal, write -> dirty). */
#include "frontend/interp_internal.h"
#include "frontend/fpu.h"

#define MSTATUS_FS (3ull << 13)

#define FS1 h->f[in->d.rs1]
#define FS2 h->f[in->d.rs2]
#define FS3 h->f[in->d.rs3]
#define S1 fpu_unbox_s(FS1)
#define S2 fpu_unbox_s(FS2)
#define S3 fpu_unbox_s(FS3)
#define FLAGS (&h->fflags)

static bool fp_enabled(Hart *h, const InterpInsn *in)
{
    if (h->mstatus & MSTATUS_FS)
        return true;
    interp_illegal(h, in);
    return false;
}

/* Resolves the instruction's rounding mode; -1 (illegal instruction raised) when the
 * dynamic mode in frm is reserved or FP is off. */
static int fp_rm(Hart *h, const InterpInsn *in)
{
    unsigned r = in->d.rm == RV_RM_DYN ? h->frm : in->d.rm;
    if (r > RV_RM_RMM || !(h->mstatus & MSTATUS_FS)) {
        interp_illegal(h, in);
        return -1;
    }
    return (int)r;
}

static void write_f(Hart *h, unsigned rd, uint64_t v)
{
    h->f[rd] = v;
    h->mstatus |= MSTATUS_FS;
}
#define WRITE_S(v) write_f(h, in->d.rd, fpu_box_s(v))
#define WRITE_D(v) write_f(h, in->d.rd, (v))

/* Ops with a rounding mode: `expr` may use `rm`. */
#define FP_RM_S(name, expr) \
    INSN(name) { int rm = fp_rm(h, in); if (rm < 0) return FAIL(); WRITE_S(expr); return NEXT(); }
#define FP_RM_D(name, expr) \
    INSN(name) { int rm = fp_rm(h, in); if (rm < 0) return FAIL(); WRITE_D(expr); return NEXT(); }
/* Ops writing an integer register may still accrue fflags: FS becomes dirty (a
 * conservative Dirty is allowed by the spec; a missed one would lose state). */
#define FP_RM_X(name, expr) \
    INSN(name) { int rm = fp_rm(h, in); if (rm < 0) return FAIL(); RD = (expr); \
                 h->mstatus |= MSTATUS_FS; return NEXT(); }
/* Ops without one. */
#define FP_S(name, expr) \
    INSN(name) { if (!fp_enabled(h, in)) return FAIL(); WRITE_S(expr); return NEXT(); }
#define FP_D(name, expr) \
    INSN(name) { if (!fp_enabled(h, in)) return FAIL(); WRITE_D(expr); return NEXT(); }
#define FP_X(name, expr) \
    INSN(name) { if (!fp_enabled(h, in)) return FAIL(); RD = (expr); \
                 h->mstatus |= MSTATUS_FS; return NEXT(); }

/* ---- loads and stores (no unboxing: fsw stores the low 32 bits as they are) ---- */
INSN(flw)
{
    uint64_t v;
    if (!fp_enabled(h, in) || !mem_load_u32(h, RS1 + (uint64_t)IMM, &v))
        return FAIL();
    WRITE_S((uint32_t)v);
    return NEXT();
}
INSN(fld)
{
    uint64_t v;
    if (!fp_enabled(h, in) || !mem_load_u64(h, RS1 + (uint64_t)IMM, &v))
        return FAIL();
    WRITE_D(v);
    return NEXT();
}
INSN(fsw) { return fp_enabled(h, in) && mem_store_u32(h, RS1 + (uint64_t)IMM, (uint32_t)FS2) ? NEXT() : FAIL(); }
INSN(fsd) { return fp_enabled(h, in) && mem_store_u64(h, RS1 + (uint64_t)IMM, FS2) ? NEXT() : FAIL(); }

/* ---- single precision ---- */
FP_RM_S(fmadd_s, fpu_madd_s(S1, S2, S3, rm, FLAGS))
FP_RM_S(fmsub_s, fpu_msub_s(S1, S2, S3, rm, FLAGS))
FP_RM_S(fnmsub_s, fpu_nmsub_s(S1, S2, S3, rm, FLAGS))
FP_RM_S(fnmadd_s, fpu_nmadd_s(S1, S2, S3, rm, FLAGS))
FP_RM_S(fadd_s, fpu_add_s(S1, S2, rm, FLAGS))
FP_RM_S(fsub_s, fpu_sub_s(S1, S2, rm, FLAGS))
FP_RM_S(fmul_s, fpu_mul_s(S1, S2, rm, FLAGS))
FP_RM_S(fdiv_s, fpu_div_s(S1, S2, rm, FLAGS))
FP_RM_S(fsqrt_s, fpu_sqrt_s(S1, rm, FLAGS))
FP_S(fsgnj_s, (S1 & 0x7fffffffu) | (S2 & 0x80000000u))
FP_S(fsgnjn_s, (S1 & 0x7fffffffu) | (~S2 & 0x80000000u))
FP_S(fsgnjx_s, S1 ^ (S2 & 0x80000000u))
FP_S(fmin_s, fpu_min_s(S1, S2, FLAGS))
FP_S(fmax_s, fpu_max_s(S1, S2, FLAGS))
FP_RM_X(fcvt_w_s, SEXT32(fpu_cvt_w_s(S1, rm, FLAGS)))
FP_RM_X(fcvt_wu_s, SEXT32(fpu_cvt_wu_s(S1, rm, FLAGS)))
FP_RM_X(fcvt_l_s, (uint64_t)fpu_cvt_l_s(S1, rm, FLAGS))
FP_RM_X(fcvt_lu_s, fpu_cvt_lu_s(S1, rm, FLAGS))
FP_X(fmv_x_w, SEXT32(FS1))
FP_X(fclass_s, fpu_class_s(S1))
FP_X(feq_s, (uint64_t)fpu_eq_s(S1, S2, FLAGS))
FP_X(flt_s, (uint64_t)fpu_lt_s(S1, S2, FLAGS))
FP_X(fle_s, (uint64_t)fpu_le_s(S1, S2, FLAGS))
FP_RM_S(fcvt_s_w, fpu_cvt_s_w((int32_t)RS1, rm, FLAGS))
FP_RM_S(fcvt_s_wu, fpu_cvt_s_wu((uint32_t)RS1, rm, FLAGS))
FP_RM_S(fcvt_s_l, fpu_cvt_s_l((int64_t)RS1, rm, FLAGS))
FP_RM_S(fcvt_s_lu, fpu_cvt_s_lu(RS1, rm, FLAGS))
FP_S(fmv_w_x, (uint32_t)RS1)

/* ---- double precision ---- */
FP_RM_D(fmadd_d, fpu_madd_d(FS1, FS2, FS3, rm, FLAGS))
FP_RM_D(fmsub_d, fpu_msub_d(FS1, FS2, FS3, rm, FLAGS))
FP_RM_D(fnmsub_d, fpu_nmsub_d(FS1, FS2, FS3, rm, FLAGS))
FP_RM_D(fnmadd_d, fpu_nmadd_d(FS1, FS2, FS3, rm, FLAGS))
FP_RM_D(fadd_d, fpu_add_d(FS1, FS2, rm, FLAGS))
FP_RM_D(fsub_d, fpu_sub_d(FS1, FS2, rm, FLAGS))
FP_RM_D(fmul_d, fpu_mul_d(FS1, FS2, rm, FLAGS))
FP_RM_D(fdiv_d, fpu_div_d(FS1, FS2, rm, FLAGS))
FP_RM_D(fsqrt_d, fpu_sqrt_d(FS1, rm, FLAGS))
FP_D(fsgnj_d, (FS1 & ~(1ull << 63)) | (FS2 & (1ull << 63)))
FP_D(fsgnjn_d, (FS1 & ~(1ull << 63)) | (~FS2 & (1ull << 63)))
FP_D(fsgnjx_d, FS1 ^ (FS2 & (1ull << 63)))
FP_D(fmin_d, fpu_min_d(FS1, FS2, FLAGS))
FP_D(fmax_d, fpu_max_d(FS1, FS2, FLAGS))
FP_RM_S(fcvt_s_d, fpu_cvt_s_d(FS1, rm, FLAGS))
FP_RM_D(fcvt_d_s, fpu_cvt_d_s(S1, rm, FLAGS))
FP_X(feq_d, (uint64_t)fpu_eq_d(FS1, FS2, FLAGS))
FP_X(flt_d, (uint64_t)fpu_lt_d(FS1, FS2, FLAGS))
FP_X(fle_d, (uint64_t)fpu_le_d(FS1, FS2, FLAGS))
FP_X(fclass_d, fpu_class_d(FS1))
FP_RM_X(fcvt_w_d, SEXT32(fpu_cvt_w_d(FS1, rm, FLAGS)))
FP_RM_X(fcvt_wu_d, SEXT32(fpu_cvt_wu_d(FS1, rm, FLAGS)))
FP_RM_X(fcvt_l_d, (uint64_t)fpu_cvt_l_d(FS1, rm, FLAGS))
FP_RM_X(fcvt_lu_d, fpu_cvt_lu_d(FS1, rm, FLAGS))
FP_RM_D(fcvt_d_w, fpu_cvt_d_w((int32_t)RS1, rm, FLAGS))
FP_RM_D(fcvt_d_wu, fpu_cvt_d_wu((uint32_t)RS1, rm, FLAGS))
FP_RM_D(fcvt_d_l, fpu_cvt_d_l((int64_t)RS1, rm, FLAGS))
FP_RM_D(fcvt_d_lu, fpu_cvt_d_lu(RS1, rm, FLAGS))
FP_X(fmv_x_d, FS1)
FP_D(fmv_d_x, RS1)
