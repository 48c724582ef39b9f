/* Code memory for generated code, W^X by dual mapping: shared memory mapped twice, a
 * writable view where code is emitted and patched and an executable view where it
 * runs; no page is ever writable and executable at once, and writing needs no
 * mprotect (flipping page protections cost a TLB shootdown per translation).
 * fork: shared mappings would stay shared with the parent, so the child gets its own
 * copy (fresh shared memory mapped over the same addresses) before it runs guest code, and
 * the forking thread in the parent waits until the copy is done (it must not chain or
 * translate into memory the child is still copying; other threads only write their
 * own code memories, which the child never runs). The list of live code memories
 * exists for that; its lock is held across fork. */
#define _GNU_SOURCE
#include "exec/dbt_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static DbtCodeMem *registry;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* Maps new shared memory holding the current contents over both views. The second
 * view is made by mremap with old size 0, which maps the same shared pages again.
 * Shared anonymous memory rather than a memfd, so the executable view is anonymous
 * memory to perf(1), which then names its code from /tmp/perf-PID.map (-d perfmap). */
static bool map_views(DbtCodeMem *m, bool fixed)
{
    uint8_t *fresh = mmap(NULL, m->buf.size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (fresh == MAP_FAILED)
        return false;
    if (fixed)
        memcpy(fresh, m->buf.rw, m->buf.used);
    int move = MREMAP_MAYMOVE | (fixed ? MREMAP_FIXED : 0);
    void *rx = mremap(fresh, 0, m->buf.size, move, fixed ? (void *)m->buf.rx : NULL);
    if (rx == MAP_FAILED || mprotect(rx, m->buf.size, PROT_READ | PROT_EXEC) != 0) {
        if (rx != MAP_FAILED && !fixed)
            munmap(rx, m->buf.size);
        munmap(fresh, m->buf.size);
        return false;
    }
    void *rw = fixed ? mremap(fresh, m->buf.size, m->buf.size, move, m->buf.rw) : fresh;
    if (rw == MAP_FAILED)
        return false; /* only when fixed: the caller aborts */
    m->buf.rx = (uintptr_t)rx;
    m->buf.rw = rw;
    return true;
}

static int fork_pipe[2] = {-1, -1};
static _Thread_local bool fork_without_code; /* of the forking thread: see dbt_internal.h */

void dbt_codemem_next_fork_without_code(void) { fork_without_code = true; }

static void atfork_prepare(void)
{
    pthread_mutex_lock(&registry_lock);
    if (pipe2(fork_pipe, O_CLOEXEC) != 0)
        fork_pipe[0] = fork_pipe[1] = -1;
}

static void atfork_parent(void)
{
    fork_without_code = false;
    if (fork_pipe[0] >= 0) {
        char done;
        while (read(fork_pipe[0], &done, 1) < 0 && errno == EINTR)
            ;
        close(fork_pipe[0]);
        close(fork_pipe[1]);
    }
    pthread_mutex_unlock(&registry_lock);
}

static void atfork_child(void)
{
    for (DbtCodeMem *m = registry; m && !fork_without_code; m = m->next)
        if (!map_views(m, true))
            abort(); /* the child cannot run without its code */
    fork_without_code = false;
    if (fork_pipe[1] >= 0) {
        char done = 1;
        while (write(fork_pipe[1], &done, 1) < 0 && errno == EINTR)
            ;
        close(fork_pipe[0]);
        close(fork_pipe[1]);
    }
    pthread_mutex_init(&registry_lock, NULL);
}

static void register_atfork(void) { pthread_atfork(atfork_prepare, atfork_parent, atfork_child); }

bool dbt_codemem_init(DbtCodeMem *m, size_t size)
{
    pthread_once(&atfork_once, register_atfork);
    m->buf.size = size;
    m->buf.used = 0;
    m->buf.overflow = false;
    if (!map_views(m, false))
        return false;
    pthread_mutex_lock(&registry_lock);
    m->next = registry;
    registry = m;
    pthread_mutex_unlock(&registry_lock);
    return true;
}

void dbt_codemem_destroy(DbtCodeMem *m)
{
    if (!m->buf.rw)
        return;
    pthread_mutex_lock(&registry_lock);
    for (DbtCodeMem **p = &registry; *p; p = &(*p)->next)
        if (*p == m) {
            *p = m->next;
            break;
        }
    pthread_mutex_unlock(&registry_lock);
    munmap(m->buf.rw, m->buf.size);
    munmap((void *)m->buf.rx, m->buf.size);
    m->buf.rw = NULL;
}
