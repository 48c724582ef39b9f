/* The board's device tree, built with libfdt in the layout of QEMU's virt machine
 * (hw/riscv/virt.c) so Linux and OpenSBI drivers bind unchanged: one hart with its
 * interrupt controller, memory, chosen (bootargs, stdout-path, initrd, rng-seed), and
 * under /soc the CLINT, PLIC, UART, test finisher (syscon poweroff/reboot), goldfish
 * RTC and the virtio-mmio transports, all wired to the PLIC (phandle 3) or to the
 * hart's interrupt controller (phandle 2). */
#ifndef RVX_MACHINE_FDT_H
#define RVX_MACHINE_FDT_H

#include <stddef.h>
#include <stdint.h>

/* The ISA the hart implements: riscv,isa and, split at '_', riscv,isa-extensions. */
#define FDT_DEFAULT_ISA \
    "rv64imafdc_zicbom_zicboz_zicond_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc_svnapot_svpbmt"
/* Block size of the cache-block operations (frontend's CBO_BLOCK). */
#define FDT_CBO_BLOCK 64

typedef struct FdtConfig {
    uint64_t ram_base, ram_size;
    const char *isa;                 /* NULL: FDT_DEFAULT_ISA */
    const char *mmu_type;            /* e.g. "riscv,sv57" */
    const char *bootargs;            /* NULL: no bootargs property */
    uint64_t initrd_start, initrd_end;  /* both 0: no initrd */
} FdtConfig;

/* Builds the blob into a malloc'd buffer (*size bytes, packed). Returns NULL with a
 * message in err on failure (only libfdt errors, i.e. a bug or no memory). */
void *fdt_build(const FdtConfig *cfg, size_t *size, char *err, size_t err_len);

#endif
