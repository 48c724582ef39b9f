/* Code one thread runs and another changes, as a JIT's compiler thread installs code
 * the others run. A worker thread calls functions on pages of an RWX mapping until
 * they are translated, then waits; the main thread changes some of them and wakes
 * it; the worker must run the new code, and the rest still right:
 *  - a store into one function's page (no fence.i: rvx sees every write to code);
 *  - stores into more pages at once than rvx's log of code changes holds (300);
 *  - a page mapped over with MAP_FIXED, and one made non-executable then executable
 *    again after a store (munmap/mmap/mprotect ranges).
 * rvx hands each thread the ranges that changed, or makes it drop everything when
 * it cannot know them; a thread keeping a stale translation fails here. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"

enum { N_PAGES = 320, CALLS = 200 };

static uint8_t *code;                  /* N_PAGES pages, one function each */
static sem_t go, done;
static int step;                       /* what the worker does next (set before go) */
static int wrong;                      /* functions that returned what they should not */

static uint32_t li_a0(int value) { return 0x00000513u | ((uint32_t)value << 20); }

static void write_function(int page, int value)
{
    uint32_t *f = (uint32_t *)(code + (size_t)page * 4096);
    f[0] = li_a0(value);
    f[1] = 0x00008067u; /* ret */
}

static int call(int page)
{
    int (*f)(void) = (int (*)(void))(code + (size_t)page * 4096);
    return f();
}

/* What each function returns now (li takes 12 signed bits). */
static int expected[N_PAGES];

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        sem_wait(&go);
        if (step < 0)
            return NULL;
        for (int r = 0; r < CALLS; r++)
            for (int p = 0; p < N_PAGES; p++)
                wrong += call(p) != expected[p];
        sem_post(&done);
    }
}

/* Lets the worker run every function CALLS times, and waits for it. */
static void run_worker(void)
{
    wrong = 0;
    sem_post(&go);
    sem_wait(&done);
}

int main(void)
{
    code = mmap(NULL, (size_t)N_PAGES * 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check("mapped", code != MAP_FAILED);
    for (int p = 0; p < N_PAGES; p++) {
        write_function(p, p);
        expected[p] = p;
    }
    __builtin___clear_cache((char *)code, (char *)code + (size_t)N_PAGES * 4096);
    sem_init(&go, 0, 0);
    sem_init(&done, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    run_worker();
    check("first code", wrong == 0);

    write_function(7, 1507);
    expected[7] = 1507;
    run_worker();
    check("one page rewritten by another thread", wrong == 0);

    for (int p = 0; p < 300; p++) {
        write_function(p, 600 + p);
        expected[p] = 600 + p;
    }
    run_worker();
    check("300 pages rewritten", wrong == 0);

    void *fixed = mmap(code + 20 * 4096, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check("mapped over", fixed == code + 20 * 4096);
    write_function(20, 1920);
    expected[20] = 1920;
    mprotect(code + 310 * 4096, 4096, PROT_READ | PROT_WRITE);
    write_function(310, 1910);
    mprotect(code + 310 * 4096, 4096, PROT_READ | PROT_EXEC);
    expected[310] = 1910;
    run_worker();
    check("pages mapped over and reprotected", wrong == 0);

    step = -1;
    sem_post(&go);
    pthread_join(t, NULL);
    printf("xthreadcode: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
