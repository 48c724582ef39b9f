/* Host console (see console.h). The saved terminal state is process-global because
 * restoring it must work from atexit and signal handlers, where no Console pointer
 * is at hand; there is only ever one terminal to restore. */
#include "machine/console.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_termios;
static int saved_fd = -1;

void console_restore(void)
{
    if (saved_fd >= 0) {
        tcsetattr(saved_fd, TCSANOW, &saved_termios);
        saved_fd = -1;
    }
}

static void restore_and_die(int sig)
{
    console_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

void console_init(Console *c, int in_fd, int out_fd)
{
    memset(c, 0, sizeof *c);
    c->in_fd = in_fd;
    c->out_fd = out_fd;
    if (in_fd >= 0 && isatty(in_fd) && saved_fd < 0 && tcgetattr(in_fd, &saved_termios) == 0) {
        struct termios raw = saved_termios;
        /* Raw input (the guest's line discipline does echo, editing and Ctrl-C);
         * output post-processing stays, the guest sends its own CR LF anyway. */
        raw.c_iflag &= ~(unsigned)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        raw.c_lflag &= ~(unsigned)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        raw.c_cflag &= ~(unsigned)(CSIZE | PARENB);
        raw.c_cflag |= CS8;
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        if (tcsetattr(in_fd, TCSANOW, &raw) == 0) {
            saved_fd = in_fd;
            atexit(console_restore);
            signal(SIGTERM, restore_and_die);
            signal(SIGHUP, restore_and_die);
            signal(SIGQUIT, restore_and_die);
        }
    }
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd pfd = {.fd = fd, .events = POLLOUT};
                poll(&pfd, 1, 100);
                continue;
            }
            return;  /* output gone (closed pipe): the guest keeps running */
        }
        p += w;
        n -= (size_t)w;
    }
}

void console_flush(Console *c)
{
    if (c->out_len) {
        write_all(c->out_fd, c->out, c->out_len);
        c->out_len = 0;
    }
}

void console_putc(Console *c, uint8_t ch)
{
    if (c->out_len == sizeof c->out)
        console_flush(c);
    c->out[c->out_len++] = ch;
}

static void push_input(Console *c, uint8_t ch)
{
    unsigned next = (c->in_tail + 1) % CONSOLE_IN_SIZE;
    if (next != c->in_head) {  /* a full ring drops input, as a UART overrun would */
        c->in[c->in_tail] = ch;
        c->in_tail = next;
    }
}

static void print_help(Console *c)
{
    static const char help[] =
        "\r\nC-a h    print this help\r\n"
        "C-a x    exit rvx\r\n"
        "C-a C-a  send C-a to the guest\r\n";
    for (const char *s = help; *s; s++)
        console_putc(c, (uint8_t)*s);
}

static void escape_input(Console *c, uint8_t ch)
{
    if (c->escape) {
        c->escape = false;
        switch (ch) {
        case 'x': case 'X':
            c->quit = true;
            return;
        case 'h': case 'H': case '?':
            print_help(c);
            return;
        case 0x01:
            push_input(c, ch);
            return;
        default:
            return;  /* unknown escapes are swallowed, like QEMU */
        }
    }
    if (ch == 0x01)
        c->escape = true;
    else
        push_input(c, ch);
}

void console_poll(Console *c)
{
    while (c->in_fd >= 0) {
        /* Only read what the ring can hold so nothing typed is lost. */
        unsigned room = (c->in_head + CONSOLE_IN_SIZE - c->in_tail - 1) % CONSOLE_IN_SIZE;
        if (room == 0)
            break;
        struct pollfd pfd = {.fd = c->in_fd, .events = POLLIN};
        if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLIN | POLLHUP)))
            break;
        uint8_t buf[256];
        ssize_t n = read(c->in_fd, buf, room < sizeof buf ? room : sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            break;
        if (n <= 0) {
            c->in_fd = -1;  /* end of input: the guest just sees no more bytes */
            break;
        }
        for (ssize_t i = 0; i < n; i++)
            escape_input(c, buf[i]);
    }
    console_flush(c);
}

bool console_has_input(const Console *c)
{
    return c->in_head != c->in_tail;
}

int console_getc(Console *c)
{
    if (c->in_head == c->in_tail)
        return -1;
    uint8_t ch = c->in[c->in_head];
    c->in_head = (c->in_head + 1) % CONSOLE_IN_SIZE;
    return ch;
}
