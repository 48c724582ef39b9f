/* Hart execution: the exec loop that finds or builds the TB at pc, runs it, and
 * returns to its caller (linux-user or the machine) on every architectural
 * exception, exit request and wfi. Interrupts that are pending and enabled are
 * taken here at TB boundaries; rvx-internal exits (fence.i, stores to code,
 * translation changes) are handled here and never reach the caller. */
#ifndef RVX_EXEC_EXEC_H
#define RVX_EXEC_EXEC_H

#include "exec/tb.h"
#include "frontend/hart.h"

typedef enum ExecStop {
    EXEC_STOP_EXCEPTION,     /* h->exc is set; h->pc is the faulting instruction */
    EXEC_STOP_EXIT_REQUEST,  /* h->exit_request was set; h->pc is where to resume */
    EXEC_STOP_WFI,           /* wfi: wait until (mip & mie) != 0, then resume at h->pc */
} ExecStop;

typedef enum ExecEngine { EXEC_ENGINE_INTERP, EXEC_ENGINE_DBT } ExecEngine;

typedef struct ExecOptions {
    ExecEngine engine;
    bool verify;          /* DBT: check every block against the interpreter */
    unsigned log;         /* DBT: -d categories (exec/dbt.h DBT_LOG_*) */
    /* User mode's flat guest memory, 0 if none: guest address a < 2^flat_bits lives
     * at host flat_base + a, and the host page is readable exactly when the guest
     * may read it (the mapped pages the guest can't read are PROT_NONE on the host,
     * like the unmapped ones). The DBT then loads straight from it and takes faults
     * as host signals (exec_host_fault). */
    uintptr_t flat_base;
    unsigned flat_bits;
    unsigned flat_guard;  /* bytes below flat_base and above the space, never accessible */
    /* DBT: a block runs this many times in the interpreter before it is translated
     * (0: at once). Most code of a program's start runs a few times only, and
     * translating it costs more than interpreting it (rvx run --dbt-threshold). */
    unsigned dbt_threshold;
    /* System mode: the guest translates its addresses (the softmmu), so mappings can
     * change under translated code (see IrGuestAbi.link_page_bits). */
    bool guest_mmu;
} ExecOptions;

/* The default dbt_threshold. Minimum of 5-7 runs, thresholds 0/16/32/64/128:
 * python3 -c pass 268/232/191/186/191 ms, sqlite3 --version 33/16/13/11/12 ms. */
#define EXEC_DBT_THRESHOLD 64

/* The engine called `name` on the command line ("interp", or "dbt" where this host
 * has a backend); false for any other name. exec_engine_names lists the valid ones. */
bool exec_engine_from_name(const char *name, ExecEngine *engine);
const char *exec_engine_names(void);

struct DbtCtx;

typedef struct ExecCtx {
    TbCache tbs;
    uint64_t n_blocks_run;
    ExecOptions opt;
    struct DbtCtx *dbt;   /* the DBT's state when opt.engine is EXEC_ENGINE_DBT */
} ExecCtx;

/* Attaches a new exec context to h (h->exec) and empties its caches. */
void exec_init(Hart *h);
void exec_destroy(Hart *h);
/* Chooses h's engine and its debug options (after exec_init; default: the
 * interpreter). False when the engine is not available on this host. A new guest
 * thread takes its creator's: exec_set_options(child, &parent->exec->opt). */
bool exec_set_options(Hart *h, const ExecOptions *opt);
ExecStop exec_run(Hart *h);

/* For the DBT's cold blocks: runs the interpreter's TBs from h->pc on while each has
 * run fewer than `threshold` times. RAN: at least one ran, and the next is hot, or an
 * exit request, interrupt or internal exit wants the DBT's loop; HOT: the TB at h->pc
 * is hot and did not run (translate it); STOP: *stop says why the run loop must stop. */
typedef enum ExecCold { EXEC_COLD_RAN, EXEC_COLD_HOT, EXEC_COLD_STOP } ExecCold;
ExecCold exec_run_cold(Hart *h, uint32_t threshold, ExecStop *stop);
/* For a host SIGSEGV/SIGBUS handler (user mode): when the fault is a guest load in
 * generated code of this thread, points the context's pc at the load's slow path,
 * which makes a guest exception of it (or completes it), and returns true. False:
 * a fault of rvx itself. Async-signal-safe. */
bool exec_host_fault(void *ucontext);
/* A mapping changed under guest pages [addr, addr + len) (user mode: virtual =
 * physical): drops the decoded code of those pages only, or everything when they
 * hold much of it, and the TLB. */
void exec_invalidate_range(Hart *h, uint64_t addr, uint64_t len);
/* System mode: a device wrote guest RAM [paddr, paddr + len). Drops the code decoded
 * from those bytes, and if there was any, ends the running block after its current
 * instruction (a device's writes happen inside an MMIO store or an ecall). With the
 * CPU's own stores to code pages caught by the TLB, this keeps every translation
 * current, so fence.i has nothing to drop in system mode. */
void exec_dma_written(Hart *h, uint64_t paddr, uint64_t len);
/* The guest's virtual-to-physical mappings changed without an instruction saying so
 * (an SBI remote sfence.vma): drops what holds virtual addresses (the TLB, the DBT's
 * jump cache). */
void exec_mappings_changed(Hart *h);
/* fence.i: drops what a write this layer did not see may have made stale. */
void exec_flush_for_fence_i(Hart *h);
/* A vfork child (user mode) runs a few instructions before it execs or exits, and
 * its parent waits for it: exec_vfork_prepare, called by the thread about to fork,
 * spares the child the copy of the translated code, and exec_vfork_child, the
 * child's first call, switches it to the interpreter (the code memory it would
 * otherwise write to is still the parent's). */
void exec_vfork_prepare(Hart *h);
void exec_vfork_child(Hart *h);
/* Drops all decoded code (fence.i, munmap of code, a full code cache). */
void exec_flush(Hart *h);
/* For the translators (interpreter blocks, DBT): code is being decoded from physical
 * page `page`; stores to it must now take a path that notices (the slow path of the
 * soft TLB, and MmuOps.protect_code for writes that bypass it). */
void exec_track_code_page(Hart *h, uint64_t page);
/* Hart.code_written_hook: a store changed bytes of decoded code. */
void exec_code_written(Hart *h, uint64_t paddr, unsigned size);

#endif
