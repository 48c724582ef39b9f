/* SiFive test finisher (see syscon.h). Reads return 0, like QEMU's model. */
#include "machine/syscon.h"

static bool syscon_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
    if (off & (size - 1))
        return false;
    *value = 0;
    return true;
}

static bool syscon_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
    Syscon *s = opaque;
    if (off & (size - 1))
        return false;
    if (off != 0 || size < 4)
        return true;
    switch (value & 0xffff) {
    case SYSCON_PASS: s->request(s->opaque, SYSCON_POWEROFF, 0); break;
    case SYSCON_RESET: s->request(s->opaque, SYSCON_REBOOT, 0); break;
    case SYSCON_FAIL: s->request(s->opaque, SYSCON_FAILURE, (int)((value >> 16) & 0xffff)); break;
    default: break;
    }
    return true;
}

const MmioOps syscon_ops = {syscon_read, syscon_write};
