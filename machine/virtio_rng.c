/* virtio-rng (see virtio_rng.h). Requests are capped at 64 KiB each so one
 * guest request cannot stall the machine on a slow entropy source. */
#include "machine/virtio_rng.h"

#include <errno.h>
#include <sys/random.h>

enum { RNG_MAX_REQUEST = 65536 };

static uint32_t rng_handle(VirtioMmio *vm, unsigned queue, VirtioReq *req)
{
    uint32_t total = 0;
    for (unsigned i = req->n_out; i < req->n_out + req->n_in; i++) {
        VirtioSeg *s = &req->seg[i];
        uint32_t done = 0;
        while (done < s->len && total < RNG_MAX_REQUEST) {
            uint32_t want = s->len - done;
            if (want > RNG_MAX_REQUEST - total)
                want = RNG_MAX_REQUEST - total;
            ssize_t n = getrandom(s->host + done, want, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return total;
            done += (uint32_t)n;
            total += (uint32_t)n;
        }
    }
    return total;
}

static const VirtioDeviceOps rng_ops = {
    .device_id = 4,
    .features = 0,
    .n_queues = 1,
    .handle = rng_handle,
};

void virtio_rng_attach(VirtioMmio *vm)
{
    virtio_mmio_attach(vm, &rng_ops, NULL, NULL, 0);
}
