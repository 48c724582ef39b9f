/* Guest loads that fault, in a loop so that the DBT runs them from translated code
 * (whose loads read guest memory directly and come back through a host fault):
 * every load width, signed and unsigned, integer and FP, from an unmapped page, a
 * PROT_NONE page, a page made PROT_NONE after the same code read it, addresses
 * beyond the guest address space, and a misaligned load running into a PROT_NONE
 * page. Each must raise SIGSEGV at the load itself (the handler checks the saved pc
 * and si_addr), leave the destination register unchanged, and resume after it.
 * Prints one line per check. */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "fault_check.h"


/* One load instruction with a label on it; the destination starts as `old`. */
#define LOAD_FN(name, insn)                                                            \
    static uint64_t name(uintptr_t addr, uint64_t old, uintptr_t *at)                  \
    {                                                                                  \
        uint64_t v = old;                                                              \
        uintptr_t pc;                                                                  \
        __asm__ volatile(".option push\n.option norvc\n"                               \
                         "1: " insn " %0, 0(%2)\n"                                     \
                         "lla %1, 1b\n.option pop\n"                                   \
                         : "+r"(v), "=&r"(pc) : "r"(addr) : "memory");                 \
        *at = pc;                                                                      \
        return v;                                                                      \
    }
LOAD_FN(load_lb, "lb")
LOAD_FN(load_lh, "lh")
LOAD_FN(load_lw, "lw")
LOAD_FN(load_ld, "ld")
LOAD_FN(load_lbu, "lbu")
LOAD_FN(load_lhu, "lhu")
LOAD_FN(load_lwu, "lwu")

/* Loads with displacements reaching past either end of the address space. */
#define LOAD_DISP_FN(name, disp)                                                       \
    static uint64_t name(uintptr_t addr, uint64_t old, uintptr_t *at)                  \
    {                                                                                  \
        uint64_t v = old;                                                              \
        uintptr_t pc;                                                                  \
        __asm__ volatile(".option push\n.option norvc\n"                             \
                         "1: ld %0, " #disp "(%2)\n"                                  \
                         "lla %1, 1b\n.option pop\n"                                 \
                         : "+r"(v), "=&r"(pc) : "r"(addr) : "memory");                 \
        *at = pc;                                                                      \
        return v;                                                                      \
    }
LOAD_DISP_FN(load_ld_plus, 2040)
LOAD_DISP_FN(load_ld_minus, -2048)

static uint64_t load_fld(uintptr_t addr, uint64_t old, uintptr_t *at)
{
    double v;
    memcpy(&v, &old, sizeof v);
    uintptr_t pc;
    __asm__ volatile(".option push\n.option norvc\n"
                     "1: fld %0, 0(%2)\n"
                     "lla %1, 1b\n.option pop\n"
                     : "+f"(v), "=&r"(pc) : "r"(addr) : "memory");
    *at = pc;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return bits;
}

/* Two loads through one register in one block: the DBT tests the register against the
 * space once, so the second load, 8 bytes on, relies on the host fault alone. *first
 * gets the first load's value; returns the second's (old if it faulted). */
static uint64_t load_pair(uintptr_t addr, uint64_t old, uint64_t *first, uintptr_t *at)
{
    uint64_t a = old, b = old;
    uintptr_t pc;
    __asm__ volatile(".option push\n.option norvc\n"
                     "ld %0, 0(%3)\n"
                     "1: ld %1, 8(%3)\n"
                     "lla %2, 1b\n.option pop\n"
                     : "+r"(a), "+r"(b), "=&r"(pc) : "r"(addr) : "memory");
    *first = a;
    *at = pc;
    return b;
}

/* The same with the register stepped in between (addi), as a loop walking an array:
 * the second address is the tested one plus 8, also left to the host fault. */
static uint64_t load_step(uintptr_t addr, uint64_t old, uint64_t *first, uintptr_t *at)
{
    uint64_t a = old, b = old;
    uintptr_t pc, p = addr;
    __asm__ volatile(".option push\n.option norvc\n"
                     "ld %0, 0(%3)\n"
                     "addi %3, %3, 8\n"
                     "1: ld %1, 0(%3)\n"
                     "lla %2, 1b\n.option pop\n"
                     : "+r"(a), "+r"(b), "=&r"(pc), "+r"(p) : : "memory");
    *first = a;
    *at = pc;
    return b;
}

/* A loop of one block summing words from p on until a load faults (the handler
 * escapes to the label after the loop): the registers it carries around the loop must
 * be exact at the fault, as on hardware, though the DBT keeps them in host registers
 * while it loops. The loop's branch is `bne` (to an end far beyond) or `j`. */
typedef struct LoopState {
    uintptr_t p;
    uint64_t n, sum;
    double fsum;
} LoopState;

/* The loop, with `back` as its branch back to label 1 (`j` leaves [end] unused). */
#define LOAD_LOOP(back)                                                                \
    __asm__ volatile(".option push\n.option norvc\n"                                   \
                     "lla %[esc], 2f\n sd %[esc], 0(%[escp])\n"                          \
                     "1: ld %[v], 0(%[p])\n add %[sum], %[sum], %[v]\n"                   \
                     "fcvt.d.l %[fv], %[v]\n fadd.d %[fsum], %[fsum], %[fv]\n"            \
                     "addi %[n], %[n], 1\n addi %[p], %[p], 8\n" back "\n"               \
                     "2:\n.option pop\n"                                                 \
                     : [p] "+r"(p), [n] "+r"(n), [sum] "+r"(sum), [v] "=&r"(v),          \
                       [esc] "=&r"(esc), [fsum] "+f"(fsum), [fv] "=&f"(fv)              \
                     : [end] "r"(end), [escp] "r"(&fault_escape)                        \
                     : "memory")

static void load_loop(LoopState *st, bool with_bne)
{
    uintptr_t p = st->p, end = st->p + 4096 * 4, esc;
    uint64_t n = st->n, sum = st->sum, v;
    double fsum = st->fsum, fv;
    if (with_bne)
        LOAD_LOOP("bne %[p], %[end], 1b");
    else
        LOAD_LOOP("j 1b");
    fault_escape = 0;
    st->p = p;
    st->n = n;
    st->sum = sum;
    st->fsum = fsum;
}

typedef uint64_t (*LoadFn)(uintptr_t, uint64_t, uintptr_t *);
static const struct { const char *name; LoadFn fn; } loads[] = {
    {"lb", load_lb}, {"lh", load_lh}, {"lw", load_lw}, {"ld", load_ld},
    {"lbu", load_lbu}, {"lhu", load_lhu}, {"lwu", load_lwu}, {"fld", load_fld},
};
enum { N_LOADS = sizeof loads / sizeof loads[0] };

/* Runs every load on addr `rounds` times; all must fault at the load with si_addr
 * == expect_addr (unless 0) and leave the sentinel in place. */
static void expect_faults(const char *what, uintptr_t addr, uintptr_t expect_addr, int code)
{
    char line[128];
    for (unsigned k = 0; k < N_LOADS; k++) {
        int ok = 1;
        for (int round = 0; round < 50; round++) {
            uint64_t sentinel = 0x5a5a5a5a00000000ull + (uint64_t)round;
            uintptr_t at;
            int before = faults;
            uint64_t v = loads[k].fn(addr, sentinel, &at);
            ok &= faults == before + 1 && v == sentinel && fault_pc == at &&
                  (expect_addr == 0 || fault_addr == expect_addr) &&
                  (code == 0 || fault_code == code);
        }
        snprintf(line, sizeof line, "%s %s", what, loads[k].name);
        check(line, ok);
    }
}

int main(void)
{
    install_fault_handler();
    long page = sysconf(_SC_PAGESIZE);

    /* Readable memory first: the same code loads the right values. */
    uint8_t *rw = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 64; i++)
        rw[i] = (uint8_t)(0xf0 + i);
    uintptr_t at;
    int ok = 1;
    for (int round = 0; round < 50; round++) {
        ok &= load_lb((uintptr_t)rw, 0, &at) == 0xfffffffffffffff0ull;
        ok &= load_lbu((uintptr_t)rw, 0, &at) == 0xf0;
        ok &= load_lh((uintptr_t)rw, 0, &at) == 0xfffffffffffff1f0ull;
        ok &= load_lhu((uintptr_t)rw + 1, 0, &at) == 0xf2f1; /* misaligned */
        ok &= load_lw((uintptr_t)rw, 0, &at) == 0xfffffffff3f2f1f0ull;
        ok &= load_lwu((uintptr_t)rw, 0, &at) == 0xf3f2f1f0ull;
        ok &= load_ld((uintptr_t)rw + 3, 0, &at) == 0xfaf9f8f7f6f5f4f3ull;
        ok &= load_fld((uintptr_t)rw + 8, 0, &at) == 0xfffefdfcfbfaf9f8ull;
    }
    check("readable loads", ok && faults == 0);

    /* The middle page becomes PROT_NONE after the code above read it. */
    mprotect(rw + page, page, PROT_NONE);
    expect_faults("prot_none after use", (uintptr_t)rw + page + 8, (uintptr_t)rw + page + 8, SEGV_ACCERR);
    /* A misaligned load running from the first page into the PROT_NONE one. */
    for (unsigned k = 0; k < N_LOADS; k++) {
        if (strcmp(loads[k].name, "ld") && strcmp(loads[k].name, "lw"))
            continue;
        int before = faults;
        uint64_t v = loads[k].fn((uintptr_t)rw + page - 2, 77, &at);
        check(loads[k].name[1] == 'd' ? "ld across into prot_none" : "lw across into prot_none",
              faults == before + 1 && v == 77 && fault_pc == at);
    }
    /* Two loads through one register, the second into the PROT_NONE page. */
    memset(rw + page - 8, 0x11, 8);
    static const struct {
        const char *what;
        uint64_t (*fn)(uintptr_t, uint64_t, uint64_t *, uintptr_t *);
    } pairs[] = {
        {"second load through one register into prot_none", load_pair},
        {"load after stepping the register into prot_none", load_step},
    };
    for (unsigned k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        ok = 1;
        for (int round = 0; round < 50; round++) {
            uint64_t first;
            int before = faults;
            ok &= pairs[k].fn((uintptr_t)rw + page - 8, 99, &first, &at) == 99 &&
                  first == 0x1111111111111111ull && faults == before + 1 && fault_pc == at &&
                  fault_addr == (uintptr_t)rw + page;
        }
        check(pairs[k].what, ok);
    }
    /* A loop running into the PROT_NONE page: 64 words before it, 1..64. */
    for (int with_bne = 0; with_bne < 2; with_bne++) {
        uint64_t *w = (uint64_t *)(rw + page) - 64;
        for (int i = 0; i < 64; i++)
            w[i] = (uint64_t)i + 1;
        ok = 1;
        for (int round = 0; round < 50; round++) {
            LoopState st = {.p = (uintptr_t)w, .n = 1000, .sum = 7, .fsum = 0.5};
            int before = faults;
            load_loop(&st, with_bne);
            ok &= faults == before + 1 && fault_addr == (uintptr_t)rw + page &&
                  st.p == (uintptr_t)rw + page && st.n == 1064 && st.sum == 7 + 64 * 65 / 2 &&
                  st.fsum == 0.5 + 64 * 65 / 2;
        }
        check(with_bne ? "bne loop into prot_none: registers exact at the fault"
                       : "j loop into prot_none: registers exact at the fault", ok);
    }
    /* The third page still reads fine. */
    rw[2 * page] = 0x42;
    check("page after the hole", load_lbu((uintptr_t)rw + 2 * page, 0, &at) == 0x42);

    /* Unmapped. */
    munmap(rw, page);
    expect_faults("unmapped", (uintptr_t)rw + 16, (uintptr_t)rw + 16, SEGV_MAPERR);
    /* PROT_NONE from the start. */
    uint8_t *none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect_faults("prot_none", (uintptr_t)none + 40, (uintptr_t)none + 40, SEGV_ACCERR);
    /* Beyond any user address space, and the top of the 64-bit range. */
    expect_faults("beyond 2^39", (uintptr_t)1 << 39, (uintptr_t)1 << 39, 0);
    expect_faults("beyond 2^47", ((uintptr_t)1 << 47) + 8, 0, 0);
    expect_faults("top of the range", (uintptr_t)-64, 0, 0);
    expect_faults("null", 0, 0, SEGV_MAPERR);

    /* A base register inside the space, the displacement taking it outside. */
    ok = 1;
    for (int round = 0; round < 50; round++) {
        int before = faults;
        uintptr_t top = ((uintptr_t)1 << 38) - 8;
        ok &= load_ld_plus(top, 5, &at) == 5 && faults == before + 1 && fault_pc == at &&
              fault_addr == top + 2040;
        ok &= load_ld_minus(8, 6, &at) == 6 && faults == before + 2 && fault_pc == at &&
              fault_addr == (uintptr_t)8 - 2048;
    }
    check("displacement past either end", ok);

    printf("loadfault: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
