/*
 * DNS capture. Resolvers send queries with calls that are hot (glibc: connect + sendmmsg/recvfrom;
 * Go: connect + write/read) or sendto with an address (musl). When a process connects or sends to
 * port 53, all its threads switch to stepping every syscall (PTRACE_SYSCALL) until the DNS socket is
 * closed, the answers are in, or a budget of syscalls is spent; then back to seccomp stops only.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "dns_wire.h"
#include "mem.h"
#include "syscalls.h"
#include "tracer.h"

#define DNS_BUF 4096
#define STEP_BUDGET 4000   /* syscalls a process may step through for one exchange */
#define LINGER_BUDGET 64   /* after the last answer: room for a follow-up query (single-request) */
#define IOV_MAX_READ 16
#define MMSG_MAX 8

static pid_t current;

static void interrupt_other(struct thread *t)
{
	if (t->tid != current)
		ptrace(PTRACE_INTERRUPT, t->tid, 0, 0); /* its event stop resumes it stepping */
}

void dns_start(struct thread *t, int fd, const char *server, int port, bool tcp)
{
	struct process *p = t->proc;
	bool was = p->stepping;

	p->stepping = true;
	p->stop_stepping = false;
	p->dns_fd = fd;
	p->dns_budget = STEP_BUDGET;
	p->dns_queries = p->dns_answers = 0;
	p->dns_port = port;
	p->dns_tcp = tcp;
	snprintf(p->dns_server, sizeof(p->dns_server), "%s", server);
	if (!was && p->threads > 1) {
		current = t->tid;
		process_each_thread(p, interrupt_other);
	}
}

void dns_step_exit(struct thread *t)
{
	struct process *p = t->proc;

	if (p->stop_stepping) {
		p->stepping = false;
		p->stop_stepping = false;
		p->dns_fd = -1;
	}
}

/* Copies up to `total` bytes described by an iovec array in tracee memory. */
static size_t gather(struct thread *t, uint64_t iov_addr, uint64_t iovcnt, size_t total, uint8_t *out)
{
	struct iovec iov[IOV_MAX_READ];
	size_t done = 0;

	if (iovcnt > IOV_MAX_READ)
		iovcnt = IOV_MAX_READ;
	if (total > DNS_BUF)
		total = DNS_BUF;
	if (mem_read(t, iov_addr, iov, iovcnt * sizeof(iov[0])) != (ssize_t)(iovcnt * sizeof(iov[0])))
		return 0;
	for (uint64_t i = 0; i < iovcnt && done < total; i++) {
		size_t n = iov[i].iov_len < total - done ? iov[i].iov_len : total - done;
		ssize_t r = mem_read(t, (uint64_t)(uintptr_t)iov[i].iov_base, out + done, n);

		if (r <= 0)
			break;
		done += (size_t)r;
	}
	return done;
}

static void report(struct thread *t, const uint8_t *buf, size_t len)
{
	struct process *p = t->proc;
	struct dns_msg m;

	/* TCP messages carry a two-byte length prefix; glibc may read it on its own. */
	if (p->dns_tcp && len >= 2 && (size_t)(buf[0] << 8 | buf[1]) == len - 2) {
		buf += 2;
		len -= 2;
	}
	if (len <= 2)
		return;
	if (dns_parse(buf, len, &m) < 0) {
		send_notice("decode-failed", "%s: %zu bytes on the DNS socket are not a DNS message",
			    syscall_name(t->call.nr), len);
		return;
	}
	struct frame *f = event_frame(m.response ? F_DNS_ANSWER : F_DNS_QUERY, p->tgid, t->tid);

	frame_str(f, A_NAME, m.name);
	frame_int(f, A_QTYPE, m.qtype);
	frame_int(f, A_DNSID, m.id);
	if (m.response) {
		frame_int(f, A_RCODE, m.rcode);
		for (int i = 0; i < m.nanswers; i++)
			frame_str(f, A_ANSWER, m.answers[i]);
		if (++p->dns_answers >= p->dns_queries && p->dns_budget > LINGER_BUDGET)
			p->dns_budget = LINGER_BUDGET;
	} else {
		frame_str(f, A_ADDRESS, p->dns_server);
		frame_int(f, A_PORT, p->dns_port);
		frame_str(f, A_TRANSPORT, p->dns_tcp ? "tcp" : "udp");
		p->dns_queries++;
		p->dns_budget = STEP_BUDGET;
	}
	frame_commit(f);
}

/* msghdr in tracee memory: name, namelen, iov, iovlen (x86_64 and aarch64 share the LP64 layout). */
static bool read_msghdr(struct thread *t, uint64_t addr, struct msghdr *h)
{
	return mem_read(t, addr, h, sizeof(*h)) == (ssize_t)sizeof(*h);
}

/* A destination address on a send: reported once per socket and destination (net_send_dest), and
 * port 53 starts (or retargets) stepping on this fd. Returns whether a CONNECT frame awaits the result. */
static bool check_dest(struct thread *t, int fd, uint64_t addr, uint64_t len, bool may_frame)
{
	char text[128];
	int port, family;
	bool framed;

	if (!addr)
		return false;
	family = sockaddr_read(t, addr, len, text, sizeof(text), &port);
	framed = may_frame && family >= 0 && net_send_dest(t, fd, family, text, port);
	if ((family == AF_INET || family == AF_INET6) && port == 53 &&
	    (!t->proc->stepping || t->proc->dns_fd != fd))
		dns_start(t, fd, text, 53, false);
	return framed;
}

static bool is_dns_fd(struct thread *t, int fd)
{
	return t->proc->stepping && t->proc->dns_fd == fd;
}

bool dns_entry(struct thread *t)
{
	uint64_t *a = t->call.args;
	long nr = t->call.nr;
	int fd = (int)a[0];
	uint8_t buf[DNS_BUF];
	size_t n;

	if (nr == __NR_sendto) {
		bool framed = check_dest(t, fd, a[4], a[5], true);

		if (!is_dns_fd(t, fd))
			return framed;
		n = a[2] < DNS_BUF ? (size_t)a[2] : DNS_BUF;
		ssize_t r = mem_read(t, a[1], buf, n);
		if (r > 0)
			report(t, buf, (size_t)r);
		return framed;
	}
	if (nr == __NR_sendmsg || nr == __NR_sendmmsg) {
		uint64_t count = nr == __NR_sendmsg ? 1 : (a[2] < MMSG_MAX ? a[2] : MMSG_MAX);
		bool framed = false;

		for (uint64_t i = 0; i < count; i++) {
			struct msghdr h;
			/* struct mmsghdr: a msghdr and an unsigned msg_len, padded to 64 bytes */
			uint64_t at = nr == __NR_sendmsg ? a[1] : a[1] + i * 64;

			if (!read_msghdr(t, at, &h))
				break;
			/* one frame per call: the first new destination of a sendmmsg batch */
			framed = check_dest(t, fd, (uint64_t)(uintptr_t)h.msg_name, h.msg_namelen, !framed) || framed;
			if (!is_dns_fd(t, fd))
				continue;
			n = gather(t, (uint64_t)(uintptr_t)h.msg_iov, h.msg_iovlen, DNS_BUF, buf);
			report(t, buf, n);
		}
		return framed;
	}
	if (!is_dns_fd(t, fd))
		return false;
	if (nr == __NR_close) {
		t->proc->stop_stepping = true;
		return false;
	}
	if (nr == __NR_write) {
		n = a[2] < DNS_BUF ? (size_t)a[2] : DNS_BUF;
		ssize_t r = mem_read(t, a[1], buf, n);
		if (r > 0)
			report(t, buf, (size_t)r);
		return false;
	}
	if (nr == __NR_writev) {
		n = gather(t, a[1], a[2], DNS_BUF, buf);
		report(t, buf, n);
		return false;
	}
	/* Reads: the answer is in the buffer at the exit stop. */
	return nr == __NR_read || nr == __NR_recvfrom || nr == __NR_readv || nr == __NR_recvmsg ||
	       nr == __NR_recvmmsg;
}

void dns_exit(struct thread *t, int64_t rval)
{
	uint64_t *a = t->call.args;
	long nr = t->call.nr;
	uint8_t buf[DNS_BUF];
	size_t n = 0;

	if (rval <= 0)
		return;
	if (nr == __NR_read || nr == __NR_recvfrom) {
		ssize_t r = mem_read(t, a[1], buf, rval < DNS_BUF ? (size_t)rval : DNS_BUF);
		n = r > 0 ? (size_t)r : 0;
	} else if (nr == __NR_readv) {
		n = gather(t, a[1], a[2], (size_t)rval, buf);
	} else if (nr == __NR_recvmsg || nr == __NR_recvmmsg) {
		int64_t count = nr == __NR_recvmsg ? 1 : (rval < MMSG_MAX ? rval : MMSG_MAX);

		for (int64_t i = 0; i < count; i++) {
			struct msghdr h;
			uint32_t msg_len = (uint32_t)rval;
			uint64_t at = nr == __NR_recvmsg ? a[1] : a[1] + (uint64_t)i * 64;

			if (!read_msghdr(t, at, &h))
				break;
			if (nr == __NR_recvmmsg && mem_read(t, at + sizeof(h), &msg_len, 4) != 4)
				break;
			n = gather(t, (uint64_t)(uintptr_t)h.msg_iov, h.msg_iovlen, msg_len, buf);
			report(t, buf, n);
		}
		return;
	}
	report(t, buf, n);
}
