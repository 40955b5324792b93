/*
 * The fast path: calls whose entry already says everything Imprint reports (read-only opens, calls
 * reported only as SYSCALL_SEEN) reach the probe as seccomp user notifications, handled on this
 * thread, instead of as ptrace stops on the tracer's.
 *
 * Why: a ptrace stop wakes the tracer and then the tracee, and the scheduler puts each wake-up on
 * whichever CPU is idle. On a VM waking an idle vCPU costs tens of microseconds, so a stop costs
 * 45-90 us there (native/README "Cost"). With SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6) the
 * kernel hands the CPU straight from the tracee to this thread and back, as a pipe between two
 * threads of one program would: about 10 us, the same as a stop with both pinned to one CPU.
 *
 * The notified call has not run yet and is continued unchanged (SECCOMP_USER_NOTIF_FLAG_CONTINUE): the
 * probe only reads the tracee's memory, never answers in its place. Its result is not seen, which is
 * why only calls whose result Imprint does not report take this path (filter.c). A frame is committed
 * only once the kernel accepted the answer: a notification cancelled by a signal is sent again when
 * the call restarts, and must not be reported twice.
 *
 * A signal that arrives before the probe has received a notification cancels it, and the call returns
 * -ERESTARTSYS: restarted after the handler if it has SA_RESTART, EINTR otherwise. Without the probe
 * that call (a kill, an open of a regular file) would never have failed with EINTR (`kill -CONT $p`
 * silently did nothing in a busybox shell, leaving $p stopped), so at the signal's delivery stop the
 * tracer turns such a result into -ERESTARTNOINTR, which always restarts (notify_restart_unanswered). A
 * call the probe did continue and that was then interrupted while blocking (an open of a FIFO, a write
 * to a full pipe) keeps its -ERESTARTSYS. After the probe has received a notification only a fatal
 * signal interrupts the wait (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, Linux 5.19).
 */
#include "notify.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <linux/kcmp.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "arch.h"
#include "filter.h"
#include "log.h"
#include "writers.h"
#include "mem.h"
#include "syscalls.h"
#include "tracer.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif
/* The kernel's internal restart codes (include/linux/errno.h), seen by a tracer in the result register. */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE 1
#endif

static pthread_t thread;
static int pipe_ends[2] = { -1, -1 }; /* the probe's own copies of the app's stdout/stderr write ends */
static unsigned long pipe_inodes[2];
static int channel = -1;
static volatile bool active; /* the listener was received: calls may be waiting on it */

/* Receives the listener the app's first process created when it installed the filter. */
static int receive_listener(int sock)
{
	char byte;
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } control;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	int fd = -1;
	ssize_t n;

	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

/* A thread the tracer does not know yet (none should reach here, but the app is not trusted). */
struct stranger {
	struct process proc;
	struct thread thread;
};

static struct thread *stranger_get(struct stranger *s, pid_t tid)
{
	memset(s, 0, sizeof(*s));
	s->proc.tgid = tid;
	s->proc.mem_fd = -1;
	s->proc.dns_fd = -1;
	s->proc.cwd_stale = true;
	s->thread.tid = tid;
	s->thread.proc = &s->proc;
	return &s->thread;
}

static void stranger_put(struct stranger *s)
{
	process_close_mem(&s->proc);
	free(s->proc.cwd);
	free(s->proc.exe);
}

/* stream_of without kcmp (Docker's profile allows it only with CAP_SYS_PTRACE): by the pipe's inode. */
static int stream_by_inode(pid_t tid, int fd)
{
	char link[64], target[64];
	unsigned long ino;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);

	if (n <= 0)
		return fd; /* not readable (a non-dumpable process): trust the number */
	target[n] = 0;
	if (sscanf(target, "pipe:[%lu]", &ino) != 1)
		return 0;
	for (int stream = 1; stream <= 2; stream++)
		if (pipe_inodes[stream - 1] == ino)
			return stream;
	return 0;
}

/* Which of the app's pipes `fd` of thread `tid` writes to: 1 (stdout), 2 (stderr) or 0 (neither: a
 * file, another pipe, a shell's saved copy). `>&2` makes fd 1 the stderr pipe. */
static int stream_of(pid_t tid, int fd)
{
	for (int stream = 1; stream <= 2; stream++) {
		long same;

		if (pipe_ends[stream - 1] < 0)
			return fd;
		same = syscall(SYS_kcmp, tid, getpid(), KCMP_FILE, fd, pipe_ends[stream - 1]);
		if (same < 0)
			return stream_by_inode(tid, fd);
		if (same == 0)
			return stream;
	}
	return 0;
}

/* The size and first bytes of a write or writev to stdout/stderr; returns the prefix's length. */
static size_t write_head(struct thread *t, long nr, const uint64_t *args, size_t *bytes, uint8_t *prefix)
{
	struct iovec iov[64];
	size_t n = args[2] < 64 ? (size_t)args[2] : 64, want = WRITER_PREFIX;
	uint64_t first = 0;
	ssize_t got;

	if (nr == __NR_write) {
		*bytes = (size_t)args[2];
		first = args[1];
	} else {
		*bytes = 0;
		got = mem_read(t, args[1], iov, n * sizeof(iov[0]));
		for (size_t i = 0; got > 0 && i < (size_t)got / sizeof(iov[0]); i++) {
			if (!first && iov[i].iov_len) {
				/* the prefix comes from the first non-empty piece alone: enough to tell it */
				first = (uint64_t)(uintptr_t)iov[i].iov_base;
				if (iov[i].iov_len < want)
					want = iov[i].iov_len;
			}
			*bytes += iov[i].iov_len;
		}
	}
	if (*bytes < want)
		want = *bytes;
	got = first && want ? mem_read(t, first, prefix, want) : 0;
	return got > 0 ? (size_t)got : 0;
}

/* Describes one call; returns the frame to commit once the call is continued, or NULL. */
static struct frame *describe(struct thread *t, long nr, const uint64_t *args)
{
	static struct frame f;

	seen_report_nr(t, nr);
	if (sysent_of(nr)->decoder != D_OPEN)
		return NULL;
	frame_begin(&f, F_OPEN, t->proc->tgid, t->tid);
	open_describe(t, nr, args, &f);
	return &f;
}

/* Remembers the call the kernel accepted to continue (see notify_restart_unanswered). */
static void note_continued(struct thread *t, const struct seccomp_notif *req)
{
	t->continued.valid = true;
	t->continued.nr = req->data.nr;
	t->continued.ip = req->data.instruction_pointer;
	t->continued.arg1 = req->data.args[1];
}

static bool answer(int fd, uint64_t id)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	while (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0) {
		if (errno != EINTR)
			return false; /* ENOENT: cancelled (a signal, or the thread died) */
	}
	return true;
}

/* Writes to stdout/stderr a second above which their hand-offs cost the app noticeably (a few % of a
 * CPU): said once per run, with the option that removes the cost. */
#define COSTLY_WRITES_PER_SECOND 2000

static void count_std_write(void)
{
	static struct timespec window;
	static unsigned writes;
	static bool told;
	struct timespec now;

	if (told)
		return;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (now.tv_sec != window.tv_sec) {
		window = now;
		writes = 0;
	}
	if (++writes < COSTLY_WRITES_PER_SECOND)
		return;
	told = true;
	send_notice("log-writes-costly", "the app writes to stdout/stderr more than %d times a second, and each "
		    "write is handed to the probe to learn its writer: run with --no-log-pids (in the app: untick "
		    "'Record which process wrote each output line') to skip that; lines then carry no pid",
		    COSTLY_WRITES_PER_SECOND);
}

/* A write to stdout or stderr: tells the log relay who is about to write what (log.c, writers.c). */
static void on_write(int fd, const struct seccomp_notif *req)
{
	const uint64_t *args = (const uint64_t *)req->data.args;
	pid_t tid = (pid_t)req->pid, tgid;
	uint8_t prefix[WRITER_PREFIX];
	size_t bytes, prefix_len;
	struct stranger s;
	struct thread *t;
	bool mine;

	state_lock();
	t = thread_find(tid);
	mine = t && t->expect_sigstop; /* the probe's own message before exec */
	if (t) {
		exec_settle(t);
		call_settle(t, req->data.nr, args);
	}
	else
		t = stranger_get(&s, tid);
	tgid = t->proc->tgid;
	prefix_len = write_head(t, req->data.nr, args, &bytes, prefix);
	if (t == &s.thread)
		stranger_put(&s);
	state_unlock();
	if (!mine)
		log_expect(stream_of(tid, (int)args[0]), tgid, bytes, prefix, prefix_len);
	if (answer(fd, req->id)) {
		state_lock();
		t = thread_find(tid);
		if (t)
			note_continued(t, req);
		state_unlock();
	}
	count_std_write();
}

/* Any other notified call: decoded, continued, then reported. */
static void on_call(int fd, const struct seccomp_notif *req)
{
	const uint64_t *args = (const uint64_t *)req->data.args;
	long nr = req->data.nr;
	struct frame *f = NULL;
	struct stranger s;
	struct thread *t;
	bool known, continued;

	state_lock();
	t = thread_find((pid_t)req->pid);
	known = t != NULL;
	if (known) {
		exec_settle(t);
		call_settle(t, nr, args);
	}
	else
		t = stranger_get(&s, (pid_t)req->pid);
	if (known && t->expect_sigstop) {
		/* the probe's own calls in the app's process before exec */
	} else if (known && t->call.await_seccomp) {
		/* decoded at its syscall-entry stop already (the process steps every call) */
		t->call.await_seccomp = false;
	} else if (sysent_of(nr)->decoder == D_EXEC) {
		seen_report_nr(t, nr);
		if (known)
			exec_notified(t, nr, args); /* reported at its exec event, or by exec_settle */
	} else {
		f = describe(t, nr, args);
	}
	continued = answer(fd, req->id);
	if (continued && known)
		note_continued(t, req);
	if (continued && f)
		frame_commit(f);
	if (!continued && known && t->call.exec_notified) {
		/* cancelled: the call restarts and is notified again */
		t->call.exec_notified = false;
		t->call.has_frame = false;
	}
	if (!known)
		stranger_put(&s);
	state_unlock();
}

static void *serve(void *arg)
{
	struct seccomp_notif_sizes sizes = { 0 };
	struct seccomp_notif *req;
	size_t size;
	int fd = receive_listener(channel);

	(void)arg;
	close(channel);
	channel = -1;
	if (fd < 0)
		return NULL;
	active = true;
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0) < 0)
		send_notice("notify-slow", "this kernel hands seccomp notifications over between CPUs (no "
			    "SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP before Linux 6.6): tracing is complete but slower");
	/* the kernel's struct may be larger than this program's headers know */
	if (syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		sizes.seccomp_notif = sizeof(*req);
	size = sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req);
	req = calloc(1, size);
	if (!req)
		abort();
	for (;;) {
		memset(req, 0, size);
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			break;
		}
		if (filter_is_std_write(req->data.nr, (const uint64_t *)req->data.args))
			on_write(fd, req);
		else
			on_call(fd, req);
	}
	free(req);
	return NULL;
}

void notify_set_pipes(int out_write, int err_write)
{
	struct stat st;

	pipe_ends[0] = out_write;
	pipe_ends[1] = err_write;
	for (int i = 0; i < 2; i++)
		if (fstat(pipe_ends[i], &st) == 0)
			pipe_inodes[i] = (unsigned long)st.st_ino;
}

int notify_start(int sock)
{
	channel = sock;
	return pthread_create(&thread, NULL, serve, NULL) == 0 ? 0 : -1;
}


void notify_restart_unanswered(struct thread *t)
{
	long nr;
	int64_t ret;
	uint64_t ip, args[6];
	bool seen, arg0_known;

	if (!active || arch_interrupted_call(t->tid, &nr, &ret, &ip, args, &arg0_known) < 0)
		return;
	seen = t->continued.valid && t->continued.nr == nr && t->continued.ip == ip && t->continued.arg1 == args[1];
	t->continued.valid = false;
	/* a write's descriptor must be known to tell whether the filter notified it */
	bool write = nr == __NR_write || nr == __NR_writev;

	if (ret == -ERESTARTSYS && !seen && (arg0_known || !write) && filter_notifies(nr, args))
		arch_set_return(t->tid, -ERESTARTNOINTR); /* the kernel restarts it after the handler */
}
