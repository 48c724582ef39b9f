/* fpu.h — exact RISC-V F and D semantics (results, NaNs, fflags) as pure C.
 *
 * Role: the interpreter and the DBT's helpers call these for every F/D
 * instruction that computes (arithmetic, fma, min/max, compares, fclass,
 * conversions).  Sign injection and moves are plain bit operations and are
 * left to the callers.
 *
 * Invariants:
 *  - Values are raw IEEE bit patterns: uint32_t for single, uint64_t for
 *    double.  NaN boxing of single values in 64-bit registers is the caller's
 *    job (fpu_box_s / fpu_unbox_s below).
 *  - rm is an already resolved rounding mode 0..4 (RV_RM_RNE..RV_RM_RMM);
 *    resolving RV_RM_DYN from frm and trapping on reserved modes is the
 *    caller's job.  Passing anything else is undefined.
 *  - Exception flags are OR-ed into *fflags (RV_FFLAG_* bits); nothing is
 *    ever cleared.  Functions without an fflags argument raise nothing.
 *  - Every NaN produced by arithmetic or conversion is the canonical NaN
 *    (no payload propagation), as the RISC-V spec requires.
 *  - Tininess is detected after rounding; UF is raised when tiny and inexact.
 *  - Precondition: the host rounding mode is round-to-nearest (the C default;
 *    rvx never changes it).  The RNE fast paths compute in it directly.
 *    On return the host rounding mode is unchanged; host sticky exception
 *    flags may have been raised (nothing in rvx reads them).
 *  - All functions are reentrant and thread-safe (no mutable state).
 */
#ifndef RVX_FRONTEND_FPU_H
#define RVX_FRONTEND_FPU_H

#include <stdint.h>

enum { RV_RM_RNE = 0, RV_RM_RTZ = 1, RV_RM_RDN = 2, RV_RM_RUP = 3, RV_RM_RMM = 4, RV_RM_DYN = 7 };
enum { RV_FFLAG_NX = 1, RV_FFLAG_UF = 2, RV_FFLAG_OF = 4, RV_FFLAG_DZ = 8, RV_FFLAG_NV = 16 };

#define FPU_CANON_NAN_S 0x7fc00000u
#define FPU_CANON_NAN_D 0x7ff8000000000000ull

/* fclass result bits (one-hot). */
enum {
    FPU_CLASS_NEG_INF = 1 << 0, FPU_CLASS_NEG_NORMAL = 1 << 1, FPU_CLASS_NEG_SUBNORMAL = 1 << 2,
    FPU_CLASS_NEG_ZERO = 1 << 3, FPU_CLASS_POS_ZERO = 1 << 4, FPU_CLASS_POS_SUBNORMAL = 1 << 5,
    FPU_CLASS_POS_NORMAL = 1 << 6, FPU_CLASS_POS_INF = 1 << 7, FPU_CLASS_SNAN = 1 << 8,
    FPU_CLASS_QNAN = 1 << 9,
};

/* NaN boxing: a single value lives in the low half of an f register whose
 * upper 32 bits are all ones; anything else reads as the canonical NaN. */
static inline uint64_t fpu_box_s(uint32_t v) { return 0xffffffff00000000ull | v; }
static inline uint32_t fpu_unbox_s(uint64_t v)
{
    return (v >> 32) == 0xffffffffu ? (uint32_t)v : FPU_CANON_NAN_S;
}

/* ---- single precision ---- */
uint32_t fpu_add_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t fpu_sub_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t fpu_mul_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t fpu_div_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t fpu_sqrt_s(uint32_t a, int rm, uint32_t *fflags);
/* fmadd: a*b+c, fmsub: a*b-c, fnmsub: -(a*b)+c, fnmadd: -(a*b)-c; one rounding. */
uint32_t fpu_madd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags);
uint32_t fpu_msub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags);
uint32_t fpu_nmsub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags);
uint32_t fpu_nmadd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags);
/* minimumNumber / maximumNumber: -0 < +0, one NaN -> the other operand,
 * two NaNs -> canonical NaN, any sNaN raises NV. */
uint32_t fpu_min_s(uint32_t a, uint32_t b, uint32_t *fflags);
uint32_t fpu_max_s(uint32_t a, uint32_t b, uint32_t *fflags);
/* feq is quiet (NV only for sNaN); flt/fle signal NV for any NaN. */
int fpu_eq_s(uint32_t a, uint32_t b, uint32_t *fflags);
int fpu_lt_s(uint32_t a, uint32_t b, uint32_t *fflags);
int fpu_le_s(uint32_t a, uint32_t b, uint32_t *fflags);
uint32_t fpu_class_s(uint32_t a);
/* float -> integer: saturating (NaN -> largest positive), NV when the rounded
 * value does not fit, NX when it fits but is inexact.  The 32-bit results
 * are to be sign-extended by the caller on RV64 (also for wu). */
int32_t fpu_cvt_w_s(uint32_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_wu_s(uint32_t a, int rm, uint32_t *fflags);
int64_t fpu_cvt_l_s(uint32_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_lu_s(uint32_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_w(int32_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_wu(uint32_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_l(int64_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_lu(uint64_t a, int rm, uint32_t *fflags);

/* ---- double precision ---- */
uint64_t fpu_add_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_sub_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_mul_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_div_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_sqrt_d(uint64_t a, int rm, uint32_t *fflags);
uint64_t fpu_madd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
uint64_t fpu_msub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
uint64_t fpu_nmsub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
uint64_t fpu_nmadd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
uint64_t fpu_min_d(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t fpu_max_d(uint64_t a, uint64_t b, uint32_t *fflags);
int fpu_eq_d(uint64_t a, uint64_t b, uint32_t *fflags);
int fpu_lt_d(uint64_t a, uint64_t b, uint32_t *fflags);
int fpu_le_d(uint64_t a, uint64_t b, uint32_t *fflags);
uint32_t fpu_class_d(uint64_t a);
int32_t fpu_cvt_w_d(uint64_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_wu_d(uint64_t a, int rm, uint32_t *fflags);
int64_t fpu_cvt_l_d(uint64_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_lu_d(uint64_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_w(int32_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_wu(uint32_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_l(int64_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_lu(uint64_t a, int rm, uint32_t *fflags);

/* ---- between formats ---- */
uint32_t fpu_cvt_s_d(uint64_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_s(uint32_t a, int rm, uint32_t *fflags); /* exact; rm unused */

#endif /* RVX_FRONTEND_FPU_H */
