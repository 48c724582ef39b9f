/* virtio-rng backend (virtio 1.2 §5.4): fills every device-writable buffer with
 * bytes from the host's getrandom. */
#ifndef RVX_MACHINE_VIRTIO_RNG_H
#define RVX_MACHINE_VIRTIO_RNG_H

#include "machine/virtio_mmio.h"

void virtio_rng_attach(VirtioMmio *vm);

#endif
