/* C helpers called from translated code for instructions the IR has no op for: the
 * F/D arithmetic (thin wrappers over fpu.c that unbox and box singles and accrue
 * fflags). All share the call signature of the IR `call` op:
 * uint64_t f(Hart *h, uint64_t a, uint64_t b, uint64_t c, uint64_t k), with k the
 * resolved rounding mode where there is one. */
#ifndef RVX_FRONTEND_LIFT_HELPERS_H
#define RVX_FRONTEND_LIFT_HELPERS_H

#include "frontend/hart.h"

#define LIFT_HELPER(name) uint64_t lift_h_##name(Hart *h, uint64_t a, uint64_t b, uint64_t c, uint64_t k)

/* FP helpers by shape: S = single (boxed), D = double; the op names are fpu.c's */
#define LIFT_FP_HELPERS(X) \
    X(fadd_s) X(fsub_s) X(fmul_s) X(fdiv_s) X(fsqrt_s) X(fmadd_s) X(fmsub_s) X(fnmsub_s)  \
    X(fnmadd_s) X(fmin_s) X(fmax_s) X(fcvt_w_s) X(fcvt_wu_s) X(fcvt_l_s) X(fcvt_lu_s)      \
    X(fclass_s) X(feq_s) X(flt_s) X(fle_s) X(fcvt_s_w) X(fcvt_s_wu) X(fcvt_s_l)           \
    X(fcvt_s_lu)                                                                            \
    X(fadd_d) X(fsub_d) X(fmul_d) X(fdiv_d) X(fsqrt_d) X(fmadd_d) X(fmsub_d) X(fnmsub_d)  \
    X(fnmadd_d) X(fmin_d) X(fmax_d) X(fcvt_s_d) X(fcvt_d_s) X(feq_d) X(flt_d) X(fle_d)    \
    X(fclass_d) X(fcvt_w_d) X(fcvt_wu_d) X(fcvt_l_d) X(fcvt_lu_d) X(fcvt_d_w)             \
    X(fcvt_d_wu) X(fcvt_d_l) X(fcvt_d_lu)

#define LIFT_DECLARE(name) LIFT_HELPER(name);
LIFT_FP_HELPERS(LIFT_DECLARE)
#undef LIFT_DECLARE

#endif
