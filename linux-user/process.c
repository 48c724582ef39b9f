/* The user-mode run loop of one guest thread: execute until an exception, serve
 * ecalls as Linux syscalls, deliver pending signals at block boundaries, and turn
 * every other exception into the signal Linux would send. A fatal signal without a
 * guest handler ends rvx with status 128 + signal and a one-line report.
 * Before running guest code the loop brings the hart's TLB and decoded code up to
 * the process generations (another thread may have changed the memory map). */
#define _GNU_SOURCE
#include "linux-user/process.h"

#include <signal.h>
#include <stdio.h>
#include <sys/personality.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec.h"
#include "frontend/priv.h"
#include "linux-user/user_signal.h"
#include "softmmu/mem.h"

static int user_translate(Hart *h, uint64_t vaddr, MemAccess access, MemTranslation *t)
{
    const Process *p = h->env;
    static const uint8_t need[3] = {GPROT_READ, GPROT_WRITE, GPROT_EXEC};
    uint8_t prot = guest_page_prot(&p->mem, vaddr);
    /* A page beyond the end of its file faults (user_signal_fault makes it SIGBUS)
     * and so never enters the TLB: generated code's inline path cannot reach it. */
    if (!(prot & need[access]) || ((prot & GPROT_BUS) && !guest_bus_recheck(&p->mem, vaddr)))
        return (int)mem_fault_cause(access);
    if (access == MEM_WRITE && (prot & GPROT_TRACKED)) {
        /* a vfork child's first write to the page: recorded, and no code is there */
        guest_code_unprotect(&p->mem, vaddr);
        prot = guest_page_prot(&p->mem, vaddr);
    }
    t->addend = (uintptr_t)p->mem.base;
    t->paddr = vaddr;
    t->is_ram = true;
    t->tlb_ok = access != MEM_WRITE ||
                !((prot & GPROT_CODE) || code_pages_contains(&h->code_pages, vaddr >> 12));
    return 0;
}

/* Every thread but self comes out of translated code at its next block boundary, to
 * bring its caches up to the process generations. Call with p->lock held. */
static void ask_others_to_leave(Process *p, const UserThread *self)
{
    for (UserThread *t = p->threads; t; t = t->next)
        if (t != self)
            t->hart.exit_request = 1;
}

static void user_protect_code(Hart *h, uint64_t vaddr)
{
    Process *p = h->env;
    guest_code_protect(&p->mem, vaddr);
    if (!__atomic_load_n(&p->shared_code, __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&p->lock);
        if (guest_addr_shared(&p->mem, vaddr))
            __atomic_store_n(&p->shared_code, true, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&p->lock);
    }
}

static bool user_code_may_be_stale(Hart *h)
{
    const Process *p = h->env;
    return __atomic_load_n(&p->shared_code, __ATOMIC_ACQUIRE);
}

/* A write to a page protected for code is about to happen on this thread. The
 * writer's own translations of the page go by the store's code_written_hook; the
 * other threads drop all theirs and are asked to come out of translated code (they
 * may be running blocks of that page). */
static void user_write_code(Hart *h, uint64_t paddr)
{
    Process *p = h->env;
    UserThread *self = user_thread_of(h);
    if (!(guest_page_prot(&p->mem, paddr) & GPROT_CODE))
        return; /* a code page of this thread only: its hook is enough */
    pthread_mutex_lock(&p->lock);
    unsigned before = code_log_gen(&p->code_log);
    if (guest_code_unprotect(&p->mem, paddr)) {
        /* Current before, and no other change since: this one is only for the others. */
        if (self->code_gen == before && code_log_gen(&p->code_log) == before + 1)
            self->code_gen = before + 1;
        ask_others_to_leave(p, self);
    }
    pthread_mutex_unlock(&p->lock);
}

static bool user_no_io(Hart *h, uint64_t paddr, unsigned size, uint64_t *value) { return false; }
static bool user_no_io_write(Hart *h, uint64_t paddr, unsigned size, uint64_t value) { return false; }

const MmuOps user_mmu_ops = {
    .translate = user_translate,
    .io_read = user_no_io,
    .io_write = user_no_io_write,
    .protect_code = user_protect_code,
    .write_code = user_write_code,
    .code_may_be_stale = user_code_may_be_stale,
};

void process_init(Process *p, const UserOptions *opt)
{
    p->opt = *opt;
    pthread_mutex_init(&p->lock, NULL);
    UserThread *t = &p->main;
    t->proc = p;
    t->tid = gettid();
    t->is_main = true;
    p->threads = t;
    p->n_threads = 1;

    Hart *h = &t->hart;
    h->env = p;
    h->mmu = &user_mmu_ops;
    h->priv = RV_PRIV_U;
    h->resv_addr = RV_NO_RESERVATION;
    h->mstatus = 1ull << 13; /* FS = Initial: FP usable */
    /* Linux enables cbo.zero for user space (riscv_hwprobe reports Zicboz). */
    h->menvcfg = h->senvcfg = MENVCFG_CBZE;
    /* cycle, time and instret readable from U-mode, as qemu-user allows. */
    h->mcounteren = h->scounteren = 7;
    exec_init(h);

    /* What exec leaves of the signal state: the mask, and ignored signals. */
    uint64_t mask = 0;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &mask, 8);
    t->sig_blocked = mask;
    for (int sig = 1; sig < GUEST_NSIG; sig++) {
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
            p->sig_action[sig].handler = G_SIG_IGN;
    }
    user_signal_apply_action(p, SIGSEGV);
    user_signal_apply_action(p, SIGBUS);
    /* And the persona, whose flags the host carried across the exec (see
     * sys_personality); the execution domain (low byte) is PER_LINUX again. */
    p->persona = (uint32_t)personality(0xffffffff) & ~0xffu;
    user_limits_init(p);
}

void process_map_changed(Process *p, UserThread *self, bool code)
{
    __atomic_add_fetch(&p->map_gen, 1, __ATOMIC_SEQ_CST);
    if (code)
        code_log_add(&p->code_log, 0, 0);
    ask_others_to_leave(p, self);
    process_sync_caches(p, self);
}

void process_range_changed(Process *p, UserThread *self, uint64_t addr, uint64_t len, bool code)
{
    if (!code || len == 0) {
        process_map_changed(p, self, code);
        return;
    }
    process_sync_caches(p, self);
    unsigned gen = code_log_add(&p->code_log, addr, len);
    if (gen == self->code_gen + 1) /* else another change came between: replay both later */
        self->code_gen = gen;
    self->map_gen = __atomic_add_fetch(&p->map_gen, 1, __ATOMIC_SEQ_CST);
    ask_others_to_leave(p, self);
    exec_invalidate_range(&self->hart, addr, len);
}

void process_sync_caches(Process *p, UserThread *t)
{
    unsigned map_gen = __atomic_load_n(&p->map_gen, __ATOMIC_SEQ_CST);
    if (code_log_gen(&p->code_log) != t->code_gen) {
        static _Thread_local CodeRange changed[CODE_LOG_SIZE];
        unsigned n;
        bool known;
        t->code_gen = code_log_since(&p->code_log, t->code_gen, changed, &n, &known);
        t->map_gen = map_gen;
        if (!known)
            exec_flush(&t->hart); /* drops the TLB too */
        else
            for (unsigned k = 0; k < n; k++) /* each drops the TLB too */
                exec_invalidate_range(&t->hart, changed[k].addr, changed[k].len);
    } else if (map_gen != t->map_gen) {
        t->map_gen = map_gen;
        mem_tlb_flush(&t->hart);
    }
}

int process_run(Process *p, Hart *h)
{
    UserThread *t = user_thread_of(h);
    user_signal_thread_start(t);
    for (;;) {
        /* Clear first, then look: a request made after this point stops exec_run. */
        h->exit_request = 0;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (p->group_exit && !t->is_main) {
            /* The main thread is ending the process: run no more guest code. */
            uint64_t all = ~0ull;
            syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8);
            pthread_exit(NULL);
        }
        process_sync_caches(p, t);
        if (__atomic_load_n(&t->sig_pending, __ATOMIC_RELAXED) || t->syscall_restart ||
            t->sig_saved_valid)
            user_signal_deliver(p, t);
        ExecStop stop = exec_run(h);
        if (stop != EXEC_STOP_EXCEPTION)
            continue;
        if (h->exc.cause == RV_EXC_ECALL_U) {
            int status;
            if (syscall_dispatch(p, h, &status))
                return status;
            continue;
        }
        int status = user_signal_fault(p, t, h->exc.cause, h->exc.tval);
        if (status)
            return status;
    }
}
