/* Built-in SBI (see sbi.h). Return convention: a0 = error code, a1 = value; the
 * legacy extensions (EID 0x00..0x0f) return their value in a0 only. */
#include "machine/sbi.h"

#include <stdio.h>

#include "exec/exec.h"
#include "frontend/priv.h"
#include "frontend/trap.h"
#include "softmmu/mem.h"

enum {
    EXT_LEGACY_SET_TIMER = 0x00, EXT_LEGACY_PUTCHAR = 0x01, EXT_LEGACY_GETCHAR = 0x02,
    EXT_LEGACY_CLEAR_IPI = 0x03, EXT_LEGACY_SHUTDOWN = 0x08,
    EXT_BASE = 0x10, EXT_TIME = 0x54494d45, EXT_IPI = 0x735049, EXT_RFENCE = 0x52464e43,
    EXT_HSM = 0x48534d, EXT_SRST = 0x53525354, EXT_DBCN = 0x4442434e,
};
enum {
    SBI_SUCCESS = 0, SBI_ERR_FAILED = -1, SBI_ERR_NOT_SUPPORTED = -2,
    SBI_ERR_INVALID_PARAM = -3, SBI_ERR_ALREADY_AVAILABLE = -6,
};
enum { HSM_STARTED = 0 };
#define SBI_SPEC_VERSION (2u << 24)        /* 2.0 */
#define SBI_IMPL_ID 0x727678ull            /* "rvx"; not a registered implementation ID */
#define SBI_IMPL_VERSION 1
#define HART_SUSPEND_NON_RETENTIVE 0x80000000u

/* Exceptions the kernel handles itself (everything but ecalls into M). */
#define DELEGATED_EXCEPTIONS 0xb1ffull
#define DELEGATED_INTERRUPTS (MIP_SSIP | MIP_STIP | MIP_SEIP)

static const uint64_t supported_ext[] = {
    EXT_LEGACY_SET_TIMER, EXT_LEGACY_PUTCHAR, EXT_LEGACY_GETCHAR, EXT_LEGACY_CLEAR_IPI,
    EXT_LEGACY_SHUTDOWN, EXT_BASE, EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM, EXT_SRST, EXT_DBCN,
};

void sbi_enter_kernel(Machine *m, uint64_t entry)
{
    Hart *h = &m->hart;
    hart_reset_system(h, 0, entry);
    h->medeleg = DELEGATED_EXCEPTIONS;
    h->mideleg = DELEGATED_INTERRUPTS;
    h->mcounteren = COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR;
    h->menvcfg = MENVCFG_STCE | MENVCFG_PBMTE | MENVCFG_CBZE | MENVCFG_CBCFE | (1ull << 4);
    /* PMP entry 0: NAPOT over the whole address space, RWX, so S-mode can reach
     * memory once PMP is implemented (no matching entry would deny it). */
    h->pmpaddr[0] = (1ull << 54) - 1;
    h->pmpcfg[0] = 0x1f;
    h->x[10] = 0;
    h->x[11] = m->fdt_addr;
    h->priv = RV_PRIV_S;
    mem_tlb_flush(h);
}

static bool ext_supported(uint64_t eid)
{
    for (unsigned i = 0; i < sizeof supported_ext / sizeof supported_ext[0]; i++)
        if (supported_ext[i] == eid)
            return true;
    return false;
}

static void set_timer(Machine *m, uint64_t when)
{
    /* Sstc is on (sbi_enter_kernel), so the S timer is stimecmp, as OpenSBI does it. */
    m->hart.stimecmp = when;
    trap_update_sstc(&m->hart);
}

static void shutdown(Machine *m, int code, const char *why)
{
    if (!m->cfg.quiet && why)
        fprintf(stderr, "rvx: %s\n", why);
    machine_stop(m, code);
}

/* DBCN read/write: a physical buffer that must lie in RAM. */
static int64_t dbcn_rw(Machine *m, uint64_t len, uint64_t lo, uint64_t hi, bool write, uint64_t *done)
{
    /* rv64: base_addr_hi holds address bits 64..127, which no RAM has. */
    uint8_t *p = len && !hi ? physmem_ram_ptr(&m->phys, lo, len) : NULL;
    if (len && !p)
        return SBI_ERR_INVALID_PARAM;
    uint64_t n = 0;
    if (write) {
        for (; n < len; n++)
            console_putc(&m->console, p[n]);
    } else {
        console_poll(&m->console);
        for (int c; n < len && (c = console_getc(&m->console)) >= 0; n++)
            p[n] = (uint8_t)c;
        physmem_dma_written(&m->phys, lo, n);
    }
    *done = n;
    return SBI_SUCCESS;
}

/* HSM hart_suspend; returns true when the hart resumes elsewhere (non-retentive),
 * with its registers already set as for a hart start. */
static bool hart_suspend(Machine *m, uint64_t type, uint64_t resume, uint64_t opaque, int64_t *err)
{
    Hart *h = &m->hart;
    if (type != 0 && type != HART_SUSPEND_NON_RETENTIVE) {
        *err = SBI_ERR_INVALID_PARAM;
        return false;
    }
    machine_wait(m);
    if (type == HART_SUSPEND_NON_RETENTIVE) {
        /* S-mode at `resume` with translation and S interrupts off. */
        h->satp = 0;
        h->mstatus &= ~MSTATUS_SIE;
        h->x[10] = h->mhartid;
        h->x[11] = opaque;
        h->pc = resume;
        mem_tlb_flush(h);
        return true;
    }
    *err = SBI_SUCCESS;
    return false;
}

void sbi_ecall(Machine *m)
{
    Hart *h = &m->hart;
    uint64_t eid = h->x[17], fid = h->x[16];
    uint64_t a0 = h->x[10], a1 = h->x[11], a2 = h->x[12];
    int64_t err = SBI_ERR_NOT_SUPPORTED;
    uint64_t val = 0;
    bool legacy = eid <= 0x0f;
    switch (eid) {
    case EXT_LEGACY_SET_TIMER: set_timer(m, a0); err = 0; break;
    case EXT_LEGACY_PUTCHAR: console_putc(&m->console, (uint8_t)a0); err = 0; break;
    case EXT_LEGACY_GETCHAR: console_poll(&m->console); err = console_getc(&m->console); break;
    case EXT_LEGACY_CLEAR_IPI: hart_set_irq(h, MIP_SSIP, false); err = 0; break;
    case EXT_LEGACY_SHUTDOWN: shutdown(m, 0, NULL); err = 0; break;
    case EXT_BASE:
        err = SBI_SUCCESS;
        switch (fid) {
        case 0: val = SBI_SPEC_VERSION; break;
        case 1: val = SBI_IMPL_ID; break;
        case 2: val = SBI_IMPL_VERSION; break;
        case 3: val = ext_supported(a0); break;
        case 4: case 5: case 6: val = 0; break;  /* mvendorid, marchid, mimpid */
        default: err = SBI_ERR_NOT_SUPPORTED; break;
        }
        break;
    case EXT_TIME:
        if (fid == 0) {
            set_timer(m, a0);
            err = SBI_SUCCESS;
        }
        break;
    case EXT_IPI:
        if (fid == 0) {
            /* hart_mask a0 relative to hart_mask_base a1; base -1 means all harts. */
            if (a1 == UINT64_MAX || (a1 == 0 && (a0 & 1)))
                hart_set_irq(h, MIP_SSIP, true);
            err = SBI_SUCCESS;
        }
        break;
    case EXT_RFENCE:
        if (fid == 0) {
            exec_flush_for_fence_i(h); /* remote_fence_i */
            err = SBI_SUCCESS;
        } else if (fid <= 2) {
            exec_mappings_changed(h); /* remote_sfence_vma(_asid) */
            err = SBI_SUCCESS;
        }
        break;
    case EXT_HSM:
        switch (fid) {
        case 0: err = a0 == 0 ? SBI_ERR_ALREADY_AVAILABLE : SBI_ERR_INVALID_PARAM; break;
        case 1: err = SBI_ERR_FAILED; break;  /* stopping the only hart would end the machine */
        case 2:
            err = a0 == 0 ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM;
            val = HSM_STARTED;
            break;
        case 3:
            if (hart_suspend(m, a0 & 0xffffffffu, a1, a2, &err))
                return;
            break;
        default: break;
        }
        break;
    case EXT_SRST:
        if (fid == 0) {
            uint32_t type = (uint32_t)a0, reason = (uint32_t)a1;
            if (type > 2) {
                err = SBI_ERR_INVALID_PARAM;
                break;
            }
            shutdown(m, reason == 1 ? 1 : 0,
                     type == 0 ? (reason == 1 ? "guest shut down after a system failure" : NULL)
                               : "guest requested a reboot; rvx exits instead");
            err = SBI_SUCCESS;
        }
        break;
    case EXT_DBCN:
        if (fid == 0 || fid == 1) {
            err = dbcn_rw(m, a0, a1, a2, fid == 0, &val);
        } else if (fid == 2) {
            console_putc(&m->console, (uint8_t)a0);
            err = SBI_SUCCESS;
        }
        break;
    default:
        break;
    }
    h->x[10] = (uint64_t)err;
    if (!legacy)
        h->x[11] = val;
    h->pc += 4;
}
