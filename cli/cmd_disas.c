/* `rvx disas FILE`: disassembles the executable sections of a riscv64 ELF file in GNU
 * objdump 2.40's `-d` layout, so the two outputs can be compared line by line
 * (tests/frontend/disas-objdump.sh).
 * `rvx disas --raw FILE`: the same for a flat binary loaded at 0, like
 * `objdump -D -b binary -m riscv:rv64` (used to compare whole encoding spaces).
 *
 * What is reproduced from objdump: section headers ("Disassembly of section X:"), the
 * address column (width from the section's end address), raw bytes as 16-bit or
 * 32-bit little-endian groups padded to 8 bytes, the instruction text (frontend/
 * disas.c) including the stateful " # addr" comments, "0x" on addresses when the file
 * has no symbols, the arch attribute (which extensions get names) and priv-spec
 * attribute (CSR names), and objdump's "..." for runs of zero bytes, which depends on
 * where symbols split a section.
 * What is not: symbol labels ("0000... <sym>:") and " <sym+off>" after addresses
 * (the comparison script strips both from objdump's output), mapping symbols ($d data
 * in code, per-function $x<isa>), and 48/64-bit encodings. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "frontend/disas.h"
#include "frontend/rv_insn.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif
#ifndef SHT_RISCV_ATTRIBUTES
#define SHT_RISCV_ATTRIBUTES 0x70000003
#endif

enum { SKIP_ZEROES = 8, SKIP_ZEROES_AT_END = 3 }; /* objdump's defaults */

typedef struct DisasFile {
    uint64_t *stops;     /* sorted symbol addresses: objdump disassembles between them */
    size_t nstops;
    bool has_syms;       /* objdump prints "0x" before addresses only when it has none */
    RvDisasCtx ctx;
} DisasFile;

static void print_addr_cb(void *opaque, uint64_t addr, char *buf, size_t size)
{
    const DisasFile *f = opaque;
    snprintf(buf, size, f->has_syms ? "%" PRIx64 : "0x%" PRIx64, addr);
}

/* objdump's address column: 16 hex digits, minus the leading zeros every address in
 * the section shares (rounded to a multiple of 4, keeping at least one), then the
 * remaining leading zeros turned into spaces. */
static int addr_skip_chars(uint64_t end, bool vma_nonzero)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%016" PRIx64, end);
    int skip = 0;
    while (buf[skip] == '0')
        skip++;
    if (buf[skip] == 0 && vma_nonzero)
        skip = 0;
    if (skip)
        skip = (skip - 1) & -4;
    return skip;
}

static void print_line_addr(uint64_t addr, int skip)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%016" PRIx64, addr);
    char *s = buf + skip;
    while (*s == '0')
        *s++ = ' ';
    if (!*s)
        *--s = '0';
    printf("%s:\t", buf + skip);
}

/* Disassembles [vma, vma+size) from `data` in chunks split at symbol addresses. */
static void disas_range(DisasFile *f, const uint8_t *data, uint64_t vma, uint64_t size)
{
    int skip = addr_skip_chars(vma + size, vma != 0);
    uint64_t off = 0;
    size_t si = 0;
    char text[256];
    while (off < size) {
        /* this chunk ends at the next symbol above the current address */
        while (si < f->nstops && f->stops[si] <= vma + off)
            si++;
        uint64_t stop = size;
        if (si < f->nstops && f->stops[si] - vma < size)
            stop = f->stops[si] - vma;
        while (off < stop) {
            uint64_t z = off;
            while (z < stop && data[z] == 0)
                z++;
            if (z - off >= SKIP_ZEROES || (z == stop && z - off < SKIP_ZEROES_AT_END && z > off)) {
                if (z != stop)
                    z = off + ((z - off) & ~(uint64_t)3);
                printf("\t...\n");
                off = z;
                continue;
            }
            uint32_t bits = data[off] | (uint32_t)(off + 1 < size ? data[off + 1] : 0) << 8;
            int len = rv_insn_length((uint16_t)bits);
            if (len == 4 && off + 4 <= size)
                bits |= (uint32_t)data[off + 2] << 16 | (uint32_t)data[off + 3] << 24;
            else
                len = 2;
            RvInsn insn;
            rv_decode(bits, &insn);
            insn.len = (uint8_t)len; /* a truncated 32-bit parcel prints as .2byte */
            insn.raw = len == 2 ? (bits & 0xffff) : bits;
            rv_disas_ex(&f->ctx, &insn, vma + off, text, sizeof text);
            print_line_addr(vma + off, skip);
            if (len == 2)
                printf("%04x                \t%s\n", bits & 0xffff, text);
            else
                printf("%08x          \t%s\n", bits, text);
            off += (uint64_t)len;
        }
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static bool is_mapping_symbol(const char *n)
{
    return n[0] == '$' && (n[1] == 'x' || n[1] == 'd') &&
           (n[2] == 0 || n[2] == '.' || !strncmp(n + 1, "xrv", 3));
}

/* Symbols as objdump uses them: the static table, else the dynamic one; without
 * empty names, section/file symbols, undefined and common ones. */
static void collect_symbols(Elf *e, DisasFile *f)
{
    Elf_Scn *scn = NULL, *symscn = NULL;
    GElf_Shdr sh;
    for (int pass = 0; pass < 2 && !symscn; pass++) {
        scn = NULL;
        while ((scn = elf_nextscn(e, scn)) != NULL)
            if (gelf_getshdr(scn, &sh) && sh.sh_type == (pass ? SHT_DYNSYM : SHT_SYMTAB) && sh.sh_size) {
                symscn = scn;
                break;
            }
    }
    if (!symscn)
        return;
    gelf_getshdr(symscn, &sh);
    Elf_Data *d = elf_getdata(symscn, NULL);
    if (!d || !sh.sh_entsize)
        return;
    size_t n = sh.sh_size / sh.sh_entsize;
    f->stops = calloc(n ? n : 1, sizeof *f->stops);
    if (!f->stops)
        return;
    for (size_t i = 1; i < n; i++) {
        GElf_Sym s;
        if (!gelf_getsym(d, (int)i, &s))
            continue;
        const char *name = elf_strptr(e, sh.sh_link, s.st_name);
        int type = GELF_ST_TYPE(s.st_info);
        if (!name || !*name || type == STT_SECTION || type == STT_FILE ||
            s.st_shndx == SHN_UNDEF || s.st_shndx == SHN_COMMON)
            continue;
        f->has_syms = true;
        if (!strcmp(name, "__global_pointer$")) {
            f->ctx.has_gp = true;
            f->ctx.gp = s.st_value;
        }
        if (!is_mapping_symbol(name))
            f->stops[f->nstops++] = s.st_value;
    }
    qsort(f->stops, f->nstops, sizeof *f->stops, cmp_u64);
}

static uint64_t read_uleb(const uint8_t **p, const uint8_t *end)
{
    uint64_t v = 0;
    int shift = 0;
    while (*p < end) {
        uint8_t b = *(*p)++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80))
            break;
    }
    return v;
}

/* .riscv.attributes: "A", then per vendor: u32 length, "riscv\0", then per scope:
 * tag (1 = whole file), u32 length, then (ULEB tag, value) pairs where odd tags hold
 * NUL-terminated strings and even tags ULEB numbers (Tag_RISCV_arch = 5,
 * priv_spec = 8, priv_spec_minor = 10). */
static void read_attributes(Elf *e, DisasFile *f)
{
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    unsigned major = 0, minor = 0;
    bool have_priv = false;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RISCV_ATTRIBUTES)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d || d->d_size < 1 || ((const uint8_t *)d->d_buf)[0] != 'A')
            continue;
        const uint8_t *p = (const uint8_t *)d->d_buf + 1, *end = (const uint8_t *)d->d_buf + d->d_size;
        while (end - p >= 4) {
            uint32_t len;
            memcpy(&len, p, 4);
            const uint8_t *sub_end = (len >= 4 && len <= (size_t)(end - p)) ? p + len : end;
            const uint8_t *q = p + 4;
            const uint8_t *nul = memchr(q, 0, (size_t)(sub_end - q));
            if (!nul)
                break;
            bool riscv = !strcmp((const char *)q, "riscv");
            q = nul + 1;
            while (riscv && sub_end - q >= 5) {
                uint8_t scope = *q;
                uint32_t slen;
                memcpy(&slen, q + 1, 4);
                const uint8_t *s_end = (slen >= 5 && slen <= (size_t)(sub_end - q)) ? q + slen : sub_end;
                const uint8_t *r = q + 5;
                while (scope == 1 && r < s_end) {
                    uint64_t tag = read_uleb(&r, s_end);
                    if (tag & 1) {
                        const uint8_t *z = memchr(r, 0, (size_t)(s_end - r));
                        if (!z)
                            break;
                        if (tag == 5)
                            f->ctx.ext = rv_disas_ext_from_arch((const char *)r);
                        r = z + 1;
                    } else {
                        uint64_t v = read_uleb(&r, s_end);
                        if (tag == 8)
                            major = (unsigned)v, have_priv = true;
                        else if (tag == 10)
                            minor = (unsigned)v;
                    }
                }
                q = s_end;
            }
            p = sub_end;
        }
    }
    if (have_priv && major == 1) {
        if (minor == 9) f->ctx.priv = RV_DISAS_PRIV_1_9;
        else if (minor == 10) f->ctx.priv = RV_DISAS_PRIV_1_10;
        else if (minor == 11) f->ctx.priv = RV_DISAS_PRIV_1_11;
    }
}

static int disas_elf(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "rvx disas: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int rc = 1;
    DisasFile f = {0};
    rv_disas_ctx_init(&f.ctx);
    f.ctx.ext = 0;                 /* objdump's default arch rv64gc: no optional extensions */
    f.ctx.track_addr = true;
    f.ctx.print_addr = print_addr_cb;
    f.ctx.print_addr_opaque = &f;
    struct stat st;
    Elf *e = NULL;
    if (elf_version(EV_CURRENT) == EV_NONE || fstat(fd, &st) != 0)
        goto out;
    e = elf_begin(fd, ELF_C_READ, NULL);
    GElf_Ehdr eh;
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        fprintf(stderr, "rvx disas: %s: not an ELF file\n", path);
        goto out;
    }
    if (gelf_getclass(e) != ELFCLASS64 || eh.e_machine != EM_RISCV) {
        fprintf(stderr, "rvx disas: %s: not a riscv64 ELF file\n", path);
        goto out;
    }
    uint64_t fsize = (uint64_t)st.st_size;
    if (eh.e_shoff > fsize || (uint64_t)eh.e_shnum * eh.e_shentsize > fsize - eh.e_shoff ||
        eh.e_phoff > fsize || (uint64_t)eh.e_phnum * eh.e_phentsize > fsize - eh.e_phoff) {
        fprintf(stderr, "rvx disas: %s: truncated ELF (headers extend past end of file)\n", path);
        goto out;
    }
    size_t shstrndx;
    if (elf_getshdrstrndx(e, &shstrndx) != 0) {
        fprintf(stderr, "rvx disas: %s: truncated or corrupt ELF (%s)\n", path, elf_errmsg(-1));
        goto out;
    }
    /* Check every section lies inside the file before printing anything. */
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        if (!gelf_getshdr(scn, &sh)) {
            fprintf(stderr, "rvx disas: %s: truncated or corrupt ELF (%s)\n", path, elf_errmsg(-1));
            goto out;
        }
        if (sh.sh_type != SHT_NOBITS && sh.sh_size &&
            (sh.sh_offset > (uint64_t)st.st_size || sh.sh_size > (uint64_t)st.st_size - sh.sh_offset)) {
            fprintf(stderr, "rvx disas: %s: truncated ELF (section extends past end of file)\n", path);
            goto out;
        }
    }
    read_attributes(e, &f);
    collect_symbols(e, &f);
    printf("\n%s:     file format elf64-littleriscv\n\n", path);
    scn = NULL;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        gelf_getshdr(scn, &sh);
        if (!(sh.sh_flags & SHF_EXECINSTR) || sh.sh_type == SHT_NOBITS || !sh.sh_size)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d || d->d_size < sh.sh_size) {
            fprintf(stderr, "rvx disas: %s: cannot read section (%s)\n", path, elf_errmsg(-1));
            goto out;
        }
        const char *name = elf_strptr(e, shstrndx, sh.sh_name);
        printf("\nDisassembly of section %s:\n\n", name ? name : "?");
        disas_range(&f, d->d_buf, sh.sh_addr, sh.sh_size);
    }
    rc = 0;
out:
    if (e)
        elf_end(e);
    close(fd);
    free(f.stops);
    return rc;
}

static int disas_raw(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "rvx disas: %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 1 << 16, n = 0, r;
    uint8_t *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += r;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(fp);
    if (!buf) {
        fprintf(stderr, "rvx disas: %s: out of memory\n", path);
        return 1;
    }
    DisasFile f = {0};
    rv_disas_ctx_init(&f.ctx);
    f.ctx.ext = 0;
    f.ctx.track_addr = true;
    f.ctx.print_addr = print_addr_cb;
    f.ctx.print_addr_opaque = &f;
    printf("\nDisassembly of section .data:\n\n");
    disas_range(&f, buf, 0, n);
    free(buf);
    return 0;
}

int cmd_disas(int argc, char **argv)
{
    bool raw = false;
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--raw"))
        raw = true, i++;
    if (i + 1 != argc) {
        fprintf(stderr, "usage: rvx disas [--raw] FILE\n");
        return 1;
    }
    return raw ? disas_raw(argv[i]) : disas_elf(argv[i]);
}
