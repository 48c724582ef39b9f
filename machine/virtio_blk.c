/* virtio-blk (see virtio_blk.h). Data moves directly between the file and the
 * guest's segments (pread/pwrite per segment piece); in snapshot mode through the
 * overlay, whose chunks are filled from the file on their first write. */
#include "machine/virtio_blk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SECTOR = 512, CHUNK = 4096 };
enum { BLK_T_IN = 0, BLK_T_OUT = 1, BLK_T_FLUSH = 4, BLK_T_GET_ID = 8 };
enum { BLK_S_OK = 0, BLK_S_IOERR = 1, BLK_S_UNSUPP = 2 };
#define BLK_F_SEG_MAX (1ull << 2)
#define BLK_F_RO (1ull << 5)
#define BLK_F_BLK_SIZE (1ull << 6)
#define BLK_F_FLUSH (1ull << 9)

bool virtio_blk_open(VirtioBlk *b, const char *path, bool snapshot, char *err, size_t err_len)
{
    memset(b, 0, sizeof *b);
    b->snapshot = snapshot;
    b->fd = open(path, (snapshot ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (b->fd < 0 && !snapshot && (errno == EACCES || errno == EROFS)) {
        b->fd = open(path, O_RDONLY | O_CLOEXEC);
        b->read_only = true;
    }
    struct stat st;
    if (b->fd < 0 || fstat(b->fd, &st) != 0) {
        snprintf(err, err_len, "cannot open disk image '%s': %s", path, strerror(errno));
        if (b->fd >= 0)
            close(b->fd);
        return false;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        snprintf(err, err_len, "disk image '%s' is not a regular file", path);
        close(b->fd);
        return false;
    }
    off_t size = S_ISBLK(st.st_mode) ? lseek(b->fd, 0, SEEK_END) : st.st_size;
    if (size < SECTOR) {
        snprintf(err, err_len, "disk image '%s' is empty (less than one 512-byte sector)", path);
        close(b->fd);
        return false;
    }
    b->capacity = (uint64_t)size / SECTOR;
    if (snapshot) {
        b->n_chunks = (b->capacity * SECTOR + CHUNK - 1) / CHUNK;
        b->overlay = calloc(b->n_chunks, sizeof *b->overlay);
        if (!b->overlay) {
            snprintf(err, err_len, "out of memory for the snapshot of '%s'", path);
            close(b->fd);
            return false;
        }
    }
    const char *base = strrchr(path, '/');
    const char *name = base ? base + 1 : path;
    size_t name_len = strlen(name);
    memcpy(b->id, name, name_len < sizeof b->id ? name_len : sizeof b->id);  /* rest stays 0 */
    return true;
}

void virtio_blk_close(VirtioBlk *b)
{
    for (uint64_t i = 0; i < b->n_chunks; i++)
        free(b->overlay[i]);
    free(b->overlay);
    b->overlay = NULL;
    b->n_chunks = 0;
    if (b->fd >= 0)
        close(b->fd);
    b->fd = -1;
}

/* Reads len bytes at off from the file; the part past the end of file reads 0. */
static bool file_read(int fd, uint64_t off, uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = pread(fd, buf, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0) {
            memset(buf, 0, len);
            return true;
        }
        buf += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return true;
}

static bool file_write(int fd, uint64_t off, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = pwrite(fd, buf, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return true;
}

/* One contiguous disk range <-> one host buffer, through the overlay if any. */
static bool disk_io(VirtioBlk *b, uint64_t off, uint8_t *buf, size_t len, bool write)
{
    if (!b->snapshot)
        return write ? file_write(b->fd, off, buf, len) : file_read(b->fd, off, buf, len);
    while (len > 0) {
        uint64_t ci = off / CHUNK, co = off % CHUNK;
        size_t n = CHUNK - co < len ? CHUNK - co : len;
        uint8_t *chunk = b->overlay[ci];
        if (write && !chunk) {
            chunk = malloc(CHUNK);
            if (!chunk || !file_read(b->fd, ci * CHUNK, chunk, CHUNK)) {
                free(chunk);
                return false;
            }
            b->overlay[ci] = chunk;
        }
        if (write)
            memcpy(chunk + co, buf, n);
        else if (chunk)
            memcpy(buf, chunk + co, n);
        else if (!file_read(b->fd, off, buf, n))
            return false;
        off += n;
        buf += n;
        len -= n;
    }
    return true;
}

/* Moves `len` bytes between disk offset `off` and the request's segments, starting
 * at segment byte `seg_off` of the readable (write) or writable (read) part. */
static bool data_io(VirtioBlk *b, VirtioReq *req, uint64_t seg_off, uint64_t off, uint64_t len,
                    bool write)
{
    unsigned first = write ? 0 : req->n_out, n = write ? req->n_out : req->n_in;
    for (unsigned i = first; i < first + n && len > 0; i++) {
        VirtioSeg *s = &req->seg[i];
        if (seg_off >= s->len) {
            seg_off -= s->len;
            continue;
        }
        size_t piece = s->len - seg_off;
        if (piece > len)
            piece = len;
        if (!disk_io(b, off, s->host + seg_off, piece, write))
            return false;
        off += piece;
        len -= piece;
        seg_off = 0;
    }
    return len == 0;
}

static uint8_t serve(VirtioBlk *b, VirtioReq *req, uint32_t type, uint64_t sector,
                     uint64_t *data_len)
{
    uint64_t cap_bytes = b->capacity * SECTOR;
    switch (type) {
    case BLK_T_IN:
    case BLK_T_OUT: {
        bool write = type == BLK_T_OUT;
        uint64_t len = write ? req->out_len - 16 : req->in_len - 1;
        if (write && b->read_only)
            return BLK_S_IOERR;
        if (len % SECTOR || sector > b->capacity || len > cap_bytes - sector * SECTOR)
            return BLK_S_IOERR;
        if (!data_io(b, req, write ? 16 : 0, sector * SECTOR, len, write))
            return BLK_S_IOERR;
        if (!write)
            *data_len = len;
        return BLK_S_OK;
    }
    case BLK_T_FLUSH:
        return b->snapshot || fsync(b->fd) == 0 || errno == EINVAL ? BLK_S_OK : BLK_S_IOERR;
    case BLK_T_GET_ID: {
        uint64_t room = req->in_len - 1;
        *data_len = virtio_req_copy_in(req, 0, b->id, room < sizeof b->id ? room : sizeof b->id);
        return BLK_S_OK;
    }
    default:
        return BLK_S_UNSUPP;
    }
}

static uint32_t blk_handle(VirtioMmio *vm, unsigned queue, VirtioReq *req)
{
    VirtioBlk *b = vm->backend;
    uint8_t hdr[16];
    /* A request needs its 16-byte header and a status byte; without them there is
     * nowhere to report an error, so it completes with nothing written. */
    if (virtio_req_copy_out(req, 0, hdr, sizeof hdr) != sizeof hdr || req->in_len < 1)
        return 0;
    uint32_t type;
    uint64_t sector, data_len = 0;
    memcpy(&type, hdr, 4);
    memcpy(&sector, hdr + 8, 8);
    uint8_t status = serve(b, req, type, sector, &data_len);
    virtio_req_copy_in(req, req->in_len - 1, &status, 1);
    return (uint32_t)(data_len + 1);
}

static const VirtioDeviceOps blk_ops = {
    .device_id = 2,
    .features = BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH,
    .n_queues = 1,
    .handle = blk_handle,
};

static const VirtioDeviceOps blk_ro_ops = {
    .device_id = 2,
    .features = BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH | BLK_F_RO,
    .n_queues = 1,
    .handle = blk_handle,
};

void virtio_blk_attach(VirtioMmio *vm, VirtioBlk *b)
{
    /* struct virtio_blk_config: capacity @0, size_max @8, seg_max @12, geometry @16,
     * blk_size @20. A chain holds the header, the status and up to seg_max data
     * segments. */
    uint8_t cfg[24] = {0};
    uint32_t seg_max = VIRTIO_QUEUE_MAX - 2, blk_size = SECTOR;
    memcpy(cfg, &b->capacity, 8);
    memcpy(cfg + 12, &seg_max, 4);
    memcpy(cfg + 20, &blk_size, 4);
    virtio_mmio_attach(vm, b->read_only ? &blk_ro_ops : &blk_ops, b, cfg, sizeof cfg);
}
