/* I/O syscalls on file descriptors: read/write families (vectors, offsets, copies
 * between descriptors), pipes, dup, fcntl, terminal ioctls. Structures passed
 * through unchanged (iovec entries excepted) have the same layout on riscv64 and on
 * 64-bit Linux hosts. Polling is in syscall_poll.c. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
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

/* Converts a guest iovec array; returns the count or -errno. */
int64_t get_iovec(Process *p, uint64_t addr, uint64_t count, int prot, struct iovec *out)
{
    if (count > GUEST_IOV_MAX)
        return -EINVAL;
    const uint64_t *g = GPTR(addr, count * 16, GPROT_READ);
    if (!g && count)
        return -EFAULT;
    for (uint64_t i = 0; i < count; i++) {
        out[i].iov_len = g[2 * i + 1];
        if ((int64_t)out[i].iov_len < 0)
            return -EINVAL;
        out[i].iov_base = GPTR(g[2 * i], out[i].iov_len, prot);
        if (!out[i].iov_base)
            return -EFAULT;
    }
    return (int64_t)count;
}

SYSCALL_HANDLER(readv)
{
    struct iovec *iov = malloc(GUEST_IOV_MAX * sizeof *iov);
    int64_t n = get_iovec(p, a[1], a[2], GPROT_WRITE, iov);
    int64_t r = n < 0 ? n : host_ret(readv((int)a[0], iov, (int)n));
    free(iov);
    return r;
}
SYSCALL_HANDLER(writev)
{
    struct iovec *iov = malloc(GUEST_IOV_MAX * sizeof *iov);
    int64_t n = get_iovec(p, a[1], a[2], GPROT_READ, iov);
    int64_t r = n < 0 ? n : host_ret(writev((int)a[0], iov, (int)n));
    free(iov);
    return r;
}

/* preadv/pwritev and the v2 forms: the offset is one register on 64-bit. */
static int64_t vector_io(Process *p, const uint64_t *a, bool write, bool v2)
{
    struct iovec *iov = malloc(GUEST_IOV_MAX * sizeof *iov);
    int64_t n = get_iovec(p, a[1], a[2], write ? GPROT_READ : GPROT_WRITE, iov);
    int64_t r = n;
    if (n >= 0) {
        int flags = v2 ? (int)a[4] : 0;
        r = write ? host_ret(pwritev2((int)a[0], iov, (int)n, (off_t)a[3], flags))
                  : host_ret(preadv2((int)a[0], iov, (int)n, (off_t)a[3], flags));
    }
    free(iov);
    return r;
}
SYSCALL_HANDLER(preadv) { return vector_io(p, a, false, false); }
SYSCALL_HANDLER(pwritev) { return vector_io(p, a, true, false); }
SYSCALL_HANDLER(preadv2) { return vector_io(p, a, false, true); }
SYSCALL_HANDLER(pwritev2) { return vector_io(p, a, true, true); }

/* Optional in/out offsets (loff_t *) of the copy syscalls. */
static int64_t get_offset_ptr(Process *p, uint64_t addr, loff_t **out)
{
    *out = NULL;
    if (addr && !(*out = GPTR(addr, sizeof(loff_t), GPROT_READ | GPROT_WRITE)))
        return -EFAULT;
    return 0;
}
SYSCALL_HANDLER(sendfile)
{
    loff_t *off;
    if (get_offset_ptr(p, a[2], &off) < 0)
        return -EFAULT;
    return host_ret(sendfile((int)a[0], (int)a[1], (off_t *)off, a[3]));
}
SYSCALL_HANDLER(copy_file_range)
{
    loff_t *off_in, *off_out;
    if (get_offset_ptr(p, a[1], &off_in) < 0 || get_offset_ptr(p, a[3], &off_out) < 0)
        return -EFAULT;
    return host_ret(copy_file_range((int)a[0], off_in, (int)a[2], off_out, a[4], (unsigned)a[5]));
}
SYSCALL_HANDLER(splice)
{
    loff_t *off_in, *off_out;
    if (get_offset_ptr(p, a[1], &off_in) < 0 || get_offset_ptr(p, a[3], &off_out) < 0)
        return -EFAULT;
    return host_ret(splice((int)a[0], off_in, (int)a[2], off_out, a[4], (unsigned)a[5]));
}
SYSCALL_HANDLER(tee) { return host_ret(tee((int)a[0], (int)a[1], a[2], (unsigned)a[3])); }
SYSCALL_HANDLER(vmsplice)
{
    enum { G_SPLICE_F_GIFT = 8 };
    struct iovec *iov = malloc(GUEST_IOV_MAX * sizeof *iov);
    int64_t n = get_iovec(p, a[1], a[2], GPROT_READ, iov);
    /* Never gift guest pages to the kernel: they stay part of the guest map. */
    int64_t r = n < 0 ? n : host_ret(vmsplice((int)a[0], iov, (size_t)n,
                                             (unsigned)a[3] & ~(unsigned)G_SPLICE_F_GIFT));
    free(iov);
    return r;
}

SYSCALL_HANDLER(close_range)
{
    unsigned first = (unsigned)a[0], last = (unsigned)a[1], flags = (unsigned)a[2];
    int hidden = guest_dirty_fd(&p->mem); /* a vfork child's, see guest_track_writes */
    if (hidden < 0 || first > (unsigned)hidden || last < (unsigned)hidden || first > last)
        return host_ret(syscall(SYS_close_range, first, last, flags));
    int64_t r = 0;
    if (first < (unsigned)hidden)
        r = host_ret(syscall(SYS_close_range, first, (unsigned)hidden - 1, flags));
    if (r == 0 && last > (unsigned)hidden)
        r = host_ret(syscall(SYS_close_range, (unsigned)hidden + 1, last, flags));
    return r;
}
SYSCALL_HANDLER(ioprio_set) { return host_ret(syscall(SYS_ioprio_set, (int)a[0], (int)a[1], (int)a[2])); }
SYSCALL_HANDLER(ioprio_get) { return host_ret(syscall(SYS_ioprio_get, (int)a[0], (int)a[1])); }

SYSCALL_HANDLER(dup) { return host_ret(dup((int)a[0])); }
SYSCALL_HANDLER(dup3)
{
    if ((int)a[1] >= 0 && (int)a[1] == guest_dirty_fd(&p->mem))
        guest_dirty_fd_move(&p->mem);
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
uint64_t open_flags_to_guest(int host)
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
    /* struct termios (36 bytes, NCCS 19), winsize and the flag values are the
     * asm-generic ones on both riscv64 and x86-64, as are the request numbers. */
    case TCGETS: case TIOCGWINSZ: case TIOCGPGRP: case FIONREAD: case TIOCOUTQ:
    case TIOCGSID: case TIOCGPTN: case TIOCGETD: {
        size_t size = req == TCGETS ? 36 : req == TIOCGWINSZ ? 8 : 4;
        void *arg = GPTR(a[2], size, GPROT_WRITE);
        return arg ? host_ret(ioctl(fd, req, arg)) : -EFAULT;
    }
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSWINSZ: case TIOCSPGRP: case FIONBIO:
    case FIOASYNC: case TIOCSPTLCK: case TIOCSETD: case TIOCPKT: {
        size_t size = req == TIOCSWINSZ ? 8 : (req == TCSETS || req == TCSETSW || req == TCSETSF) ? 36 : 4;
        void *arg = GPTR(a[2], size, GPROT_READ);
        return arg ? host_ret(ioctl(fd, req, arg)) : -EFAULT;
    }
    case TIOCSCTTY: case TCFLSH: case TCXONC: case TCSBRK: case TCSBRKP: case TIOCNOTTY:
    case FIOCLEX: case FIONCLEX: case TIOCEXCL: case TIOCNXCL: case TIOCGPTPEER:
        return host_ret(ioctl(fd, req, (unsigned long)a[2]));
    /* Network interfaces by name or index: struct ifreq (a 16-byte name and a 24-byte
     * union, no pointer in the members these use) is the same on riscv64 and x86-64. */
    case SIOCGIFNAME: case SIOCGIFINDEX: case SIOCGIFFLAGS: case SIOCGIFADDR:
    case SIOCGIFDSTADDR: case SIOCGIFBRDADDR: case SIOCGIFNETMASK: case SIOCGIFMTU:
    case SIOCGIFHWADDR: case SIOCGIFTXQLEN: case SIOCGIFMETRIC: case SIOCSIFFLAGS: {
        _Static_assert(sizeof(struct ifreq) == 40, "struct ifreq of riscv64");
        void *arg = GPTR(a[2], sizeof(struct ifreq), GPROT_READ | GPROT_WRITE);
        return arg ? host_ret(ioctl(fd, req, arg)) : -EFAULT;
    }
    case SIOCGIFCONF: { /* struct ifconf: int length, pointer to ifreq records */
        struct { int32_t len, pad; uint64_t buf; } *g = GPTR(a[2], 16, GPROT_READ | GPROT_WRITE);
        if (!g)
            return -EFAULT;
        struct ifconf ifc = {.ifc_len = g->len};
        if (g->buf && !(ifc.ifc_buf = GPTR(g->buf, (uint64_t)(uint32_t)g->len, GPROT_WRITE)))
            return -EFAULT;
        int r = ioctl(fd, req, &ifc);
        if (r < 0)
            return -errno;
        g->len = ifc.ifc_len;
        return r;
    }
    default:
        return -ENOTTY;
    }
}
