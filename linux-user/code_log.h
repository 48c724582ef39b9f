/* The process's changes to guest code that every thread's translations must follow:
 * a write lifting a page's code protection (guest_code_unprotect), a range unmapped
 * or remapped (munmap, mprotect, mremap ...), or a change of unknown extent. Each
 * change is a generation; a thread remembers the generation its caches reflect and,
 * coming out of translated code, drops what changed since: the ranges of the last
 * CODE_LOG_SIZE changes, or everything when it fell further behind or one change had
 * no range. Dropping everything at every change was the old way: a JVM writing its
 * compiled code made its other threads flush their whole translation caches about a
 * thousand times in a few seconds. Writers may run in the host fault handler: a
 * spinlock (never held across anything that can fault) guards the ring. */
#ifndef RVX_LINUX_USER_CODE_LOG_H
#define RVX_LINUX_USER_CODE_LOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define CODE_LOG_SIZE 256

typedef struct CodeRange {
    uint64_t addr, len;   /* len 0: everything */
} CodeRange;

typedef struct CodeLog {
    unsigned gen;                        /* changes so far (read atomically) */
    atomic_flag lock;
    CodeRange change[CODE_LOG_SIZE];     /* change g at g % CODE_LOG_SIZE */
} CodeLog;

/* Records a change of [addr, addr + len) (len 0: of anything); returns its generation. */
unsigned code_log_add(CodeLog *l, uint64_t addr, uint64_t len);

static inline unsigned code_log_gen(CodeLog *l) { return __atomic_load_n(&l->gen, __ATOMIC_SEQ_CST); }

/* The changes after generation `from`, up to the latest, into out[CODE_LOG_SIZE];
 * returns the latest generation, with *n the number of ranges, or false in *known
 * when they are not all known (drop everything). */
unsigned code_log_since(CodeLog *l, unsigned from, CodeRange *out, unsigned *n, bool *known);

/* In a forked child: another thread of the parent may have held the lock at the fork
 * (the ring itself is whole: an entry is written before its generation). */
static inline void code_log_after_fork(CodeLog *l) { atomic_flag_clear(&l->lock); }

#endif
