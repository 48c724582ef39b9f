/* Signal syscalls. Dispositions are recorded per guest signal; SIG_IGN and SIG_DFL
 * are mirrored onto the host so ignored signals (SIGPIPE, SIGINT in background jobs)
 * behave as the guest asked. Guest handler functions are recorded but not yet
 * invoked: a signal whose guest handler is a function keeps its default action. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <signal.h>
#include <string.h>

enum { GUEST_NSIG = 65, G_SIG_DFL = 0, G_SIG_IGN = 1 };

/* riscv64's kernel struct sigaction: no sa_restorer. */
typedef struct GuestSigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t mask;
} GuestSigaction;

static GuestSigaction actions[GUEST_NSIG];
static uint64_t blocked;

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
    GuestSigaction prev = actions[sig];
    if (act) {
        actions[sig] = *act;
        if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE)
            signal(sig, act->handler == G_SIG_IGN ? SIG_IGN : SIG_DFL);
    }
    if (old)
        *old = prev;
    return 0;
}

SYSCALL_HANDLER(rt_sigprocmask)
{
    enum { G_SIG_BLOCK = 0, G_SIG_UNBLOCK = 1, G_SIG_SETMASK = 2 };
    if (a[3] != 8)
        return -EINVAL;
    const uint64_t *set = NULL;
    uint64_t *old = NULL;
    if (a[1] && !(set = GPTR(a[1], 8, GPROT_READ)))
        return -EFAULT;
    if (a[2] && !(old = GPTR(a[2], 8, GPROT_WRITE)))
        return -EFAULT;
    uint64_t prev = blocked;
    if (set) {
        switch (a[0]) {
        case G_SIG_BLOCK: blocked |= *set; break;
        case G_SIG_UNBLOCK: blocked &= ~*set; break;
        case G_SIG_SETMASK: blocked = *set; break;
        default: return -EINVAL;
        }
    }
    if (old)
        *old = prev;
    return 0;
}

SYSCALL_HANDLER(sigaltstack)
{
    if (a[1]) {
        uint64_t *old = GPTR(a[1], 24, GPROT_WRITE);
        if (!old)
            return -EFAULT;
        memset(old, 0, 24);
        old[1] = 2; /* SS_DISABLE in ss_flags (int at offset 8) */
    }
    return 0;
}
