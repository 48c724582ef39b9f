/* Store buffering (Dekker), the litmus test of a store-to-load barrier: thread A stores
 * x then loads y, thread B stores y then loads x, with `fence rw,rw` in between. Both
 * loads seeing 0 is forbidden by RISC-V's memory model and must never happen; x86-64
 * hosts let a store pass a later load, so translated code needs a host barrier there.
 * The same pair without the fence (the outcome is allowed) is counted and reported
 * only: how often the window opens shows the test can see a reordering at all. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

enum { ROUNDS = 20000 };

static volatile long x, y;
static long seen_a[ROUNDS], seen_b[ROUNDS];
static atomic_int arrived, sense;
static int fenced; /* the phase: 1 with the fence */

/* Two-thread sense-reversing barrier: both leave together, so the bodies overlap.
 * A waiter yields after a while of spinning: on a loaded host (ctest -j with both
 * cores busy) the other thread may not be running at all, and pure spinning then
 * takes a scheduler time slice per crossing (the test timed out that way). */
static void barrier(int *local)
{
    *local = !*local;
    if (atomic_fetch_add(&arrived, 1) == 1) {
        atomic_store(&arrived, 0);
        atomic_store(&sense, *local);
    } else {
        for (int spins = 0; atomic_load(&sense) != *local; spins++)
            if (spins >= 1000)
                sched_yield();
    }
}

static long store_then_load(volatile long *st, volatile long *ld)
{
    long v;
    if (fenced)
        __asm__ volatile("sd %2, 0(%1)\n\tfence rw, rw\n\tld %0, 0(%3)"
                         : "=&r"(v) : "r"(st), "r"(1L), "r"(ld) : "memory");
    else
        __asm__ volatile("sd %2, 0(%1)\n\tld %0, 0(%3)" : "=&r"(v) : "r"(st), "r"(1L), "r"(ld) : "memory");
    return v;
}

static void *thread_b(void *arg)
{
    int local = 0;
    (void)arg;
    for (int phase = 0; phase < 2; phase++)
        for (int r = 0; r < ROUNDS; r++) {
            barrier(&local);
            seen_b[r] = store_then_load(&y, &x);
            barrier(&local);
            barrier(&local); /* A checks and resets */
        }
    return NULL;
}

int main(void)
{
    pthread_t b;
    if (pthread_create(&b, NULL, thread_b, NULL) != 0)
        return 1;
    int local = 0;
    long both_zero[2] = {0, 0};
    for (int phase = 0; phase < 2; phase++) {
        for (int r = 0; r < ROUNDS; r++) {
            barrier(&local);
            seen_a[r] = store_then_load(&x, &y);
            barrier(&local);
            both_zero[phase] += seen_a[r] == 0 && seen_b[r] == 0;
            x = y = 0;
            if (r == ROUNDS - 1)
                fenced = 1;
            barrier(&local);
        }
    }
    pthread_join(b, NULL);
    printf("litmus: without fence %ld of %d rounds saw both 0 (allowed)\n", both_zero[0], ROUNDS);
    printf("litmus: with fence rw,rw %ld of %d rounds saw both 0 (forbidden)\n", both_zero[1], ROUNDS);
    if (both_zero[1] != 0)
        return 1;
    printf("litmus: ok\n");
    return 0;
}
