/* The guest's address-space limits, RLIMIT_AS and RLIMIT_DATA, kept by rvx instead
 * of the host. On the host they would limit rvx itself: its reservation of the
 * whole guest space (256 GiB, see guest_mem.h), its page-protection table and
 * translation caches; after a guest's `ulimit -v` every later execve of rvx failed.
 * So the guest's values live in the Process (inherited by fork), rvx enforces them
 * on the guest's own mappings as Linux's may_expand_vm does, and they travel:
 *  - into the next rvx of an execve in the environment variable RVX_GUEST_LIMITS,
 *    which that rvx takes out of its environment before the guest sees it;
 *  - into a host program the guest executes as the host's limits.
 * Other processes' limits (prlimit64 with another pid) stay the host's. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LIMITS_VAR "RVX_GUEST_LIMITS"

static const int kept[GUEST_LIMITS] = {[GUEST_LIMIT_AS] = RLIMIT_AS, [GUEST_LIMIT_DATA] = RLIMIT_DATA};

/* The slot of a kept resource, or -1. */
static int slot_of(int resource)
{
    for (int i = 0; i < GUEST_LIMITS; i++)
        if (kept[i] == resource)
            return i;
    return -1;
}

/* The limits this rvx started with: the previous rvx's (in the environment, taken
 * out of it), else the host's, which the guest inherits. The host's soft limits go
 * up to the hard ones: rvx needs the room, the guest keeps its own. */
void user_limits_init(Process *p)
{
    const char *passed = getenv(LIMITS_VAR);
    uint64_t v[2 * GUEST_LIMITS];
    bool have = passed && sscanf(passed, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &v[0], &v[1],
                                 &v[2], &v[3]) == 2 * GUEST_LIMITS;
    unsetenv(LIMITS_VAR);
    for (int i = 0; i < GUEST_LIMITS; i++) {
        struct rlimit host;
        getrlimit(kept[i], &host);
        p->limit[i] = have ? (struct rlimit){v[2 * i], v[2 * i + 1]} : host;
        host.rlim_cur = host.rlim_max;
        setrlimit(kept[i], &host);
    }
}

/* Whether a limit is set at all (a finite soft limit: the hard one is no lower). */
static bool limited(const Process *p)
{
    for (int i = 0; i < GUEST_LIMITS; i++)
        if (p->limit[i].rlim_cur != RLIM_INFINITY)
            return true;
    return false;
}

const char *user_limits_export(const Process *p, char *buf, size_t size)
{
    if (!limited(p))
        return NULL;
    snprintf(buf, size, LIMITS_VAR "=%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64,
             (uint64_t)p->limit[0].rlim_cur, (uint64_t)p->limit[0].rlim_max,
             (uint64_t)p->limit[1].rlim_cur, (uint64_t)p->limit[1].rlim_max);
    return buf;
}

void user_limits_apply_to_host(const Process *p)
{
    for (int i = 0; i < GUEST_LIMITS; i++)
        setrlimit(kept[i], &p->limit[i]);
}

/* Whether the calling process holds CAP_SYS_RESOURCE (raising a hard limit). */
static bool may_raise_hard_limits(void)
{
    enum { CAP_SYS_RESOURCE_ = 24, CAPABILITY_V3 = 0x20080522 };
    struct { uint32_t version; int pid; } header = {CAPABILITY_V3, 0};
    struct { uint32_t effective, permitted, inheritable; } data[2];
    return syscall(SYS_capget, &header, data) == 0 && (data[0].effective >> CAP_SYS_RESOURCE_ & 1);
}

bool user_limits_kept(int resource) { return slot_of(resource) >= 0; }

struct rlimit user_limits_get(const Process *p, int resource) { return p->limit[slot_of(resource)]; }

int64_t user_limits_set(Process *p, int resource, const struct rlimit *new_limit)
{
    struct rlimit *limit = &p->limit[slot_of(resource)];
    if (new_limit->rlim_cur > new_limit->rlim_max)
        return -EINVAL;
    if (new_limit->rlim_max > limit->rlim_max && !may_raise_hard_limits())
        return -EPERM;
    *limit = *new_limit;
    return 0;
}

bool user_limits_allow(const Process *p, uint64_t addr, uint64_t len, bool replace, bool data)
{
    if (!limited(p))
        return true;
    uint64_t total, data_now, more = len - (replace ? guest_mapped_in(&p->mem, addr, len) : 0);
    guest_mapped_sizes(&p->mem, &total, &data_now);
    return total + more <= p->limit[GUEST_LIMIT_AS].rlim_cur &&
           (!data || data_now + more <= p->limit[GUEST_LIMIT_DATA].rlim_cur);
}
