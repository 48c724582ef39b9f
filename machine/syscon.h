/* SiFive test finisher / syscon at QEMU virt's 0x100000: a 32-bit write to offset 0
 * requests poweroff (0x5555), reboot (0x7777) or a failure exit (0x3333, exit code
 * in bits 31:16). The board gets the request through a callback and stops the hart;
 * other values are ignored (a guest writing garbage does not stop the machine). */
#ifndef RVX_MACHINE_SYSCON_H
#define RVX_MACHINE_SYSCON_H

#include <stdint.h>

#include "softmmu/physmem.h"

#define SYSCON_BASE 0x100000ull
#define SYSCON_SIZE 0x1000ull
#define SYSCON_FAIL 0x3333
#define SYSCON_PASS 0x5555
#define SYSCON_RESET 0x7777

typedef enum SysconAction { SYSCON_POWEROFF, SYSCON_REBOOT, SYSCON_FAILURE } SysconAction;

typedef struct Syscon {
    void (*request)(void *opaque, SysconAction action, int code);
    void *opaque;
} Syscon;

extern const MmioOps syscon_ops;

#endif
