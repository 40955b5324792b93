/* Network decoders: socket, connect, bind, listen, accept, and datagrams sent to an address. The socket table of the caller's descriptor
 * table (socktab.h) remembers each socket's family, type and bound address, so LISTEN carries the
 * port and ACCEPT the local port, also in prefork workers that inherited the listening socket. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "mem.h"
#include "syscalls.h"
#include "tracer.h"

void socket_lookup(struct process *p, int fd, int *family, int *type)
{
	struct sockinfo *s = socktab_find(p->socks, fd);

	*family = s ? s->family : 0;
	*type = s ? s->type : 0;
}

void socket_forget(struct process *p, int fd)
{
	socktab_drop(p->socks, fd);
}

static void add_sock_kind(struct frame *f, int fd, int family, int type)
{
	frame_int(f, A_FD, fd);
	frame_int(f, A_FAMILY, family);
	frame_int(f, A_SOCKTYPE, type);
}

/* accept(2) works only on stream and seqpacket sockets: on inet that is TCP. */
static int accepted_type(int family, int known_type)
{
	if (known_type)
		return known_type;
	return family == AF_INET || family == AF_INET6 ? SOCK_STREAM : 0;
}

/* The container's ephemeral port range (its own network namespace's), where clients' source ports come from. */
static bool ephemeral(int port)
{
	static int lo = -1, hi = -1;

	if (lo < 0) {
		FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");

		if (!f || fscanf(f, "%d %d", &lo, &hi) != 2) {
			lo = 32768; /* the kernel's default */
			hi = 60999;
		}
		if (f)
			fclose(f);
	}
	return port >= lo && port <= hi;
}

/*
 * A send with a destination address (sendto, sendmsg, sendmmsg: a UDP client that never connects, a
 * syslog client on /dev/log) is that socket talking to a peer, as a connect would say: the first send to
 * each destination is reported as a CONNECT (RESULT 0 when the send succeeded), later ones are not.
 * A socket bound to a port of its own that sends to an ephemeral port is a server answering a client
 * (DNS, an echo or game server): its client came to it, so that is no connection of the server's, and
 * every client would be a new "destination". Returns whether a frame was begun: its result comes at the
 * call's exit.
 */
bool net_send_dest(struct thread *t, int fd, int family, const char *address, int port)
{
	struct sockinfo *s;
	int known_family, type;
	struct frame *f;

	if (family != AF_INET && family != AF_INET6 && family != AF_UNIX)
		return false;
	socket_lookup(t->proc, fd, &known_family, &type);
	s = socktab_find(t->proc->socks, fd);
	/* a socket made before the probe saw it (inherited, received): what the send shows is all we know */
	if (!s)
		s = socktab_set(t->proc->socks, fd, family, 0, false);
	if (s && s->port > 0 && family != AF_UNIX && ephemeral(port))
		return false;
	switch (s ? sockinfo_first_send(s, family, address, port) : SEND_NEW) {
	case SEND_NEW:
		break;
	case SEND_KNOWN:
		return false;
	case SEND_FULL:
		if (seen_first("sends-untracked", t->proc->tgid))
			send_notice("sends-untracked", "process %d sends datagrams to more than %d destinations from one "
				    "socket: further ones are not reported", t->proc->tgid, SOCK_SENT_MAX);
		return false;
	}
	f = call_frame(t, F_CONNECT);
	/* sendto with an address works only on datagram sockets (a stream socket ignores or refuses it) */
	add_sock_kind(f, fd, family, type ? type : SOCK_DGRAM);
	frame_str(f, A_ADDRESS, address);
	frame_int(f, A_PORT, port);
	return true;
}

bool net_entry(struct thread *t)
{
	uint64_t *a = t->call.args;
	int fd = (int)a[0], family, known_family, type, port;
	char text[SOCK_ADDR_TEXT];
	struct frame *f;

	switch (t->call.decoder) {
	case D_SOCKET:
		f = call_frame(t, F_SOCKET);
		frame_int(f, A_FAMILY, (int)a[0]);
		frame_int(f, A_SOCKTYPE, (int)a[1] & 0xf); /* SOCK_NONBLOCK / SOCK_CLOEXEC removed */
		frame_int(f, A_PROTOCOL, (int)a[2]);
		return true;
	case D_CONNECT:
	case D_BIND:
		f = call_frame(t, t->call.decoder == D_CONNECT ? F_CONNECT : F_BIND);
		family = sockaddr_read(t, a[1], a[2], text, sizeof(text), &port);
		if (family < 0)
			frame_flag(f, FL_UNREADABLE);
		socket_lookup(t->proc, fd, &known_family, &type);
		add_sock_kind(f, fd, family >= 0 ? family : known_family, type);
		frame_str(f, A_ADDRESS, text);
		frame_int(f, A_PORT, port);
		t->call.aux = port;
		t->call.kind = family;
		set_str(&t->stash, text);
		return true;
	case D_LISTEN: {
		struct sockinfo *s = socktab_find(t->proc->socks, fd);

		f = call_frame(t, F_LISTEN);
		/* listen, like accept, works only on stream sockets: a bound inet socket of unknown type is TCP */
		add_sock_kind(f, fd, s ? s->family : 0, s ? accepted_type(s->family, s->type) : 0);
		frame_str(f, A_ADDRESS, s && s->bound ? s->bound : "");
		frame_int(f, A_PORT, s ? s->port : 0);
		frame_int(f, A_BACKLOG, (int)a[1]);
		return true;
	}
	case D_ACCEPT:
		call_frame(t, F_ACCEPT);
		return true;
	}
	return false;
}

static void accept_exit(struct thread *t, int64_t rval)
{
	uint64_t *a = t->call.args;
	int fd = (int)a[0], port = 0, family = -1, local_port = 0, type = 0;
	struct frame *f = t->frame;
	struct sockinfo *s = socktab_find(t->proc->socks, fd), *n;
	char text[SOCK_ADDR_TEXT] = "", bound[SOCK_ADDR_TEXT] = "";
	uint32_t len = 0;
	bool cloexec = t->call.nr == __NR_accept4 && (a[3] & SOCK_CLOEXEC), bound_known = false;

	f->limit = FRAME_MAX;
	if (rval >= 0 && a[1] && a[2] && mem_read(t, a[2], &len, sizeof(len)) == sizeof(len))
		family = sockaddr_read(t, a[1], len, text, sizeof(text), &port);
	if (s) {
		family = s->family; /* the listener's, even when the peer address was not asked for */
		type = s->type;
		local_port = s->port;
		if (s->bound) {
			snprintf(bound, sizeof(bound), "%s", s->bound);
			bound_known = true;
		}
	} else if (family < 0) {
		family = 0;
	}
	/* not known (a descriptor from dup or SCM_RIGHTS): the peer's family says inet, accept says stream */
	type = accepted_type(family, type);
	add_sock_kind(f, fd, family, type);
	frame_str(f, A_ADDRESS, text);
	frame_int(f, A_PORT, port);
	if (local_port)
		frame_int(f, A_PORT, local_port);
	/* (socktab_set may move entries: `s` is not used past this point) */
	if (rval >= 0 && (n = socktab_set(t->proc->socks, (int)rval, family, type, cloexec)) && bound_known)
		sockinfo_bind(n, bound, local_port); /* the listener's local address (a wildcard stays one) */
}

void net_exit(struct thread *t, int64_t rval)
{
	uint64_t *a = t->call.args;
	int fd = (int)a[0];
	struct sockinfo *s;

	switch (t->call.decoder) {
	case D_SOCKET:
		if (rval >= 0)
			socktab_set(t->proc->socks, (int)rval, (int)a[0], (int)a[1] & 0xf, a[1] & SOCK_CLOEXEC);
		break;
	case D_BIND:
		if (rval != 0)
			break;
		s = socktab_find(t->proc->socks, fd);
		if (!s)
			s = socktab_set(t->proc->socks, fd, t->call.kind > 0 ? t->call.kind : 0, 0, false);
		if (s)
			sockinfo_bind(s, t->stash ? t->stash : "", (int)t->call.aux);
		break;
	case D_CONNECT: {
		int family, type;

		socket_lookup(t->proc, fd, &family, &type);
		/* Port 53: the DNS exchange that follows uses hot calls (write/read, sendmmsg/recvfrom) */
		if (t->call.aux == 53 && (t->call.kind == AF_INET || t->call.kind == AF_INET6) &&
		    (rval == 0 || rval == -115 /* EINPROGRESS */))
			dns_start(t, fd, t->stash ? t->stash : "", 53, type == SOCK_STREAM);
		break;
	}
	case D_ACCEPT:
		accept_exit(t, rval);
		break;
	}
	call_commit(t, rval);
}
