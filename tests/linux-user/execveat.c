/* execveat: fexecve of a close-on-exec descriptor (glibc's fexecve is execveat with
 * AT_EMPTY_PATH; the descriptor is gone in the new image, the program must not be),
 * a path relative to a directory descriptor, and the errors for unknown flags, an
 * empty path without AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW on a symlink; and execve's
 * argument limits as Linux has them: an argument of 100 000 bytes and 20 000
 * arguments pass, one of 140 000 bytes (over 128 KiB) is E2BIG; a program executed
 * with RLIMIT_STACK at 64 MiB can recurse through 30 MiB of stack. Failures Linux
 * reports before its point of no return come back to the caller: a script whose
 * #! interpreter does not exist ("#!PROG\r": the \r is part of the name), an ELF
 * program whose ELF interpreter does not exist (ENOENT both). personality: the
 * query (0xffffffff) and setting ADDR_NO_RANDOMIZE return the previous persona,
 * and the flag survives execve (setarch -R, sanitizers re-executing themselves).
 * A program executed under RLIMIT_AS or RLIMIT_DATA (`ulimit -v`, `ulimit -d`) runs,
 * sees the limit and is held to it. The child runs this program again with
 * arguments and exits with 42. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const no_env[] = {NULL};

/* Runs exec in a child; returns its exit status, or -1 if it did not exit. */
static int child_status(int (*exec)(const char *), const char *arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        exec(arg);
        _exit(100 + errno % 100);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

static char self_path[PATH_MAX];

static int by_fd(const char *arg)
{
    int fd = open(self_path, O_RDONLY | O_CLOEXEC);
    char *argv[] = {"execveat", (char *)arg, NULL};
    return fexecve(fd, argv, no_env);
}

static int relative(const char *arg)
{
    char dir[PATH_MAX], base[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", self_path);
    snprintf(base, sizeof base, "%s", self_path);
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *argv[] = {"execveat", (char *)arg, NULL};
    return (int)syscall(SYS_execveat, dfd, basename(base), argv, no_env, 0);
}

static long expect_error(long r, int want, const char *what)
{
    int ok = r == -1 && errno == want;
    printf("%s: %ld errno %d (want -1, %d)\n", what, r, r == -1 ? errno : 0, want);
    return ok;
}

/* A resource limit to set before an exec: soft limit `cur` (none when 0), and the
 * hard limit `max` too unless 0 (as `ulimit -v` sets both). */
typedef struct Limit {
    int resource;
    rlim_t cur, max;
} Limit;

/* Runs path as v in a child, with the limit set first: its exit status, 100 + errno
 * if the exec failed, 98 if the limit could not be set, or -1. */
static int exec_status(const char *path, char **v, Limit limit)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit r;
        if (limit.cur) {
            if (getrlimit(limit.resource, &r) != 0)
                _exit(98);
            r.rlim_cur = limit.cur;
            r.rlim_max = limit.max ? limit.max : r.rlim_max;
            if (setrlimit(limit.resource, &r) != 0)
                _exit(98);
        }
        execve(path, v, no_env);
        _exit(100 + errno % 100);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

static const Limit no_limit = {0, 0, 0};

/* This program again (exit 42 when it ran). */
static int exec_self_status(char **v, Limit limit) { return exec_status(self_path, v, limit); }

/* The child of an exec under RLIMIT_AS or RLIMIT_DATA (`which`) at 256 MiB: it sees
 * the limit, and Linux refuses mappings beyond it (ENOMEM) but not within it; under
 * RLIMIT_DATA only private writable memory counts, and brk is limited too. 42 when
 * all holds. */
static int limited_child(const char *which)
{
    int data = strcmp(which, "data") == 0;
    struct rlimit r;
    if (getrlimit(data ? RLIMIT_DATA : RLIMIT_AS, &r) != 0 || r.rlim_cur != 256 << 20 || r.rlim_max != 256 << 20)
        return 1;
    void *big = mmap(NULL, 512 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (big != MAP_FAILED || errno != ENOMEM)
        return 2;
    void *small = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (small == MAP_FAILED)
        return 3;
    if (data) {
        void *read_only = mmap(NULL, 512 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (read_only == MAP_FAILED || sbrk(512 << 20) != (void *)-1)
            return 4;
    }
    return 42;
}

/* This program again with `count` arguments of `len` bytes. */
static int big_exec_status(int count, size_t len)
{
    char **v = calloc((size_t)count + 2, sizeof *v);
    char *s = malloc(len + 1);
    if (!v || !s)
        return -1;
    memset(s, 'a', len);
    s[len] = 0;
    v[0] = "execveat";
    for (int i = 1; i <= count; i++)
        v[i] = s;
    int st = exec_self_status(v, no_limit);
    free(s);
    free(v);
    return st;
}

/* Writes an executable file at path: 0, or -1. */
static int write_program(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fwrite(bytes, 1, len, f) == len;
    return fclose(f) == 0 && ok && chmod(path, 0755) == 0 ? 0 : -1;
}

/* Runs path, written as the script "#!line\n" first: its exit status (exec_status). */
static int script_status(const char *path, const char *line)
{
    char text[PATH_MAX + 64];
    snprintf(text, sizeof text, "#!%s\n", line);
    char *v[] = {(char *)path, NULL};
    int st = write_program(path, text, strlen(text)) == 0 ? exec_status(path, v, no_limit) : -1;
    unlink(path);
    return st;
}

/* A riscv64 ELF program whose ELF interpreter (PT_INTERP) does not exist: Linux
 * opens the interpreter before its point of no return and fails with ENOENT. */
static int missing_interpreter_status(const char *path)
{
    static const char interp[] = "/nonexistent/ld-rvx-test.so.1";
    struct Program {
        Elf64_Ehdr eh;
        Elf64_Phdr ph[2];
        char interp[sizeof interp];
    } elf = {
        .eh = {.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
               .e_type = ET_EXEC, .e_machine = EM_RISCV, .e_version = EV_CURRENT,
               .e_entry = 0x10000, .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
               .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 2},
        .ph = {{.p_type = PT_INTERP, .p_flags = PF_R, .p_offset = offsetof(struct Program, interp),
                .p_filesz = sizeof interp, .p_memsz = sizeof interp, .p_align = 1},
               {.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = 0x10000, .p_paddr = 0x10000,
                .p_filesz = sizeof elf, .p_memsz = sizeof elf, .p_align = 0x1000}},
    };
    memcpy(elf.interp, interp, sizeof interp);
    char *v[] = {(char *)path, NULL};
    int st = write_program(path, &elf, sizeof elf) == 0 ? exec_status(path, v, no_limit) : -1;
    unlink(path);
    return st;
}

/* 1 KiB of stack per level, not a tail call. */
static long deep(long n)
{
    volatile char buf[1024];
    buf[0] = (char)n;
    return n ? deep(n - 1) + buf[0] : 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "limited") == 0)
        return limited_child(argv[2]);
    if (argc > 1 && strcmp(argv[1], "persona") == 0)
        return personality(0xffffffff) & ADDR_NO_RANDOMIZE ? 42 : 1;
    if (argc > 1)
        return strcmp(argv[1], "deep") != 0 || deep(30000) != 0 ? 42 : 1;
    ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (n <= 0) {
        puts("execveat: FAILED (readlink /proc/self/exe)");
        return 1;
    }
    self_path[n] = 0;
    int ok = 1;
    int st = child_status(by_fd, "fexecve");
    printf("fexecve of a close-on-exec descriptor: exit %d (want 42)\n", st);
    ok &= st == 42;
    st = child_status(relative, "relative");
    printf("execveat relative to a directory: exit %d (want 42)\n", st);
    ok &= st == 42;
    char *args[] = {"execveat", NULL};
    ok &= expect_error(syscall(SYS_execveat, AT_FDCWD, self_path, args, no_env, 0x8000), EINVAL,
                       "unknown flag");
    ok &= expect_error(syscall(SYS_execveat, AT_FDCWD, "", args, no_env, 0), ENOENT,
                       "empty path without AT_EMPTY_PATH");
    char link[64];
    snprintf(link, sizeof link, "/tmp/rvx-execveat-%d", (int)getpid());
    if (symlink(self_path, link) == 0) {
        ok &= expect_error(syscall(SYS_execveat, AT_FDCWD, link, args, no_env, AT_SYMLINK_NOFOLLOW),
                           ELOOP, "AT_SYMLINK_NOFOLLOW on a symlink");
        unlink(link);
    }
    st = big_exec_status(1, 100000);
    printf("execve with an argument of 100000 bytes: exit %d (want 42)\n", st);
    ok &= st == 42;
    st = big_exec_status(20000, 1);
    printf("execve with 20000 arguments: exit %d (want 42)\n", st);
    ok &= st == 42;
    st = big_exec_status(1, 140000);
    printf("execve with an argument of 140000 bytes: exit %d (want %d, E2BIG)\n", st, 100 + E2BIG);
    ok &= st == 100 + E2BIG;
    char *deep_args[] = {"execveat", "deep", NULL};
    st = exec_self_status(deep_args, (Limit){RLIMIT_STACK, 64 << 20, 0});
    printf("execve under RLIMIT_STACK 64 MiB, then 30 MiB of recursion: exit %d (want 42)\n", st);
    ok &= st == 42;
    char script[64], line[PATH_MAX + 8];
    snprintf(script, sizeof script, "/tmp/rvx-execveat-%d.sh", (int)getpid());
    snprintf(line, sizeof line, "%s  \t", self_path);
    st = script_status(script, line);
    printf("script \"#!PROG \\t\": exit %d (want 42)\n", st);
    ok &= st == 42;
    snprintf(line, sizeof line, "%s\r", self_path);
    st = script_status(script, line);
    printf("script \"#!PROG\\r\": exit %d (want %d, ENOENT)\n", st, 100 + ENOENT);
    ok &= st == 100 + ENOENT;
    st = script_status(script, "/nonexistent/sh");
    printf("script \"#!/nonexistent/sh\": exit %d (want %d, ENOENT)\n", st, 100 + ENOENT);
    ok &= st == 100 + ENOENT;
    st = missing_interpreter_status(script);
    printf("ELF program with a missing ELF interpreter: exit %d (want %d, ENOENT)\n", st, 100 + ENOENT);
    ok &= st == 100 + ENOENT;
    int before = personality(0xffffffff), set = personality(before | ADDR_NO_RANDOMIZE);
    int now = personality(0xffffffff);
    printf("personality: %#x, set ADDR_NO_RANDOMIZE: %d, then %#x (want %#x, %#x)\n", before, set,
           now, before, before | ADDR_NO_RANDOMIZE);
    ok &= before != -1 && set == before && now == (before | ADDR_NO_RANDOMIZE);
    char *persona_args[] = {"execveat", "persona", NULL};
    st = exec_self_status(persona_args, no_limit);
    printf("ADDR_NO_RANDOMIZE after execve: exit %d (want 42)\n", st);
    ok &= st == 42;
    ok &= personality(before) == now;
    char *as_args[] = {"execveat", "limited", "as", NULL}, *data_args[] = {"execveat", "limited", "data", NULL};
    st = exec_self_status(as_args, (Limit){RLIMIT_AS, 256 << 20, 256 << 20});
    printf("execve under RLIMIT_AS 256 MiB (ulimit -v), then mappings over and under it: exit %d (want 42)\n", st);
    ok &= st == 42;
    st = exec_self_status(data_args, (Limit){RLIMIT_DATA, 256 << 20, 256 << 20});
    printf("execve under RLIMIT_DATA 256 MiB (ulimit -d), then mappings over and under it: exit %d (want 42)\n", st);
    ok &= st == 42;
    puts(ok ? "execveat: ok" : "execveat: FAILED");
    return ok ? 0 : 1;
}
