/* Linux syscalls of riscv64 guests, served on the host. Each handler takes the six
 * argument registers and returns the value for a0 (negative errno on failure).
 * Guest pointers are always checked (guest_ptr/guest_str) and give -EFAULT when bad. */
#ifndef RVX_LINUX_USER_SYSCALL_H
#define RVX_LINUX_USER_SYSCALL_H

#include <errno.h>
#include <stdint.h>

#include "linux-user/process.h"
#include "linux-user/user_signal.h"

typedef int64_t (*SyscallFn)(Process *p, Hart *h, const uint64_t *a);

#define SYSCALL_HANDLER(name) int64_t sys_##name(Process *p, Hart *h, const uint64_t *a)

/* -errno of the last failed host call when r < 0, else r. */
static inline int64_t host_ret(int64_t r) { return r < 0 ? -errno : r; }

#define GPTR(addr, len, prot) guest_ptr(&p->mem, (addr), (len), (prot))
#define GSTR(addr) guest_str(&p->mem, (addr), 4096)
/* What a path argument GSTR could not read returns: -ENAMETOOLONG or -EFAULT. */
#define GPATH_ERROR(addr) guest_path_error(&p->mem, (addr), 4096)
/* The calling guest thread. */
#define THREAD user_thread_of(h)

/* Declarations of every handler named in syscall.def. */
#define SYSCALL(nr, name, args, flags) SYSCALL_HANDLER(name);
#include "linux-user/syscall.def"
#undef SYSCALL

/* Set when a handler ends the calling thread: the status rvx exits with. */
typedef struct SyscallExit {
    int exited;
    int status;
} SyscallExit;
extern __thread SyscallExit syscall_exit;

int open_flags_to_host(uint64_t guest_flags);
uint64_t open_flags_to_guest(int host_flags);
int host_dirfd(int64_t guest_dirfd);

/* Guest iovec arrays (pointer + length pairs) as host iovecs; -errno on bad input.
 * `out` has room for IOV_MAX entries. */
enum { GUEST_IOV_MAX = 1024 };
struct iovec;
int64_t get_iovec(Process *p, uint64_t addr, uint64_t count, int prot, struct iovec *out);

/* Reads the guest sigset at addr (size must be 8) into *mask: 0 or -errno. */
int64_t get_guest_sigset(Process *p, uint64_t addr, uint64_t size, uint64_t *mask);

/* /proc/self (proc_self.c). Whether path names our /proc/.../exe link: */
bool proc_self_is_exe(const char *path);
/* Opens the emulated /proc file path names, if it is one (true, *result the
 * descriptor or -errno); false for any other path. */
bool proc_self_open(Process *p, const char *path, int host_flags, int64_t *result);

/* Walks the robust futex list of self (and with `group`, of every thread: exit_group,
 * execve) as Linux does when a thread dies: futexes the thread still owns get
 * FUTEX_OWNER_DIED and a waiter is woken. The lists are forgotten. */
void robust_lists_release(Process *p, UserThread *self, bool group);
/* Ends the calling thread (exit) or the whole process (exit_group). */
void thread_exit(Process *p, UserThread *t, int status, bool group);

#endif
