/* Control and status registers: access checks (privilege, read-only, FS) and the
 * registers' WARL behaviour. One entry point serves csrrw/csrrs/csrrc and the
 * immediate forms. */
#ifndef RVX_FRONTEND_CSR_H
#define RVX_FRONTEND_CSR_H

#include "frontend/hart.h"

enum {
    CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
    CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02,
};

typedef enum CsrOp { CSR_OP_WRITE, CSR_OP_SET, CSR_OP_CLEAR } CsrOp;

/* Performs one CSR instruction. `write` is false for csrrs/csrrc with rs1 = x0 (and
 * the immediate forms with uimm = 0), which must not write (no side effects, and
 * allowed on read-only CSRs). `retired` is the instret value the instruction sees.
 * Returns false with an illegal-instruction exception set when the access is not
 * allowed. */
bool csr_access(Hart *h, unsigned csr, CsrOp op, uint64_t operand, bool write,
                uint64_t retired, uint64_t *old);

#endif
