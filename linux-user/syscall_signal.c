/* Signal syscalls: dispositions (process-wide, under p->lock, mirrored onto the
 * host by user_signal_apply_action), per-thread masks and alternate stacks, waiting
 * for signals, sending them. Delivery itself is in user_signal.c. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int64_t get_guest_sigset(Process *p, uint64_t addr, uint64_t size, uint64_t *mask)
{
    if (size != 8)
        return -EINVAL;
    const uint64_t *g = GPTR(addr, 8, GPROT_READ);
    if (!g)
        return -EFAULT;
    *mask = *g;
    return 0;
}

/* The host set of the guest signals sigtimedwait waits for: never the synchronous
 * fault signals, which rvx needs for itself. */
static uint64_t host_wait_set(uint64_t guest_set)
{
    return guest_set & ~(sig_bit(SIGSEGV) | sig_bit(SIGBUS) | sig_bit(SIGILL) |
                         sig_bit(SIGFPE) | sig_bit(SIGTRAP));
}

SYSCALL_HANDLER(rt_sigaction)
{
    int sig = (int)a[0];
    if (sig < 1 || sig >= GUEST_NSIG || a[3] != 8)
        return -EINVAL;
    const GuestSigaction *act = NULL;
    GuestSigaction *old = NULL;
    if (a[1] && !(act = GPTR(a[1], sizeof *act, GPROT_READ)))
        return -EFAULT;
    if (a[2] && !(old = GPTR(a[2], sizeof *old, GPROT_WRITE)))
        return -EFAULT;
    if (act && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    GuestSigaction prev = p->sig_action[sig];
    if (act) {
        p->sig_action[sig] = *act;
        p->sig_action[sig].mask &= ~(sig_bit(SIGKILL) | sig_bit(SIGSTOP));
        user_signal_apply_action(p, sig);
    }
    pthread_mutex_unlock(&p->lock);
    if (old)
        *old = prev;
    return 0;
}

SYSCALL_HANDLER(rt_sigprocmask)
{
    enum { G_SIG_BLOCK = 0, G_SIG_UNBLOCK = 1, G_SIG_SETMASK = 2 };
    UserThread *t = THREAD;
    if (a[3] != 8)
        return -EINVAL;
    const uint64_t *set = NULL;
    uint64_t *old = NULL;
    if (a[1] && !(set = GPTR(a[1], 8, GPROT_READ)))
        return -EFAULT;
    if (a[2] && !(old = GPTR(a[2], 8, GPROT_WRITE)))
        return -EFAULT;
    uint64_t prev = t->sig_blocked, mask = prev;
    if (set) {
        switch (a[0]) {
        case G_SIG_BLOCK: mask |= *set; break;
        case G_SIG_UNBLOCK: mask &= ~*set; break;
        case G_SIG_SETMASK: mask = *set; break;
        default: return -EINVAL;
        }
    }
    if (old)
        *old = prev;
    /* Unblocking runs the host handler for signals pending on the host; they are
     * delivered when this syscall returns, as on Linux. */
    if (set)
        user_signal_set_mask(t, mask);
    return 0;
}

SYSCALL_HANDLER(rt_sigpending)
{
    UserThread *t = THREAD;
    if (a[1] > 8)
        return -EINVAL;
    uint64_t *out = GPTR(a[0], a[1], GPROT_WRITE);
    if (!out)
        return -EFAULT;
    /* Blocked signals stay pending in the host kernel; ours are the recorded ones. */
    uint64_t host = 0;
    syscall(SYS_rt_sigpending, &host, 8);
    uint64_t pending = (host | __atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST)) & t->sig_blocked;
    memcpy(out, &pending, a[1]);
    return 0;
}

SYSCALL_HANDLER(rt_sigsuspend)
{
    UserThread *t = THREAD;
    uint64_t mask;
    int64_t r = get_guest_sigset(p, a[0], a[1], &mask);
    if (r < 0)
        return r;
    user_signal_set_temp_mask(t, mask);
    if (!user_signal_deliverable(t)) {
        /* Atomically unblock and wait: the host handler records the signal. */
        uint64_t host = user_signal_host_mask(t, t->sig_blocked);
        syscall(SYS_rt_sigsuspend, &host, 8);
    }
    return -EINTR;
}

SYSCALL_HANDLER(rt_sigtimedwait)
{
    UserThread *t = THREAD;
    uint64_t set;
    int64_t r = get_guest_sigset(p, a[0], a[3], &set);
    if (r < 0)
        return r;
    GuestSiginfo *info = NULL;
    const struct timespec *ts = NULL;
    if (a[1] && !(info = GPTR(a[1], sizeof *info, GPROT_WRITE)))
        return -EFAULT;
    if (a[2] && !(ts = GPTR(a[2], sizeof *ts, GPROT_READ)))
        return -EFAULT;
    set &= ~(sig_bit(SIGKILL) | sig_bit(SIGSTOP));
    /* A signal already recorded by our handler (it was unblocked on the host). */
    uint64_t ours = __atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST) & set;
    if (ours) {
        int sig = __builtin_ctzll(ours) + 1;
        GuestSiginfo taken;
        user_signal_take(t, sig, &taken);
        if (info)
            *info = taken;
        return sig;
    }
    /* The waited-for signals are blocked (POSIX requires it), so the host kernel
     * keeps them pending and sigtimedwait takes them without our handler. */
    uint64_t host = host_wait_set(set);
    siginfo_t si;
    int64_t sig = host_ret(syscall(SYS_rt_sigtimedwait, &host, &si, ts, 8));
    if (sig > 0 && info)
        memcpy(info, &si, sizeof *info);
    return sig;
}

SYSCALL_HANDLER(sigaltstack)
{
    UserThread *t = THREAD;
    typedef struct { uint64_t sp; int32_t flags, pad; uint64_t size; } GuestStack;
    const GuestStack *ss = NULL;
    GuestStack *old = NULL;
    if (a[0] && !(ss = GPTR(a[0], sizeof *ss, GPROT_READ)))
        return -EFAULT;
    if (a[1] && !(old = GPTR(a[1], sizeof *old, GPROT_WRITE)))
        return -EFAULT;
    uint64_t sp = t->hart.x[2];
    bool on = t->altstack_size && sp - t->altstack_sp < t->altstack_size;
    GuestStack prev = {t->altstack_sp, t->altstack_size ? (on ? G_SS_ONSTACK : 0) : G_SS_DISABLE,
                       0, t->altstack_size};
    if (ss) {
        enum { G_SS_AUTODISARM = (int)(1u << 31), G_MINSIGSTKSZ = 2048 };
        int flags = ss->flags & ~G_SS_AUTODISARM;
        if (on)
            return -EPERM;
        if (flags == G_SS_DISABLE) {
            t->altstack_sp = t->altstack_size = 0;
        } else if (flags == 0 || flags == G_SS_ONSTACK) {
            if (ss->size < G_MINSIGSTKSZ)
                return -ENOMEM;
            t->altstack_sp = ss->sp;
            t->altstack_size = ss->size;
        } else {
            return -EINVAL;
        }
    }
    if (old)
        *old = prev;
    return 0;
}

SYSCALL_HANDLER(rt_sigreturn) { return user_signal_return(p, THREAD); }

/* Guest threads are host threads with the same ids, and processes are processes:
 * signals are sent by the host kernel and arrive through the host handler. A guest
 * that kills itself (abort(), raise) dies of the signal without a word from rvx, as
 * natively: programs such as Python's faulthandler check what their stderr holds. */
SYSCALL_HANDLER(kill) { return host_ret(kill((pid_t)a[0], (int)a[1])); }
SYSCALL_HANDLER(tkill) { return host_ret(syscall(SYS_tkill, (pid_t)a[0], (int)a[1])); }
SYSCALL_HANDLER(tgkill) { return host_ret(syscall(SYS_tgkill, (pid_t)a[0], (pid_t)a[1], (int)a[2])); }

SYSCALL_HANDLER(rt_sigqueueinfo)
{
    const siginfo_t *info = GPTR(a[2], sizeof(GuestSiginfo), GPROT_READ);
    if (!info)
        return -EFAULT;
    return host_ret(syscall(SYS_rt_sigqueueinfo, (pid_t)a[0], (int)a[1], info));
}

SYSCALL_HANDLER(pidfd_send_signal)
{
    const siginfo_t *info = NULL;
    if (a[2] && !(info = GPTR(a[2], sizeof(GuestSiginfo), GPROT_READ)))
        return -EFAULT;
    return host_ret(syscall(SYS_pidfd_send_signal, (int)a[0], (int)a[1], info, (unsigned)a[3]));
}

/* Guest signal numbers and sigsets are the host's, and struct signalfd_siginfo is
 * one fixed layout everywhere: the host's signalfd serves the guest. It reads the
 * signals pending on the host, which are the ones the guest keeps blocked (as
 * signalfd requires); one the host handler had already recorded is not among them
 * (known gap: a signal that arrived while unblocked and was blocked before its
 * delivery). */
SYSCALL_HANDLER(signalfd4)
{
    enum { G_SFD_NONBLOCK = 04000, G_SFD_CLOEXEC = 02000000 };
    uint64_t mask;
    int64_t r = get_guest_sigset(p, a[1], a[2], &mask);
    if (r < 0)
        return r;
    if (a[3] & ~(uint64_t)(G_SFD_NONBLOCK | G_SFD_CLOEXEC))
        return -EINVAL;
    return host_ret(syscall(SYS_signalfd4, (int)a[0], &mask, 8, open_flags_to_host(a[3])));
}

SYSCALL_HANDLER(rt_tgsigqueueinfo)
{
    const siginfo_t *info = GPTR(a[3], sizeof(GuestSiginfo), GPROT_READ);
    if (!info)
        return -EFAULT;
    return host_ret(syscall(SYS_rt_tgsigqueueinfo, (pid_t)a[0], (pid_t)a[1], (int)a[2], info));
}
