/* Signals through descriptors: signalfd reads blocked signals as signalfd_siginfo
 * records (lowest signal first, each real-time instance with its value), is
 * pollable, takes SFD_CLOEXEC and SFD_NONBLOCK and a new mask for an existing
 * descriptor; pidfd_open gives a descriptor of a process that pidfd_send_signal
 * signals (with a siginfo of our own, to ourselves), that polls readable when the
 * process ends, and that waitid(P_PIDFD) reaps. Prints one line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int readable(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

static void check_signalfd(void)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    check("signalfd", fd >= 0);
    check("SFD_CLOEXEC and SFD_NONBLOCK", (fcntl(fd, F_GETFD) & FD_CLOEXEC) &&
                                              (fcntl(fd, F_GETFL) & O_NONBLOCK));
    struct signalfd_siginfo si[4];
    errno = 0;
    check("nothing pending: EAGAIN", read(fd, si, sizeof si) == -1 && errno == EAGAIN && !readable(fd));

    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 5});
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 6});
    raise(SIGUSR1);
    check("pending signals poll readable", readable(fd));
    ssize_t n = read(fd, si, sizeof si);
    printf("signalfd read %zd bytes: %u/%d %u/%d %u/%d\n", n, si[0].ssi_signo, si[0].ssi_int,
           si[1].ssi_signo, si[1].ssi_int, si[2].ssi_signo, si[2].ssi_int);
    check("three records, SIGUSR1 first, then each SIGRTMIN with its value",
          n == 3 * (ssize_t)sizeof si[0] && si[0].ssi_signo == SIGUSR1 &&
              si[1].ssi_signo == (unsigned)SIGRTMIN && si[1].ssi_int == 5 && si[1].ssi_code == SI_QUEUE &&
              si[1].ssi_pid == (unsigned)getpid() && si[2].ssi_signo == (unsigned)SIGRTMIN &&
              si[2].ssi_int == 6);
    sigset_t pending;
    sigpending(&pending);
    check("read took them", !sigismember(&pending, SIGUSR1) && !sigismember(&pending, SIGRTMIN));

    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, SIGUSR1);
    check("a new mask for the same descriptor", signalfd(fd, &only, 0) == fd);
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 7});
    check("signals outside the mask are not read", !readable(fd));
    struct timespec zero = {0, 0};
    siginfo_t info;
    sigset_t rt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN);
    check("they stay pending", sigtimedwait(&rt, &info, &zero) == SIGRTMIN && info.si_value.sival_int == 7);
    close(fd);

    errno = 0;
    check("unknown flags: EINVAL", signalfd(-1, &mask, 0x1) == -1 && errno == EINVAL);
    errno = 0;
    check("a mask of another size: EINVAL",
          syscall(SYS_signalfd4, -1, &mask, 4, 0) == -1 && errno == EINVAL);
    sigprocmask(SIG_UNBLOCK, &mask, NULL);
}

static volatile int got_value, got_code;
static void value_handler(int sig, siginfo_t *si, void *uc)
{
    got_value = si->si_value.sival_int;
    got_code = si->si_code;
}

static void check_pidfd(void)
{
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(pipe_fds[0], &c, 1); /* until killed */
        _exit(0);
    }
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    check("pidfd_open of a child", fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC));
    check("a live process does not poll readable", !readable(fd));
    check("pidfd_send_signal SIGTERM", syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0) == 0);
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    check("the ended process polls readable", poll(&pfd, 1, 10000) == 1 && (pfd.revents & POLLIN));
    siginfo_t si;
    memset(&si, 0, sizeof si);
    check("waitid(P_PIDFD) reaps it, killed by SIGTERM",
          waitid(P_PIDFD, fd, &si, WEXITED) == 0 && si.si_pid == pid && si.si_code == CLD_KILLED &&
              si.si_status == SIGTERM);
    close(fd);
    close(pipe_fds[0]);
    close(pipe_fds[1]);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = value_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR2;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = 77;
    check("pidfd_send_signal with a siginfo to ourselves",
          syscall(SYS_pidfd_send_signal, fd, SIGUSR2, &si, 0) == 0 && got_value == 77 &&
              got_code == SI_QUEUE);
    close(fd);

    errno = 0;
    check("pidfd_open of no process: ESRCH", syscall(SYS_pidfd_open, 0x3fffffff, 0) == -1 && errno == ESRCH);
    errno = 0;
    check("pidfd_open with unknown flags: EINVAL", syscall(SYS_pidfd_open, getpid(), 1) == -1 && errno == EINVAL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    check_signalfd();
    check_pidfd();
    printf("sigfd: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
