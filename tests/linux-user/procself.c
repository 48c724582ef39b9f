/* /proc/self describes the guest program, not the emulator: exe is a symbolic link
 * to the program; cmdline is the program's arguments (read from its memory, so a
 * rewritten argv[0] shows); comm is its name (Linux's: the base name of the
 * executed file, at most 15 bytes); stat has that name and the program's
 * code, stack and argument addresses; auxv is the vector the program got; and the
 * same under /proc/<pid> and /proc/thread-self. Prints one line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

extern char **environ;

/* The whole file at path into buf (NUL added): its length, or -1. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    ssize_t n;
    while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
        len += (size_t)n;
    close(fd);
    buf[len] = 0;
    return (ssize_t)len;
}

/* argv as /proc/self/cmdline holds it: each string with its NUL. */
static size_t join_args(int argc, char **argv, char *out, size_t size)
{
    size_t len = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        if (len + n > size)
            break;
        memcpy(out + len, argv[i], n);
        len += n;
    }
    return len;
}

static void check_exe(void)
{
    struct stat link, target, program;
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    path[n > 0 ? n : 0] = 0;
    check("lstat /proc/self/exe is a symbolic link",
          lstat("/proc/self/exe", &link) == 0 && S_ISLNK(link.st_mode));
    check("stat /proc/self/exe is the program readlink names",
          n > 0 && strstr(path, "procself-") && stat("/proc/self/exe", &target) == 0 &&
              stat(path, &program) == 0 && target.st_ino == program.st_ino &&
              target.st_dev == program.st_dev && S_ISREG(target.st_mode));
}

static void check_cmdline(int argc, char **argv)
{
    char want[4096], got[4096], pid_path[64];
    size_t len = join_args(argc, argv, want, sizeof want);
    ssize_t n = slurp("/proc/self/cmdline", got, sizeof got);
    check("/proc/self/cmdline is argv", n == (ssize_t)len && memcmp(got, want, len) == 0);
    snprintf(pid_path, sizeof pid_path, "/proc/%d/cmdline", (int)getpid());
    n = slurp(pid_path, got, sizeof got);
    check("/proc/<pid>/cmdline is argv", n == (ssize_t)len && memcmp(got, want, len) == 0);
    char first = argv[0][0];
    argv[0][0] = '@'; /* as setproctitle does: Linux reads the strings from memory */
    n = slurp("/proc/self/cmdline", got, sizeof got);
    argv[0][0] = first;
    check("/proc/self/cmdline shows a rewritten argv[0]", n == (ssize_t)len && got[0] == '@');
}

/* The program's name as Linux keeps it: the base name, at most 15 bytes. */
static void program_comm(const char *argv0, char *out)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", argv0);
    snprintf(out, 16, "%s", basename(copy));
}

static void check_comm(const char *argv0)
{
    char want[16], got[64];
    program_comm(argv0, want);
    ssize_t n = slurp("/proc/self/comm", got, sizeof got);
    printf("comm \"%.*s\" (want \"%s\")\n", n > 0 ? (int)n - 1 : 0, got, want);
    check("/proc/self/comm is the program's name", n == (ssize_t)strlen(want) + 1 &&
                                                       strncmp(got, want, strlen(want)) == 0 &&
                                                       got[n - 1] == '\n');
    n = slurp("/proc/thread-self/comm", got, sizeof got);
    check("/proc/thread-self/comm too", n == (ssize_t)strlen(want) + 1 && strncmp(got, want, strlen(want)) == 0);
}

static void check_stat(int argc, char **argv)
{
    char line[2048], want[16];
    program_comm(argv[0], want);
    ssize_t n = slurp("/proc/self/stat", line, sizeof line);
    char *lparen = strchr(line, '('), *rparen = strrchr(line, ')');
    check("/proc/self/stat has the program's name",
          n > 0 && lparen && rparen && rparen - lparen - 1 == (long)strlen(want) &&
              strncmp(lparen + 1, want, strlen(want)) == 0);
    if (!rparen)
        return;
    /* Fields from 3 on (proc(5) numbering). */
    unsigned long long field[64] = {0};
    int count = 3;
    char *save = NULL;
    for (char *f = strtok_r(rparen + 1, " \n", &save); f && count < 64; f = strtok_r(NULL, " \n", &save))
        field[count++] = strtoull(f, NULL, 10);
    printf("stat: %d fields, startcode %#llx endcode %#llx startstack %#llx arg_start %#llx "
           "arg_end %#llx env_start %#llx\n", count - 1, field[26], field[27], field[28], field[48],
           field[49], field[50]);
    unsigned long main_at = (unsigned long)&check_stat, local = (unsigned long)&n;
    check("stat: pid and state", strtol(line, NULL, 10) == getpid() && rparen[1] == ' ' && rparen[2] == 'R');
    check("stat: the code holds this function", field[26] <= main_at && main_at < field[27]);
    check("stat: the stack starts above this frame", field[28] > local && field[28] - local < (8 << 20));
    char args[4096];
    size_t len = join_args(argc, argv, args, sizeof args);
    check("stat: arg_start, arg_end are argv's strings",
          field[48] == (unsigned long)argv[0] && field[49] == field[48] + len);
    check("stat: env_start follows them", !environ[0] || field[50] == (unsigned long)environ[0]);
}

static void check_auxv(void)
{
    unsigned long v[128];
    ssize_t n = slurp("/proc/self/auxv", (char *)v, sizeof v);
    int pairs = n > 0 ? (int)(n / 16) : 0, matched = 0, ended = pairs > 0 && v[2 * pairs - 2] == AT_NULL;
    static const unsigned long keys[] = {AT_PHDR, AT_PHNUM, AT_ENTRY, AT_PAGESZ, AT_RANDOM, AT_EXECFN};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        for (int i = 0; i < pairs; i++)
            if (v[2 * i] == keys[k] && v[2 * i + 1] == getauxval(keys[k]))
                matched++;
    printf("auxv: %d pairs, %d of 6 keys as getauxval has them\n", pairs, matched);
    check("/proc/self/auxv is the program's vector", ended && matched == 6);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    check_exe();
    check_cmdline(argc, argv);
    check_comm(argv[0]);
    check_stat(argc, argv);
    check_auxv();
    printf("procself: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
