/* Interpreter dispatch: the handler table generated from rv_insn.def, instruction
 * preparation, and the semantics of system instructions (fences, ecall/ebreak, CSRs,
 * privileged instructions). */
#include "frontend/interp_internal.h"
#include "frontend/csr.h"

#include <string.h>

static const InterpFn handlers[RV_OP_COUNT] = {
    [RV_OP_ILLEGAL] = interp_illegal,
#define RV_INSN(name, mnem, fmt, mask, match, ext) [RV_OP_##name] = interp_##name,
#include "frontend/rv_insn.def"
#undef RV_INSN
};

/* Formats whose rd is an integer destination register. */
static bool writes_xd(RvFormat f)
{
    switch (f) {
    case RV_FMT_R: case RV_FMT_I: case RV_FMT_SHIFT: case RV_FMT_UNARY: case RV_FMT_LOAD:
    case RV_FMT_U: case RV_FMT_J: case RV_FMT_JALR: case RV_FMT_CSR: case RV_FMT_CSRI:
    case RV_FMT_AMO: case RV_FMT_LR: case RV_FMT_FCMP: case RV_FMT_F2X: case RV_FMT_F2X_RM:
        return true;
    default:
        return false;
    }
}

void interp_prepare(InterpInsn *out, const RvInsn *d, uint64_t pc, uint32_t index)
{
    out->fn = handlers[d->op];
    out->pc = pc;
    out->index = index;
    out->d = *d;
    if (out->d.rd == 0 && writes_xd(rv_insn_info[d->op].format))
        out->d.rd = HART_X_SINK;
}

void interp_prepare_followed_jump(InterpInsn *out) { out->fn = interp_jal_followed; }

void interp_prepare_end(InterpInsn *out)
{
    memset(out, 0, sizeof *out);
    out->fn = interp_block_end;
}

/* A CSR instruction ends its block when it may write what translated code or the
 * exec loop depend on (satp, mstatus, frm, interrupt enables, PMP ...). Reads do not,
 * nor writes of the accrued FP flags (JITs and libm save and restore them around FP
 * compares: V8 did twice per compare, each ending a block and leaving translated
 * code) or of the trap registers that only a trap or a trap return reads. */
static bool csr_insn_ends_block(const RvInsn *d)
{
    bool writes = rv_insn_info[d->op].format == RV_FMT_CSRI
                      ? d->op == RV_OP_csrrwi || d->imm != 0
                      : d->op == RV_OP_csrrw || d->rs1 != 0;
    switch (d->csr) {
    case CSR_FFLAGS: case CSR_SSCRATCH: case CSR_SEPC: case CSR_SCAUSE: case CSR_STVAL:
    case CSR_MSCRATCH: case CSR_MEPC: case CSR_MCAUSE: case CSR_MTVAL:
        return false;
    default:
        return writes;
    }
}

bool rv_insn_ends_block(const RvInsn *d)
{
    switch (rv_insn_info[d->op].format) {
    case RV_FMT_CSR: case RV_FMT_CSRI:
        return csr_insn_ends_block(d);
    case RV_FMT_BRANCH: case RV_FMT_J: case RV_FMT_JALR: case RV_FMT_SFENCE:
        return true;
    default:
        break;
    }
    switch (d->op) {
    case RV_OP_ILLEGAL: case RV_OP_ecall: case RV_OP_ebreak: case RV_OP_fence_i:
    case RV_OP_sret: case RV_OP_mret: case RV_OP_wfi:
        return true;
    default:
        return false;
    }
}

bool interp_step(Hart *h)
{
    uint64_t paddr;
    const uint8_t *p = mem_fetch_ptr(h, h->pc, &paddr);
    if (!p)
        return false;
    uint32_t bits = (uint32_t)p[0] | (uint32_t)p[1] << 8;
    if (rv_insn_length((uint16_t)bits) == 4) {
        uint64_t next = h->pc + 2;
        if ((next & ~TLB_PAGE_MASK) == 0) { /* the upper half is on the next page */
            const uint8_t *q = mem_fetch_ptr(h, next, &paddr);
            if (!q)
                return false;
            bits |= ((uint32_t)q[0] | (uint32_t)q[1] << 8) << 16;
        } else {
            bits |= ((uint32_t)p[2] | (uint32_t)p[3] << 8) << 16;
        }
    }
    RvInsn d;
    rv_decode(bits, &d);
    InterpInsn in[2];
    interp_prepare(&in[0], &d, h->pc, 0);
    interp_prepare_end(&in[1]);
    uint64_t pc = h->pc;
    h->pc = pc + d.len;
    if (!in[0].fn(h, in)) {
        if (!hart_exit_is_internal(h->exc.cause)) {
            h->pc = pc;
            return false;
        }
    }
    h->instret++;
    return true;
}

INSN(illegal)
{
    hart_raise(h, RV_EXC_ILLEGAL_INSN, in->d.len == 2 ? (uint16_t)in->d.raw : in->d.raw);
    return FAIL();
}

/* The sentinel after the last instruction of every TB. */
bool interp_block_end(Hart *h, const InterpInsn *in) { return true; }

/* Memory ordering: the interpreter performs every access in program order and host
 * atomics are sequentially consistent, so a fence needs a host barrier only for
 * other host threads (guest threads in user mode). */
INSN(fence) { __atomic_thread_fence(__ATOMIC_SEQ_CST); return NEXT(); }
/* A spin-wait hint: tell the host core too, it helps the other guest thread run. */
INSN(pause)
{
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
    return NEXT();
}
/* fence.i: the exec loop drops decoded/translated code before the next fetch. */
INSN(fence_i) { hart_raise(h, HART_EXIT_FENCE_I, 0); return FAIL(); }

INSN(ecall)
{
    static const uint64_t cause[4] = {RV_EXC_ECALL_U, RV_EXC_ECALL_S, 0, RV_EXC_ECALL_M};
    hart_raise(h, cause[h->priv], 0);
    return FAIL();
}
INSN(ebreak) { hart_raise(h, RV_EXC_BREAKPOINT, PC); return FAIL(); }

/* ---- Zicsr ---- */
static bool csr_insn(Hart *h, const InterpInsn *in, CsrOp op, uint64_t operand, bool write)
{
    uint64_t old;
    if (!csr_access(h, in->d.csr, op, operand, write, h->instret + in->index, &old))
        return interp_illegal(h, in);
    RD = old;
    return NEXT(); /* the block's end sentinel when the instruction ends it */
}
INSN(csrrw)  { return csr_insn(h, in, CSR_OP_WRITE, RS1, true); }
INSN(csrrs)  { return csr_insn(h, in, CSR_OP_SET, RS1, in->d.rs1 != 0); }
INSN(csrrc)  { return csr_insn(h, in, CSR_OP_CLEAR, RS1, in->d.rs1 != 0); }
INSN(csrrwi) { return csr_insn(h, in, CSR_OP_WRITE, (uint64_t)IMM, true); }
INSN(csrrsi) { return csr_insn(h, in, CSR_OP_SET, (uint64_t)IMM, IMM != 0); }
INSN(csrrci) { return csr_insn(h, in, CSR_OP_CLEAR, (uint64_t)IMM, IMM != 0); }
