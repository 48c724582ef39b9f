/* Linux syscalls of riscv64 guests, served on the host. Each handler takes the six
 * argument registers and returns the value for a0 (negative errno on failure).
 * Guest pointers are always checked (guest_ptr/guest_str) and give -EFAULT when bad. */
#ifndef RVX_LINUX_USER_SYSCALL_H
#define RVX_LINUX_USER_SYSCALL_H

#include <errno.h>
#include <stdint.h>

#include "linux-user/process.h"

typedef int64_t (*SyscallFn)(Process *p, Hart *h, const uint64_t *a);

#define SYSCALL_HANDLER(name) int64_t sys_##name(Process *p, Hart *h, const uint64_t *a)

/* -errno of the last failed host call when r < 0, else r. */
static inline int64_t host_ret(int64_t r) { return r < 0 ? -errno : r; }

#define GPTR(addr, len, prot) guest_ptr(&p->mem, (addr), (len), (prot))
#define GSTR(addr) guest_str(&p->mem, (addr), 4096)

/* Declarations of every handler named in syscall.def. */
#define SYSCALL(nr, name, args) SYSCALL_HANDLER(name);
#include "linux-user/syscall.def"
#undef SYSCALL

/* Set when a handler ends the process: the status rvx exits with. */
typedef struct SyscallExit {
    int exited;
    int status;
} SyscallExit;
extern __thread SyscallExit syscall_exit;

int open_flags_to_host(uint64_t guest_flags);
int host_dirfd(int64_t guest_dirfd);

#endif
