/* Loading a riscv64 Linux program: ELF parsing with libelf, PT_LOAD segments mapped
 * into the guest address space, the ELF interpreter (dynamic programs) loaded from the
 * sysroot, and the initial stack (argv, envp, auxv) laid out as Linux's
 * create_elf_tables() does. Every malformed input ends in a one-line error. */
#include "linux-user/process.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* Where Linux riscv64 puts ET_DYN programs (ELF_ET_DYN_BASE = 2/3 of TASK_SIZE). */
#define ET_DYN_BASE 0x2aaaaaa000ull

typedef struct LoadedElf {
    uint64_t bias, entry, phdr, phnum, phent, end;
    uint64_t start_code, end_code, start_data, end_data; /* as Linux's load_elf_binary */
    char interp[4096];
} LoadedElf;

static int fail(int status, const char *path, const char *what)
{
    fprintf(stderr, "rvx: %s: %s\n", path, what);
    return status;
}

static int prot_of(uint32_t p_flags)
{
    return ((p_flags & PF_R) ? GPROT_READ : 0) | ((p_flags & PF_W) ? GPROT_WRITE : 0) |
           ((p_flags & PF_X) ? GPROT_EXEC : 0);
}

/* Maps one PT_LOAD segment: anonymous pages, file bytes copied in, the rest zero.
 * /proc/self/maps shows the file pages under the file's name, as for mmap. */
static int load_segment(Process *p, int fd, const GElf_Phdr *ph, uint64_t bias, off_t file_size,
                        const GuestMapInfo *file)
{
    uint64_t start = (ph->p_vaddr + bias) & GUEST_PAGE_MASK;
    uint64_t end = (ph->p_vaddr + bias + ph->p_memsz + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK;
    if (ph->p_filesz > ph->p_memsz || ph->p_offset + ph->p_filesz > (uint64_t)file_size)
        return -EINVAL;
    if (guest_map(&p->mem, start, end - start, GPROT_READ | GPROT_WRITE, -1, 0, false) < 0)
        return -ENOMEM;
    uint8_t *dst = guest_host(&p->mem, ph->p_vaddr + bias);
    uint64_t done = 0;
    while (done < ph->p_filesz) {
        ssize_t n = pread(fd, dst + done, ph->p_filesz - done, (off_t)(ph->p_offset + done));
        if (n <= 0)
            return -EIO;
        done += (uint64_t)n;
    }
    guest_protect(&p->mem, start, end - start, prot_of(ph->p_flags));
    uint64_t file_end = (ph->p_vaddr + bias + ph->p_filesz + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK;
    if (ph->p_filesz && file_end > start) {
        GuestMapInfo info = *file;
        info.offset = ph->p_offset & GUEST_PAGE_MASK;
        guest_map_describe(&p->mem, start, file_end - start, &info);
    }
    return 0;
}

/* What an ELF file's headers say, checked as far as Linux's execve checks them
 * before its point of no return. */
typedef struct ElfHeaders {
    Elf *elf;
    GElf_Ehdr eh;
    size_t phnum;
    uint64_t lo, hi;           /* the span of the PT_LOAD segments */
    char interp[4096];         /* PT_INTERP, "" if none */
} ElfHeaders;

/* Reads the headers of the ELF file open at fd into *e (e->elf to be ended by the
 * caller, even on failure): NULL, or what is wrong. */
static const char *read_headers(int fd, ElfHeaders *e)
{
    memset(e, 0, sizeof *e);
    e->elf = elf_begin(fd, ELF_C_READ, NULL);
    if (!e->elf || elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &e->eh))
        return "not an ELF file";
    if (gelf_getclass(e->elf) != ELFCLASS64 || e->eh.e_machine != EM_RISCV ||
        e->eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return "not a riscv64 ELF program";
    if ((e->eh.e_type != ET_EXEC && e->eh.e_type != ET_DYN) ||
        elf_getphdrnum(e->elf, &e->phnum) != 0 || e->phnum == 0)
        return "not an executable ELF file";
    e->lo = UINT64_MAX;
    for (size_t i = 0; i < e->phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e->elf, (int)i, &ph))
            return "truncated or corrupt program headers";
        if (ph.p_type == PT_LOAD) {
            if (ph.p_vaddr < e->lo) e->lo = ph.p_vaddr;
            if (ph.p_vaddr + ph.p_memsz > e->hi) e->hi = ph.p_vaddr + ph.p_memsz;
        } else if (ph.p_type == PT_INTERP) {
            if (ph.p_filesz == 0 || ph.p_filesz >= sizeof e->interp ||
                pread(fd, e->interp, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz)
                return "corrupt PT_INTERP";
            e->interp[ph.p_filesz - 1] = 0;
        }
    }
    if (e->lo == UINT64_MAX || e->hi > GUEST_SPACE_SIZE)
        return "no loadable segments within the riscv64 user address space";
    return NULL;
}

/* Linux's start/end_code (executable segments) and start/end_data (the highest
 * segment start, and file end) of a loaded PT_LOAD segment. */
static void note_code_and_data(LoadedElf *out, const GElf_Phdr *ph, uint64_t bias)
{
    uint64_t start = ph->p_vaddr + bias, file_end = start + ph->p_filesz;
    if ((ph->p_flags & PF_X) && start < out->start_code)
        out->start_code = start;
    if ((ph->p_flags & PF_X) && file_end > out->end_code)
        out->end_code = file_end;
    if (start > out->start_data)
        out->start_data = start;
    if (file_end > out->end_data)
        out->end_data = file_end;
}

/* Loads an ELF file; `is_interp` selects where an ET_DYN image goes. Returns 0 or an
 * rvx exit status after printing the error. */
static int load_elf(Process *p, const char *path, const char *shown, bool is_interp, LoadedElf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(1, shown, strerror(errno));
    off_t file_size = lseek(fd, 0, SEEK_END);
    struct stat st;
    char real[PATH_MAX];
    fstat(fd, &st);
    if (!realpath(path, real))
        snprintf(real, sizeof real, "%s", path);
    GuestMapInfo file = {st.st_dev, st.st_ino, user_guest_name(p, real), 0};
    ElfHeaders e;
    const char *bad = read_headers(fd, &e);
    int status = 0;
    if (bad) {
        status = fail(2, shown, bad);
        goto out;
    }
    uint64_t lo = e.lo & GUEST_PAGE_MASK;
    uint64_t span = ((e.hi + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK) - lo;
    uint64_t bias = 0;
    if (e.eh.e_type == ET_DYN) {
        uint64_t want = is_interp ? 0 : ET_DYN_BASE;
        uint64_t at = guest_find_free(&p->mem, want, span);
        if (!at) {
            status = fail(1, shown, "no room in the guest address space");
            goto out;
        }
        bias = at - lo;
    } else if (!guest_range_free(&p->mem, lo, span)) {
        status = fail(2, shown, "segments overlap or lie outside the user address space");
        goto out;
    }
    memset(out, 0, sizeof *out);
    out->bias = bias;
    out->entry = e.eh.e_entry + bias;
    out->phnum = e.phnum;
    out->phent = e.eh.e_phentsize;
    memcpy(out->interp, e.interp, sizeof out->interp);
    out->start_code = UINT64_MAX;
    for (size_t i = 0; i < e.phnum; i++) {
        GElf_Phdr ph;
        gelf_getphdr(e.elf, (int)i, &ph);
        if (ph.p_type == PT_LOAD) {
            if (load_segment(p, fd, &ph, bias, file_size, &file) < 0) {
                status = fail(2, shown, "truncated or corrupt ELF segment");
                goto out;
            }
            if (ph.p_offset <= e.eh.e_phoff && e.eh.e_phoff < ph.p_offset + ph.p_filesz)
                out->phdr = ph.p_vaddr + bias + (e.eh.e_phoff - ph.p_offset);
            uint64_t end = ph.p_vaddr + bias + ph.p_memsz;
            if (end > out->end)
                out->end = end;
            note_code_and_data(out, &ph, bias);
        } else if (ph.p_type == PT_PHDR) {
            out->phdr = ph.p_vaddr + bias;
        }
    }
out:
    if (e.elf)
        elf_end(e.elf);
    close(fd);
    return status;
}

/* The headers of the ELF file at path: 0, or -errno (the open's, or `bad` when the
 * headers are wrong). */
static int check_headers(const char *path, ElfHeaders *e, int bad)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int r = read_headers(fd, e) ? bad : 0;
    if (e->elf)
        elf_end(e->elf);
    close(fd);
    return r;
}

int process_exec_check(const Process *p, const char *path)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return -ENOMEM;
    ElfHeaders prog, interp;
    int r = check_headers(path, &prog, -ENOEXEC);
    if (r < 0 || !prog.interp[0])
        return r;
    char buf[4096];
    return check_headers(user_path(p, prog.interp, buf, sizeof buf), &interp, -ELIBBAD);
}

/* ---- initial stack ---- */

enum {
    AT_NULL_ = 0, AT_PHDR_ = 3, AT_PHENT_ = 4, AT_PHNUM_ = 5, AT_PAGESZ_ = 6, AT_BASE_ = 7,
    AT_FLAGS_ = 8, AT_ENTRY_ = 9, AT_UID_ = 11, AT_EUID_ = 12, AT_GID_ = 13, AT_EGID_ = 14,
    AT_HWCAP_ = 16, AT_CLKTCK_ = 17, AT_SECURE_ = 23, AT_RANDOM_ = 25, AT_HWCAP2_ = 26,
    AT_EXECFN_ = 31, AT_MINSIGSTKSZ_ = 51,
};

/* AT_HWCAP on riscv: one bit per single-letter extension ('a' = bit 0). */
#define HWCAP_LETTER(c) (1ull << ((c) - 'a'))

typedef struct StackBuilder {
    Process *p;
    uint64_t sp;
} StackBuilder;

static uint64_t push_bytes(StackBuilder *s, const void *data, size_t len)
{
    s->sp -= len;
    memcpy(guest_host(&s->p->mem, s->sp), data, len);
    return s->sp;
}

/* The guest's stack: 8 MiB, or RLIMIT_STACK when that is set higher (up to 1 GiB), as
 * Linux lets a stack grow to its limit (`ulimit -s` for deep recursion; cc1 asks for
 * 64 MiB), mapped whole at once. */
static uint64_t stack_size(void)
{
    uint64_t size = 8ull << 20;
    struct rlimit r;
    if (getrlimit(RLIMIT_STACK, &r) == 0 && r.rlim_cur != RLIM_INFINITY && r.rlim_cur > size)
        size = r.rlim_cur < (1ull << 30) ? (r.rlim_cur + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK
                                         : 1ull << 30;
    return size;
}

static int build_stack(Process *p, Hart *h, const LoadedElf *prog, const LoadedElf *interp,
                       const char *execfn, int argc, char **argv, char **envp)
{
    uint64_t top = GUEST_SPACE_SIZE - GUEST_PAGE_SIZE, size = stack_size();
    if (guest_map(&p->mem, top - size, size, GPROT_READ | GPROT_WRITE, -1, 0, false))
        return -ENOMEM;
    guest_map_describe(&p->mem, top - size, size, &(GuestMapInfo){.name = "[stack]"});
    p->stack_top = top;
    StackBuilder s = {p, top};
    int envc = 0;
    while (envp[envc])
        envc++;
    size_t strings = strlen(execfn) + 1 + 16 + 16;
    for (int i = 0; i < argc; i++) strings += strlen(argv[i]) + 1;
    for (int i = 0; i < envc; i++) strings += strlen(envp[i]) + 1;
    if (strings > size / 4)
        return -E2BIG;

    uint64_t execfn_at = push_bytes(&s, execfn, strlen(execfn) + 1);
    uint64_t *env_at = calloc((size_t)envc + 1, sizeof *env_at);
    uint64_t *arg_at = calloc((size_t)argc + 1, sizeof *arg_at);
    if (!env_at || !arg_at)
        abort();
    p->layout.env_end = s.sp;
    for (int i = envc; i-- > 0;) env_at[i] = push_bytes(&s, envp[i], strlen(envp[i]) + 1);
    p->layout.env_start = p->layout.arg_end = s.sp;
    for (int i = argc; i-- > 0;) arg_at[i] = push_bytes(&s, argv[i], strlen(argv[i]) + 1);
    p->layout.arg_start = s.sp;
    uint8_t random[16];
    for (int i = 0; i < 16; i++)
        random[i] = (uint8_t)rand();
    FILE *ur = fopen("/dev/urandom", "rb");
    if (ur) {
        if (fread(random, 1, sizeof random, ur) != sizeof random) { /* keep rand() bytes */ }
        fclose(ur);
    }
    s.sp &= ~15ull;
    uint64_t random_at = push_bytes(&s, random, sizeof random);

    uint64_t auxv[][2] = {
        {AT_PHDR_, prog->phdr}, {AT_PHENT_, prog->phent}, {AT_PHNUM_, prog->phnum},
        {AT_PAGESZ_, GUEST_PAGE_SIZE}, {AT_BASE_, interp ? interp->bias : 0},
        {AT_FLAGS_, 0}, {AT_ENTRY_, prog->entry},
        {AT_UID_, (uint64_t)getuid()}, {AT_EUID_, (uint64_t)geteuid()},
        {AT_GID_, (uint64_t)getgid()}, {AT_EGID_, (uint64_t)getegid()},
        {AT_HWCAP_, HWCAP_LETTER('i') | HWCAP_LETTER('m') | HWCAP_LETTER('a') |
                    HWCAP_LETTER('f') | HWCAP_LETTER('d') | HWCAP_LETTER('c')},
        {AT_HWCAP2_, 0}, {AT_CLKTCK_, 100}, {AT_SECURE_, 0}, {AT_RANDOM_, random_at},
        {AT_EXECFN_, execfn_at}, {AT_MINSIGSTKSZ_, 2048}, {AT_NULL_, 0},
    };
    size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * (sizeof auxv / sizeof auxv[0]);
    s.sp = (s.sp - words * 8) & ~15ull;
    uint64_t *w = guest_host(&p->mem, s.sp);
    *w++ = (uint64_t)argc;
    for (int i = 0; i < argc; i++) *w++ = arg_at[i];
    *w++ = 0;
    for (int i = 0; i < envc; i++) *w++ = env_at[i];
    *w++ = 0;
    memcpy(w, auxv, sizeof auxv);
    _Static_assert(sizeof auxv <= sizeof p->auxv, "room for the auxv /proc/self/auxv shows");
    memcpy(p->auxv, auxv, sizeof auxv);
    p->auxv_words = sizeof auxv / sizeof auxv[0][0];
    free(env_at);
    free(arg_at);
    h->x[2] = p->layout.start_stack = s.sp;
    return 0;
}

/* Our stand-in for the vDSO: the return path of signal handlers. */
static int map_sigreturn_trampoline(Process *p)
{
    static const uint32_t code[] = {
        0x08b00893, /* li a7, 139 (rt_sigreturn) */
        0x00000073, /* ecall */
    };
    uint64_t at = guest_find_free(&p->mem, 0, GUEST_PAGE_SIZE);
    if (!at || guest_map(&p->mem, at, GUEST_PAGE_SIZE, GPROT_READ | GPROT_WRITE, -1, 0, false))
        return -ENOMEM;
    memcpy(guest_host(&p->mem, at), code, sizeof code);
    guest_protect(&p->mem, at, GUEST_PAGE_SIZE, GPROT_READ | GPROT_EXEC);
    guest_map_describe(&p->mem, at, GUEST_PAGE_SIZE, &(GuestMapInfo){.name = "[vdso]"});
    p->sigreturn_tramp = at;
    return 0;
}

/* The host process (ps, /proc/self/comm and stat) is named after the program, as
 * Linux names a process after the file it executes, not after rvx. */
static void name_process(const char *path)
{
    const char *slash = strrchr(path, '/');
    prctl(PR_SET_NAME, slash ? slash + 1 : path);
}

int process_load(Process *p, Hart *h, const char *path, int argc, char **argv, char **envp)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(1, path, "libelf initialisation failed");
    if (!guest_mem_init(&p->mem, p->opt.guest_base))
        return fail(1, path, p->opt.guest_base ? "cannot reserve the guest address space at the -B address"
                                               : "cannot reserve the guest address space");
    p->mem.code_log = &p->code_log;
    if (!realpath(path, p->exe_path))
        snprintf(p->exe_path, sizeof p->exe_path, "%s", path);
    LoadedElf prog, interp;
    int status = load_elf(p, path, path, false, &prog);
    if (status)
        return status;
    bool dynamic = prog.interp[0] != 0;
    if (dynamic) {
        char buf[4096];
        const char *host = user_path(p, prog.interp, buf, sizeof buf);
        status = load_elf(p, host, prog.interp, true, &interp);
        if (status) {
            fprintf(stderr, "rvx: %s: cannot load its ELF interpreter %s%s\n", path,
                    prog.interp, p->opt.sysroot ? "" : " (use -L SYSROOT)");
            return status;
        }
    }
    p->brk_start = p->brk_cur = (prog.end + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK;
    p->layout.start_code = prog.start_code == UINT64_MAX ? 0 : prog.start_code;
    p->layout.end_code = prog.end_code;
    p->layout.start_data = prog.start_data;
    p->layout.end_data = prog.end_data;
    name_process(path);
    p->entry = dynamic ? interp.entry : prog.entry;
    if (build_stack(p, h, &prog, dynamic ? &interp : NULL, path, argc, argv, envp) < 0)
        return fail(1, path, "arguments and environment too large");
    if (map_sigreturn_trampoline(p) < 0)
        return fail(1, path, "no room in the guest address space");
    h->pc = p->entry;
    return 0;
}
