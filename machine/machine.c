/* Board assembly and the machine loop (see machine.h). The loop owns the hart: it
 * calls exec_run and handles why it returned; devices are only ever touched from
 * here (MMIO callbacks run inside exec_run on this thread), which is why none of
 * them locks. The ticker thread's only effect is hart.exit_request = 1. */
#define _GNU_SOURCE  /* ppoll */
#include "machine/machine.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec.h"
#include "frontend/priv.h"
#include "frontend/trap.h"
#include "machine/boot.h"
#include "machine/htif.h"
#include "machine/sbi.h"
#include "machine/virtio_rng.h"
#include "softmmu/mmu.h"

#define TICK_NS 1000000L          /* 1 ms: console, timers, HTIF polling period */
#define MAX_SLEEP_NS 10000000L    /* wfi sleeps at most this long between checks */

static uint64_t machine_time_now(Hart *h)
{
    Machine *m = h->env;
    return clint_mtime(&m->clint);
}

void machine_stop(Machine *m, int code)
{
    if (!m->stop)
        m->exit_code = code;
    m->stop = true;
    __atomic_store_n(&m->hart.exit_request, 1, __ATOMIC_SEQ_CST);
}

static void uart_tx(void *opaque, uint8_t ch)
{
    console_putc(opaque, ch);
}

static void syscon_request(void *opaque, SysconAction action, int code)
{
    Machine *m = opaque;
    switch (action) {
    case SYSCON_POWEROFF:
        machine_stop(m, 0);
        break;
    case SYSCON_REBOOT:
        if (!m->cfg.quiet)
            fprintf(stderr, "rvx: guest requested a reboot; rvx exits instead\n");
        machine_stop(m, 0);
        break;
    case SYSCON_FAILURE:
        machine_stop(m, code ? code : 1);
        break;
    }
}

static bool add_mmio(Machine *m, uint64_t base, uint64_t size, const MmioOps *ops, void *opaque,
                     const char *name, char *err, size_t n)
{
    if (physmem_add_mmio(&m->phys, base, size, ops, opaque, name))
        return true;
    snprintf(err, n, "cannot map device %s at 0x%llx", name, (unsigned long long)base);
    return false;
}

static bool build_board(Machine *m, char *err, size_t n)
{
    m->ram_size = m->cfg.ram_mb << 20;
    /* Untouched RAM costs nothing: the host commits pages as the guest uses them. */
    m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    m->mrom = mmap(NULL, MACHINE_MROM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m->ram == MAP_FAILED || m->mrom == MAP_FAILED) {
        if (m->ram == MAP_FAILED)
            m->ram = NULL;
        if (m->mrom == MAP_FAILED)
            m->mrom = NULL;
        snprintf(err, n, "cannot allocate %llu MiB of guest RAM: %s", (unsigned long long)m->cfg.ram_mb,
                 strerror(errno));
        return false;
    }
    if (!physmem_add_ram(&m->phys, MACHINE_RAM_BASE, m->ram_size, m->ram, "ram") ||
        !physmem_add_ram(&m->phys, MACHINE_MROM_BASE, MACHINE_MROM_SIZE, m->mrom, "mrom")) {
        snprintf(err, n, "cannot map guest RAM");
        return false;
    }
    Hart *h = &m->hart;
    h->env = m;
    h->phys = &m->phys;
    h->mmu = &system_mmu_ops;
    h->time_now = machine_time_now;

    console_init(&m->console, STDIN_FILENO, STDOUT_FILENO);
    clint_init(&m->clint, h);
    plic_init(&m->plic, h);
    uart_init(&m->uart, plic_irq_line(&m->plic, UART_IRQ), uart_tx, &m->console);
    m->syscon = (Syscon){syscon_request, m};
    rtc_init(&m->rtc, plic_irq_line(&m->plic, RTC_IRQ));
    if (!add_mmio(m, CLINT_BASE, CLINT_SIZE, &clint_ops, &m->clint, "clint", err, n) ||
        !add_mmio(m, PLIC_BASE, PLIC_SIZE, &plic_ops, &m->plic, "plic", err, n) ||
        !add_mmio(m, UART_BASE, UART_SIZE, &uart_ops, &m->uart, "uart", err, n) ||
        !add_mmio(m, SYSCON_BASE, SYSCON_SIZE, &syscon_ops, &m->syscon, "test", err, n) ||
        !add_mmio(m, RTC_BASE, RTC_SIZE, &rtc_ops, &m->rtc, "rtc", err, n))
        return false;
    for (unsigned i = 0; i < VIRTIO_MMIO_COUNT; i++) {
        virtio_mmio_init(&m->virtio[i], &m->phys, plic_irq_line(&m->plic, VIRTIO_MMIO_IRQ0 + i));
        if (!add_mmio(m, VIRTIO_MMIO_BASE + i * VIRTIO_MMIO_STRIDE, VIRTIO_MMIO_STRIDE, &virtio_mmio_ops,
                      &m->virtio[i], "virtio-mmio", err, n))
            return false;
    }
    if (m->cfg.drive) {
        if (!virtio_blk_open(&m->blk, m->cfg.drive, m->cfg.snapshot, err, n))
            return false;
        m->has_blk = true;
        virtio_blk_attach(&m->virtio[MACHINE_SLOT_BLK], &m->blk);
    }
    virtio_rng_attach(&m->virtio[MACHINE_SLOT_RNG]);
    return true;
}

static void dma_written(void *ctx, uint64_t paddr, uint64_t len)
{
    exec_dma_written(ctx, paddr, len);
}

bool machine_init(Machine *m, const MachineConfig *cfg, char *err, size_t err_len)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    if (!m->cfg.ram_mb)
        m->cfg.ram_mb = MACHINE_DEFAULT_RAM_MB;
    if (!build_board(m, err, err_len) || !boot_load(m, err, err_len)) {
        machine_destroy(m);
        return false;
    }
    exec_init(&m->hart);
    m->phys.dma_written = dma_written;
    m->phys.dma_ctx = &m->hart;
    return true;
}

bool machine_dump_dtb(const Machine *m, const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(m->fdt, 1, m->fdt_size, f) == m->fdt_size;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, err_len, "cannot write the device tree to '%s': %s", path, strerror(errno));
    return ok;
}

void machine_destroy(Machine *m)
{
    if (m->hart.exec)
        exec_destroy(&m->hart);
    if (m->has_blk)
        virtio_blk_close(&m->blk);
    m->has_blk = false;
    free(m->fdt);
    m->fdt = NULL;
    if (m->ram)
        munmap(m->ram, m->ram_size);
    if (m->mrom)
        munmap(m->mrom, MACHINE_MROM_SIZE);
    m->ram = m->mrom = NULL;
    console_flush(&m->console);
    console_restore();
}

void machine_poll(Machine *m)
{
    Console *c = &m->console;
    console_poll(c);
    while (uart_rx_room(&m->uart) && console_has_input(c))
        uart_receive(&m->uart, (uint8_t)console_getc(c));
    if (c->quit) {
        if (!m->cfg.quiet)
            fprintf(stderr, "\r\nrvx: terminated (C-a x)\r\n");
        machine_stop(m, 0);
    }
    clint_update(&m->clint);
    trap_update_sstc(&m->hart);
    rtc_poll(&m->rtc);
}

/* Nanoseconds until the earliest armed timer (mtimecmp, or stimecmp under Sstc). */
static int64_t next_deadline_ns(Machine *m)
{
    Hart *h = &m->hart;
    uint64_t now = clint_mtime(&m->clint), next = m->clint.mtimecmp;
    if ((h->menvcfg & MENVCFG_STCE) && h->stimecmp < next)
        next = h->stimecmp;
    if (next <= now)
        return 0;
    uint64_t ticks = next - now;
    uint64_t max_ticks = (uint64_t)MAX_SLEEP_NS / clint_ticks_to_ns(1);
    return ticks >= max_ticks ? MAX_SLEEP_NS : (int64_t)clint_ticks_to_ns(ticks);
}

void machine_wait(Machine *m)
{
    Hart *h = &m->hart;
    for (;;) {
        machine_poll(m);
        htif_poll(m);
        if (m->stop || (__atomic_load_n(&h->mip, __ATOMIC_SEQ_CST) & h->mie))
            return;
        int64_t ns = next_deadline_ns(m);
        if (ns == 0)
            continue;
        console_flush(&m->console);
        /* Wake early for console input only when there is room to take it. */
        struct pollfd pfd = {.fd = -1, .events = POLLIN};
        unsigned used = (m->console.in_tail - m->console.in_head + CONSOLE_IN_SIZE) % CONSOLE_IN_SIZE;
        if (m->console.in_fd >= 0 && used < CONSOLE_IN_SIZE - 1)
            pfd.fd = m->console.in_fd;
        struct timespec ts = {ns / 1000000000L, ns % 1000000000L};
        ppoll(&pfd, 1, &ts, NULL);
    }
}

static void *ticker_main(void *opaque)
{
    Machine *m = opaque;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (!__atomic_load_n(&m->stop, __ATOMIC_SEQ_CST)) {
        next.tv_nsec += TICK_NS;
        if (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        __atomic_store_n(&m->hart.exit_request, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static const char *const cause_names[] = {
    "instruction address misaligned", "instruction access fault", "illegal instruction",
    "breakpoint", "load address misaligned", "load access fault", "store address misaligned",
    "store access fault", "ecall from U-mode", "ecall from S-mode", "cause 10",
    "ecall from M-mode", "instruction page fault", "load page fault", "cause 14",
    "store page fault",
};

static const char *cause_name(uint64_t cause)
{
    return cause < sizeof cause_names / sizeof cause_names[0] ? cause_names[cause] : "unknown cause";
}

static void fatal_trap(Machine *m, const char *why)
{
    Hart *h = &m->hart;
    fprintf(stderr, "rvx: %s: %s at pc 0x%llx (tval 0x%llx, priv %u)\n", why, cause_name(h->exc.cause),
            (unsigned long long)h->pc, (unsigned long long)h->exc.tval, h->priv);
    machine_stop(m, 1);
}

static void handle_exception(Machine *m)
{
    Hart *h = &m->hart;
    uint64_t cause = h->exc.cause, tval = h->exc.tval;
    if (m->mode == BOOT_BUILTIN_SBI) {
        if (cause == RV_EXC_ECALL_S) {
            sbi_ecall(m);
            return;
        }
        /* Without firmware nothing in M-mode could handle a trap that is not
         * delegated: report it instead of jumping to mtvec = 0. */
        if (!(h->priv <= RV_PRIV_S && ((h->medeleg >> cause) & 1))) {
            fatal_trap(m, "unhandled trap to M-mode (no firmware)");
            return;
        }
    }
    /* The same exception at the same pc with no instruction retired in between is
     * a trap loop (e.g. a handler address that faults itself): stop. */
    if (h->pc == m->last_exc_pc && cause == m->last_exc_cause && h->instret == m->last_exc_instret) {
        fatal_trap(m, "guest is stuck in a trap loop");
        return;
    }
    m->last_exc_pc = h->pc;
    m->last_exc_cause = cause;
    m->last_exc_instret = h->instret;
    trap_enter(h, cause, tval, false);
}

int machine_run(Machine *m)
{
    Hart *h = &m->hart;
    if (pthread_create(&m->ticker, NULL, ticker_main, m) != 0) {
        fprintf(stderr, "rvx: cannot start the timer thread\n");
        return 1;
    }
    while (!m->stop) {
        switch (exec_run(h)) {
        case EXEC_STOP_EXCEPTION:
            handle_exception(m);
            break;
        case EXEC_STOP_WFI:
            machine_wait(m);
            break;
        case EXEC_STOP_EXIT_REQUEST:
            break;
        }
        if (h->exit_request) {
            __atomic_store_n(&h->exit_request, 0, __ATOMIC_SEQ_CST);
            machine_poll(m);
        }
        htif_poll(m);
    }
    __atomic_store_n(&m->stop, true, __ATOMIC_SEQ_CST);
    pthread_join(m->ticker, NULL);
    console_flush(&m->console);
    return m->exit_code;
}
