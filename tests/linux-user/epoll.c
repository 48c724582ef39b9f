/* epoll over pipes, an eventfd and a timerfd: readiness, the user data word
 * (struct epoll_event is laid out differently on riscv64 and x86-64), EPOLLET,
 * EPOLL_CTL_MOD/DEL, timeouts, and poll/select on the same descriptors, also select
 * on a descriptor past FD_SETSIZE (1024) with a larger set. */
#define _GNU_SOURCE
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "check.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    check("epoll_create1", ep >= 0);
    int p[2];
    pipe(p);
    int ev = eventfd(0, EFD_NONBLOCK);
    int tf = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);

    struct epoll_event e = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
    check("ctl add pipe", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e) == 0);
    e.data.u64 = 0xdeadbeefcafef00dull;
    check("ctl add eventfd", epoll_ctl(ep, EPOLL_CTL_ADD, ev, &e) == 0);
    e.events = EPOLLIN | EPOLLET;
    e.data.u64 = 3;
    check("ctl add timerfd", epoll_ctl(ep, EPOLL_CTL_ADD, tf, &e) == 0);

    struct epoll_event out[8];
    check("nothing ready: timeout", epoll_wait(ep, out, 8, 10) == 0);

    write(p[1], "x", 1);
    int n = epoll_wait(ep, out, 8, 1000);
    check("pipe ready with its data word", n == 1 && out[0].data.u64 == 0x1122334455667788ull &&
                                               (out[0].events & EPOLLIN));
    uint64_t one = 5;
    write(ev, &one, sizeof one);
    n = epoll_wait(ep, out, 8, 1000);
    int seen_ev = 0, seen_pipe = 0;
    for (int i = 0; i < n; i++) {
        seen_ev |= out[i].data.u64 == 0xdeadbeefcafef00dull;
        seen_pipe |= out[i].data.u64 == 0x1122334455667788ull;
    }
    check("two ready, both data words", n == 2 && seen_ev && seen_pipe);
    uint64_t val = 0;
    check("eventfd read", read(ev, &val, sizeof val) == 8 && val == 5);

    struct itimerspec its = {.it_value = {0, 20 * 1000 * 1000}};
    timerfd_settime(tf, 0, &its, NULL);
    char c;
    read(p[0], &c, 1);
    n = epoll_wait(ep, out, 8, 2000);
    check("timerfd fires", n == 1 && out[0].data.u64 == 3);
    uint64_t ticks = 0;
    check("timerfd count", read(tf, &ticks, sizeof ticks) == 8 && ticks == 1);

    e.events = EPOLLOUT;
    e.data.u64 = 42;
    check("ctl mod", epoll_ctl(ep, EPOLL_CTL_MOD, ev, &e) == 0);
    n = epoll_wait(ep, out, 8, 100);
    check("eventfd writable after mod", n == 1 && out[0].data.u64 == 42 && (out[0].events & EPOLLOUT));
    check("ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, ev, NULL) == 0);
    check("empty again", epoll_wait(ep, out, 8, 10) == 0);

    /* poll and select on the pipe */
    write(p[1], "y", 1);
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    check("poll", poll(pf, 2, 1000) == 2 && (pf[0].revents & POLLIN) && (pf[1].revents & POLLOUT));
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    struct timeval tv = {1, 0};
    check("select", select(p[0] + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &rs));
    struct rlimit lim;
    getrlimit(RLIMIT_NOFILE, &lim);
    if (lim.rlim_max == RLIM_INFINITY || lim.rlim_max > 1200) {
        lim.rlim_cur = 1200;
        setrlimit(RLIMIT_NOFILE, &lim);
        int high = dup2(p[0], 1105);
        uint64_t big[1200 / 64 + 1] = {0};
        big[1105 / 64] = 1ull << (1105 % 64);
        tv = (struct timeval){1, 0};
        int r = select(1106, (fd_set *)big, NULL, NULL, &tv);
        check("select on descriptor 1105", high == 1105 && r == 1 && (big[1105 / 64] >> (1105 % 64)) & 1);
        close(high);
    }
    printf("epoll: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
