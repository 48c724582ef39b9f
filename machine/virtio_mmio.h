/* virtio-mmio transport, version 2 (virtio 1.2 §4.2), with split virtqueues, shared
 * by every virtio device of the board. A transport without a device reads DeviceID 0
 * (an empty slot, as on QEMU virt). The device backend sees each request as a list
 * of host segments that the core has already bounds-checked against RAM:
 * seg[0..n_out) are device-readable, seg[n_out..n_out+n_in) device-writable.
 * Guest-controlled ring and descriptor contents are never trusted: ring addresses
 * are checked when the queue is made ready, every descriptor when it is used; a
 * malformed chain (loop, index out of range, buffer outside RAM, indirect without
 * the feature, readable after writable, longer than the queue) puts the device in
 * DEVICE_NEEDS_RESET and stops processing the queue. Requests are processed
 * synchronously in the QueueNotify write. Machine thread only.
 * Multi-byte ring fields are little-endian; hosts are assumed little-endian
 * (x86-64, AArch64), which the build checks. */
#ifndef RVX_MACHINE_VIRTIO_MMIO_H
#define RVX_MACHINE_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/irq.h"
#include "softmmu/physmem.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "virtio rings are little-endian; big-endian hosts need byte swaps here"
#endif

#define VIRTIO_MMIO_BASE 0x10001000ull
#define VIRTIO_MMIO_STRIDE 0x1000ull
#define VIRTIO_MMIO_COUNT 8
#define VIRTIO_MMIO_IRQ0 1          /* transport n uses PLIC source 1 + n */
#define VIRTIO_QUEUE_MAX 128        /* QueueNumMax of every queue */
#define VIRTIO_MAX_QUEUES 2
#define VIRTIO_CONFIG_MAX 64

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4

typedef struct VirtioSeg {
    uint8_t *host;
    uint64_t addr;   /* guest physical */
    uint32_t len;
} VirtioSeg;

typedef struct VirtioReq {
    unsigned n_out, n_in;
    uint64_t out_len, in_len;        /* total bytes readable / writable */
    VirtioSeg seg[VIRTIO_QUEUE_MAX]; /* a chain is never longer than the queue */
} VirtioReq;

struct VirtioMmio;

typedef struct VirtioDeviceOps {
    uint32_t device_id;
    uint64_t features;      /* device feature bits offered besides VIRTIO_F_VERSION_1 */
    unsigned n_queues;      /* <= VIRTIO_MAX_QUEUES */
    /* Serves one well-formed request; returns the bytes written into the writable
     * segments (the used length). Errors the device can report in-band (e.g. a
     * block status byte) are not failures of the transport. */
    uint32_t (*handle)(struct VirtioMmio *vm, unsigned queue, VirtioReq *req);
} VirtioDeviceOps;

typedef struct VirtQueue {
    uint32_t num;
    bool ready;
    uint64_t desc_addr, avail_addr, used_addr;
    uint8_t *desc, *avail, *used;    /* host views, valid while ready */
    uint16_t last_avail;             /* next avail ring slot to consume */
    uint16_t used_idx;
} VirtQueue;

typedef struct VirtioMmio {
    const PhysMem *phys;
    IrqLine irq;
    const VirtioDeviceOps *ops;      /* NULL: empty slot */
    void *backend;
    uint8_t config[VIRTIO_CONFIG_MAX];
    uint32_t config_size;
    uint32_t status, interrupt_status;
    uint32_t device_features_sel, driver_features_sel, queue_sel;
    uint64_t driver_features;
    VirtQueue queue[VIRTIO_MAX_QUEUES];
} VirtioMmio;

extern const MmioOps virtio_mmio_ops;

void virtio_mmio_init(VirtioMmio *vm, const PhysMem *phys, IrqLine irq);
/* Plugs a device into the transport; its config space is `config` (copied). */
void virtio_mmio_attach(VirtioMmio *vm, const VirtioDeviceOps *ops, void *backend,
                        const void *config, uint32_t config_size);

/* Copies between a request's segments and a flat buffer: `off` counts bytes from the
 * start of the readable (copy_out) or writable (copy_in) part. Returns the bytes
 * copied (short at the end of the segments). */
size_t virtio_req_copy_out(const VirtioReq *req, uint64_t off, void *buf, size_t len);
size_t virtio_req_copy_in(VirtioReq *req, uint64_t off, const void *buf, size_t len);

#endif
