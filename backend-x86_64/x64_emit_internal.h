/* What the x86-64 emitters share inside the backend (x64_emit.c, x64_emit_fp.c): the
 * per-block emitter state, out-of-line code records and small operand helpers.
 * Not for use outside backend-x86_64/. Register conventions: see x64.h. */
#ifndef RVX_BACKEND_X86_64_X64_EMIT_INTERNAL_H
#define RVX_BACKEND_X86_64_X64_EMIT_INTERNAL_H

#include <string.h>

#include "backend-x86_64/x64.h"
#include "backend-x86_64/x64_encode.h"

enum {
    STATE = X64_RBX,
    MAX_DEFERRED = 256,
};

/* Out-of-line code emitted after the block body. */
typedef enum DeferKind { DEFER_LOAD, DEFER_STORE, DEFER_LINK, DEFER_FP, DEFER_SIDE_EXIT, DEFER_FAR_EDGE,
                        DEFER_GUARD_EXIT } DeferKind;
typedef struct Deferred {
    uint8_t kind;
    uint8_t mem;          /* IR_MEM_* */
    int8_t dst;           /* load or fp result register */
    int8_t val_reg;       /* store value register, X64_NO_REG for an immediate; guard
                           * exit: the register holding the guest pc to jump to */
    int64_t val_imm;
    uint32_t insn;        /* guest instruction index (fault record) */
    uint32_t label, done; /* entry of the out-of-line code; where to resume */
    uint32_t access;      /* soft-TLB access: the host access, rax its host address */
    uint32_t site;        /* flat access: offset of the host load/store that may fault */
    bool flat;            /* a flat access (its slow path computes the address first) */
    bool addr_const;      /* flat access: the address is addr_disp, else addr_reg + addr_disp */
    int8_t addr_reg;
    int64_t addr_disp;
    uint64_t target;      /* link, side exit, far edge: guest pc */
    uint64_t count;       /* side exit, guard exit: instructions completed */
    uint32_t edge;        /* link: edge number */
    uint32_t def;         /* fp: the IR instruction */
} Deferred;

typedef struct Emitter {
    X64Backend *be;
    CodeBuf *c;
    const IrBlock *b;
    IrTbCode *tb;
    size_t start;
    X64Labels labels;
    uint32_t cur_insn;
    uint32_t cur_def;           /* index of the instruction being emitted */
    uint32_t loop_head;         /* label: where a looping block jumps back to */
    /* Where each value lives: its allocated register, or a pinned register when the
     * value is a read of a pinned slot still unchanged at its uses, or when its only
     * use is the next instruction writing it to a pinned slot (that write is then
     * skipped). */
    int8_t loc[IR_MAX_INSNS];
    bool skip[IR_MAX_INSNS];
    bool add_in_place[IR_MAX_INSNS]; /* get i; add i, imm; set: one add to memory */
    /* Every use of the value reads only its low 32 bits: a 32-bit op producing it
     * skips the sign extension of its result (x86 leaves it zero-extended). */
    bool low32_uses[IR_MAX_INSNS];
    /* A flat access through this value (its register) compared it with the space's
     * limit: later ones with a small displacement need not (guest_mappable). */
    bool flat_checked[IR_MAX_INSNS];
    /* Per guest instruction index: its fault exit's label + 1, 0 if none yet (all 0
     * between blocks); fault_insn lists the indexes that have one. */
    uint32_t fault_label[256];
    uint8_t fault_insn[256];
    uint32_t n_fault_insns;
    Deferred def[MAX_DEFERRED];
    uint32_t n_flat_sites;
    uint32_t n_def;
    bool overflow;
} Emitter;

/* ---- operands ---- */
static inline bool is_const(const Emitter *e, IrRef r) { return e->b->insn[r].op == IR_OP_const; }
static inline int64_t cval(const Emitter *e, IrRef r) { return e->b->insn[r].imm; }
static inline bool is_imm32(const Emitter *e, IrRef r)
{
    return is_const(e, r) && cval(e, r) == (int32_t)cval(e, r);
}

/* Whether r is a get or reload the allocator left in its slot (no register; its
 * users read it from there: IrHostRegs.from_memory), and then where: the state or
 * frame slot as a memory operand; false for the counter slot, which lives in an xmm
 * register. */
bool mem_operand(const Emitter *e, IrRef r, X64Mem *m);
/* Loads r, left in its slot, into `scratch`. */
void load_in_place(Emitter *e, IrRef r, int scratch);

/* The register holding r, materializing a constant or a value left in its slot in
 * `scratch`. */
static inline int reg_of(Emitter *e, IrRef r, int scratch)
{
    if (is_const(e, r)) {
        x64_mov_ri(e->c, scratch, (uint64_t)cval(e, r));
        return scratch;
    }
    if (e->loc[r] == X64_NO_REG) {
        load_in_place(e, r, scratch);
        return scratch;
    }
    return e->loc[r];
}

static inline uint32_t new_label(Emitter *e) { return x64_label_new(&e->labels); }
static inline void bind(Emitter *e, uint32_t l) { x64_label_bind(&e->labels, l, e->c); }

static inline Deferred *defer(Emitter *e, DeferKind kind)
{
    if (e->n_def >= MAX_DEFERRED) {
        e->overflow = true;
        return &e->def[0];
    }
    Deferred *d = &e->def[e->n_def++];
    memset(d, 0, sizeof *d);
    d->kind = (uint8_t)kind;
    d->insn = e->cur_insn;
    return d;
}

/* Calls C: every xmm register is the callee's, so the counter register is written
 * back to its slot before (the callee may read it) and reloaded after (it may set it). */
void call_abs(Emitter *e, const void *fn);

/* ---- x64_emit_fp.c ---- */
/* The fp op: inline host SSE/FMA code where it is exact, else the helper. */
void x64_emit_fp(Emitter *e, const IrInsn *in);
/* The out-of-line helper call of an fp op (a DEFER_FP record). */
void x64_emit_fp_slow(Emitter *e, const Deferred *d);

#endif
