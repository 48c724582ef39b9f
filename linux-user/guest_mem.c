/* Guest address space of a user-mode process (see guest_mem.h). The host pages
 * carry the guest's protection (without execute): the DBT's loads read them directly
 * and count on a host fault wherever the guest may not read (exec_host_fault). */
#define _GNU_SOURCE
#include "linux-user/guest_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux-user/code_log.h"

#define N_PAGES (GUEST_SPACE_SIZE / GUEST_PAGE_SIZE)

/* Where the reservation is asked for first: low in the host address space (free in
 * a PIE process), so that base + guest address + a small displacement fits in an
 * x86-64 disp32 and the DBT's loads and stores need no 64-bit constant. Anywhere
 * else works too. */
#define GUEST_LOW_HINT 0x100000ull

bool guest_mem_init(GuestMem *m, uintptr_t base)
{
    size_t size = GUEST_SPACE_SIZE + 2 * GUEST_GUARD_SIZE;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    uintptr_t want = (base ? base : GUEST_LOW_HINT + GUEST_GUARD_SIZE) - GUEST_GUARD_SIZE;
    uint8_t *all = MAP_FAILED;
    if (want % GUEST_PAGE_SIZE == 0 && want != 0) {
        all = mmap((void *)want, size, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
        if (all != MAP_FAILED && all != (uint8_t *)want) { /* a kernel before 4.17 */
            munmap(all, size);
            all = MAP_FAILED;
        }
    }
    if (all == MAP_FAILED && !base)
        all = mmap(NULL, size, PROT_NONE, flags, -1, 0);
    if (all == MAP_FAILED)
        return false;
    m->base = all + GUEST_GUARD_SIZE;
    m->page_prot = mmap(NULL, N_PAGES, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m->page_prot == MAP_FAILED)
        return false;
    /* Leave room for the stack (placed just below the top) and its growth. */
    m->mmap_top = GUEST_SPACE_SIZE - (1ull << 30);
    return true;
}

static void set_prot(GuestMem *m, uint64_t addr, uint64_t len, uint8_t prot)
{
    memset(m->page_prot + (addr >> 12), prot, len >> 12);
}


/* ---- the mapping list ---- */

static void vma_insert_at(GuestMem *m, size_t i, const GuestVma *v)
{
    if (m->n_vma == m->cap_vma) {
        m->cap_vma = m->cap_vma ? 2 * m->cap_vma : 64;
        m->vma = realloc(m->vma, m->cap_vma * sizeof *m->vma);
        if (!m->vma)
            abort();
    }
    memmove(&m->vma[i + 1], &m->vma[i], (m->n_vma - i) * sizeof *m->vma);
    m->vma[i] = *v;
    m->n_vma++;
}

static void vma_delete_at(GuestMem *m, size_t i)
{
    free(m->vma[i].name);
    memmove(&m->vma[i], &m->vma[i + 1], (m->n_vma - i - 1) * sizeof *m->vma);
    m->n_vma--;
}

/* Index of the first mapping ending above addr. */
static size_t vma_find(const GuestMem *m, uint64_t addr)
{
    size_t lo = 0, hi = m->n_vma;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->vma[mid].end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Makes addr a mapping boundary (splits the mapping strictly containing it). */
static void vma_split(GuestMem *m, uint64_t addr)
{
    size_t i = vma_find(m, addr);
    if (i == m->n_vma || m->vma[i].start >= addr)
        return;
    GuestVma right = m->vma[i];
    if (right.ino)
        right.offset += addr - right.start;
    right.start = addr;
    right.name = right.name ? strdup(right.name) : NULL;
    m->vma[i].end = addr;
    vma_insert_at(m, i + 1, &right);
}

static void vma_remove(GuestMem *m, uint64_t start, uint64_t end)
{
    vma_split(m, start);
    vma_split(m, end);
    size_t i = vma_find(m, start);
    while (i < m->n_vma && m->vma[i].start < end)
        vma_delete_at(m, i);
}

static bool vma_same_kind(const GuestVma *a, const GuestVma *b)
{
    return a->end == b->start && a->prot == b->prot && a->shared == b->shared &&
           a->dev == b->dev && a->ino == b->ino &&
           (a->ino == 0 || a->offset + (a->end - a->start) == b->offset) &&
           ((!a->name && !b->name) || (a->name && b->name && !strcmp(a->name, b->name)));
}

/* Merges the mapping at i with its neighbours when Linux would show one line. */
static void vma_merge_around(GuestMem *m, size_t i)
{
    if (i + 1 < m->n_vma && vma_same_kind(&m->vma[i], &m->vma[i + 1])) {
        m->vma[i].end = m->vma[i + 1].end;
        vma_delete_at(m, i + 1);
    }
    if (i > 0 && vma_same_kind(&m->vma[i - 1], &m->vma[i])) {
        m->vma[i - 1].end = m->vma[i].end;
        vma_delete_at(m, i);
    }
}

void guest_map_describe(GuestMem *m, uint64_t addr, uint64_t len, const GuestMapInfo *info)
{
    vma_split(m, addr);
    vma_split(m, addr + len);
    size_t i = vma_find(m, addr), first = i;
    for (; i < m->n_vma && m->vma[i].start < addr + len; i++) {
        GuestVma *v = &m->vma[i];
        v->dev = info->dev;
        v->ino = info->ino;
        v->offset = info->ino ? info->offset + (v->start - addr) : 0;
        free(v->name);
        v->name = info->name ? strdup(info->name) : NULL;
    }
    if (first < m->n_vma)
        vma_merge_around(m, first);
}

/* Writable and executable pages are readable too: x86-64 and qemu-riscv64 behave
 * so, and the translator has to read code anyway. */
static uint8_t prot_bits(int prot)
{
    return (uint8_t)(GPROT_MAPPED | (prot & 7) |
                     ((prot & (GPROT_WRITE | GPROT_EXEC)) ? GPROT_READ : 0));
}

static int host_prot(int prot)
{
    uint8_t bits = prot_bits(prot);
    return (bits & GPROT_READ ? PROT_READ : 0) | (bits & GPROT_WRITE ? PROT_WRITE : 0);
}

/* Sets GPROT_BUS on the pages of a new file mapping that start at or beyond the end
 * of the file (the page holding EOF is readable, zero past it, as on Linux). Only
 * regular files have an end; devices and pipes are left alone. */
static void mark_beyond_eof(GuestMem *m, uint64_t addr, uint64_t len, int fd, uint64_t offset)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return;
    uint64_t size = (uint64_t)st.st_size;
    uint64_t backed = size > offset ? ((size - offset + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK) : 0;
    for (uint64_t a = addr + backed; a < addr + len; a += GUEST_PAGE_SIZE)
        m->page_prot[a >> 12] |= GPROT_BUS;
}

/* The error for a range guest_mappable refuses: page 0 is forbidden (EPERM, as Linux's
 * mmap_min_addr), the rest is out of space. */
static int unmappable_error(uint64_t addr) { return addr < GUEST_PAGE_SIZE ? -EPERM : -ENOMEM; }

int guest_map(GuestMem *m, uint64_t addr, uint64_t len, int prot, int fd, uint64_t offset,
              bool shared)
{
    if (!guest_mappable(addr, len))
        return unmappable_error(addr);
    int flags = MAP_FIXED | (shared ? MAP_SHARED : MAP_PRIVATE);
    if (fd < 0)
        flags |= MAP_ANONYMOUS;
    void *p = mmap(m->base + addr, len, host_prot(prot), flags, fd, (off_t)offset);
    if (p == MAP_FAILED)
        return -errno;
    set_prot(m, addr, len, prot_bits(prot));
    mark_beyond_eof(m, addr, len, fd, offset);
    vma_remove(m, addr, addr + len);
    GuestVma v = {.start = addr, .end = addr + len, .offset = fd >= 0 ? offset : 0,
                  .prot = (uint8_t)(prot & 7), .shared = shared};
    size_t i = vma_find(m, addr);
    vma_insert_at(m, i, &v);
    vma_merge_around(m, i);
    return 0;
}

void guest_unmap(GuestMem *m, uint64_t addr, uint64_t len)
{
    if (addr >= GUEST_SPACE_SIZE || len > GUEST_SPACE_SIZE - addr)
        return;
    mmap(m->base + addr, len, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
         -1, 0);
    set_prot(m, addr, len, 0);
    vma_remove(m, addr, addr + len);
}

/* The mapping entry v (holding old) for its pages from old on, moved to
 * [to, to + len): with its own copy of the name. */
static GuestVma vma_moved(GuestVma v, uint64_t old, uint64_t to, uint64_t len)
{
    if (v.ino)
        v.offset += old - v.start;
    v.start = to;
    v.end = to + len;
    v.name = v.name ? strdup(v.name) : NULL;
    return v;
}

int guest_move(GuestMem *m, uint64_t old, uint64_t old_len, uint64_t to, uint64_t new_len)
{
    if (!guest_mappable(to, new_len))
        return unmappable_error(to);
    size_t i = vma_find(m, old);
    if (i == m->n_vma || m->vma[i].start > old)
        return -EFAULT;
    GuestVma v = m->vma[i];
    /* The protection bytes move with the pages (some may be GPROT_BUS). */
    uint64_t kept = (old_len < new_len ? old_len : new_len) >> 12;
    uint8_t *prot = malloc(kept + 1); /* + 1: never malloc(0) */
    if (!prot)
        return -ENOMEM;
    memcpy(prot, m->page_prot + (old >> 12), kept);
    uint8_t last = m->page_prot[(old + (old_len ? old_len - 1 : 0)) >> 12];
    void *r;
    if (to == old) {
        /* The host cannot grow a mapping over the reservation after it, nor move it
         * onto itself: out (grown: a file mapping's new pages are the file's), then
         * back over the old range and the reserved tail. */
        void *out = mremap(m->base + old, old_len, new_len, MREMAP_MAYMOVE);
        r = out == MAP_FAILED ? MAP_FAILED
                              : mremap(out, new_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, m->base + old);
        if (out != MAP_FAILED && r == MAP_FAILED) {
            int e = errno;
            mremap(out, new_len, old_len, MREMAP_MAYMOVE | MREMAP_FIXED, m->base + old);
            errno = e;
        }
    } else {
        r = mremap(m->base + old, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, m->base + to);
    }
    if (r == MAP_FAILED) {
        free(prot);
        return -errno;
    }
    if (to != old) /* the old range left a hole in the host reservation: reserve it again */
        mmap(m->base + old, old_len, PROT_NONE,
             MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    v = vma_moved(v, old, to, new_len);
    vma_remove(m, old, old + old_len);
    vma_remove(m, to, to + new_len);
    set_prot(m, old, old_len, 0);
    memcpy(m->page_prot + (to >> 12), prot, kept);
    if (new_len > old_len) {
        /* Grown: more of the file, which may end anywhere in it (checked lazily). */
        uint8_t grown = (uint8_t)((last & ~GPROT_BUS) | (v.ino ? GPROT_BUS : 0));
        set_prot(m, to + old_len, new_len - old_len, grown);
    }
    free(prot);
    i = vma_find(m, to);
    vma_insert_at(m, i, &v);
    return 0;
}

int guest_move_keep(GuestMem *m, uint64_t old, uint64_t len, uint64_t to)
{
    if (!guest_mappable(to, len))
        return unmappable_error(to);
    size_t i = vma_find(m, old);
    if (i == m->n_vma || m->vma[i].start > old)
        return -EFAULT;
    /* The host keeps the old mapping as the guest's must stay (Linux 5.13 or later
     * for anything but private anonymous memory). */
    if (mremap(m->base + old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
               m->base + to) == MAP_FAILED)
        return -errno;
    GuestVma v = vma_moved(m->vma[i], old, to, len);
    vma_remove(m, to, to + len);
    memcpy(m->page_prot + (to >> 12), m->page_prot + (old >> 12), len >> 12);
    i = vma_find(m, to);
    vma_insert_at(m, i, &v);
    vma_merge_around(m, i);
    return 0;
}

int guest_protect(GuestMem *m, uint64_t addr, uint64_t len, int prot)
{
    /* Host first, run by run of mapped pages (unmapped ones stay inaccessible). */
    for (uint64_t a = addr; a < addr + len;) {
        if (!(m->page_prot[a >> 12] & GPROT_MAPPED)) {
            a += GUEST_PAGE_SIZE;
            continue;
        }
        uint64_t end = a;
        while (end < addr + len && (m->page_prot[end >> 12] & GPROT_MAPPED))
            end += GUEST_PAGE_SIZE;
        if (mprotect(m->base + a, end - a, host_prot(prot)) != 0)
            return -errno; /* e.g. writing to a shared mapping of a read-only file */
        a = end;
    }
    uint8_t bits = prot_bits(prot);
    for (uint64_t a = addr; a < addr + len; a += GUEST_PAGE_SIZE)
        if (m->page_prot[a >> 12] & GPROT_MAPPED)
            m->page_prot[a >> 12] = (uint8_t)(bits | (m->page_prot[a >> 12] & GPROT_BUS));
    vma_split(m, addr);
    vma_split(m, addr + len);
    size_t i = vma_find(m, addr);
    for (; i < m->n_vma && m->vma[i].start < addr + len; i++)
        m->vma[i].prot = (uint8_t)(prot & 7);
    i = vma_find(m, addr);
    if (i < m->n_vma)
        vma_merge_around(m, i);
    i = vma_find(m, addr + len);
    if (i < m->n_vma)
        vma_merge_around(m, i);
    return 0;
}

/* Serialises protecting and unprotecting (each a byte update plus an mprotect). A
 * spin lock: the host fault handler takes it, and it is never held across anything
 * that could fault. */
static atomic_flag code_lock = ATOMIC_FLAG_INIT;

static void code_lock_take(void)
{
    while (atomic_flag_test_and_set_explicit(&code_lock, memory_order_acquire))
        ;
}

static void code_lock_drop(void) { atomic_flag_clear_explicit(&code_lock, memory_order_release); }

void guest_code_protect(GuestMem *m, uint64_t addr)
{
    if (addr >= GUEST_SPACE_SIZE)
        return;
    uint8_t *b = &m->page_prot[addr >> 12];
    if ((*b & (GPROT_WRITE | GPROT_CODE)) != GPROT_WRITE)
        return; /* not writable, or already protected */
    code_lock_take();
    if ((*b & (GPROT_WRITE | GPROT_CODE | GPROT_MAPPED)) == (GPROT_WRITE | GPROT_MAPPED) &&
        mprotect(m->base + (addr & GUEST_PAGE_MASK), GUEST_PAGE_SIZE, PROT_READ) == 0)
        __atomic_or_fetch(b, GPROT_CODE, __ATOMIC_SEQ_CST);
    code_lock_drop();
}

#define GUEST_DIRTY_END UINT64_MAX /* the end mark, in place of a run's address */
#define DIRTY_MAX_PAGES 16384

typedef struct GuestDirty {
    int fd;
    uint32_t n;
    bool overflow;        /* more pages than fit: send every writable page */
    uint8_t *orig;        /* for page[k], its bytes before the child's first write to
                             it, at orig + k * 4096 (NULL: no room, pages go whole) */
    uint64_t page[DIRTY_MAX_PAGES];
} GuestDirty;

/* Async-signal-safe (the host fault handler lifts protections). Called while the
 * page is still read-only, so that the copy holds the bytes the parent had. */
static void dirty_add(const GuestMem *m, GuestDirty *d, uint64_t page)
{
    if (d->n < DIRTY_MAX_PAGES) {
        if (d->orig && (m->page_prot[page] & (GPROT_READ | GPROT_MAPPED)) == (GPROT_READ | GPROT_MAPPED))
            memcpy(d->orig + (size_t)d->n * GUEST_PAGE_SIZE, m->base + (page << 12), GUEST_PAGE_SIZE);
        d->page[d->n++] = page;
    } else {
        d->overflow = true;
    }
}

bool guest_code_unprotect(const GuestMem *m, uint64_t addr)
{
    if (addr >= GUEST_SPACE_SIZE)
        return false;
    uint8_t *b = &m->page_prot[addr >> 12];
    code_lock_take();
    bool was = (*b & GPROT_CODE) != 0, tracked_only = (*b & GPROT_TRACKED) != 0;
    if (was && m->dirty)
        dirty_add(m, m->dirty, addr >> 12);
    if ((*b & (GPROT_WRITE | GPROT_MAPPED)) == (GPROT_WRITE | GPROT_MAPPED)) {
        mprotect(m->base + (addr & GUEST_PAGE_MASK), GUEST_PAGE_SIZE, host_prot(*b & 7));
        __atomic_and_fetch(b, (uint8_t)~(GPROT_CODE | GPROT_TRACKED), __ATOMIC_SEQ_CST);
    }
    code_lock_drop();
    if (was && !tracked_only && m->code_log)
        code_log_add(m->code_log, addr & GUEST_PAGE_MASK, GUEST_PAGE_SIZE);
    return was && !tracked_only;
}

/* A page a vfork child's first write must be noticed on: writable, backed, and not
 * write-protected already (for code). */
static bool trackable(uint8_t prot)
{
    return (prot & (GPROT_WRITE | GPROT_MAPPED | GPROT_CODE | GPROT_BUS)) == (GPROT_WRITE | GPROT_MAPPED);
}

/* Write-protects the trackable pages of [first, last], runs of them at once. */
static void track_pages(GuestMem *m, uint64_t first, uint64_t last)
{
    code_lock_take();
    for (uint64_t page = first; page <= last; page++) {
        if (!trackable(m->page_prot[page]))
            continue;
        uint64_t end = page;
        while (end < last && trackable(m->page_prot[end + 1]))
            end++;
        if (mprotect(m->base + (page << 12), (end - page + 1) << 12, PROT_READ) == 0)
            for (uint64_t q = page; q <= end; q++)
                m->page_prot[q] |= GPROT_CODE | GPROT_TRACKED;
        page = end;
    }
    code_lock_drop();
}

static void track_all(GuestMem *m)
{
    for (size_t i = 0; i < m->n_vma; i++)
        if (m->vma[i].prot & GPROT_WRITE)
            track_pages(m, m->vma[i].start >> 12, (m->vma[i].end >> 12) - 1);
}

int guest_dirty_fd(const GuestMem *m) { return m->dirty ? m->dirty->fd : -1; }

void guest_dirty_fd_move(GuestMem *m)
{
    /* high, out of the way of the descriptors the guest picks itself */
    int fd = fcntl(m->dirty->fd, F_DUPFD_CLOEXEC, m->dirty->fd + 1 > 512 ? m->dirty->fd + 1 : 512);
    if (fd < 0)
        fd = fcntl(m->dirty->fd, F_DUPFD_CLOEXEC, 3);
    if (fd >= 0) {
        close(m->dirty->fd);
        m->dirty->fd = fd;
    }
}

void guest_track_writes(GuestMem *m, int fd)
{
    GuestDirty *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->fd = fd;
    /* Reserved, not committed: only the pages the child writes take memory. */
    void *orig = mmap(NULL, (size_t)DIRTY_MAX_PAGES * GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    d->orig = orig == MAP_FAILED ? NULL : orig;
    m->dirty = d;
    guest_dirty_fd_move(m);
    track_all(m);
}

void guest_track_stop(GuestMem *m)
{
    if (!m->dirty)
        return;
    close(m->dirty->fd);
    if (m->dirty->orig)
        munmap(m->dirty->orig, (size_t)DIRTY_MAX_PAGES * GUEST_PAGE_SIZE);
    free(m->dirty);
    m->dirty = NULL;
}

/* All len bytes through the pipe, or false (the other side is gone). */
static bool transfer_full(int fd, void *buf, size_t len, bool out)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = out ? write(fd, (uint8_t *)buf + done, len - done)
                        : read(fd, (uint8_t *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

/* One run: its guest address, its length, its bytes. */
static void send_run(GuestMem *m, uint64_t addr, uint64_t len)
{
    uint64_t head[2] = {addr, len};
    if (transfer_full(m->dirty->fd, head, sizeof head, true))
        transfer_full(m->dirty->fd, m->base + addr, len, true);
}

static bool page_sendable(const GuestMem *m, uint64_t page)
{
    return (m->page_prot[page] & (GPROT_READ | GPROT_MAPPED | GPROT_BUS)) == (GPROT_READ | GPROT_MAPPED);
}

/* The bytes of the page that differ from orig (its bytes before the child wrote it),
 * as runs: the parent's other threads may have written the rest of the page since. */
static void send_changes(GuestMem *m, uint64_t page, const uint8_t *orig)
{
    if (!page_sendable(m, page))
        return;
    uint64_t base = page << 12;
    const uint8_t *now = m->base + base;
    for (uint64_t i = 0; i < GUEST_PAGE_SIZE;) {
        if (now[i] == orig[i]) {
            i++;
            continue;
        }
        uint64_t start = i;
        while (i < GUEST_PAGE_SIZE && now[i] != orig[i])
            i++;
        send_run(m, base + start, i - start);
    }
}

void guest_dirty_finish(GuestMem *m)
{
    GuestDirty *d = m->dirty;
    if (!d)
        return;
    if (d->overflow) {
        for (size_t i = 0; i < m->n_vma; i++)
            if (m->vma[i].prot & GPROT_WRITE)
                for (uint64_t a = m->vma[i].start; a < m->vma[i].end; a += GUEST_PAGE_SIZE)
                    if (!(m->page_prot[a >> 12] & GPROT_TRACKED) && page_sendable(m, a >> 12))
                        send_run(m, a, GUEST_PAGE_SIZE);
    } else {
        for (uint32_t k = 0; k < d->n; k++) {
            if (d->orig)
                send_changes(m, d->page[k], d->orig + (size_t)k * GUEST_PAGE_SIZE);
            else if (page_sendable(m, d->page[k]))
                send_run(m, d->page[k] << 12, GUEST_PAGE_SIZE);
        }
    }
    uint64_t end[2] = {GUEST_DIRTY_END, 0};
    transfer_full(d->fd, end, sizeof end, true);
    guest_track_stop(m);
}

void guest_dirty_receive(GuestMem *m, int fd)
{
    static _Thread_local uint8_t buf[GUEST_PAGE_SIZE];
    uint64_t head[2];
    while (transfer_full(fd, head, sizeof head, false) && head[0] != GUEST_DIRTY_END &&
           head[1] <= sizeof buf && transfer_full(fd, buf, head[1], false)) {
        void *to = guest_ptr(m, head[0], head[1], GPROT_WRITE);
        if (to)
            memcpy(to, buf, head[1]);
    }
}

bool guest_addr_shared(const GuestMem *m, uint64_t addr)
{
    size_t lo = 0, hi = m->n_vma;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (addr < m->vma[mid].start)
            hi = mid;
        else if (addr >= m->vma[mid].end)
            lo = mid + 1;
        else
            return m->vma[mid].shared;
    }
    return false;
}

bool guest_range_has_exec(const GuestMem *m, uint64_t addr, uint64_t len)
{
    if (addr >= GUEST_SPACE_SIZE || len > GUEST_SPACE_SIZE - addr)
        return true;
    for (uint64_t a = addr; a < addr + len; a += GUEST_PAGE_SIZE)
        if (m->page_prot[a >> 12] & GPROT_EXEC)
            return true;
    return false;
}

bool guest_range_free(const GuestMem *m, uint64_t addr, uint64_t len)
{
    if (!guest_mappable(addr, len))
        return false;
    for (uint64_t a = addr; a < addr + len; a += GUEST_PAGE_SIZE)
        if (m->page_prot[a >> 12])
            return false;
    return true;
}

uint64_t guest_find_free(const GuestMem *m, uint64_t hint, uint64_t len)
{
    if (hint && !(hint & ~GUEST_PAGE_MASK) && guest_range_free(m, hint, len))
        return hint;
    if (len == 0 || len > m->mmap_top)
        return 0;
    /* Top-down: walk pages from the top, tracking the length of the free run. */
    uint64_t run = 0;
    for (uint64_t page = (m->mmap_top >> 12); page-- > 16;) {
        run = m->page_prot[page] ? 0 : run + GUEST_PAGE_SIZE;
        if (run >= len)
            return page << 12;
    }
    return 0;
}

bool guest_bus_recheck(const GuestMem *m, uint64_t addr)
{
    uint8_t *byte = &m->page_prot[addr >> 12];
    uint8_t seen = __atomic_load_n(byte, __ATOMIC_ACQUIRE);
    if (!(seen & GPROT_BUS))
        return true;
    /* The kernel populates the page, or fails with EFAULT where an access would
     * raise SIGBUS: a probe without touching the page from user space. (Before
     * Linux 5.14 the advice is unknown, EINVAL: the page stays a bus page.) */
    if (madvise(m->base + (addr & GUEST_PAGE_MASK), GUEST_PAGE_SIZE, MADV_POPULATE_READ) < 0)
        return false;
    __atomic_compare_exchange_n(byte, &seen, (uint8_t)(seen & ~GPROT_BUS), false,
                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    return true;
}

/* Whether page (a page number) has prot, backed when prot asks for access. */
static bool page_allows(const GuestMem *m, uint64_t page, int prot)
{
    uint8_t have = m->page_prot[page];
    if (!have || (have & prot) != prot)
        return false;
    return !(have & GPROT_BUS) || !(prot & 7) || guest_bus_recheck(m, page << 12);
}

void *guest_ptr(const GuestMem *m, uint64_t addr, uint64_t len, int prot)
{
    if (len == 0)
        return m->base + (addr < GUEST_SPACE_SIZE ? addr : 0);
    if (addr >= GUEST_SPACE_SIZE || len > GUEST_SPACE_SIZE - addr)
        return NULL;
    for (uint64_t page = addr >> 12; page <= (addr + len - 1) >> 12; page++) {
        if (!page_allows(m, page, prot))
            return NULL;
        if ((prot & GPROT_WRITE) && (m->page_prot[page] & GPROT_CODE))
            guest_code_unprotect(m, page << 12);
    }
    return m->base + addr;
}

const char *guest_str(const GuestMem *m, uint64_t addr, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        uint64_t a = addr + i;
        if (i == 0 || (a & ~GUEST_PAGE_MASK) == 0)
            if (a >= GUEST_SPACE_SIZE || !page_allows(m, a >> 12, GPROT_READ))
                return NULL;
        if (m->base[a] == 0)
            return (const char *)m->base + addr;
    }
    return NULL;
}

int guest_path_error(const GuestMem *m, uint64_t addr, size_t max)
{
    for (uint64_t a = addr; a - addr < max; a = (a & GUEST_PAGE_MASK) + GUEST_PAGE_SIZE)
        if (a >= GUEST_SPACE_SIZE || !page_allows(m, a >> 12, GPROT_READ))
            return -EFAULT;
    return -ENAMETOOLONG;
}

/* Linux's is_data_mapping: private, writable, not a stack. */
static bool vma_is_data(const GuestVma *v)
{
    return (v->prot & GPROT_WRITE) && !v->shared && !(v->name && !strcmp(v->name, "[stack]"));
}

bool guest_is_data(const GuestMem *m, uint64_t addr)
{
    size_t i = vma_find(m, addr);
    return i < m->n_vma && m->vma[i].start <= addr && vma_is_data(&m->vma[i]);
}

void guest_mapped_sizes(const GuestMem *m, uint64_t *total, uint64_t *data)
{
    *total = *data = 0;
    for (size_t i = 0; i < m->n_vma; i++) {
        *total += m->vma[i].end - m->vma[i].start;
        if (vma_is_data(&m->vma[i]))
            *data += m->vma[i].end - m->vma[i].start;
    }
}

uint64_t guest_mapped_in(const GuestMem *m, uint64_t addr, uint64_t len)
{
    uint64_t mapped = 0;
    for (uint64_t a = addr; a < addr + len && a < GUEST_SPACE_SIZE; a += GUEST_PAGE_SIZE)
        if (m->page_prot[a >> 12] & GPROT_MAPPED)
            mapped += GUEST_PAGE_SIZE;
    return mapped;
}

void guest_write_maps(const GuestMem *m, FILE *f)
{
    for (size_t i = 0; i < m->n_vma; i++) {
        const GuestVma *v = &m->vma[i];
        int n = fprintf(f, "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64 " %02x:%02x %" PRIu64 " ",
                        v->start, v->end, v->prot & GPROT_READ ? 'r' : '-',
                        v->prot & GPROT_WRITE ? 'w' : '-', v->prot & GPROT_EXEC ? 'x' : '-',
                        v->shared ? 's' : 'p', v->offset, major(v->dev), minor(v->dev), v->ino);
        /* Linux pads the name to column 73 (show_map_vma / seq_pad). */
        if (v->name)
            fprintf(f, "%*s %s", n < 72 ? 72 - n : 0, "", v->name);
        fputc('\n', f);
    }
}
