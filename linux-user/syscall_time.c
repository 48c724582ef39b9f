/* Time syscalls. struct timespec/timeval/tms are two or four 64-bit words on riscv64
 * and on 64-bit hosts alike, so they pass through. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

SYSCALL_HANDLER(clock_gettime)
{
    struct timespec *ts = GPTR(a[1], sizeof *ts, GPROT_WRITE);
    return ts ? host_ret(clock_gettime((clockid_t)a[0], ts)) : -EFAULT;
}
SYSCALL_HANDLER(clock_getres)
{
    struct timespec *ts = NULL;
    if (a[1] && !(ts = GPTR(a[1], sizeof *ts, GPROT_WRITE)))
        return -EFAULT;
    return host_ret(clock_getres((clockid_t)a[0], ts));
}
SYSCALL_HANDLER(gettimeofday)
{
    struct timeval *tv = NULL;
    if (a[0] && !(tv = GPTR(a[0], sizeof *tv, GPROT_WRITE)))
        return -EFAULT;
    return host_ret(gettimeofday(tv, NULL));
}
SYSCALL_HANDLER(nanosleep)
{
    const struct timespec *req = GPTR(a[0], sizeof *req, GPROT_READ);
    struct timespec *rem = NULL;
    if (!req || (a[1] && !(rem = GPTR(a[1], sizeof *rem, GPROT_WRITE))))
        return -EFAULT;
    return host_ret(nanosleep(req, rem));
}
SYSCALL_HANDLER(clock_nanosleep)
{
    const struct timespec *req = GPTR(a[2], sizeof *req, GPROT_READ);
    struct timespec *rem = NULL;
    if (!req || (a[3] && !(rem = GPTR(a[3], sizeof *rem, GPROT_WRITE))))
        return -EFAULT;
    int r = clock_nanosleep((clockid_t)a[0], (int)a[1], req, rem);
    return -r; /* returns the error number directly */
}
SYSCALL_HANDLER(times)
{
    struct tms *t = NULL;
    if (a[0] && !(t = GPTR(a[0], sizeof *t, GPROT_WRITE)))
        return -EFAULT;
    return host_ret((int64_t)times(t));
}
SYSCALL_HANDLER(clock_settime)
{
    const struct timespec *ts = GPTR(a[1], sizeof *ts, GPROT_READ);
    return ts ? host_ret(clock_settime((clockid_t)a[0], ts)) : -EFAULT;
}

/* Interval timers (alarm() is setitimer(ITIMER_REAL) on riscv64): the host's timers
 * signal the rvx process, and the guest's handler runs through the host handler. */
SYSCALL_HANDLER(getitimer)
{
    struct itimerval *v = GPTR(a[1], sizeof *v, GPROT_WRITE);
    return v ? host_ret(getitimer((int)a[0], v)) : -EFAULT;
}
SYSCALL_HANDLER(setitimer)
{
    const struct itimerval *v = NULL;
    struct itimerval *old = NULL;
    if (a[1] && !(v = GPTR(a[1], sizeof *v, GPROT_READ)))
        return -EFAULT;
    if (a[2] && !(old = GPTR(a[2], sizeof *old, GPROT_WRITE)))
        return -EFAULT;
    return host_ret(syscall(SYS_setitimer, (int)a[0], v, old));
}

/* POSIX timers. struct sigevent (64 bytes: value, signo, notify, thread id) matches;
 * SIGEV_THREAD is implemented by the guest's libc on top of SIGEV_THREAD_ID, whose
 * thread id is a host thread id here. */
SYSCALL_HANDLER(timer_create)
{
    const void *sev = NULL;
    if (a[1] && !(sev = GPTR(a[1], 64, GPROT_READ)))
        return -EFAULT;
    int32_t *id = GPTR(a[2], 4, GPROT_WRITE);
    if (!id)
        return -EFAULT;
    return host_ret(syscall(SYS_timer_create, (clockid_t)a[0], sev, id));
}
SYSCALL_HANDLER(timer_settime)
{
    const struct itimerspec *v = GPTR(a[2], sizeof *v, GPROT_READ);
    struct itimerspec *old = NULL;
    if (!v || (a[3] && !(old = GPTR(a[3], sizeof *old, GPROT_WRITE))))
        return -EFAULT;
    return host_ret(syscall(SYS_timer_settime, (int)a[0], (int)a[1], v, old));
}
SYSCALL_HANDLER(timer_gettime)
{
    struct itimerspec *v = GPTR(a[1], sizeof *v, GPROT_WRITE);
    return v ? host_ret(syscall(SYS_timer_gettime, (int)a[0], v)) : -EFAULT;
}
SYSCALL_HANDLER(timer_getoverrun) { return host_ret(syscall(SYS_timer_getoverrun, (int)a[0])); }
SYSCALL_HANDLER(timer_delete) { return host_ret(syscall(SYS_timer_delete, (int)a[0])); }
