/* A user-mode guest process: its address space, program break, and the options it
 * was started with. One per host process (fork gives the child a copy, as Linux
 * does); guest threads share it. */
#ifndef RVX_LINUX_USER_PROCESS_H
#define RVX_LINUX_USER_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend/hart.h"
#include "linux-user/guest_mem.h"

typedef struct UserOptions {
    const char *sysroot;       /* -L: guest paths are looked up here first */
    const char *argv0;         /* guest argv[0] if not the program path */
    bool strace;
    const char *engine;        /* engine name, passed on across execve */
} UserOptions;

typedef struct Process {
    GuestMem mem;
    UserOptions opt;
    char exe_path[4096];       /* host path of the guest program (for /proc/self/exe) */
    uint64_t brk_start, brk_cur;
    uint64_t entry;            /* guest entry point (interpreter's when dynamic) */
    uint64_t stack_top;
} Process;

/* Loads the program (and its ELF interpreter), builds the initial stack and sets the
 * hart's registers. Returns 0, or prints a one-line error and returns the exit status
 * rvx should use (1: bad invocation or unreadable program, 2: not a riscv64 ELF). */
int process_load(Process *p, Hart *h, const char *path, int argc, char **argv, char **envp);

/* Runs the guest until it exits; returns the exit status for rvx (128 + signal when
 * a signal killed it). */
int process_run(Process *p, Hart *h);

/* The MmuOps of user mode: translation through GuestMem protection bytes. */
extern const struct MmuOps user_mmu_ops;

/* Serves the ecall at h->pc (number in a7). Returns true when the guest exited,
 * with *status set. */
bool syscall_dispatch(Process *p, Hart *h, int *status);

/* Opens a guest path, looking under the sysroot first for absolute paths. */
int user_open_path(const Process *p, int dirfd, const char *path, int flags, int mode);
/* The host path to use for a guest absolute path (sysroot + path if that exists). */
const char *user_path(const Process *p, const char *path, char *buf, unsigned size);

#endif
