/* Sockets on loopback: a TCP echo server thread and a client (bind, listen,
 * accept4, connect, send/recv, getsockname/getpeername, setsockopt/getsockopt,
 * shutdown), UDP sendto/recvfrom, a socketpair passing a descriptor with
 * sendmsg/recvmsg (SCM_RIGHTS), and the loopback interface by name and index
 * (ioctl SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFCONF, SIOCGIFMTU). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static int listener;

static void *echo_server(void *arg)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int c = accept4(listener, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
    if (c < 0)
        return NULL;
    char buf[4096];
    ssize_t n;
    while ((n = recv(c, buf, sizeof buf, 0)) > 0)
        send(c, buf, (size_t)n, 0);
    close(c);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* TCP */
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    check("setsockopt SO_REUSEADDR", setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    check("bind", bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0);
    socklen_t len = sizeof addr;
    check("getsockname", getsockname(listener, (struct sockaddr *)&addr, &len) == 0 && addr.sin_port != 0);
    check("listen", listen(listener, 4) == 0);
    pthread_t server;
    pthread_create(&server, NULL, echo_server, NULL);

    int s = socket(AF_INET, SOCK_STREAM, 0);
    check("connect", connect(s, (struct sockaddr *)&addr, sizeof addr) == 0);
    int nodelay = 1, got = 0;
    socklen_t glen = sizeof got;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay);
    check("getsockopt TCP_NODELAY", getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &got, &glen) == 0 && got && glen == 4);
    struct sockaddr_in peer;
    len = sizeof peer;
    check("getpeername", getpeername(s, (struct sockaddr *)&peer, &len) == 0 && peer.sin_port == addr.sin_port);
    char msg[3000], back[3000];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (char)('a' + i % 26);
    check("send", send(s, msg, sizeof msg, 0) == (ssize_t)sizeof msg);
    size_t have = 0;
    while (have < sizeof back) {
        ssize_t n = recv(s, back + have, sizeof back - have, 0);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    check("echo", have == sizeof msg && memcmp(msg, back, sizeof msg) == 0);
    check("shutdown", shutdown(s, SHUT_WR) == 0);
    char c;
    check("eof after shutdown", recv(s, &c, 1, 0) == 0);
    close(s);
    pthread_join(server, NULL);
    close(listener);

    /* UDP */
    int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(u1, (struct sockaddr *)&ua, sizeof ua);
    len = sizeof ua;
    getsockname(u1, (struct sockaddr *)&ua, &len);
    check("sendto", sendto(u2, "datagram", 8, 0, (struct sockaddr *)&ua, sizeof ua) == 8);
    char dg[16] = {0};
    struct sockaddr_in from;
    len = sizeof from;
    check("recvfrom", recvfrom(u1, dg, sizeof dg, 0, (struct sockaddr *)&from, &len) == 8 &&
                          !strcmp(dg, "datagram") && from.sin_family == AF_INET);
    close(u1);
    close(u2);

    /* socketpair + SCM_RIGHTS */
    int sv[2], pfd[2];
    check("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    pipe(pfd);
    char data = 'D';
    struct iovec iov = {&data, 1};
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                       .msg_controllen = sizeof ctl.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &pfd[1], sizeof(int));
    check("sendmsg SCM_RIGHTS", sendmsg(sv[0], &m, 0) == 1);
    char rdata = 0;
    struct iovec riov = {&rdata, 1};
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } rctl;
    struct msghdr rm = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = rctl.buf,
                        .msg_controllen = sizeof rctl.buf};
    int passed = -1;
    if (recvmsg(sv[1], &rm, 0) == 1 && (cm = CMSG_FIRSTHDR(&rm)) && cm->cmsg_type == SCM_RIGHTS)
        memcpy(&passed, CMSG_DATA(cm), sizeof(int));
    check("recvmsg SCM_RIGHTS", rdata == 'D' && passed >= 0 && rm.msg_controllen == CMSG_SPACE(sizeof(int)));
    write(passed, "via", 3);
    char via[4] = {0};
    check("passed descriptor works", read(pfd[0], via, 3) == 3 && !strcmp(via, "via"));
    /* interfaces */
    unsigned lo = if_nametoindex("lo");
    char lo_name[IF_NAMESIZE] = "";
    check("if_nametoindex/if_indextoname lo", lo > 0 && if_indextoname(lo, lo_name) && !strcmp(lo_name, "lo"));
    int ifs = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr[16];
    struct ifconf ifc = {.ifc_len = sizeof ifr, .ifc_req = ifr};
    int listed = 0;
    if (ioctl(ifs, SIOCGIFCONF, &ifc) == 0)
        for (int i = 0; i < ifc.ifc_len / (int)sizeof ifr[0]; i++)
            listed |= !strcmp(ifr[i].ifr_name, "lo");
    check("SIOCGIFCONF lists lo", listed);
    struct ifreq q;
    memset(&q, 0, sizeof q);
    strcpy(q.ifr_name, "lo");
    check("SIOCGIFMTU lo", ioctl(ifs, SIOCGIFMTU, &q) == 0 && q.ifr_mtu > 0);
    close(ifs);
    printf("sockets: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
