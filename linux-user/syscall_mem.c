/* Memory syscalls: brk, mmap family, mprotect, madvise, msync/mlock/mincore,
 * memfd_create, riscv_hwprobe and riscv_flush_icache.
 * Every change to the guest map happens under p->lock and ends in
 * process_map_changed or process_range_changed: all harts drop their TLBs, and their
 * decoded code too when the change touched executable pages (unmapped or remapped
 * code must not run; the calling thread drops only that range's). */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/exec.h"

enum {
    G_MAP_SHARED = 0x01, G_MAP_PRIVATE = 0x02, G_MAP_SHARED_VALIDATE = 0x03,
    G_MAP_FIXED = 0x10, G_MAP_ANONYMOUS = 0x20, G_MAP_GROWSDOWN = 0x100,
    G_MAP_FIXED_NOREPLACE = 0x100000,
    G_MREMAP_MAYMOVE = 1, G_MREMAP_FIXED = 2, G_MREMAP_DONTUNMAP = 4,
};

static uint64_t page_up(uint64_t v) { return (v + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK; }

static bool range_ok(uint64_t addr, uint64_t len)
{
    return addr < GUEST_SPACE_SIZE && len <= GUEST_SPACE_SIZE - addr;
}

/* The guest's name for a mapped file: its host path without the sysroot prefix. */
static void describe_file(Process *p, uint64_t addr, uint64_t len, int fd, uint64_t offset)
{
    struct stat st;
    char link[64], path[PATH_MAX];
    if (fstat(fd, &st) < 0)
        return;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return;
    path[n] = 0;
    GuestMapInfo info = {st.st_dev, st.st_ino, user_guest_name(p, path), offset};
    guest_map_describe(&p->mem, addr, len, &info);
}

SYSCALL_HANDLER(mmap)
{
    uint64_t addr = a[0], len = page_up(a[1]), flags = a[3], off = a[5];
    int prot = (int)(a[2] & 7), fd = (int)a[4];
    if (a[1] == 0 || len < a[1] || (off & ~GUEST_PAGE_MASK))
        return -EINVAL;
    unsigned type = flags & 3;
    if (type != G_MAP_SHARED && type != G_MAP_PRIVATE && type != G_MAP_SHARED_VALIDATE)
        return -EINVAL;
    bool anonymous = flags & G_MAP_ANONYMOUS;
    if (!anonymous) {
        struct stat st;
        if (fstat(fd, &st) < 0)
            return -EBADF;
    }
    pthread_mutex_lock(&p->lock);
    int64_t r;
    bool code = false;
    if (flags & (G_MAP_FIXED | G_MAP_FIXED_NOREPLACE)) {
        if ((addr & ~GUEST_PAGE_MASK) || !range_ok(addr, len)) {
            r = -EINVAL;
            goto out;
        }
        if ((flags & G_MAP_FIXED_NOREPLACE) && !(flags & G_MAP_FIXED) &&
            !guest_range_free(&p->mem, addr, len)) {
            r = -EEXIST;
            goto out;
        }
        code = guest_range_has_exec(&p->mem, addr, len);
    } else {
        addr = guest_find_free(&p->mem, addr & GUEST_PAGE_MASK, len);
        if (!addr) {
            r = -ENOMEM;
            goto out;
        }
    }
    if (!user_limits_allow(p, addr, len, flags & G_MAP_FIXED,
                           (prot & GPROT_WRITE) && type == G_MAP_PRIVATE && !(flags & G_MAP_GROWSDOWN))) {
        r = -ENOMEM;
        goto out;
    }
    /* Shared anonymous memory stays shared with forked children (host MAP_SHARED). */
    r = guest_map(&p->mem, addr, len, prot, anonymous ? -1 : fd, anonymous ? 0 : off,
                  type != G_MAP_PRIVATE);
    if (r == 0) {
        if (!anonymous)
            describe_file(p, addr, len, fd, off);
        else if (type != G_MAP_PRIVATE)
            guest_map_describe(&p->mem, addr, len, &(GuestMapInfo){.name = "/dev/zero (deleted)"});
        else if (flags & G_MAP_GROWSDOWN)
            guest_map_describe(&p->mem, addr, len, &(GuestMapInfo){.name = "[stack]"});
        process_range_changed(p, THREAD, addr, len, code);
        r = (int64_t)addr;
    }
out:
    pthread_mutex_unlock(&p->lock);
    return r;
}

SYSCALL_HANDLER(munmap)
{
    uint64_t addr = a[0], len = page_up(a[1]);
    if ((addr & ~GUEST_PAGE_MASK) || a[1] == 0 || !range_ok(addr, len))
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    bool code = guest_range_has_exec(&p->mem, addr, len);
    guest_unmap(&p->mem, addr, len);
    process_range_changed(p, THREAD, addr, len, code);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

SYSCALL_HANDLER(mprotect)
{
    uint64_t addr = a[0], len = page_up(a[1]);
    if ((addr & ~GUEST_PAGE_MASK) || !range_ok(addr, len))
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    int64_t r = 0;
    for (uint64_t x = addr; x < addr + len; x += GUEST_PAGE_SIZE)
        if (!(guest_page_prot(&p->mem, x) & GPROT_MAPPED))
            r = -ENOMEM;
    if (r == 0) {
        bool code = guest_range_has_exec(&p->mem, addr, len);
        r = guest_protect(&p->mem, addr, len, (int)(a[2] & 7));
        process_range_changed(p, THREAD, addr, len, code);
    }
    pthread_mutex_unlock(&p->lock);
    return r;
}

/* MREMAP_DONTUNMAP: the pages go to `want` (MREMAP_FIXED), or to a free range for
 * which `want` is a hint, and the old range stays mapped without them. Linux checks
 * the hint as a fixed address: page aligned, not overlapping the old range. */
static int64_t move_keeping_old(Process *p, Hart *h, uint64_t old, uint64_t len, uint64_t flags,
                                uint64_t want)
{
    if ((want & ~GUEST_PAGE_MASK) || !range_ok(want, len) || (want < old + len && old < want + len))
        return -EINVAL;
    uint64_t to = (flags & G_MREMAP_FIXED) ? want : guest_find_free(&p->mem, want, len);
    if (!to || !user_limits_allow(p, to, len, true, guest_is_data(&p->mem, old)))
        return -ENOMEM;
    bool code = guest_range_has_exec(&p->mem, old, len) || guest_range_has_exec(&p->mem, to, len);
    int r = guest_move_keep(&p->mem, old, len, to);
    if (r < 0)
        return r;
    process_map_changed(p, THREAD, code);
    return (int64_t)to;
}

static int64_t do_mremap(Process *p, Hart *h, const uint64_t *a)
{
    uint64_t old = a[0], old_len = page_up(a[1]), new_len = page_up(a[2]), flags = a[3];
    if ((old & ~GUEST_PAGE_MASK) || new_len == 0 || !range_ok(old, old_len) ||
        (flags & ~(uint64_t)(G_MREMAP_MAYMOVE | G_MREMAP_FIXED | G_MREMAP_DONTUNMAP)) ||
        ((flags & G_MREMAP_FIXED) && !(flags & G_MREMAP_MAYMOVE)) ||
        ((flags & G_MREMAP_DONTUNMAP) && (!(flags & G_MREMAP_MAYMOVE) || old_len != new_len)))
        return -EINVAL;
    if (!guest_ptr(&p->mem, old, old_len, GPROT_MAPPED))
        return -EFAULT;
    if (flags & G_MREMAP_DONTUNMAP)
        return move_keeping_old(p, h, old, old_len, flags, a[4]);
    bool code = guest_range_has_exec(&p->mem, old, old_len);
    if (new_len > old_len &&
        !user_limits_allow(p, old + old_len, new_len - old_len, false, guest_is_data(&p->mem, old)))
        return -ENOMEM;
    if (new_len <= old_len && !(flags & G_MREMAP_FIXED)) {
        guest_unmap(&p->mem, old + new_len, old_len - new_len);
        process_range_changed(p, THREAD, old + new_len, old_len - new_len, code);
        return (int64_t)old;
    }
    if (!(flags & G_MREMAP_FIXED) && range_ok(old + old_len, new_len - old_len) &&
        guest_range_free(&p->mem, old + old_len, new_len - old_len)) {
        /* Grow in place: one mapping, whose new pages are zeros or the file's. */
        int r = guest_move(&p->mem, old, old_len, old, new_len);
        if (r < 0)
            return r;
        process_map_changed(p, THREAD, code);
        return (int64_t)old;
    }
    if (!(flags & G_MREMAP_MAYMOVE))
        return -ENOMEM;
    uint64_t to = (flags & G_MREMAP_FIXED) ? a[4] : guest_find_free(&p->mem, 0, new_len);
    if (!to || (to & ~GUEST_PAGE_MASK) || !range_ok(to, new_len))
        return (flags & G_MREMAP_FIXED) ? -EINVAL : -ENOMEM;
    if ((flags & G_MREMAP_FIXED) && to < old + old_len && old < to + new_len)
        return -EINVAL;
    code |= guest_range_has_exec(&p->mem, to, new_len);
    int r = guest_move(&p->mem, old, old_len, to, new_len);
    if (r < 0)
        return r;
    process_map_changed(p, THREAD, code);
    return (int64_t)to;
}

SYSCALL_HANDLER(mremap)
{
    pthread_mutex_lock(&p->lock);
    int64_t r = do_mremap(p, h, a);
    pthread_mutex_unlock(&p->lock);
    return r;
}

SYSCALL_HANDLER(madvise)
{
    enum { G_MADV_DONTNEED = 4, G_MADV_REMOVE = 9, G_MADV_FREE = 8 };
    uint64_t addr = a[0], len = page_up(a[1]);
    if ((addr & ~GUEST_PAGE_MASK) || !range_ok(addr, len))
        return -EINVAL;
    if (!guest_ptr(&p->mem, addr, len, GPROT_MAPPED))
        return -ENOMEM;
    /* DONTNEED on private anonymous memory reads back as zeros afterwards; the
     * host madvise gives exactly that (and refetches file pages). Other advice is
     * a hint with no visible effect. */
    if (a[2] == G_MADV_DONTNEED || a[2] == G_MADV_REMOVE)
        return host_ret(madvise(guest_host(&p->mem, addr), len, (int)a[2]));
    return 0;
}

static int64_t host_range_call(Process *p, const uint64_t *a, int (*fn)(void *, size_t, int),
                               int arg, bool need_aligned)
{
    uint64_t addr = a[0], len = page_up(a[1]);
    if ((need_aligned && (addr & ~GUEST_PAGE_MASK)) || !range_ok(addr, len))
        return -EINVAL;
    uint64_t start = addr & GUEST_PAGE_MASK;
    if (!guest_ptr(&p->mem, start, page_up(addr + a[1]) - start, GPROT_MAPPED))
        return -ENOMEM;
    return host_ret(fn(guest_host(&p->mem, start), page_up(addr + a[1]) - start, arg));
}
static int msync_fn(void *addr, size_t len, int flags) { return msync(addr, len, flags); }
static int mlock_fn(void *addr, size_t len, int unused) { return mlock(addr, len); }
static int munlock_fn(void *addr, size_t len, int unused) { return munlock(addr, len); }
SYSCALL_HANDLER(msync) { return host_range_call(p, a, msync_fn, (int)a[2], true); }
SYSCALL_HANDLER(mlock) { return host_range_call(p, a, mlock_fn, 0, false); }
SYSCALL_HANDLER(munlock) { return host_range_call(p, a, munlock_fn, 0, false); }
/* Locking the whole host process (the 256 GiB reservation) is not what the guest
 * means; its own pages are few, and locking is only a residency hint here. */
SYSCALL_HANDLER(mlockall) { return (a[0] & ~7ull) || !a[0] ? -EINVAL : 0; }
SYSCALL_HANDLER(munlockall) { return 0; }

SYSCALL_HANDLER(mincore)
{
    uint64_t addr = a[0], len = page_up(a[1]);
    if ((addr & ~GUEST_PAGE_MASK) || !range_ok(addr, len))
        return -EINVAL;
    uint8_t *vec = GPTR(a[2], len >> 12, GPROT_WRITE);
    if (!vec)
        return -EFAULT;
    if (!guest_ptr(&p->mem, addr, len, GPROT_MAPPED))
        return -ENOMEM;
    return host_ret(mincore(guest_host(&p->mem, addr), len, vec));
}

SYSCALL_HANDLER(brk)
{
    uint64_t want = a[0];
    pthread_mutex_lock(&p->lock);
    if (want < p->brk_start || !range_ok(p->brk_start, want - p->brk_start))
        goto out;
    uint64_t cur_end = page_up(p->brk_cur), new_end = page_up(want);
    if (new_end > cur_end) {
        if (!guest_range_free(&p->mem, cur_end, new_end - cur_end) ||
            !user_limits_allow(p, cur_end, new_end - cur_end, false, true) ||
            guest_map(&p->mem, cur_end, new_end - cur_end, GPROT_READ | GPROT_WRITE, -1, 0,
                      false) < 0)
            goto out;
        guest_map_describe(&p->mem, cur_end, new_end - cur_end,
                           &(GuestMapInfo){.name = "[heap]"});
        process_map_changed(p, THREAD, false);
    } else if (new_end < cur_end) {
        guest_unmap(&p->mem, new_end, cur_end - new_end);
        process_map_changed(p, THREAD, false);
    }
    p->brk_cur = want;
out:
    want = p->brk_cur;
    pthread_mutex_unlock(&p->lock);
    return (int64_t)want;
}

SYSCALL_HANDLER(memfd_create)
{
    const char *name = GSTR(a[0]);
    if (!name)
        return -EFAULT;
    /* MFD_* flags are the same numbers on every architecture. */
    return host_ret(memfd_create(name, (unsigned)a[1]));
}

/* riscv_hwprobe (arch/riscv/include/uapi/asm/hwprobe.h): what rvx's harts
 * implement. Keys we do not know get key = -1, as the kernel does. */
enum {
    HWPROBE_KEY_MVENDORID = 0, HWPROBE_KEY_MARCHID = 1, HWPROBE_KEY_MIMPID = 2,
    HWPROBE_KEY_BASE_BEHAVIOR = 3, HWPROBE_KEY_IMA_EXT_0 = 4, HWPROBE_KEY_CPUPERF_0 = 5,
    HWPROBE_KEY_ZICBOZ_BLOCK_SIZE = 6,
};
#define HWPROBE_BASE_BEHAVIOR_IMA (1ull << 0)
#define HWPROBE_IMA_FD (1ull << 0)
#define HWPROBE_IMA_C (1ull << 1)
#define HWPROBE_EXT_ZBA (1ull << 3)
#define HWPROBE_EXT_ZBB (1ull << 4)
#define HWPROBE_EXT_ZBS (1ull << 5)
#define HWPROBE_EXT_ZICBOZ (1ull << 6)
#define HWPROBE_EXT_ZBC (1ull << 7)
#define HWPROBE_EXT_ZICOND (1ull << 35)
#define HWPROBE_MISALIGNED_EMULATED 1ull

SYSCALL_HANDLER(riscv_hwprobe)
{
    uint64_t count = a[1];
    if (a[4] != 0)
        return -EINVAL;
    if (count > (1u << 20))
        return -EINVAL;
    int64_t *pairs = GPTR(a[0], count * 16, GPROT_READ | GPROT_WRITE);
    if (!pairs && count)
        return -EFAULT;
    /* The cpu set (a[2], a[3]) may only name CPUs that exist; all are alike. */
    for (uint64_t i = 0; i < count; i++) {
        int64_t key = pairs[2 * i];
        uint64_t value = 0;
        switch (key) {
        case HWPROBE_KEY_MVENDORID: case HWPROBE_KEY_MARCHID: case HWPROBE_KEY_MIMPID:
            value = 0;
            break;
        case HWPROBE_KEY_BASE_BEHAVIOR: value = HWPROBE_BASE_BEHAVIOR_IMA; break;
        case HWPROBE_KEY_IMA_EXT_0:
            value = HWPROBE_IMA_FD | HWPROBE_IMA_C | HWPROBE_EXT_ZBA | HWPROBE_EXT_ZBB |
                    HWPROBE_EXT_ZBS | HWPROBE_EXT_ZBC | HWPROBE_EXT_ZICBOZ | HWPROBE_EXT_ZICOND;
            break;
        case HWPROBE_KEY_CPUPERF_0: value = HWPROBE_MISALIGNED_EMULATED; break;
        case HWPROBE_KEY_ZICBOZ_BLOCK_SIZE: value = 64; break;
        default:
            pairs[2 * i] = -1;
            break;
        }
        pairs[2 * i + 1] = (int64_t)value;
    }
    return 0;
}

SYSCALL_HANDLER(riscv_flush_icache)
{
    /* Only code from shared mappings can have changed unseen (Process.shared_code).
     * Then global for the process whatever the flags say
     * (SYS_RISCV_FLUSH_ICACHE_LOCAL only narrows what the caller needs). */
    if (!__atomic_load_n(&p->shared_code, __ATOMIC_ACQUIRE))
        return 0;
    pthread_mutex_lock(&p->lock);
    process_map_changed(p, THREAD, true);
    pthread_mutex_unlock(&p->lock);
    return 0;
}
