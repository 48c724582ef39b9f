/* virtio-mmio v2 transport and split-virtqueue processing (see virtio_mmio.h).
 * Register offsets are virtio 1.2 §4.2.2; rings are §2.7 (split virtqueues). */
#include "machine/virtio_mmio.h"

#include <string.h>

enum {
    REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00c,
    REG_DEVICE_FEATURES = 0x010, REG_DEVICE_FEATURES_SEL = 0x014,
    REG_DRIVER_FEATURES = 0x020, REG_DRIVER_FEATURES_SEL = 0x024,
    REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038,
    REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050,
    REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070,
    REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084,
    REG_QUEUE_DRIVER_LOW = 0x090, REG_QUEUE_DRIVER_HIGH = 0x094,
    REG_QUEUE_DEVICE_LOW = 0x0a0, REG_QUEUE_DEVICE_HIGH = 0x0a4,
    REG_SHM_SEL = 0x0ac, REG_SHM_LEN_LOW = 0x0b0, REG_SHM_LEN_HIGH = 0x0b4,
    REG_CONFIG_GENERATION = 0x0fc, REG_CONFIG = 0x100,
};
#define VIRTIO_MAGIC 0x74726976u      /* "virt" */
#define VIRTIO_VENDOR 0x00787672u     /* "rvx" */
enum { INT_USED_BUFFER = 1, INT_CONFIG_CHANGE = 2 };
enum { VIRTQ_AVAIL_F_NO_INTERRUPT = 1 };

static uint16_t ld16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t ld32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t ld64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void st16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void st32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void update_irq(VirtioMmio *vm)
{
    irq_set(&vm->irq, vm->interrupt_status != 0);
}

static void reset(VirtioMmio *vm)
{
    vm->status = vm->interrupt_status = 0;
    vm->device_features_sel = vm->driver_features_sel = vm->queue_sel = 0;
    vm->driver_features = 0;
    memset(vm->queue, 0, sizeof vm->queue);
    update_irq(vm);
}

void virtio_mmio_init(VirtioMmio *vm, const PhysMem *phys, IrqLine irq)
{
    memset(vm, 0, sizeof *vm);
    vm->phys = phys;
    vm->irq = irq;
    reset(vm);
}

void virtio_mmio_attach(VirtioMmio *vm, const VirtioDeviceOps *ops, void *backend,
                        const void *config, uint32_t config_size)
{
    vm->ops = ops;
    vm->backend = backend;
    vm->config_size = config_size < VIRTIO_CONFIG_MAX ? config_size : VIRTIO_CONFIG_MAX;
    if (vm->config_size)
        memcpy(vm->config, config, vm->config_size);
}

static uint64_t device_features(const VirtioMmio *vm)
{
    return vm->ops ? vm->ops->features | VIRTIO_F_VERSION_1 : 0;
}

/* The device cannot go on: the driver must reset it (virtio 1.2 §2.1.2). */
static void needs_reset(VirtioMmio *vm)
{
    vm->status |= VIRTIO_STATUS_NEEDS_RESET;
    if (vm->status & VIRTIO_STATUS_DRIVER_OK) {
        vm->interrupt_status |= INT_CONFIG_CHANGE;
        update_irq(vm);
    }
}

/* Makes queue q usable: its size and the three ring areas must be valid RAM. */
static bool queue_enable(VirtioMmio *vm, VirtQueue *q)
{
    uint32_t n = q->num;
    if (n == 0 || n > VIRTIO_QUEUE_MAX || (n & (n - 1)))
        return false;
    if ((q->desc_addr & 15) || (q->avail_addr & 1) || (q->used_addr & 3))
        return false;
    q->desc = physmem_ram_ptr(vm->phys, q->desc_addr, 16ull * n);
    q->avail = physmem_ram_ptr(vm->phys, q->avail_addr, 6 + 2ull * n);
    q->used = physmem_ram_ptr(vm->phys, q->used_addr, 6 + 8ull * n);
    if (!q->desc || !q->avail || !q->used)
        return false;
    q->last_avail = q->used_idx = 0;  /* a new queue starts at index 0 (§2.7) */
    q->ready = true;
    return true;
}

/* Walks the chain starting at `head` into req; false when it is malformed. */
static bool read_chain(VirtioMmio *vm, VirtQueue *q, uint16_t head, VirtioReq *req)
{
    req->n_out = req->n_in = 0;
    req->out_len = req->in_len = 0;
    uint32_t i = head;
    for (unsigned count = 0;; count++) {
        if (i >= q->num || count >= q->num)
            return false;  /* index out of range, or a loop / overlong chain */
        const uint8_t *d = q->desc + 16ull * i;
        uint64_t addr = ld64(d);
        uint32_t len = ld32(d + 8);
        uint16_t flags = ld16(d + 12);
        if (flags & VIRTQ_DESC_F_INDIRECT)
            return false;  /* not offered */
        uint8_t *host = len ? physmem_ram_ptr(vm->phys, addr, len) : NULL;
        if (len && !host)
            return false;
        VirtioSeg *s = &req->seg[req->n_out + req->n_in];
        s->host = host;
        s->addr = addr;
        s->len = len;
        if (flags & VIRTQ_DESC_F_WRITE) {
            req->n_in++;
            req->in_len += len;
        } else {
            if (req->n_in)
                return false;  /* readable after writable (§2.7.4.2) */
            req->n_out++;
            req->out_len += len;
        }
        if (!(flags & VIRTQ_DESC_F_NEXT))
            return true;
        i = ld16(d + 14);
    }
}

static void queue_process(VirtioMmio *vm, unsigned qi)
{
    VirtQueue *q = &vm->queue[qi];
    if (!q->ready || !vm->ops || (vm->status & VIRTIO_STATUS_NEEDS_RESET) ||
        !(vm->status & VIRTIO_STATUS_DRIVER_OK))
        return;
    static VirtioReq req;  /* 3 KiB; the machine thread is the only user */
    bool notify = false;
    for (;;) {
        uint16_t avail_idx = ld16(q->avail + 2);
        if (avail_idx == q->last_avail)
            break;
        if ((uint16_t)(avail_idx - q->last_avail) > q->num) {
            needs_reset(vm);  /* the driver claims more entries than the ring holds */
            return;
        }
        uint16_t head = ld16(q->avail + 4 + 2 * (q->last_avail % q->num));
        if (!read_chain(vm, q, head, &req)) {
            needs_reset(vm);
            return;
        }
        q->last_avail++;
        uint32_t written = vm->ops->handle(vm, qi, &req);
        for (unsigned k = req.n_out; k < req.n_out + req.n_in; k++)
            physmem_dma_written(vm->phys, req.seg[k].addr, req.seg[k].len);
        uint8_t *elem = q->used + 4 + 8 * (q->used_idx % q->num);
        st32(elem, head);
        st32(elem + 4, written);
        q->used_idx++;
        /* The element must be visible before the index that publishes it. */
        __atomic_thread_fence(__ATOMIC_RELEASE);
        st16(q->used + 2, q->used_idx);
        notify = true;
    }
    if (notify && !(ld16(q->avail) & VIRTQ_AVAIL_F_NO_INTERRUPT)) {
        vm->interrupt_status |= INT_USED_BUFFER;
        update_irq(vm);
    }
}

static size_t req_copy(const VirtioReq *req, unsigned first, unsigned n, uint64_t off,
                       uint8_t *buf, size_t len, bool to_guest)
{
    size_t done = 0;
    for (unsigned i = first; i < first + n && done < len; i++) {
        const VirtioSeg *s = &req->seg[i];
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        size_t chunk = s->len - off;
        if (chunk > len - done)
            chunk = len - done;
        if (to_guest)
            memcpy(s->host + off, buf + done, chunk);
        else
            memcpy(buf + done, s->host + off, chunk);
        done += chunk;
        off = 0;
    }
    return done;
}

size_t virtio_req_copy_out(const VirtioReq *req, uint64_t off, void *buf, size_t len)
{
    return req_copy(req, 0, req->n_out, off, buf, len, false);
}

size_t virtio_req_copy_in(VirtioReq *req, uint64_t off, const void *buf, size_t len)
{
    return req_copy(req, req->n_out, req->n_in, off, (uint8_t *)buf, len, true);
}

static VirtQueue *selected_queue(VirtioMmio *vm)
{
    unsigned n = vm->ops ? vm->ops->n_queues : 0;
    return vm->queue_sel < n ? &vm->queue[vm->queue_sel] : NULL;
}

static bool config_access(VirtioMmio *vm, uint64_t off, unsigned size, uint64_t *value, bool write)
{
    uint64_t c = off - REG_CONFIG;
    if (c + size > vm->config_size) {
        if (!write)
            *value = 0;
        return true;  /* outside the device's config: reads 0, writes ignored */
    }
    if (!write) {
        uint64_t v = 0;
        memcpy(&v, vm->config + c, size);
        *value = v;
    }
    /* Config writes (e.g. virtio-blk's writeback toggle) are not offered: ignored. */
    return true;
}

static bool virtio_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
    VirtioMmio *vm = opaque;
    if (off & (size - 1))
        return false;
    if (off >= REG_CONFIG)
        return config_access(vm, off, size, value, false);
    if (size != 4)
        return false;
    VirtQueue *q = selected_queue(vm);
    uint64_t feats = device_features(vm);
    switch (off) {
    case REG_MAGIC: *value = VIRTIO_MAGIC; break;
    case REG_VERSION: *value = 2; break;
    case REG_DEVICE_ID: *value = vm->ops ? vm->ops->device_id : 0; break;
    case REG_VENDOR_ID: *value = VIRTIO_VENDOR; break;
    case REG_DEVICE_FEATURES:
        *value = vm->device_features_sel == 0 ? (uint32_t)feats
               : vm->device_features_sel == 1 ? (uint32_t)(feats >> 32) : 0;
        break;
    case REG_QUEUE_NUM_MAX: *value = q ? VIRTIO_QUEUE_MAX : 0; break;
    case REG_QUEUE_READY: *value = q ? q->ready : 0; break;
    case REG_INTERRUPT_STATUS: *value = vm->interrupt_status; break;
    case REG_STATUS: *value = vm->status; break;
    case REG_SHM_LEN_LOW: case REG_SHM_LEN_HIGH: *value = UINT32_MAX; break; /* no shm */
    case REG_CONFIG_GENERATION: *value = 0; break;
    default: *value = 0; break;  /* write-only and reserved registers */
    }
    return true;
}

static void set_status(VirtioMmio *vm, uint32_t v)
{
    if (v == 0) {
        reset(vm);
        return;
    }
    if ((v & VIRTIO_STATUS_FEATURES_OK) && !(vm->status & VIRTIO_STATUS_FEATURES_OK)) {
        /* Accept only a subset of what was offered, and only the modern interface. */
        bool ok = !(vm->driver_features & ~device_features(vm)) &&
                  (vm->driver_features & VIRTIO_F_VERSION_1);
        if (!ok)
            v &= ~(uint32_t)VIRTIO_STATUS_FEATURES_OK;
    }
    vm->status = v | (vm->status & VIRTIO_STATUS_NEEDS_RESET);
}

static void set_addr_half(uint64_t *addr, bool high, uint32_t v)
{
    *addr = high ? (*addr & 0xffffffffull) | ((uint64_t)v << 32) : (*addr & ~0xffffffffull) | v;
}

static bool virtio_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
    VirtioMmio *vm = opaque;
    if (off & (size - 1))
        return false;
    if (off >= REG_CONFIG)
        return config_access(vm, off, size, &value, true);
    if (size != 4)
        return false;
    uint32_t v = (uint32_t)value;
    VirtQueue *q = selected_queue(vm);
    /* Queue layout may only change while the queue is not ready (§4.2.2.2). */
    VirtQueue *qw = q && !q->ready ? q : NULL;
    switch (off) {
    case REG_DEVICE_FEATURES_SEL: vm->device_features_sel = v; break;
    case REG_DRIVER_FEATURES:
        if (vm->driver_features_sel < 2 && !(vm->status & VIRTIO_STATUS_FEATURES_OK))
            set_addr_half(&vm->driver_features, vm->driver_features_sel == 1, v);
        break;
    case REG_DRIVER_FEATURES_SEL: vm->driver_features_sel = v; break;
    case REG_QUEUE_SEL: vm->queue_sel = v; break;
    case REG_QUEUE_NUM: if (qw) qw->num = v; break;
    case REG_QUEUE_READY:
        if (q && (v & 1) && !q->ready && !queue_enable(vm, q))
            needs_reset(vm);
        else if (q && !(v & 1))
            q->ready = false;
        break;
    case REG_QUEUE_NOTIFY:
        if (vm->ops && v < vm->ops->n_queues)
            queue_process(vm, v);
        break;
    case REG_INTERRUPT_ACK:
        vm->interrupt_status &= ~v;
        update_irq(vm);
        break;
    case REG_STATUS: set_status(vm, v); break;
    case REG_QUEUE_DESC_LOW: case REG_QUEUE_DESC_HIGH:
        if (qw) set_addr_half(&qw->desc_addr, off == REG_QUEUE_DESC_HIGH, v);
        break;
    case REG_QUEUE_DRIVER_LOW: case REG_QUEUE_DRIVER_HIGH:
        if (qw) set_addr_half(&qw->avail_addr, off == REG_QUEUE_DRIVER_HIGH, v);
        break;
    case REG_QUEUE_DEVICE_LOW: case REG_QUEUE_DEVICE_HIGH:
        if (qw) set_addr_half(&qw->used_addr, off == REG_QUEUE_DEVICE_HIGH, v);
        break;
    default: break;  /* read-only and reserved registers */
    }
    return true;
}

const MmioOps virtio_mmio_ops = {virtio_read, virtio_write};
