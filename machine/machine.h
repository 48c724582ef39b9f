/* The virt board: one RV64 hart, RAM at 0x80000000, and QEMU virt's devices at QEMU
 * virt's addresses (CLINT, PLIC, UART 16550A, test finisher, goldfish RTC, eight
 * virtio-mmio slots), the device tree, and the machine loop that runs the hart and
 * serves what it returns for: exceptions (trap entry, built-in SBI calls), wfi
 * (sleep until an interrupt or a timer deadline), and exit requests (a 1 ms host
 * ticker that lets the loop poll the console, re-evaluate timers and check HTIF).
 * Threads: everything runs on the machine thread except the ticker, which only sets
 * hart.exit_request; devices therefore need no locks. */
#ifndef RVX_MACHINE_MACHINE_H
#define RVX_MACHINE_MACHINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frontend/hart.h"
#include "machine/clint.h"
#include "machine/console.h"
#include "machine/plic.h"
#include "machine/rtc.h"
#include "machine/syscon.h"
#include "machine/uart.h"
#include "machine/virtio_blk.h"
#include "machine/virtio_mmio.h"
#include "softmmu/physmem.h"

#define MACHINE_RAM_BASE 0x80000000ull
#define MACHINE_MROM_BASE 0x1000ull      /* holds struct fw_dynamic_info */
#define MACHINE_MROM_SIZE 0xf000ull
#define MACHINE_DEFAULT_RAM_MB 512
#define MACHINE_DEFAULT_FIRMWARE "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
/* The slots used by the devices rvx plugs in; the disk takes the last slot so that
 * Linux, which probes in device-tree order (highest address first), names it vda. */
#define MACHINE_SLOT_BLK (VIRTIO_MMIO_COUNT - 1)
#define MACHINE_SLOT_RNG (VIRTIO_MMIO_COUNT - 2)

typedef struct MachineConfig {
    uint64_t ram_mb;
    const char *firmware;   /* NULL: MACHINE_DEFAULT_FIRMWARE; "none": no firmware */
    const char *kernel;     /* flat Image or ELF; may be NULL with an ELF firmware */
    const char *initrd;
    const char *append;     /* kernel command line (chosen/bootargs) */
    const char *drive;      /* raw disk image for virtio-blk, or NULL */
    bool snapshot;          /* keep disk writes in memory */
    bool quiet;             /* no notes on stderr (poweroff reason etc.) */
} MachineConfig;

typedef enum BootMode {
    BOOT_FIRMWARE,     /* M-mode firmware (OpenSBI fw_dynamic) then the kernel in S-mode */
    BOOT_BUILTIN_SBI,  /* kernel entered in S-mode; rvx serves its SBI calls */
    BOOT_BARE_METAL,   /* an ELF run in M-mode from its entry, HTIF if it has tohost */
} BootMode;

typedef struct Machine {
    MachineConfig cfg;
    BootMode mode;
    PhysMem phys;
    uint8_t *ram, *mrom;
    uint64_t ram_size;
    Hart hart;
    Clint clint;
    Plic plic;
    Uart uart;
    Syscon syscon;
    Rtc rtc;
    VirtioMmio virtio[VIRTIO_MMIO_COUNT];
    VirtioBlk blk;
    bool has_blk;
    Console console;
    void *fdt;                   /* the device tree blob (host copy) */
    size_t fdt_size;
    uint64_t fdt_addr;
    uint64_t tohost, fromhost;   /* HTIF symbol addresses, 0 when absent */
    bool htif_warned;            /* an unsupported HTIF request was reported */

    pthread_t ticker;
    volatile bool stop;
    int exit_code;
    /* Trap-loop detection: the last exception and the instret when it happened. */
    uint64_t last_exc_pc, last_exc_cause, last_exc_instret;
} Machine;

/* Builds the board and loads firmware, kernel, initrd and device tree. On failure
 * writes a one-line reason to err and returns false (the machine is then
 * destroyed already). */
bool machine_init(Machine *m, const MachineConfig *cfg, char *err, size_t err_len);
/* Writes the device tree blob to path. */
bool machine_dump_dtb(const Machine *m, const char *path, char *err, size_t err_len);
/* Runs until poweroff, a failure exit or Ctrl-A x; returns the exit status. */
int machine_run(Machine *m);
void machine_destroy(Machine *m);

/* Stops the machine loop at the next block boundary with exit status `code`. */
void machine_stop(Machine *m, int code);
/* Polls host input and re-evaluates the time-driven interrupt sources. */
void machine_poll(Machine *m);
/* wfi: sleeps until an interrupt is pending for the hart (mip & mie), a timer
 * deadline passes, or the machine stops. */
void machine_wait(Machine *m);

#endif
