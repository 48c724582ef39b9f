/* CSR access. Unprivileged CSRs (fflags/frm/fcsr, cycle/time/instret) are served here;
 * illegal-instruction is raised for anything unknown, for writes to read-only CSRs
 * (csr[11:10] == 3) and for FP CSRs while mstatus.FS is off. */
#include "frontend/csr.h"

#include <time.h>

#define MSTATUS_FS (3ull << 13)

/* The time CSR ticks at 10 MHz, the timebase of QEMU's virt board that Linux
 * guests are built for. */
static uint64_t host_time_10mhz(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}

static bool csr_read(Hart *h, unsigned csr, uint64_t retired, uint64_t *value)
{
    switch (csr) {
    case CSR_FFLAGS: *value = h->fflags; return true;
    case CSR_FRM: *value = h->frm; return true;
    case CSR_FCSR: *value = h->frm << 5 | h->fflags; return true;
    case CSR_CYCLE: case CSR_INSTRET: *value = retired; return true;
    case CSR_TIME: *value = host_time_10mhz(); return true;
    default: return false;
    }
}

static bool csr_write(Hart *h, unsigned csr, uint64_t value)
{
    switch (csr) {
    case CSR_FFLAGS: h->fflags = value & 0x1f; break;
    case CSR_FRM: h->frm = value & 7; break;
    case CSR_FCSR: h->fflags = value & 0x1f; h->frm = (value >> 5) & 7; break;
    default: return false;
    }
    h->mstatus |= MSTATUS_FS; /* every writable CSR here is FP state */
    return true;
}

static bool is_fp_csr(unsigned csr) { return csr >= CSR_FFLAGS && csr <= CSR_FCSR; }

bool csr_access(Hart *h, unsigned csr, CsrOp op, uint64_t operand, bool write,
                uint64_t retired, uint64_t *old)
{
    bool read_only = (csr >> 10) == 3;
    uint64_t value;
    if ((write && read_only) || (is_fp_csr(csr) && !(h->mstatus & MSTATUS_FS)) ||
        !csr_read(h, csr, retired, &value))
        return false;
    if (write) {
        uint64_t next = op == CSR_OP_WRITE ? operand
                      : op == CSR_OP_SET   ? value | operand
                                           : value & ~operand;
        if (!csr_write(h, csr, next))
            return false;
    }
    *old = value;
    return true;
}
