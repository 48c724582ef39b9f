/* IrqLine: how a device drives one interrupt input of an interrupt controller (the
 * PLIC). The device owns the line and calls irq_set with the level it wants; the
 * controller decides what the level means (the PLIC treats its sources as level
 * triggered). All calls happen on the machine thread. */
#ifndef RVX_MACHINE_IRQ_H
#define RVX_MACHINE_IRQ_H

#include <stdbool.h>

typedef struct IrqLine {
    void (*set)(void *opaque, unsigned n, bool level);
    void *opaque;   /* the controller */
    unsigned n;     /* the controller's input number */
} IrqLine;

static inline void irq_set(const IrqLine *line, bool level)
{
    if (line->set)
        line->set(line->opaque, line->n, level);
}

#endif
