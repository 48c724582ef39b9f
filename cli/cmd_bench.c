/* `rvx bench`: runs the benchmark workloads under every engine (rvx interpreter, rvx
 * DBT, qemu-riscv64, native x86-64) in one run and prints, per workload, median
 * times, guest MIPS and TB statistics, then a summary with the ratios DBT/native,
 * QEMU/DBT, interp/DBT (and QEMU/native, interp/native) and their geometric means.
 *
 * Workloads (bench/README.md): our C kernels, built by bench/CMakeLists.txt for
 * riscv64 and for the host with the same gcc flags, and Debian trixie's xz, lua5.4,
 * sqlite3 and python3 from the riscv64 sysroot (tools/debian-sysroot.sh) and its
 * amd64 twin (run natively through that sysroot's dynamic loader).
 *
 * Invariants:
 *  - every run is a separate child process (rvx engines re-execute /proc/self/exe
 *    `run --engine=E`), timed by wall clock from fork to exit;
 *  - within a repetition the engines run one after the other (alternating), so slow
 *    drifts of the machine hit every engine alike; medians over repetitions;
 *  - the stdout of every run is hashed and must be identical across engines and
 *    repetitions (each workload prints a checksum); a difference fails the bench;
 *  - an engine rvx does not have (`rvx run --engine=E` says "unknown engine", exit
 *    2) or a missing qemu/sysroot is reported as n/a, never as a failure;
 *  - guest instruction counts come from the line "rvx-stats: ..." that `rvx run`
 *    appends to the file named by RVX_STATS (cli/cmd_run.c); a file rather than
 *    stderr because some guests (xz) close their stderr before exiting.
 * Exit status: 0 when every run that could run succeeded and outputs agree, 1 when a
 * run failed or outputs differ, 2 on bad options or a missing bench directory. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"

/* Paths are built with snprintf into PATH_MAX buffers; one that does not fit is
 * truncated and then simply not found (reported as such), which is the behaviour we
 * want, so gcc's truncation warnings are noise here. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

extern char **environ;

enum { MAX_ARGS = 8, MAX_REPS = 99 };

typedef enum WorkloadKind { WL_KERNEL, WL_DEBIAN } WorkloadKind;

/* One workload. Arguments may use @SCALE@ (the scale below), @DIR@ (the bench
 * directory) and @WORK@ (a scratch directory, also the children's cwd). Scales are
 * calibrated so the native run takes ~0.3 s (quick: a tenth). */
typedef struct Workload {
    const char *name;
    WorkloadKind kind;
    const char *prog;                 /* kernel file name, or program path in the sysroots */
    const char *args[MAX_ARGS];
    const char *stdin_template;       /* file in DIR/workloads fed on stdin, @SCALE@ replaced */
    bool xz_input;                    /* generate @WORK@/xz-input of @SCALE@ KiB */
    long scale, quick_scale;
    const char *what;
} Workload;

static const Workload workloads[] = {
    {"matmul", WL_KERNEL, "matmul", {"@SCALE@"}, NULL, false, 1100, 110, "96x96 double matrix multiply"},
    {"sha256", WL_KERNEL, "sha256", {"@SCALE@"}, NULL, false, 900, 90, "SHA-256 of 64 KiB blocks"},
    {"sort", WL_KERNEL, "sort", {"@SCALE@"}, NULL, false, 80, 8, "qsort + radix sort of 32768 keys"},
    {"crc32", WL_KERNEL, "crc32", {"@SCALE@"}, NULL, false, 1200, 120, "CRC-32 slice-by-4 over 256 KiB"},
    {"vm", WL_KERNEL, "vm", {"@SCALE@"}, NULL, false, 180, 18, "bytecode interpreter loop"},
    {"strings", WL_KERNEL, "strings", {"@SCALE@"}, NULL, false, 100, 10, "split/hash/strstr/format text"},
    {"xz", WL_DEBIAN, "/usr/bin/xz", {"-9", "-T1", "-c", "@WORK@/xz-input"}, NULL, true, 1024, 128,
     "xz -9 of a generated file (scale: KiB)"},
    {"lua", WL_DEBIAN, "/usr/bin/lua5.4", {"@DIR@/workloads/bench.lua", "@SCALE@"}, NULL, false, 40, 4,
     "lua5.4 tables, strings, sort"},
    {"sqlite3", WL_DEBIAN, "/usr/bin/sqlite3", {":memory:"}, "bench.sql", false, 150000, 15000,
     "sqlite3 inserts, index, joins (scale: rows)"},
    {"python3", WL_DEBIAN, "/usr/bin/python3", {"@DIR@/workloads/bench.py", "@SCALE@"}, NULL, false,
     10, 1, "python3 objects, dicts, strings"},
};
enum { N_WORKLOADS = sizeof workloads / sizeof workloads[0] };

typedef enum EngineId { ENG_NATIVE, ENG_QEMU, ENG_INTERP, ENG_DBT, ENG_COUNT } EngineId;
static const char *const engine_names[ENG_COUNT] = {"native", "qemu", "interp", "dbt"};

typedef struct Stats {
    bool valid;
    uint64_t instret, tbs, flushes, code_bytes, blocks_run;
    uint64_t chained, jump_lookups;  /* DBT: direct edges patched, jump cache refills in code */
} Stats;

typedef struct Run {
    bool ok;
    double seconds;
    uint64_t hash, size;
    Stats stats;
} Run;

typedef struct EngineResult {
    bool available;            /* engine exists and can run this workload */
    const char *why_not;
    int n_runs, n_failed;
    double t[MAX_REPS];
    uint64_t hash, size;       /* output of the first successful run */
    bool differs;              /* some run's output differed from the reference */
    Stats stats;
    char failure[160];
} EngineResult;

typedef struct Bench {
    int reps;
    bool quick, verbose;
    bool want[ENG_COUNT];
    EngineId order[ENG_COUNT];
    int n_order;
    const char *filter;
    char self[PATH_MAX];
    char dir[PATH_MAX];
    char work[PATH_MAX];
    const char *sysroot, *native_sysroot;
    char qemu[PATH_MAX];
    bool engine_ok[ENG_COUNT];
    const char *engine_why[ENG_COUNT];
    double timeout;
} Bench;

/* Per-workload medians for the summary (NAN: not measured). */
typedef struct Summary {
    const char *name;
    double median[ENG_COUNT];
    uint64_t instret;
    bool ran, failed;
} Summary;

/* ---- small utilities ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_exec(const char *p) { return access(p, X_OK) == 0; }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
    if (n <= 0)
        return NAN;
    double s[MAX_REPS];
    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Replaces @SCALE@, @DIR@ and @WORK@ in `in`. */
static void substitute(const Bench *b, const char *in, long scale, char *out, size_t size)
{
    char num[32];
    snprintf(num, sizeof num, "%ld", scale);
    size_t o = 0;
    while (*in && o + 1 < size) {
        const char *rep = NULL;
        size_t skip = 0;
        if (!strncmp(in, "@SCALE@", 7)) rep = num, skip = 7;
        else if (!strncmp(in, "@DIR@", 5)) rep = b->dir, skip = 5;
        else if (!strncmp(in, "@WORK@", 6)) rep = b->work, skip = 6;
        if (rep) {
            size_t n = strlen(rep);
            if (o + n >= size)
                break;
            memcpy(out + o, rep, n);
            o += n;
            in += skip;
        } else {
            out[o++] = *in++;
        }
    }
    out[o] = 0;
}

/* FNV-1a over a file's bytes; also returns its size. */
static bool hash_file(const char *path, uint64_t *hash, uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint64_t h = 0xcbf29ce484222325ull, n = 0;
    unsigned char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t i = 0; i < got; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
        n += got;
    }
    fclose(f);
    *hash = h;
    *size = n;
    return true;
}

/* The first line of a file (for reports), made printable. */
static void first_line(const char *path, char *out, size_t size)
{
    out[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(out, 1, size - 1, f);
    fclose(f);
    out[n] = 0;
    for (size_t i = 0; i < n; i++) {
        if (out[i] == '\n') {
            out[i] = 0;
            break;
        }
        if ((unsigned char)out[i] < 32 || (unsigned char)out[i] > 126) {
            snprintf(out, size, "(binary)");
            return;
        }
    }
}

/* Parses "rvx-stats: key=value ..." lines from a file (the last one wins); keeps
 * the last other non-empty line in `last` (for failure reports from stderr). */
static void read_stats(const char *path, Stats *st, char *last, size_t last_size)
{
    memset(st, 0, sizeof *st);
    if (last_size)
        last[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, "rvx-stats:", 10) != 0) {
            if (line[0] && last_size)
                snprintf(last, last_size, "%s", line);
            continue;
        }
        st->valid = true;
        for (char *tok = strtok(line + 10, " "); tok; tok = strtok(NULL, " ")) {
            char *eq = strchr(tok, '=');
            if (!eq)
                continue;
            *eq = 0;
            uint64_t v = strtoull(eq + 1, NULL, 10);
            if (!strcmp(tok, "instret")) st->instret = v;
            else if (!strcmp(tok, "tbs")) st->tbs = v;
            else if (!strcmp(tok, "tb_flushes")) st->flushes = v;
            else if (!strcmp(tok, "code_bytes")) st->code_bytes = v;
            else if (!strcmp(tok, "blocks_run")) st->blocks_run = v;
            else if (!strcmp(tok, "chained")) st->chained = v;
            else if (!strcmp(tok, "jump_lookups")) st->jump_lookups = v;
        }
    }
    fclose(f);
}

/* ---- inputs ---- */

/* Deterministic compressible-but-not-trivial data: words with runs of noise. */
static bool make_xz_input(const char *path, long kib)
{
    static const char *const words[] = {"emulator ", "risc ", "five ", "translation ", "block ",
                                        "cache ", "memory ", "page ", "qemu ", "native "};
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    uint64_t s = 88172645463325252ull, n = 0, want = (uint64_t)kib * 1024;
    while (n < want) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        if (s % 10 == 0) {
            for (int i = 0; i < 16 && n < want; i++, n++)
                fputc((int)((s >> (i * 4)) & 0xff), f);
        } else {
            const char *w = words[(s >> 8) % 10];
            for (; *w && n < want; w++, n++)
                fputc(*w, f);
        }
    }
    return fclose(f) == 0;
}

static bool make_stdin_file(const Bench *b, const Workload *w, long scale, char *path, size_t size)
{
    char tmpl[PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "%s/workloads/%s", b->dir, w->stdin_template);
    FILE *in = fopen(tmpl, "r");
    if (!in)
        return false;
    snprintf(path, size, "%s/%s.stdin", b->work, w->name);
    FILE *out = fopen(path, "w");
    if (!out) {
        fclose(in);
        return false;
    }
    char line[4096], sub[8192];
    while (fgets(line, sizeof line, in)) {
        substitute(b, line, scale, sub, sizeof sub);
        fputs(sub, out);
    }
    fclose(in);
    return fclose(out) == 0;
}

/* ---- running ---- */

/* Builds the command line of workload w under engine e into argv (strings in
 * `store`). Returns false when the engine cannot run it. */
static bool build_argv(const Bench *b, const Workload *w, EngineId e, long scale,
                       char **argv, char store[][PATH_MAX])
{
    int n = 0, s = 0;
#define ADD(str) (snprintf(store[s], PATH_MAX, "%s", (str)), argv[n++] = store[s++])
    char prog[PATH_MAX];
    bool debian = w->kind == WL_DEBIAN;
    if (e == ENG_NATIVE) {
        if (debian) {
            snprintf(prog, sizeof prog, "%s/lib64/ld-linux-x86-64.so.2", b->native_sysroot);
            ADD(prog);
            ADD("--library-path");
            snprintf(prog, sizeof prog, "%s/usr/lib/x86_64-linux-gnu:%s/lib/x86_64-linux-gnu",
                     b->native_sysroot, b->native_sysroot);
            ADD(prog);
            snprintf(prog, sizeof prog, "%s%s", b->native_sysroot, w->prog);
        } else {
            snprintf(prog, sizeof prog, "%s/native/%s", b->dir, w->prog);
        }
    } else {
        if (e == ENG_QEMU) {
            ADD(b->qemu);
        } else {
            ADD(b->self);
            ADD("run");
            ADD(e == ENG_INTERP ? "--engine=interp" : "--engine=dbt");
        }
        if (debian) {
            ADD("-L");
            ADD(b->sysroot);
            snprintf(prog, sizeof prog, "%s%s", b->sysroot, w->prog);
        } else {
            snprintf(prog, sizeof prog, "%s/riscv64/%s", b->dir, w->prog);
        }
    }
    if (!is_exec(prog))
        return false;
    ADD(prog);
    for (int i = 0; i < MAX_ARGS && w->args[i]; i++) {
        char arg[PATH_MAX];
        substitute(b, w->args[i], scale, arg, sizeof arg);
        ADD(arg);
    }
    argv[n] = NULL;
#undef ADD
    return true;
}

/* Runs one command; stdout and stderr go to files in the work directory, and with
 * `stats_path` rvx's statistics to that file. */
static Run run_command(const Bench *b, char **argv, const char *stdin_path,
                       const char *stats_path, const char *out_path, const char *err_path,
                       char *failure, size_t fsize)
{
    Run r = {0};
    if (stats_path)
        unlink(stats_path);
    double t0 = now_seconds();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(failure, fsize, "fork: %s", strerror(errno));
        return r;
    }
    if (pid == 0) {
        int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0 || chdir(b->work) != 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        if (stats_path)
            setenv("RVX_STATS", stats_path, 1);
        else
            unsetenv("RVX_STATS");
        /* A timer survives execve: a hung run dies of SIGALRM. */
        if (b->timeout > 0)
            alarm((unsigned)ceil(b->timeout));
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    r.seconds = now_seconds() - t0;
    char last[128];
    Stats ignored;
    read_stats(err_path, &ignored, last, sizeof last);
    if (stats_path)
        read_stats(stats_path, &r.stats, NULL, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        r.ok = hash_file(out_path, &r.hash, &r.size);
        if (!r.ok)
            snprintf(failure, fsize, "cannot read output");
    } else if (WIFSIGNALED(status)) {
        snprintf(failure, fsize, "killed by signal %d%s; %s", WTERMSIG(status),
                 WTERMSIG(status) == SIGALRM ? " (timeout)" : "", last);
    } else {
        snprintf(failure, fsize, "exit status %d; %s", WEXITSTATUS(status), last);
    }
    return r;
}

/* ---- engine availability ---- */

static bool find_in_path(const char *name, char *out, size_t size)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        snprintf(out, size, "%.*s/%s", (int)n, path, name);
        if (n && is_exec(out))
            return true;
        path += n + (path[n] == ':');
    }
    return false;
}

/* `rvx run --engine=E --help` exits 0 when the engine exists, 2 ("unknown engine")
 * when it does not. */
static bool rvx_has_engine(const Bench *b, const char *engine)
{
    char arg[64];
    snprintf(arg, sizeof arg, "--engine=%s", engine);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(b->self, b->self, "run", arg, "--help", (char *)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void probe_engines(Bench *b)
{
    b->engine_ok[ENG_NATIVE] = true;
    b->engine_ok[ENG_INTERP] = rvx_has_engine(b, "interp");
    b->engine_why[ENG_INTERP] = "rvx run --engine=interp unavailable";
    b->engine_ok[ENG_DBT] = rvx_has_engine(b, "dbt");
    b->engine_why[ENG_DBT] = "unknown engine (not built yet)";
    const char *q = getenv("RVX_QEMU");
    if (q && *q) {
        snprintf(b->qemu, sizeof b->qemu, "%s", q);
        b->engine_ok[ENG_QEMU] = is_exec(q);
    } else {
        b->engine_ok[ENG_QEMU] = find_in_path("qemu-riscv64", b->qemu, sizeof b->qemu);
    }
    b->engine_why[ENG_QEMU] = "qemu-riscv64 not installed";
}

/* ---- one workload ---- */

static void format_bytes(uint64_t n, char *out, size_t size)
{
    if (n >= 10u << 20)
        snprintf(out, size, "%.1f MiB", (double)n / (1 << 20));
    else if (n >= 10u << 10)
        snprintf(out, size, "%.1f KiB", (double)n / 1024);
    else
        snprintf(out, size, "%" PRIu64 " B", n);
}

static bool run_workload(Bench *b, const Workload *w, Summary *sum)
{
    long scale = b->quick ? w->quick_scale : w->scale;
    EngineResult res[ENG_COUNT];
    memset(res, 0, sizeof res);
    sum->name = w->name;
    for (int e = 0; e < ENG_COUNT; e++)
        sum->median[e] = NAN;

    bool debian = w->kind == WL_DEBIAN;
    if (debian && !is_dir(b->sysroot)) {
        printf("\n== %s: skipped (no riscv64 sysroot at %s; run tools/debian-sysroot.sh)\n",
               w->name, b->sysroot);
        return true;
    }
    char stdin_path[PATH_MAX] = "";
    if (w->stdin_template && !make_stdin_file(b, w, scale, stdin_path, sizeof stdin_path)) {
        printf("\n== %s: cannot prepare stdin from %s/workloads/%s\n", w->name, b->dir,
               w->stdin_template);
        sum->failed = true;
        return false;
    }
    if (w->xz_input) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/xz-input", b->work);
        if (!make_xz_input(p, scale)) {
            printf("\n== %s: cannot write %s\n", w->name, p);
            sum->failed = true;
            return false;
        }
    }

    char *argv[ENG_COUNT][32];
    static char store[ENG_COUNT][32][PATH_MAX];
    for (int i = 0; i < b->n_order; i++) {
        EngineId e = b->order[i];
        EngineResult *r = &res[e];
        if (!b->engine_ok[e]) {
            r->why_not = b->engine_why[e];
            continue;
        }
        if (e == ENG_NATIVE && debian) {
#if defined(__x86_64__)
            if (!b->native_sysroot || !is_dir(b->native_sysroot)) {
                r->why_not = "no amd64 sysroot (tools/debian-sysroot.sh --arch amd64)";
                continue;
            }
#else
            r->why_not = "the native Debian twin is amd64 only";
            continue;
#endif
        }
        if (!build_argv(b, w, e, scale, argv[e], store[e])) {
            r->why_not = e == ENG_NATIVE && !debian ? "native kernel not built"
                                                    : "program not found";
            continue;
        }
        r->available = true;
    }

    /* Warm-up (untimed): fills the page cache and lets python write its bytecode
     * caches, so the first timed engine is not penalised. One run per
     * architecture, with the fastest engine of that architecture. */
    if (debian) {
        static const EngineId riscv_pref[] = {ENG_DBT, ENG_QEMU, ENG_INTERP};
        EngineId warm[2] = {ENG_NATIVE, ENG_COUNT};
        for (int i = 0; i < 3; i++)
            if (res[riscv_pref[i]].available) {
                warm[1] = riscv_pref[i];
                break;
            }
        for (int i = 0; i < 2; i++) {
            if (warm[i] == ENG_COUNT || !res[warm[i]].available)
                continue;
            char o[PATH_MAX], er[PATH_MAX], f[160];
            snprintf(o, sizeof o, "%s/warmup.out", b->work);
            snprintf(er, sizeof er, "%s/warmup.err", b->work);
            run_command(b, argv[warm[i]], stdin_path[0] ? stdin_path : NULL, NULL, o, er, f,
                        sizeof f);
        }
    }

    for (int rep = 0; rep < b->reps; rep++) {
        for (int i = 0; i < b->n_order; i++) {
            EngineId e = b->order[i];
            EngineResult *r = &res[e];
            if (!r->available)
                continue;
            char out[PATH_MAX], err[PATH_MAX], st[PATH_MAX];
            snprintf(out, sizeof out, "%s/%s.%s.out", b->work, w->name, engine_names[e]);
            snprintf(err, sizeof err, "%s/%s.%s.err", b->work, w->name, engine_names[e]);
            snprintf(st, sizeof st, "%s/%s.%s.stats", b->work, w->name, engine_names[e]);
            bool stats = e == ENG_INTERP || e == ENG_DBT;
            Run run = run_command(b, argv[e], stdin_path[0] ? stdin_path : NULL,
                                  stats ? st : NULL, out, err, r->failure, sizeof r->failure);
            if (b->verbose)
                fprintf(stderr, "  %s/%s rep %d: %.3f s%s\n", w->name, engine_names[e], rep + 1,
                        run.seconds, run.ok ? "" : " FAILED");
            if (!run.ok) {
                r->n_failed++;
                continue;
            }
            if (r->n_runs == 0) {
                r->hash = run.hash;
                r->size = run.size;
            } else if (run.hash != r->hash || run.size != r->size) {
                r->differs = true;
            }
            if (run.stats.valid)
                r->stats = run.stats;
            r->t[r->n_runs++] = run.seconds;
        }
    }

    /* Agreement: every engine's output equals the first successful engine's. */
    bool ok = true;
    int reference = -1, agreeing = 0;
    for (int i = 0; i < b->n_order; i++) {
        EngineId e = b->order[i];
        if (!res[e].n_runs)
            continue;
        if (reference < 0)
            reference = e;
        if (res[e].hash == res[reference].hash && res[e].size == res[reference].size &&
            !res[e].differs)
            agreeing++;
        else
            ok = false;
    }
    char shown[96] = "";
    if (reference >= 0) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s.%s.out", b->work, w->name, engine_names[reference]);
        first_line(p, shown, sizeof shown);
    }
    printf("\n== %s (%s; scale %ld)\n", w->name, w->what, scale);
    if (reference >= 0)
        printf("   output: \"%s\", %" PRIu64 " bytes, hash %016" PRIx64 ": %s\n", shown,
               res[reference].size, res[reference].hash,
               ok ? (agreeing > 1 ? "all engines agree" : "one engine ran") : "ENGINES DISAGREE");

    uint64_t instret = 0;
    for (int e = ENG_INTERP; e <= ENG_DBT; e++)
        if (res[e].stats.valid && res[e].stats.instret)
            instret = res[e].stats.instret;
    sum->instret = instret;
    printf("   %-8s %9s %9s %9s %11s\n", "engine", "median s", "min s", "max s", "guest MIPS");
    for (int i = 0; i < b->n_order; i++) {
        EngineId e = b->order[i];
        EngineResult *r = &res[e];
        if (!r->available) {
            printf("   %-8s n/a (%s)\n", engine_names[e], r->why_not ? r->why_not : "unavailable");
            continue;
        }
        if (!r->n_runs) {
            printf("   %-8s FAILED (%d runs): %s\n", engine_names[e], r->n_failed, r->failure);
            ok = false;
            continue;
        }
        double med = median(r->t, r->n_runs), lo = r->t[0], hi = r->t[0];
        for (int k = 1; k < r->n_runs; k++) {
            lo = fmin(lo, r->t[k]);
            hi = fmax(hi, r->t[k]);
        }
        sum->median[e] = med;
        char mips[32] = "";
        if (instret)
            snprintf(mips, sizeof mips, "%.0f", (double)instret / med / 1e6);
        printf("   %-8s %9.3f %9.3f %9.3f %11s%s%s\n", engine_names[e], med, lo, hi, mips,
               r->n_failed ? "  (some runs FAILED: " : "", r->n_failed ? r->failure : "");
        if (r->n_failed)
            ok = false;
        if (r->differs || (reference >= 0 && (r->hash != res[reference].hash)))
            printf("   %-8s output differs: hash %016" PRIx64 ", %" PRIu64 " bytes (see %s/%s.%s.out)\n",
                   engine_names[e], r->hash, r->size, b->work, w->name, engine_names[e]);
    }
    for (int e = ENG_INTERP; e <= ENG_DBT; e++) {
        if (!res[e].stats.valid)
            continue;
        char code[32];
        format_bytes(res[e].stats.code_bytes, code, sizeof code);
        const Stats *st = &res[e].stats;
        double per_tb = st->blocks_run ? (double)st->instret / (double)st->blocks_run : 0;
        if (e == ENG_DBT) /* chained blocks run without the exec loop: count its entries */
            printf("   %s: %" PRIu64 " guest instructions, %" PRIu64 " TBs translated, %" PRIu64
                   " entries from the exec loop (%.1f insns each), %" PRIu64 " edges chained, %" PRIu64
                   " jump cache refills in code, %" PRIu64 " cache flushes, code cache %s\n",
                   engine_names[e], st->instret, st->tbs, st->blocks_run, per_tb, st->chained,
                   st->jump_lookups, st->flushes, code);
        else
            printf("   %s: %" PRIu64 " guest instructions, %" PRIu64 " TBs translated, %" PRIu64
                   " TBs run (%.1f insns/TB), %" PRIu64 " cache flushes, code cache %s\n",
                   engine_names[e], st->instret, st->tbs, st->blocks_run, per_tb, st->flushes, code);
    }
    sum->ran = reference >= 0;
    sum->failed = !ok;
    fflush(stdout);
    return ok;
}

/* ---- summary ---- */

static void print_ratio(double a, double b)
{
    if (isnan(a) || isnan(b) || b <= 0)
        printf(" %10s", "n/a");
    else
        printf(" %10.2f", a / b);
}

static void print_summary(const Bench *b, const Summary *s, int n)
{
    static const struct { EngineId num, den; const char *label; } ratios[] = {
        {ENG_DBT, ENG_NATIVE, "dbt/nat"}, {ENG_QEMU, ENG_DBT, "qemu/dbt"},
        {ENG_INTERP, ENG_DBT, "interp/dbt"}, {ENG_QEMU, ENG_NATIVE, "qemu/nat"},
        {ENG_INTERP, ENG_NATIVE, "interp/nat"}, {ENG_INTERP, ENG_QEMU, "interp/qemu"},
    };
    enum { N_RATIOS = sizeof ratios / sizeof ratios[0] };
    printf("\n== summary: median seconds (%d repetition%s%s), ratios of medians\n", b->reps,
           b->reps == 1 ? "" : "s", b->quick ? ", quick scales" : "");
    printf("%-9s", "workload");
    for (int e = 0; e < ENG_COUNT; e++)
        printf(" %8s", engine_names[e]);
    for (int r = 0; r < N_RATIOS; r++)
        printf(" %10s", ratios[r].label);
    printf(" %8s %8s %8s\n", "MIPS:int", "qemu", "dbt");
    double log_sum[N_RATIOS] = {0};
    int log_n[N_RATIOS] = {0};
    for (int i = 0; i < n; i++) {
        if (!s[i].ran)
            continue;
        printf("%-9s", s[i].name);
        for (int e = 0; e < ENG_COUNT; e++) {
            if (isnan(s[i].median[e]))
                printf(" %8s", "n/a");
            else
                printf(" %8.3f", s[i].median[e]);
        }
        for (int r = 0; r < N_RATIOS; r++) {
            double a = s[i].median[ratios[r].num], d = s[i].median[ratios[r].den];
            print_ratio(a, d);
            if (!isnan(a) && !isnan(d) && d > 0 && a > 0) {
                log_sum[r] += log(a / d);
                log_n[r]++;
            }
        }
        static const EngineId mips_of[] = {ENG_INTERP, ENG_QEMU, ENG_DBT};
        for (int m = 0; m < 3; m++) {
            double t = s[i].median[mips_of[m]];
            if (s[i].instret && !isnan(t))
                printf(" %8.0f", (double)s[i].instret / t / 1e6);
            else
                printf(" %8s", "n/a");
        }
        printf("%s\n", s[i].failed ? "  FAILED" : "");
    }
    printf("%-9s", "geomean");
    for (int e = 0; e < ENG_COUNT; e++)
        printf(" %8s", "");
    for (int r = 0; r < N_RATIOS; r++) {
        if (log_n[r])
            printf(" %10.2f", exp(log_sum[r] / log_n[r]));
        else
            printf(" %10s", "n/a");
    }
    printf("\n");
}

/* ---- options ---- */

static void bench_usage(FILE *out)
{
    fprintf(out,
            "usage: rvx bench [OPTIONS]\n"
            "  --reps N              repetitions per engine (default 3; medians are reported)\n"
            "  --engines LIST        comma-separated: interp,dbt,qemu,native (default: all)\n"
            "  --filter LIST         only workloads whose name contains one of LIST\n"
            "  --quick               a tenth of the normal work per workload\n"
            "  --dir DIR             bench directory (default: RVX_BENCH_DIR, else the\n"
            "                        bench/ directory next to the rvx executable)\n"
            "  --sysroot DIR         riscv64 Debian sysroot (default: RVX_CACHE or\n"
            "                        ~/.cache/rvx, sysroot/trixie-riscv64)\n"
            "  --native-sysroot DIR  amd64 twin of the sysroot (default: .../trixie-amd64)\n"
            "  --timeout SECONDS     kill a run after this long (default 900)\n"
            "  --list                list the workloads and exit\n"
            "  -v, --verbose         print every run's time on stderr\n");
}

static bool parse_engines(Bench *b, const char *list)
{
    memset(b->want, 0, sizeof b->want);
    b->n_order = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int e = 0;
        while (e < ENG_COUNT && strcmp(tok, engine_names[e]) != 0)
            e++;
        if (e == ENG_COUNT) {
            fprintf(stderr, "rvx bench: unknown engine '%s' (interp, dbt, qemu, native)\n", tok);
            return false;
        }
        if (!b->want[e])
            b->order[b->n_order++] = (EngineId)e;
        b->want[e] = true;
    }
    return b->n_order > 0;
}

static bool selected(const Bench *b, const Workload *w)
{
    if (!b->filter || !*b->filter)
        return true;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", b->filter);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
        if (strstr(w->name, tok))
            return true;
    return false;
}

static void default_sysroot(char *out, size_t size, const char *arch)
{
    const char *cache = getenv("RVX_CACHE");
    const char *home = getenv("HOME");
    if (cache && *cache)
        snprintf(out, size, "%s/sysroot/trixie-%s", cache, arch);
    else
        snprintf(out, size, "%s/.cache/rvx/sysroot/trixie-%s", home ? home : "", arch);
}

static void remove_work_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    char p[PATH_MAX];
    while ((ent = readdir(d)) != NULL) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, ent->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

int cmd_bench(int argc, char **argv)
{
    enum { OPT_REPS = 256, OPT_ENGINES, OPT_FILTER, OPT_QUICK, OPT_DIR, OPT_SYSROOT,
           OPT_NATIVE_SYSROOT, OPT_TIMEOUT, OPT_LIST };
    static const struct option options[] = {
        {"reps", required_argument, NULL, OPT_REPS},
        {"engines", required_argument, NULL, OPT_ENGINES},
        {"filter", required_argument, NULL, OPT_FILTER},
        {"quick", no_argument, NULL, OPT_QUICK},
        {"dir", required_argument, NULL, OPT_DIR},
        {"sysroot", required_argument, NULL, OPT_SYSROOT},
        {"native-sysroot", required_argument, NULL, OPT_NATIVE_SYSROOT},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"list", no_argument, NULL, OPT_LIST},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static Bench b;
    memset(&b, 0, sizeof b);
    b.reps = 3;
    b.timeout = 900;
    parse_engines(&b, "interp,dbt,qemu,native");
    const char *dir = getenv("RVX_BENCH_DIR");
    static char sysroot[PATH_MAX], native_sysroot[PATH_MAX];
    default_sysroot(sysroot, sizeof sysroot, "riscv64");
    default_sysroot(native_sysroot, sizeof native_sysroot, "amd64");
    b.sysroot = sysroot;
    b.native_sysroot = native_sysroot;
    bool list = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+vh", options, NULL)) != -1) {
        switch (c) {
        case OPT_REPS:
            b.reps = atoi(optarg);
            if (b.reps < 1 || b.reps > MAX_REPS) {
                fprintf(stderr, "rvx bench: --reps must be 1..%d\n", MAX_REPS);
                return 2;
            }
            break;
        case OPT_ENGINES:
            if (!parse_engines(&b, optarg))
                return 2;
            break;
        case OPT_FILTER: b.filter = optarg; break;
        case OPT_QUICK: b.quick = true; break;
        case OPT_DIR: dir = optarg; break;
        case OPT_SYSROOT: b.sysroot = optarg; break;
        case OPT_NATIVE_SYSROOT: b.native_sysroot = optarg; break;
        case OPT_TIMEOUT: b.timeout = atof(optarg); break;
        case OPT_LIST: list = true; break;
        case 'v': b.verbose = true; break;
        case 'h': bench_usage(stdout); return 0;
        default: bench_usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "rvx bench: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (list) {
        for (int i = 0; i < N_WORKLOADS; i++)
            printf("%-9s %-6s scale %-7ld quick %-6ld %s\n", workloads[i].name,
                   workloads[i].kind == WL_KERNEL ? "kernel" : "debian", workloads[i].scale,
                   workloads[i].quick_scale, workloads[i].what);
        return 0;
    }

    ssize_t n = readlink("/proc/self/exe", b.self, sizeof b.self - 1);
    if (n <= 0) {
        fprintf(stderr, "rvx bench: cannot find the rvx executable (/proc/self/exe)\n");
        return 2;
    }
    b.self[n] = 0;
    if (dir && *dir) {
        snprintf(b.dir, sizeof b.dir, "%s", dir);
    } else {
        char exe_dir[PATH_MAX];
        snprintf(exe_dir, sizeof exe_dir, "%s", b.self);
        char *slash = strrchr(exe_dir, '/');
        if (slash)
            *slash = 0;
        snprintf(b.dir, sizeof b.dir, "%s/bench", exe_dir);
    }
    char abs_dir[PATH_MAX];
    if (!realpath(b.dir, abs_dir) || !is_dir(abs_dir)) {
        fprintf(stderr, "rvx bench: no bench directory at %s (build the bench/ folder or use --dir)\n",
                b.dir);
        return 2;
    }
    snprintf(b.dir, sizeof b.dir, "%s", abs_dir);

    const char *tmp = getenv("TMPDIR");
    snprintf(b.work, sizeof b.work, "%s/rvx-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(b.work)) {
        fprintf(stderr, "rvx bench: cannot create a scratch directory: %s\n", strerror(errno));
        return 2;
    }
    probe_engines(&b);
    printf("rvx bench: %d repetition%s, engines", b.reps, b.reps == 1 ? "" : "s");
    for (int i = 0; i < b.n_order; i++)
        printf(" %s%s", engine_names[b.order[i]], b.engine_ok[b.order[i]] ? "" : "(n/a)");
    printf("\n  bench dir %s\n  sysroots %s, %s\n", b.dir, b.sysroot, b.native_sysroot);
    if (b.engine_ok[ENG_QEMU])
        printf("  qemu %s\n", b.qemu);
    fflush(stdout);

    Summary sums[N_WORKLOADS];
    int n_sums = 0;
    bool ok = true;
    for (int i = 0; i < N_WORKLOADS; i++) {
        if (!selected(&b, &workloads[i]))
            continue;
        memset(&sums[n_sums], 0, sizeof sums[n_sums]);
        if (!run_workload(&b, &workloads[i], &sums[n_sums]))
            ok = false;
        n_sums++;
    }
    if (n_sums == 0) {
        fprintf(stderr, "rvx bench: no workload matches '%s'\n", b.filter ? b.filter : "");
        remove_work_dir(b.work);
        return 2;
    }
    print_summary(&b, sums, n_sums);
    if (ok)
        remove_work_dir(b.work);
    else
        printf("\nrvx bench: FAILED (outputs kept in %s)\n", b.work);
    return ok ? 0 : 1;
}
