/* Page-table translation in S-mode for one satp mode (SATP_MODE 8/9/10 = Sv39/48/57,
 * set at build time): 4 KiB pages with A/D bits set by the hardware walker, R/W/X
 * permission faults (with stval), execute-only pages and MXR, U pages and SUM, 2 MiB
 * and 1 GiB superpages, a misaligned superpage, W-without-R, non-canonical addresses,
 * negative (upper-half) addresses, sfence.vma making a remap visible, a csrw satp
 * that maps a hot function's address to other code (no sfence.vma), and a hot direct
 * call into the next page while that page is remapped to other code. The code
 * runs identity-mapped through a 1 GiB page at 0x80000000. */
#include "rt.h"

#define LEVELS (SATP_MODE - 5)
#define VA_BITS (12 + 9 * LEVELS)
/* A test region in the top-level slot 1 of the lower half: exercises every level. */
#define TVA (1ull << (VA_BITS - 9))
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)

static uint8_t page[4][4096] __attribute__((aligned(4096)));
static uint64_t *root;

static uint64_t s_load(uint64_t va) { return *(volatile uint64_t *)va; }
static uint64_t s_store(uint64_t va)
{
    *(volatile uint64_t *)va = 0x5151;
    return 0;
}
static uint64_t s_call(uint64_t va) { return ((uint64_t (*)(void))va)(); }

static void remap(void)
{
    sfence_vma();  /* M's view: page-table edits must reach the walker */
}

static void map4k(uint64_t va, void *pa, uint64_t flags)
{
    pt_map(root, LEVELS, va, (uint64_t)pa, 0, flags);
    remap();
}

static void resume_after_call(void) {}

/* Two address spaces that differ only in what TVA + 0x6000 runs: a function returning
 * 1 in the first, 2 in the second. S-mode calls it in a loop hot enough to be
 * translated, switching satp halfway (ASIDs differ: no sfence.vma is required). */
static uint32_t code_one[1024] __attribute__((aligned(4096)));
static uint32_t code_two[1024] __attribute__((aligned(4096)));
static uint64_t satp_one, satp_two;

static uint64_t s_switch_and_call(uint64_t va)
{
    uint64_t (*f)(void) = (uint64_t (*)(void))va;
    uint64_t sum = 0;
    for (int i = 0; i < 1000; i++) {
        if (i == 600)
            CSR_WRITE(satp, satp_two);
        sum += f();
    }
    CSR_WRITE(satp, satp_one);
    return sum + 10000 * f();
}

/* A function at a page's start that calls the start of the next page with a direct
 * jal (so a DBT may link the two blocks) and returns what it returned. */
static const uint32_t far_caller[] = {
    0xff010113, /* addi sp, sp, -16 */
    0x00113423, /* sd ra, 8(sp) */
    0x7f9000ef, /* jal ra, . + 0xff8 (the next page) */
    0x00813083, /* ld ra, 8(sp) */
    0x01010113, /* addi sp, sp, 16 */
    0x00008067, /* ret */
};
static uint32_t code_far[1024] __attribute__((aligned(4096)));

/* Calls the function at va, and the next page's directly, 1000 times; at the 600th,
 * S remaps that page from code_one to code_two and fences: the calls after it, direct
 * (from va's code) and indirect (from here), must run code_two. */
static uint64_t s_far_calls(uint64_t va)
{
    uint64_t (*f)(void) = (uint64_t (*)(void))va, (*g)(void) = (uint64_t (*)(void))(va + 0x1000);
    uint64_t sum = 0;
    for (int i = 0; i < 1000; i++) {
        if (i == 600) {
            pt_map(root, LEVELS, va + 0x1000, (uint64_t)code_two, 0, PTE_X | PTE_A);
            sfence_vma();
        }
        sum += f() + 1000 * g();
    }
    return sum;
}

int main(void)
{
    root = pt_alloc();
    /* Identity 1 GiB RWX for code, data, stacks (already accessed and dirty). */
    pt_map(root, LEVELS, 0x80000000ull, 0x80000000ull, 2, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    CSR_WRITE(satp, ((uint64_t)SATP_MODE << 60) | ((uint64_t)root >> 12));
    CHECK_EQ(CSR_READ(satp) >> 60, SATP_MODE);
    sfence_vma();

    /* 4 KiB page, A/D updated by the walker. */
    *(uint64_t *)page[0] = 0x1234;
    map4k(TVA, page[0], PTE_R | PTE_W);
    volatile uint64_t *pte = pt_leaf(root, LEVELS, TVA);
    CHECK(pte);
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_load, TVA), 0x1234);
    CHECK_EQ(rt_mtrap.count, 0);
    CHECK(*pte & PTE_A);
    CHECK_EQ(*pte & PTE_D, 0);
    rt_enter(PRIV_S, s_store, TVA + 8);
    CHECK_EQ(rt_mtrap.count, 0);
    CHECK(*pte & PTE_D);
    CHECK_EQ(*(uint64_t *)(page[0] + 8), 0x5151);

    /* Read-only page: store page fault with stval = the address. */
    map4k(TVA + 0x1000, page[1], PTE_R | PTE_A);
    rt_trap_reset();
    rt_enter(PRIV_S, s_store, TVA + 0x1010);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 15);
    CHECK_EQ(rt_mtrap.tval, TVA + 0x1010);

    /* Not executable: instruction page fault. */
    *(uint32_t *)page[2] = 0x00008067;  /* ret */
    __asm__ volatile("fence.i");
    map4k(TVA + 0x2000, page[2], PTE_R | PTE_W | PTE_A | PTE_D);
    rt_trap_reset();
    rt_mtrap.resume = (uint64_t)resume_after_call;
    rt_enter(PRIV_S, s_call, TVA + 0x2000);
    CHECK_EQ(rt_mtrap.cause, 12);
    CHECK_EQ(rt_mtrap.tval, TVA + 0x2000);

    /* Execute-only: runs; loads fault unless MXR. */
    map4k(TVA + 0x3000, page[2], PTE_X | PTE_A);
    rt_trap_reset();
    rt_enter(PRIV_S, s_call, TVA + 0x3000);
    CHECK_EQ(rt_mtrap.count, 0);
    rt_enter(PRIV_S, s_load, TVA + 0x3000);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 13);
    CSR_SET(mstatus, MSTATUS_MXR);
    CHECK_EQ(rt_enter(PRIV_S, s_load, TVA + 0x3000) & 0xffffffff, 0x00008067);
    CHECK_EQ(rt_mtrap.count, 1);
    CSR_CLEAR(mstatus, MSTATUS_MXR);

    /* U page: S may touch it only with SUM. */
    *(uint64_t *)page[3] = 0x3333;
    map4k(TVA + 0x4000, page[3], PTE_U | PTE_R | PTE_W | PTE_A | PTE_D);
    rt_trap_reset();
    rt_enter(PRIV_S, s_load, TVA + 0x4000);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 13);
    CSR_SET(mstatus, MSTATUS_SUM);
    CHECK_EQ(rt_enter(PRIV_S, s_load, TVA + 0x4000), 0x3333);
    CHECK_EQ(rt_mtrap.count, 1);
    CSR_CLEAR(mstatus, MSTATUS_SUM); /* and again without: what SUM allowed is gone */
    rt_enter(PRIV_S, s_load, TVA + 0x4000);
    CHECK_EQ(rt_mtrap.count, 2);
    CHECK_EQ(rt_mtrap.cause, 13);

    /* W without R is reserved: page fault. */
    map4k(TVA + 0x5000, page[3], PTE_W | PTE_A | PTE_D);
    rt_trap_reset();
    rt_enter(PRIV_S, s_load, TVA + 0x5000);
    CHECK_EQ(rt_mtrap.cause, 13);

    /* 2 MiB page onto 0x80400000 (aligned), and a misaligned one (PPN[0] != 0). */
    volatile uint64_t *target = (volatile uint64_t *)0x80401238ull;
    *target = 0xabcdef;
    pt_map(root, LEVELS, TVA + 0x200000, 0x80400000ull, 1, PTE_R | PTE_A);
    pt_map(root, LEVELS, TVA + 0x400000, 0x80401000ull, 1, PTE_R | PTE_A);
    remap();
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_load, TVA + 0x201238), 0xabcdef);
    CHECK_EQ(rt_mtrap.count, 0);
    rt_enter(PRIV_S, s_load, TVA + 0x400238);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 13);

    /* 1 GiB page in the upper half (negative addresses). */
    uint64_t neg = (uint64_t)-(1ll << 30);
    pt_map(root, LEVELS, neg, 0x80000000ull, 2, PTE_R | PTE_A);
    remap();
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_load, neg + 0x401238), 0xabcdef);
    CHECK_EQ(rt_mtrap.count, 0);

    /* Non-canonical: bit VA_BITS set, upper bits clear. */
    rt_trap_reset();
    rt_enter(PRIV_S, s_load, 1ull << VA_BITS);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 13);

    /* Remap TVA to another page: visible after sfence.vma. */
    *(uint64_t *)page[1] = 0x7777;
    map4k(TVA, page[1], PTE_R | PTE_A);
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_load, TVA), 0x7777);

    /* Same virtual pc, other code after csrw satp. */
    code_one[0] = 0x00100513; /* li a0, 1 */
    code_two[0] = 0x00200513; /* li a0, 2 */
    code_one[1] = code_two[1] = 0x00008067; /* ret */
    __asm__ volatile("fence.i");
    uint64_t *root_two = pt_alloc();
    pt_map(root_two, LEVELS, 0x80000000ull, 0x80000000ull, 2, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    pt_map(root_two, LEVELS, TVA + 0x6000, (uint64_t)code_two, 0, PTE_X | PTE_A);
    map4k(TVA + 0x6000, code_one, PTE_X | PTE_A);
    satp_one = ((uint64_t)SATP_MODE << 60) | (1ull << 44) | ((uint64_t)root >> 12);
    satp_two = ((uint64_t)SATP_MODE << 60) | (2ull << 44) | ((uint64_t)root_two >> 12);
    CSR_WRITE(satp, satp_one);
    sfence_vma();
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_switch_and_call, TVA + 0x6000), 600 + 400 * 2 + 10000);
    CHECK_EQ(rt_mtrap.count, 0);

    /* A direct jump into a page that S remaps (sfence.vma, same satp). */
    for (unsigned k = 0; k < sizeof far_caller / sizeof far_caller[0]; k++)
        code_far[k] = far_caller[k];
    __asm__ volatile("fence.i");
    map4k(TVA + 0x7000, code_far, PTE_X | PTE_A);
    map4k(TVA + 0x8000, code_one, PTE_X | PTE_A);
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_far_calls, TVA + 0x7000), 1001 * (600 + 400 * 2));
    CHECK_EQ(rt_mtrap.count, 0);

    /* Bare again: S sees physical addresses. */
    CSR_WRITE(satp, 0);
    CHECK_EQ(rt_enter(PRIV_S, s_load, 0x80401238ull), 0xabcdef);
    return 0;
}
