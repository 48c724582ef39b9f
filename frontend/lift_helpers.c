/* Helpers for translated code (see lift_helpers.h): the interpreter's expressions
 * (interp_fp.c) around the same fpu.c functions, so both engines compute
 * bit-identical results and flags. The differential fuzzer checks that claim. */
#include "frontend/lift_helpers.h"
#include "frontend/fpu.h"

#define SX32(v) ((uint64_t)(int64_t)(int32_t)(v))

#define S(v) fpu_unbox_s(v)
#define BOX(v) fpu_box_s(v)
#define RM ((int)k)
#define FL (&h->fflags)

LIFT_HELPER(fadd_s) { return BOX(fpu_add_s(S(a), S(b), RM, FL)); }
LIFT_HELPER(fsub_s) { return BOX(fpu_sub_s(S(a), S(b), RM, FL)); }
LIFT_HELPER(fmul_s) { return BOX(fpu_mul_s(S(a), S(b), RM, FL)); }
LIFT_HELPER(fdiv_s) { return BOX(fpu_div_s(S(a), S(b), RM, FL)); }
LIFT_HELPER(fsqrt_s) { return BOX(fpu_sqrt_s(S(a), RM, FL)); }
LIFT_HELPER(fmadd_s) { return BOX(fpu_madd_s(S(a), S(b), S(c), RM, FL)); }
LIFT_HELPER(fmsub_s) { return BOX(fpu_msub_s(S(a), S(b), S(c), RM, FL)); }
LIFT_HELPER(fnmsub_s) { return BOX(fpu_nmsub_s(S(a), S(b), S(c), RM, FL)); }
LIFT_HELPER(fnmadd_s) { return BOX(fpu_nmadd_s(S(a), S(b), S(c), RM, FL)); }
LIFT_HELPER(fmin_s) { return BOX(fpu_min_s(S(a), S(b), FL)); }
LIFT_HELPER(fmax_s) { return BOX(fpu_max_s(S(a), S(b), FL)); }
LIFT_HELPER(fcvt_w_s) { return SX32(fpu_cvt_w_s(S(a), RM, FL)); }
LIFT_HELPER(fcvt_wu_s) { return SX32(fpu_cvt_wu_s(S(a), RM, FL)); }
LIFT_HELPER(fcvt_l_s) { return (uint64_t)fpu_cvt_l_s(S(a), RM, FL); }
LIFT_HELPER(fcvt_lu_s) { return fpu_cvt_lu_s(S(a), RM, FL); }
LIFT_HELPER(fclass_s) { return fpu_class_s(S(a)); }
LIFT_HELPER(feq_s) { return (uint64_t)fpu_eq_s(S(a), S(b), FL); }
LIFT_HELPER(flt_s) { return (uint64_t)fpu_lt_s(S(a), S(b), FL); }
LIFT_HELPER(fle_s) { return (uint64_t)fpu_le_s(S(a), S(b), FL); }
LIFT_HELPER(fcvt_s_w) { return BOX(fpu_cvt_s_w((int32_t)a, RM, FL)); }
LIFT_HELPER(fcvt_s_wu) { return BOX(fpu_cvt_s_wu((uint32_t)a, RM, FL)); }
LIFT_HELPER(fcvt_s_l) { return BOX(fpu_cvt_s_l((int64_t)a, RM, FL)); }
LIFT_HELPER(fcvt_s_lu) { return BOX(fpu_cvt_s_lu(a, RM, FL)); }

LIFT_HELPER(fadd_d) { return fpu_add_d(a, b, RM, FL); }
LIFT_HELPER(fsub_d) { return fpu_sub_d(a, b, RM, FL); }
LIFT_HELPER(fmul_d) { return fpu_mul_d(a, b, RM, FL); }
LIFT_HELPER(fdiv_d) { return fpu_div_d(a, b, RM, FL); }
LIFT_HELPER(fsqrt_d) { return fpu_sqrt_d(a, RM, FL); }
LIFT_HELPER(fmadd_d) { return fpu_madd_d(a, b, c, RM, FL); }
LIFT_HELPER(fmsub_d) { return fpu_msub_d(a, b, c, RM, FL); }
LIFT_HELPER(fnmsub_d) { return fpu_nmsub_d(a, b, c, RM, FL); }
LIFT_HELPER(fnmadd_d) { return fpu_nmadd_d(a, b, c, RM, FL); }
LIFT_HELPER(fmin_d) { return fpu_min_d(a, b, FL); }
LIFT_HELPER(fmax_d) { return fpu_max_d(a, b, FL); }
LIFT_HELPER(fcvt_s_d) { return BOX(fpu_cvt_s_d(a, RM, FL)); }
LIFT_HELPER(fcvt_d_s) { return fpu_cvt_d_s(S(a), RM, FL); }
LIFT_HELPER(feq_d) { return (uint64_t)fpu_eq_d(a, b, FL); }
LIFT_HELPER(flt_d) { return (uint64_t)fpu_lt_d(a, b, FL); }
LIFT_HELPER(fle_d) { return (uint64_t)fpu_le_d(a, b, FL); }
LIFT_HELPER(fclass_d) { return fpu_class_d(a); }
LIFT_HELPER(fcvt_w_d) { return SX32(fpu_cvt_w_d(a, RM, FL)); }
LIFT_HELPER(fcvt_wu_d) { return SX32(fpu_cvt_wu_d(a, RM, FL)); }
LIFT_HELPER(fcvt_l_d) { return (uint64_t)fpu_cvt_l_d(a, RM, FL); }
LIFT_HELPER(fcvt_lu_d) { return fpu_cvt_lu_d(a, RM, FL); }
LIFT_HELPER(fcvt_d_w) { return fpu_cvt_d_w((int32_t)a, RM, FL); }
LIFT_HELPER(fcvt_d_wu) { return fpu_cvt_d_wu((uint32_t)a, RM, FL); }
LIFT_HELPER(fcvt_d_l) { return fpu_cvt_d_l((int64_t)a, RM, FL); }
LIFT_HELPER(fcvt_d_lu) { return fpu_cvt_d_lu(a, RM, FL); }
