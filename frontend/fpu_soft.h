/* fpu_soft.h — internal to frontend/fpu*.c: the software (integer-only)
 * IEEE 754 core used where the host FPU cannot give the RISC-V answer.
 *
 * Used for: RMM (no host rounding mode), fma on hosts without a fused
 * multiply-add instruction, and re-computing results whose underflow flag
 * depends on the host's tininess rule (AArch64 detects before rounding).
 *
 * Invariants: every function supports all five rounding modes, returns
 * canonical NaNs, ORs exact RISC-V flags (tininess after rounding) into
 * *fflags, and touches no host floating-point state, so it is also usable as
 * an independent cross-check of the host paths in tests.
 * A format is given by its fraction width: 23 (single) or 52 (double); the
 * value bits are in the low 32 resp. 64 bits of a uint64_t.
 */
#ifndef RVX_FRONTEND_FPU_SOFT_H
#define RVX_FRONTEND_FPU_SOFT_H

#include <stdint.h>

#define FPU_FMT_S 23
#define FPU_FMT_D 52

uint64_t fpu_soft_add(int fmt, uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_soft_mul(int fmt, uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_soft_div(int fmt, uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_soft_sqrt(int fmt, uint64_t a, int rm, uint32_t *fflags);
/* a*b+c with one rounding; callers negate inputs for msub/nmsub/nmadd. */
uint64_t fpu_soft_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
/* Convert between formats (either direction). */
uint64_t fpu_soft_cvt(int to_fmt, int from_fmt, uint64_t a, int rm, uint32_t *fflags);
/* Signed/unsigned 64-bit integer (sign + magnitude) to float. */
uint64_t fpu_soft_from_int(int fmt, int neg, uint64_t mag, int rm, uint32_t *fflags);

#endif /* RVX_FRONTEND_FPU_SOFT_H */
