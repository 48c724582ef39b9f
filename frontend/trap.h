/* The privileged architecture's control transfers: taking traps (exceptions and
 * interrupts, with medeleg/mideleg delegation to S-mode), choosing the pending
 * interrupt by the spec's priority, and the trap returns (mret/sret).
 * All of it runs on the hart's own thread. */
#ifndef RVX_FRONTEND_TRAP_H
#define RVX_FRONTEND_TRAP_H

#include "frontend/hart.h"

#define RV_CAUSE_INTERRUPT (1ull << 63)

/* Resets a hart for system mode: M-mode, pc, misa (RV64IMAFDC + S + U), WARL fields
 * at their reset values, TLB and reservation cleared. */
void hart_reset_system(Hart *h, uint64_t hartid, uint64_t pc);

/* Prepares a hart to run a Linux user-mode program: U-mode with the FP unit, the
 * counters and the cache-block operations available, as the kernel sets them up. */
void hart_init_user(Hart *h);

/* Takes a trap at h->pc (the faulting or interrupted instruction): writes
 * xepc/xcause/xtval/xstatus of the target mode and jumps to xtvec (vectored for
 * interrupts when xtvec.MODE = 1). */
void trap_enter(Hart *h, uint64_t cause, uint64_t tval, bool interrupt);

/* The interrupt the hart must take now (its mip bit number), or -1 when none is
 * both pending and enabled for the current privilege level. */
int trap_pending_interrupt(const Hart *h);

/* Takes the pending interrupt, if any; returns true if it did. */
bool trap_take_interrupt(Hart *h);

/* Trap returns (the sret/mret instructions, after their privilege checks). */
void trap_sret(Hart *h);
void trap_mret(Hart *h);

/* Sstc: raise or lower STIP from stimecmp against the current time (when
 * menvcfg.STCE is set). Call after time advances and after stimecmp writes. */
void trap_update_sstc(Hart *h);

#endif
