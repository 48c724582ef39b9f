/* rvx: entry point. Dispatches the subcommand; `rvx PROG ...` with no subcommand is
 * not accepted, so a typo never runs something unexpected. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    {"run", cmd_run, "run a riscv64 Linux program (user mode)"},
    {"boot", cmd_boot, "boot a RISC-V virt machine (Linux or bare-metal programs)"},
    {"disas", cmd_disas, "disassemble the code of a riscv64 ELF file"},
    {"bench", cmd_bench, "compare engines (interp, dbt, qemu, native) on benchmark workloads"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: rvx COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "\n`rvx COMMAND --help` describes each command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "rvx: unknown command '%s' (try 'rvx --help')\n", argv[1]);
    return 2;
}
