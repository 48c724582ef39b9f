/* Guest-register caching within a block: every state slot is read from memory at
 * most once; later reads use the value last read or written (SSA forwarding).
 * Writes stay where they are (ir_pass_dse drops the redundant ones), so the state in
 * memory is exact at every point where the block may leave early.
 * An instruction that may read or write arbitrary state (the interpreter fallback)
 * forgets everything known. */
#include "ir/ir.h"

enum { CACHE_MAX = 64 };

typedef struct SlotCache {
    int64_t slot[CACHE_MAX];
    IrRef value[CACHE_MAX];
    unsigned n;
} SlotCache;

static IrRef *cache_find(SlotCache *c, int64_t slot)
{
    for (unsigned k = 0; k < c->n; k++)
        if (c->slot[k] == slot)
            return &c->value[k];
    return NULL;
}

static void cache_put(SlotCache *c, int64_t slot, IrRef v)
{
    IrRef *p = cache_find(c, slot);
    if (p) {
        *p = v;
    } else if (c->n < CACHE_MAX) {
        c->slot[c->n] = slot;
        c->value[c->n++] = v;
    }
}

void ir_pass_regcache(IrBlock *b)
{
    static _Thread_local IrRef map[IR_MAX_INSNS];
    SlotCache cache = {.n = 0};
    for (uint32_t i = 0; i < b->n; i++) {
        IrInsn *in = &b->insn[i];
        map[i] = (IrRef)i;
        for (unsigned k = 0; k < 3; k++)
            if (in->arg[k] != IR_NONE)
                in->arg[k] = map[in->arg[k]];
        if (in->op == IR_OP_get) {
            IrRef *known = cache_find(&cache, in->imm);
            if (known) {
                map[i] = *known;
                in->op = IR_OP_nop;
            } else {
                cache_put(&cache, in->imm, (IrRef)i);
            }
        } else if (in->op == IR_OP_set) {
            cache_put(&cache, in->imm, in->arg[0]);
        } else if (ir_info(in)->flags & (IR_F_READS_STATE | IR_F_WRITES_STATE)) {
            cache.n = 0;
        }
    }
}
