/* 8 threads sharing a futex-based pthread mutex and condition variable, plus C11
 * atomics: a bounded producer/consumer queue and atomic counters. The totals are
 * deterministic; any lost wake-up hangs (the test's timeout), any broken atomic or
 * mutex shows as a wrong sum. Also: pthread_join results, thread-local storage,
 * CLONE_CHILD_CLEARTID (join itself relies on it). And glibc's startup probes:
 * rvx answers rseq and clone3 with ENOSYS, so glibc (2.35+: the trixie dynamic
 * build) must run without rseq (__rseq_size 0, sched_getcpu by syscall) and create
 * its threads with clone. And set*id with a second thread alive: glibc makes every
 * thread run the call, through a signal (33) its own libc handles (the host's glibc
 * keeps the same number for itself). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { N_THREADS = 8, N_ITEMS = 4000, QSIZE = 16 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static long queue[QSIZE];
static int head, count, producers_done;
static long consumed_sum;
static atomic_long atomic_sum;
static atomic_int spin;
static long plain_counter; /* protected by the spin lock below */
static _Thread_local long tls_value;
extern const unsigned int __rseq_size; /* glibc 2.35+: 0 when rseq is not registered */

static void spin_lock(void)
{
    int expected = 0;
    while (!atomic_compare_exchange_weak(&spin, &expected, 1))
        expected = 0;
}
static void spin_unlock(void) { atomic_store(&spin, 0); }

static void *producer(void *arg)
{
    long id = (long)arg;
    tls_value = id;
    for (long i = 1; i <= N_ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (count == QSIZE)
            pthread_cond_wait(&not_full, &lock);
        queue[(head + count++) % QSIZE] = i * (id + 1);
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&lock);
        atomic_fetch_add(&atomic_sum, i);
        spin_lock();
        plain_counter++;
        spin_unlock();
    }
    pthread_mutex_lock(&lock);
    producers_done++;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&lock);
    return (void *)(tls_value * 100);
}

static void *consumer(void *arg)
{
    long local = 0;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (count == 0 && producers_done < N_THREADS / 2)
            pthread_cond_wait(&not_empty, &lock);
        if (count == 0) {
            pthread_mutex_unlock(&lock);
            break;
        }
        local += queue[head];
        head = (head + 1) % QSIZE;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    consumed_sum += local;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static sem_t setxid_done;

static void *setxid_waiter(void *arg)
{
    while (sem_wait(&setxid_done) != 0)
        ;
    return (void *)(long)(getgid() == (gid_t)(long)arg);
}

/* setgid/setuid to the ids the process has: allowed without privileges. */
static int setxid_with_threads(void)
{
    pthread_t w;
    sem_init(&setxid_done, 0, 0);
    if (pthread_create(&w, NULL, setxid_waiter, (void *)(long)getgid()) != 0)
        return 0;
    usleep(20000); /* let it block in sem_wait: the broadcast interrupts it */
    int r1 = setgid(getgid()), r2 = setuid(getuid());
    sem_post(&setxid_done);
    void *same_gid;
    pthread_join(w, &same_gid);
    printf("setgid %d setuid %d with a second thread, its gid %s\n", r1, r2,
           same_gid ? "the same" : "DIFFERS");
    return r1 == 0 && r2 == 0 && same_gid;
}

int main(void)
{
    int setxid_ok = setxid_with_threads();
    pthread_t t[N_THREADS];
    for (long i = 0; i < N_THREADS; i++)
        if (pthread_create(&t[i], NULL, i % 2 ? consumer : producer, (void *)(i / 2)) != 0) {
            puts("pthread_create failed");
            return 1;
        }
    long ret_sum = 0;
    for (int i = 0; i < N_THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        ret_sum += (long)r;
    }
    int cpu = sched_getcpu();
    printf("rseq registered: %u bytes (want 0), sched_getcpu %d\n", __rseq_size, cpu);
    long per = (long)N_ITEMS * (N_ITEMS + 1) / 2;
    long want_consumed = per * (1 + 2 + 3 + 4);
    printf("consumed %ld (want %ld)\n", consumed_sum, want_consumed);
    printf("atomic %ld (want %ld)\n", (long)atomic_sum, per * 4);
    printf("spin counter %ld (want %d)\n", plain_counter, 4 * N_ITEMS);
    printf("join values %ld (want 600)\n", ret_sum);
    int ok = consumed_sum == want_consumed && atomic_sum == per * 4 &&
             plain_counter == 4 * N_ITEMS && ret_sum == 600 && __rseq_size == 0 && cpu >= 0 &&
             setxid_ok;
    puts(ok ? "threads: ok" : "threads: FAILED");
    return ok ? 0 : 1;
}
