/* vfork and posix_spawn (clone with CLONE_VM | CLONE_VFORK): the parent waits until
 * the child execs or exits and then sees what the child wrote, as if they shared
 * memory. glibc's posix_spawn reports a failed exec that way (Python's subprocess
 * raises FileNotFoundError from it), also after the child closed every descriptor
 * (close_range, as close_fds does). */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int failures;
static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    failures += !ok;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return 42;
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t pid;
    char *args[] = {"vfork", NULL};
    check("posix_spawn of a missing program fails with ENOENT",
          posix_spawn(&pid, "/nonexistent/program", NULL, NULL, args, environ) == ENOENT);

    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    char *child_args[] = {"vfork", "child", NULL};
    int st = -1, r = posix_spawn(&pid, self, NULL, NULL, child_args, environ);
    if (r == 0)
        waitpid(pid, &st, 0);
    check("posix_spawn runs the program", r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 42);

    volatile int written = 0;
    volatile int exec_errno = 0;
    pid_t c = vfork();
    if (c == 0) {
        written = 7;
        _exit(0);
    }
    waitpid(c, NULL, 0);
    check("a vfork child's write is seen by its parent", written == 7);

    c = vfork();
    if (c == 0) {
        syscall(SYS_close_range, 3, ~0u, 0);
        execve("/nonexistent/program", args, environ);
        exec_errno = errno;
        _exit(127);
    }
    /* the parent runs again only once the child has exited */
    check("after close_range, the failed exec's errno", exec_errno == ENOENT);
    waitpid(c, &st, 0);
    check("the child's exit status", WIFEXITED(st) && WEXITSTATUS(st) == 127);
    printf("vfork: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
