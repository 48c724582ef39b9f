/* Trap entry, interrupt selection and hart reset (privileged spec, machine.adoc and
 * supervisor.adoc). Invariant: whenever the privilege level or an mstatus bit that
 * selects the translation context changes, the hart's TLB context is selected again
 * here (mem_tlb_select), so accesses only ever use translations of their context. */
#include "frontend/trap.h"

#include <string.h>

#include "frontend/priv.h"
#include "softmmu/mem.h"

/* The new privilege, after mstatus has taken its new value. */
static void set_priv(Hart *h, unsigned priv)
{
    h->priv = priv;
    mem_tlb_select(h);
}

void hart_reset_system(Hart *h, uint64_t hartid, uint64_t pc)
{
    memset(h->x, 0, sizeof h->x);
    memset(h->f, 0, sizeof h->f);
    h->pc = pc;
    h->fflags = h->frm = 0;
    h->priv = RV_PRIV_M;
    h->misa = (2ull << 62) | (1u << ('i' - 'a')) | (1u << ('m' - 'a')) | (1u << ('a' - 'a')) |
              (1u << ('f' - 'a')) | (1u << ('d' - 'a')) | (1u << ('c' - 'a')) |
              (1u << ('s' - 'a')) | (1u << ('u' - 'a'));
    h->mstatus = (2ull << 32) | (2ull << 34); /* UXL = SXL = 64 bits */
    h->medeleg = h->mideleg = h->mie = h->mip = 0;
    h->mtvec = h->mscratch = h->mepc = h->mcause = h->mtval = 0;
    h->mcounteren = h->mcountinhibit = h->menvcfg = 0;
    h->mhartid = hartid;
    h->stvec = h->sscratch = h->sepc = h->scause = h->stval = 0;
    h->scounteren = h->senvcfg = h->satp = 0;
    h->stimecmp = UINT64_MAX;
    memset(h->pmpcfg, 0, sizeof h->pmpcfg);
    memset(h->pmpaddr, 0, sizeof h->pmpaddr);
    h->resv_addr = RV_NO_RESERVATION;
    mem_tlb_flush(h);
}

void hart_init_user(Hart *h)
{
    h->priv = RV_PRIV_U;
    h->mstatus = (1ull << 13) | (2ull << 32) | (2ull << 34); /* FS = Initial */
    /* What Linux grants user space: every counter, and the cache-block operations. */
    h->mcounteren = h->scounteren = 0xffffffffu;
    h->menvcfg = h->senvcfg = MENVCFG_CBZE | MENVCFG_CBCFE | (1ull << 4) /* CBIE = flush */;
    h->resv_addr = RV_NO_RESERVATION;
    h->stimecmp = UINT64_MAX;
    mem_tlb_select(h);
}

void trap_enter(Hart *h, uint64_t cause, uint64_t tval, bool interrupt)
{
    uint64_t deleg = interrupt ? h->mideleg : h->medeleg;
    uint64_t xcause = cause | (interrupt ? RV_CAUSE_INTERRUPT : 0);
    h->resv_addr = RV_NO_RESERVATION;
    if (h->priv <= RV_PRIV_S && ((deleg >> cause) & 1)) {
        h->sepc = h->pc;
        h->scause = xcause;
        h->stval = tval;
        uint64_t s = h->mstatus & ~(MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_SPP);
        if (h->mstatus & MSTATUS_SIE)
            s |= MSTATUS_SPIE;
        if (h->priv == RV_PRIV_S)
            s |= MSTATUS_SPP;
        h->mstatus = s;
        uint64_t base = h->stvec & ~3ull;
        h->pc = (interrupt && (h->stvec & 1)) ? base + 4 * cause : base;
        set_priv(h, RV_PRIV_S);
    } else {
        h->mepc = h->pc;
        h->mcause = xcause;
        h->mtval = tval;
        uint64_t s = h->mstatus & ~(MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPP);
        if (h->mstatus & MSTATUS_MIE)
            s |= MSTATUS_MPIE;
        s |= (uint64_t)h->priv << MSTATUS_MPP_SHIFT;
        h->mstatus = s;
        uint64_t base = h->mtvec & ~3ull;
        h->pc = (interrupt && (h->mtvec & 1)) ? base + 4 * cause : base;
        set_priv(h, RV_PRIV_M);
    }
}

/* Interrupt priority, highest first: MEI, MSI, MTI, SEI, SSI, STI. */
static const int priority[] = {11, 3, 7, 9, 1, 5};

static int highest(uint64_t pending)
{
    for (unsigned i = 0; i < sizeof priority / sizeof priority[0]; i++)
        if (pending & (1ull << priority[i]))
            return priority[i];
    return -1;
}

int trap_pending_interrupt(const Hart *h)
{
    uint64_t pending = __atomic_load_n(&h->mip, __ATOMIC_RELAXED) & h->mie;
    if (!pending)
        return -1;
    bool m_enabled = h->priv < RV_PRIV_M || (h->mstatus & MSTATUS_MIE);
    bool s_enabled = h->priv < RV_PRIV_S || (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_SIE));
    uint64_t m_level = m_enabled ? pending & ~h->mideleg : 0;
    if (m_level)
        return highest(m_level);
    uint64_t s_level = s_enabled ? pending & h->mideleg : 0;
    return s_level ? highest(s_level) : -1;
}

bool trap_take_interrupt(Hart *h)
{
    int irq = trap_pending_interrupt(h);
    if (irq < 0)
        return false;
    trap_enter(h, (uint64_t)irq, 0, true);
    return true;
}

void trap_update_sstc(Hart *h)
{
    if (!(h->menvcfg & MENVCFG_STCE) || !h->time_now)
        return;
    hart_set_irq(h, MIP_STIP, h->time_now(h) >= h->stimecmp);
}

/* Trap returns, used by the sret and mret instructions. */
void trap_sret(Hart *h)
{
    uint64_t s = h->mstatus;
    unsigned prev = (s & MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;
    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~MSTATUS_SPP;
    if (prev != RV_PRIV_M)
        s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->pc = h->sepc;
    h->resv_addr = RV_NO_RESERVATION;
    set_priv(h, prev);
}

void trap_mret(Hart *h)
{
    uint64_t s = h->mstatus;
    unsigned prev = (unsigned)((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s &= ~MSTATUS_MPP; /* MPP = U, the least-privileged mode */
    if (prev != RV_PRIV_M)
        s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->pc = h->mepc;
    h->resv_addr = RV_NO_RESERVATION;
    set_priv(h, prev);
}
