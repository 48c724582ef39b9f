/* Privileged architecture: trap entry with delegation, vectored tvec, trap returns,
 * interrupt priority and enables, and CSR access rules / WARL fields. */
#include <criterion/criterion.h>
#include <string.h>

#include "frontend/csr.h"
#include "frontend/priv.h"
#include "frontend/trap.h"

static Hart h;

static void setup(void)
{
    memset(&h, 0, sizeof h);
    hart_reset_system(&h, 0, 0x80000000);
}

TestSuite(trap, .init = setup);

static bool csr_rw(unsigned csr, uint64_t value, uint64_t *old)
{
    return csr_access(&h, csr, CSR_OP_WRITE, value, true, 0, old);
}
static uint64_t csr_get(unsigned csr)
{
    uint64_t v = 0;
    cr_assert(csr_access(&h, csr, CSR_OP_SET, 0, false, 0, &v), "read csr 0x%x", csr);
    return v;
}

Test(trap, exception_goes_to_m_without_delegation)
{
    h.mtvec = 0x80001000;
    h.pc = 0x80000100;
    h.mstatus |= MSTATUS_MIE;
    trap_enter(&h, RV_EXC_ILLEGAL_INSN, 0xdead, false);
    cr_assert_eq(h.pc, 0x80001000);
    cr_assert_eq(h.mepc, 0x80000100);
    cr_assert_eq(h.mcause, RV_EXC_ILLEGAL_INSN);
    cr_assert_eq(h.mtval, 0xdead);
    cr_assert_eq(h.priv, RV_PRIV_M);
    cr_assert(h.mstatus & MSTATUS_MPIE);
    cr_assert_not(h.mstatus & MSTATUS_MIE);
    cr_assert_eq((h.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, RV_PRIV_M);
}

Test(trap, delegated_exception_from_u_goes_to_s)
{
    h.medeleg = 1u << RV_EXC_ECALL_U;
    h.stvec = 0x80002000;
    h.priv = RV_PRIV_U;
    h.pc = 0x1000;
    h.mstatus |= MSTATUS_SIE;
    trap_enter(&h, RV_EXC_ECALL_U, 0, false);
    cr_assert_eq(h.priv, RV_PRIV_S);
    cr_assert_eq(h.pc, 0x80002000);
    cr_assert_eq(h.sepc, 0x1000);
    cr_assert_eq(h.scause, RV_EXC_ECALL_U);
    cr_assert_not(h.mstatus & MSTATUS_SPP, "came from U");
    cr_assert(h.mstatus & MSTATUS_SPIE);
    cr_assert_not(h.mstatus & MSTATUS_SIE);
    /* sret returns to U with SIE restored */
    trap_sret(&h);
    cr_assert_eq(h.priv, RV_PRIV_U);
    cr_assert_eq(h.pc, 0x1000);
    cr_assert(h.mstatus & MSTATUS_SIE);
}

Test(trap, delegation_never_lowers_from_m)
{
    h.medeleg = ~0ull;
    h.mtvec = 0x80001000;
    trap_enter(&h, RV_EXC_BREAKPOINT, 0, false);
    cr_assert_eq(h.priv, RV_PRIV_M, "traps taken in M stay in M");
}

Test(trap, vectored_interrupts)
{
    h.mtvec = 0x80001000 | 1;
    h.pc = 0x80000000;
    trap_enter(&h, 7, 0, true);
    cr_assert_eq(h.pc, 0x80001000 + 4 * 7);
    cr_assert_eq(h.mcause, RV_CAUSE_INTERRUPT | 7);
    h.mtvec = 0x80001000 | 1;
    trap_enter(&h, RV_EXC_ILLEGAL_INSN, 0, false);
    cr_assert_eq(h.pc, 0x80001000, "exceptions use the base even when vectored");
}

Test(trap, mret_restores_mode_and_clears_mprv)
{
    h.mepc = 0x80004000;
    h.mstatus |= MSTATUS_MPIE | MSTATUS_MPRV | ((uint64_t)RV_PRIV_S << MSTATUS_MPP_SHIFT);
    trap_mret(&h);
    cr_assert_eq(h.priv, RV_PRIV_S);
    cr_assert_eq(h.pc, 0x80004000);
    cr_assert(h.mstatus & MSTATUS_MIE);
    cr_assert_not(h.mstatus & MSTATUS_MPRV);
    cr_assert_eq(h.mstatus & MSTATUS_MPP, 0, "MPP becomes U");
}

Test(trap, interrupt_priority_and_enables)
{
    h.mie = MIP_MTIP | MIP_MSIP | MIP_MEIP | MIP_STIP | MIP_SEIP;
    h.mip = MIP_MTIP | MIP_MSIP;
    cr_assert_eq(trap_pending_interrupt(&h), -1, "M-mode with MIE clear takes nothing");
    h.mstatus |= MSTATUS_MIE;
    cr_assert_eq(trap_pending_interrupt(&h), 3, "MSI before MTI");
    h.mip |= MIP_MEIP;
    cr_assert_eq(trap_pending_interrupt(&h), 11, "MEI first");
    /* Delegated S interrupts: never taken in M, taken in U regardless of SIE. */
    h.mip = MIP_STIP;
    h.mideleg = MIP_STIP | MIP_SEIP | MIP_SSIP;
    cr_assert_eq(trap_pending_interrupt(&h), -1);
    h.priv = RV_PRIV_S;
    cr_assert_eq(trap_pending_interrupt(&h), -1, "S with SIE clear");
    h.priv = RV_PRIV_U;
    cr_assert_eq(trap_pending_interrupt(&h), 5);
    /* An M-level interrupt in S mode is taken even with MIE clear. */
    h.mstatus &= ~MSTATUS_MIE;
    h.priv = RV_PRIV_S;
    h.mip = MIP_MTIP | MIP_SEIP;
    cr_assert_eq(trap_pending_interrupt(&h), 7);
    cr_assert(trap_take_interrupt(&h));
    cr_assert_eq(h.priv, RV_PRIV_M);
}

Test(trap, csr_privilege_and_read_only)
{
    uint64_t old;
    h.priv = RV_PRIV_S;
    cr_assert_not(csr_rw(CSR_MSTATUS, 0, &old), "S cannot touch M CSRs");
    cr_assert(csr_rw(CSR_SSCRATCH, 5, &old));
    cr_assert_not(csr_access(&h, CSR_MHARTID, CSR_OP_SET, 0, false, 0, &old), "S cannot read M CSRs");
    h.priv = RV_PRIV_M;
    cr_assert_not(csr_rw(CSR_MHARTID, 1, &old), "read-only CSR");
    cr_assert_not(csr_rw(0x7ff, 1, &old), "unknown CSR");
}

Test(trap, warl_fields)
{
    uint64_t old;
    cr_assert(csr_rw(CSR_MSTATUS, 2ull << MSTATUS_MPP_SHIFT, &old));
    cr_assert_neq((csr_get(CSR_MSTATUS) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, 2, "MPP=2 reserved");
    cr_assert_eq(csr_get(CSR_MSTATUS) & MSTATUS_UXL, 2ull << 32, "UXL fixed at 64");
    cr_assert(csr_rw(CSR_MIDELEG, ~0ull, &old));
    cr_assert_eq(csr_get(CSR_MIDELEG), 0x222);
    cr_assert(csr_rw(CSR_MEDELEG, ~0ull, &old));
    cr_assert_eq(csr_get(CSR_MEDELEG) & (1u << RV_EXC_ECALL_M), 0);
    cr_assert(csr_rw(CSR_MEPC, 0x80000003, &old));
    cr_assert_eq(csr_get(CSR_MEPC), 0x80000002, "IALIGN=16 clears bit 0");
    cr_assert(csr_rw(CSR_SATP, (5ull << 60) | 123, &old));
    cr_assert_eq(csr_get(CSR_SATP), 0, "unsupported satp modes are ignored");
    cr_assert(csr_rw(CSR_SATP, (9ull << 60) | 123, &old));
    cr_assert_eq(csr_get(CSR_SATP), (9ull << 60) | 123);
    /* FS dirty makes SD read as 1. */
    cr_assert(csr_rw(CSR_MSTATUS, MSTATUS_FS, &old));
    cr_assert(csr_get(CSR_MSTATUS) & MSTATUS_SD);
    cr_assert(csr_get(CSR_SSTATUS) & MSTATUS_SD);
}

Test(trap, counters_follow_counteren)
{
    uint64_t v;
    h.priv = RV_PRIV_U;
    cr_assert_not(csr_access(&h, CSR_CYCLE, CSR_OP_SET, 0, false, 10, &v));
    h.mcounteren = COUNTEREN_CY;
    cr_assert_not(csr_access(&h, CSR_CYCLE, CSR_OP_SET, 0, false, 10, &v), "U also needs scounteren");
    h.scounteren = COUNTEREN_CY;
    cr_assert(csr_access(&h, CSR_CYCLE, CSR_OP_SET, 0, false, 10, &v));
    cr_assert_eq(v, 10);
}

static uint64_t fake_time(Hart *hh) { return 1000; }

Test(trap, sstc_drives_stip)
{
    uint64_t old;
    h.time_now = fake_time;
    cr_assert(csr_rw(CSR_MENVCFG, MENVCFG_STCE, &old));
    cr_assert(csr_rw(CSR_STIMECMP, 2000, &old));
    cr_assert_eq(h.mip & MIP_STIP, 0);
    cr_assert(csr_rw(CSR_STIMECMP, 500, &old));
    cr_assert(h.mip & MIP_STIP);
    cr_assert(csr_rw(CSR_MIP, 0, &old));
    cr_assert(h.mip & MIP_STIP, "STIP is read-only while Sstc drives it");
}

Test(trap, pmp_csrs_pack_into_pmpcfg0)
{
    uint64_t old;
    cr_assert(csr_rw(CSR_PMPCFG0, 0x1f0f, &old));
    cr_assert_eq(h.pmpcfg[0], 0x0f);
    cr_assert_eq(h.pmpcfg[1], 0x1f);
    cr_assert_not(csr_rw(CSR_PMPCFG0 + 1, 0, &old), "odd pmpcfg does not exist on RV64");
    cr_assert(csr_rw(CSR_PMPCFG0, 0x82, &old));
    cr_assert_eq(h.pmpcfg[0], 0x0f, "W without R is reserved: unchanged");
}
