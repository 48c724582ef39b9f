/* Syscall dispatch: the table built from syscall.def, strace-style logging, and the
 * ecall return protocol (a0 = result, pc past the ecall). */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

__thread SyscallExit syscall_exit;

typedef struct SyscallDef {
    const char *name;
    SyscallFn fn;
    const char *args;
    unsigned flags;
} SyscallDef;

enum { MAX_SYSCALL = 512, R = 1 };

static const SyscallDef table[MAX_SYSCALL] = {
#define SYSCALL(nr, name, args, flags) [nr] = {#name, sys_##name, args, flags},
#include "linux-user/syscall.def"
#undef SYSCALL
};

static void strace_args(const Process *p, const SyscallDef *def, const uint64_t *a)
{
    for (int i = 0; def->args[i]; i++) {
        const char *sep = i ? ", " : "";
        switch (def->args[i]) {
        case 'd': fprintf(stderr, "%s%lld", sep, (long long)a[i]); break;
        case 's': {
            const char *s = guest_str(&p->mem, a[i], 4096);
            if (s) fprintf(stderr, "%s\"%.64s\"", sep, s);
            else fprintf(stderr, "%s0x%llx", sep, (unsigned long long)a[i]);
            break;
        }
        default: fprintf(stderr, "%s0x%llx", sep, (unsigned long long)a[i]); break;
        }
    }
}

static void strace_result(int64_t ret)
{
    if (ret < 0 && ret > -4096)
        fprintf(stderr, ") = -1 %s (%s)\n", strerrorname_np((int)-ret) ? strerrorname_np((int)-ret) : "?",
                strerror((int)-ret));
    else
        fprintf(stderr, ") = %lld (0x%llx)\n", (long long)ret, (unsigned long long)ret);
}

bool syscall_dispatch(Process *p, Hart *h, int *status)
{
    UserThread *t = THREAD;
    uint64_t nr = h->x[17];
    const uint64_t a[6] = {h->x[10], h->x[11], h->x[12], h->x[13], h->x[14], h->x[15]};
    const SyscallDef *def = nr < MAX_SYSCALL && table[nr].fn ? &table[nr] : NULL;
    if (p->opt.strace) {
        if (def) {
            fprintf(stderr, "%d %s(", gettid(), def->name);
            strace_args(p, def, a);
        } else {
            fprintf(stderr, "%d syscall_%llu(0x%llx, 0x%llx, 0x%llx", gettid(),
                    (unsigned long long)nr, (unsigned long long)a[0],
                    (unsigned long long)a[1], (unsigned long long)a[2]);
        }
    }
    int64_t ret = def ? def->fn(p, h, a) : -ENOSYS;
    if (syscall_exit.exited) {
        if (p->opt.strace)
            fprintf(stderr, ") = ?\n+++ exited with %d +++\n", syscall_exit.status);
        *status = syscall_exit.status;
        return true;
    }
    if (t->regs_set) {
        /* rt_sigreturn: pc and every register came from the signal frame. */
        t->regs_set = false;
        if (p->opt.strace)
            fprintf(stderr, ") = %lld (returning to 0x%llx)\n", (long long)ret,
                    (unsigned long long)h->pc);
        return false;
    }
    if (ret == -EINTR && def && (def->flags & R)) {
        /* Decided at delivery: -EINTR, or the ecall runs again (pc and a0 kept). */
        if (p->opt.strace)
            fprintf(stderr, ") = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n");
        t->syscall_restart = true;
        return false;
    }
    if (p->opt.strace)
        strace_result(ret);
    h->x[10] = (uint64_t)ret;
    h->pc += 4;
    return false;
}
