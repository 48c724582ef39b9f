/* A user-mode guest process: its address space, program break, signal dispositions,
 * threads and the options it was started with. One per host process (fork gives the
 * child a copy, as Linux does); guest threads share it, each running on its own host
 * thread with its own UserThread (hart, signal mask, pending signals).
 *
 * Locking: `lock` guards the guest memory map (GuestMem changes, brk, the mapping
 * list), the signal dispositions and the thread list. Harts read the protection bytes
 * without the lock: a map change publishes a new generation and asks every other
 * hart to leave its exec loop, where it drops its TLB (and its decoded code when the
 * change touched executable pages) before running guest code again. */
#ifndef RVX_LINUX_USER_PROCESS_H
#define RVX_LINUX_USER_PROCESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "frontend/hart.h"
#include "linux-user/code_log.h"
#include "linux-user/guest_mem.h"

typedef struct UserOptions {
    const char *sysroot;       /* -L: guest paths are looked up here first */
    const char *argv0;         /* guest argv[0] if not the program path */
    bool strace;
    const char *engine;        /* engine name, passed on across execve */
    uintptr_t guest_base;      /* -B: host address of guest address 0, 0 for rvx's choice */
    unsigned dbt_threshold;    /* --dbt-threshold, passed on across execve */
} UserOptions;

enum { GUEST_NSIG = 65 }; /* signals 1..64, same numbers on x86-64 and riscv64 */

/* riscv64's kernel struct sigaction: no sa_restorer. */
typedef struct GuestSigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t mask;
} GuestSigaction;

/* siginfo_t: 128 bytes with the same generic layout on riscv64 and x86-64. */
typedef struct GuestSiginfo {
    int32_t signo, errno_, code, pad0;
    union {
        struct { int32_t pid; uint32_t uid; uint64_t value; } kill;   /* SI_USER, rt */
        struct { uint64_t addr; } fault;                              /* SIGSEGV/BUS/ILL/TRAP */
        struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad;
                 int64_t utime, stime; } child;                        /* SIGCHLD */
        uint8_t raw[112];
    } u;
} GuestSiginfo;
_Static_assert(sizeof(GuestSiginfo) == 128, "siginfo_t is 128 bytes");

/* One guest thread. The hart comes first: user_thread_of(h) recovers the thread. */
typedef struct UserThread {
    Hart hart;
    struct Process *proc;
    pid_t tid;
    uint64_t clear_child_tid;     /* CLONE_CHILD_CLEARTID / set_tid_address */
    uint64_t robust_list;         /* set_robust_list head, walked when the thread dies */
    uint64_t sig_blocked;         /* guest mask, bit (sig - 1) */
    uint64_t sig_saved_mask;      /* mask to restore after sigsuspend/ppoll/... */
    bool sig_saved_valid;
    uint64_t sig_pending;         /* bit (sig - 1); set by the host handler (atomic) */
    GuestSiginfo sig_info[GUEST_NSIG];
    uint64_t altstack_sp, altstack_size;
    int altstack_flags;
    bool syscall_restart;         /* the ecall at pc returns -EINTR or is re-run */
    bool regs_set;                /* a handler set pc and a0 itself (rt_sigreturn) */
    unsigned map_gen, code_gen;   /* generations this hart's caches reflect (code: of
                                     Process.code_log) */
    bool is_main;
    struct UserThread *next;
} UserThread;

static inline UserThread *user_thread_of(Hart *h) { return (UserThread *)h; }

/* Where process_load put things (Linux's mm_struct fields /proc/self/stat shows):
 * the program's code and data (its PT_LOAD segments, executable or not), the
 * initial stack pointer, the argument and environment strings. */
typedef struct GuestLayout {
    uint64_t start_code, end_code, start_data, end_data, start_stack;
    uint64_t arg_start, arg_end, env_start, env_end;
} GuestLayout;

enum { GUEST_AUXV_MAX = 64 };

/* The resource limits rvx keeps for the guest rather than giving them to the host
 * (user_limits.c). */
enum { GUEST_LIMIT_AS, GUEST_LIMIT_DATA, GUEST_LIMITS };

typedef struct Process {
    GuestMem mem;
    UserOptions opt;
    char exe_path[4096];       /* host path of the guest program (for /proc/self/exe) */
    uint64_t brk_start, brk_cur;
    uint64_t entry;            /* guest entry point (interpreter's when dynamic) */
    uint32_t persona;          /* personality(2); its host-safe flags are the host's too */
    struct rlimit limit[GUEST_LIMITS]; /* the guest's RLIMIT_AS and RLIMIT_DATA */
    uint64_t stack_top;
    uint64_t sigreturn_tramp;  /* guest address of `li a7, 139; ecall` (our vDSO) */
    GuestLayout layout;
    uint64_t auxv[GUEST_AUXV_MAX]; /* the initial auxv (pairs up to AT_NULL), for /proc/self/auxv */
    unsigned auxv_words;

    pthread_mutex_t lock;
    GuestSigaction sig_action[GUEST_NSIG];
    UserThread main;           /* the initial thread */
    UserThread *threads;       /* every live thread, main first */
    int n_threads;
    int leader_status;         /* exit status of the initial thread, if it exited */
    volatile int group_exit;   /* exit_group from the main thread: others stop */
    unsigned map_gen;          /* bumped (atomically, under lock) on map changes */
    CodeLog code_log;          /* changes to code (code_log.h) */
    /* Some translated code came from a shared mapping (set under lock, never
     * cleared): it may change through another mapping of the same pages, which no
     * write protection here sees, so fence.i and riscv_flush_icache must drop
     * translations. Without it they need not: every write to code is seen
     * (GPROT_CODE), and a JIT flushing after each function it emits made every
     * thread retranslate everything (node: 865 flushes in a 45 s run). */
    bool shared_code;
} Process;

/* Prepares p and its main thread's hart for user mode. Call before process_load. */
void process_init(Process *p, const UserOptions *opt);
static inline Hart *process_main_hart(Process *p) { return &p->main.hart; }

/* Loads the program (and its ELF interpreter), builds the initial stack and sets the
 * hart's registers. Returns 0, or prints a one-line error and returns the exit status
 * rvx should use (1: bad invocation or unreadable program, 2: not a riscv64 ELF). */
int process_load(Process *p, Hart *h, const char *path, int argc, char **argv, char **envp);

/* What Linux's execve checks of a riscv64 ELF program (at host path `path`) before
 * its point of no return: its headers (-ENOEXEC), and its ELF interpreter, found as
 * process_load finds it (-ENOENT, -EACCES..., -ELIBBAD when not a riscv64 ELF).
 * 0 when process_load will get past them. */
int process_exec_check(const Process *p, const char *path);

/* Runs the guest thread until it (or, for the main thread, the process) exits;
 * returns the exit status for rvx (128 + signal when a signal killed it). */
int process_run(Process *p, Hart *h);

/* The MmuOps of user mode: translation through GuestMem protection bytes. */
extern const struct MmuOps user_mmu_ops;

/* Serves the ecall at h->pc (number in a7). Returns true when the thread exited,
 * with *status set. */
bool syscall_dispatch(Process *p, Hart *h, int *status);

/* Opens a guest path, looking under the sysroot first for absolute paths. */
int user_open_path(const Process *p, int dirfd, const char *path, int flags, int mode);
/* The host path to use for a guest absolute path (sysroot + path if that exists). */
const char *user_path(const Process *p, const char *path, char *buf, unsigned size);
/* The guest's name for a host path: without the sysroot prefix. */
const char *user_guest_name(const Process *p, const char *host);

/* The guest's RLIMIT_AS and RLIMIT_DATA (user_limits.c). user_limits_init takes
 * them from the previous rvx of an execve, or from the host, in process_init. */
void user_limits_init(Process *p);
/* Whether rvx keeps `resource` for the guest (getrlimit, setrlimit, prlimit64 on
 * the calling process use the two below). */
bool user_limits_kept(int resource);
struct rlimit user_limits_get(const Process *p, int resource);
/* As setrlimit: 0, -EINVAL (soft above hard), -EPERM (hard raised without
 * CAP_SYS_RESOURCE). */
int64_t user_limits_set(Process *p, int resource, const struct rlimit *new_limit);
/* Whether the guest's limits leave room for a new mapping of [addr, addr+len),
 * private and writable when `data` (Linux's may_expand_vm); with `replace`, what is
 * mapped there now goes (MAP_FIXED). Call with p->lock held. */
bool user_limits_allow(const Process *p, uint64_t addr, uint64_t len, bool replace, bool data);
/* The environment entry that passes the limits to the next rvx of an execve (in
 * buf), or NULL when there is nothing to pass (no limit). */
const char *user_limits_export(const Process *p, char *buf, size_t size);
/* Before the guest executes a host program: the host's limits become the guest's. */
void user_limits_apply_to_host(const Process *p);

/* Memory-map and code changes seen by every thread (see the header comment). Call
 * with p->lock held; `code` also drops decoded code everywhere. */
void process_map_changed(Process *p, UserThread *self, bool code);
/* The same for a change confined to [addr, addr + len): the calling thread drops only
 * the code of those pages (loading a library maps over its own reservation, which
 * must not cost every translation); other threads still drop all of theirs. */
void process_range_changed(Process *p, UserThread *self, uint64_t addr, uint64_t len, bool code);
/* Brings a hart's caches up to the process generations (its own thread only). */
void process_sync_caches(Process *p, UserThread *t);

#endif
