/* Hart: the architectural state of one RISC-V hardware thread, plus the per-hart
 * caches that make it fast (soft TLB, LR/SC reservation). Owned by one host thread;
 * nothing here is shared, so nothing here is locked.
 * Exceptions: helpers set `exc` and return false/a status; the exec loop turns it
 * into a trap (system mode) or a signal (user mode). */
#ifndef RVX_FRONTEND_HART_H
#define RVX_FRONTEND_HART_H

#include <stdbool.h>
#include <stdint.h>

#include "softmmu/code_pages.h"
#include "softmmu/tlb.h"

/* Exception causes (mcause values without the interrupt bit). */
enum {
    RV_EXC_INSN_MISALIGNED = 0, RV_EXC_INSN_ACCESS = 1, RV_EXC_ILLEGAL_INSN = 2,
    RV_EXC_BREAKPOINT = 3, RV_EXC_LOAD_MISALIGNED = 4, RV_EXC_LOAD_ACCESS = 5,
    RV_EXC_STORE_MISALIGNED = 6, RV_EXC_STORE_ACCESS = 7, RV_EXC_ECALL_U = 8,
    RV_EXC_ECALL_S = 9, RV_EXC_ECALL_M = 11, RV_EXC_INSN_PAGE_FAULT = 12,
    RV_EXC_LOAD_PAGE_FAULT = 13, RV_EXC_STORE_PAGE_FAULT = 15,
};

/* rvx-internal exits share exc.cause with the architectural causes. They mean: the
 * instruction completed (execution continues at its pc + length), but the block must
 * end here (e.g. it wrote to a page that holds translated code, so what follows may
 * be stale, or it was fence.i). */
enum {
    HART_EXIT_CODE_WRITTEN = 1024,
    HART_EXIT_FENCE_I,       /* drop decoded code */
    HART_EXIT_TRANSLATION,   /* sret/mret: privilege and mstatus changed, pc set */
    HART_EXIT_MAPPINGS,      /* sfence.vma: page tables changed (TLB dropped), pc set */
    HART_EXIT_WFI,           /* wait for an interrupt (the exec loop returns) */
};
/* Whether the instruction behind an internal exit set the pc itself. */
static inline bool hart_exit_sets_pc(uint64_t cause)
{
    return cause == HART_EXIT_TRANSLATION || cause == HART_EXIT_MAPPINGS;
}
static inline bool hart_exit_is_internal(uint64_t cause) { return cause >= 1024; }

enum { RV_PRIV_U = 0, RV_PRIV_S = 1, RV_PRIV_M = 3 };

typedef struct RvException {
    uint64_t cause;
    uint64_t tval;
} RvException;

#define RV_NO_RESERVATION UINT64_MAX

struct MmuOps;

typedef struct Hart {
    uint64_t x[33];          /* x[0] reads 0; x[32] is the interpreter's sink for writes to x0 */
    uint64_t f[32];          /* NaN-boxed singles */
    uint64_t pc;
    uint32_t fflags;         /* fcsr[4:0] */
    uint32_t frm;            /* fcsr[7:5] */
    uint64_t instret;        /* retired instructions (cycle reads the same count) */
    unsigned priv;           /* RV_PRIV_* */
    RvException exc;         /* valid when a helper returned failure */
    const struct InterpInsn *fault_insn; /* the instruction that raised `exc` */
    bool code_written;       /* a store hit a code page: end the block after it */

    /* Privileged state (system mode; user mode uses only mstatus.FS). */
    uint64_t mstatus;
    uint64_t misa, medeleg, mideleg, mie, mtvec, mscratch, mepc, mcause, mtval;
    uint64_t mcounteren, mcountinhibit, menvcfg, mhartid;
    uint64_t stvec, sscratch, sepc, scause, stval, scounteren, senvcfg, satp, stimecmp;
    uint64_t mip;              /* written by devices through hart_set_irq (atomic) */
    uint8_t pmpcfg[16];
    uint64_t pmpaddr[16];
    struct PhysMem *phys;      /* system mode: the machine's physical map, else NULL */
    /* The time CSR / mtime in ticks; NULL in user mode (host clock at 10 MHz). */
    uint64_t (*time_now)(struct Hart *h);

    uint64_t resv_addr;      /* LR/SC reservation (guest vaddr) or RV_NO_RESERVATION */
    uint64_t resv_value;     /* value LR read: SC is a compare-and-swap against it */

    Tlb tlb[TLB_CONTEXTS];
    uint8_t tlb_ctx[3];        /* per MemAccess: the TlbContext serving it (mem_tlb_select) */
    CodePages code_pages;      /* pages this hart's engine holds code for */
    /* Called by the memory slow path when a store changed bytes on a code page (the
     * engine drops what it derived from them); set by exec_init. */
    void (*code_written_hook)(struct Hart *h, uint64_t paddr, unsigned size);
    const struct MmuOps *mmu;  /* slow path of every memory access */
    void *env;                 /* owner: the linux-user process or the machine */
    struct ExecCtx *exec;      /* this hart's engine state (exec/exec.h) */
    volatile int exit_request; /* set from other threads/signal handlers: leave the loop */
} Hart;

/* mip bits */
enum {
    MIP_SSIP = 1 << 1, MIP_MSIP = 1 << 3, MIP_STIP = 1 << 5, MIP_MTIP = 1 << 7,
    MIP_SEIP = 1 << 9, MIP_MEIP = 1 << 11,
};

/* Devices raise and lower interrupt lines with this (any thread). A line that goes
 * up also asks the hart to leave its block: translated code chains from block to
 * block checking only exit_request, so the interrupt would otherwise wait for a
 * tick. (Only on the rising edge: lines are re-asserted at every poll, and a
 * request each time would keep a hart with the interrupt masked from running.) */
static inline void hart_set_irq(Hart *h, uint64_t mip_bits, bool level)
{
    if (level) {
        uint64_t old = __atomic_fetch_or(&h->mip, mip_bits, __ATOMIC_SEQ_CST);
        if ((old & mip_bits) != mip_bits)
            __atomic_store_n(&h->exit_request, 1, __ATOMIC_SEQ_CST);
    } else {
        __atomic_fetch_and(&h->mip, ~mip_bits, __ATOMIC_SEQ_CST);
    }
}

static inline void hart_raise(Hart *h, uint64_t cause, uint64_t tval)
{
    h->exc.cause = cause;
    h->exc.tval = tval;
}

#endif
