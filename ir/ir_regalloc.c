/* Local register allocation in one forward walk (the block has no joins):
 *  - operands not in a register are reloaded from their spill slot first;
 *  - before a call, live values in caller-saved registers are spilled (once: a value
 *    keeps its slot) and leave their registers;
 *  - operands die after their last use, and a result prefers the register of its
 *    dying first operand (two-address hosts then need no copy);
 *  - when no register is free, the value whose last use is farthest is evicted;
 *  - a value known to equal a state slot (it was read from it with get, or written
 *    to it with set, and the slot has not been written since) has that slot as its
 *    home: evicting it stores nothing, and it comes back with a get. Before the slot
 *    is overwritten (set, or an op that may write any state), live values that have
 *    only that home are brought back into registers and lose it. A get itself
 *    emits nothing until its value's first use;
 *  - an operand in no register that the host can read from memory there
 *    (IrHostRegs.from_memory) is not brought back: a get or reload without a
 *    register stands for it, and it takes no register.
 * See ir_regalloc.h for the output invariant. */
#include "ir/ir_regalloc.h"

#include <string.h>

#define NONE 0xffff

typedef struct RaState {
    const IrBlock *in;
    IrBlock *out;
    const IrHostRegs *host;
    uint16_t last_use[IR_MAX_INSNS];   /* NONE: never used */
    uint16_t cur[IR_MAX_INSNS];        /* the output value now standing for an input value */
    uint8_t reg_of[IR_MAX_INSNS];      /* input value -> register, IR_NO_REG if not in one */
    int16_t slot_of[IR_MAX_INSNS];     /* input value -> spill slot, -1 if none */
    int64_t home[IR_MAX_INSNS];        /* input value -> state slot equal to it, -1 if none */
    int64_t home2[IR_MAX_INSNS];       /* a second such slot, -1 if none */
    uint16_t homed[IR_MAX_INSNS];      /* the values that may have a home */
    uint32_t n_homed;
    uint16_t holder[32];               /* register -> input value, NONE if free */
    uint32_t locked;                   /* registers holding the current insn's operands */
} RaState;

static bool needs_reg(const IrInsn *in)
{
    return ir_info(in)->type != IR_TYPE_VOID && in->op != IR_OP_const;
}

static bool emit_spill(RaState *s, uint16_t v)
{
    if (s->slot_of[v] >= 0 || s->home[v] >= 0)
        return true;
    if (s->out->n_frame_slots >= s->host->max_frame_slots)
        return false;
    s->slot_of[v] = (int16_t)s->out->n_frame_slots++;
    ir_emit(s->out, IR_OP_spill, s->cur[v], IR_NONE, IR_NONE, s->slot_of[v], 0, 0);
    return true;
}

static void release(RaState *s, uint16_t v)
{
    if (s->reg_of[v] != IR_NO_REG) {
        s->holder[s->reg_of[v]] = NONE;
        s->reg_of[v] = IR_NO_REG;
    }
}

/* A free register, evicting the value used farthest away if none is. 0xff on failure. */
static uint8_t take_reg(RaState *s, uint8_t prefer)
{
    if (prefer != IR_NO_REG && s->holder[prefer] == NONE && !(s->locked & (1u << prefer)))
        return prefer;
    for (unsigned k = 0; k < s->host->n; k++) {
        uint8_t r = s->host->reg[k];
        if (s->holder[r] == NONE && !(s->locked & (1u << r)))
            return r;
    }
    uint8_t victim = IR_NO_REG;
    uint16_t far = 0;
    for (unsigned k = 0; k < s->host->n; k++) {
        uint8_t r = s->host->reg[k];
        if (s->locked & (1u << r))
            continue;
        uint16_t v = s->holder[r];
        if (victim == IR_NO_REG || s->last_use[v] > far) {
            victim = r;
            far = s->last_use[v];
        }
    }
    if (victim == IR_NO_REG || !emit_spill(s, s->holder[victim]))
        return IR_NO_REG;
    release(s, s->holder[victim]);
    return victim;
}

static void bind(RaState *s, uint16_t v, uint8_t r, uint16_t out_ref)
{
    s->holder[r] = v;
    s->reg_of[v] = r;
    s->cur[v] = out_ref;
    s->out->insn[out_ref].reg = r;
}

/* A read of the evicted value v: from its spill slot, else from its home. */
static IrRef emit_read_back(RaState *s, uint16_t v)
{
    return s->slot_of[v] >= 0
               ? ir_emit(s->out, IR_OP_reload, IR_NONE, IR_NONE, IR_NONE, s->slot_of[v], 0, 0)
               : ir_emit(s->out, IR_OP_get, IR_NONE, IR_NONE, IR_NONE, s->home[v], 0, 0);
}

/* Puts the evicted value v back into a register. */
static bool bring_back(RaState *s, uint16_t v)
{
    uint8_t r = take_reg(s, IR_NO_REG);
    if (r == IR_NO_REG)
        return false;
    IrRef o = emit_read_back(s, v);
    if (s->out->overflow)
        return false;
    bind(s, v, r, o);
    return true;
}

/* Operand k of ins, the value v in no register, read where it is instead: from its
 * home or spill slot, by a get or reload that takes no register. */
static bool read_in_place(RaState *s, const IrInsn *ins, unsigned k, uint16_t v)
{
    if (!(s->host->from_memory[ins->op] & (1u << k)) || (s->home[v] < 0 && s->slot_of[v] < 0))
        return false;
    IrRef o = emit_read_back(s, v);
    if (s->out->overflow)
        return false;
    s->cur[v] = o;
    return true;
}

/* Drops `slot` (every slot if < 0) from v's homes; true if v still has one. */
static bool drop_home(RaState *s, uint16_t v, int64_t slot)
{
    if (slot < 0 || s->home2[v] == slot)
        s->home2[v] = -1;
    if (slot < 0 || s->home[v] == slot) {
        s->home[v] = s->home2[v];
        s->home2[v] = -1;
    }
    return s->home[v] >= 0;
}

/* Instruction i is about to overwrite state slot `slot` (any slot if slot < 0): the
 * values whose home it is lose it, and those living only there come back first. */
static bool forget_home(RaState *s, uint32_t i, int64_t slot)
{
    /* First the values in registers, so that no eviction below counts on a home
     * that is about to go; then the ones that live only in it. */
    uint32_t kept = 0;
    for (uint32_t k = 0; k < s->n_homed; k++) {
        uint16_t v = s->homed[k];
        bool live = s->last_use[v] != NONE && s->last_use[v] >= i;
        bool homed = live && s->home[v] >= 0;
        if (homed && s->reg_of[v] != IR_NO_REG)
            homed = drop_home(s, v, slot);
        if (homed)
            s->homed[kept++] = v;
        else
            s->home[v] = s->home2[v] = -1;
    }
    s->n_homed = kept;
    kept = 0;
    for (uint32_t k = 0; k < s->n_homed; k++) {
        uint16_t v = s->homed[k];
        if (slot >= 0 && s->home[v] != slot && s->home2[v] != slot) {
            s->homed[kept++] = v;
            continue;
        }
        /* v is not in a register: keep it readable from a surviving home, else
         * bring it back while the slot still holds it */
        bool other_home_survives = slot >= 0 && (s->home[v] != slot || s->home2[v] >= 0);
        if (other_home_survives) {
            drop_home(s, v, slot);
            s->homed[kept++] = v;
            continue;
        }
        if (s->slot_of[v] < 0 && !bring_back(s, v))
            return false;
        s->home[v] = s->home2[v] = -1;
    }
    s->n_homed = kept;
    return true;
}

/* v equals state slot `slot` from now on (a value keeps at most two homes). */
static void set_home(RaState *s, uint16_t v, int64_t slot)
{
    if (s->home[v] < 0) {
        s->home[v] = slot;
        s->homed[s->n_homed++] = v;
    } else if (s->home[v] != slot && s->home2[v] < 0) {
        s->home2[v] = slot;
    }
}

bool ir_regalloc(const IrBlock *in, IrBlock *out, const IrHostRegs *host)
{
    static _Thread_local RaState st;
    RaState *s = &st;
    s->in = in;
    s->out = out;
    s->host = host;
    ir_block_init(out);
    s->n_homed = 0;
    memset(s->holder, 0xff, sizeof s->holder);
    for (uint32_t i = 0; i < in->n; i++) {
        s->last_use[i] = NONE;
        s->reg_of[i] = IR_NO_REG;
        s->slot_of[i] = -1;
        s->home[i] = s->home2[i] = -1;
        for (unsigned k = 0; k < 3; k++)
            if (in->insn[i].arg[k] != IR_NONE)
                s->last_use[in->insn[i].arg[k]] = (uint16_t)i;
    }
    for (uint32_t i = 0; i < in->n; i++) {
        const IrInsn *ins = &in->insn[i];
        s->locked = 0;
        /* 0. a state write ends the homes it overwrites */
        if (ins->op == IR_OP_set ? !forget_home(s, i, ins->imm)
                                 : (ir_info(ins)->flags & IR_F_WRITES_STATE) && !forget_home(s, i, -1))
            return false;
        /* 1. operands into registers */
        for (unsigned k = 0; k < 3; k++) {
            IrRef v = ins->arg[k];
            if (v == IR_NONE || !needs_reg(&in->insn[v]))
                continue;
            if (s->reg_of[v] == IR_NO_REG && read_in_place(s, ins, k, v))
                continue;
            if (s->reg_of[v] == IR_NO_REG && !bring_back(s, v))
                return false;
            s->locked |= 1u << s->reg_of[v];
        }
        /* 2. a call clobbers caller-saved registers: values living on are spilled
         * (the call still reads its operands from the registers first) */
        if (ir_info(ins)->flags & IR_F_CALL) {
            for (unsigned r = 0; r < 32; r++) {
                uint16_t v = s->holder[r];
                if (v == NONE || !(host->caller_saved & (1u << r)))
                    continue;
                if (s->last_use[v] != NONE && s->last_use[v] > i && !emit_spill(s, v))
                    return false;
                release(s, v);
            }
        }
        /* 3. operands used for the last time die here */
        uint8_t prefer = IR_NO_REG;
        for (unsigned k = 0; k < 3; k++) {
            IrRef v = ins->arg[k];
            if (v == IR_NONE || !needs_reg(&in->insn[v]) || s->last_use[v] != i)
                continue;
            if (k == 0)
                prefer = s->reg_of[v];
            release(s, v);
        }
        /* The result may take any register: the host reads operands before writing
         * it, and an evicted live operand is spilled before this instruction. */
        s->locked = 0;
        /* 4. a read of a state slot waits in its home until its first use */
        if (ins->op == IR_OP_get && s->last_use[i] != NONE) {
            set_home(s, (uint16_t)i, ins->imm);
            continue;
        }
        /* 5. the instruction itself, with operands renamed */
        IrRef a[3];
        for (unsigned k = 0; k < 3; k++)
            a[k] = ins->arg[k] == IR_NONE ? IR_NONE : s->cur[ins->arg[k]];
        uint8_t r = IR_NO_REG;
        if (needs_reg(ins)) {
            r = take_reg(s, prefer);
            if (r == IR_NO_REG)
                return false;
        }
        IrRef o = ir_emit(out, (IrOp)ins->op, a[0], a[1], a[2], ins->imm, ins->imm2, ins->aux);
        if (out->overflow)
            return false;
        if (ins->op == IR_OP_const)
            s->cur[i] = o;
        else if (r != IR_NO_REG) {
            if (o == IR_NONE)
                o = (IrRef)(out->n - 1);
            bind(s, (uint16_t)i, r, o);
            if (s->last_use[i] == NONE)
                release(s, (uint16_t)i);
        }
        if (ins->op == IR_OP_set && needs_reg(&in->insn[ins->arg[0]]))
            set_home(s, ins->arg[0], ins->imm);
    }
    return true;
}
