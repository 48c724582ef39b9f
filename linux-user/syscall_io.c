/* I/O syscalls on file descriptors: read/write families, pipes, dup, fcntl, terminal
 * ioctls and polling. Structures passed through unchanged (iovec entries excepted)
 * have the same layout on riscv64 and on 64-bit Linux hosts. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

SYSCALL_HANDLER(read)
{
    void *buf = GPTR(a[1], a[2], GPROT_WRITE);
    return buf ? host_ret(read((int)a[0], buf, a[2])) : -EFAULT;
}
SYSCALL_HANDLER(write)
{
    const void *buf = GPTR(a[1], a[2], GPROT_READ);
    return buf ? host_ret(write((int)a[0], buf, a[2])) : -EFAULT;
}
SYSCALL_HANDLER(pread64)
{
    void *buf = GPTR(a[1], a[2], GPROT_WRITE);
    return buf ? host_ret(pread((int)a[0], buf, a[2], (off_t)a[3])) : -EFAULT;
}
SYSCALL_HANDLER(pwrite64)
{
    const void *buf = GPTR(a[1], a[2], GPROT_READ);
    return buf ? host_ret(pwrite((int)a[0], buf, a[2], (off_t)a[3])) : -EFAULT;
}
SYSCALL_HANDLER(lseek) { return host_ret(lseek((int)a[0], (off_t)a[1], (int)a[2])); }

enum { MAX_IOV = 1024 };

/* Converts a guest iovec array; returns the count or -errno. */
static int64_t get_iovec(Process *p, uint64_t addr, uint64_t count, int prot, struct iovec *out)
{
    if (count > MAX_IOV)
        return -EINVAL;
    const uint64_t *g = GPTR(addr, count * 16, GPROT_READ);
    if (!g && count)
        return -EFAULT;
    for (uint64_t i = 0; i < count; i++) {
        out[i].iov_len = g[2 * i + 1];
        out[i].iov_base = GPTR(g[2 * i], out[i].iov_len, prot);
        if (!out[i].iov_base)
            return -EFAULT;
    }
    return (int64_t)count;
}

SYSCALL_HANDLER(readv)
{
    struct iovec *iov = malloc(MAX_IOV * sizeof *iov);
    int64_t n = get_iovec(p, a[1], a[2], GPROT_WRITE, iov);
    int64_t r = n < 0 ? n : host_ret(readv((int)a[0], iov, (int)n));
    free(iov);
    return r;
}
SYSCALL_HANDLER(writev)
{
    struct iovec *iov = malloc(MAX_IOV * sizeof *iov);
    int64_t n = get_iovec(p, a[1], a[2], GPROT_READ, iov);
    int64_t r = n < 0 ? n : host_ret(writev((int)a[0], iov, (int)n));
    free(iov);
    return r;
}

SYSCALL_HANDLER(dup) { return host_ret(dup((int)a[0])); }
SYSCALL_HANDLER(dup3)
{
    return host_ret(dup3((int)a[0], (int)a[1], open_flags_to_host(a[2]) & O_CLOEXEC));
}

SYSCALL_HANDLER(pipe2)
{
    int *fds = GPTR(a[0], 2 * sizeof(int), GPROT_WRITE);
    if (!fds)
        return -EFAULT;
    return host_ret(pipe2(fds, open_flags_to_host(a[1])));
}

/* Host O_* flags back to the asm-generic values the guest expects. */
static uint64_t open_flags_to_guest(int host)
{
    uint64_t g = 0;
    for (uint64_t bit = 1; bit < (1u << 24); bit <<= 1)
        if (open_flags_to_host(bit) && (host & open_flags_to_host(bit)) == open_flags_to_host(bit))
            g |= bit;
    return g;
}

SYSCALL_HANDLER(fcntl)
{
    int fd = (int)a[0], cmd = (int)a[1];
    switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC: case F_GETFD: case F_SETFD:
    case F_GETPIPE_SZ: case F_SETPIPE_SZ: case F_GETOWN: case F_SETOWN:
        return host_ret(fcntl(fd, cmd, (int)a[2]));
    case F_GETFL: {
        int r = fcntl(fd, F_GETFL);
        return r < 0 ? -errno : (int64_t)open_flags_to_guest(r);
    }
    case F_SETFL:
        return host_ret(fcntl(fd, F_SETFL, open_flags_to_host(a[2])));
    case F_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_GETLK: case F_OFD_SETLK:
    case F_OFD_SETLKW: {
        struct flock *fl = GPTR(a[2], sizeof *fl, GPROT_READ | GPROT_WRITE);
        return fl ? host_ret(fcntl(fd, cmd, fl)) : -EFAULT;
    }
    default:
        return -EINVAL;
    }
}

SYSCALL_HANDLER(ioctl)
{
    int fd = (int)a[0];
    unsigned long req = (unsigned long)a[1];
    switch (req) {
    case TCGETS: case TIOCGWINSZ: case TIOCGPGRP: case FIONREAD: {
        size_t size = req == TCGETS ? 36 : req == TIOCGWINSZ ? 8 : 4;
        void *arg = GPTR(a[2], size, GPROT_WRITE);
        return arg ? host_ret(ioctl(fd, req, arg)) : -EFAULT;
    }
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSWINSZ: case TIOCSPGRP: case FIONBIO: {
        size_t size = req == TIOCSWINSZ ? 8 : (req == TIOCSPGRP || req == FIONBIO) ? 4 : 36;
        void *arg = GPTR(a[2], size, GPROT_READ);
        return arg ? host_ret(ioctl(fd, req, arg)) : -EFAULT;
    }
    case TIOCSCTTY: case TCFLSH: case TCXONC: case TCSBRK:
        return host_ret(ioctl(fd, req, (unsigned long)a[2]));
    default:
        return -ENOTTY;
    }
}

SYSCALL_HANDLER(ppoll)
{
    struct pollfd *fds = GPTR(a[0], a[1] * sizeof(struct pollfd), GPROT_READ | GPROT_WRITE);
    if (!fds && a[1])
        return -EFAULT;
    const struct timespec *ts = NULL;
    if (a[2] && !(ts = GPTR(a[2], sizeof *ts, GPROT_READ)))
        return -EFAULT;
    const sigset_t *mask = NULL;
    if (a[3] && !(mask = GPTR(a[3], 8, GPROT_READ)))
        return -EFAULT;
    return host_ret(syscall(SYS_ppoll, fds, (nfds_t)a[1], ts, mask, a[3] ? 8 : 0));
}

SYSCALL_HANDLER(pselect6)
{
    int n = (int)a[0];
    if (n < 0 || n > FD_SETSIZE)
        return -EINVAL;
    size_t bytes = ((size_t)n + 63) / 64 * 8;
    fd_set *sets[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++)
        if (a[1 + i] && !(sets[i] = GPTR(a[1 + i], bytes, GPROT_READ | GPROT_WRITE)))
            return -EFAULT;
    struct timespec *ts = NULL;
    if (a[4] && !(ts = GPTR(a[4], sizeof *ts, GPROT_READ | GPROT_WRITE)))
        return -EFAULT;
    struct { const void *set; size_t size; } sig = {NULL, 8}, *sigp = NULL;
    if (a[5]) {
        const uint64_t *g = GPTR(a[5], 16, GPROT_READ);
        if (!g)
            return -EFAULT;
        if (g[0] && !(sig.set = GPTR(g[0], 8, GPROT_READ)))
            return -EFAULT;
        sigp = &sig;
    }
    return host_ret(syscall(SYS_pselect6, n, sets[0], sets[1], sets[2], ts, sigp));
}
