/* The host side of the guest console: stdin (raw mode when it is a terminal, restored
 * at exit and on fatal signals) and stdout. Input is polled, never blocking the
 * machine: console_poll moves what stdin has into a small ring that the UART and the
 * built-in SBI read. Ctrl-A is the escape key, as in QEMU: Ctrl-A x quits,
 * Ctrl-A h prints help, Ctrl-A Ctrl-A sends Ctrl-A. Output is buffered and flushed at
 * every poll, so a burst of kernel log costs few syscalls. Machine thread only. */
#ifndef RVX_MACHINE_CONSOLE_H
#define RVX_MACHINE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_IN_SIZE 4096
#define CONSOLE_OUT_SIZE 4096

typedef struct Console {
    int in_fd, out_fd;          /* in_fd < 0 once stdin reached end of file */
    bool escape;                /* the previous input byte was Ctrl-A */
    bool quit;                  /* Ctrl-A x was typed */
    uint8_t in[CONSOLE_IN_SIZE];
    unsigned in_head, in_tail;  /* ring: head == tail is empty */
    uint8_t out[CONSOLE_OUT_SIZE];
    size_t out_len;
} Console;

/* Uses in_fd/out_fd (normally 0 and 1); puts a terminal in_fd in raw mode. */
void console_init(Console *c, int in_fd, int out_fd);
/* Restores the terminal (also done automatically at exit). */
void console_restore(void);
/* Reads pending input (non-blocking) and flushes output. */
void console_poll(Console *c);
bool console_has_input(const Console *c);
/* Next input byte, or -1. */
int console_getc(Console *c);
void console_putc(Console *c, uint8_t ch);
void console_flush(Console *c);

#endif
