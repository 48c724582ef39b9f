/* The pass pipeline, with the verifier run after every pass when asked (debug and
 * test builds, --verify). Order matters: forwarding state reads exposes constants to
 * folding; folding exposes dead writes and dead values. */
#include "ir/ir.h"

#include <stdlib.h>

static void check(const IrBlock *b, const char *pass)
{
    uint32_t where;
    const char *err = ir_verify(b, &where);
    if (!err)
        return;
    fprintf(stderr, "rvx: IR invalid after %s: %s at %u\n", pass, err, where);
    ir_print(b, stderr);
    abort();
}

void ir_optimize(IrBlock *b, bool verify)
{
    static const struct { void (*run)(IrBlock *); const char *name; } passes[] = {
        {ir_pass_regcache, "regcache"},
        {ir_pass_fold, "fold"},
        {ir_pass_dse, "dse"},
        {ir_pass_dce, "dce"},
    };
    if (verify)
        check(b, "lifting");
    for (size_t k = 0; k < sizeof passes / sizeof passes[0]; k++) {
        passes[k].run(b);
        if (verify)
            check(b, passes[k].name);
    }
}
