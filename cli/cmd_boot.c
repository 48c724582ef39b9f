/* `rvx boot [OPTIONS]`: runs the virt machine (machine/) until the guest powers off.
 * With no --kernel (and no bare-metal ELF firmware) it boots the default guest: the
 * Debian kernel Image and busybox initramfs that tools/guest-image.sh builds and
 * caches (its path: $RVX_GUEST_IMAGE_SCRIPT, else the source tree's copy).
 * Exit status: the guest's (0 after poweroff, the code of a failure exit or of an
 * HTIF exit), 1 for unusable input files, 2 for bad options. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "exec/dbt.h"
#include "exec/exec.h"
#include "machine/machine.h"

/* earlycon=sbi is left out: OpenSBI 1.1 (bookworm) lacks DBCN and Debian kernels lack
 * the legacy SBI console, so the kernel would reject it. */
#define BOOT_DEFAULT_APPEND "console=ttyS0"

static void boot_usage(FILE *out)
{
    fprintf(out,
            "usage: rvx boot [OPTIONS]\n"
            "  --kernel FILE     kernel: RISC-V flat Image (Linux) or ELF (default: the Debian\n"
            "                    guest from tools/guest-image.sh, with its initramfs)\n"
            "  --initrd FILE     initramfs (cpio, optionally compressed)\n"
            "  --append ARGS     kernel command line (default: \"" BOOT_DEFAULT_APPEND "\")\n"
            "  --bios FILE|none  M-mode firmware: OpenSBI fw_dynamic (default: %s),\n"
            "                    an ELF run from its entry, or none: a Linux Image runs in S-mode\n"
            "                    on rvx's built-in SBI, an ELF --kernel runs bare-metal in M-mode\n"
            "                    (HTIF exit/console through its tohost symbol)\n"
            "  --drive FILE      raw disk image as virtio-blk (/dev/vda)\n"
            "  --snapshot        keep disk writes in memory; the image is not modified\n"
            "  -m MB             RAM size in MiB (default %d)\n"
            "  --engine=ENGINE   execution engine: dbt (the translator; the default on x86-64\n"
            "                    hosts) or interp (the reference interpreter)\n"
            "  --verify          run the DBT and the interpreter in lockstep, stop at the\n"
            "                    first difference (blocks touching devices run on the DBT)\n"
            "  -d LIST           DBT trace to stderr: in_asm,op,op_opt,out_asm,exec;\n"
            "                    perfmap writes /tmp/perf-PID.map for perf report\n"
            "  --dtb-dump FILE   write the generated device tree to FILE and exit\n"
            "  -q, --quiet       no rvx notes on stderr\n"
            "Console: stdin/stdout; Ctrl-A x quits, Ctrl-A h for help.\n",
            MACHINE_DEFAULT_FIRMWARE, MACHINE_DEFAULT_RAM_MB);
}

static bool file_is_elf(const char *path)
{
    FILE *f = fopen(path, "rb");
    char magic[4] = {0};
    bool elf = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "\177ELF", 4) == 0;
    if (f)
        fclose(f);
    return elf;
}

/* Runs tools/guest-image.sh, which prints the Image path and the initramfs path. */
static bool default_guest(char **kernel, char **initrd)
{
    const char *script = getenv("RVX_GUEST_IMAGE_SCRIPT");
    if (!script || !*script)
        script = RVX_GUEST_IMAGE_SCRIPT;
    FILE *p = popen(script, "r");
    if (!p) {
        fprintf(stderr, "rvx boot: cannot run %s\n", script);
        return false;
    }
    char *lines[2] = {NULL, NULL};
    size_t cap[2] = {0, 0};
    bool ok = getline(&lines[0], &cap[0], p) > 1 && getline(&lines[1], &cap[1], p) > 1;
    int status = pclose(p);
    if (!ok || status != 0) {
        fprintf(stderr, "rvx boot: no --kernel given and the default guest is unavailable (%s failed)\n",
                script);
        free(lines[0]);
        free(lines[1]);
        return false;
    }
    lines[0][strcspn(lines[0], "\n")] = 0;
    lines[1][strcspn(lines[1], "\n")] = 0;
    *kernel = lines[0];
    *initrd = lines[1];
    return true;
}

int cmd_boot(int argc, char **argv)
{
    enum {
        OPT_KERNEL = 256, OPT_INITRD, OPT_APPEND, OPT_BIOS, OPT_DRIVE, OPT_ENGINE, OPT_SNAPSHOT,
        OPT_DTB_DUMP, OPT_VERIFY,
    };
    static const struct option options[] = {
        {"kernel", required_argument, NULL, OPT_KERNEL},
        {"initrd", required_argument, NULL, OPT_INITRD},
        {"append", required_argument, NULL, OPT_APPEND},
        {"bios", required_argument, NULL, OPT_BIOS},
        {"drive", required_argument, NULL, OPT_DRIVE},
        {"engine", required_argument, NULL, OPT_ENGINE},
        {"snapshot", no_argument, NULL, OPT_SNAPSHOT},
        {"dtb-dump", required_argument, NULL, OPT_DTB_DUMP},
        {"verify", no_argument, NULL, OPT_VERIFY},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    MachineConfig cfg = {.ram_mb = MACHINE_DEFAULT_RAM_MB, .append = BOOT_DEFAULT_APPEND};
    const char *dtb_dump = NULL;
    ExecOptions eo = {.engine = dbt_available() ? EXEC_ENGINE_DBT : EXEC_ENGINE_INTERP,
                      .dbt_threshold = EXEC_DBT_THRESHOLD, .guest_mmu = true};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:d:qh", options, NULL)) != -1) {
        switch (c) {
        case OPT_KERNEL: cfg.kernel = optarg; break;
        case OPT_INITRD: cfg.initrd = optarg; break;
        case OPT_APPEND: cfg.append = optarg; break;
        case OPT_BIOS: cfg.firmware = optarg; break;
        case OPT_DRIVE: cfg.drive = optarg; break;
        case OPT_SNAPSHOT: cfg.snapshot = true; break;
        case OPT_DTB_DUMP: dtb_dump = optarg; break;
        case 'q': cfg.quiet = true; break;
        case OPT_VERIFY: eo.verify = true; break;
        case OPT_ENGINE:
            if (!exec_engine_from_name(optarg, &eo.engine)) {
                fprintf(stderr, "rvx boot: unknown engine '%s' (available: %s)\n", optarg,
                        exec_engine_names());
                return 2;
            }
            break;
        case 'd':
            if (!dbt_parse_log(optarg, &eo.log)) {
                fprintf(stderr, "rvx boot: bad -d list '%s' (in_asm,op,op_opt,out_asm,exec,perfmap)\n", optarg);
                return 2;
            }
            break;
        case 'm': {
            char *end;
            unsigned long long mb = strtoull(optarg, &end, 10);
            if (*end == 'M' || *end == 'm')
                end++;
            if (*end || mb < 16 || mb > 65536) {
                fprintf(stderr, "rvx boot: -m wants a RAM size in MiB between 16 and 65536, not '%s'\n", optarg);
                return 2;
            }
            cfg.ram_mb = mb;
            break;
        }
        case 'h': boot_usage(stdout); return 0;
        default: boot_usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "rvx boot: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (eo.log || eo.verify) { /* what both look at is translated code */
        if (!dbt_available()) {
            fprintf(stderr, "rvx boot: --verify and -d need the DBT, which this host lacks\n");
            return 2;
        }
        eo.engine = EXEC_ENGINE_DBT;
    }
    char *guest_kernel = NULL, *guest_initrd = NULL;
    bool elf_firmware = cfg.firmware && strcmp(cfg.firmware, "none") != 0 && file_is_elf(cfg.firmware);
    if (!cfg.kernel && !elf_firmware) {
        if (!default_guest(&guest_kernel, &guest_initrd))
            return 1;
        cfg.kernel = guest_kernel;
        if (!cfg.initrd)
            cfg.initrd = guest_initrd;
    }

    static Machine machine;
    char err[512];
    int status;
    if (!machine_init(&machine, &cfg, err, sizeof err)) {
        fprintf(stderr, "rvx boot: %s\n", err);
        status = 1;
    } else if (dtb_dump) {
        status = machine_dump_dtb(&machine, dtb_dump, err, sizeof err) ? 0 : 1;
        if (status)
            fprintf(stderr, "rvx boot: %s\n", err);
        machine_destroy(&machine);
    } else {
        if (eo.engine != EXEC_ENGINE_INTERP && !exec_set_options(&machine.hart, &eo)) {
            fprintf(stderr, "rvx boot: cannot start the DBT\n");
            status = 1;
        } else {
            status = machine_run(&machine);
            cli_print_stats(&machine.hart, eo.engine == EXEC_ENGINE_DBT ? "dbt" : "interp");
        }
        machine_destroy(&machine);
    }
    free(guest_kernel);
    free(guest_initrd);
    return status;
}
