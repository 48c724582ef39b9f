/* Goldfish RTC at QEMU virt's 0x101000, PLIC source 11: wall-clock time in ns since
 * the Unix epoch (host CLOCK_REALTIME plus an offset the guest may set) and one
 * alarm. The alarm is checked by rtc_poll, which the machine calls on every timer
 * tick, so it fires within a tick of its deadline. Machine thread only. */
#ifndef RVX_MACHINE_RTC_H
#define RVX_MACHINE_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/irq.h"
#include "softmmu/physmem.h"

#define RTC_BASE 0x101000ull
#define RTC_SIZE 0x1000ull
#define RTC_IRQ 11

typedef struct Rtc {
    IrqLine irq;
    int64_t offset_ns;        /* guest time = host realtime + offset */
    uint32_t time_high;       /* latched by a TIME_LOW read */
    uint32_t alarm_high;      /* written before ALARM_LOW */
    uint32_t set_high;        /* written before TIME_LOW */
    uint64_t alarm_ns;
    bool alarm_armed, irq_enabled, irq_pending;
} Rtc;

extern const MmioOps rtc_ops;

void rtc_init(Rtc *r, IrqLine irq);
void rtc_poll(Rtc *r);

#endif
