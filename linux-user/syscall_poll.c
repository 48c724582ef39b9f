/* Waiting on descriptors: ppoll, pselect6, epoll, and the descriptor kinds made for
 * it (eventfd, timerfd). struct epoll_event is packed on x86-64 (12 bytes) but
 * naturally aligned on riscv64 (16 bytes: events, padding, data), so it is
 * translated; everything else passes through.
 * A signal mask argument applies for the duration of the call (sig_saved_mask):
 * the host call gets it, and the run loop delivers what it let through. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* The optional mask argument: sets the temporary guest mask, gives the host set. */
static int64_t temp_mask(Process *p, Hart *h, uint64_t addr, uint64_t size, uint64_t *host,
                         uint64_t **host_ptr)
{
    *host_ptr = NULL;
    if (!addr)
        return 0;
    uint64_t mask;
    int64_t r = get_guest_sigset(p, addr, size, &mask);
    if (r < 0)
        return r;
    user_signal_set_temp_mask(THREAD, mask);
    *host = user_signal_host_mask(THREAD, mask);
    *host_ptr = host;
    return 0;
}

SYSCALL_HANDLER(ppoll)
{
    if (a[1] > 1u << 20)
        return -EINVAL;
    struct pollfd *fds = GPTR(a[0], a[1] * sizeof(struct pollfd), GPROT_READ | GPROT_WRITE);
    if (!fds && a[1])
        return -EFAULT;
    struct timespec *ts = NULL;
    if (a[2] && !(ts = GPTR(a[2], sizeof *ts, GPROT_READ | GPROT_WRITE)))
        return -EFAULT;
    uint64_t host, *hostp;
    int64_t r = temp_mask(p, h, a[3], a[4], &host, &hostp);
    if (r < 0)
        return r;
    return host_ret(syscall(SYS_ppoll, fds, (nfds_t)a[1], ts, hostp, 8));
}

SYSCALL_HANDLER(pselect6)
{
    int n = (int)a[0];
    if (n < 0)
        return -EINVAL;
    /* Any count: Linux reads the sets up to its descriptor table, which is within
     * RLIMIT_NOFILE (descriptors past FD_SETSIZE work with larger sets). */
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < (rlim_t)n)
        n = (int)lim.rlim_cur;
    size_t bytes = ((size_t)n + 63) / 64 * 8;
    fd_set *sets[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++)
        if (a[1 + i] && !(sets[i] = GPTR(a[1 + i], bytes, GPROT_READ | GPROT_WRITE)))
            return -EFAULT;
    struct timespec *ts = NULL;
    if (a[4] && !(ts = GPTR(a[4], sizeof *ts, GPROT_READ | GPROT_WRITE)))
        return -EFAULT;
    /* The sixth argument points at { const sigset_t *set; size_t size; }. */
    uint64_t host;
    struct { const void *set; size_t size; } sig = {NULL, 8}, *sigp = NULL;
    if (a[5]) {
        const uint64_t *g = GPTR(a[5], 16, GPROT_READ);
        if (!g)
            return -EFAULT;
        uint64_t *hostp;
        int64_t r = temp_mask(p, h, g[0], g[1], &host, &hostp);
        if (r < 0)
            return r;
        sig.set = hostp;
        sigp = &sig;
    }
    return host_ret(syscall(SYS_pselect6, n, sets[0], sets[1], sets[2], ts, sigp));
}

/* ---- epoll ---- */

typedef struct GuestEpollEvent {
    uint32_t events;
    uint32_t pad;
    uint64_t data;
} GuestEpollEvent;

SYSCALL_HANDLER(epoll_create1) { return host_ret(epoll_create1(open_flags_to_host(a[0]) & O_CLOEXEC)); }

SYSCALL_HANDLER(epoll_ctl)
{
    struct epoll_event ev = {0}, *evp = NULL;
    if (a[1] != EPOLL_CTL_DEL || a[3]) {
        const GuestEpollEvent *g = GPTR(a[3], sizeof *g, GPROT_READ);
        if (!g)
            return -EFAULT;
        ev.events = g->events;
        ev.data.u64 = g->data;
        evp = &ev;
    }
    return host_ret(epoll_ctl((int)a[0], (int)a[1], (int)a[2], evp));
}

static int64_t epoll_wait_common(Process *p, Hart *h, const uint64_t *a, const struct timespec *ts,
                                 int timeout_ms, bool use_ts)
{
    int max = (int)a[2];
    if (max <= 0 || max > (1 << 16))
        return -EINVAL;
    GuestEpollEvent *out = GPTR(a[1], (uint64_t)max * sizeof *out, GPROT_WRITE);
    if (!out)
        return -EFAULT;
    uint64_t host, *hostp;
    int64_t r = temp_mask(p, h, a[4], a[5], &host, &hostp);
    if (r < 0)
        return r;
    struct epoll_event *ev = malloc((size_t)max * sizeof *ev);
    if (!ev)
        return -ENOMEM;
    int64_t n = use_ts ? host_ret(syscall(SYS_epoll_pwait2, (int)a[0], ev, max, ts, hostp, 8))
                       : host_ret(syscall(SYS_epoll_pwait, (int)a[0], ev, max, timeout_ms, hostp, 8));
    for (int64_t i = 0; i < n; i++)
        out[i] = (GuestEpollEvent){ev[i].events, 0, ev[i].data.u64};
    free(ev);
    return n;
}

SYSCALL_HANDLER(epoll_pwait) { return epoll_wait_common(p, h, a, NULL, (int)a[3], false); }

SYSCALL_HANDLER(epoll_pwait2)
{
    const struct timespec *ts = NULL;
    if (a[3] && !(ts = GPTR(a[3], sizeof *ts, GPROT_READ)))
        return -EFAULT;
    return epoll_wait_common(p, h, a, ts, 0, true);
}

/* ---- eventfd, timerfd: EFD_ and TFD_ flags are O_NONBLOCK/O_CLOEXEC (+ own bits) ---- */

static int nonblock_cloexec(uint64_t g)
{
    int host = open_flags_to_host(g) & (O_NONBLOCK | O_CLOEXEC);
    return host;
}

SYSCALL_HANDLER(eventfd2)
{
    enum { G_EFD_SEMAPHORE = 1 };
    return host_ret(eventfd((unsigned)a[0], nonblock_cloexec(a[1]) |
                                                ((a[1] & G_EFD_SEMAPHORE) ? EFD_SEMAPHORE : 0)));
}

SYSCALL_HANDLER(timerfd_create)
{
    return host_ret(timerfd_create((int)a[0], nonblock_cloexec(a[1])));
}

/* struct itimerspec: two timespecs on both sides. */
SYSCALL_HANDLER(timerfd_settime)
{
    const struct itimerspec *new_value = GPTR(a[2], sizeof *new_value, GPROT_READ);
    struct itimerspec *old = NULL;
    if (!new_value || (a[3] && !(old = GPTR(a[3], sizeof *old, GPROT_WRITE))))
        return -EFAULT;
    return host_ret(timerfd_settime((int)a[0], (int)a[1], new_value, old));
}

SYSCALL_HANDLER(timerfd_gettime)
{
    struct itimerspec *cur = GPTR(a[1], sizeof *cur, GPROT_WRITE);
    return cur ? host_ret(timerfd_gettime((int)a[0], cur)) : -EFAULT;
}
