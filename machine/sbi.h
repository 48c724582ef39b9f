/* Built-in SBI (riscv-sbi-doc v2.0) for `--bios none` with a kernel: the kernel runs
 * in S-mode and its ecalls come back from exec_run as ECALL_S exceptions, which are
 * served here in C instead of trapping into M-mode firmware. Extensions: BASE, TIME,
 * IPI, RFENCE, HSM, SRST, DBCN and the legacy console/timer/shutdown calls. There is
 * one hart, so "remote" operations act on the calling hart. */
#ifndef RVX_MACHINE_SBI_H
#define RVX_MACHINE_SBI_H

#include "machine/machine.h"

/* Sets up the hart as OpenSBI would leave it for the kernel: S-mode at entry,
 * a0 = hartid, a1 = fdt, traps and S-level interrupts delegated, counters and
 * Sstc/cbo/pbmt enabled, PMP open. */
void sbi_enter_kernel(Machine *m, uint64_t entry);
/* Serves the ecall at h->pc (a7 = extension, a6 = function) and steps past it. */
void sbi_ecall(Machine *m);

#endif
