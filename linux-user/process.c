/* The user-mode run loop: execute until an exception, serve ecalls as Linux syscalls,
 * and turn every other exception into the signal Linux would deliver. A fatal signal
 * ends rvx with status 128 + signal and a one-line report, like a shell shows it. */
#include "linux-user/process.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exec/exec.h"
#include "softmmu/mem.h"

static int user_translate(Hart *h, uint64_t vaddr, MemAccess access, MemTranslation *t)
{
    const Process *p = h->env;
    static const uint8_t need[3] = {GPROT_READ, GPROT_WRITE, GPROT_EXEC};
    uint8_t prot = guest_page_prot(&p->mem, vaddr);
    if (!(prot & need[access]))
        return (int)mem_fault_cause(access);
    t->addend = (uintptr_t)p->mem.base;
    t->paddr = vaddr;
    t->is_ram = true;
    t->tlb_ok = access != MEM_WRITE || !code_pages_contains(&h->code_pages, vaddr >> 12);
    return 0;
}

static bool user_no_io(Hart *h, uint64_t paddr, unsigned size, uint64_t *value) { return false; }
static bool user_no_io_write(Hart *h, uint64_t paddr, unsigned size, uint64_t value) { return false; }

const MmuOps user_mmu_ops = {
    .translate = user_translate,
    .io_read = user_no_io,
    .io_write = user_no_io_write,
};

/* The signal Linux sends for an exception taken in user mode
 * (arch/riscv/kernel/traps.c). */
static int signal_for(uint64_t cause, const char **what)
{
    switch (cause) {
    case RV_EXC_ILLEGAL_INSN: *what = "illegal instruction"; return SIGILL;
    case RV_EXC_BREAKPOINT: *what = "breakpoint"; return SIGTRAP;
    case RV_EXC_INSN_MISALIGNED: case RV_EXC_LOAD_MISALIGNED: case RV_EXC_STORE_MISALIGNED:
        *what = "misaligned access"; return SIGBUS;
    case RV_EXC_INSN_ACCESS: case RV_EXC_LOAD_ACCESS: case RV_EXC_STORE_ACCESS:
    case RV_EXC_INSN_PAGE_FAULT: case RV_EXC_LOAD_PAGE_FAULT: case RV_EXC_STORE_PAGE_FAULT:
    default:
        *what = "segmentation fault"; return SIGSEGV;
    }
}

int process_run(Process *p, Hart *h)
{
    for (;;) {
        ExecStop stop = exec_run(h);
        if (stop == EXEC_STOP_EXIT_REQUEST) {
            h->exit_request = 0;
            continue;
        }
        if (h->exc.cause == RV_EXC_ECALL_U) {
            int status;
            if (syscall_dispatch(p, h, &status))
                return status;
            continue;
        }
        const char *what;
        int sig = signal_for(h->exc.cause, &what);
        fprintf(stderr, "rvx: guest %s (%s) at pc 0x%llx, address 0x%llx\n", strsignal(sig),
                what, (unsigned long long)h->pc, (unsigned long long)h->exc.tval);
        fflush(NULL);
        return 128 + sig;
    }
}
