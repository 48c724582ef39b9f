/* Runtime C side (see rt.h): HTIF I/O, trap handlers, page tables. */
#include "rt.h"

extern volatile uint64_t tohost, fromhost;

RtTrap rt_mtrap, rt_strap;
volatile uint64_t rt_vector_slot = UINT64_MAX;
/* rt_enter's saved M context: ra, sp, s0..s11 (crt.S writes it). */
uint64_t rt_m_ctx[14];

static void htif(uint64_t cmd)
{
    while (tohost)
        ;
    tohost = cmd;
}

void rt_putc(char c)
{
    htif((1ull << 56) | (1ull << 48) | (uint8_t)c);
    while (!fromhost)
        ;
    fromhost = 0;
}

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

void rt_puthex(uint64_t v)
{
    rt_puts("0x");
    for (int i = 60; i >= 0; i -= 4)
        rt_putc("0123456789abcdef"[(v >> i) & 15]);
}

void rt_exit(int code)
{
    htif(((uint64_t)code << 1) | 1);
    for (;;)
        ;
}

void rt_fail(const char *file, int line, const char *expr)
{
    char num[12];
    int n = 0;
    do {
        num[n++] = (char)('0' + line % 10);
        line /= 10;
    } while (line);
    rt_puts("FAIL ");
    rt_puts(file);
    rt_putc(':');
    while (n)
        rt_putc(num[--n]);
    rt_puts(": ");
    rt_puts(expr);
    rt_putc('\n');
    rt_exit(1);
}

void rt_trap_reset(void)
{
    RtTrap *t[2] = {&rt_mtrap, &rt_strap};
    for (int i = 0; i < 2; i++) {
        t[i]->count = t[i]->cause = t[i]->epc = t[i]->tval = t[i]->from_priv = 0;
        t[i]->irq_count = t[i]->irq_cause = t[i]->resume = 0;
        t[i]->irq_hook = 0;
    }
    rt_vector_slot = UINT64_MAX;
}

static unsigned insn_len(uint64_t pc)
{
    return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

typedef struct Frame {
    uint64_t x[32];
} Frame;

void rt_m_trap(Frame *f)
{
    uint64_t cause = CSR_READ(mcause), epc = CSR_READ(mepc);
    uint64_t mpp = (CSR_READ(mstatus) >> 11) & 3;
    if (cause & CAUSE_INTERRUPT) {
        rt_mtrap.irq_count++;
        rt_mtrap.irq_cause = cause & ~CAUSE_INTERRUPT;
        if (rt_mtrap.irq_hook)
            rt_mtrap.irq_hook(cause & ~CAUSE_INTERRUPT);
        return;
    }
    if ((cause == 8 || cause == 9) && f->x[17] == RT_ECALL_RETURN_M) {
        /* Back into rt_enter's caller, in M-mode, with the callee's result. */
        f->x[1] = rt_m_ctx[0];
        f->x[2] = rt_m_ctx[1];
        f->x[8] = rt_m_ctx[2];
        f->x[9] = rt_m_ctx[3];
        for (int i = 2; i < 12; i++)
            f->x[16 + i] = rt_m_ctx[2 + i];
        CSR_SET(mstatus, 3ull << 11);
        CSR_WRITE(mepc, rt_m_ctx[0]);
        return;
    }
    if ((cause == 8 || cause == 9 || cause == 11) && f->x[17] == RT_ECALL_EXIT)
        rt_exit((int)f->x[10]);
    rt_mtrap.count++;
    rt_mtrap.cause = cause;
    rt_mtrap.epc = epc;
    rt_mtrap.tval = CSR_READ(mtval);
    rt_mtrap.from_priv = mpp;
    if (rt_mtrap.resume) {
        CSR_WRITE(mepc, rt_mtrap.resume);
        rt_mtrap.resume = 0;
    } else {
        CSR_WRITE(mepc, epc + insn_len(epc));
    }
}

void rt_s_trap(Frame *f)
{
    uint64_t cause = CSR_READ(scause), epc = CSR_READ(sepc);
    if (cause & CAUSE_INTERRUPT) {
        rt_strap.irq_count++;
        rt_strap.irq_cause = cause & ~CAUSE_INTERRUPT;
        if (rt_strap.irq_hook)
            rt_strap.irq_hook(cause & ~CAUSE_INTERRUPT);
        return;
    }
    if (cause == 8 && f->x[17] == RT_ECALL_RETURN_M)
        rt_return_m(f->x[10]);  /* a delegated U ecall that means "back to M": forward it */
    rt_strap.count++;
    rt_strap.cause = cause;
    rt_strap.epc = epc;
    rt_strap.tval = CSR_READ(stval);
    rt_strap.from_priv = (CSR_READ(sstatus) >> 8) & 1;
    if (rt_strap.resume) {
        CSR_WRITE(sepc, rt_strap.resume);
        rt_strap.resume = 0;
    } else {
        CSR_WRITE(sepc, epc + insn_len(epc));
    }
}

extern char rt_s_trap_vector[], _strap_stack_top[];

void rt_s_trap_init(void)
{
    CSR_WRITE(stvec, (uint64_t)rt_s_trap_vector);
    CSR_WRITE(sscratch, (uint64_t)_strap_stack_top);
}

/* Page-table pool: 64 pages. */
static uint64_t pool[64][512] __attribute__((aligned(4096)));
static unsigned pool_used;

uint64_t *pt_alloc(void)
{
    if (pool_used == 64)
        rt_fail(__FILE__, __LINE__, "page-table pool exhausted");
    uint64_t *p = pool[pool_used++];
    for (int i = 0; i < 512; i++)
        p[i] = 0;
    return p;
}

static unsigned vpn(uint64_t va, unsigned level)
{
    return (unsigned)((va >> (12 + 9 * level)) & 511);
}

void pt_map(uint64_t *root, unsigned levels, uint64_t va, uint64_t pa, unsigned level, uint64_t flags)
{
    uint64_t *table = root;
    for (unsigned l = levels - 1; l > level; l--) {
        uint64_t *pte = &table[vpn(va, l)];
        if (!(*pte & PTE_V))
            *pte = (((uint64_t)pt_alloc() >> 12) << 10) | PTE_V;
        table = (uint64_t *)((*pte >> 10) << 12);
    }
    table[vpn(va, level)] = ((pa >> 12) << 10) | flags | PTE_V;
}

volatile uint64_t *pt_leaf(uint64_t *root, unsigned levels, uint64_t va)
{
    uint64_t *table = root;
    for (int l = (int)levels - 1; l >= 0; l--) {
        uint64_t *pte = &table[vpn(va, (unsigned)l)];
        if (!(*pte & PTE_V))
            return 0;
        if (*pte & (PTE_R | PTE_W | PTE_X))
            return pte;
        table = (uint64_t *)((*pte >> 10) << 12);
    }
    return 0;
}
