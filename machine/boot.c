/* Boot loading (see boot.h). The RISC-V Image header (Linux Documentation/arch/riscv/
 * boot-image-header.rst): code0/code1, text_offset @0x08, image_size @0x10,
 * flags @0x18, version @0x20, magic "RISCV\0\0\0" @0x30, magic2 "RSC\x05" @0x38.
 * fw_dynamic_info: OpenSBI include/sbi/fw_dynamic.h (version 2). */
#include "machine/boot.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/trap.h"
#include "machine/fdt.h"
#include "machine/sbi.h"

#define MiB (1024ull * 1024)
#define KERNEL_DEFAULT_OFFSET (2 * MiB)
#define FDT_ALIGN (2 * MiB)
#define FDT_SLACK 4096          /* room for firmware fixups (OpenSBI adds nodes) */
#define FDT_MAX (64 * 1024 + FDT_SLACK)
#define FW_DYNAMIC_MAGIC 0x4942534full
#define FW_DYNAMIC_NEXT_MODE_S 1

typedef struct FileBuf {
    uint8_t *data;
    size_t size;
} FileBuf;

static bool read_file(const char *what, const char *path, FileBuf *f, char *err, size_t n)
{
    f->data = NULL;
    f->size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, n, "cannot read %s '%s': %s", what, path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0) {
        snprintf(err, n, "%s '%s' is %s", what, path, S_ISREG(st.st_mode) ? "empty" : "not a regular file");
        close(fd);
        return false;
    }
    f->size = (size_t)st.st_size;
    f->data = malloc(f->size);
    size_t got = 0;
    while (f->data && got < f->size) {
        ssize_t r = read(fd, f->data + got, f->size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!f->data || got != f->size) {
        snprintf(err, n, "cannot read %s '%s': %s", what, path, f->data ? "short read" : "out of memory");
        free(f->data);
        f->data = NULL;
        return false;
    }
    return true;
}

static bool is_elf(const FileBuf *f)
{
    return f->size >= 4 && memcmp(f->data, "\177ELF", 4) == 0;
}

/* Copies bytes into guest RAM; false when [addr, addr+len) is not all RAM. */
static bool put(Machine *m, uint64_t addr, const void *src, size_t len)
{
    uint8_t *p = physmem_ram_ptr(&m->phys, addr, len);
    if (!p)
        return false;
    memcpy(p, src, len);
    return true;
}

typedef struct ElfInfo {
    uint64_t entry, end;        /* end: highest loaded physical address */
    uint64_t tohost, fromhost;
} ElfInfo;

static void elf_symbols(Elf *e, ElfInfo *info)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t count = d ? d->d_size / sh.sh_entsize : 0;
        for (size_t i = 0; i < count; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(d, (int)i, &sym))
                continue;
            const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
            if (name && !strcmp(name, "tohost"))
                info->tohost = sym.st_value;
            else if (name && !strcmp(name, "fromhost"))
                info->fromhost = sym.st_value;
        }
    }
}

static bool load_elf(Machine *m, const char *what, const char *path, const FileBuf *f,
                     ElfInfo *info, char *err, size_t n)
{
    memset(info, 0, sizeof *info);
    elf_version(EV_CURRENT);
    Elf *e = elf_memory((char *)f->data, f->size);
    GElf_Ehdr eh;
    size_t phnum = 0;
    bool ok = false;
    if (!e || !gelf_getehdr(e, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_machine != EM_RISCV || elf_getphdrnum(e, &phnum) != 0) {
        snprintf(err, n, "%s '%s' is not a riscv64 ELF file", what, path);
        goto out;
    }
    unsigned loaded = 0;
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph)) {
            snprintf(err, n, "%s '%s': corrupt program header %zu", what, path, i);
            goto out;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > f->size || ph.p_filesz > f->size - ph.p_offset) {
            snprintf(err, n, "%s '%s': corrupt segment %zu (outside the file)", what, path, i);
            goto out;
        }
        uint8_t *dst = physmem_ram_ptr(&m->phys, ph.p_paddr, ph.p_memsz);
        if (!dst) {
            snprintf(err, n, "%s '%s': segment at 0x%llx..0x%llx is outside RAM (0x%llx..0x%llx; try -m)",
                     what, path, (unsigned long long)ph.p_paddr,
                     (unsigned long long)(ph.p_paddr + ph.p_memsz), (unsigned long long)MACHINE_RAM_BASE,
                     (unsigned long long)(MACHINE_RAM_BASE + m->ram_size));
            goto out;
        }
        memcpy(dst, f->data + ph.p_offset, ph.p_filesz);
        memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
        if (ph.p_paddr + ph.p_memsz > info->end)
            info->end = ph.p_paddr + ph.p_memsz;
        loaded++;
    }
    if (!loaded) {
        snprintf(err, n, "%s '%s' has no loadable segment", what, path);
        goto out;
    }
    info->entry = eh.e_entry;
    elf_symbols(e, info);
    ok = true;
out:
    if (e)
        elf_end(e);
    return ok;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* A flat Image: checks the header and loads it at RAM + text_offset. */
static bool load_image(Machine *m, const char *path, const FileBuf *f, uint64_t *entry,
                       uint64_t *end, char *err, size_t n)
{
    if (f->size >= 2 && f->data[0] == 0x1f && f->data[1] == 0x8b) {
        snprintf(err, n, "kernel '%s' is gzip-compressed: decompress it first (gunzip)", path);
        return false;
    }
    if (f->size < 64 || memcmp(f->data + 0x38, "RSC\x05", 4) != 0) {
        snprintf(err, n, "kernel '%s' is neither a RISC-V Image (no \"RSC\\x05\" magic at 0x38) "
                 "nor a riscv64 ELF", path);
        return false;
    }
    uint64_t text_offset = le64(f->data + 0x08), image_size = le64(f->data + 0x10);
    if (text_offset == 0 && m->mode == BOOT_FIRMWARE)
        text_offset = KERNEL_DEFAULT_OFFSET;  /* an M-mode-style Image: keep off the firmware */
    uint64_t size = image_size > f->size ? image_size : f->size;
    uint64_t load = MACHINE_RAM_BASE + text_offset;
    if (text_offset >= m->ram_size || size > m->ram_size - text_offset) {
        snprintf(err, n, "kernel '%s' (%llu MiB at offset 0x%llx) does not fit in RAM (-m %llu)", path,
                 (unsigned long long)(size / MiB), (unsigned long long)text_offset,
                 (unsigned long long)(m->ram_size / MiB));
        return false;
    }
    put(m, load, f->data, f->size);
    *entry = load;
    *end = load + size;
    return true;
}

static bool initrd_magic_ok(const FileBuf *f)
{
    static const struct { const char *magic; size_t len; } known[] = {
        {"070701", 6}, {"070702", 6}, {"\x1f\x8b", 2}, {"\xfd" "7zXZ", 5}, {"\x28\xb5\x2f\xfd", 4},
        {"\x02\x21\x4c\x18", 4}, {"BZh", 3}, {"\x5d\x00\x00", 3}, {"\x89LZO", 4},
    };
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
        if (f->size >= known[i].len && memcmp(f->data, known[i].magic, known[i].len) == 0)
            return true;
    return false;
}

/* fw_dynamic_info in the mrom: OpenSBI jumps to next_addr in S-mode. */
static void put_fw_dynamic_info(Machine *m, uint64_t next_addr)
{
    uint64_t info[6] = {FW_DYNAMIC_MAGIC, 2, next_addr, FW_DYNAMIC_NEXT_MODE_S, 0, UINT64_MAX};
    memcpy(m->mrom, info, sizeof info);
}

bool boot_load(Machine *m, char *err, size_t n)
{
    const MachineConfig *c = &m->cfg;
    bool ok = false;
    FileBuf fw = {0}, kernel = {0}, initrd = {0};
    ElfInfo fw_elf = {0}, k_elf = {0};
    uint64_t fw_entry = MACHINE_RAM_BASE, k_entry = 0, k_end = MACHINE_RAM_BASE;
    bool no_fw = c->firmware && !strcmp(c->firmware, "none");
    const char *fw_path = c->firmware ? c->firmware : MACHINE_DEFAULT_FIRMWARE;

    if (c->kernel && !read_file("kernel", c->kernel, &kernel, err, n))
        goto out;
    if (!no_fw && !read_file("firmware", fw_path, &fw, err, n))
        goto out;
    if (c->initrd && !read_file("initrd", c->initrd, &initrd, err, n))
        goto out;
    if (c->initrd && !initrd_magic_ok(&initrd)) {
        snprintf(err, n, "initrd '%s' is not an initramfs (cpio, or cpio compressed with gzip, xz, "
                 "zstd, lz4, bzip2, lzma or lzo)", c->initrd);
        goto out;
    }
    if (no_fw && !c->kernel) {
        snprintf(err, n, "--bios none needs --kernel");
        goto out;
    }
    if (!no_fw)
        m->mode = BOOT_FIRMWARE;
    else
        m->mode = is_elf(&kernel) ? BOOT_BARE_METAL : BOOT_BUILTIN_SBI;

    /* Firmware first, so a kernel overlapping it is caught by the layout check. */
    if (m->mode == BOOT_FIRMWARE) {
        if (is_elf(&fw)) {
            if (!load_elf(m, "firmware", fw_path, &fw, &fw_elf, err, n))
                goto out;
            fw_entry = fw_elf.entry;
        } else if (fw.size > KERNEL_DEFAULT_OFFSET || !put(m, MACHINE_RAM_BASE, fw.data, fw.size)) {
            snprintf(err, n, "firmware '%s' is larger than the 2 MiB below the kernel", fw_path);
            goto out;
        }
    }
    if (c->kernel) {
        if (is_elf(&kernel)) {
            if (!load_elf(m, "kernel", c->kernel, &kernel, &k_elf, err, n))
                goto out;
            k_entry = k_elf.entry;
            k_end = k_elf.end;
        } else if (!load_image(m, c->kernel, &kernel, &k_entry, &k_end, err, n)) {
            goto out;
        }
    }
    if (fw_elf.end > k_end)
        k_end = fw_elf.end;

    /* FDT at the top of RAM, the initrd right below it. */
    uint64_t ram_end = MACHINE_RAM_BASE + m->ram_size;
    m->fdt_addr = (ram_end - FDT_MAX) & ~(FDT_ALIGN - 1);
    uint64_t initrd_start = 0, initrd_end = 0;
    if (c->initrd) {
        initrd_start = (m->fdt_addr - initrd.size) & ~4095ull;
        initrd_end = initrd_start + initrd.size;
        if (initrd.size > m->fdt_addr - MACHINE_RAM_BASE || initrd_start < k_end) {
            snprintf(err, n, "not enough RAM for kernel and initrd (%llu MiB); raise -m",
                     (unsigned long long)(m->ram_size / MiB));
            goto out;
        }
        put(m, initrd_start, initrd.data, initrd.size);
    }
    if (k_end > m->fdt_addr) {
        snprintf(err, n, "not enough RAM for the kernel and the device tree; raise -m");
        goto out;
    }
    FdtConfig fc = {
        .ram_base = MACHINE_RAM_BASE, .ram_size = m->ram_size, .bootargs = c->append,
        .initrd_start = initrd_start, .initrd_end = initrd_end,
    };
    size_t fdt_size;
    void *fdt = fdt_build(&fc, &fdt_size, err, n);
    if (!fdt)
        goto out;
    m->fdt = malloc(fdt_size + FDT_SLACK);
    if (!m->fdt || fdt_open_into(fdt, m->fdt, (int)(fdt_size + FDT_SLACK)) != 0) {
        free(fdt);
        snprintf(err, n, "out of memory for the device tree");
        goto out;
    }
    free(fdt);
    m->fdt_size = fdt_size + FDT_SLACK;
    put(m, m->fdt_addr, m->fdt, m->fdt_size);

    Hart *h = &m->hart;
    switch (m->mode) {
    case BOOT_FIRMWARE:
        put_fw_dynamic_info(m, c->kernel ? k_entry : MACHINE_RAM_BASE + KERNEL_DEFAULT_OFFSET);
        hart_reset_system(h, 0, fw_entry);
        h->x[10] = 0;
        h->x[11] = m->fdt_addr;
        h->x[12] = MACHINE_MROM_BASE;
        m->tohost = fw_elf.tohost;
        m->fromhost = fw_elf.fromhost;
        break;
    case BOOT_BUILTIN_SBI:
        sbi_enter_kernel(m, k_entry);
        break;
    case BOOT_BARE_METAL:
        hart_reset_system(h, 0, k_entry);
        h->x[10] = 0;
        h->x[11] = m->fdt_addr;
        m->tohost = k_elf.tohost;
        m->fromhost = k_elf.fromhost;
        break;
    }
    if (m->tohost && !physmem_ram_ptr(&m->phys, m->tohost, 8)) {
        snprintf(err, n, "the ELF's tohost symbol (0x%llx) is not in RAM", (unsigned long long)m->tohost);
        goto out;
    }
    if (m->fromhost && !physmem_ram_ptr(&m->phys, m->fromhost, 8))
        m->fromhost = 0;
    ok = true;
out:
    free(fw.data);
    free(kernel.data);
    free(initrd.data);
    return ok;
}
