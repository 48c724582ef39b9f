/* Guest signal delivery (see user_signal.h). The frame layout is the riscv64
 * kernel's; the return address in ra is the sigreturn trampoline rvx maps in place
 * of the vDSO's __vdso_rt_sigreturn. */
#define _GNU_SOURCE
#include "linux-user/user_signal.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "exec/exec.h"
#include "softmmu/mem.h"

/* struct ucontext of riscv64 (arch/riscv/include/uapi/asm/ucontext.h), with
 * uc_mcontext = struct sigcontext { user_regs_struct; union __riscv_fp_state }. */
typedef struct GuestUcontext {
    uint64_t flags, link;
    uint64_t ss_sp;
    int32_t ss_flags, ss_pad;
    uint64_t ss_size;
    uint64_t sigmask;
    uint8_t sigmask_unused[120];
    uint64_t align_pad;          /* sigcontext is 16-byte aligned */
    uint64_t regs[32];           /* pc, then x1..x31 */
    uint64_t fpregs[32];
    uint32_t fcsr;
    uint8_t fp_rest[268];        /* q-state tail / extension headers: zero = END */
} GuestUcontext;
_Static_assert(offsetof(GuestUcontext, sigmask) == 40, "uc_sigmask");
_Static_assert(offsetof(GuestUcontext, regs) == 176, "uc_mcontext");
_Static_assert(sizeof(GuestUcontext) == 960, "struct ucontext");

typedef struct GuestSigframe {
    GuestSiginfo info;
    GuestUcontext uc;
} GuestSigframe;
_Static_assert(sizeof(GuestSigframe) == 1088, "struct rt_sigframe");

enum { G_SI_USER = 0, G_SEGV_MAPERR = 1, G_SEGV_ACCERR = 2, G_ILL_ILLOPC = 1,
       G_BUS_ADRALN = 1, G_BUS_ADRERR = 2, G_TRAP_BRKPT = 1 };

static __thread UserThread *signal_thread;

static bool is_fault_signal(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

/* A write by rvx's C code (a helper, through a TLB entry filled before another thread
 * protected the page) to a guest-writable page whose host page is read-only for
 * translated code (GPROT_CODE): lift the protection and let the write run again. The
 * process's code generation moves on, so this thread, asked to leave translated code,
 * drops its blocks before running any of that page's again. */
static bool code_protection_fault(const siginfo_t *si)
{
    UserThread *t = signal_thread;
    if (!t || si->si_code != SEGV_ACCERR)
        return false;
    const GuestMem *m = &t->proc->mem;
    uintptr_t at = (uintptr_t)si->si_addr, base = (uintptr_t)m->base;
    if (at < base || at - base >= GUEST_SPACE_SIZE)
        return false;
    uint8_t prot = guest_page_prot(m, at - base);
    if ((prot & (GPROT_WRITE | GPROT_MAPPED)) != (GPROT_WRITE | GPROT_MAPPED))
        return false;
    guest_code_unprotect(m, at - base);
    t->hart.exit_request = 1;
    return true;
}

/* A real fault (not a kill()): a guest access in generated code resumes at its slow
 * path, a write to a page protected for code is retried; anything else is a fault of
 * rvx itself, which crashes as without a handler. */
static bool real_fault(int sig, const siginfo_t *si, void *uc)
{
    if (!is_fault_signal(sig) || si->si_code <= 0)
        return false;
    if ((sig == SIGSEGV || sig == SIGBUS) && exec_host_fault(uc))
        return true;
    if (sig == SIGSEGV && code_protection_fault(si))
        return true;
    signal(sig, SIG_DFL);
    return true;
}

/* Real-time signals queue one instance per kill (each with its siginfo); rvx records
 * one per signal, and keeps the others in the host kernel's queue by blocking a
 * recorded real-time signal on the host until the guest has taken it. */
#define REALTIME_SIGNALS (~0ull << (G_SIGRTMIN - 1))

static bool is_realtime(int sig) { return sig_bit(sig) & REALTIME_SIGNALS; }

static uint64_t held_back(const UserThread *t)
{
    return __atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST) & REALTIME_SIGNALS;
}

/* Makes the host block sig once the handler returns (uc_sigmask is the mask the
 * kernel restores then). */
static void hold_back(void *uc, int sig)
{
    uint64_t mask;
    sigset_t *host = &((ucontext_t *)uc)->uc_sigmask;
    memcpy(&mask, host, sizeof mask);
    mask |= sig_bit(sig);
    memcpy(host, &mask, sizeof mask);
}

/* Runs on the host thread the kernel chose (never one blocking sig). Only records,
 * one instance of each signal. A standard signal already recorded keeps its first
 * siginfo (Linux drops the second instance); a real-time one can only find its own
 * recorded if a wait's host mask let it through in the instant after the mask was
 * computed: it goes back to the host queue (at its end) rather than being lost. */
static void host_handler(int sig, siginfo_t *si, void *uc)
{
    if (real_fault(sig, si, uc))
        return;
    UserThread *t = signal_thread;
    if (!t)
        return;
    if (__atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST) & sig_bit(sig)) {
        if (is_realtime(sig))
            syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), sig, si);
    } else {
        memcpy(&t->sig_info[sig], si, sizeof(GuestSiginfo));
        __atomic_fetch_or(&t->sig_pending, sig_bit(sig), __ATOMIC_SEQ_CST);
    }
    if (is_realtime(sig))
        hold_back(uc, sig);
    t->hart.exit_request = 1;
}

/* SIGSEGV and SIGBUS while the guest leaves them at SIG_DFL or SIG_IGN: generated
 * code still needs its faults back; a kill() gets the guest's disposition. */
static void fault_default_handler(int sig, siginfo_t *si, void *uc)
{
    if (real_fault(sig, si, uc))
        return;
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when this handler returns: the default action */
}

static void fault_ignore_handler(int sig, siginfo_t *si, void *uc) { real_fault(sig, si, uc); }

void user_signal_thread_start(UserThread *t) { signal_thread = t; }

/* glibc's sigaction refuses the two signals its threads library keeps (32, 33); for
 * the guest they are ordinary, so they are set with the raw syscall. x86-64 requires
 * a restorer that calls rt_sigreturn; AArch64 uses the vDSO's without one. */
#if defined(__x86_64__)
void rvx_host_sigreturn(void);
__asm__(".text\n.align 16\nrvx_host_sigreturn:\n\tmovl $15, %eax\n\tsyscall\n");
#define HOST_SA_RESTORER 0x04000000
#endif

static void raw_sigaction(int sig, const struct sigaction *sa)
{
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        uint64_t mask;
    } k = {.flags = (unsigned long)sa->sa_flags, .mask = ~0ull};
    k.handler = (sa->sa_flags & SA_SIGINFO) ? (void *)sa->sa_sigaction : (void *)sa->sa_handler;
#ifdef HOST_SA_RESTORER
    k.flags |= HOST_SA_RESTORER;
    k.restorer = (void *)rvx_host_sigreturn;
#endif
    syscall(SYS_rt_sigaction, sig, &k, NULL, 8);
}

void user_signal_apply_action(const Process *p, int sig)
{
    if (sig == SIGKILL || sig == SIGSTOP)
        return;
    uint64_t handler = p->sig_action[sig].handler;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (sig == SIGSEGV || sig == SIGBUS) {
        sa.sa_sigaction = handler == G_SIG_DFL   ? fault_default_handler
                          : handler == G_SIG_IGN ? fault_ignore_handler
                                                 : host_handler;
        sa.sa_flags = SA_SIGINFO;
        sigfillset(&sa.sa_mask);
    } else if (handler == G_SIG_DFL) {
        sa.sa_handler = SIG_DFL;
    } else if (handler == G_SIG_IGN) {
        sa.sa_handler = SIG_IGN;
    } else {
        /* No SA_RESTART: an interrupted host call returns EINTR and rvx decides,
         * from the guest's SA_RESTART, whether the guest sees it. */
        sa.sa_sigaction = host_handler;
        sa.sa_flags = SA_SIGINFO;
        sigfillset(&sa.sa_mask);
    }
    /* SIGCHLD's SA_NOCLDSTOP/SA_NOCLDWAIT change what the kernel does for children. */
    if (sig == SIGCHLD)
        sa.sa_flags |= (p->sig_action[sig].flags & G_SA_NOCLDSTOP ? SA_NOCLDSTOP : 0) |
                       (p->sig_action[sig].flags & G_SA_NOCLDWAIT ? SA_NOCLDWAIT : 0);
    if (sigaction(sig, &sa, NULL) < 0 && errno == EINVAL)
        raw_sigaction(sig, &sa);
}

uint64_t user_signal_host_mask(const UserThread *t, uint64_t guest_mask)
{
    uint64_t host = guest_mask | held_back(t);
    for (int sig = 1; sig < GUEST_NSIG; sig++)
        if (is_fault_signal(sig))
            host &= ~sig_bit(sig);
    return host;
}

static void host_mask_sync(UserThread *t)
{
    /* The raw calls: glibc's wrapper would refuse its internal signals 32 and 33,
     * which are ordinary signals for the guest's own libc. Everything is blocked
     * while the mask is computed: a real-time signal recorded meanwhile would else
     * be unblocked by the mask computed without it, and its next instance come. */
    uint64_t all = ~0ull;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8);
    uint64_t host = user_signal_host_mask(t, t->sig_blocked);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &host, NULL, 8);
}

void user_signal_set_mask(UserThread *t, uint64_t mask)
{
    t->sig_blocked = mask & ~(sig_bit(SIGKILL) | sig_bit(SIGSTOP));
    host_mask_sync(t);
}

void user_signal_set_temp_mask(UserThread *t, uint64_t mask)
{
    if (!t->sig_saved_valid) {
        t->sig_saved_mask = t->sig_blocked;
        t->sig_saved_valid = true;
    }
    /* Guest view only: the host call that waits gets the mask as its argument. */
    t->sig_blocked = mask & ~(sig_bit(SIGKILL) | sig_bit(SIGSTOP));
}

bool user_signal_deliverable(UserThread *t)
{
    return (__atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST) & ~t->sig_blocked) != 0;
}

void user_signal_take(UserThread *t, int sig, GuestSiginfo *info)
{
    *info = t->sig_info[sig];
    info->signo = sig;
    __atomic_fetch_and(&t->sig_pending, ~sig_bit(sig), __ATOMIC_SEQ_CST);
    if (is_realtime(sig))
        host_mask_sync(t); /* its next instance may come now */
}

void user_signal_post(UserThread *t, int sig, const GuestSiginfo *info)
{
    t->sig_info[sig] = *info;
    __atomic_fetch_or(&t->sig_pending, sig_bit(sig), __ATOMIC_SEQ_CST);
    t->hart.exit_request = 1;
}

/* Default action "ignore" (signal(7)). */
static bool default_ignores(int sig)
{
    return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

/* Takes the default action of sig on the rvx process: the host does exactly what
 * Linux would do to the guest (terminate with the signal, dump core, stop). */
static void take_default_action(UserThread *t, int sig)
{
    if (default_ignores(sig))
        return;
    fflush(NULL);
    signal(sig, SIG_DFL);
    uint64_t unblock = sig_bit(sig);
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &unblock, NULL, 8);
    syscall(SYS_tgkill, getpid(), gettid(), sig);
}

static bool on_altstack(const UserThread *t, uint64_t sp)
{
    return t->altstack_size && sp - t->altstack_sp < t->altstack_size;
}

/* Builds the frame and points the hart at the handler. False when the frame cannot
 * be written (the kernel then forces SIGSEGV). */
static bool setup_frame(Process *p, UserThread *t, const GuestSiginfo *info,
                        const GuestSigaction *act)
{
    int sig = info->signo;
    Hart *h = &t->hart;
    uint64_t sp = h->x[2];
    if ((act->flags & G_SA_ONSTACK) && t->altstack_size && !on_altstack(t, sp))
        sp = t->altstack_sp + t->altstack_size;
    sp = (sp - sizeof(GuestSigframe)) & ~15ull;
    GuestSigframe *f = guest_ptr(&p->mem, sp, sizeof *f, GPROT_WRITE);
    if (!f)
        return false;
    memset(f, 0, sizeof *f);
    f->info = *info;
    GuestUcontext *uc = &f->uc;
    uc->ss_sp = t->altstack_sp;
    uc->ss_size = t->altstack_size;
    uc->ss_flags = t->altstack_size ? (on_altstack(t, h->x[2]) ? G_SS_ONSTACK : 0) : G_SS_DISABLE;
    uc->sigmask = t->sig_saved_valid ? t->sig_saved_mask : t->sig_blocked;
    uc->regs[0] = h->pc;
    for (int i = 1; i < 32; i++)
        uc->regs[i] = h->x[i];
    memcpy(uc->fpregs, h->f, sizeof uc->fpregs);
    uc->fcsr = h->frm << 5 | h->fflags;

    h->pc = act->handler;
    h->x[1] = p->sigreturn_tramp;
    h->x[2] = sp;
    h->x[10] = (uint64_t)sig;
    h->x[11] = sp + offsetof(GuestSigframe, info);
    h->x[12] = sp + offsetof(GuestSigframe, uc);
    h->resv_addr = RV_NO_RESERVATION; /* as a trap does: an LR before the handler must fail its SC */

    uint64_t mask = t->sig_blocked | act->mask;
    if (!(act->flags & G_SA_NODEFER))
        mask |= sig_bit(sig);
    t->sig_saved_valid = false;
    user_signal_set_mask(t, mask);
    return true;
}

/* The syscall interrupted at pc (t->syscall_restart): re-run or fail with EINTR. */
static void finish_interrupted_syscall(UserThread *t, const GuestSigaction *act)
{
    if (!t->syscall_restart)
        return;
    t->syscall_restart = false;
    if (act && !(act->flags & G_SA_RESTART)) {
        t->hart.x[10] = (uint64_t)-EINTR;
        t->hart.pc += 4;
    }
    /* Else pc still points at the ecall and a0 holds its first argument. */
}

/* The signal Linux would dequeue next: synchronous ones first (its
 * SYNCHRONOUS_MASK), then the lowest number; 0 when none is deliverable. */
static int next_signal(const UserThread *t)
{
    uint64_t ready = __atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST) & ~t->sig_blocked;
    uint64_t sync = ready & (sig_bit(SIGSEGV) | sig_bit(SIGBUS) | sig_bit(SIGILL) |
                             sig_bit(SIGTRAP) | sig_bit(SIGFPE));
    return ready ? __builtin_ctzll(sync ? sync : ready) + 1 : 0;
}

/* Acts on the next deliverable signal: false when there was none, or when its frame
 * could not be written (the process is then dying of SIGSEGV). */
static bool deliver_one(Process *p, UserThread *t)
{
    int sig = next_signal(t);
    if (!sig)
        return false;
    GuestSiginfo info;
    user_signal_take(t, sig, &info);

    pthread_mutex_lock(&p->lock);
    GuestSigaction act = p->sig_action[sig];
    if (act.handler > G_SIG_IGN && (act.flags & G_SA_RESETHAND)) {
        p->sig_action[sig].handler = G_SIG_DFL;
        p->sig_action[sig].flags &= ~(uint64_t)G_SA_SIGINFO;
        user_signal_apply_action(p, sig);
    }
    pthread_mutex_unlock(&p->lock);

    if (act.handler == G_SIG_IGN)
        return true;
    if (act.handler == G_SIG_DFL) {
        finish_interrupted_syscall(t, NULL);
        take_default_action(t, sig);
        return true;
    }
    finish_interrupted_syscall(t, &act);
    if (!setup_frame(p, t, &info, &act)) {
        /* No room for the frame: Linux forces SIGSEGV with the default action. */
        fprintf(stderr, "rvx: cannot write the signal frame for signal %d (sp 0x%llx)\n", sig,
                (unsigned long long)t->hart.x[2]);
        take_default_action(t, SIGSEGV);
        return false;
    }
    return true;
}

/* Like Linux on its way back to user mode, a frame for every deliverable signal
 * before any guest code runs: each handler's mask decides what may still come, and
 * the last frame's handler runs first. */
void user_signal_deliver(Process *p, UserThread *t)
{
    while (deliver_one(p, t))
        ;
    finish_interrupted_syscall(t, NULL);
    if (t->sig_saved_valid) {
        /* No handler ran: the mask a wait had set temporarily ends with the wait. */
        t->sig_saved_valid = false;
        user_signal_set_mask(t, t->sig_saved_mask);
    }
}

/* A page fault on a page whose protection allows the access but which lies beyond
 * the end of its file (GPROT_BUS): VM_FAULT_SIGBUS in Linux. */
static bool is_bus_error(const Process *p, uint64_t cause, uint64_t tval)
{
    uint8_t need = cause == RV_EXC_LOAD_PAGE_FAULT    ? GPROT_READ
                   : cause == RV_EXC_STORE_PAGE_FAULT ? GPROT_WRITE
                   : cause == RV_EXC_INSN_PAGE_FAULT  ? GPROT_EXEC
                                                      : 0;
    uint8_t prot = guest_page_prot(&p->mem, tval);
    return need && (prot & GPROT_BUS) && (prot & need);
}

/* The signal Linux sends for an exception taken in user mode
 * (arch/riscv/kernel/traps.c), with its si_code. */
static int signal_for(const Process *p, uint64_t cause, uint64_t tval, int *code,
                      const char **what)
{
    if (is_bus_error(p, cause, tval)) {
        *code = G_BUS_ADRERR;
        *what = "access beyond the end of a mapped file";
        return SIGBUS;
    }
    switch (cause) {
    case RV_EXC_ILLEGAL_INSN: *code = G_ILL_ILLOPC; *what = "illegal instruction"; return SIGILL;
    case RV_EXC_BREAKPOINT: *code = G_TRAP_BRKPT; *what = "breakpoint"; return SIGTRAP;
    case RV_EXC_INSN_MISALIGNED: case RV_EXC_LOAD_MISALIGNED: case RV_EXC_STORE_MISALIGNED:
        *code = G_BUS_ADRALN; *what = "misaligned access"; return SIGBUS;
    default:
        *code = guest_page_prot(&p->mem, tval) ? G_SEGV_ACCERR : G_SEGV_MAPERR;
        *what = "segmentation fault";
        return SIGSEGV;
    }
}

int user_signal_fault(Process *p, UserThread *t, uint64_t cause, uint64_t tval)
{
    int code;
    const char *what;
    int sig = signal_for(p, cause, tval, &code, &what);
    pthread_mutex_lock(&p->lock);
    uint64_t handler = p->sig_action[sig].handler;
    pthread_mutex_unlock(&p->lock);
    /* A blocked or ignored synchronous signal kills (force_sig_fault). */
    if (handler > G_SIG_IGN && !(t->sig_blocked & sig_bit(sig))) {
        GuestSiginfo info;
        memset(&info, 0, sizeof info);
        info.signo = sig;
        info.code = code;
        info.u.fault.addr = (sig == SIGSEGV || sig == SIGBUS) ? tval : t->hart.pc;
        user_signal_post(t, sig, &info);
        return 0;
    }
    fprintf(stderr, "rvx: guest %s (%s) at pc 0x%llx, address 0x%llx\n", strsignal(sig), what,
            (unsigned long long)t->hart.pc, (unsigned long long)tval);
    fflush(NULL);
    return 128 + sig;
}

int64_t user_signal_return(Process *p, UserThread *t)
{
    Hart *h = &t->hart;
    const GuestSigframe *f = guest_ptr(&p->mem, h->x[2], sizeof *f, GPROT_READ);
    if (!f) {
        fprintf(stderr, "rvx: bad signal frame at sp 0x%llx in rt_sigreturn\n",
                (unsigned long long)h->x[2]);
        take_default_action(t, SIGSEGV);
        return -EFAULT;
    }
    const GuestUcontext *uc = &f->uc;
    h->pc = uc->regs[0];
    for (int i = 1; i < 32; i++)
        h->x[i] = uc->regs[i];
    memcpy(h->f, uc->fpregs, sizeof h->f);
    h->fflags = uc->fcsr & 0x1f;
    h->frm = (uc->fcsr >> 5) & 7;
    t->sig_saved_valid = false;
    user_signal_set_mask(t, uc->sigmask);
    /* restore_altstack: the frame's stack_t becomes the alternate stack again. */
    if (uc->ss_flags & G_SS_DISABLE) {
        t->altstack_sp = t->altstack_size = 0;
    } else if (uc->ss_size) {
        t->altstack_sp = uc->ss_sp;
        t->altstack_size = uc->ss_size;
    }
    t->regs_set = true;
    return (int64_t)h->x[10];
}
