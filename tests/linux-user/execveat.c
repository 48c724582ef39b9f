/* execveat: fexecve of a close-on-exec descriptor (glibc's fexecve is execveat with
 * AT_EMPTY_PATH; the descriptor is gone in the new image, the program must not be),
 * a path relative to a directory descriptor, and the errors for unknown flags, an
 * empty path without AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW on a symlink; and execve's
 * argument limits as Linux has them: an argument of 100 000 bytes and 20 000
 * arguments pass, one of 140 000 bytes (over 128 KiB) is E2BIG; a program executed
 * with RLIMIT_STACK at 64 MiB can recurse through 30 MiB of stack. The child runs
 * this program again with arguments and exits with 42. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const no_env[] = {NULL};

/* Runs exec in a child; returns its exit status, or -1 if it did not exit. */
static int child_status(int (*exec)(const char *), const char *arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        exec(arg);
        _exit(100 + errno % 100);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

static char self_path[PATH_MAX];

static int by_fd(const char *arg)
{
    int fd = open(self_path, O_RDONLY | O_CLOEXEC);
    char *argv[] = {"execveat", (char *)arg, NULL};
    return fexecve(fd, argv, no_env);
}

static int relative(const char *arg)
{
    char dir[PATH_MAX], base[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", self_path);
    snprintf(base, sizeof base, "%s", self_path);
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *argv[] = {"execveat", (char *)arg, NULL};
    return (int)syscall(SYS_execveat, dfd, basename(base), argv, no_env, 0);
}

static long expect_error(long r, int want, const char *what)
{
    int ok = r == -1 && errno == want;
    printf("%s: %ld errno %d (want -1, %d)\n", what, r, r == -1 ? errno : 0, want);
    return ok;
}

/* Runs this program again as v, with RLIMIT_STACK at `stack` bytes unless 0: its exit
 * status (42), 100 + errno if the exec failed, 98 if the limit could not be set, or -1. */
static int exec_self_status(char **v, rlim_t stack)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit r;
        if (stack) {
            if (getrlimit(RLIMIT_STACK, &r) != 0 || (r.rlim_max != RLIM_INFINITY && r.rlim_max < stack))
                _exit(98);
            r.rlim_cur = stack;
            if (setrlimit(RLIMIT_STACK, &r) != 0)
                _exit(98);
        }
        execve(self_path, v, no_env);
        _exit(100 + errno % 100);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* This program again with `count` arguments of `len` bytes. */
static int big_exec_status(int count, size_t len)
{
    char **v = calloc((size_t)count + 2, sizeof *v);
    char *s = malloc(len + 1);
    if (!v || !s)
        return -1;
    memset(s, 'a', len);
    s[len] = 0;
    v[0] = "execveat";
    for (int i = 1; i <= count; i++)
        v[i] = s;
    int st = exec_self_status(v, 0);
    free(s);
    free(v);
    return st;
}

/* 1 KiB of stack per level, not a tail call. */
static long deep(long n)
{
    volatile char buf[1024];
    buf[0] = (char)n;
    return n ? deep(n - 1) + buf[0] : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return strcmp(argv[1], "deep") != 0 || deep(30000) != 0 ? 42 : 1;
    ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (n <= 0) {
        puts("execveat: FAILED (readlink /proc/self/exe)");
        return 1;
    }
    self_path[n] = 0;
    int ok = 1;
    int st = child_status(by_fd, "fexecve");
    printf("fexecve of a close-on-exec descriptor: exit %d (want 42)\n", st);
    ok &= st == 42;
    st = child_status(relative, "relative");
    printf("execveat relative to a directory: exit %d (want 42)\n", st);
    ok &= st == 42;
    char *args[] = {"execveat", NULL};
    ok &= expect_error(syscall(SYS_execveat, AT_FDCWD, self_path, args, no_env, 0x8000), EINVAL,
                       "unknown flag");
    ok &= expect_error(syscall(SYS_execveat, AT_FDCWD, "", args, no_env, 0), ENOENT,
                       "empty path without AT_EMPTY_PATH");
    char link[64];
    snprintf(link, sizeof link, "/tmp/rvx-execveat-%d", (int)getpid());
    if (symlink(self_path, link) == 0) {
        ok &= expect_error(syscall(SYS_execveat, AT_FDCWD, link, args, no_env, AT_SYMLINK_NOFOLLOW),
                           ELOOP, "AT_SYMLINK_NOFOLLOW on a symlink");
        unlink(link);
    }
    st = big_exec_status(1, 100000);
    printf("execve with an argument of 100000 bytes: exit %d (want 42)\n", st);
    ok &= st == 42;
    st = big_exec_status(20000, 1);
    printf("execve with 20000 arguments: exit %d (want 42)\n", st);
    ok &= st == 42;
    st = big_exec_status(1, 140000);
    printf("execve with an argument of 140000 bytes: exit %d (want %d, E2BIG)\n", st, 100 + E2BIG);
    ok &= st == 100 + E2BIG;
    char *deep_args[] = {"execveat", "deep", NULL};
    st = exec_self_status(deep_args, 64 << 20);
    printf("execve under RLIMIT_STACK 64 MiB, then 30 MiB of recursion: exit %d (want 42)\n", st);
    ok &= st == 42;
    puts(ok ? "execveat: ok" : "execveat: FAILED");
    return ok ? 0 : 1;
}
