/* HTIF tohost/fromhost (see htif.h). tohost lives in guest RAM (checked at load),
 * so it is read through a host pointer; no MMIO is involved. */
#include "machine/htif.h"

#include <stdio.h>
#include <string.h>

void htif_poll(Machine *m)
{
    if (!m->tohost)
        return;
    uint8_t *to = physmem_ram_ptr(&m->phys, m->tohost, 8);
    uint64_t cmd;
    memcpy(&cmd, to, 8);
    if (cmd == 0)
        return;
    uint64_t zero = 0, dev = cmd >> 56, op = (cmd >> 48) & 0xff, payload = cmd & ((1ull << 48) - 1);
    memcpy(to, &zero, 8);
    physmem_dma_written(&m->phys, m->tohost, 8);
    if (dev == 0 && (payload & 1)) {
        machine_stop(m, (int)(payload >> 1));
        return;
    }
    if (dev == 1 && op == 1) {
        console_putc(&m->console, (uint8_t)payload);
        if (m->fromhost) {
            uint64_t ack = (cmd >> 48 << 48) | 0x100 | (payload & 0xff);
            memcpy(physmem_ram_ptr(&m->phys, m->fromhost, 8), &ack, 8);
            physmem_dma_written(&m->phys, m->fromhost, 8);
        }
        return;
    }
    if (!m->htif_warned && !m->cfg.quiet)
        fprintf(stderr, "rvx: unsupported HTIF request 0x%016llx ignored\n", (unsigned long long)cmd);
    m->htif_warned = true;
}
