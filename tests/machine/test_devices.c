/* CLINT, PLIC, UART 16550A, test finisher and goldfish RTC, driven through their
 * MmioOps exactly as guest loads and stores would reach them. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "machine/clint.h"
#include "machine/plic.h"
#include "machine/rtc.h"
#include "machine/syscon.h"
#include "machine/uart.h"

static uint64_t rd(const MmioOps *ops, void *dev, uint64_t off, unsigned size)
{
    uint64_t v = 0xdeadbeef;
    cr_assert(ops->read(dev, off, size, &v), "read 0x%llx/%u faulted", (unsigned long long)off, size);
    return v;
}

static void wr(const MmioOps *ops, void *dev, uint64_t off, unsigned size, uint64_t v)
{
    cr_assert(ops->write(dev, off, size, v), "write 0x%llx/%u faulted", (unsigned long long)off, size);
}

/* ---- CLINT ---- */

Test(clint, mtime_runs_at_10mhz)
{
    static Hart h;
    Clint c;
    clint_init(&c, &h);
    uint64_t t0 = rd(&clint_ops, &c, 0xbff8, 8);
    usleep(20000);
    uint64_t t1 = rd(&clint_ops, &c, 0xbff8, 8);
    cr_assert(t1 - t0 >= 150000 && t1 - t0 < 2000000, "20 ms = %llu ticks", (unsigned long long)(t1 - t0));
}

Test(clint, mtimecmp_drives_mtip)
{
    static Hart h;
    Clint c;
    clint_init(&c, &h);
    cr_assert_eq(h.mip & MIP_MTIP, 0);
    uint64_t now = rd(&clint_ops, &c, 0xbff8, 8);
    wr(&clint_ops, &c, 0x4000, 8, now + 10000000);   /* 1 s ahead */
    cr_assert_eq(h.mip & MIP_MTIP, 0);
    wr(&clint_ops, &c, 0x4000, 4, 0);                /* low half: now in the past */
    wr(&clint_ops, &c, 0x4004, 4, 0);
    cr_assert_neq(h.mip & MIP_MTIP, 0);
    cr_assert_eq(rd(&clint_ops, &c, 0x4000, 8), 0);
    wr(&clint_ops, &c, 0x4000, 8, UINT64_MAX);
    cr_assert_eq(h.mip & MIP_MTIP, 0);
}

Test(clint, mtime_write_and_update)
{
    static Hart h;
    Clint c;
    clint_init(&c, &h);
    wr(&clint_ops, &c, 0x4000, 8, 1000000000000ull);
    wr(&clint_ops, &c, 0xbff8, 8, 1000000000000ull - 100);  /* 10 us before the deadline */
    cr_assert_eq(h.mip & MIP_MTIP, 0);
    usleep(2000);
    cr_assert_eq(h.mip & MIP_MTIP, 0, "MTIP changes only when re-evaluated");
    clint_update(&c);
    cr_assert_neq(h.mip & MIP_MTIP, 0);
}

Test(clint, msip_and_bad_accesses)
{
    static Hart h;
    Clint c;
    clint_init(&c, &h);
    wr(&clint_ops, &c, 0, 4, 0xffffffff);
    cr_assert_eq(rd(&clint_ops, &c, 0, 4), 1);
    cr_assert_neq(h.mip & MIP_MSIP, 0);
    wr(&clint_ops, &c, 0, 4, 0);
    cr_assert_eq(h.mip & MIP_MSIP, 0);
    uint64_t v;
    cr_assert_not(clint_ops.read(&c, 0x4002, 4, &v), "misaligned");
    cr_assert_not(clint_ops.read(&c, CLINT_SIZE, 4, &v), "outside the window");
    cr_assert_eq(rd(&clint_ops, &c, 0x4008, 8), 0, "hart 1's mtimecmp reads 0");
}

/* ---- PLIC ---- */

enum { PRIO = 0x0, PENDING = 0x1000, ENABLE = 0x2000, CTX = 0x200000 };

static void plic_setup(Plic *p, Hart *h)
{
    plic_init(p, h);
    wr(&plic_ops, p, PRIO + 4 * 10, 4, 3);
    wr(&plic_ops, p, PRIO + 4 * 1, 4, 5);
    wr(&plic_ops, p, ENABLE + 0x80 * 1, 4, (1u << 10) | (1u << 1));  /* S context */
}

Test(plic, level_source_claim_complete)
{
    static Hart h;
    Plic p;
    plic_setup(&p, &h);
    IrqLine uart = plic_irq_line(&p, 10);
    irq_set(&uart, true);
    cr_assert_eq(rd(&plic_ops, &p, PENDING, 4), 1u << 10);
    cr_assert_neq(h.mip & MIP_SEIP, 0);
    cr_assert_eq(h.mip & MIP_MEIP, 0, "not enabled for the M context");
    cr_assert_eq(rd(&plic_ops, &p, CTX + 0x1000 + 4, 4), 10);
    cr_assert_eq(h.mip & MIP_SEIP, 0, "claimed: no longer delivered");
    cr_assert_eq(rd(&plic_ops, &p, CTX + 0x1000 + 4, 4), 0, "nothing else pending");
    wr(&plic_ops, &p, CTX + 0x1000 + 4, 4, 10);  /* complete with the line still high */
    cr_assert_neq(h.mip & MIP_SEIP, 0, "level source re-pends after complete");
    irq_set(&uart, false);
    cr_assert_eq(h.mip & MIP_SEIP, 0);
    cr_assert_eq(rd(&plic_ops, &p, PENDING, 4), 0);
}

Test(plic, priority_threshold_and_order)
{
    static Hart h;
    Plic p;
    plic_setup(&p, &h);
    plic_set_irq(&p, 10, true);
    plic_set_irq(&p, 1, true);
    cr_assert_eq(rd(&plic_ops, &p, CTX + 0x1000 + 4, 4), 1, "priority 5 beats 3");
    cr_assert_eq(rd(&plic_ops, &p, CTX + 0x1000 + 4, 4), 10);
    wr(&plic_ops, &p, CTX + 0x1000 + 4, 4, 1);
    wr(&plic_ops, &p, CTX + 0x1000 + 4, 4, 10);
    wr(&plic_ops, &p, CTX + 0x1000, 4, 5);  /* threshold 5: neither is above it */
    cr_assert_eq(h.mip & MIP_SEIP, 0);
    cr_assert_eq(rd(&plic_ops, &p, CTX + 0x1000 + 4, 4), 0);
    wr(&plic_ops, &p, CTX + 0x1000, 4, 4);
    cr_assert_neq(h.mip & MIP_SEIP, 0);
    cr_assert_eq(rd(&plic_ops, &p, CTX + 0x1000, 4), 4);
    wr(&plic_ops, &p, PRIO + 4 * 1, 4, 0);  /* priority 0 never interrupts */
    cr_assert_eq(rd(&plic_ops, &p, CTX + 0x1000 + 4, 4), 0);
}

Test(plic, m_context_and_garbage)
{
    static Hart h;
    Plic p;
    plic_setup(&p, &h);
    wr(&plic_ops, &p, ENABLE, 4, 0xffffffff);
    cr_assert_eq(rd(&plic_ops, &p, ENABLE, 4), 0xfffffffe, "source 0 cannot be enabled");
    plic_set_irq(&p, 10, true);
    cr_assert_neq(h.mip & MIP_MEIP, 0);
    cr_assert_neq(h.mip & MIP_SEIP, 0);
    /* Garbage: complete of an unclaimed source, out-of-range sources and contexts. */
    wr(&plic_ops, &p, CTX + 4, 4, 10);
    wr(&plic_ops, &p, CTX + 4, 4, 9999);
    wr(&plic_ops, &p, CTX + 0x1000 * 7 + 4, 4, 1);
    wr(&plic_ops, &p, PRIO + 4 * 200, 4, 7);
    plic_set_irq(&p, 0, true);
    plic_set_irq(&p, 500, true);
    cr_assert_eq(rd(&plic_ops, &p, CTX + 4, 4), 10);
    uint64_t v;
    cr_assert_not(plic_ops.read(&p, PRIO + 2, 4, &v));
    cr_assert_not(plic_ops.write(&p, PRIO, 8, 0));
}

/* ---- UART ---- */

typedef struct Sink {
    char out[64];
    unsigned n;
    bool irq;
} Sink;

static void sink_tx(void *opaque, uint8_t ch)
{
    Sink *s = opaque;
    s->out[s->n++] = (char)ch;
}

static void sink_irq(void *opaque, unsigned n, bool level)
{
    ((Sink *)opaque)->irq = level;
}

Test(uart, transmit_and_thre_interrupt)
{
    Sink s = {0};
    Uart u;
    uart_init(&u, (IrqLine){sink_irq, &s, 10}, sink_tx, &s);
    cr_assert_eq(rd(&uart_ops, &u, 5, 1) & 0x60, 0x60, "THRE|TEMT");
    wr(&uart_ops, &u, 0, 1, 'h');
    wr(&uart_ops, &u, 0, 1, 'i');
    cr_assert_eq(s.n, 2);
    cr_assert_eq(memcmp(s.out, "hi", 2), 0);
    cr_assert_not(s.irq);
    wr(&uart_ops, &u, 1, 1, 2);  /* IER.ETBEI with THR empty: interrupt at once */
    cr_assert(s.irq);
    cr_assert_eq(rd(&uart_ops, &u, 2, 1) & 0x0f, 0x02, "IIR = THR empty");
    cr_assert_not(s.irq, "reading IIR acknowledges THRE");
    cr_assert_eq(rd(&uart_ops, &u, 2, 1) & 0x0f, 0x01, "no interrupt");
    wr(&uart_ops, &u, 0, 1, '!');
    cr_assert(s.irq, "THR empty again after the write");
}

Test(uart, receive_fifo_and_rda_interrupt)
{
    Sink s = {0};
    Uart u;
    uart_init(&u, (IrqLine){sink_irq, &s, 10}, sink_tx, &s);
    wr(&uart_ops, &u, 2, 1, 0x07);  /* FIFO on, cleared */
    cr_assert_eq(rd(&uart_ops, &u, 2, 1) & 0xc0, 0xc0, "16550A: FIFO bits in IIR");
    wr(&uart_ops, &u, 1, 1, 1);     /* IER.ERBFI */
    cr_assert_eq(uart_rx_room(&u), UART_FIFO_SIZE);
    uart_receive(&u, 'a');
    uart_receive(&u, 'b');
    cr_assert(s.irq);
    cr_assert_eq(rd(&uart_ops, &u, 2, 1) & 0x0f, 0x04);
    cr_assert_eq(rd(&uart_ops, &u, 5, 1) & 1, 1, "LSR.DR");
    cr_assert_eq(rd(&uart_ops, &u, 0, 1), 'a');
    cr_assert_eq(rd(&uart_ops, &u, 0, 1), 'b');
    cr_assert_not(s.irq);
    cr_assert_eq(rd(&uart_ops, &u, 5, 1) & 1, 0);
    for (int i = 0; i < UART_FIFO_SIZE + 3; i++)
        uart_receive(&u, (uint8_t)i);
    cr_assert_eq(rd(&uart_ops, &u, 5, 1) & 2, 2, "overrun reported");
    cr_assert_eq(rd(&uart_ops, &u, 5, 1) & 2, 0, "and cleared by the read");
}

Test(uart, divisor_scratch_loopback)
{
    Sink s = {0};
    Uart u;
    uart_init(&u, (IrqLine){sink_irq, &s, 10}, sink_tx, &s);
    wr(&uart_ops, &u, 3, 1, 0x80);
    wr(&uart_ops, &u, 0, 1, 0x01);
    wr(&uart_ops, &u, 1, 1, 0x02);
    cr_assert_eq(rd(&uart_ops, &u, 0, 1), 0x01);
    cr_assert_eq(rd(&uart_ops, &u, 1, 1), 0x02);
    wr(&uart_ops, &u, 3, 1, 0x03);
    cr_assert_eq(rd(&uart_ops, &u, 1, 1), 0, "IER again");
    wr(&uart_ops, &u, 7, 1, 0x5a);
    cr_assert_eq(rd(&uart_ops, &u, 7, 1), 0x5a);
    wr(&uart_ops, &u, 4, 1, 0x10 | 0x02);  /* loopback, RTS */
    cr_assert_eq(rd(&uart_ops, &u, 6, 1) & 0x10, 0x10, "CTS follows RTS");
    wr(&uart_ops, &u, 0, 1, 'Z');
    cr_assert_eq(s.n, 0, "looped back, not sent");
    cr_assert_eq(rd(&uart_ops, &u, 0, 1), 'Z');
    cr_assert_eq(rd(&uart_ops, &u, 0x80, 1), 0, "unused window reads 0");
    uint64_t v;
    cr_assert_not(uart_ops.read(&u, 0, 8, &v));
}

/* ---- test finisher ---- */

typedef struct Req {
    SysconAction action;
    int code, count;
} Req;

static void record(void *opaque, SysconAction action, int code)
{
    Req *r = opaque;
    r->action = action;
    r->code = code;
    r->count++;
}

Test(syscon, poweroff_reboot_fail_garbage)
{
    Req r = {0};
    Syscon s = {record, &r};
    wr(&syscon_ops, &s, 0, 4, 0x1234);
    wr(&syscon_ops, &s, 8, 4, 0x5555);
    cr_assert_eq(r.count, 0, "garbage is ignored");
    wr(&syscon_ops, &s, 0, 4, 0x5555);
    cr_assert_eq(r.action, SYSCON_POWEROFF);
    wr(&syscon_ops, &s, 0, 4, 0x7777);
    cr_assert_eq(r.action, SYSCON_REBOOT);
    wr(&syscon_ops, &s, 0, 4, (42u << 16) | 0x3333);
    cr_assert_eq(r.action, SYSCON_FAILURE);
    cr_assert_eq(r.code, 42);
    cr_assert_eq(rd(&syscon_ops, &s, 0, 4), 0);
}

/* ---- goldfish RTC ---- */

Test(rtc, time_and_alarm)
{
    Sink s = {0};
    Rtc r;
    rtc_init(&r, (IrqLine){sink_irq, &s, 11});
    uint64_t lo = rd(&rtc_ops, &r, 0x00, 4), hi = rd(&rtc_ops, &r, 0x04, 4);
    uint64_t t = hi << 32 | lo;
    cr_assert_gt(t, 1600000000ull * 1000000000ull, "ns since the epoch");
    wr(&rtc_ops, &r, 0x10, 4, 1);
    uint64_t alarm = t + 5000000;  /* 5 ms */
    wr(&rtc_ops, &r, 0x0c, 4, alarm >> 32);
    wr(&rtc_ops, &r, 0x08, 4, (uint32_t)alarm);
    cr_assert_eq(rd(&rtc_ops, &r, 0x18, 4), 1, "armed");
    cr_assert_not(s.irq);
    usleep(10000);
    rtc_poll(&r);
    cr_assert(s.irq);
    cr_assert_eq(rd(&rtc_ops, &r, 0x18, 4), 0);
    wr(&rtc_ops, &r, 0x1c, 4, 1);
    cr_assert_not(s.irq);
    /* Setting the time moves the clock. */
    wr(&rtc_ops, &r, 0x04, 4, 0);
    wr(&rtc_ops, &r, 0x00, 4, 1000);
    lo = rd(&rtc_ops, &r, 0x00, 4);
    cr_assert_eq(rd(&rtc_ops, &r, 0x04, 4), 0);
    cr_assert_lt(lo, 1000000000u);
}
