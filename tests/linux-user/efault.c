/* Bad guest pointers given to syscalls come back as EFAULT (never an emulator
 * crash): unmapped, kernel-half, read-only for output buffers, and NULL where a
 * pointer is required; a readable path without a NUL in its first 4096 bytes is
 * ENAMETOOLONG instead. Uses raw syscalls so libc cannot check first. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int failures;
static void expect_errno(const char *what, long r, int want)
{
    int ok = r == -1 && errno == want;
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok)
        printf("  got %ld errno %d\n", r, errno);
    failures += !ok;
}
static void expect_efault(const char *what, long r) { expect_errno(what, r, EFAULT); }

int main(void)
{
    void *bad = (void *)0x10;                  /* unmapped */
    void *high = (void *)0xffffffff00000000ul; /* outside the user address space */
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *gone = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone + 4096, 4096);                 /* gone+4096 is a hole */
    int fd = open("/proc/self/exe", O_RDONLY);
    int fds[2];
    pipe(fds);
    write(fds[1], "hello", 5);

    expect_efault("read into unmapped", syscall(SYS_read, fd, bad, 16));
    expect_efault("read into read-only", syscall(SYS_read, fd, ro, 16));
    expect_efault("read across into a hole", syscall(SYS_read, fds[0], gone + 4090, 16));
    expect_efault("write from unmapped", syscall(SYS_write, fds[1], high, 16));
    expect_efault("openat bad path", syscall(SYS_openat, AT_FDCWD, bad, O_RDONLY));
    expect_efault("fstat bad buffer", syscall(SYS_fstat, fd, high));
    expect_efault("newfstatat to read-only", syscall(SYS_newfstatat, AT_FDCWD, "/", ro, 0));
    expect_efault("clock_gettime bad", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad));
    expect_efault("pipe2 bad", syscall(SYS_pipe2, bad, 0));
    expect_efault("uname read-only", syscall(SYS_uname, ro));
    expect_efault("getcwd bad", syscall(SYS_getcwd, bad, 100));
    expect_efault("readlinkat bad buffer", syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", high, 100));
    expect_efault("rt_sigaction bad act", syscall(SYS_rt_sigaction, SIGUSR1, bad, NULL, 8));
    expect_efault("rt_sigprocmask bad set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad, NULL, 8));
    expect_efault("ppoll bad fds", syscall(SYS_ppoll, bad, 1, NULL, NULL, 8));
    expect_efault("nanosleep bad", syscall(SYS_nanosleep, bad, NULL));
    expect_efault("getrandom bad", syscall(SYS_getrandom, high, 16, 0));
    expect_efault("writev bad iovec", syscall(SYS_writev, fds[1], bad, 1));
    struct iovec iov = {bad, 10};
    expect_efault("writev bad iov_base", syscall(SYS_writev, fds[1], &iov, 1));
    expect_efault("socketpair bad", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, bad));
    expect_efault("futex bad", syscall(SYS_futex, bad, 0 /* WAIT */, 0, NULL, NULL, 0));
    expect_efault("execve bad path", syscall(SYS_execve, bad, NULL, NULL));
    expect_efault("wait4 bad status", fork() == 0 ? (_exit(0), 0L) :
                  syscall(SYS_wait4, -1, bad, 0, NULL));
    static char long_path[8192];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    expect_errno("openat path too long", syscall(SYS_openat, AT_FDCWD, long_path, O_RDONLY), ENAMETOOLONG);
    expect_errno("symlinkat target too long", syscall(SYS_symlinkat, long_path, AT_FDCWD, "/nonexistent/x"),
                 ENAMETOOLONG);
    expect_errno("execve path too long", syscall(SYS_execve, long_path, NULL, NULL), ENAMETOOLONG);
    printf("efault: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
