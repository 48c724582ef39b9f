/* RVX_STATS: the engine statistics line of `rvx run` and `rvx boot` (see commands.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "exec/dbt.h"
#include "exec/exec.h"

void cli_print_stats(const Hart *h, const char *engine)
{
    const char *dest = getenv("RVX_STATS");
    if (!dest || !*dest || strcmp(dest, "0") == 0)
        return;
    FILE *out = dest[0] == '/' ? fopen(dest, "a") : stderr;
    if (!out)
        return;
    const ExecCtx *x = h->exec;
    fprintf(out, "rvx-stats: engine=%s instret=%" PRIu64, engine, h->instret);
    if (x && x->dbt)
        dbt_print_stats(out, x->dbt);
    else if (x)
        fprintf(out, " tbs=%" PRIu64 " tb_flushes=%" PRIu64 " code_bytes=%zu blocks_run=%" PRIu64,
                x->tbs.n_translated, x->tbs.n_flushes, x->tbs.arena_used, x->n_blocks_run);
    fputc('\n', out);
    if (out != stderr)
        fclose(out);
}
