/* Interpreter semantics of cache-block (Zicbom/Zicboz) and privileged instructions
 * (sret, mret, wfi, sfence.vma), with the privilege, TSR/TW/TVM and envcfg checks. */
#include "frontend/interp_internal.h"
#include "frontend/priv.h"
#include "frontend/trap.h"

enum { CBO_BLOCK = 64 }; /* cache-block size advertised to guests */

/* Whether a cache-block operation enabled by envcfg `bits` may run at this level. */
static bool cbo_enabled(const Hart *h, uint64_t bits)
{
    if (h->priv == RV_PRIV_M)
        return true;
    if ((h->menvcfg & bits) == 0)
        return false;
    return h->priv == RV_PRIV_S || (h->senvcfg & bits) != 0;
}

INSN(cbo_zero)
{
    if (!cbo_enabled(h, MENVCFG_CBZE))
        return interp_illegal(h, in);
    uint64_t base = RS1 & ~(uint64_t)(CBO_BLOCK - 1);
    bool internal_exit = false;
    for (unsigned i = 0; i < CBO_BLOCK; i += 8) {
        if (mem_store_u64(h, base + i, 0))
            continue;
        /* Only the first store can fault (the block is in one page). A store that
         * wrote translated code asks for an internal exit: the instruction still
         * zeroes the whole block first (freed code pages are zeroed this way). */
        if (!hart_exit_is_internal(h->exc.cause))
            return FAIL();
        internal_exit = true;
    }
    if (internal_exit) {
        hart_raise(h, HART_EXIT_CODE_WRITTEN, 0);
        return FAIL();
    }
    return NEXT();
}

/* clean/flush/inval: memory is always coherent here; what remains is the access
 * check (the spec requires a store-side check for these operations). */
static bool cbo_check(Hart *h, const InterpInsn *in, uint64_t enable_bits)
{
    if (!cbo_enabled(h, enable_bits))
        return interp_illegal(h, in);
    return mem_atomic_ptr(h, RS1 & ~(uint64_t)(CBO_BLOCK - 1), 8, MEM_WRITE) ? NEXT() : FAIL();
}
INSN(cbo_clean) { return cbo_check(h, in, MENVCFG_CBCFE); }
INSN(cbo_flush) { return cbo_check(h, in, MENVCFG_CBCFE); }
INSN(cbo_inval) { return cbo_check(h, in, MENVCFG_CBIE); }

/* Trap returns and sfence change the translation context: they set h->pc and end the
 * block with an internal exit (`cause`), so the exec loop resumes there with fresh
 * lookups. */
static bool context_changed(Hart *h, const InterpInsn *in, uint64_t cause)
{
    hart_raise(h, cause, 0);
    return FAIL();
}

INSN(sret)
{
    if (h->priv < RV_PRIV_S || (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TSR)))
        return interp_illegal(h, in);
    trap_sret(h);
    return context_changed(h, in, HART_EXIT_TRANSLATION);
}

INSN(mret)
{
    if (h->priv < RV_PRIV_M)
        return interp_illegal(h, in);
    trap_mret(h);
    return context_changed(h, in, HART_EXIT_TRANSLATION);
}

INSN(wfi)
{
    if (h->priv == RV_PRIV_U || (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TW)))
        return interp_illegal(h, in);
    hart_raise(h, HART_EXIT_WFI, 0);
    return FAIL();
}

INSN(sfence_vma)
{
    if (h->priv == RV_PRIV_U || (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM)))
        return interp_illegal(h, in);
    if (in->d.rs1 != 0)
        mem_tlb_flush_page(h, RS1);
    else
        mem_tlb_flush(h);
    h->pc = NEXT_PC;
    return context_changed(h, in, HART_EXIT_MAPPINGS);
}
