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
