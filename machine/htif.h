/* HTIF (Spike's host-target interface) for bare-metal programs with a `tohost`
 * symbol: the program writes a command word to tohost, rvx notices it the next time
 * the machine loop regains control (timer tick, exception, wfi) and answers through
 * fromhost. Commands (device << 56 | command << 48 | payload):
 *   device 0 (syscall), payload odd: exit with status payload >> 1;
 *   device 1 (console), command 1: print the byte payload & 0xff, ack in fromhost.
 * Anything else is reported once and dropped (tohost cleared). */
#ifndef RVX_MACHINE_HTIF_H
#define RVX_MACHINE_HTIF_H

#include "machine/machine.h"

/* Serves a pending tohost command, if any. */
void htif_poll(Machine *m);

#endif
