/* Process syscalls: identity, exit, fork-style clone, execve (which re-enters rvx so
 * the new program stays emulated with the same options), wait, kill, limits, uname. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

SYSCALL_HANDLER(exit)
{
    syscall_exit.exited = 1;
    syscall_exit.status = (int)(a[0] & 0xff);
    return 0;
}
SYSCALL_HANDLER(exit_group) { return sys_exit(p, h, a); }

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

SYSCALL_HANDLER(set_tid_address) { return gettid(); }
SYSCALL_HANDLER(set_robust_list) { return 0; }
SYSCALL_HANDLER(rseq) { return -ENOSYS; }

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

SYSCALL_HANDLER(getrlimit)
{
    struct rlimit *r = GPTR(a[1], sizeof *r, GPROT_WRITE);
    return r ? host_ret(getrlimit((int)a[0], r)) : -EFAULT;
}

SYSCALL_HANDLER(prlimit64)
{
    const struct rlimit *new_limit = NULL;
    struct rlimit *old_limit = NULL;
    if (a[2] && !(new_limit = GPTR(a[2], sizeof *new_limit, GPROT_READ)))
        return -EFAULT;
    if (a[3] && !(old_limit = GPTR(a[3], sizeof *old_limit, GPROT_WRITE)))
        return -EFAULT;
    return host_ret(prlimit((pid_t)a[0], (int)a[1], new_limit, old_limit));
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

SYSCALL_HANDLER(kill) { return host_ret(kill((pid_t)a[0], (int)a[1])); }
SYSCALL_HANDLER(tgkill) { return host_ret(syscall(SYS_tgkill, (pid_t)a[0], (pid_t)a[1], (int)a[2])); }

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

/* clone without CLONE_VM is fork: the host process (emulator and guest memory) is
 * copied. CLONE_VFORK is served as fork too, as qemu does: the child only ever
 * execs or exits, so sharing memory is not observable by correct programs. */
SYSCALL_HANDLER(clone)
{
    enum {
        G_CLONE_VM = 0x100, G_CLONE_VFORK = 0x4000, G_CLONE_SETTLS = 0x80000,
        G_CLONE_PARENT_SETTID = 0x100000, G_CLONE_CHILD_CLEARTID = 0x200000,
        G_CLONE_CHILD_SETTID = 0x1000000,
    };
    uint64_t flags = a[0], newsp = a[1], ptid = a[2], tls = a[3], ctid = a[4];
    if ((flags & G_CLONE_VM) && !(flags & G_CLONE_VFORK))
        return -ENOSYS; /* guest threads: not yet */
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        if (flags & G_CLONE_SETTLS)
            h->x[4] = tls;
        if (newsp)
            h->x[2] = newsp;
        if (flags & G_CLONE_CHILD_SETTID) {
            int32_t *t = GPTR(ctid, 4, GPROT_WRITE);
            if (t)
                *t = gettid();
        }
        return 0;
    }
    if (flags & G_CLONE_PARENT_SETTID) {
        int32_t *t = GPTR(ptid, 4, GPROT_WRITE);
        if (t)
            *t = pid;
    }
    if (flags & G_CLONE_VFORK) {
        /* vfork's parent waits until the child has exec'd or exited. Without shared
         * memory we cannot see exec, so we let the parent run on: sequencing only
         * matters to programs that depend on vfork's memory sharing. */
    }
    return pid;
}

/* ---- execve ---- */

enum { MAX_ARGS = 8192 };

/* Reads a NULL-terminated guest pointer array of strings. Returns the count or -errno. */
static int get_string_array(Process *p, uint64_t addr, const char **out, int max)
{
    int n = 0;
    if (!addr)
        return 0;
    for (;; n++) {
        if (n >= max)
            return -E2BIG;
        const uint64_t *slot = GPTR(addr + 8 * (uint64_t)n, 8, GPROT_READ);
        if (!slot)
            return -EFAULT;
        if (!*slot)
            break;
        if (!(out[n] = GSTR(*slot)))
            return -EFAULT;
    }
    out[n] = NULL;
    return n;
}

/* What kind of program a host path holds: 1 = riscv64 ELF, 2 = #! script, 0 = other. */
static int program_kind(const char *path, char *interp_line, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n >= 20 && memcmp(buf, "\177ELF", 4) == 0 && buf[4] == 2 &&
        (uint8_t)buf[18] == 243 && buf[19] == 0)
        return 1;
    if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
        buf[n] = 0;
        char *nl = strchr(buf, '\n');
        if (nl)
            *nl = 0;
        snprintf(interp_line, size, "%s", buf + 2);
        return 2;
    }
    return 0;
}

/* Whether a script's #! interpreter is a riscv64 program (then rvx runs it). */
static bool script_needs_rvx(const Process *p, const char *line)
{
    char interp[256], buf[PATH_MAX], dummy[256];
    if (sscanf(line, " %255s", interp) != 1)
        return false;
    return program_kind(user_path(p, interp, buf, sizeof buf), dummy, sizeof dummy) == 1;
}

SYSCALL_HANDLER(execve)
{
    const char *path_g = GSTR(a[0]);
    if (!path_g)
        return -EFAULT;
    const char **argv = calloc(MAX_ARGS + 1, sizeof *argv);
    const char **envp = calloc(MAX_ARGS + 1, sizeof *envp);
    const char **args = calloc(2 * MAX_ARGS + 16, sizeof *args);
    int64_t err = 0;
    int argc = get_string_array(p, a[1], argv, MAX_ARGS);
    int envc = get_string_array(p, a[2], envp, MAX_ARGS);
    if (argc < 0 || envc < 0) {
        err = argc < 0 ? argc : envc;
        goto out;
    }
    char buf[PATH_MAX], line[256];
    const char *path = user_path(p, path_g, buf, sizeof buf);
    if (access(path, X_OK) < 0) {
        err = -errno;
        goto out;
    }
    int kind = program_kind(path, line, sizeof line);
    if (kind < 0) {
        err = kind;
        goto out;
    }
    if (kind == 2 && !script_needs_rvx(p, line))
        kind = 0;
    if (kind == 0) {
        /* Not ours to emulate (a host program, or a script for a host interpreter):
         * the host runs it, as with qemu-user. */
        fflush(NULL);
        execve(path, (char *const *)argv, (char *const *)envp);
        err = -errno;
        goto out;
    }
    int n = 0;
    args[n++] = "rvx";
    args[n++] = "run";
    if (p->opt.sysroot) { args[n++] = "-L"; args[n++] = p->opt.sysroot; }
    if (p->opt.strace) args[n++] = "--strace";
    char engine[64];
    snprintf(engine, sizeof engine, "--engine=%s", p->opt.engine ? p->opt.engine : "interp");
    args[n++] = engine;
    if (kind == 2) {
        /* #!interpreter [one argument]: run the interpreter with the script path. */
        char *s = line;
        while (*s == ' ' || *s == '\t') s++;
        char *interp = s;
        while (*s && *s != ' ' && *s != '\t') s++;
        char *opt_arg = NULL;
        if (*s) {
            *s++ = 0;
            while (*s == ' ' || *s == '\t') s++;
            if (*s) opt_arg = s;
        }
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
    fflush(NULL);
    execve("/proc/self/exe", (char *const *)args, (char *const *)envp);
    err = -errno;
out:
    free(argv);
    free(envp);
    free(args);
    return err;
}
