/* 16550A registers (see uart.h). Offsets 0..7 are the eight byte-wide registers;
 * accesses of 1, 2 or 4 bytes use the low byte (some firmware uses 32-bit accesses
 * with reg-shift 0); the rest of the window reads 0. */
#include "machine/uart.h"

enum {
    REG_RBR_THR_DLL = 0, REG_IER_DLM = 1, REG_IIR_FCR = 2, REG_LCR = 3, REG_MCR = 4,
    REG_LSR = 5, REG_MSR = 6, REG_SCR = 7,
};
enum { IER_RDI = 1, IER_THRI = 2, IER_RLSI = 4, IER_MSI = 8 };
enum { IIR_NONE = 1, IIR_THRI = 2, IIR_RDI = 4, IIR_RLSI = 6, IIR_FIFO = 0xc0 };
enum { LSR_DR = 1, LSR_OE = 2, LSR_THRE = 0x20, LSR_TEMT = 0x40 };
enum { LCR_DLAB = 0x80 };
enum { MCR_DTR = 1, MCR_RTS = 2, MCR_OUT1 = 4, MCR_OUT2 = 8, MCR_LOOP = 0x10 };
enum { MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80 };
enum { FCR_ENABLE = 1, FCR_CLEAR_RX = 2 };

/* The interrupt IIR reports now, by the 16550's priority order. */
static uint8_t pending_iir(const Uart *u)
{
    if ((u->ier & IER_RLSI) && u->lsr_errors)
        return IIR_RLSI;
    if ((u->ier & IER_RDI) && u->fifo_count)
        return IIR_RDI;
    if ((u->ier & IER_THRI) && u->thr_ipending)
        return IIR_THRI;
    return IIR_NONE;
}

static void update_irq(Uart *u)
{
    irq_set(&u->irq, pending_iir(u) != IIR_NONE);
}

void uart_init(Uart *u, IrqLine irq, void (*tx)(void *opaque, uint8_t ch), void *tx_opaque)
{
    *u = (Uart){.irq = irq, .tx = tx, .tx_opaque = tx_opaque};
    update_irq(u);
}

unsigned uart_rx_room(const Uart *u)
{
    return UART_FIFO_SIZE - u->fifo_count;
}

static void fifo_push(Uart *u, uint8_t ch)
{
    if (u->fifo_count == UART_FIFO_SIZE) {
        u->lsr_errors |= LSR_OE;
        return;
    }
    u->fifo[(u->fifo_head + u->fifo_count) % UART_FIFO_SIZE] = ch;
    u->fifo_count++;
}

void uart_receive(Uart *u, uint8_t ch)
{
    if (u->mcr & MCR_LOOP)
        return;  /* in loopback the line is disconnected */
    fifo_push(u, ch);
    update_irq(u);
}

static uint8_t read_reg(Uart *u, unsigned reg)
{
    switch (reg) {
    case REG_RBR_THR_DLL:
        if (u->lcr & LCR_DLAB)
            return u->dll;
        if (u->fifo_count) {
            uint8_t ch = u->fifo[u->fifo_head];
            u->fifo_head = (u->fifo_head + 1) % UART_FIFO_SIZE;
            u->fifo_count--;
            return ch;
        }
        return 0;
    case REG_IER_DLM:
        return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
    case REG_IIR_FCR: {
        uint8_t iir = pending_iir(u);
        if (iir == IIR_THRI)
            u->thr_ipending = false;  /* reading IIR acknowledges THR empty */
        return iir | ((u->fcr & FCR_ENABLE) ? IIR_FIFO : 0);
    }
    case REG_LCR:
        return u->lcr;
    case REG_MCR:
        return u->mcr;
    case REG_LSR: {
        uint8_t lsr = LSR_THRE | LSR_TEMT | (u->fifo_count ? LSR_DR : 0) | u->lsr_errors;
        u->lsr_errors = 0;
        return lsr;
    }
    case REG_MSR:
        if (u->mcr & MCR_LOOP)
            return (uint8_t)(((u->mcr & MCR_RTS) ? MSR_CTS : 0) | ((u->mcr & MCR_DTR) ? MSR_DSR : 0) |
                             ((u->mcr & MCR_OUT1) ? MSR_RI : 0) | ((u->mcr & MCR_OUT2) ? MSR_DCD : 0));
        return MSR_DCD | MSR_DSR | MSR_CTS;
    default:
        return u->scr;
    }
}

static void write_reg(Uart *u, unsigned reg, uint8_t v)
{
    switch (reg) {
    case REG_RBR_THR_DLL:
        if (u->lcr & LCR_DLAB) {
            u->dll = v;
            return;
        }
        if (u->mcr & MCR_LOOP)
            fifo_push(u, v);
        else
            u->tx(u->tx_opaque, v);
        u->thr_ipending = true;
        return;
    case REG_IER_DLM:
        if (u->lcr & LCR_DLAB) {
            u->dlm = v;
            return;
        }
        /* Enabling the THR-empty interrupt with an empty THR raises it at once. */
        if ((v & IER_THRI) && !(u->ier & IER_THRI))
            u->thr_ipending = true;
        u->ier = v & 0x0f;
        return;
    case REG_IIR_FCR:
        if ((v & FCR_ENABLE) != (u->fcr & FCR_ENABLE) || (v & FCR_CLEAR_RX))
            u->fifo_head = u->fifo_count = 0;
        u->fcr = v & 0xc9;  /* enable, DMA mode, trigger level; clear bits self-reset */
        return;
    case REG_LCR:
        u->lcr = v;
        return;
    case REG_MCR:
        u->mcr = v & 0x1f;
        return;
    case REG_LSR:
    case REG_MSR:
        return;  /* read only */
    default:
        u->scr = v;
        return;
    }
}

static bool uart_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
    Uart *u = opaque;
    if (size > 4 || (off & (size - 1)))
        return false;
    *value = off < 8 ? read_reg(u, (unsigned)off) : 0;
    update_irq(u);
    return true;
}

static bool uart_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
    Uart *u = opaque;
    if (size > 4 || (off & (size - 1)))
        return false;
    if (off < 8)
        write_reg(u, (unsigned)off, (uint8_t)value);
    update_irq(u);
    return true;
}

const MmioOps uart_ops = {uart_read, uart_write};
