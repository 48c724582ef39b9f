/* The ring of code changes (code_log.h). */
#include "linux-user/code_log.h"

static void lock_take(CodeLog *l)
{
    while (atomic_flag_test_and_set_explicit(&l->lock, memory_order_acquire))
        ;
}

static void lock_drop(CodeLog *l) { atomic_flag_clear_explicit(&l->lock, memory_order_release); }

unsigned code_log_add(CodeLog *l, uint64_t addr, uint64_t len)
{
    lock_take(l);
    unsigned gen = l->gen + 1;
    l->change[gen % CODE_LOG_SIZE] = (CodeRange){addr, len};
    __atomic_store_n(&l->gen, gen, __ATOMIC_SEQ_CST);
    lock_drop(l);
    return gen;
}

unsigned code_log_since(CodeLog *l, unsigned from, CodeRange *out, unsigned *n, bool *known)
{
    lock_take(l);
    unsigned now = l->gen;
    *n = 0;
    *known = now - from <= CODE_LOG_SIZE;
    for (unsigned g = from + 1; *known && g != now + 1; g++) {
        out[(*n)++] = l->change[g % CODE_LOG_SIZE];
        *known = l->change[g % CODE_LOG_SIZE].len != 0;
    }
    lock_drop(l);
    return now;
}
