/* Goldfish RTC registers (see rtc.h); the layout is that of the Android goldfish
 * device (Linux drivers/rtc/rtc-goldfish.c): all 32-bit. */
#include "machine/rtc.h"

#include <time.h>

enum {
    REG_TIME_LOW = 0x00, REG_TIME_HIGH = 0x04, REG_ALARM_LOW = 0x08, REG_ALARM_HIGH = 0x0c,
    REG_IRQ_ENABLED = 0x10, REG_CLEAR_ALARM = 0x14, REG_ALARM_STATUS = 0x18,
    REG_CLEAR_INTERRUPT = 0x1c,
};

static uint64_t now_ns(const Rtc *r)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + (uint64_t)r->offset_ns;
}

static void update_irq(Rtc *r)
{
    irq_set(&r->irq, r->irq_pending && r->irq_enabled);
}

void rtc_init(Rtc *r, IrqLine irq)
{
    *r = (Rtc){.irq = irq};
    update_irq(r);
}

void rtc_poll(Rtc *r)
{
    if (r->alarm_armed && now_ns(r) >= r->alarm_ns) {
        r->alarm_armed = false;
        r->irq_pending = true;
        update_irq(r);
    }
}

static bool rtc_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
    Rtc *r = opaque;
    if (size != 4 || (off & 3))
        return false;
    switch (off) {
    case REG_TIME_LOW: {
        uint64_t t = now_ns(r);
        r->time_high = (uint32_t)(t >> 32);
        *value = (uint32_t)t;
        break;
    }
    case REG_TIME_HIGH: *value = r->time_high; break;
    case REG_ALARM_LOW: *value = (uint32_t)r->alarm_ns; break;
    case REG_ALARM_HIGH: *value = (uint32_t)(r->alarm_ns >> 32); break;
    case REG_IRQ_ENABLED: *value = r->irq_enabled; break;
    case REG_ALARM_STATUS: *value = r->alarm_armed; break;
    default: *value = 0; break;
    }
    return true;
}

static bool rtc_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
    Rtc *r = opaque;
    if (size != 4 || (off & 3))
        return false;
    uint32_t v = (uint32_t)value;
    switch (off) {
    case REG_TIME_LOW: {
        uint64_t want = ((uint64_t)r->set_high << 32) | v;
        r->offset_ns += (int64_t)(want - now_ns(r));
        break;
    }
    case REG_TIME_HIGH: r->set_high = v; break;
    case REG_ALARM_LOW:
        r->alarm_ns = ((uint64_t)r->alarm_high << 32) | v;
        r->alarm_armed = true;
        rtc_poll(r);
        break;
    case REG_ALARM_HIGH: r->alarm_high = v; break;
    case REG_IRQ_ENABLED: r->irq_enabled = v & 1; break;
    case REG_CLEAR_ALARM: r->alarm_armed = false; break;
    case REG_CLEAR_INTERRUPT: r->irq_pending = false; break;
    default: break;
    }
    update_irq(r);
    return true;
}

const MmioOps rtc_ops = {rtc_read, rtc_write};
