/* Memory syscalls: brk, mmap family, mprotect, madvise, riscv_flush_icache. Every
 * change to the guest map also drops the hart's TLB, and drops decoded code when
 * the change touches pages holding it (unmapped or remapped code must not run). */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <string.h>
#include <sys/mman.h>

#include "exec/exec.h"

enum {
    G_MAP_SHARED = 0x01, G_MAP_PRIVATE = 0x02, G_MAP_SHARED_VALIDATE = 0x03,
    G_MAP_FIXED = 0x10, G_MAP_ANONYMOUS = 0x20, G_MAP_FIXED_NOREPLACE = 0x100000,
    G_MREMAP_MAYMOVE = 1, G_MREMAP_FIXED = 2,
};

static uint64_t page_up(uint64_t v) { return (v + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK; }

static void map_changed(Hart *h, uint64_t addr, uint64_t len)
{
    for (uint64_t a = addr; a < addr + len; a += GUEST_PAGE_SIZE)
        if (code_pages_contains(&h->code_pages, a >> 12)) {
            exec_flush(h);
            break;
        }
    tlb_flush(&h->tlb);
}

static bool range_ok(uint64_t addr, uint64_t len)
{
    return addr < GUEST_SPACE_SIZE && len <= GUEST_SPACE_SIZE - addr;
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
    if (flags & (G_MAP_FIXED | G_MAP_FIXED_NOREPLACE)) {
        if ((addr & ~GUEST_PAGE_MASK) || !range_ok(addr, len))
            return -EINVAL;
        if ((flags & G_MAP_FIXED_NOREPLACE) && !(flags & G_MAP_FIXED) &&
            !guest_range_free(&p->mem, addr, len))
            return -EEXIST;
    } else {
        addr = guest_find_free(&p->mem, addr & GUEST_PAGE_MASK, len);
        if (!addr)
            return -ENOMEM;
    }
    int r = guest_map(&p->mem, addr, len, prot, anonymous ? -1 : fd, anonymous ? 0 : off,
                      type != G_MAP_PRIVATE && !anonymous);
    if (r < 0)
        return r;
    map_changed(h, addr, len);
    return (int64_t)addr;
}

SYSCALL_HANDLER(munmap)
{
    uint64_t addr = a[0], len = page_up(a[1]);
    if ((addr & ~GUEST_PAGE_MASK) || a[1] == 0 || !range_ok(addr, len))
        return -EINVAL;
    guest_unmap(&p->mem, addr, len);
    map_changed(h, addr, len);
    return 0;
}

SYSCALL_HANDLER(mprotect)
{
    uint64_t addr = a[0], len = page_up(a[1]);
    if ((addr & ~GUEST_PAGE_MASK) || !range_ok(addr, len))
        return -EINVAL;
    for (uint64_t x = addr; x < addr + len; x += GUEST_PAGE_SIZE)
        if (!(guest_page_prot(&p->mem, x) & GPROT_MAPPED))
            return -ENOMEM;
    guest_protect(&p->mem, addr, len, (int)(a[2] & 7));
    map_changed(h, addr, len);
    return 0;
}

SYSCALL_HANDLER(mremap)
{
    uint64_t old = a[0], old_len = page_up(a[1]), new_len = page_up(a[2]), flags = a[3];
    if ((old & ~GUEST_PAGE_MASK) || new_len == 0 || !range_ok(old, old_len))
        return -EINVAL;
    if (!guest_ptr(&p->mem, old, old_len, GPROT_MAPPED))
        return -EFAULT;
    int prot = guest_page_prot(&p->mem, old) & 7;
    if (new_len <= old_len && !(flags & G_MREMAP_FIXED)) {
        guest_unmap(&p->mem, old + new_len, old_len - new_len);
        map_changed(h, old + new_len, old_len - new_len);
        return (int64_t)old;
    }
    if (!(flags & G_MREMAP_FIXED) &&
        guest_range_free(&p->mem, old + old_len, new_len - old_len)) {
        int r = guest_map(&p->mem, old + old_len, new_len - old_len, prot, -1, 0, false);
        return r < 0 ? r : (int64_t)old;
    }
    if (!(flags & G_MREMAP_MAYMOVE))
        return -ENOMEM;
    uint64_t to = (flags & G_MREMAP_FIXED) ? a[4] : guest_find_free(&p->mem, 0, new_len);
    if (!to || (to & ~GUEST_PAGE_MASK) || !range_ok(to, new_len))
        return -ENOMEM;
    /* Anonymous copy: contents move, the old range goes away. */
    int r = guest_map(&p->mem, to, new_len, GPROT_READ | GPROT_WRITE, -1, 0, false);
    if (r < 0)
        return r;
    memcpy(guest_host(&p->mem, to), guest_host(&p->mem, old),
           old_len < new_len ? old_len : new_len);
    guest_protect(&p->mem, to, new_len, prot);
    guest_unmap(&p->mem, old, old_len);
    map_changed(h, old, old_len);
    map_changed(h, to, new_len);
    return (int64_t)to;
}

SYSCALL_HANDLER(madvise)
{
    enum { G_MADV_DONTNEED = 4 };
    uint64_t addr = a[0], len = page_up(a[1]);
    if ((addr & ~GUEST_PAGE_MASK) || !range_ok(addr, len))
        return -EINVAL;
    /* DONTNEED on private anonymous memory reads back as zeros afterwards. */
    if (a[2] == G_MADV_DONTNEED && guest_ptr(&p->mem, addr, len, GPROT_MAPPED))
        madvise(guest_host(&p->mem, addr), len, MADV_DONTNEED);
    return 0;
}

SYSCALL_HANDLER(brk)
{
    uint64_t want = a[0];
    if (want < p->brk_start || !range_ok(p->brk_start, want - p->brk_start))
        return (int64_t)p->brk_cur;
    uint64_t cur_end = page_up(p->brk_cur), new_end = page_up(want);
    if (new_end > cur_end) {
        if (!guest_range_free(&p->mem, cur_end, new_end - cur_end) ||
            guest_map(&p->mem, cur_end, new_end - cur_end, GPROT_READ | GPROT_WRITE, -1, 0,
                      false) < 0)
            return (int64_t)p->brk_cur;
    } else if (new_end < cur_end) {
        guest_unmap(&p->mem, new_end, cur_end - new_end);
        map_changed(h, new_end, cur_end - new_end);
    }
    p->brk_cur = want;
    return (int64_t)want;
}

SYSCALL_HANDLER(riscv_flush_icache)
{
    exec_flush(h);
    return 0;
}
