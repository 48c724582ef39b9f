/* virtio-mmio transport + virtio-blk/rng backends, driven as a guest driver would:
 * registers through MmioOps, rings and buffers in a PhysMem RAM region. Malicious
 * chains must put the device in NEEDS_RESET without touching anything outside RAM. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/virtio_blk.h"
#include "machine/virtio_mmio.h"
#include "machine/virtio_rng.h"

#define RAM 0x80000000ull
#define RAM_SIZE (1u << 20)
#define DESC (RAM + 0x0000)
#define AVAIL (RAM + 0x1000)
#define USED (RAM + 0x2000)
#define BUF (RAM + 0x10000)
#define QSIZE 8

enum {
    R_MAGIC = 0x000, R_VERSION = 0x004, R_DEVICE_ID = 0x008, R_DEV_FEAT = 0x010, R_DEV_FEAT_SEL = 0x014,
    R_DRV_FEAT = 0x020, R_DRV_FEAT_SEL = 0x024, R_QSEL = 0x030, R_QNUM_MAX = 0x034, R_QNUM = 0x038,
    R_QREADY = 0x044, R_NOTIFY = 0x050, R_ISR = 0x060, R_ACK = 0x064, R_STATUS = 0x070,
    R_DESC = 0x080, R_DRIVER = 0x090, R_DEVICE = 0x0a0, R_CONFIG = 0x100,
};

static PhysMem pm;
static uint8_t *ram;
static VirtioMmio vm;
static bool irq_level;
static VirtioBlk blk;
static char disk_path[64];
static uint16_t avail_idx;

static void on_irq(void *opaque, unsigned n, bool level) { irq_level = level; }

static uint32_t rd(uint64_t off)
{
    uint64_t v;
    cr_assert(virtio_mmio_ops.read(&vm, off, 4, &v));
    return (uint32_t)v;
}

static void wr(uint64_t off, uint32_t v) { cr_assert(virtio_mmio_ops.write(&vm, off, 4, v)); }

static uint8_t *host(uint64_t gpa) { return ram + (gpa - RAM); }

static void setup_ram(void)
{
    memset(&pm, 0, sizeof pm);
    ram = calloc(1, RAM_SIZE);
    cr_assert(physmem_add_ram(&pm, RAM, RAM_SIZE, ram, "ram"));
    virtio_mmio_init(&vm, &pm, (IrqLine){on_irq, NULL, 1});
    irq_level = false;
    avail_idx = 0;
}

static void make_disk(void)
{
    strcpy(disk_path, "/tmp/rvx-vblk-XXXXXX");
    int fd = mkstemp(disk_path);
    cr_assert(fd >= 0);
    uint8_t sector[512];
    for (int s = 0; s < 128; s++) {  /* 64 KiB: sector s filled with byte s */
        memset(sector, s, sizeof sector);
        cr_assert_eq(write(fd, sector, sizeof sector), 512);
    }
    close(fd);
}

static void driver_init(uint64_t features)
{
    cr_assert_eq(rd(R_MAGIC), 0x74726976);
    cr_assert_eq(rd(R_VERSION), 2);
    wr(R_STATUS, 0);
    wr(R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(R_DRV_FEAT_SEL, 0);
    wr(R_DRV_FEAT, (uint32_t)features);
    wr(R_DRV_FEAT_SEL, 1);
    wr(R_DRV_FEAT, (uint32_t)(features >> 32));
    wr(R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
}

static void queue_init(uint64_t desc, uint64_t avail, uint64_t used)
{
    wr(R_QSEL, 0);
    cr_assert_eq(rd(R_QNUM_MAX), VIRTIO_QUEUE_MAX);
    wr(R_QNUM, QSIZE);
    wr(R_DESC, (uint32_t)desc);
    wr(R_DESC + 4, (uint32_t)(desc >> 32));
    wr(R_DRIVER, (uint32_t)avail);
    wr(R_DRIVER + 4, (uint32_t)(avail >> 32));
    wr(R_DEVICE, (uint32_t)used);
    wr(R_DEVICE + 4, (uint32_t)(used >> 32));
    wr(R_QREADY, 1);
}

static void full_init(void)
{
    driver_init(VIRTIO_F_VERSION_1);
    cr_assert(rd(R_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    queue_init(DESC, AVAIL, USED);
    cr_assert_eq(rd(R_QREADY), 1);
    wr(R_STATUS, rd(R_STATUS) | VIRTIO_STATUS_DRIVER_OK);
}

static void set_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *d = host(DESC + 16 * i);
    memcpy(d, &addr, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    memcpy(d + 14, &next, 2);
}

static void submit(uint16_t head)
{
    memcpy(host(AVAIL + 4 + 2 * (avail_idx % QSIZE)), &head, 2);
    avail_idx++;
    memcpy(host(AVAIL + 2), &avail_idx, 2);
    wr(R_NOTIFY, 0);
}

static uint16_t used_idx(void)
{
    uint16_t v;
    memcpy(&v, host(USED + 2), 2);
    return v;
}

static uint32_t used_len(unsigned slot)
{
    uint32_t v;
    memcpy(&v, host(USED + 4 + 8 * slot + 4), 4);
    return v;
}

static void blk_setup(bool snapshot)
{
    setup_ram();
    make_disk();
    char err[256];
    cr_assert(virtio_blk_open(&blk, disk_path, snapshot, err, sizeof err), "%s", err);
    virtio_blk_attach(&vm, &blk);
    full_init();
}

static void blk_teardown(void)
{
    virtio_blk_close(&blk);
    unlink(disk_path);
    free(ram);
}

/* A 3-descriptor block request: header, data (len bytes at BUF+0x100), status. */
static void blk_request(uint32_t type, uint64_t sector, uint32_t len, bool data_writable)
{
    uint8_t hdr[16] = {0};
    memcpy(hdr, &type, 4);
    memcpy(hdr + 8, &sector, 8);
    memcpy(host(BUF), hdr, 16);
    host(BUF + 0x80)[0] = 0xee;
    set_desc(0, BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, BUF + 0x100, len, VIRTQ_DESC_F_NEXT | (data_writable ? VIRTQ_DESC_F_WRITE : 0), 2);
    set_desc(2, BUF + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
    submit(0);
}

static uint8_t blk_status(void) { return host(BUF + 0x80)[0]; }

TestSuite(virtio_blk, .fini = blk_teardown);

Test(virtio_blk, identity_config_and_features)
{
    blk_setup(false);
    cr_assert_eq(rd(R_DEVICE_ID), 2);
    uint64_t cap;
    uint64_t lo, hi;
    cr_assert(virtio_mmio_ops.read(&vm, R_CONFIG, 4, &lo));
    cr_assert(virtio_mmio_ops.read(&vm, R_CONFIG + 4, 4, &hi));
    cap = hi << 32 | lo;
    cr_assert_eq(cap, 128, "capacity in sectors");
    wr(R_DEV_FEAT_SEL, 1);
    cr_assert_eq(rd(R_DEV_FEAT) & 1, 1, "VERSION_1");
    wr(R_DEV_FEAT_SEL, 0);
    cr_assert_neq(rd(R_DEV_FEAT) & (1u << 9), 0, "FLUSH");
}

Test(virtio_blk, read_write_roundtrip)
{
    blk_setup(false);
    blk_request(0, 3, 1024, true);  /* read sectors 3 and 4 */
    cr_assert_eq(used_idx(), 1);
    cr_assert_eq(blk_status(), 0);
    cr_assert_eq(used_len(0), 1025);
    cr_assert_eq(host(BUF + 0x100)[0], 3);
    cr_assert_eq(host(BUF + 0x100)[1023], 4);
    cr_assert(irq_level);
    cr_assert_eq(rd(R_ISR), 1);
    wr(R_ACK, 1);
    cr_assert_not(irq_level);

    memset(host(BUF + 0x100), 0xab, 512);
    blk_request(1, 7, 512, false);  /* write sector 7 */
    cr_assert_eq(blk_status(), 0);
    cr_assert_eq(used_len(1), 1);
    blk_request(4, 0, 0, false);    /* flush (empty data descriptor) */
    cr_assert_eq(blk_status(), 0);
    FILE *f = fopen(disk_path, "rb");
    uint8_t b[512];
    fseek(f, 7 * 512, SEEK_SET);
    cr_assert_eq(fread(b, 1, 512, f), 512);
    fclose(f);
    cr_assert_eq(b[0], 0xab);
    cr_assert_eq(b[511], 0xab);
}

Test(virtio_blk, errors_are_in_band)
{
    blk_setup(false);
    blk_request(0, 127, 1024, true);   /* runs past the end */
    cr_assert_eq(blk_status(), 1, "IOERR");
    blk_request(0, UINT64_MAX / 256, 512, true);  /* sector * 512 would overflow */
    cr_assert_eq(blk_status(), 1);
    blk_request(0, 0, 100, true);      /* not whole sectors */
    cr_assert_eq(blk_status(), 1);
    blk_request(77, 0, 512, true);     /* unknown type */
    cr_assert_eq(blk_status(), 2, "UNSUPP");
    blk_request(8, 0, 20, true);       /* GET_ID */
    cr_assert_eq(blk_status(), 0);
    cr_assert_eq(strncmp((char *)host(BUF + 0x100), "rvx-vblk-", 9), 0);
    cr_assert_eq(rd(R_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0, "in-band errors keep the device usable");
}

Test(virtio_blk, snapshot_keeps_file)
{
    blk_setup(true);
    memset(host(BUF + 0x100), 0x5a, 512);
    blk_request(1, 9, 512, false);
    cr_assert_eq(blk_status(), 0);
    memset(host(BUF + 0x100), 0, 1024);
    blk_request(0, 8, 1024, true);
    cr_assert_eq(host(BUF + 0x100)[0], 8, "unwritten sector from the file");
    cr_assert_eq(host(BUF + 0x100)[512], 0x5a, "written sector from the overlay");
    FILE *f = fopen(disk_path, "rb");
    uint8_t b;
    fseek(f, 9 * 512, SEEK_SET);
    cr_assert_eq(fread(&b, 1, 1, f), 1);
    fclose(f);
    cr_assert_eq(b, 9, "the image file is untouched");
}

/* ---- malicious chains: each must set NEEDS_RESET and leave used idx alone ---- */

static void expect_needs_reset(void)
{
    cr_assert_neq(rd(R_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
    cr_assert_eq(used_idx(), 0);
    cr_assert_neq(rd(R_ISR) & 2, 0, "config-change interrupt");
    /* A reset brings it back. */
    wr(R_STATUS, 0);
    cr_assert_eq(rd(R_STATUS), 0);
}

Test(virtio_blk, buffer_outside_ram)
{
    blk_setup(false);
    set_desc(0, BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, 0x1000, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);  /* not RAM */
    set_desc(2, BUF + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
    submit(0);
    expect_needs_reset();
}

Test(virtio_blk, buffer_straddles_ram_end)
{
    blk_setup(false);
    set_desc(0, BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, RAM + RAM_SIZE - 256, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    set_desc(2, BUF + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
    submit(0);
    expect_needs_reset();
}

Test(virtio_blk, address_wraps)
{
    blk_setup(false);
    set_desc(0, UINT64_MAX - 8, 0xffffffff, VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, BUF + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
    submit(0);
    expect_needs_reset();
}

Test(virtio_blk, descriptor_loop)
{
    blk_setup(false);
    set_desc(0, BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, BUF + 0x100, 512, VIRTQ_DESC_F_NEXT, 0);
    submit(0);
    expect_needs_reset();
}

Test(virtio_blk, next_out_of_range)
{
    blk_setup(false);
    set_desc(0, BUF, 16, VIRTQ_DESC_F_NEXT, QSIZE + 3);
    submit(0);
    expect_needs_reset();
}

Test(virtio_blk, head_out_of_range)
{
    blk_setup(false);
    submit(4000);
    expect_needs_reset();
}

Test(virtio_blk, avail_index_jump)
{
    blk_setup(false);
    uint16_t idx = 1000;
    memcpy(host(AVAIL + 2), &idx, 2);
    wr(R_NOTIFY, 0);
    expect_needs_reset();
}

Test(virtio_blk, indirect_not_negotiated)
{
    blk_setup(false);
    set_desc(0, BUF, 64, VIRTQ_DESC_F_INDIRECT, 0);
    submit(0);
    expect_needs_reset();
}

Test(virtio_blk, readable_after_writable)
{
    blk_setup(false);
    set_desc(0, BUF + 0x80, 1, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    set_desc(1, BUF, 16, 0, 0);
    submit(0);
    expect_needs_reset();
}

Test(virtio_blk, short_header_completes_empty)
{
    blk_setup(false);
    set_desc(0, BUF, 4, VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, BUF + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
    submit(0);
    cr_assert_eq(used_idx(), 1, "completed");
    cr_assert_eq(used_len(0), 0, "nothing written");
}

Test(virtio_blk, rings_outside_ram)
{
    blk_setup(false);
    wr(R_STATUS, 0);
    driver_init(VIRTIO_F_VERSION_1);
    queue_init(0x40000000, AVAIL, USED);
    cr_assert_eq(rd(R_QREADY), 0);
    cr_assert_neq(rd(R_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
    wr(R_STATUS, 0);
    driver_init(VIRTIO_F_VERSION_1);
    queue_init(DESC + 8, AVAIL, USED);  /* misaligned descriptor table */
    cr_assert_eq(rd(R_QREADY), 0);
}

Test(virtio_blk, features_must_include_version_1)
{
    blk_setup(false);
    wr(R_STATUS, 0);
    driver_init(0);
    cr_assert_eq(rd(R_STATUS) & VIRTIO_STATUS_FEATURES_OK, 0);
    wr(R_STATUS, 0);
    driver_init(VIRTIO_F_VERSION_1 | (1ull << 28));  /* INDIRECT_DESC: not offered */
    cr_assert_eq(rd(R_STATUS) & VIRTIO_STATUS_FEATURES_OK, 0);
}

Test(virtio_blk, open_errors)
{
    VirtioBlk b;
    char err[256];
    cr_assert_not(virtio_blk_open(&b, "/nonexistent/disk.img", false, err, sizeof err));
    cr_assert(strstr(err, "cannot open disk image"), "%s", err);
    cr_assert_not(virtio_blk_open(&b, "/dev/null", false, err, sizeof err));
    cr_assert(strstr(err, "not a regular file"), "%s", err);
    char path[] = "/tmp/rvx-empty-XXXXXX";
    close(mkstemp(path));
    cr_assert_not(virtio_blk_open(&b, path, false, err, sizeof err));
    cr_assert(strstr(err, "empty"), "%s", err);
    unlink(path);
    blk_setup(false);  /* for the suite's fini */
}

/* ---- rng and empty slots ---- */

Test(virtio_rng, fills_writable_buffers)
{
    setup_ram();
    virtio_rng_attach(&vm);
    cr_assert_eq(rd(R_DEVICE_ID), 4);
    full_init();
    set_desc(0, BUF, 64, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, BUF + 64, 64, VIRTQ_DESC_F_WRITE, 0);
    submit(0);
    cr_assert_eq(used_idx(), 1);
    cr_assert_eq(used_len(0), 128);
    int nonzero = 0;
    for (int i = 0; i < 128; i++)
        nonzero += host(BUF)[i] != 0;
    cr_assert_gt(nonzero, 100);
    free(ram);
}

Test(virtio_mmio, empty_slot)
{
    setup_ram();
    cr_assert_eq(rd(R_MAGIC), 0x74726976);
    cr_assert_eq(rd(R_DEVICE_ID), 0);
    cr_assert_eq(rd(R_QNUM_MAX), 0);
    wr(R_NOTIFY, 0);
    uint64_t v;
    cr_assert_not(virtio_mmio_ops.read(&vm, 0x001, 4, &v), "misaligned");
    cr_assert_not(virtio_mmio_ops.read(&vm, 0x000, 2, &v), "16-bit register access");
    free(ram);
}
