/*
 * What the probe knows about the sockets of one descriptor table: family, type and bound address per
 * fd, so LISTEN can carry the bound port and ACCEPT the local one.
 *
 * A table belongs to a descriptor table, not to a process: threads and clone(CLONE_FILES) children
 * share it (reference counted), fork/vfork/clone without CLONE_FILES gets a copy (prefork servers:
 * the master binds and listens, the workers accept), and exec unshares it and forgets close-on-exec
 * entries, as the kernel does. Open addressing with linear probing, bounded at SOCKTAB_MAX entries;
 * a socket that cannot be found is described from what the call itself shows (see decode_net.c).
 */
#ifndef IMPRINT_SOCKTAB_H
#define IMPRINT_SOCKTAB_H

#include <stdbool.h>
#include <stdint.h>

#define SOCKTAB_MAX 16384
#define SOCK_ADDR_TEXT 128
/* Destinations remembered per socket; past this many the socket's further ones are not reported (a
 * fan-out sender would otherwise turn every datagram into an event). */
#define SOCK_SENT_MAX 64

struct sockinfo {
	int fd;                 /* -1: free slot */
	int family, type;       /* type without SOCK_NONBLOCK / SOCK_CLOEXEC; 0 when unknown */
	bool cloexec;
	int port;               /* bound port, 0 when unknown */
	char *bound;            /* bound address as text (heap), NULL when unknown */
	/* Destinations this socket sent datagrams to (sendto/sendmsg with an address), as hashes (heap,
	 * allocated at the first such send): each is reported once as a CONNECT, not once per datagram. */
	uint32_t *sent_to;
	uint16_t sent_count;
};

struct socktab;

struct socktab *socktab_new(void);
/* Another owner of the same descriptor table (a thread group, a CLONE_FILES child). */
struct socktab *socktab_share(struct socktab *tab);
/* A copy for a child with its own descriptor table. */
struct socktab *socktab_copy(const struct socktab *tab);
/* Drops one owner; frees at the last. NULL is allowed. */
void socktab_put(struct socktab *tab);
/* True when more than one owner shares it. */
bool socktab_shared(const struct socktab *tab);

struct sockinfo *socktab_find(struct socktab *tab, int fd);
/* A fresh entry for fd (an existing one is replaced); NULL when the table is at its bound. */
struct sockinfo *socktab_set(struct socktab *tab, int fd, int family, int type, bool cloexec);
void socktab_drop(struct socktab *tab, int fd);
/* After exec: descriptors marked close-on-exec are gone. */
void socktab_drop_cloexec(struct socktab *tab);
/* Records a bound address on an entry. */
void sockinfo_bind(struct sockinfo *s, const char *address, int port);
enum send_seen { SEND_NEW, SEND_KNOWN, SEND_FULL };
/* Whether a socket sends to this destination for the first time (remembered), or did before, or has
 * reached SOCK_SENT_MAX destinations (SEND_FULL: neither reported nor remembered). */
enum send_seen sockinfo_first_send(struct sockinfo *s, int family, const char *address, int port);

#endif
