/* Signals as Linux delivers them: SIGSEGV from a guest fault with si_addr and
 * si_code, recovered with siglongjmp; SIGALRM from setitimer and alarm; a handler
 * on the alternate stack; SA_RESTART vs EINTR for a blocked read; masks with
 * sigprocmask/sigsuspend; SA_RESETHAND; the ucontext the handler sees; SIGILL and
 * SIGTRAP (ebreak); kill/raise to self; real-time signals queued one instance each
 * (with its si_value) where standard ones coalesce, delivered and taken by
 * sigtimedwait in Linux's order, with sigpending agreeing; abort() killing the
 * process silently (nothing on its stderr: programs compare it). Prints one line per
 * check. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

static sigjmp_buf jump;
static volatile sig_atomic_t got, got_sig, on_alt;
static void *volatile fault_addr;
static volatile int fault_code;
static char *altstack;

static void segv_handler(int sig, siginfo_t *si, void *ucv)
{
    char here;
    on_alt = &here >= altstack && &here < altstack + SIGSTKSZ * 4;
    fault_addr = si->si_addr;
    fault_code = si->si_code;
    got_sig = sig;
    siglongjmp(jump, 1);
}

static void count_handler(int sig) { got++; got_sig = sig; }

static void skip_handler(int sig, siginfo_t *si, void *ucv)
{
    /* Resume after the faulting instruction by editing the saved pc. */
    ucontext_t *uc = ucv;
    uint16_t first = *(uint16_t *)uc->uc_mcontext.__gregs[REG_PC];
    uc->uc_mcontext.__gregs[REG_PC] += (first & 3) == 3 ? 4 : 2;
    got_sig = sig;
    fault_code = si->si_code;
}

/* The (signal, si_value) of each handler run, in the order they ran. */
static volatile int queued_seen[16][2], queued_runs;

static void queued_handler(int sig, siginfo_t *si, void *ucv)
{
    if (queued_runs < 16) {
        queued_seen[queued_runs][0] = sig;
        queued_seen[queued_runs][1] = si->si_value.sival_int;
    }
    queued_runs++;
}

static int queue(int sig, int value) { return sigqueue(getpid(), sig, (union sigval){.sival_int = value}); }

/* Five instances each of SIGRTMIN and SIGRTMIN+1 and two of SIGUSR1, sent while
 * blocked, then unblocked at once. Linux sets up a frame for every deliverable
 * signal before returning to the program, lowest number first, each handler
 * blocking its own signal: SIGRTMIN+1's handler runs first (its frame is the
 * innermost), once per instance in order, then SIGRTMIN's, then SIGUSR1's once. */
static void check_rt_delivery(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = queued_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, NULL);
    sigaction(SIGRTMIN + 1, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t set, old, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigaddset(&set, SIGRTMIN + 1);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    for (int i = 0; i < 5; i++) {
        queue(SIGRTMIN + 1, 10 + i);
        queue(SIGRTMIN, i);
    }
    queue(SIGUSR1, 100);
    queue(SIGUSR1, 101);
    sigpending(&pending);
    check("rt: all three pending", sigismember(&pending, SIGRTMIN) &&
                                       sigismember(&pending, SIGRTMIN + 1) && sigismember(&pending, SIGUSR1));
    queued_runs = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    static const int want[][2] = {{1, 10}, {1, 11}, {1, 12}, {1, 13}, {1, 14},
                                  {0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {-1, 100}};
    int n = sizeof want / sizeof want[0], same = queued_runs == n;
    for (int i = 0; i < n && same; i++)
        same = queued_seen[i][0] == (want[i][0] < 0 ? SIGUSR1 : SIGRTMIN + want[i][0]) &&
               queued_seen[i][1] == want[i][1];
    printf("rt: %d handler runs:", queued_runs);
    for (int i = 0; i < queued_runs && i < 16; i++)
        printf(" %d/%d", queued_seen[i][0], queued_seen[i][1]);
    printf("\n");
    check("rt: each instance delivered in Linux's order, SIGUSR1 once", same);
    sigpending(&pending);
    check("rt: nothing pending after delivery", !sigismember(&pending, SIGRTMIN) &&
                                                     !sigismember(&pending, SIGRTMIN + 1));
}

/* sigwaitinfo and sigtimedwait take the instances one by one with their values;
 * sigpending shows the signal until the last one is taken. One instance left for
 * the handler, whose first run takes the next one with sigtimedwait (its signal is
 * blocked inside it) while the third is still pending, delivered after it returns. */
static volatile int inner_value = -1, inner_pending;

static void waiting_handler(int sig, siginfo_t *si, void *ucv)
{
    if (queued_runs == 0) {
        sigset_t set, pending;
        sigemptyset(&set);
        sigaddset(&set, sig);
        siginfo_t next;
        struct timespec limit = {5, 0}; /* bounded: a lost instance fails, not hangs */
        inner_value = sigtimedwait(&set, &next, &limit) == sig ? next.si_value.sival_int : -1;
        sigpending(&pending);
        inner_pending = sigismember(&pending, sig);
    }
    queued_handler(sig, si, ucv);
}

static void check_rt_wait(void)
{
    sigset_t set, old, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, &old);
    for (int i = 0; i < 3; i++)
        queue(SIGRTMIN, 20 + i);
    siginfo_t si;
    int first = sigwaitinfo(&set, &si) == SIGRTMIN && si.si_value.sival_int == 20 && si.si_code == SI_QUEUE;
    sigpending(&pending);
    check("rt: sigwaitinfo takes the first instance, the rest stay pending",
          first && sigismember(&pending, SIGRTMIN));
    struct timespec zero = {0, 0};
    int second = sigtimedwait(&set, &si, &zero) == SIGRTMIN && si.si_value.sival_int == 21;
    int third = sigtimedwait(&set, &si, &zero) == SIGRTMIN && si.si_value.sival_int == 22;
    errno = 0;
    int none = sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN;
    sigpending(&pending);
    check("rt: sigtimedwait takes the others in order, then EAGAIN",
          second && third && none && !sigismember(&pending, SIGRTMIN));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = waiting_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, NULL);
    for (int i = 0; i < 3; i++)
        queue(SIGRTMIN, 30 + i);
    queued_runs = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("rt: handler runs %d, first value %d, waited value %d, third pending inside %d\n",
           queued_runs, queued_seen[0][1], inner_value, inner_pending);
    check("rt: the handler's sigtimedwait takes the next instance",
          queued_runs == 2 && queued_seen[0][1] == 30 && inner_value == 31 && inner_pending &&
              queued_seen[1][1] == 32);
}

/* A child calling abort() dies of SIGABRT and writes nothing to its stderr, as on
 * Linux (Python's faulthandler tests compare what it holds). */
static void check_silent_abort(void)
{
    int err[2];
    if (pipe(err) != 0) {
        check("abort: pipe", 0);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(err[1], 2);
        abort();
    }
    close(err[1]);
    char text[256];
    ssize_t n = read(err[0], text, sizeof text);
    close(err[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    check("abort kills with SIGABRT", WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    check("abort writes nothing to stderr", n == 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    altstack = malloc(SIGSTKSZ * 4);
    stack_t ss = {.ss_sp = altstack, .ss_size = SIGSTKSZ * 4, .ss_flags = 0};
    check("sigaltstack", sigaltstack(&ss, NULL) == 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);

    /* Unmapped address: SEGV_MAPERR with the exact address. */
    if (sigsetjmp(jump, 1) == 0) {
        *(volatile int *)0x1234 = 1;
        check("segv (no fault)", 0);
    }
    check("segv maperr addr", fault_addr == (void *)0x1234 && fault_code == SEGV_MAPERR);
    check("segv handler on altstack", on_alt);

    /* Write to a read-only page: SEGV_ACCERR. The mask is restored by siglongjmp. */
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(jump, 1) == 0) {
        ro[100] = 1;
        check("segv (no fault)", 0);
    }
    check("segv accerr addr", fault_addr == ro + 100 && fault_code == SEGV_ACCERR);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    check("mask restored by siglongjmp", !sigismember(&cur, SIGSEGV));

    /* SIGILL and SIGTRAP, resumed by editing the pc in the ucontext. */
    sa.sa_sigaction = skip_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    got_sig = 0;
    __asm__ volatile(".4byte 0xffffffff");
    check("sigill resumed", got_sig == SIGILL && fault_code == ILL_ILLOPC);
    got_sig = 0;
    __asm__ volatile("ebreak");
    check("sigtrap resumed", got_sig == SIGTRAP);

    /* raise / kill to self run the handler before they return. */
    signal(SIGUSR1, count_handler);
    got = 0;
    raise(SIGUSR1);
    kill(getpid(), SIGUSR1);
    check("raise and kill", got == 2);

    /* Blocked signals wait; sigsuspend takes them. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    got = 0;
    raise(SIGUSR1);
    check("blocked stays pending", got == 0);
    sigset_t pending;
    sigpending(&pending);
    check("sigpending", sigismember(&pending, SIGUSR1));
    sigsuspend(&old);
    check("sigsuspend delivers", got == 1);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* SIGALRM from setitimer, waited for with pause(). */
    signal(SIGALRM, count_handler);
    got = 0;
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    while (!got)
        pause();
    check("setitimer SIGALRM", got == 1 && got_sig == SIGALRM);

    /* alarm() interrupting a blocking read: EINTR without SA_RESTART... */
    int fds[2];
    pipe(fds);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = count_handler;
    sigaction(SIGALRM, &sa, NULL);
    got = 0;
    alarm(1);
    char c;
    ssize_t n = read(fds[0], &c, 1);
    check("read interrupted: EINTR", n == -1 && errno == EINTR && got == 1);

    /* ...and restarted with it: the handler writes what the read then returns. */
    static int wfd;
    wfd = fds[1];
    void restart_handler(int sig) { got++; write(wfd, "x", 1); }
    sa.sa_handler = restart_handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    got = 0;
    it = (struct itimerval){{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    n = read(fds[0], &c, 1);
    check("read restarted: SA_RESTART", n == 1 && c == 'x' && got == 1);

    /* SA_RESETHAND: the second signal finds the default again (SIGURG: ignore). */
    sa.sa_handler = count_handler;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGURG, &sa, NULL);
    got = 0;
    raise(SIGURG);
    raise(SIGURG);
    struct sigaction now;
    sigaction(SIGURG, NULL, &now);
    check("SA_RESETHAND", got == 1 && now.sa_handler == SIG_DFL);

    /* SA_NODEFER: without it the signal is blocked inside its own handler. */
    static volatile int blocked_inside;
    void probe_handler(int sig)
    {
        sigset_t m;
        sigprocmask(SIG_BLOCK, NULL, &m);
        blocked_inside = sigismember(&m, sig);
    }
    sa.sa_handler = probe_handler;
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    int without = blocked_inside;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    check("SA_NODEFER", without == 1 && blocked_inside == 0);

    check_rt_delivery();
    check_rt_wait();
    check_silent_abort();

    printf("signals: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
