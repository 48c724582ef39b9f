/* Pages whose virtual addresses share a soft-TLB set (rvx's TLB is indexed by the low
 * bits of the page number; 64 MiB apart is the same set for any table up to 16384
 * sets). S-mode code alternates between two and three such pages, hot enough to be
 * translated, and checks what it reads and writes; then the cases where a page sits
 * in the set's second entry: its permissions (a store to a read-only page faults), its
 * dirty bit (the first store sets D in the PTE), and a remap that sfence.vma of that
 * page alone must make visible. Sv39, code identity-mapped through a 1 GiB page. */
#include "rt.h"

#define LEVELS 3
#define SPAN (64ull << 20)
/* Top-level slot 1 (a region of its own), in a set that no code, stack or page-table
 * page of the identity-mapped image uses: with them, two pages may not be enough. */
#define VA0 ((1ull << 30) + 0x3f5000)
#define VA(k) (VA0 + (k) * SPAN)

static uint64_t frame[4][512] __attribute__((aligned(4096)));
static uint64_t *root;

static void map4k(uint64_t va, void *pa, uint64_t flags)
{
    pt_map(root, LEVELS, va, (uint64_t)pa, 0, flags);
    sfence_vma();
}

/* Reads the first word of `pages` pages (VA(0), VA(1), ...) in turn, 20000 times. */
static uint64_t s_read_rounds(uint64_t pages)
{
    uint64_t sum = 0;
    for (int r = 0; r < 20000; r++)
        for (uint64_t k = 0; k < pages; k++)
            sum += *(volatile uint64_t *)VA(k);
    return sum;
}

/* Adds to word 1 of VA(0) and VA(1) in turn. */
static uint64_t s_write_rounds(uint64_t n)
{
    for (uint64_t r = 0; r < n; r++) {
        *(volatile uint64_t *)(VA(0) + 8) += 1;
        *(volatile uint64_t *)(VA(1) + 8) += 2;
    }
    return 0;
}

/* Reads VA(0) then VA(1) (which leaves VA(0) in the set's second entry, as rvx
 * fills), then stores to VA(0). */
static uint64_t s_read_both_store_first(uint64_t value)
{
    uint64_t sum = 0;
    for (int r = 0; r < 1000; r++) {
        sum += *(volatile uint64_t *)VA(0);
        sum += *(volatile uint64_t *)VA(1);
    }
    *(volatile uint64_t *)(VA(0) + 16) = value;
    return sum;
}

/* Reads VA(0) and VA(1) in turn (VA(0) in the second entry); S remaps VA(0) halfway
 * and fences that page alone. */
static uint64_t s_remap_first(uint64_t unused)
{
    uint64_t sum = 0;
    for (int r = 0; r < 2000; r++) {
        if (r == 1000) {
            pt_map(root, LEVELS, VA(0), (uint64_t)frame[3], 0, PTE_R | PTE_A);
            __asm__ volatile("sfence.vma %0" ::"r"(VA(0)) : "memory");
        }
        sum += *(volatile uint64_t *)VA(0);
        sum += *(volatile uint64_t *)VA(1);
    }
    return sum;
}

int main(void)
{
    root = pt_alloc();
    pt_map(root, LEVELS, 0x80000000ull, 0x80000000ull, 2, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    CSR_WRITE(satp, (8ull << 60) | ((uint64_t)root >> 12));
    sfence_vma();
    for (int k = 0; k < 4; k++)
        frame[k][0] = 1ull << (8 * k);
    for (int k = 0; k < 3; k++)
        map4k(VA(k), frame[k], PTE_R | PTE_W | PTE_A | PTE_D);

    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_read_rounds, 2), 20000 * 0x101ull);
    CHECK_EQ(rt_enter(PRIV_S, s_read_rounds, 3), 20000 * 0x10101ull);
    rt_enter(PRIV_S, s_write_rounds, 30000);
    CHECK_EQ(rt_mtrap.count, 0);
    CHECK_EQ(frame[0][1], 30000);
    CHECK_EQ(frame[1][1], 60000);

    /* VA(0) read-only: its store faults even while it sits in the second entry. */
    map4k(VA(0), frame[0], PTE_R | PTE_A);
    rt_trap_reset();
    rt_enter(PRIV_S, s_read_both_store_first, 7);
    CHECK_EQ(rt_mtrap.count, 1);
    CHECK_EQ(rt_mtrap.cause, 15);
    CHECK_EQ(rt_mtrap.tval, VA(0) + 16);
    CHECK_EQ(frame[0][2], 0);

    /* Writable but clean: the store goes through and sets D. */
    map4k(VA(0), frame[0], PTE_R | PTE_W | PTE_A);
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_read_both_store_first, 9), 1000 * 0x101ull);
    CHECK_EQ(rt_mtrap.count, 0);
    CHECK_EQ(frame[0][2], 9);
    CHECK(*pt_leaf(root, LEVELS, VA(0)) & PTE_D);

    /* A remap of the page in the second entry, fenced by address. */
    rt_trap_reset();
    CHECK_EQ(rt_enter(PRIV_S, s_remap_first, 0), 1000 * 0x101ull + 1000 * 0x1000100ull);
    CHECK_EQ(rt_mtrap.count, 0);
    return 0;
}
