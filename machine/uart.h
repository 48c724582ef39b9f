/* UART 16550A (NS16550A compatible) at QEMU virt's 0x10000000, PLIC source 10.
 * Transmission is instantaneous: a byte written to THR goes straight to the tx
 * callback, so THR and the shift register are always empty (LSR.THRE|TEMT) and the
 * THR-empty interrupt is raised after every write (and when it is enabled).
 * Receive has a 16-byte FIFO filled by uart_receive; data-ready interrupts are level:
 * the IRQ line is recomputed from IER, FIFO and the THRE latch after every change.
 * Loopback (MCR.LOOP) feeds transmitted bytes back into the FIFO, as Linux's probe
 * expects. Machine thread only. */
#ifndef RVX_MACHINE_UART_H
#define RVX_MACHINE_UART_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/irq.h"
#include "softmmu/physmem.h"

#define UART_BASE 0x10000000ull
#define UART_SIZE 0x100ull
#define UART_IRQ 10
#define UART_FIFO_SIZE 16
#define UART_CLOCK_HZ 3686400

typedef struct Uart {
    IrqLine irq;
    void (*tx)(void *opaque, uint8_t ch);
    void *tx_opaque;
    uint8_t ier, lcr, mcr, lsr_errors, scr, dll, dlm, fcr;
    bool thr_ipending;           /* THR-empty interrupt latched, cleared by IIR read/THR write */
    uint8_t fifo[UART_FIFO_SIZE];
    unsigned fifo_head, fifo_count;
} Uart;

extern const MmioOps uart_ops;

void uart_init(Uart *u, IrqLine irq, void (*tx)(void *opaque, uint8_t ch), void *tx_opaque);
/* Free space in the receive FIFO. */
unsigned uart_rx_room(const Uart *u);
/* A byte arrives on the line; dropped with an overrun error when the FIFO is full. */
void uart_receive(Uart *u, uint8_t ch);

#endif
