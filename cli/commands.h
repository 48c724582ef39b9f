/* Subcommands of the `rvx` executable; cli/main.c dispatches argv[1] to them.
 * Each takes the arguments after `rvx` (argv[0] is the subcommand name) and returns
 * the process exit status; errors are reported as one line on stderr. */
#ifndef RVX_CLI_COMMANDS_H
#define RVX_CLI_COMMANDS_H

int cmd_bench(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_disas(int argc, char **argv);
int cmd_run(int argc, char **argv);

struct Hart;
/* With RVX_STATS=1 in the environment, prints one "rvx-stats: key=value ..." line
 * (retired instructions, translation statistics of h's engine) on stderr;
 * RVX_STATS=/abs/path appends it to that file instead (guests such as xz close their
 * stderr before exiting). rvx bench parses it for guest MIPS. */
void cli_print_stats(const struct Hart *h, const char *engine);

#endif
