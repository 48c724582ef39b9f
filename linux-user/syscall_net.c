/* Socket syscalls. Addresses, socket options and control messages (cmsghdr,
 * SCM_RIGHTS, SCM_CREDENTIALS, timestamps) have the same layout on riscv64 and
 * x86-64, as do the SOCK_*, SOL_*, SO_* and MSG_* numbers; only the pointers inside
 * struct msghdr/mmsghdr and iovecs need translating. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

SYSCALL_HANDLER(socket) { return host_ret(socket((int)a[0], (int)a[1], (int)a[2])); }

SYSCALL_HANDLER(socketpair)
{
    int *sv = GPTR(a[3], 2 * sizeof(int), GPROT_WRITE);
    return sv ? host_ret(socketpair((int)a[0], (int)a[1], (int)a[2], sv)) : -EFAULT;
}

SYSCALL_HANDLER(bind)
{
    const struct sockaddr *addr = GPTR(a[1], a[2], GPROT_READ);
    return addr ? host_ret(bind((int)a[0], addr, (socklen_t)a[2])) : -EFAULT;
}

SYSCALL_HANDLER(connect)
{
    const struct sockaddr *addr = GPTR(a[1], a[2], GPROT_READ);
    return addr ? host_ret(connect((int)a[0], addr, (socklen_t)a[2])) : -EFAULT;
}

SYSCALL_HANDLER(listen) { return host_ret(listen((int)a[0], (int)a[1])); }
SYSCALL_HANDLER(shutdown) { return host_ret(shutdown((int)a[0], (int)a[1])); }

/* An optional (struct sockaddr *, socklen_t *) result pair. */
static int64_t addr_out(Process *p, uint64_t addr, uint64_t len_addr, struct sockaddr **out,
                        socklen_t **len)
{
    *out = NULL;
    *len = NULL;
    if (!addr)
        return 0;
    if (!(*len = GPTR(len_addr, sizeof(socklen_t), GPROT_READ | GPROT_WRITE)))
        return -EFAULT;
    if ((int)**len < 0)
        return -EINVAL;
    if (!(*out = GPTR(addr, **len, GPROT_WRITE)))
        return -EFAULT;
    return 0;
}

SYSCALL_HANDLER(accept4)
{
    struct sockaddr *addr;
    socklen_t *len;
    int64_t r = addr_out(p, a[1], a[2], &addr, &len);
    return r < 0 ? r : host_ret(accept4((int)a[0], addr, len, (int)a[3]));
}
SYSCALL_HANDLER(accept)
{
    const uint64_t b[4] = {a[0], a[1], a[2], 0};
    return sys_accept4(p, h, b);
}

SYSCALL_HANDLER(getsockname)
{
    struct sockaddr *addr;
    socklen_t *len;
    int64_t r = addr_out(p, a[1], a[2], &addr, &len);
    if (r < 0)
        return r;
    return addr ? host_ret(getsockname((int)a[0], addr, len)) : -EFAULT;
}
SYSCALL_HANDLER(getpeername)
{
    struct sockaddr *addr;
    socklen_t *len;
    int64_t r = addr_out(p, a[1], a[2], &addr, &len);
    if (r < 0)
        return r;
    return addr ? host_ret(getpeername((int)a[0], addr, len)) : -EFAULT;
}

SYSCALL_HANDLER(sendto)
{
    const void *buf = GPTR(a[1], a[2], GPROT_READ);
    const struct sockaddr *addr = NULL;
    if (!buf || (a[4] && !(addr = GPTR(a[4], a[5], GPROT_READ))))
        return -EFAULT;
    return host_ret(sendto((int)a[0], buf, a[2], (int)a[3], addr, (socklen_t)a[5]));
}

SYSCALL_HANDLER(recvfrom)
{
    void *buf = GPTR(a[1], a[2], GPROT_WRITE);
    if (!buf)
        return -EFAULT;
    struct sockaddr *addr;
    socklen_t *len;
    int64_t r = addr_out(p, a[4], a[5], &addr, &len);
    return r < 0 ? r : host_ret(recvfrom((int)a[0], buf, a[2], (int)a[3], addr, len));
}

SYSCALL_HANDLER(setsockopt)
{
    const void *val = GPTR(a[3], a[4], GPROT_READ);
    return val || !a[4] ? host_ret(setsockopt((int)a[0], (int)a[1], (int)a[2], val, (socklen_t)a[4]))
                        : -EFAULT;
}

SYSCALL_HANDLER(getsockopt)
{
    socklen_t *len = GPTR(a[4], sizeof(socklen_t), GPROT_READ | GPROT_WRITE);
    if (!len)
        return -EFAULT;
    if ((int)*len < 0)
        return -EINVAL;
    void *val = GPTR(a[3], *len, GPROT_WRITE);
    if (!val && *len)
        return -EFAULT;
    return host_ret(getsockopt((int)a[0], (int)a[1], (int)a[2], val, len));
}

/* ---- sendmsg / recvmsg ---- */

typedef struct GuestMsghdr {
    uint64_t name;
    uint32_t namelen, pad0;
    uint64_t iov, iovlen;
    uint64_t control, controllen;
    int32_t flags, pad1;
} GuestMsghdr;
_Static_assert(sizeof(GuestMsghdr) == 56, "struct msghdr on riscv64");

typedef struct GuestMmsghdr {
    GuestMsghdr hdr;
    uint32_t len, pad;
} GuestMmsghdr;

/* A host msghdr for the guest's; `iov` has room for GUEST_IOV_MAX entries. */
static int64_t get_msghdr(Process *p, const GuestMsghdr *g, bool receive, struct msghdr *m,
                          struct iovec *iov)
{
    int prot = receive ? GPROT_WRITE : GPROT_READ;
    memset(m, 0, sizeof *m);
    if (g->name && g->namelen && !(m->msg_name = GPTR(g->name, g->namelen, prot)))
        return -EFAULT;
    m->msg_namelen = m->msg_name ? g->namelen : 0;
    int64_t n = get_iovec(p, g->iov, g->iovlen, prot, iov);
    if (n < 0)
        return n;
    m->msg_iov = iov;
    m->msg_iovlen = (size_t)n;
    if (g->control && g->controllen &&
        !(m->msg_control = GPTR(g->control, g->controllen, prot)))
        return -EFAULT;
    m->msg_controllen = m->msg_control ? g->controllen : 0;
    m->msg_flags = g->flags;
    return 0;
}

static void put_msghdr(GuestMsghdr *g, const struct msghdr *m)
{
    g->namelen = m->msg_namelen;
    g->controllen = m->msg_controllen;
    g->flags = m->msg_flags;
}

static int64_t msg_io(Process *p, int fd, uint64_t addr, int flags, bool receive)
{
    GuestMsghdr *g = GPTR(addr, sizeof *g, receive ? GPROT_READ | GPROT_WRITE : GPROT_READ);
    if (!g)
        return -EFAULT;
    struct iovec *iov = malloc(GUEST_IOV_MAX * sizeof *iov);
    struct msghdr m;
    int64_t r = get_msghdr(p, g, receive, &m, iov);
    if (r == 0) {
        r = receive ? host_ret(recvmsg(fd, &m, flags)) : host_ret(sendmsg(fd, &m, flags));
        if (r >= 0 && receive)
            put_msghdr(g, &m);
    }
    free(iov);
    return r;
}

SYSCALL_HANDLER(sendmsg) { return msg_io(p, (int)a[0], a[1], (int)a[2], false); }
SYSCALL_HANDLER(recvmsg) { return msg_io(p, (int)a[0], a[1], (int)a[2], true); }

/* The multi-message forms, one message at a time: the results are the same except
 * that a timeout (recvmmsg) is checked between messages only. */
static int64_t mmsg_io(Process *p, const uint64_t *a, bool receive)
{
    enum { G_MSG_WAITFORONE = 0x10000 };
    unsigned vlen = (unsigned)a[2];
    if (vlen > 1024)
        vlen = 1024;
    GuestMmsghdr *v = GPTR(a[1], (uint64_t)vlen * sizeof *v, GPROT_READ | GPROT_WRITE);
    if (!v && vlen)
        return -EFAULT;
    int flags = (int)a[3];
    unsigned done = 0;
    for (; done < vlen; done++) {
        int f = flags & ~G_MSG_WAITFORONE;
        if (receive && (flags & G_MSG_WAITFORONE) && done > 0)
            f |= MSG_DONTWAIT;
        int64_t r = msg_io(p, (int)a[0], a[1] + done * sizeof *v, f, receive);
        if (r < 0) {
            if (done == 0)
                return r;
            break;
        }
        v[done].len = (uint32_t)r;
    }
    return done;
}

SYSCALL_HANDLER(sendmmsg) { return mmsg_io(p, a, false); }
SYSCALL_HANDLER(recvmmsg) { return mmsg_io(p, a, true); }
