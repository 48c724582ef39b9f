/* Device tree construction (see fdt.h) with libfdt's sequential-write API: nodes are
 * emitted in one pass in QEMU's order (virtio transports highest address first, so
 * Linux numbers them like on QEMU: the disk on the last slot becomes vda). Errors
 * from libfdt accumulate in one variable and are checked once at the end, because
 * every call fails the same way (buffer too small, which the fixed budget rules out). */
#include "machine/fdt.h"

#include <libfdt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "machine/clint.h"
#include "machine/plic.h"
#include "machine/rtc.h"
#include "machine/syscon.h"
#include "machine/uart.h"
#include "machine/virtio_mmio.h"

enum { PHANDLE_CPU = 1, PHANDLE_INTC = 2, PHANDLE_PLIC = 3, PHANDLE_TEST = 4 };
enum { FDT_BUDGET = 64 * 1024 };

typedef struct Builder {
    void *fdt;
    int err;
} Builder;

static void chk(Builder *b, int r)
{
    if (r < 0 && !b->err)
        b->err = r;
}

static void begin(Builder *b, const char *fmt, uint64_t addr)
{
    char name[64];
    snprintf(name, sizeof name, fmt, (unsigned long long)addr);
    chk(b, fdt_begin_node(b->fdt, name));
}

static void end(Builder *b) { chk(b, fdt_end_node(b->fdt)); }
static void prop_u32(Builder *b, const char *n, uint32_t v) { chk(b, fdt_property_u32(b->fdt, n, v)); }
static void prop_u64(Builder *b, const char *n, uint64_t v) { chk(b, fdt_property_u64(b->fdt, n, v)); }
static void prop_str(Builder *b, const char *n, const char *v) { chk(b, fdt_property_string(b->fdt, n, v)); }
static void prop_empty(Builder *b, const char *n) { chk(b, fdt_property(b->fdt, n, NULL, 0)); }

/* A property of big-endian 32-bit cells. */
static void prop_cells(Builder *b, const char *n, const uint32_t *cells, unsigned count)
{
    fdt32_t be[16];
    for (unsigned i = 0; i < count; i++)
        be[i] = cpu_to_fdt32(cells[i]);
    chk(b, fdt_property(b->fdt, n, be, (int)(count * sizeof be[0])));
}

/* A string list: the strings separated by NULs. */
static void prop_strlist(Builder *b, const char *n, const char *const *strs, unsigned count)
{
    char buf[256];
    size_t len = 0;
    for (unsigned i = 0; i < count; i++) {
        size_t l = strlen(strs[i]) + 1;
        if (len + l > sizeof buf) {
            chk(b, -FDT_ERR_NOSPACE);
            return;
        }
        memcpy(buf + len, strs[i], l);
        len += l;
    }
    chk(b, fdt_property(b->fdt, n, buf, (int)len));
}

static void prop_reg(Builder *b, uint64_t base, uint64_t size)
{
    uint32_t cells[4] = {(uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32), (uint32_t)size};
    prop_cells(b, "reg", cells, 4);
}

/* riscv,isa-extensions from the riscv,isa string: single letters after "rv64",
 * then each '_'-separated multi-letter extension. */
static void prop_isa_extensions(Builder *b, const char *isa)
{
    char buf[512];
    size_t len = 0;
    const char *p = isa + 4;  /* past "rv64" */
    for (; *p && *p != '_'; p++) {
        if (len + 2 > sizeof buf)
            goto nospace;
        buf[len++] = *p;
        buf[len++] = '\0';
    }
    while (*p == '_') {
        const char *start = ++p;
        while (*p && *p != '_')
            p++;
        size_t l = (size_t)(p - start);
        if (len + l + 1 > sizeof buf)
            goto nospace;
        memcpy(buf + len, start, l);
        len += l;
        buf[len++] = '\0';
    }
    chk(b, fdt_property(b->fdt, "riscv,isa-extensions", buf, (int)len));
    return;
nospace:
    chk(b, -FDT_ERR_NOSPACE);
}

static void cpus(Builder *b, const FdtConfig *cfg, const char *isa)
{
    chk(b, fdt_begin_node(b->fdt, "cpus"));
    prop_u32(b, "#address-cells", 1);
    prop_u32(b, "#size-cells", 0);
    prop_u32(b, "timebase-frequency", (uint32_t)CLINT_FREQ_HZ);
    chk(b, fdt_begin_node(b->fdt, "cpu@0"));
    prop_u32(b, "phandle", PHANDLE_CPU);
    prop_str(b, "device_type", "cpu");
    prop_u32(b, "reg", 0);
    prop_str(b, "status", "okay");
    prop_str(b, "compatible", "riscv");
    prop_str(b, "riscv,isa", isa);
    prop_str(b, "riscv,isa-base", "rv64i");
    prop_isa_extensions(b, isa);
    prop_str(b, "mmu-type", cfg->mmu_type ? cfg->mmu_type : "riscv,sv57");
    if (strstr(isa, "_zicbom"))
        prop_u32(b, "riscv,cbom-block-size", FDT_CBO_BLOCK);
    if (strstr(isa, "_zicboz"))
        prop_u32(b, "riscv,cboz-block-size", FDT_CBO_BLOCK);
    chk(b, fdt_begin_node(b->fdt, "interrupt-controller"));
    prop_u32(b, "#address-cells", 0);  /* interrupt-map users need it; dtc warns without */
    prop_u32(b, "#interrupt-cells", 1);
    prop_empty(b, "interrupt-controller");
    prop_str(b, "compatible", "riscv,cpu-intc");
    prop_u32(b, "phandle", PHANDLE_INTC);
    end(b);
    end(b);  /* cpu@0 */
    chk(b, fdt_begin_node(b->fdt, "cpu-map"));
    chk(b, fdt_begin_node(b->fdt, "cluster0"));
    chk(b, fdt_begin_node(b->fdt, "core0"));
    prop_u32(b, "cpu", PHANDLE_CPU);
    end(b);
    end(b);
    end(b);
    end(b);  /* cpus */
}

static void device_irq(Builder *b, uint32_t irq)
{
    prop_u32(b, "interrupts", irq);
    prop_u32(b, "interrupt-parent", PHANDLE_PLIC);
}

static void soc(Builder *b)
{
    chk(b, fdt_begin_node(b->fdt, "soc"));
    prop_u32(b, "#address-cells", 2);
    prop_u32(b, "#size-cells", 2);
    prop_str(b, "compatible", "simple-bus");
    prop_empty(b, "ranges");

    begin(b, "rtc@%llx", RTC_BASE);
    device_irq(b, RTC_IRQ);
    prop_reg(b, RTC_BASE, RTC_SIZE);
    prop_str(b, "compatible", "google,goldfish-rtc");
    end(b);

    begin(b, "serial@%llx", UART_BASE);
    device_irq(b, UART_IRQ);
    prop_u32(b, "clock-frequency", UART_CLOCK_HZ);
    prop_reg(b, UART_BASE, UART_SIZE);
    prop_str(b, "compatible", "ns16550a");
    end(b);

    begin(b, "test@%llx", SYSCON_BASE);
    prop_u32(b, "phandle", PHANDLE_TEST);
    prop_reg(b, SYSCON_BASE, SYSCON_SIZE);
    static const char *const test_compat[] = {"sifive,test1", "sifive,test0", "syscon"};
    prop_strlist(b, "compatible", test_compat, 3);
    end(b);

    for (int i = VIRTIO_MMIO_COUNT - 1; i >= 0; i--) {
        uint64_t base = VIRTIO_MMIO_BASE + (uint64_t)i * VIRTIO_MMIO_STRIDE;
        begin(b, "virtio_mmio@%llx", base);
        device_irq(b, VIRTIO_MMIO_IRQ0 + (uint32_t)i);
        prop_reg(b, base, VIRTIO_MMIO_STRIDE);
        prop_str(b, "compatible", "virtio,mmio");
        end(b);
    }

    begin(b, "plic@%llx", PLIC_BASE);
    prop_u32(b, "phandle", PHANDLE_PLIC);
    prop_u32(b, "riscv,ndev", PLIC_NSOURCES - 1);
    prop_reg(b, PLIC_BASE, PLIC_SIZE);
    /* Context 0 = M external (cause 11), context 1 = S external (cause 9). */
    static const uint32_t plic_irqs[] = {PHANDLE_INTC, 11, PHANDLE_INTC, 9};
    prop_cells(b, "interrupts-extended", plic_irqs, 4);
    prop_empty(b, "interrupt-controller");
    static const char *const plic_compat[] = {"sifive,plic-1.0.0", "riscv,plic0"};
    prop_strlist(b, "compatible", plic_compat, 2);
    prop_u32(b, "#address-cells", 0);
    prop_u32(b, "#interrupt-cells", 1);
    end(b);

    begin(b, "clint@%llx", CLINT_BASE);
    static const uint32_t clint_irqs[] = {PHANDLE_INTC, 3, PHANDLE_INTC, 7};
    prop_cells(b, "interrupts-extended", clint_irqs, 4);
    prop_reg(b, CLINT_BASE, CLINT_SIZE);
    static const char *const clint_compat[] = {"sifive,clint0", "riscv,clint0"};
    prop_strlist(b, "compatible", clint_compat, 2);
    end(b);

    end(b);  /* soc */
}

static void syscon_node(Builder *b, const char *name, const char *compat, uint32_t value)
{
    chk(b, fdt_begin_node(b->fdt, name));
    prop_u32(b, "value", value);
    prop_u32(b, "offset", 0);
    prop_u32(b, "regmap", PHANDLE_TEST);
    prop_str(b, "compatible", compat);
    end(b);
}

void *fdt_build(const FdtConfig *cfg, size_t *size, char *err, size_t err_len)
{
    const char *isa = cfg->isa ? cfg->isa : FDT_DEFAULT_ISA;
    Builder b = {.fdt = malloc(FDT_BUDGET)};
    if (!b.fdt) {
        snprintf(err, err_len, "out of memory for the device tree");
        return NULL;
    }
    chk(&b, fdt_create(b.fdt, FDT_BUDGET));
    chk(&b, fdt_finish_reservemap(b.fdt));
    chk(&b, fdt_begin_node(b.fdt, ""));
    prop_u32(&b, "#address-cells", 2);
    prop_u32(&b, "#size-cells", 2);
    prop_str(&b, "compatible", "riscv-virtio");
    prop_str(&b, "model", "riscv-virtio,rvx");

    chk(&b, fdt_begin_node(b.fdt, "chosen"));
    if (cfg->bootargs)
        prop_str(&b, "bootargs", cfg->bootargs);
    char stdout_path[64];
    snprintf(stdout_path, sizeof stdout_path, "/soc/serial@%llx", (unsigned long long)UART_BASE);
    prop_str(&b, "stdout-path", stdout_path);
    if (cfg->initrd_end > cfg->initrd_start) {
        prop_u64(&b, "linux,initrd-start", cfg->initrd_start);
        prop_u64(&b, "linux,initrd-end", cfg->initrd_end);
    }
    /* Seeds the guest's RNG at once, so early boot never waits for entropy. */
    uint8_t seed[32];
    if (getrandom(seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed)
        chk(&b, fdt_property(b.fdt, "rng-seed", seed, sizeof seed));
    end(&b);

    syscon_node(&b, "poweroff", "syscon-poweroff", SYSCON_PASS);
    syscon_node(&b, "reboot", "syscon-reboot", SYSCON_RESET);

    begin(&b, "memory@%llx", cfg->ram_base);
    prop_str(&b, "device_type", "memory");
    prop_reg(&b, cfg->ram_base, cfg->ram_size);
    end(&b);

    cpus(&b, cfg, isa);
    soc(&b);
    end(&b);  /* root */
    chk(&b, fdt_finish(b.fdt));
    if (!b.err)
        chk(&b, fdt_pack(b.fdt));
    if (b.err) {
        snprintf(err, err_len, "building the device tree failed: %s", fdt_strerror(b.err));
        free(b.fdt);
        return NULL;
    }
    *size = fdt_totalsize(b.fdt);
    return b.fdt;
}
