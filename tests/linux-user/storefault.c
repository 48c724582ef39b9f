/* Guest stores from translated code, which the DBT writes straight to host memory:
 *  - stores that fault: every width (and fsd) into an unmapped page, a read-only page,
 *    a page made read-only after the same code wrote it, past the address space, and
 *    misaligned across into a read-only page. Each raises SIGSEGV at the store (the
 *    handler checks the pc and si_addr) and leaves memory as it was;
 *  - self-modifying code without fence.i, where pages translated code came from are
 *    write-protected on the host behind the guest's back: a function in an RWX page
 *    rewritten by a store of translated code, by read(2) from a pipe (the kernel
 *    writes; it must not fail with EFAULT), by an atomic (amoswap), by another thread
 *    (then fence.i, as RISC-V asks of a hart running code another one wrote), and a
 *    counter sharing the page with the code it runs.
 * Prints one line per check. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "fault_check.h"


#define STORE_FN(name, insn)                                                           \
    static void name(uintptr_t addr, uint64_t v, uintptr_t *at)                        \
    {                                                                                  \
        uintptr_t pc;                                                                  \
        __asm__ volatile(".option push\n.option norvc\n"                               \
                         "1: " insn " %1, 0(%2)\n"                                     \
                         "lla %0, 1b\n.option pop\n"                                   \
                         : "=&r"(pc) : "r"(v), "r"(addr) : "memory");                  \
        *at = pc;                                                                      \
    }
STORE_FN(store_sb, "sb")
STORE_FN(store_sh, "sh")
STORE_FN(store_sw, "sw")
STORE_FN(store_sd, "sd")

static void store_fsd(uintptr_t addr, uint64_t v, uintptr_t *at)
{
    double d;
    memcpy(&d, &v, sizeof d);
    uintptr_t pc;
    __asm__ volatile(".option push\n.option norvc\n"
                     "1: fsd %1, 0(%2)\n"
                     "lla %0, 1b\n.option pop\n"
                     : "=&r"(pc) : "f"(d), "r"(addr) : "memory");
    *at = pc;
}

typedef void (*StoreFn)(uintptr_t, uint64_t, uintptr_t *);
static const struct { const char *name; StoreFn fn; unsigned size; } stores[] = {
    {"sb", store_sb, 1}, {"sh", store_sh, 2}, {"sw", store_sw, 4}, {"sd", store_sd, 8},
    {"fsd", store_fsd, 8},
};
enum { N_STORES = sizeof stores / sizeof stores[0] };

/* Every store to addr, 50 times each: all must fault at the store with si_addr ==
 * expect_addr (unless 0); `watch` (if not NULL, readable) must keep its bytes. */
static void expect_faults(const char *what, uintptr_t addr, uintptr_t expect_addr, int code,
                          const uint8_t *watch, size_t watch_len)
{
    uint8_t before_bytes[64];
    if (watch)
        memcpy(before_bytes, watch, watch_len);
    for (unsigned k = 0; k < N_STORES; k++) {
        int ok = 1;
        for (int round = 0; round < 50; round++) {
            uintptr_t at;
            int before = faults;
            stores[k].fn(addr, 0x1122334455667788ull + (uint64_t)round, &at);
            ok &= faults == before + 1 && fault_pc == at &&
                  (expect_addr == 0 || fault_addr == expect_addr) && (code == 0 || fault_code == code);
        }
        if (watch)
            ok &= memcmp(before_bytes, watch, watch_len) == 0;
        char line[128];
        snprintf(line, sizeof line, "%s %s", what, stores[k].name);
        check(line, ok);
    }
}

/* ---- self-modifying code ---- */
#define ADDI_A0(imm) ((((uint32_t)(imm) & 0xfff) << 20) | (10u << 7) | 0x13) /* addi a0, x0, imm */
#define RET 0x00008067u

typedef long (*Fn)(void);
static long call(void *code) { return ((Fn)code)(); }

/* Calls the function at code `n` times (it gets translated and run from the cache). */
static long call_many(void *code, int n)
{
    long r = 0;
    for (int i = 0; i < n; i++)
        r = call(code);
    return r;
}

static uint32_t *code_page(long page)
{
    uint32_t *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = ADDI_A0(1);
    p[1] = RET;
    __asm__ volatile("fence.i" ::: "memory");
    return p;
}

static uint32_t *shared_code;
static void *patch_from_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
        shared_code[0] = ADDI_A0(i % 2 ? 600 : 500); /* ends with 600 */
    return NULL;
}

static void smc_checks(long page)
{
    /* A store from translated code (this loop), no fence.i. */
    uint32_t *p = code_page(page);
    int ok = call_many(p, 100) == 1;
    for (int i = 2; i < 200; i++) {
        p[0] = ADDI_A0(i);
        ok &= call_many(p, 3) == i;
    }
    check("smc: store without fence.i", ok);

    /* read(2) writes the new instruction: the kernel must be able to write the page. */
    int fds[2];
    pipe(fds);
    uint32_t insn = ADDI_A0(77);
    write(fds[1], &insn, sizeof insn);
    ok = call_many(p, 100) == 199;
    ok &= read(fds[0], p, sizeof insn) == (ssize_t)sizeof insn;
    ok &= call(p) == 77;
    check("smc: read(2) into translated code", ok);
    close(fds[0]);
    close(fds[1]);

    /* An atomic swap writes the instruction. */
    ok = call_many(p, 100) == 77;
    uint32_t old;
    __asm__ volatile("amoswap.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(ADDI_A0(88)) : "memory");
    ok &= old == ADDI_A0(77) && call(p) == 88;
    check("smc: amoswap into translated code", ok);

    /* Another thread rewrites it; this one runs fence.i before calling. */
    shared_code = p;
    ok = call_many(p, 100) == 88;
    pthread_t t;
    pthread_create(&t, NULL, patch_from_thread, NULL);
    for (int i = 0; i < 200; i++)
        call(p); /* either version, while the other thread writes */
    pthread_join(t, NULL);
    __asm__ volatile("fence.i" ::: "memory");
    ok &= call(p) == 600;
    check("smc: another thread, then fence.i", ok);

    /* Data on the page of the code it runs: every increment hits a translated page. */
    uint32_t *q = code_page(page);
    volatile uint64_t *counter = (volatile uint64_t *)(q + 256);
    *counter = 0;
    long sum = 0;
    for (int i = 0; i < 2000; i++) {
        sum += call(q);
        *counter += 1;
    }
    check("smc: data next to code", sum == 2000 && *counter == 2000);
    munmap(p, (size_t)page);
    munmap(q, (size_t)page);
}

int main(void)
{
    install_fault_handler();
    long page = sysconf(_SC_PAGESIZE);

    /* Writable memory: the same code stores the right bytes. */
    uint8_t *rw = mmap(NULL, 3 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uintptr_t at;
    int ok = 1;
    for (int round = 0; round < 50; round++) {
        memset(rw, 0, 32);
        store_sb((uintptr_t)rw, 0x1ff, &at);
        store_sh((uintptr_t)rw + 1, 0x2a2b2c, &at); /* misaligned */
        store_sw((uintptr_t)rw + 4, 0x3a3b3c3d3eull, &at);
        store_sd((uintptr_t)rw + 9, 0x0102030405060708ull, &at);
        store_fsd((uintptr_t)rw + 24, 0x1112131415161718ull, &at);
        static const uint8_t want[32] = {0xff, 0x2c, 0x2b, 0, 0x3e, 0x3d, 0x3c, 0x3b, 0,
                                         8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0,
                                         0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11};
        ok &= memcmp(rw, want, 32) == 0;
    }
    check("writable stores", ok && faults == 0);

    /* The middle page becomes read-only after the code above could write it. */
    mprotect(rw + page, (size_t)page, PROT_READ);
    expect_faults("read-only after use", (uintptr_t)rw + page + 8, (uintptr_t)rw + page + 8,
                  SEGV_ACCERR, rw + page, 32);
    /* Misaligned, from the first page into the read-only one: nothing is written. */
    memset(rw + page - 8, 0x33, 8);
    int before = faults;
    store_sd((uintptr_t)rw + page - 4, 0, &at);
    ok = faults == before + 1 && fault_pc == at;
    for (int i = 0; i < 8; i++)
        ok &= rw[page - 8 + i] == 0x33 && rw[page + i] == 0;
    check("sd across into read-only", ok);
    /* The third page still writes. */
    store_sd((uintptr_t)rw + 2 * page, 0x42, &at);
    check("page after the read-only one", rw[2 * page] == 0x42);

    munmap(rw, (size_t)page);
    expect_faults("unmapped", (uintptr_t)rw + 16, (uintptr_t)rw + 16, SEGV_MAPERR, NULL, 0);
    uint8_t *ro = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect_faults("read-only", (uintptr_t)ro + 40, (uintptr_t)ro + 40, SEGV_ACCERR, ro, 64);
    expect_faults("beyond 2^39", (uintptr_t)1 << 39, (uintptr_t)1 << 39, 0, NULL, 0);
    expect_faults("top of the range", (uintptr_t)-64, 0, 0, NULL, 0);
    expect_faults("null", 0, 0, SEGV_MAPERR, NULL, 0);

    smc_checks(page);

    printf("storefault: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
