/* Pages of a file mapping beyond the end of the file: an access raises SIGBUS
 * (BUS_ADRERR, si_addr = the address) that a handler can catch, again and again;
 * syscalls given such a buffer fail with EFAULT; the page holding EOF reads zeros
 * past it; once the file grows the pages work; PROT_NONE there is still SIGSEGV;
 * mremap growing a mapping (moved, or in place) maps more of the file; without a
 * handler the process dies of it. Checked by siglongjmp out of the handler. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define PAGE 4096

static sigjmp_buf env;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    got_sig = sig;
    got_code = si->si_code;
    got_addr = si->si_addr;
    siglongjmp(env, 1);
}

/* Runs access(addr) and reports the signal it raised (0: none). */
static int fault_of(void (*access)(volatile char *), volatile char *addr)
{
    got_sig = got_code = 0;
    got_addr = NULL;
    if (sigsetjmp(env, 1) == 0)
        access(addr);
    return got_sig;
}

static volatile char sink;
static void do_load(volatile char *a) { sink = *a; }
static void do_store(volatile char *a) { *a = 1; }
static void do_call(volatile char *a) { ((void (*)(void))a)(); }

static int bus_at(void (*access)(volatile char *), volatile char *a)
{
    return fault_of(access, a) == SIGBUS && got_code == BUS_ADRERR && got_addr == (void *)a;
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO};
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);

    int fd = memfd_create("sigbus", 0);
    char data[100];
    memset(data, 'x', sizeof data);
    write(fd, data, sizeof data);
    char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check("mmap of a 100-byte file over 3 pages", m != MAP_FAILED);

    check("the file's bytes", m[0] == 'x' && m[99] == 'x');
    check("zeros past EOF in the last file page", m[100] == 0 && m[PAGE - 1] == 0);
    check("load beyond EOF: SIGBUS BUS_ADRERR at the address", bus_at(do_load, m + PAGE + 8));
    check("store beyond EOF: SIGBUS BUS_ADRERR at the address", bus_at(do_store, m + 2 * PAGE + 24));
    int again = 1;
    for (int i = 0; i < 50; i++) /* a faulting page must not end up in a TLB */
        again &= bus_at(do_load, m + PAGE + i * 64);
    check("the same page faults every time", again);
    check("the file page still works after the faults", m[5] == 'x');

    int fds[2];
    pipe(fds);
    errno = 0;
    check("write from a page beyond EOF: EFAULT",
          syscall(SYS_write, fds[1], m + PAGE, 16) == -1 && errno == EFAULT);
    write(fds[1], "hello", 5);
    errno = 0;
    check("read into a page beyond EOF: EFAULT",
          syscall(SYS_read, fds[0], m + 2 * PAGE, 16) == -1 && errno == EFAULT);
    errno = 0;
    check("clock_gettime into a page beyond EOF: EFAULT",
          syscall(SYS_clock_gettime, CLOCK_MONOTONIC, m + PAGE) == -1 && errno == EFAULT);
    errno = 0;
    check("openat with a path beyond EOF: EFAULT",
          syscall(SYS_openat, AT_FDCWD, m + PAGE, 0) == -1 && errno == EFAULT);

    char *priv = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, fd, PAGE);
    check("private mapping wholly beyond EOF", priv != MAP_FAILED && bus_at(do_load, priv + 3));
    check("executing beyond EOF: SIGBUS at the pc", bus_at(do_call, priv + PAGE));
    mprotect(priv, PAGE, PROT_NONE);
    check("PROT_NONE beyond EOF: SIGSEGV, not SIGBUS",
          fault_of(do_load, priv) == SIGSEGV && got_code == SEGV_ACCERR);

    /* The file grows: the pages are backed from now on. */
    ftruncate(fd, 3 * PAGE);
    check("after growing the file, the page reads zeros", fault_of(do_load, m + PAGE + 8) == 0 &&
                                                             m[PAGE + 8] == 0);
    check("... takes stores", fault_of(do_store, m + 2 * PAGE + 24) == 0);
    char back = 0;
    pread(fd, &back, 1, 2 * PAGE + 24);
    check("... which reach the file", back == 1);
    ssize_t n = read(fds[0], m + PAGE, 16);
    check("... and syscalls", n == 5 && memcmp(m + PAGE, "hello", 5) == 0);

    /* Moved and grown by mremap: the new pages map more of the file, beyond its end. */
    char *dst = mmap(NULL, 5 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *moved = mremap(m, 3 * PAGE, 5 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
    check("mremap grows the mapping", moved == dst && moved[2 * PAGE + 24] == 1 &&
                                          memcmp(moved + PAGE, "hello", 5) == 0);
    check("grown pages beyond EOF: SIGBUS", bus_at(do_load, moved + 3 * PAGE + 1) &&
                                                bus_at(do_store, moved + 4 * PAGE));
    ftruncate(fd, 4 * PAGE);
    check("... until the file covers them", fault_of(do_store, moved + 3 * PAGE + 1) == 0 &&
                                                bus_at(do_load, moved + 4 * PAGE + 2));

    /* Grown in place (the pages after it are free): the new pages are the file's too,
     * and stores to them reach it. */
    char *area = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area + 2 * PAGE, 2 * PAGE);
    char *two = mmap(area, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
    char *four = mremap(two, 2 * PAGE, 4 * PAGE, 0);
    check("mremap grows a file mapping in place with the file's pages",
          four == two && four[2 * PAGE + 24] == 1);
    four[3 * PAGE + 5] = 9;
    pread(fd, &back, 1, 3 * PAGE + 5);
    check("... whose stores reach the file", back == 9);

    /* No handler: the child dies of SIGBUS (rvx reports it and exits with 128 + 7). */
    char *tail = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 4 * PAGE);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGBUS, SIG_DFL);
        sink = tail[0];
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check("unhandled SIGBUS ends the process",
          (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) ||
              (WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGBUS));

    printf("sigbus: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
