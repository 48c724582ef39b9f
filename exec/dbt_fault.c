/* Host faults of generated code on flat guest memory (user mode, ExecOptions.flat_*).
 * A guest load reads the host mapping directly; when the guest may not read there the
 * host page is inaccessible and the load raises SIGSEGV (or SIGBUS past the end of a
 * mapped file). The host handler asks exec_host_fault, which looks the faulting host
 * instruction up in the fault sites of this thread's DBT and resumes the context at
 * the load's slow path: that path checks the guest's permissions and raises the guest
 * exception with the exact pc, as for any other slow access.
 * Sites are appended in code order (code memory only grows until a flush, which
 * empties both), so the table is sorted and a binary search finds the site. It is
 * only changed by its own thread outside generated code, so the handler, running on
 * that thread inside generated code, always sees it whole. */
#define _GNU_SOURCE
#include "exec/dbt_internal.h"

#include <signal.h>
#include <stdlib.h>
#include <ucontext.h>

static _Thread_local DbtCtx *running;

void dbt_fault_enter(DbtCtx *d) { running = d; }

void dbt_fault_leave(DbtCtx *d)
{
    if (running == d)
        running = NULL;
}

void dbt_fault_sites_add(DbtCtx *d, const DbtTb *tb)
{
    if (d->n_sites + tb->out.n_fault_sites > d->cap_sites) {
        size_t cap = d->cap_sites ? d->cap_sites * 2 : 4096;
        while (cap < d->n_sites + tb->out.n_fault_sites)
            cap *= 2;
        DbtFaultSite *grown = realloc(d->sites, cap * sizeof *grown);
        if (!grown)
            abort();
        d->sites = grown;
        d->cap_sites = cap;
    }
    for (uint32_t k = 0; k < tb->out.n_fault_sites; k++)
        d->sites[d->n_sites++] = (DbtFaultSite){tb->code + tb->out.fault_site[k].at,
                                                tb->code + tb->out.fault_site[k].resume};
}

static uintptr_t resume_for(const DbtCtx *d, uintptr_t pc)
{
    size_t lo = 0, hi = d->n_sites;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->sites[mid].at < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->n_sites && d->sites[lo].at == pc ? d->sites[lo].resume : 0;
}

bool exec_host_fault(void *ucontext)
{
#if defined(__x86_64__)
    const DbtCtx *d = running;
    if (!d || !ucontext)
        return false;
    greg_t *rip = &((ucontext_t *)ucontext)->uc_mcontext.gregs[REG_RIP];
    uintptr_t resume = resume_for(d, (uintptr_t)*rip);
    if (!resume)
        return false;
    *rip = (greg_t)resume;
    return true;
#else
    (void)ucontext;
    return false;
#endif
}
