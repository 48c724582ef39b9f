/* Boot: puts firmware, kernel, initrd and device tree into guest memory and sets up
 * the hart for the chosen BootMode.
 * Memory layout (RAM at 0x80000000):
 *   firmware (raw fw_dynamic.bin)   at 0x80000000          (BOOT_FIRMWARE)
 *   kernel flat Image               at RAM + text_offset   (0x80200000 for Linux)
 *   initrd                          just below the FDT, 4 KiB aligned
 *   FDT                             top of RAM, 2 MiB aligned (like QEMU)
 *   struct fw_dynamic_info          in the mrom at 0x1000  (BOOT_FIRMWARE)
 * An ELF (kernel or firmware) is loaded at its segments' physical addresses, which
 * must lie in RAM. Every file is validated first; errors are one line. */
#ifndef RVX_MACHINE_BOOT_H
#define RVX_MACHINE_BOOT_H

#include <stddef.h>

#include "machine/machine.h"

/* Chooses m->mode from m->cfg, loads everything and resets the hart to its entry
 * state. Returns false with a reason in err. */
bool boot_load(Machine *m, char *err, size_t err_len);

#endif
