/* virtio-blk backend (virtio 1.2 §5.2) on a raw image file: IN (read), OUT (write),
 * FLUSH (fsync) and GET_ID. With `snapshot`, writes go to an in-memory overlay of
 * 4 KiB chunks and the file is never written. A request outside the disk, or with a
 * data length that is not whole sectors, gets VIRTIO_BLK_S_IOERR; host I/O errors
 * too. A file opened read-only (no write permission) is offered with VIRTIO_BLK_F_RO. */
#ifndef RVX_MACHINE_VIRTIO_BLK_H
#define RVX_MACHINE_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/virtio_mmio.h"

typedef struct VirtioBlk {
    int fd;
    bool read_only, snapshot;
    uint64_t capacity;        /* in 512-byte sectors */
    uint8_t **overlay;        /* snapshot: one 4 KiB chunk pointer per chunk, lazily */
    uint64_t n_chunks;
    char id[20];              /* GET_ID answer (not NUL-terminated when 20 long) */
} VirtioBlk;

/* Opens the image; on failure writes a one-line reason into err and returns false. */
bool virtio_blk_open(VirtioBlk *b, const char *path, bool snapshot, char *err, size_t err_len);
void virtio_blk_close(VirtioBlk *b);
void virtio_blk_attach(VirtioMmio *vm, VirtioBlk *b);

#endif
