/* CSR access: privilege and read-only checks, FS gating of the FP CSRs, counter
 * enables, and the WARL behaviour of each register (privileged spec). Writes that
 * change address translation (satp, the MPRV/SUM/MXR/MPP bits) flush the TLB.
 * Unknown CSRs raise illegal-instruction (the caller does, when this returns false). */
#include "frontend/csr.h"

#include <time.h>

#include "frontend/priv.h"
#include "softmmu/mem.h"

/* The time CSR ticks at 10 MHz, the timebase of QEMU's virt board that Linux guests
 * are built for; user mode reads the host clock directly. */
static uint64_t host_time_10mhz(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}

static uint64_t read_time(Hart *h)
{
    return h->time_now ? h->time_now(h) : host_time_10mhz();
}

#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
                          MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
                          MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_MASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | \
                      MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define TRANSLATION_BITS (MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MPP)
#define MIE_WRITABLE 0xaaaull          /* SSIE MSIE STIE MTIE SEIE MEIE */
#define MIDELEG_WRITABLE 0x222ull      /* the S-level interrupts */
#define MEDELEG_WRITABLE 0xb3ffull     /* every exception but ecall-from-M */
#define MIP_WRITABLE (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define MENVCFG_WRITABLE (MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE | MENVCFG_PBMTE | \
                          MENVCFG_STCE | 1ull)
#define SENVCFG_WRITABLE (MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE | 1ull)

static uint64_t mstatus_read(const Hart *h)
{
    uint64_t s = h->mstatus;
    if ((s & MSTATUS_FS) == MSTATUS_FS)
        s |= MSTATUS_SD;
    return s;
}

static void mstatus_write(Hart *h, uint64_t value, uint64_t mask)
{
    uint64_t old = h->mstatus;
    uint64_t next = (old & ~mask) | (value & mask);
    if (((next & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)   /* reserved: keep old MPP */
        next = (next & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    h->mstatus = next;
    if ((old ^ next) & MSTATUS_MXR) /* reads of executable pages: every context */
        mem_tlb_flush(h);
    else if ((old ^ next) & TRANSLATION_BITS)
        mem_tlb_select(h);
}

/* Whether the counter `bit` (COUNTEREN_*) may be read at the current privilege. */
static bool counter_allowed(const Hart *h, uint32_t bit)
{
    if (h->priv == RV_PRIV_M)
        return true;
    if (!(h->mcounteren & bit))
        return false;
    return h->priv == RV_PRIV_S || (h->scounteren & bit);
}

static bool pmp_csr(unsigned csr) { return csr >= CSR_PMPCFG0 && csr <= CSR_PMPADDR15; }

static bool csr_read(Hart *h, unsigned csr, uint64_t retired, uint64_t *value)
{
    switch (csr) {
    case CSR_FFLAGS: *value = h->fflags; return true;
    case CSR_FRM: *value = h->frm; return true;
    case CSR_FCSR: *value = h->frm << 5 | h->fflags; return true;
    case CSR_CYCLE: case CSR_INSTRET:
        *value = retired;
        return counter_allowed(h, csr == CSR_CYCLE ? COUNTEREN_CY : COUNTEREN_IR);
    case CSR_TIME: *value = read_time(h); return counter_allowed(h, COUNTEREN_TM);
    case CSR_MCYCLE: case CSR_MINSTRET: *value = retired; return true;

    case CSR_SSTATUS: *value = mstatus_read(h) & SSTATUS_MASK; return true;
    case CSR_SIE: *value = h->mie & h->mideleg; return true;
    case CSR_SIP: *value = h->mip & h->mideleg; return true;
    case CSR_STVEC: *value = h->stvec; return true;
    case CSR_SCOUNTEREN: *value = h->scounteren; return true;
    case CSR_SENVCFG: *value = h->senvcfg; return true;
    case CSR_SSCRATCH: *value = h->sscratch; return true;
    case CSR_SEPC: *value = h->sepc; return true;
    case CSR_SCAUSE: *value = h->scause; return true;
    case CSR_STVAL: *value = h->stval; return true;
    case CSR_SATP:
        *value = h->satp;
        return !(h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM));
    case CSR_STIMECMP:
        *value = h->stimecmp;
        return h->priv == RV_PRIV_M ||
               ((h->menvcfg & MENVCFG_STCE) && (h->mcounteren & COUNTEREN_TM));

    case CSR_MSTATUS: *value = mstatus_read(h); return true;
    case CSR_MISA: *value = h->misa; return true;
    case CSR_MEDELEG: *value = h->medeleg; return true;
    case CSR_MIDELEG: *value = h->mideleg; return true;
    case CSR_MIE: *value = h->mie; return true;
    case CSR_MIP: *value = h->mip; return true;
    case CSR_MTVEC: *value = h->mtvec; return true;
    case CSR_MCOUNTEREN: *value = h->mcounteren; return true;
    case CSR_MENVCFG: *value = h->menvcfg; return true;
    case CSR_MCOUNTINHIBIT: *value = h->mcountinhibit; return true;
    case CSR_MSCRATCH: *value = h->mscratch; return true;
    case CSR_MEPC: *value = h->mepc; return true;
    case CSR_MCAUSE: *value = h->mcause; return true;
    case CSR_MTVAL: *value = h->mtval; return true;
    case CSR_MHARTID: *value = h->mhartid; return true;
    case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MCONFIGPTR:
        *value = 0;
        return true;
    default:
        break;
    }
    if (pmp_csr(csr)) {
        if (csr <= CSR_PMPCFG0 + 3) {
            if (csr & 1)
                return false; /* RV64 has only the even pmpcfg registers */
            unsigned first = (csr - CSR_PMPCFG0) * 4;
            uint64_t v = 0;
            for (unsigned i = 0; i < 8 && first + i < 16; i++)
                v |= (uint64_t)h->pmpcfg[first + i] << (8 * i);
            *value = v;
            return true;
        }
        if (csr >= CSR_PMPADDR0) {
            *value = h->pmpaddr[csr - CSR_PMPADDR0];
            return true;
        }
        return false;
    }
    /* Unimplemented performance counters and events read as zero. */
    if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER3 + 28) ||
        (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT3 + 28)) {
        *value = 0;
        return true;
    }
    if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER3 + 28) {
        *value = 0;
        return counter_allowed(h, 1u << (csr - CSR_CYCLE));
    }
    return false;
}

static bool pmp_locked(const Hart *h, unsigned i)
{
    if (h->pmpcfg[i] & 0x80)
        return true;
    /* A locked TOR entry also locks the address register below it. */
    return i + 1 < 16 && (h->pmpcfg[i + 1] & 0x80) && ((h->pmpcfg[i + 1] >> 3) & 3) == 1;
}

static bool pmp_write(Hart *h, unsigned csr, uint64_t value)
{
    if (csr <= CSR_PMPCFG0 + 3) {
        if (csr & 1)
            return false;
        unsigned first = (csr - CSR_PMPCFG0) * 4;
        for (unsigned i = 0; i < 8 && first + i < 16; i++) {
            uint8_t cfg = (uint8_t)(value >> (8 * i)) & 0x9f;
            if ((cfg & 3) == 2) /* W without R is reserved: keep the old value */
                continue;
            if (!(h->pmpcfg[first + i] & 0x80))
                h->pmpcfg[first + i] = cfg;
        }
    } else {
        unsigned i = csr - CSR_PMPADDR0;
        if (!pmp_locked(h, i))
            h->pmpaddr[i] = value & ((1ull << 54) - 1);
    }
    mem_tlb_flush(h);
    return true;
}

static bool csr_write(Hart *h, unsigned csr, uint64_t value)
{
    switch (csr) {
    case CSR_FFLAGS: h->fflags = value & 0x1f; h->mstatus |= MSTATUS_FS; return true;
    case CSR_FRM: h->frm = value & 7; h->mstatus |= MSTATUS_FS; return true;
    case CSR_FCSR:
        h->fflags = value & 0x1f;
        h->frm = (value >> 5) & 7;
        h->mstatus |= MSTATUS_FS;
        return true;
    case CSR_MCYCLE: case CSR_MINSTRET:
        return true; /* cycle and instret are derived from the retired count */

    case CSR_SSTATUS: mstatus_write(h, value, MSTATUS_WRITABLE & SSTATUS_MASK); return true;
    case CSR_SIE: h->mie = (h->mie & ~h->mideleg) | (value & h->mideleg & MIE_WRITABLE); return true;
    case CSR_SIP: hart_set_irq(h, MIP_SSIP, (value & MIP_SSIP & h->mideleg) != 0); return true;
    case CSR_STVEC: h->stvec = value & ~2ull; return true;
    case CSR_SCOUNTEREN: h->scounteren = value & 0xffffffffu; return true;
    case CSR_SENVCFG: h->senvcfg = value & SENVCFG_WRITABLE; return true;
    case CSR_SSCRATCH: h->sscratch = value; return true;
    case CSR_SEPC: h->sepc = value & ~1ull; return true;
    case CSR_SCAUSE: h->scause = value; return true;
    case CSR_STVAL: h->stval = value; return true;
    case CSR_SATP: {
        if (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM))
            return false;
        uint64_t mode = value >> SATP_MODE_SHIFT;
        if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 && mode != SATP_MODE_SV48 &&
            mode != SATP_MODE_SV57)
            return true; /* an unsupported mode leaves satp unchanged */
        h->satp = value & ((15ull << 60) | (0xffffull << 44) | SATP_PPN_MASK);
        mem_tlb_flush(h);
        return true;
    }
    case CSR_STIMECMP:
        h->stimecmp = value;
        trap_update_sstc(h);
        return true;

    case CSR_MSTATUS: mstatus_write(h, value, MSTATUS_WRITABLE); return true;
    case CSR_MISA: return true; /* fixed */
    case CSR_MEDELEG: h->medeleg = value & MEDELEG_WRITABLE; return true;
    case CSR_MIDELEG: h->mideleg = value & MIDELEG_WRITABLE; return true;
    case CSR_MIE: h->mie = value & MIE_WRITABLE; return true;
    case CSR_MIP: {
        uint64_t writable = MIP_WRITABLE;
        if (h->menvcfg & MENVCFG_STCE)
            writable &= ~(uint64_t)MIP_STIP; /* driven by stimecmp */
        hart_set_irq(h, value & writable, true);
        hart_set_irq(h, ~value & writable, false);
        return true;
    }
    case CSR_MTVEC: h->mtvec = value & ~2ull; return true;
    case CSR_MCOUNTEREN: h->mcounteren = value & 0xffffffffu; return true;
    case CSR_MENVCFG:
        h->menvcfg = value & MENVCFG_WRITABLE;
        trap_update_sstc(h);
        return true;
    case CSR_MCOUNTINHIBIT: h->mcountinhibit = value & 0xfffffffdu; return true;
    case CSR_MSCRATCH: h->mscratch = value; return true;
    case CSR_MEPC: h->mepc = value & ~1ull; return true;
    case CSR_MCAUSE: h->mcause = value; return true;
    case CSR_MTVAL: h->mtval = value; return true;
    default:
        break;
    }
    if (pmp_csr(csr))
        return pmp_write(h, csr, value);
    if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER3 + 28) ||
        (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT3 + 28))
        return true; /* hardwired to zero */
    return false;
}

static bool is_fp_csr(unsigned csr) { return csr >= CSR_FFLAGS && csr <= CSR_FCSR; }

bool csr_access(Hart *h, unsigned csr, CsrOp op, uint64_t operand, bool write,
                uint64_t retired, uint64_t *old)
{
    bool read_only = (csr >> 10) == 3;
    unsigned min_priv = (csr >> 8) & 3;
    uint64_t value;
    if (h->priv < min_priv || (write && read_only) ||
        (is_fp_csr(csr) && !(h->mstatus & MSTATUS_FS)) || !csr_read(h, csr, retired, &value))
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
