/* System-mode translation: page-table walks in each mode, permission rules (U, SUM,
 * MXR, R/W/X), A/D updates, superpage alignment, Svnapot, reserved bits, PMP, and
 * the soft TLB fill/flush behaviour seen through mem_load/mem_store. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/priv.h"
#include "frontend/trap.h"
#include "softmmu/mmu.h"
#include "softmmu/physmem.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (4ull << 20)

enum { V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128 };

static PhysMem pm;
static uint8_t *ram;
static Hart hart;
static uint64_t next_table;

static void setup(void)
{
    memset(&pm, 0, sizeof pm);
    ram = aligned_alloc(4096, RAM_SIZE);
    memset(ram, 0, RAM_SIZE);
    cr_assert(physmem_add_ram(&pm, RAM_BASE, RAM_SIZE, ram, "ram"));
    memset(&hart, 0, sizeof hart);
    code_pages_init(&hart.code_pages);
    hart_reset_system(&hart, 0, RAM_BASE);
    hart.phys = &pm;
    hart.mmu = &system_mmu_ops;
    next_table = RAM_BASE + 0x100000;
}

static void teardown(void)
{
    code_pages_destroy(&hart.code_pages);
    free(ram);
}

TestSuite(mmu, .init = setup, .fini = teardown);

static uint64_t *phys(uint64_t pa) { return (uint64_t *)(ram + (pa - RAM_BASE)); }

static uint64_t new_table(void)
{
    uint64_t t = next_table;
    next_table += 4096;
    return t;
}

/* Maps va -> pa with `flags` at `leaf_level` (0 = 4 KiB) in a `levels`-level table
 * rooted at root; intermediate tables are allocated as needed. Returns the PTE. */
static uint64_t *map(uint64_t root, unsigned levels, uint64_t va, uint64_t pa, unsigned leaf_level,
                     uint64_t flags)
{
    uint64_t table = root;
    for (int level = (int)levels - 1; level > (int)leaf_level; level--) {
        uint64_t *pte = phys(table + ((va >> (12 + 9 * level)) & 511) * 8);
        if (!(*pte & V))
            *pte = (new_table() >> 12) << 10 | V;
        table = (*pte >> 10) << 12;
    }
    uint64_t *pte = phys(table + ((va >> (12 + 9 * leaf_level)) & 511) * 8);
    *pte = (pa >> 12) << 10 | flags;
    return pte;
}

static void enable(unsigned mode, uint64_t root, unsigned priv)
{
    hart.satp = (uint64_t)mode << 60 | root >> 12;
    hart.priv = priv;
    mem_tlb_flush(&hart);
}

static uint64_t cause_of_load(uint64_t va, uint64_t *value)
{
    hart.exc.cause = 0;
    return mem_load_u64(&hart, va, value) ? 0 : hart.exc.cause;
}

Test(mmu, bare_mode_is_identity)
{
    *phys(RAM_BASE + 0x1000) = 0x1122334455667788ull;
    uint64_t v;
    cr_assert(mem_load_u64(&hart, RAM_BASE + 0x1000, &v));
    cr_assert_eq(v, 0x1122334455667788ull);
}

Test(mmu, every_mode_translates_4k_and_superpages)
{
    static const struct { unsigned mode, levels; } modes[] = {
        {SATP_MODE_SV39, 3}, {SATP_MODE_SV48, 4}, {SATP_MODE_SV57, 5}};
    for (unsigned m = 0; m < 3; m++) {
        setup();
        uint64_t root = new_table();
        uint64_t va = 0x40201000ull;
        map(root, modes[m].levels, va, RAM_BASE + 0x3000, 0, V | R | W | A | D);
        map(root, modes[m].levels, 0x80000000ull, RAM_BASE, 1, V | R | W | A | D); /* 2 MiB */
        enable(modes[m].mode, root, RV_PRIV_S);
        *phys(RAM_BASE + 0x3008) = 42;
        *phys(RAM_BASE + 0x12340) = 43;
        uint64_t v;
        cr_assert_eq(cause_of_load(va + 8, &v), 0, "mode %u", modes[m].mode);
        cr_assert_eq(v, 42);
        cr_assert_eq(cause_of_load(0x80012340ull, &v), 0);
        cr_assert_eq(v, 43);
        teardown();
    }
    setup();
}

Test(mmu, non_canonical_address_faults)
{
    uint64_t root = new_table();
    enable(SATP_MODE_SV39, root, RV_PRIV_S);
    uint64_t v;
    cr_assert_eq(cause_of_load(1ull << 40, &v), RV_EXC_LOAD_PAGE_FAULT);
    cr_assert_eq(hart.exc.tval, 1ull << 40);
}

Test(mmu, permissions_user_sum_mxr)
{
    uint64_t root = new_table();
    map(root, 3, 0x1000, RAM_BASE + 0x5000, 0, V | R | W | U | A | D);   /* user page */
    map(root, 3, 0x2000, RAM_BASE + 0x6000, 0, V | R | W | A | D);       /* kernel page */
    map(root, 3, 0x3000, RAM_BASE + 0x7000, 0, V | X | A);               /* execute-only */
    uint64_t v;
    enable(SATP_MODE_SV39, root, RV_PRIV_U);
    cr_assert_eq(cause_of_load(0x1000, &v), 0);
    cr_assert_eq(cause_of_load(0x2000, &v), RV_EXC_LOAD_PAGE_FAULT, "U cannot read S pages");
    enable(SATP_MODE_SV39, root, RV_PRIV_S);
    cr_assert_eq(cause_of_load(0x1000, &v), RV_EXC_LOAD_PAGE_FAULT, "S needs SUM for U pages");
    hart.mstatus |= MSTATUS_SUM;
    mem_tlb_flush(&hart);
    cr_assert_eq(cause_of_load(0x1000, &v), 0);
    cr_assert_eq(cause_of_load(0x3000, &v), RV_EXC_LOAD_PAGE_FAULT, "X-only is not readable");
    hart.mstatus |= MSTATUS_MXR;
    mem_tlb_flush(&hart);
    cr_assert_eq(cause_of_load(0x3000, &v), 0, "MXR makes X pages readable");
    hart.exc.cause = 0;
    cr_assert_not(mem_store_u64(&hart, 0x3000, 1));
    cr_assert_eq(hart.exc.cause, RV_EXC_STORE_PAGE_FAULT);
}

Test(mmu, accessed_and_dirty_bits_are_set_by_the_walk)
{
    uint64_t root = new_table();
    uint64_t *pte = map(root, 3, 0x4000, RAM_BASE + 0x8000, 0, V | R | W);
    enable(SATP_MODE_SV39, root, RV_PRIV_S);
    uint64_t v;
    cr_assert_eq(cause_of_load(0x4000, &v), 0);
    cr_assert((*pte & A) && !(*pte & D), "a load sets A only");
    cr_assert(mem_store_u64(&hart, 0x4000, 7), "the first store walks again and sets D");
    cr_assert(*pte & D);
    cr_assert_eq(*phys(RAM_BASE + 0x8000), 7);
}

Test(mmu, misaligned_superpage_and_reserved_bits_fault)
{
    uint64_t root = new_table();
    map(root, 3, 0x200000, RAM_BASE + 0x1000, 1, V | R | A | D);  /* ppn not 2 MiB aligned */
    uint64_t *pte = map(root, 3, 0x5000, RAM_BASE + 0x9000, 0, V | R | A | D);
    enable(SATP_MODE_SV39, root, RV_PRIV_S);
    uint64_t v;
    cr_assert_eq(cause_of_load(0x200000, &v), RV_EXC_LOAD_PAGE_FAULT);
    *pte |= 1ull << 55; /* reserved bit */
    cr_assert_eq(cause_of_load(0x5000, &v), RV_EXC_LOAD_PAGE_FAULT);
    *pte &= ~(1ull << 55);
    *pte |= W;
    *pte &= ~(uint64_t)R; /* W without R is reserved */
    cr_assert_eq(cause_of_load(0x5000, &v), RV_EXC_LOAD_PAGE_FAULT);
}

Test(mmu, svnapot_64k_page)
{
    uint64_t root = new_table();
    for (unsigned i = 0; i < 16; i++) {
        uint64_t *pte = map(root, 3, 0x10000 + i * 0x1000, RAM_BASE + 0x20000, 0,
                            V | R | A | D);
        *pte = ((((RAM_BASE + 0x20000) >> 12) & ~15ull) | 8) << 10 | V | R | A | D | (1ull << 63);
    }
    enable(SATP_MODE_SV39, root, RV_PRIV_S);
    *phys(RAM_BASE + 0x25008) = 99;
    uint64_t v;
    cr_assert_eq(cause_of_load(0x15008, &v), 0);
    cr_assert_eq(v, 99);
}

Test(mmu, pmp_denies_s_mode_outside_its_region)
{
    /* Entry 0: NAPOT over the first 1 MiB of RAM, R/W for S/U. */
    hart.pmpaddr[0] = (RAM_BASE >> 2) | ((1ull << 17) - 1);
    hart.pmpcfg[0] = (3 << 3) | 3;
    hart.priv = RV_PRIV_S;
    mem_tlb_flush(&hart);
    uint64_t v;
    cr_assert_eq(cause_of_load(RAM_BASE + 0x1000, &v), 0);
    cr_assert_eq(cause_of_load(RAM_BASE + 0x200000, &v), RV_EXC_LOAD_ACCESS);
    hart.exc.cause = 0;
    cr_assert(pmp_allows(&hart, RAM_BASE + 0x200000, 8, MEM_READ, RV_PRIV_M),
              "M-mode is not bound by unlocked entries");
    hart.pmpcfg[0] |= 0x80; /* locked: binds M too, and it has no X */
    cr_assert_not(pmp_allows(&hart, RAM_BASE, 4, MEM_EXEC, RV_PRIV_M));
}

Test(mmu, sfence_semantics_tlb_keeps_old_translation_until_flushed)
{
    uint64_t root = new_table();
    uint64_t *pte = map(root, 3, 0x6000, RAM_BASE + 0xa000, 0, V | R | A | D);
    enable(SATP_MODE_SV39, root, RV_PRIV_S);
    *phys(RAM_BASE + 0xa000) = 1;
    *phys(RAM_BASE + 0xb000) = 2;
    uint64_t v;
    cr_assert_eq(cause_of_load(0x6000, &v), 0);
    cr_assert_eq(v, 1);
    *pte = ((RAM_BASE + 0xb000) >> 12) << 10 | V | R | A | D;
    mem_tlb_flush_page(&hart, 0x6000);
    cr_assert_eq(cause_of_load(0x6000, &v), 0);
    cr_assert_eq(v, 2);
}

Test(mmu, mmio_and_holes)
{
    uint64_t v;
    hart.exc.cause = 0;
    cr_assert_not(mem_load_u64(&hart, 0x1000, &v), "a hole is an access fault");
    cr_assert_eq(hart.exc.cause, RV_EXC_LOAD_ACCESS);
}
