/* Process syscalls: identity and credentials, execve (which re-enters rvx so the
 * new program stays emulated with the same options), wait, limits, scheduling,
 * uname. Credential changes use the raw syscalls: glibc's wrappers would broadcast
 * to every host thread with its internal signal, which belongs to the guest here. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

SYSCALL_HANDLER(getpid) { return getpid(); }
SYSCALL_HANDLER(getppid) { return getppid(); }
SYSCALL_HANDLER(gettid) { return gettid(); }
SYSCALL_HANDLER(getuid) { return getuid(); }
SYSCALL_HANDLER(geteuid) { return geteuid(); }
SYSCALL_HANDLER(getgid) { return getgid(); }
SYSCALL_HANDLER(getegid) { return getegid(); }
SYSCALL_HANDLER(setpgid) { return host_ret(setpgid((pid_t)a[0], (pid_t)a[1])); }
SYSCALL_HANDLER(getpgid) { return host_ret(getpgid((pid_t)a[0])); }
SYSCALL_HANDLER(setsid) { return host_ret(setsid()); }

SYSCALL_HANDLER(uname)
{
    struct utsname *u = GPTR(a[0], sizeof *u, GPROT_WRITE);
    if (!u)
        return -EFAULT;
    if (uname(u) < 0)
        return -errno;
    snprintf(u->machine, sizeof u->machine, "riscv64");
    return 0;
}

SYSCALL_HANDLER(prlimit64)
{
    const struct rlimit *new_limit = NULL;
    struct rlimit *old_limit = NULL;
    int resource = (int)a[1];
    if (a[2] && !(new_limit = GPTR(a[2], sizeof *new_limit, GPROT_READ)))
        return -EFAULT;
    if (a[3] && !(old_limit = GPTR(a[3], sizeof *old_limit, GPROT_WRITE)))
        return -EFAULT;
    if (((pid_t)a[0] != 0 && (pid_t)a[0] != getpid()) || !user_limits_kept(resource))
        return host_ret(prlimit((pid_t)a[0], resource, new_limit, old_limit));
    pthread_mutex_lock(&p->lock);
    struct rlimit old = user_limits_get(p, resource);
    int64_t r = new_limit ? user_limits_set(p, resource, new_limit) : 0;
    pthread_mutex_unlock(&p->lock);
    if (r == 0 && old_limit)
        *old_limit = old;
    return r;
}

SYSCALL_HANDLER(getrlimit)
{
    const uint64_t b[4] = {0, a[0], 0, a[1]};
    return sys_prlimit64(p, h, b);
}

SYSCALL_HANDLER(getrusage)
{
    struct rusage *r = GPTR(a[1], sizeof *r, GPROT_WRITE);
    return r ? host_ret(getrusage((int)a[0], r)) : -EFAULT;
}

SYSCALL_HANDLER(sysinfo)
{
    struct sysinfo *s = GPTR(a[0], sizeof *s, GPROT_WRITE);
    return s ? host_ret(sysinfo(s)) : -EFAULT;
}

SYSCALL_HANDLER(prctl)
{
    enum { PR_SET_NAME_ = 15, PR_GET_NAME_ = 16 };
    switch (a[0]) {
    case PR_SET_NAME_: {
        const char *name = GPTR(a[1], 16, GPROT_READ);
        return name ? host_ret(prctl(PR_SET_NAME, name)) : -EFAULT;
    }
    case PR_GET_NAME_: {
        char *name = GPTR(a[1], 16, GPROT_WRITE);
        return name ? host_ret(prctl(PR_GET_NAME, name)) : -EFAULT;
    }
    case PR_GET_PDEATHSIG: case PR_GET_CHILD_SUBREAPER: {
        int *out = GPTR(a[1], 4, GPROT_WRITE);
        return out ? host_ret(prctl((int)a[0], out)) : -EFAULT;
    }
    /* Integer-only options: the same numbers and meaning on the host. */
    case PR_SET_PDEATHSIG: case PR_GET_DUMPABLE: case PR_SET_DUMPABLE: case PR_GET_KEEPCAPS:
    case PR_SET_KEEPCAPS: case PR_CAPBSET_READ: case PR_CAPBSET_DROP: case PR_GET_TIMERSLACK:
    case PR_SET_TIMERSLACK: case PR_SET_CHILD_SUBREAPER: case PR_SET_NO_NEW_PRIVS:
    case PR_GET_NO_NEW_PRIVS: case PR_GET_SECUREBITS:
        return host_ret(prctl((int)a[0], (unsigned long)a[1], (unsigned long)a[2],
                              (unsigned long)a[3], (unsigned long)a[4]));
    default:
        return -EINVAL;
    }
}

SYSCALL_HANDLER(getrandom)
{
    void *buf = GPTR(a[0], a[1], GPROT_WRITE);
    return buf ? host_ret(getrandom(buf, a[1], (unsigned)a[2])) : -EFAULT;
}

SYSCALL_HANDLER(sched_yield) { return host_ret(sched_yield()); }
SYSCALL_HANDLER(sched_getaffinity)
{
    void *mask = GPTR(a[2], a[1], GPROT_WRITE);
    return mask ? host_ret(syscall(SYS_sched_getaffinity, (pid_t)a[0], (size_t)a[1], mask))
                : -EFAULT;
}
SYSCALL_HANDLER(sched_setaffinity)
{
    const void *mask = GPTR(a[2], a[1], GPROT_READ);
    return mask ? host_ret(syscall(SYS_sched_setaffinity, (pid_t)a[0], (size_t)a[1], mask))
                : -EFAULT;
}
/* struct sched_param is one int everywhere. */
SYSCALL_HANDLER(sched_setparam)
{
    const void *sp = GPTR(a[1], 4, GPROT_READ);
    return sp ? host_ret(syscall(SYS_sched_setparam, (pid_t)a[0], sp)) : -EFAULT;
}
SYSCALL_HANDLER(sched_getparam)
{
    void *sp = GPTR(a[1], 4, GPROT_WRITE);
    return sp ? host_ret(syscall(SYS_sched_getparam, (pid_t)a[0], sp)) : -EFAULT;
}
SYSCALL_HANDLER(sched_setscheduler)
{
    const void *sp = GPTR(a[2], 4, GPROT_READ);
    return sp ? host_ret(syscall(SYS_sched_setscheduler, (pid_t)a[0], (int)a[1], sp)) : -EFAULT;
}
SYSCALL_HANDLER(sched_getscheduler) { return host_ret(syscall(SYS_sched_getscheduler, (pid_t)a[0])); }
SYSCALL_HANDLER(sched_get_priority_max) { return host_ret(sched_get_priority_max((int)a[0])); }
SYSCALL_HANDLER(sched_get_priority_min) { return host_ret(sched_get_priority_min((int)a[0])); }
SYSCALL_HANDLER(sched_rr_get_interval)
{
    struct timespec *ts = GPTR(a[1], sizeof *ts, GPROT_WRITE);
    return ts ? host_ret(sched_rr_get_interval((pid_t)a[0], ts)) : -EFAULT;
}
SYSCALL_HANDLER(getcpu)
{
    unsigned *cpu = NULL, *node = NULL;
    if (a[0] && !(cpu = GPTR(a[0], 4, GPROT_WRITE)))
        return -EFAULT;
    if (a[1] && !(node = GPTR(a[1], 4, GPROT_WRITE)))
        return -EFAULT;
    return host_ret(syscall(SYS_getcpu, cpu, node, NULL));
}
SYSCALL_HANDLER(setpriority) { return host_ret(setpriority((int)a[0], (id_t)a[1], (int)a[2])); }
SYSCALL_HANDLER(getpriority)
{
    /* The raw syscall's 20 - nice encoding, which the guest's libc undoes. */
    return host_ret(syscall(SYS_getpriority, (int)a[0], (id_t)a[1]));
}

/* ---- credentials ---- */

SYSCALL_HANDLER(setuid) { return host_ret(syscall(SYS_setuid, (uid_t)a[0])); }
SYSCALL_HANDLER(setgid) { return host_ret(syscall(SYS_setgid, (gid_t)a[0])); }
SYSCALL_HANDLER(setreuid) { return host_ret(syscall(SYS_setreuid, (uid_t)a[0], (uid_t)a[1])); }
SYSCALL_HANDLER(setregid) { return host_ret(syscall(SYS_setregid, (gid_t)a[0], (gid_t)a[1])); }
SYSCALL_HANDLER(setresuid)
{
    return host_ret(syscall(SYS_setresuid, (uid_t)a[0], (uid_t)a[1], (uid_t)a[2]));
}
SYSCALL_HANDLER(setresgid)
{
    return host_ret(syscall(SYS_setresgid, (gid_t)a[0], (gid_t)a[1], (gid_t)a[2]));
}
SYSCALL_HANDLER(setfsuid) { return host_ret(syscall(SYS_setfsuid, (uid_t)a[0])); }
SYSCALL_HANDLER(setfsgid) { return host_ret(syscall(SYS_setfsgid, (gid_t)a[0])); }
static int64_t get_res_ids(Process *p, const uint64_t *a, long nr)
{
    uint32_t *r = GPTR(a[0], 4, GPROT_WRITE), *e = GPTR(a[1], 4, GPROT_WRITE),
             *s = GPTR(a[2], 4, GPROT_WRITE);
    return r && e && s ? host_ret(syscall(nr, r, e, s)) : -EFAULT;
}
SYSCALL_HANDLER(getresuid) { return get_res_ids(p, a, SYS_getresuid); }
SYSCALL_HANDLER(getresgid) { return get_res_ids(p, a, SYS_getresgid); }
SYSCALL_HANDLER(getgroups)
{
    int n = (int)a[0];
    if (n < 0)
        return -EINVAL;
    gid_t *list = GPTR(a[1], (uint64_t)n * 4, GPROT_WRITE);
    return list ? host_ret(syscall(SYS_getgroups, n, list)) : -EFAULT;
}
SYSCALL_HANDLER(setgroups)
{
    int n = (int)a[0];
    if (n < 0)
        return -EINVAL;
    const gid_t *list = GPTR(a[1], (uint64_t)n * 4, GPROT_READ);
    return list ? host_ret(syscall(SYS_setgroups, n, list)) : -EFAULT;
}
/* struct __user_cap_header/data_struct: plain 32-bit words everywhere. */
SYSCALL_HANDLER(capget)
{
    void *hdr = GPTR(a[0], 8, GPROT_READ | GPROT_WRITE);
    void *data = NULL;
    if (!hdr || (a[1] && !(data = GPTR(a[1], 24, GPROT_WRITE))))
        return -EFAULT;
    return host_ret(syscall(SYS_capget, hdr, data));
}
SYSCALL_HANDLER(capset)
{
    void *hdr = GPTR(a[0], 8, GPROT_READ | GPROT_WRITE);
    const void *data = GPTR(a[1], 24, GPROT_READ);
    return hdr && data ? host_ret(syscall(SYS_capset, hdr, data)) : -EFAULT;
}
/* Persona flags that only change what the kernel reports (UNAME26, SHORT_INODE,
 * WHOLE_SECONDS, STICKY_TIMEOUTS) or whether it randomises (ADDR_NO_RANDOMIZE,
 * which the guest's map never is anyway): the rvx process takes them too, so they
 * survive execve as on Linux (rvx re-executes itself; setarch -R and sanitizers
 * rely on it). The others (ADDR_LIMIT_32BIT, READ_IMPLIES_EXEC, MMAP_PAGE_ZERO, the
 * execution domain...) would change rvx's own address space or behaviour: the
 * guest's persona keeps them, an execve drops them. */
enum { HOST_SAFE_PERSONA = UNAME26 | ADDR_NO_RANDOMIZE | SHORT_INODE | WHOLE_SECONDS | STICKY_TIMEOUTS };

SYSCALL_HANDLER(personality)
{
    /* Any value is taken, as by Linux; 0xffffffff only asks. */
    uint32_t old = p->persona, want = (uint32_t)a[0];
    if (want != 0xffffffffu) {
        p->persona = want;
        uint32_t host = (uint32_t)personality(0xffffffff);
        personality((host & ~(uint32_t)HOST_SAFE_PERSONA) | (want & HOST_SAFE_PERSONA));
    }
    return old;
}
SYSCALL_HANDLER(getsid) { return host_ret(getsid((pid_t)a[0])); }

/* Guest processes are host processes: the host's pidfd serves (poll, waitid with
 * P_PIDFD, pidfd_send_signal). */
SYSCALL_HANDLER(pidfd_open)
{
    enum { G_PIDFD_THREAD = 0200, G_PIDFD_NONBLOCK = 04000 }; /* O_EXCL, O_NONBLOCK */
    if (a[1] & ~(uint64_t)(G_PIDFD_THREAD | G_PIDFD_NONBLOCK))
        return -EINVAL;
    return host_ret(syscall(SYS_pidfd_open, (pid_t)a[0], (unsigned)open_flags_to_host(a[1])));
}
SYSCALL_HANDLER(unshare) { return host_ret(unshare((int)a[0])); }
SYSCALL_HANDLER(sethostname)
{
    const char *name = GPTR(a[0], a[1], GPROT_READ);
    return name ? host_ret(sethostname(name, a[1])) : -EFAULT;
}


SYSCALL_HANDLER(setrlimit)
{
    const uint64_t b[4] = {0, a[0], a[1], 0};
    return sys_prlimit64(p, h, b);
}

/* siginfo_t is the same on both sides; struct rusage too (longs and timevals). */
SYSCALL_HANDLER(waitid)
{
    siginfo_t *info = NULL;
    struct rusage *ru = NULL;
    if (a[2] && !(info = GPTR(a[2], sizeof *info, GPROT_WRITE)))
        return -EFAULT;
    if (a[4] && !(ru = GPTR(a[4], sizeof *ru, GPROT_WRITE)))
        return -EFAULT;
    return host_ret(syscall(SYS_waitid, (int)a[0], (pid_t)a[1], info, (int)a[3], ru));
}

SYSCALL_HANDLER(wait4)
{
    int *status = NULL;
    struct rusage *ru = NULL;
    if (a[1] && !(status = GPTR(a[1], sizeof *status, GPROT_WRITE)))
        return -EFAULT;
    if (a[3] && !(ru = GPTR(a[3], sizeof *ru, GPROT_WRITE)))
        return -EFAULT;
    return host_ret(wait4((pid_t)a[0], status, (int)a[2], ru));
}

/* ---- execve ---- */

/* Linux's limits on what execve copies: each string at most MAX_ARG_STRLEN bytes with
 * its NUL, and the strings with their pointers at most a quarter of the 8 MiB stack
 * (both E2BIG); no limit on the count itself. */
enum { MAX_ARG_STRLEN = 32 * 4096, MAX_ARG_BYTES = (8 << 20) / 4 };

/* Reads a NULL-terminated guest pointer array of strings into *out (allocated, NULL
 * terminated), adding its size to *bytes. Returns the count or -errno. */
static int get_string_array(Process *p, uint64_t addr, const char ***out, size_t *bytes)
{
    size_t n = 0, cap = 64;
    const char **v = malloc(cap * sizeof *v);
    if (!v)
        return -ENOMEM;
    *out = v;
    for (; addr; n++) {
        const uint64_t *slot = GPTR(addr + 8 * (uint64_t)n, 8, GPROT_READ);
        if (!slot)
            return -EFAULT;
        if (!*slot)
            break;
        const char *s = guest_str(&p->mem, *slot, MAX_ARG_STRLEN);
        if (!s)
            return guest_path_error(&p->mem, *slot, MAX_ARG_STRLEN) == -EFAULT ? -EFAULT : -E2BIG;
        *bytes += strlen(s) + 1 + sizeof(uint64_t);
        if (*bytes > MAX_ARG_BYTES)
            return -E2BIG;
        if (n + 1 == cap) {
            const char **grown = realloc(v, 2 * cap * sizeof *v);
            if (!grown)
                return -ENOMEM;
            *out = v = grown;
            cap *= 2;
        }
        v[n] = s;
    }
    v[n] = NULL;
    return (int)n;
}

enum ProgramKind { PROGRAM_OTHER, PROGRAM_RISCV64_ELF, PROGRAM_SCRIPT };

/* What kind of program a host path holds (-errno when it cannot be read); for a
 * script, its #! line without the #! (what fits in Linux's 256-byte buffer). */
static int program_kind(const char *path, char *line, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n >= 20 && memcmp(buf, "\177ELF", 4) == 0 && buf[4] == 2 &&
        (uint8_t)buf[18] == 243 && buf[19] == 0)
        return PROGRAM_RISCV64_ELF;
    if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
        buf[n] = 0;
        buf[strcspn(buf, "\n")] = 0;
        snprintf(line, size, "%s", buf + 2);
        return PROGRAM_SCRIPT;
    }
    return PROGRAM_OTHER;
}

/* A #! line as Linux's binfmt_script splits it: the interpreter is the first word
 * (words end at a space or a tab only: "/bin/sh\r" names a file with a \r), the
 * rest without its surrounding spaces and tabs is one optional argument (NULL when
 * empty). -ENOEXEC when the line names no interpreter. Splits `line` in place. */
static int split_shebang(char *line, char **interp, char **arg)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        line[--n] = 0;
    char *s = line + strspn(line, " \t");
    if (!*s)
        return -ENOEXEC;
    *interp = s;
    s += strcspn(s, " \t");
    *arg = NULL;
    if (*s) {
        *s++ = 0;
        s += strspn(s, " \t");
        if (*s)
            *arg = s;
    }
    return 0;
}

/* How a script runs: PROGRAM_SCRIPT when its interpreter is a riscv64 program (rvx
 * runs that), PROGRAM_OTHER when the host runs it; -errno as Linux's execve fails
 * before its point of no return: the interpreter missing or not executable, or its
 * own ELF interpreter missing. */
static int script_kind(const Process *p, const char *interp)
{
    char buf[PATH_MAX], line[256];
    const char *host = user_path(p, interp, buf, sizeof buf);
    if (access(host, X_OK) < 0)
        return -errno;
    int kind = program_kind(host, line, sizeof line);
    if (kind != PROGRAM_RISCV64_ELF)
        return kind < 0 ? kind : PROGRAM_OTHER;
    int err = process_exec_check(p, host);
    return err < 0 ? err : PROGRAM_SCRIPT;
}

/* execve and execveat once the program is known: path_g as the guest named it (a
 * script's argument), path where the host finds it. Everything that can fail is
 * checked before the old image goes (Linux's point of no return): the program, a
 * script's interpreter, a riscv64 program's ELF interpreter. */
static int64_t exec_program(Process *p, Hart *h, const char *path_g, const char *path,
                            uint64_t argv_addr, uint64_t envp_addr)
{
    const char **argv = NULL, **envp = NULL, **args = NULL;
    size_t bytes = 0;
    int64_t err = 0;
    int argc = get_string_array(p, argv_addr, &argv, &bytes);
    int envc = argc < 0 ? 0 : get_string_array(p, envp_addr, &envp, &bytes);
    if (argc < 0 || envc < 0) {
        err = argc < 0 ? argc : envc;
        goto out;
    }
    /* rvx's own arguments (at most 16) and argv's */
    if (!(args = calloc((size_t)argc + 16, sizeof *args))) {
        err = -ENOMEM;
        goto out;
    }
    char line[256], *interp = NULL, *opt_arg = NULL;
    if (access(path, X_OK) < 0) {
        err = -errno;
        goto out;
    }
    int kind = program_kind(path, line, sizeof line);
    if (kind == PROGRAM_SCRIPT) {
        int r = split_shebang(line, &interp, &opt_arg);
        kind = r < 0 ? r : script_kind(p, interp);
    } else if (kind == PROGRAM_RISCV64_ELF) {
        int r = process_exec_check(p, path);
        kind = r < 0 ? r : kind;
    }
    if (kind < 0) {
        err = kind;
        goto out;
    }
    if (kind == PROGRAM_OTHER) {
        /* Not ours to emulate (a host program, or a script for a host interpreter):
         * the host runs it, as with qemu-user. */
        fflush(NULL);
        robust_lists_release(p, THREAD, true);
        guest_dirty_finish(&p->mem);
        /* Known gap: if this execve fails after all, rvx keeps these limits. */
        user_limits_apply_to_host(p);
        execve(path, (char *const *)argv, (char *const *)envp);
        err = -errno;
        goto out;
    }
    int n = 0;
    args[n++] = "rvx";
    args[n++] = "run";
    if (p->opt.sysroot) { args[n++] = "-L"; args[n++] = p->opt.sysroot; }
    if (p->opt.strace) args[n++] = "--strace";
    char base[32];
    if (p->opt.guest_base) {
        snprintf(base, sizeof base, "%#" PRIxPTR, p->opt.guest_base);
        args[n++] = "-B";
        args[n++] = base;
    }
    char engine[64], threshold[40];
    snprintf(engine, sizeof engine, "--engine=%s", p->opt.engine ? p->opt.engine : "interp");
    args[n++] = engine;
    snprintf(threshold, sizeof threshold, "--dbt-threshold=%u", p->opt.dbt_threshold);
    args[n++] = threshold;
    if (kind == PROGRAM_SCRIPT) {
        /* #!interpreter [one argument]: run the interpreter with the script path. */
        args[n++] = "--";
        args[n++] = interp;
        if (opt_arg) args[n++] = opt_arg;
        args[n++] = path_g;
        for (int i = 1; i < argc; i++) args[n++] = argv[i];
    } else {
        args[n++] = "--argv0";
        args[n++] = argc > 0 ? argv[0] : path_g;
        args[n++] = "--";
        args[n++] = path; /* host path: /proc/self/exe and the sysroot are resolved */
        for (int i = 1; i < argc; i++) args[n++] = argv[i];
    }
    args[n] = NULL;
    char limits[128];
    const char *pass = user_limits_export(p, limits, sizeof limits);
    if (pass) {
        const char **grown = realloc(envp, ((size_t)envc + 2) * sizeof *envp);
        if (!grown) {
            err = -ENOMEM;
            goto out;
        }
        envp = grown;
        envp[envc] = pass;
        envp[envc + 1] = NULL;
    }
    fflush(NULL);
    /* The old image's threads die here (Linux: after the point of no return; a
     * host execve failing this late, e.g. ENOMEM, has already released them). */
    robust_lists_release(p, THREAD, true);
    guest_dirty_finish(&p->mem); /* a vfork child's writes, before they are gone */
    execve("/proc/self/exe", (char *const *)args, (char *const *)envp);
    err = -errno;
out:
    free(argv);
    free(envp);
    free(args);
    return err;
}

SYSCALL_HANDLER(execve)
{
    const char *path_g = GSTR(a[0]);
    if (!path_g)
        return GPATH_ERROR(a[0]);
    char buf[PATH_MAX];
    return exec_program(p, h, path_g, user_path(p, path_g, buf, sizeof buf), a[1], a[2]);
}

/* The host path of `name` (empty: the file itself) under descriptor fd, for a program
 * to execute (fexecve is execveat with AT_EMPTY_PATH): through the descriptor's name
 * while it has one, since a close-on-exec descriptor is gone in the rvx the host
 * execve starts; else (a deleted file, a memfd) through the descriptor itself, kept
 * open across that execve. */
static int64_t fd_exec_path(int fd, const char *name, char *buf, size_t size)
{
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return errno == ENOENT ? -EBADF : -errno;
    target[n] = 0;
    static const char deleted[] = " (deleted)";
    size_t dl = sizeof deleted - 1;
    const char *base = target;
    if (target[0] != '/' || ((size_t)n >= dl && strcmp(target + n - dl, deleted) == 0)) {
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0)
            fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
        base = link;
    }
    if ((size_t)snprintf(buf, size, "%s%s%s", base, name[0] ? "/" : "", name) >= size)
        return -ENAMETOOLONG;
    return 0;
}

SYSCALL_HANDLER(execveat)
{
    enum { G_AT_FDCWD = -100, G_AT_SYMLINK_NOFOLLOW = 0x100, G_AT_EMPTY_PATH = 0x1000 };
    int dirfd = (int)a[0];
    uint64_t flags = a[4];
    const char *path_g = GSTR(a[1]);
    if (!path_g)
        return GPATH_ERROR(a[1]);
    if (flags & ~(uint64_t)(G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH))
        return -EINVAL;
    char buf[PATH_MAX], fd_name[32];
    const char *path;
    if (path_g[0] == '/' || (path_g[0] && dirfd == G_AT_FDCWD)) {
        path = user_path(p, path_g, buf, sizeof buf);
    } else if (!path_g[0]) {
        if (!(flags & G_AT_EMPTY_PATH))
            return -ENOENT;
        if (dirfd < 0)
            return -EBADF;
        int64_t err = fd_exec_path(dirfd, "", buf, sizeof buf);
        if (err)
            return err;
        path = buf;
        snprintf(fd_name, sizeof fd_name, "/dev/fd/%d", dirfd); /* Linux's name for it */
        path_g = fd_name;
    } else {
        if (dirfd < 0)
            return -EBADF;
        int64_t err = fd_exec_path(dirfd, path_g, buf, sizeof buf);
        if (err)
            return err;
        path = buf;
    }
    struct stat st;
    if ((flags & G_AT_SYMLINK_NOFOLLOW) && path_g[0] && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        return -ELOOP;
    return exec_program(p, h, path_g, path, a[2], a[3]);
}
