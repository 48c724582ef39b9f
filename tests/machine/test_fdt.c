/* The generated device tree, read back with libfdt: the nodes and properties Linux
 * and OpenSBI look for, with QEMU virt's interrupt wiring. */
#define _GNU_SOURCE  /* memmem */
#include <criterion/criterion.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/fdt.h"

static void *build(const char *bootargs, uint64_t initrd_start, uint64_t initrd_end)
{
    FdtConfig cfg = {.ram_base = 0x80000000, .ram_size = 256ull << 20, .bootargs = bootargs,
                     .initrd_start = initrd_start, .initrd_end = initrd_end};
    size_t size;
    char err[128];
    void *fdt = fdt_build(&cfg, &size, err, sizeof err);
    cr_assert(fdt, "%s", err);
    cr_assert_eq(fdt_check_header(fdt), 0);
    cr_assert_eq(fdt_totalsize(fdt), size);
    return fdt;
}

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
    int node = fdt_path_offset(fdt, path);
    cr_assert_geq(node, 0, "no node %s", path);
    const void *p = fdt_getprop(fdt, node, name, len);
    cr_assert(p, "no %s in %s", name, path);
    return p;
}

static uint32_t cell(const void *p, int i) { return fdt32_to_cpu(((const fdt32_t *)p)[i]); }

Test(fdt, cpu_isa_and_timebase)
{
    void *fdt = build(NULL, 0, 0);
    int len;
    cr_assert_str_eq(prop(fdt, "/cpus/cpu@0", "riscv,isa", &len), FDT_DEFAULT_ISA);
    cr_assert_str_eq(prop(fdt, "/cpus/cpu@0", "riscv,isa-base", &len), "rv64i");
    cr_assert_str_eq(prop(fdt, "/cpus/cpu@0", "mmu-type", &len), "riscv,sv57");
    const char *ext = prop(fdt, "/cpus/cpu@0", "riscv,isa-extensions", &len);
    cr_assert_str_eq(ext, "i");
    cr_assert(memmem(ext, (size_t)len, "\0zicsr\0", 7), "zicsr listed");
    cr_assert(memmem(ext, (size_t)len, "\0sstc\0", 6), "sstc listed");
    cr_assert_eq(ext[len - 1], '\0');
    cr_assert_eq(cell(prop(fdt, "/cpus", "timebase-frequency", &len), 0), 10000000);
    cr_assert_eq(cell(prop(fdt, "/cpus/cpu@0", "riscv,cboz-block-size", &len), 0), FDT_CBO_BLOCK);
    cr_assert_str_eq(prop(fdt, "/cpus/cpu@0/interrupt-controller", "compatible", &len), "riscv,cpu-intc");
    free(fdt);
}

Test(fdt, memory_and_chosen)
{
    void *fdt = build("console=ttyS0", 0x8f000000, 0x8f100000);
    int len;
    const void *reg = prop(fdt, "/memory@80000000", "reg", &len);
    cr_assert_eq(len, 16);
    cr_assert_eq(cell(reg, 1), 0x80000000);
    cr_assert_eq(cell(reg, 3), 256u << 20);
    cr_assert_str_eq(prop(fdt, "/chosen", "bootargs", &len), "console=ttyS0");
    cr_assert_str_eq(prop(fdt, "/chosen", "stdout-path", &len), "/soc/serial@10000000");
    cr_assert_eq(fdt64_to_cpu(*(const fdt64_t *)prop(fdt, "/chosen", "linux,initrd-start", &len)), 0x8f000000);
    cr_assert_eq(fdt64_to_cpu(*(const fdt64_t *)prop(fdt, "/chosen", "linux,initrd-end", &len)), 0x8f100000);
    prop(fdt, "/chosen", "rng-seed", &len);
    cr_assert_eq(len, 32);
    free(fdt);
}

Test(fdt, no_initrd_no_bootargs)
{
    void *fdt = build(NULL, 0, 0);
    int node = fdt_path_offset(fdt, "/chosen");
    cr_assert_null(fdt_getprop(fdt, node, "linux,initrd-start", NULL));
    cr_assert_null(fdt_getprop(fdt, node, "bootargs", NULL));
    free(fdt);
}

Test(fdt, interrupt_wiring_like_qemu_virt)
{
    void *fdt = build(NULL, 0, 0);
    int len;
    int plic = fdt_path_offset(fdt, "/soc/plic@c000000");
    cr_assert_geq(plic, 0);
    uint32_t plic_phandle = fdt_get_phandle(fdt, plic);
    int intc = fdt_path_offset(fdt, "/cpus/cpu@0/interrupt-controller");
    uint32_t intc_phandle = fdt_get_phandle(fdt, intc);
    const void *ie = prop(fdt, "/soc/plic@c000000", "interrupts-extended", &len);
    cr_assert_eq(len, 16);
    cr_assert_eq(cell(ie, 0), intc_phandle);
    cr_assert_eq(cell(ie, 1), 11, "context 0 = M external");
    cr_assert_eq(cell(ie, 3), 9, "context 1 = S external");
    cr_assert_eq(cell(prop(fdt, "/soc/plic@c000000", "riscv,ndev", &len), 0), 95);
    ie = prop(fdt, "/soc/clint@2000000", "interrupts-extended", &len);
    cr_assert_eq(cell(ie, 1), 3);
    cr_assert_eq(cell(ie, 3), 7);
    cr_assert_eq(cell(prop(fdt, "/soc/serial@10000000", "interrupts", &len), 0), 10);
    cr_assert_eq(cell(prop(fdt, "/soc/serial@10000000", "interrupt-parent", &len), 0), plic_phandle);
    cr_assert_eq(cell(prop(fdt, "/soc/rtc@101000", "interrupts", &len), 0), 11);
    for (int i = 0; i < 8; i++) {
        char path[64];
        snprintf(path, sizeof path, "/soc/virtio_mmio@%x", 0x10001000 + i * 0x1000);
        cr_assert_eq(cell(prop(fdt, path, "interrupts", &len), 0), (uint32_t)(1 + i));
        cr_assert_str_eq(prop(fdt, path, "compatible", &len), "virtio,mmio");
    }
    int test = fdt_path_offset(fdt, "/soc/test@100000");
    cr_assert_eq(fdt_node_check_compatible(fdt, test, "syscon"), 0);
    cr_assert_eq(cell(prop(fdt, "/poweroff", "regmap", &len), 0), fdt_get_phandle(fdt, test));
    cr_assert_eq(cell(prop(fdt, "/poweroff", "value", &len), 0), 0x5555);
    cr_assert_eq(cell(prop(fdt, "/reboot", "value", &len), 0), 0x7777);
    free(fdt);
}
