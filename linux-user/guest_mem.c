/* Guest address space of a user-mode process (see guest_mem.h). Host pages behind
 * guest pages are always readable and writable (the guest's protection is enforced
 * in software), except for shared file mappings, which carry the file's access. */
#include "linux-user/guest_mem.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define N_PAGES (GUEST_SPACE_SIZE / GUEST_PAGE_SIZE)

bool guest_mem_init(GuestMem *m)
{
    m->base = mmap(NULL, GUEST_SPACE_SIZE, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m->base == MAP_FAILED)
        return false;
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

int guest_map(GuestMem *m, uint64_t addr, uint64_t len, int prot, int fd, uint64_t offset,
              bool shared)
{
    if (addr >= GUEST_SPACE_SIZE || len > GUEST_SPACE_SIZE - addr)
        return -ENOMEM;
    int host_prot = PROT_READ | PROT_WRITE;
    int flags = MAP_FIXED | (shared ? MAP_SHARED : MAP_PRIVATE);
    if (fd < 0)
        flags |= MAP_ANONYMOUS;
    void *p = mmap(m->base + addr, len, host_prot, flags, fd, (off_t)offset);
    if (p == MAP_FAILED && fd >= 0 && shared && errno == EACCES) {
        /* A read-only file mapped shared: the host mapping can only be read-only. */
        host_prot = PROT_READ;
        p = mmap(m->base + addr, len, host_prot, flags, fd, (off_t)offset);
    }
    if (p == MAP_FAILED)
        return -errno;
    set_prot(m, addr, len, (uint8_t)(GPROT_MAPPED | (prot & 7) |
                                     ((prot & GPROT_WRITE) ? GPROT_READ : 0)));
    return 0;
}

void guest_unmap(GuestMem *m, uint64_t addr, uint64_t len)
{
    if (addr >= GUEST_SPACE_SIZE || len > GUEST_SPACE_SIZE - addr)
        return;
    mmap(m->base + addr, len, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
         -1, 0);
    set_prot(m, addr, len, 0);
}

void guest_protect(GuestMem *m, uint64_t addr, uint64_t len, int prot)
{
    uint8_t bits = (uint8_t)(GPROT_MAPPED | (prot & 7) | ((prot & GPROT_WRITE) ? GPROT_READ : 0));
    for (uint64_t a = addr; a < addr + len; a += GUEST_PAGE_SIZE)
        if (m->page_prot[a >> 12] & GPROT_MAPPED)
            m->page_prot[a >> 12] = bits;
}

bool guest_range_free(const GuestMem *m, uint64_t addr, uint64_t len)
{
    if (addr >= GUEST_SPACE_SIZE || len > GUEST_SPACE_SIZE - addr)
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

void *guest_ptr(const GuestMem *m, uint64_t addr, uint64_t len, int prot)
{
    if (len == 0)
        return m->base + (addr < GUEST_SPACE_SIZE ? addr : 0);
    if (addr >= GUEST_SPACE_SIZE || len > GUEST_SPACE_SIZE - addr)
        return NULL;
    for (uint64_t page = addr >> 12; page <= (addr + len - 1) >> 12; page++)
        if ((m->page_prot[page] & prot) != prot || !m->page_prot[page])
            return NULL;
    return m->base + addr;
}

const char *guest_str(const GuestMem *m, uint64_t addr, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        uint64_t a = addr + i;
        if (i == 0 || (a & ~GUEST_PAGE_MASK) == 0)
            if (!(guest_page_prot(m, a) & GPROT_READ))
                return NULL;
        if (m->base[a] == 0)
            return (const char *)m->base + addr;
    }
    return NULL;
}
