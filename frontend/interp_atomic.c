/* Interpreter semantics of the A extension. AMOs are host atomic read-modify-writes
 * on guest RAM, so they stay atomic when several guest threads run on host threads.
 * LR/SC: LR records (address, value); SC is a compare-and-swap against that value,
 * which succeeds exactly when no other store changed the word (the classic emulator
 * approximation: an ABA store by another hart is not detected, which the spec's
 * forward-progress rules allow us to treat as no intervening store). */
#include "frontend/interp_internal.h"

#define AMO_ADDR RS1

static bool lr(Hart *h, const InterpInsn *in, unsigned size)
{
    void *p = mem_atomic_ptr(h, AMO_ADDR, size, MEM_READ);
    if (!p)
        return FAIL();
    uint64_t v = size == 4 ? SEXT32(__atomic_load_n((uint32_t *)p, __ATOMIC_SEQ_CST))
                           : __atomic_load_n((uint64_t *)p, __ATOMIC_SEQ_CST);
    h->resv_addr = AMO_ADDR;
    h->resv_value = v;
    RD = v;
    return NEXT();
}

static bool sc(Hart *h, const InterpInsn *in, unsigned size)
{
    uint64_t addr = AMO_ADDR;
    void *p = mem_atomic_ptr(h, addr, size, MEM_WRITE);
    if (!p)
        return FAIL();
    bool ok = false;
    if (h->resv_addr == addr) {
        if (size == 4) {
            uint32_t expected = (uint32_t)h->resv_value;
            ok = __atomic_compare_exchange_n((uint32_t *)p, &expected, (uint32_t)RS2, false,
                                             __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        } else {
            uint64_t expected = h->resv_value;
            ok = __atomic_compare_exchange_n((uint64_t *)p, &expected, RS2, false,
                                             __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        }
    }
    h->resv_addr = RV_NO_RESERVATION;
    RD = !ok;
    return NEXT();
}

INSN(lr_w) { return lr(h, in, 4); }
INSN(lr_d) { return lr(h, in, 8); }
INSN(sc_w) { return sc(h, in, 4); }
INSN(sc_d) { return sc(h, in, 8); }

/* Fetch-and-op AMOs that the host has directly. */
#define AMO_FETCH(name, type, builtin, widen)                                   \
    INSN(name)                                                                  \
    {                                                                           \
        type *p = mem_atomic_ptr(h, AMO_ADDR, sizeof(type), MEM_WRITE);         \
        if (!p)                                                                 \
            return FAIL();                                                       \
        type old = builtin(p, (type)RS2, __ATOMIC_SEQ_CST);                     \
        RD = widen(old);                                                        \
        return NEXT();                                                            \
    }
#define W(v) SEXT32(v)
#define D(v) (uint64_t)(v)
AMO_FETCH(amoswap_w, uint32_t, __atomic_exchange_n, W)
AMO_FETCH(amoadd_w, uint32_t, __atomic_fetch_add, W)
AMO_FETCH(amoxor_w, uint32_t, __atomic_fetch_xor, W)
AMO_FETCH(amoand_w, uint32_t, __atomic_fetch_and, W)
AMO_FETCH(amoor_w, uint32_t, __atomic_fetch_or, W)
AMO_FETCH(amoswap_d, uint64_t, __atomic_exchange_n, D)
AMO_FETCH(amoadd_d, uint64_t, __atomic_fetch_add, D)
AMO_FETCH(amoxor_d, uint64_t, __atomic_fetch_xor, D)
AMO_FETCH(amoand_d, uint64_t, __atomic_fetch_and, D)
AMO_FETCH(amoor_d, uint64_t, __atomic_fetch_or, D)

/* min/max: a compare-and-swap loop. `stype` decides signed vs unsigned order. */
#define AMO_MINMAX(name, type, stype, keep_old, widen)                          \
    INSN(name)                                                                  \
    {                                                                           \
        type *p = mem_atomic_ptr(h, AMO_ADDR, sizeof(type), MEM_WRITE);         \
        if (!p)                                                                 \
            return FAIL();                                                       \
        type src = (type)RS2;                                                   \
        type old = __atomic_load_n(p, __ATOMIC_SEQ_CST);                        \
        for (;;) {                                                              \
            stype a = (stype)old, b = (stype)src;                               \
            type want = (keep_old) ? old : src;                                 \
            if (__atomic_compare_exchange_n(p, &old, want, false,               \
                                            __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))\
                break;                                                          \
        }                                                                       \
        RD = widen(old);                                                        \
        return NEXT();                                                            \
    }
AMO_MINMAX(amomin_w, uint32_t, int32_t, a <= b, W)
AMO_MINMAX(amomax_w, uint32_t, int32_t, a >= b, W)
AMO_MINMAX(amominu_w, uint32_t, uint32_t, a <= b, W)
AMO_MINMAX(amomaxu_w, uint32_t, uint32_t, a >= b, W)
AMO_MINMAX(amomin_d, uint64_t, int64_t, a <= b, D)
AMO_MINMAX(amomax_d, uint64_t, int64_t, a >= b, D)
AMO_MINMAX(amominu_d, uint64_t, uint64_t, a <= b, D)
AMO_MINMAX(amomaxu_d, uint64_t, uint64_t, a >= b, D)
