/* Interpreter semantics of cache-block (Zicbom/Zicboz) and privileged instructions.
 * Privileged instructions are illegal below their privilege level; the trap-return
 * and fence semantics for S and M mode live with the privileged architecture. */
#include "frontend/interp_internal.h"

enum { CBO_BLOCK = 64 }; /* cache-block size advertised to guests */

INSN(cbo_zero)
{
    uint64_t base = RS1 & ~(uint64_t)(CBO_BLOCK - 1);
    for (unsigned i = 0; i < CBO_BLOCK; i += 8)
        if (!mem_store_u64(h, base + i, 0))
            return FAIL(); /* only the first store can fault: the block is in one page */
    return NEXT();
}

/* clean/flush/inval: memory is always coherent here; only the access check remains
 * (a store-side check, as the spec requires for these operations). */
static bool cbo_check(Hart *h, const InterpInsn *in)
{
    return mem_atomic_ptr(h, RS1 & ~(uint64_t)(CBO_BLOCK - 1), 8, MEM_WRITE) ? NEXT() : FAIL();
}
INSN(cbo_clean) { return cbo_check(h, in); }
INSN(cbo_flush) { return cbo_check(h, in); }
INSN(cbo_inval) { return cbo_check(h, in); }

INSN(sret) { return interp_illegal(h, in); }
INSN(mret) { return interp_illegal(h, in); }
INSN(wfi) { return interp_illegal(h, in); }
INSN(sfence_vma) { return interp_illegal(h, in); }
