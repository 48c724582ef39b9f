/* Code memory for generated code, W^X: the region is never writable and executable
 * at once. Writers unlock the pages they touch (translation: a window at the end;
 * chaining and invalidation: the patched page), then lock them again. */
#include "exec/dbt_internal.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

bool dbt_codemem_init(DbtCodeMem *m, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return false;
    m->buf.rw = p;
    m->buf.rx = (uintptr_t)p;
    m->buf.size = size;
    m->buf.used = 0;
    m->buf.overflow = false;
    m->page = (size_t)sysconf(_SC_PAGESIZE);
    return true;
}

void dbt_codemem_destroy(DbtCodeMem *m)
{
    if (m->buf.rw)
        munmap(m->buf.rw, m->buf.size);
    m->buf.rw = NULL;
}

static void protect(DbtCodeMem *m, uintptr_t addr, size_t len, int prot)
{
    uintptr_t end = addr + len;
    uintptr_t limit = m->buf.rx + m->buf.size;
    if (end > limit)
        end = limit;
    addr &= ~(uintptr_t)(m->page - 1);
    if (mprotect((void *)addr, end - addr, prot) != 0)
        abort(); /* cannot happen for our own mapping; continuing would crash later */
}

void dbt_codemem_unlock(DbtCodeMem *m, uintptr_t addr, size_t len) { protect(m, addr, len, PROT_READ | PROT_WRITE); }
void dbt_codemem_lock(DbtCodeMem *m, uintptr_t addr, size_t len) { protect(m, addr, len, PROT_READ | PROT_EXEC); }
