/* Robust futex lists: a robust mutex whose owner dies (thread exit, with or without
 * a waiter blocked on it, plain and priority-inheriting; a process sharing it that
 * exits or execs) is handed to the next locker with EOWNERDEAD, as on Linux. Also
 * the raw set_robust_list / get_robust_list contract. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static void init_robust(pthread_mutex_t *m, int protocol, int pshared)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_setprotocol(&attr, protocol);
    pthread_mutexattr_setpshared(&attr, pshared);
    int r = pthread_mutex_init(m, &attr);
    if (r)
        printf("  pthread_mutex_init: %s\n", strerror(r));
    pthread_mutexattr_destroy(&attr);
}

/* A thread that takes the mutex, waits until someone blocks on it if asked to,
 * and ends without unlocking. */
typedef struct Owner {
    pthread_mutex_t *m;
    int wait_for_waiter;
    int locked;
} Owner;

static void *owner_main(void *arg)
{
    Owner *o = arg;
    o->locked = pthread_mutex_lock(o->m) == 0;
    if (o->wait_for_waiter) {
        /* FUTEX_WAITERS in the lock word: the other thread is in the kernel. */
        for (int i = 0; i < 2000 && !(__atomic_load_n(&o->m->__data.__lock, __ATOMIC_SEQ_CST) &
                                        0x80000000u); i++)
            usleep(1000);
        usleep(20000);
    }
    return NULL;
}

/* pthread_mutex_consistent and a round of unlock/lock/unlock: the mutex is whole. */
static int recover(pthread_mutex_t *m)
{
    return pthread_mutex_consistent(m) == 0 && pthread_mutex_unlock(m) == 0 &&
           pthread_mutex_lock(m) == 0 && pthread_mutex_unlock(m) == 0;
}

typedef struct Locker {
    pthread_mutex_t *m;
    int result, recovered;
} Locker;

static void *locker_main(void *arg)
{
    Locker *l = arg;
    l->result = pthread_mutex_lock(l->m);
    l->recovered = l->result == EOWNERDEAD && recover(l->m);
    return NULL;
}

/* The owner thread dies holding m; another thread locks it (blocked on it before
 * the death when with_waiter), gets EOWNERDEAD and makes it consistent. */
static int owner_death_recovered(pthread_mutex_t *m, int with_waiter)
{
    Owner o = {.m = m, .wait_for_waiter = with_waiter};
    Locker l = {.m = m};
    pthread_t owner, locker;
    pthread_create(&owner, NULL, owner_main, &o);
    if (!with_waiter)
        pthread_join(owner, NULL);
    else
        while (!__atomic_load_n(&m->__data.__owner, __ATOMIC_SEQ_CST))
            sched_yield();
    pthread_create(&locker, NULL, locker_main, &l);
    pthread_join(owner, NULL);
    pthread_join(locker, NULL);
    if (!o.locked || l.result != EOWNERDEAD)
        printf("  owner locked %d, next lock gave %d\n", o.locked, l.result);
    return o.locked && l.result == EOWNERDEAD && l.recovered;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "exec-target") == 0)
        return 0;

    /* The raw calls. */
    void *head = NULL;
    size_t len = 0;
    check("get_robust_list: glibc registered a list",
          syscall(SYS_get_robust_list, 0, &head, &len) == 0 && head != NULL && len == 24);
    errno = 0;
    check("set_robust_list with a bad length: EINVAL",
          syscall(SYS_set_robust_list, head, 16) == -1 && errno == EINVAL);
    void *other = NULL;
    check("get_robust_list by tid",
          syscall(SYS_get_robust_list, gettid(), &other, &len) == 0 && other == head);
    errno = 0;
    check("get_robust_list into a bad pointer: EFAULT",
          syscall(SYS_get_robust_list, 0, (void *)16, &len) == -1 && errno == EFAULT);

    static pthread_mutex_t m1, m2, m3, m4;
    init_robust(&m1, PTHREAD_PRIO_NONE, PTHREAD_PROCESS_PRIVATE);
    check("owner thread exited: EOWNERDEAD, then consistent", owner_death_recovered(&m1, 0));
    init_robust(&m2, PTHREAD_PRIO_NONE, PTHREAD_PROCESS_PRIVATE);
    check("waiter blocked while the owner exits: EOWNERDEAD, then consistent",
          owner_death_recovered(&m2, 1));
    init_robust(&m3, PTHREAD_PRIO_INHERIT, PTHREAD_PROCESS_PRIVATE);
    check("PI: owner thread exited: EOWNERDEAD, then consistent", owner_death_recovered(&m3, 0));
    init_robust(&m4, PTHREAD_PRIO_INHERIT, PTHREAD_PROCESS_PRIVATE);
    check("PI: waiter blocked while the owner exits: EOWNERDEAD, then consistent",
          owner_death_recovered(&m4, 1));

    /* Shared with a child process that dies holding it: by exit, then by execve. */
    pthread_mutex_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    init_robust(shared, PTHREAD_PRIO_NONE, PTHREAD_PROCESS_SHARED);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(shared);
        exit(0);
    }
    waitpid(pid, NULL, 0);
    check("child process exited holding it: EOWNERDEAD",
          pthread_mutex_lock(shared) == EOWNERDEAD && recover(shared));

    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(shared);
        execl(self, self, "exec-target", (char *)NULL);
        _exit(1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check("child process exec'd holding it: EOWNERDEAD",
          WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
              pthread_mutex_lock(shared) == EOWNERDEAD && recover(shared));

    printf("robust: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
