/* vfork and posix_spawn (clone with CLONE_VM | CLONE_VFORK): the parent waits until
 * the child execs or exits and then sees what the child wrote, as if they shared
 * memory. glibc's posix_spawn reports a failed exec that way (Python's subprocess
 * raises FileNotFoundError from it), also after the child closed every descriptor
 * (close_range, as close_fds does). vfork suspends the calling thread only: the
 * parent's other threads go on writing memory, also the pages the child writes. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

extern char **environ;

/* One page: the vfork child writes its first byte, another thread of the parent
 * writes its middle while the parent waits. */
static volatile char shared_page[4096] __attribute__((aligned(4096)));
static int to_thread[2], to_child[2]; /* pipes: the child starts, the thread writes,
                                          then the child writes */

static void *page_writer(void *arg)
{
    (void)arg;
    char c;
    if (read(to_thread[0], &c, 1) != 1)
        return NULL;
    shared_page[2048] = 42;
    if (write(to_child[1], &c, 1) != 1)
        return NULL;
    return NULL;
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
    /* vfork suspends the calling thread only: another thread's writes to the page
     * the child writes too stay (Go's runtime spawns with vfork on a goroutine stack
     * that shares its page with other goroutines' stacks). */
    pthread_t th;
    char c1 = 0;
    int thread_ok = pipe(to_thread) == 0 && pipe(to_child) == 0 &&
                    pthread_create(&th, NULL, page_writer, NULL) == 0;
    if (thread_ok) {
        c = vfork();
        if (c == 0) {
            /* waits for the thread's write, then writes the same page */
            if (write(to_thread[1], &c1, 1) != 1 || read(to_child[0], &c1, 1) != 1)
                _exit(1);
            shared_page[0] = 7;
            _exit(0);
        }
        waitpid(c, &st, 0);
        pthread_join(th, NULL);
    }
    check("a vfork child's write to a page is seen by its parent",
          thread_ok && shared_page[0] == 7);
    check("another thread's write to that page while the parent waits stays",
          thread_ok && shared_page[2048] == 42);
    printf("vfork: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
