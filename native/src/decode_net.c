/* Network decoders: socket, connect, bind, listen, accept. A small table remembers each socket's
 * family, type and bound address, so LISTEN carries the port and ACCEPT the local port. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "mem.h"
#include "syscalls.h"
#include "tracer.h"

#define SOCKETS 1024
#define ADDR_TEXT 128

struct sock {
	pid_t tgid;
	int fd;
	int family, type;
	char bound[ADDR_TEXT];
	int port;
	bool used;
};

static struct sock sockets[SOCKETS];

static struct sock *sock_slot(pid_t tgid, int fd)
{
	return &sockets[((unsigned)tgid * 31u + (unsigned)fd) % SOCKETS];
}

static struct sock *sock_find(pid_t tgid, int fd)
{
	struct sock *s = sock_slot(tgid, fd);

	return s->used && s->tgid == tgid && s->fd == fd ? s : NULL;
}

static struct sock *sock_put(pid_t tgid, int fd, int family, int type)
{
	struct sock *s = sock_slot(tgid, fd);

	memset(s, 0, sizeof(*s));
	s->used = true;
	s->tgid = tgid;
	s->fd = fd;
	s->family = family;
	s->type = type;
	return s;
}

void socket_lookup(pid_t tgid, int fd, int *family, int *type)
{
	struct sock *s = sock_find(tgid, fd);

	*family = s ? s->family : 0;
	*type = s ? s->type : 0;
}

static void add_sock_kind(struct thread *t, struct frame *f, int fd, int family)
{
	int known_family, type;

	socket_lookup(t->proc->tgid, fd, &known_family, &type);
	frame_int(f, A_FD, fd);
	frame_int(f, A_FAMILY, family >= 0 ? family : known_family);
	frame_int(f, A_SOCKTYPE, type);
}

bool net_entry(struct thread *t)
{
	uint64_t *a = t->call.args;
	int fd = (int)a[0], family, port;
	char text[ADDR_TEXT];
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
		add_sock_kind(t, f, fd, family);
		frame_str(f, A_ADDRESS, text);
		frame_int(f, A_PORT, port);
		t->call.aux = port;
		t->call.kind = family;
		set_str(&t->stash, text);
		return true;
	case D_LISTEN: {
		struct sock *s = sock_find(t->proc->tgid, fd);

		f = call_frame(t, F_LISTEN);
		add_sock_kind(t, f, fd, -1);
		frame_str(f, A_ADDRESS, s ? s->bound : "");
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

void net_exit(struct thread *t, int64_t rval)
{
	uint64_t *a = t->call.args;
	int fd = (int)a[0];
	struct sock *s;

	switch (t->call.decoder) {
	case D_SOCKET:
		if (rval >= 0)
			sock_put(t->proc->tgid, (int)rval, (int)a[0], (int)a[1] & 0xf);
		break;
	case D_BIND:
		s = sock_find(t->proc->tgid, fd);
		if (!s)
			s = sock_put(t->proc->tgid, fd, t->call.kind, 0);
		if (rval == 0) {
			snprintf(s->bound, sizeof(s->bound), "%s", t->stash ? t->stash : "");
			s->port = (int)t->call.aux;
		}
		break;
	case D_CONNECT: {
		int family, type;

		socket_lookup(t->proc->tgid, fd, &family, &type);
		/* Port 53: the DNS exchange that follows uses hot calls (write/read, sendmmsg/recvfrom) */
		if (t->call.aux == 53 && (t->call.kind == AF_INET || t->call.kind == AF_INET6) &&
		    (rval == 0 || rval == -115 /* EINPROGRESS */))
			dns_start(t, fd, t->stash ? t->stash : "", 53, type == SOCK_STREAM);
		break;
	}
	case D_ACCEPT: {
		struct frame *f = t->frame;
		char text[ADDR_TEXT] = "";
		int port = 0, family = -1, type;
		uint32_t len = 0;

		f->limit = FRAME_MAX;
		if (rval >= 0 && a[1] && a[2] && mem_read(t, a[2], &len, sizeof(len)) == sizeof(len))
			family = sockaddr_read(t, a[1], len, text, sizeof(text), &port);
		add_sock_kind(t, f, fd, family);
		frame_str(f, A_ADDRESS, text);
		frame_int(f, A_PORT, port);
		s = sock_find(t->proc->tgid, fd);
		if (s && s->port)
			frame_int(f, A_PORT, s->port);
		socket_lookup(t->proc->tgid, fd, &family, &type);
		if (rval >= 0)
			sock_put(t->proc->tgid, (int)rval, family, type);
		break;
	}
	}
	call_commit(t, rval);
}
