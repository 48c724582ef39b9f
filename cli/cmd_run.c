/* `rvx run [OPTIONS] PROG [ARGS...]`: runs a riscv64 Linux program in user mode.
 * The exit status is the guest's (128 + signal when a signal killed it); option
 * errors exit 2, unreadable or non-riscv64 programs exit 1 or 2.
 * RVX_STATS (cli_print_stats) reports on the main thread when it returns. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "exec/dbt.h"
#include "exec/exec.h"
#include "frontend/trap.h"
#include "linux-user/process.h"

extern char **environ;

static void run_usage(FILE *out)
{
    fprintf(out,
            "usage: rvx run [OPTIONS] PROG [ARGS...]\n"
            "  --engine=ENGINE     execution engine: dbt (the translator; the default on\n"
            "                      x86-64 hosts) or interp (the reference interpreter)\n"
            "  --verify            run the DBT and the interpreter in lockstep, stop at the\n"
            "                      first difference\n"
            "  -d LIST             DBT trace to stderr: in_asm,op,op_opt,out_asm,exec;\n"
            "                      perfmap writes /tmp/perf-PID.map for perf report\n"
            "  --dbt-threshold=N   DBT: interpret a block N times before translating it\n"
            "                      (default %u; 0 translates at once, as --verify and -d\n"
            "                      traces do)\n"
            "  -L, --sysroot DIR   look up the ELF interpreter and absolute guest paths\n"
            "                      under DIR first (also RVX_LD_PREFIX); not /proc, /dev,\n"
            "                      /sys, /tmp, /run, /home, /root: those are the host's\n"
            "  --argv0 NAME        argv[0] seen by the guest (default: PROG)\n"
            "  -B, --guest-base ADDR  host address of guest address 0 (page aligned;\n"
            "                      default: low in the host if free, else anywhere)\n"
            "  --strace            log every syscall to stderr\n",
            EXEC_DBT_THRESHOLD);
}

int cmd_run(int argc, char **argv)
{
    enum { OPT_ENGINE = 256, OPT_ARGV0, OPT_STRACE, OPT_VERIFY, OPT_DBT_THRESHOLD };
    static const struct option options[] = {
        {"engine", required_argument, NULL, OPT_ENGINE},
        {"sysroot", required_argument, NULL, 'L'},
        {"argv0", required_argument, NULL, OPT_ARGV0},
        {"guest-base", required_argument, NULL, 'B'},
        {"strace", no_argument, NULL, OPT_STRACE},
        {"verify", no_argument, NULL, OPT_VERIFY},
        {"dbt-threshold", required_argument, NULL, OPT_DBT_THRESHOLD},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    /* The DBT is the default where this host has a backend. */
    UserOptions opt = {.sysroot = getenv("RVX_LD_PREFIX"), .engine = dbt_available() ? "dbt" : "interp",
                       .dbt_threshold = EXEC_DBT_THRESHOLD};
    ExecOptions eo = {.engine = dbt_available() ? EXEC_ENGINE_DBT : EXEC_ENGINE_INTERP};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+L:d:B:h", options, NULL)) != -1) {
        switch (c) {
        case OPT_ENGINE:
            if (!exec_engine_from_name(optarg, &eo.engine)) {
                fprintf(stderr, "rvx: unknown engine '%s' (available: %s)\n", optarg,
                        exec_engine_names());
                return 2;
            }
            opt.engine = optarg;
            break;
        case OPT_VERIFY:
            eo.verify = true;
            break;
        case OPT_DBT_THRESHOLD: {
            char *end;
            errno = 0;
            unsigned long v = strtoul(optarg, &end, 10);
            if (errno || *end || !*optarg || *optarg == '-' || v > 1000000000) {
                fprintf(stderr, "rvx: bad DBT threshold '%s' (a count from 0 to 10^9)\n", optarg);
                return 2;
            }
            opt.dbt_threshold = (unsigned)v;
            break;
        }
        case 'd':
            if (!dbt_parse_log(optarg, &eo.log)) {
                fprintf(stderr, "rvx: bad -d list '%s' (in_asm,op,op_opt,out_asm,exec,perfmap)\n", optarg);
                return 2;
            }
            break;
        case 'L': opt.sysroot = optarg; break;
        case OPT_ARGV0: opt.argv0 = optarg; break;
        case 'B': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 0);
            if (errno || *end || !v || v % GUEST_PAGE_SIZE || v > UINTPTR_MAX) {
                fprintf(stderr, "rvx: bad guest base '%s' (a nonzero page-aligned address)\n", optarg);
                return 2;
            }
            opt.guest_base = (uintptr_t)v;
            break;
        }
        case OPT_STRACE: opt.strace = true; break;
        case 'h': run_usage(stdout); return 0;
        default: run_usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "rvx run: missing program\n");
        run_usage(stderr);
        return 2;
    }
    if (opt.sysroot && !*opt.sysroot)
        opt.sysroot = NULL;

    if (eo.verify || eo.log) {
        if (!dbt_available()) {
            fprintf(stderr, "rvx: --verify and -d need the DBT, which this host lacks\n");
            return 2;
        }
        eo.engine = EXEC_ENGINE_DBT;
        opt.engine = "dbt";
    }

    static Process proc;
    process_init(&proc, &opt);
    Hart *hart = process_main_hart(&proc);

    /* An absolute program path is looked up under the sysroot first, like every
     * other guest path (execve re-enters here with guest paths). */
    const char *prog = argv[optind];
    char buf[PATH_MAX];
    prog = user_path(&proc, prog, buf, sizeof buf);
    char **guest_argv = argv + optind;
    int guest_argc = argc - optind;
    if (opt.argv0)
        guest_argv[0] = (char *)opt.argv0;
    int status = process_load(&proc, hart, prog, guest_argc, guest_argv, environ);
    if (status)
        return status;
    eo.flat_base = (uintptr_t)proc.mem.base;
    eo.flat_bits = GUEST_SPACE_BITS;
    eo.flat_guard = GUEST_GUARD_SIZE;
    eo.dbt_threshold = opt.dbt_threshold;
    exec_set_options(hart, &eo);
    status = process_run(&proc, hart);
    fflush(NULL);
    cli_print_stats(hart, opt.engine);
    return status;
}
