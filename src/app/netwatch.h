/* netwatch.h — tells the sync thread when the device's network comes back, so a tablet that regains Wi-Fi
 * syncs within seconds instead of at the end of its backoff.
 *
 * On Linux it listens to the kernel's routing netlink (a link coming up, an address being assigned); the
 * callback runs on netwatch's own thread once the network has been quiet for a moment (DHCP and routes
 * settle), never more than once per burst of changes. Elsewhere netwatch_start returns NULL and the syncer
 * falls back to its short probe while offline. */
#ifndef MEISTRING_NETWATCH_H
#define MEISTRING_NETWATCH_H

typedef struct netwatch netwatch;

/* fn(ctx) is called from netwatch's thread; it must be thread-safe and quick. Returns NULL when the platform
 * has no such events or the socket cannot be opened (the caller carries on without). */
netwatch *netwatch_start(void (*fn)(void *ctx), void *ctx);
void netwatch_stop(netwatch *w); /* NULL is a no-op; returns once the thread has ended */

#endif
