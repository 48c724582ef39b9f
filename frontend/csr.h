/* Control and status registers: access checks (privilege, read-only, FS, counter
 * enables) and the registers' WARL behaviour. One entry point serves csrrw/csrrs/
 * csrrc and the immediate forms. */
#ifndef RVX_FRONTEND_CSR_H
#define RVX_FRONTEND_CSR_H

#include "frontend/hart.h"
#include "frontend/trap.h"

enum {
    CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
    CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02, CSR_HPMCOUNTER3 = 0xc03,
    CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106,
    CSR_SENVCFG = 0x10a, CSR_SSCRATCH = 0x140, CSR_SEPC = 0x141, CSR_SCAUSE = 0x142,
    CSR_STVAL = 0x143, CSR_SIP = 0x144, CSR_STIMECMP = 0x14d, CSR_SATP = 0x180,
    CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303,
    CSR_MIE = 0x304, CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MENVCFG = 0x30a,
    CSR_MCOUNTINHIBIT = 0x320, CSR_MHPMEVENT3 = 0x323, CSR_MSCRATCH = 0x340,
    CSR_MEPC = 0x341, CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343, CSR_MIP = 0x344,
    CSR_PMPCFG0 = 0x3a0, CSR_PMPADDR0 = 0x3b0, CSR_PMPADDR15 = 0x3bf,
    CSR_MCYCLE = 0xb00, CSR_MINSTRET = 0xb02, CSR_MHPMCOUNTER3 = 0xb03,
    CSR_MVENDORID = 0xf11, CSR_MARCHID = 0xf12, CSR_MIMPID = 0xf13, CSR_MHARTID = 0xf14,
    CSR_MCONFIGPTR = 0xf15,
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
