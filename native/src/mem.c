/*
 * Tracee memory, read in the cheapest way that works:
 *  1. process_vm_readv: one call, no descriptor. Needs ptrace-access rights at each call (lost when the
 *     tracee changes uid and becomes non-dumpable), and Docker's default seccomp profile denies it
 *     without CAP_SYS_PTRACE.
 *  2. pread on /proc/PID/mem, opened once per process image. Access is checked when the file is
 *     opened, so a descriptor opened before the tracee drops privileges keeps working after it becomes
 *     non-dumpable: mem_keep_open is called at every set*id entry for that reason.
 *  3. PTRACE_PEEKDATA, a word at a time; for a non-dumpable tracee it too needs CAP_SYS_PTRACE.
 */
#include "mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"

#define PAGE 4096

static ssize_t mem_read_raw(struct thread *t, uint64_t addr, void *buf, size_t len);

static ssize_t peek_read(pid_t tid, uint64_t addr, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		uint64_t word_addr = (addr + done) & ~(uint64_t)7;
		size_t skip = (addr + done) - word_addr, n;
		long word;

		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, tid, (void *)word_addr, 0);
		if (errno)
			break;
		n = sizeof(word) - skip;
		if (n > len - done)
			n = len - done;
		memcpy(buf + done, (uint8_t *)&word + skip, n);
		done += n;
	}
	return done ? (ssize_t)done : -1;
}

static void unreadable_once(void)
{
	static bool told;

	if (told)
		return;
	told = true;
	send_notice("decode-failed", "tracee memory is unreadable after a uid change (the process is not "
		    "dumpable); give the container CAP_SYS_PTRACE, which the probe keeps from the app, to "
		    "decode such calls; affected frames are flagged UNREADABLE");
}

ssize_t mem_read(struct thread *t, uint64_t addr, void *buf, size_t len)
{
	ssize_t n = mem_read_raw(t, addr, buf, len);

	if (n < 0 && addr != 0 && t->proc->vm_readv_refused && t->proc->mem_fd < 0)
		unreadable_once();
	return n;
}

/* Opens /proc/TGID/mem for the process's current image, if not yet done. */
static int mem_fd_of(struct thread *t)
{
	struct process *p = t->proc;
	char path[64];

	if (p->mem_fd >= 0 || p->mem_refused)
		return p->mem_fd;
	snprintf(path, sizeof(path), "/proc/%d/mem", t->tid);
	p->mem_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->mem_fd < 0)
		p->mem_refused = true;
	return p->mem_fd;
}

void mem_keep_open(struct thread *t)
{
	mem_fd_of(t);
}

/* process_vm_readv: EPERM for every process and never a success means a seccomp profile denies it
 * (Docker's default does without CAP_SYS_PTRACE): stop trying. */
static int vm_readv_ok, vm_readv_eperm;

static ssize_t mem_read_raw(struct thread *t, uint64_t addr, void *buf, size_t len)
{
	struct process *p = t->proc;
	int fd;

	if (len == 0)
		return 0;
	if (addr == 0 || addr > INT64_MAX - len)
		return -1;
	if (!p->vm_readv_refused && (vm_readv_ok || vm_readv_eperm < 3)) {
		/* One call: a read that runs into an unmapped page returns the part before it. */
		struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
		ssize_t n = process_vm_readv(t->tid, &local, 1, &remote, 1, 0);

		if (n > 0) {
			vm_readv_ok = 1;
			return n;
		}
		if (!(n < 0 && (errno == EPERM || errno == ENOSYS || errno == EACCES)))
			return -1;
		p->vm_readv_refused = true;
		vm_readv_eperm++;
	}
	fd = mem_fd_of(t);
	if (fd >= 0) {
		ssize_t n = pread(fd, buf, len, (off_t)addr);

		if (n > 0)
			return n;
		if (n < 0 && errno == EIO)
			return -1; /* nothing mapped at addr */
	}
	return peek_read(t->tid, addr, buf, len);
}

ssize_t mem_read_str(struct thread *t, uint64_t addr, char *buf, size_t size, unsigned *flags)
{
	size_t done = 0;

	buf[0] = 0;
	if (addr == 0) {
		*flags |= FL_UNREADABLE;
		return -1;
	}
	while (done < size - 1) {
		/* short strings are the rule: read a little first, then the rest of the bound */
		size_t chunk = done == 0 ? 256 - (addr % 256) : size - 1 - done;
		ssize_t n;
		char *nul;

		if (chunk > size - 1 - done)
			chunk = size - 1 - done;
		n = mem_read(t, addr + done, buf + done, chunk);
		if (n <= 0)
			break;
		nul = memchr(buf + done, 0, (size_t)n);
		if (nul)
			return nul - buf;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	buf[done] = 0;
	if (done >= size - 1) {
		*flags |= FL_TRUNCATED;
		return (ssize_t)done;
	}
	/* memory ended before the terminating NUL: keep the readable prefix, say the rest is missing */
	*flags |= FL_UNREADABLE;
	return done ? (ssize_t)done : -1;
}

static ssize_t read_link(const char *proc_path, char *out, size_t size)
{
	ssize_t n = readlink(proc_path, out, size - 1);

	if (n < 0) {
		out[0] = 0;
		return -1;
	}
	out[n] = 0;
	return n;
}

void cwd_of(struct thread *t, char *out)
{
	struct process *p = t->proc;
	char link[64];

	/* The cache is exact until chdir/fchdir (both stop) marks it stale. */
	if (p->cwd && !p->cwd_stale) {
		snprintf(out, PATH_BOUND + 1, "%s", p->cwd);
		return;
	}
	snprintf(link, sizeof(link), "/proc/%d/cwd", t->tid);
	if (read_link(link, out, PATH_BOUND + 1) > 0) {
		set_str(&p->cwd, out);
		p->cwd_stale = false;
		return;
	}
	/* refused (not dumpable): the path chdir was given, resolved lexically */
	snprintf(out, PATH_BOUND + 1, "%s", p->cwd ? p->cwd : "");
}

void fd_path(struct thread *t, int fd, char *out)
{
	char link[64];

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", t->tid, fd);
	read_link(link, out, PATH_BOUND + 1);
}

/* Removes "." and ".." components and doubled slashes from an absolute path, in place. */
static void normalise(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		while (*in == '/')
			in++;
		char *end = in;
		while (*end && *end != '/')
			end++;
		size_t n = (size_t)(end - in);

		if (n == 0)
			break;
		if (n == 1 && in[0] == '.') {
			/* skip */
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, in, n);
			out += n;
		}
		in = end;
	}
	if (out == p)
		*out++ = '/';
	*out = 0;
}

void path_at(struct thread *t, int dirfd, uint64_t addr, char *out, unsigned *flags)
{
	char rel[PATH_BOUND + 1];
	ssize_t n = mem_read_str(t, addr, rel, sizeof(rel), flags);

	if (n < 0) {
		out[0] = 0;
		return;
	}
	if (rel[0] == '/' || n == 0) {
		memcpy(out, rel, (size_t)n + 1);
		if (n)
			normalise(out);
		return;
	}
	char base[PATH_BOUND + 1];

	if (dirfd == AT_FDCWD)
		cwd_of(t, base);
	else
		fd_path(t, dirfd, base);
	if (base[0] != '/') {
		/* Unknown base: keep the relative path as given rather than invent one. */
		memcpy(out, rel, (size_t)n + 1);
		return;
	}
	if ((size_t)snprintf(out, PATH_BOUND + 1, "%s/%s", base, rel) > PATH_BOUND)
		*flags |= FL_TRUNCATED;
	normalise(out);
}

int sockaddr_read(struct thread *t, uint64_t addr, uint64_t len, char *text, size_t text_size, int *port)
{
	struct sockaddr_storage ss;
	sa_family_t family;

	text[0] = 0;
	*port = 0;
	if (len > sizeof(ss))
		len = sizeof(ss);
	if (len < sizeof(family))
		return -1;
	memset(&ss, 0, sizeof(ss));
	ssize_t n = mem_read(t, addr, &ss, (size_t)len);
	if (n < (ssize_t)sizeof(family))
		return -1;
	family = ss.ss_family;
	if (family == AF_INET && n >= (ssize_t)sizeof(struct sockaddr_in)) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, text, (socklen_t)text_size);
		*port = ntohs(in->sin_port);
	} else if (family == AF_INET6 && n >= (ssize_t)sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, text, (socklen_t)text_size);
		*port = ntohs(in6->sin6_port);
	} else if (family == AF_UNIX) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;
		size_t plen = (size_t)n - offsetof(struct sockaddr_un, sun_path), i = 0, o = 0;

		if (plen > sizeof(un->sun_path))
			plen = sizeof(un->sun_path);
		if (plen > 0 && un->sun_path[0] == 0) {
			/* abstract: "@name", the name may hold any byte */
			text[o++] = '@';
			i = 1;
			for (; i < plen && o + 1 < text_size; i++)
				text[o++] = un->sun_path[i] ? un->sun_path[i] : '@';
		} else {
			for (; i < plen && un->sun_path[i] && o + 1 < text_size; i++)
				text[o++] = un->sun_path[i];
		}
		text[o] = 0;
	}
	return family;
}
