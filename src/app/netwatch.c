/* netwatch.c — see netwatch.h. One thread polls a NETLINK_ROUTE socket and a pipe (to be told to stop). */
#define _GNU_SOURCE /* pipe2 */
#include "netwatch.h"

#include "meistring/config.h"

#include <stdbool.h>
#include <stdlib.h>

#ifdef __linux__
#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>


struct netwatch {
    int nl, stop[2];
    void (*fn)(void *);
    void *ctx;
    SDL_Thread *thread;
};

/* True when the messages in buf say the network may have come back: a new address, or a link that is up. */
static bool came_up(const char *buf, ssize_t len) {
    for (const struct nlmsghdr *h = (const void *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
        if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_NEWROUTE) return true;
        if (h->nlmsg_type == RTM_NEWLINK && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg))) {
            const struct ifinfomsg *ifi = NLMSG_DATA(h);
            if ((ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING)) return true;
        }
    }
    return false;
}

static int run(void *arg) {
    netwatch *w = arg;
    bool pending = false;
    for (;;) {
        struct pollfd p[2] = {{.fd = w->nl, .events = POLLIN}, {.fd = w->stop[0], .events = POLLIN}};
        int n = poll(p, 2, pending ? MS_NETWATCH_SETTLE_MS : -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || (p[1].revents & (POLLIN | POLLHUP))) break;
        if (n == 0) { /* quiet for MS_NETWATCH_SETTLE_MS after a change */
            pending = false;
            w->fn(w->ctx);
            continue;
        }
        if (p[0].revents & POLLIN) {
            /* 8 KB holds a burst of route messages; a larger one is cut (MSG_TRUNC) and still counts */
            _Alignas(struct nlmsghdr) char buf[8192];
            ssize_t len = recv(w->nl, buf, sizeof buf, MSG_DONTWAIT);
            if (len > 0 && came_up(buf, len)) pending = true;
            if (len < 0 && errno == ENOBUFS) pending = true; /* the kernel dropped events: assume the worst */
        } else if (p[0].revents & (POLLERR | POLLHUP)) {
            break;
        }
    }
    return 0;
}

netwatch *netwatch_start(void (*fn)(void *ctx), void *ctx) {
    netwatch *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->fn = fn;
    w->ctx = ctx;
    w->stop[0] = w->stop[1] = -1;
    w->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
                             .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE};
    if (w->nl < 0 || bind(w->nl, (struct sockaddr *)&sa, sizeof sa) != 0 || pipe2(w->stop, O_CLOEXEC) != 0 ||
        !(w->thread = SDL_CreateThread(run, "netwatch", w))) {
        netwatch_stop(w);
        return NULL;
    }
    return w;
}

void netwatch_stop(netwatch *w) {
    if (!w) return;
    if (w->thread) {
        close(w->stop[1]); /* POLLHUP on the read end ends the thread */
        w->stop[1] = -1;
        SDL_WaitThread(w->thread, NULL);
    }
    if (w->nl >= 0) close(w->nl);
    if (w->stop[0] >= 0) close(w->stop[0]);
    if (w->stop[1] >= 0) close(w->stop[1]);
    free(w);
}

#else

netwatch *netwatch_start(void (*fn)(void *ctx), void *ctx) {
    (void)fn;
    (void)ctx;
    return NULL;
}
void netwatch_stop(netwatch *w) { (void)w; }

#endif
