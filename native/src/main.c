/*
 * /.imprint/probe [--no-seccomp] [--no-notify] [--no-log-pids] [--version] -- CMD ARGS...
 *
 * PID 1 of a probed container: starts CMD under ptrace (with a seccomp filter unless --no-seccomp),
 * writes frames (native/PROTOCOL.md) to its own stdout, relays the app's output as LOG frames, and does
 * what tini does: forwards signals to the app, reaps orphans, exits with the app's code (128+N after
 * signal N) once END is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "filter.h"
#include "notify.h"
#include "frame.h"
#include "log.h"
#include "state.h"
#include "syscalls.h"
#include "tracer.h"

#ifndef PROBE_VERSION
#define PROBE_VERSION "0.1.0"
#endif

enum start_mode { START_SECCOMP = 'S', START_PTRACE = 'P', START_UNTRACED = 'U' };

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
volatile sig_atomic_t forwarded_signal, forwarded_count;

static void forward(int sig)
{
	int saved = errno;

	if (cfg.app > 0)
		kill(cfg.app, sig);
	forwarded_signal = sig;
	forwarded_count++;
	errno = saved;
}

static void set_forwarded_blocked(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static void usage(void)
{
	fprintf(stderr, "usage: probe [--no-seccomp] [--no-notify] [--no-log-pids] [--version] [--list-hot] -- CMD ARGS...\n");
	exit(2);
}

/* PATH lookup like execvp, done before the filter so the app's first exec is its only one. */
static const char *find_program(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(name, '/'))
		return name;
	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);

		if ((size_t)snprintf(buf, size, "%.*s%s%s", (int)n, path, n ? "/" : "", name) < size &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return buf;
		path += n + (end ? 1 : 0);
	}
	return name;
}

static void write_byte(int fd, char c)
{
	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/*
 * CAP_SYS_PTRACE is the probe's, not the app's. With it the probe can still read a tracee's memory after
 * the tracee changes uid and becomes non-dumpable (the kernel then requires the tracer to be capable,
 * even for PTRACE_PEEKDATA). The engine grants it to the container; the app must not inherit it, so the
 * child drops it from every set before exec. Without it, the probe still runs and flags what it
 * cannot read.
 */
static void drop_ptrace_cap(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	uint32_t bit = 1u << (CAP_SYS_PTRACE % 32);
	int word = CAP_SYS_PTRACE / 32;

	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_SYS_PTRACE, 0, 0);
	prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE, 0, 0, 0);
	if (syscall(SYS_capget, &hdr, data) == 0) {
		data[word].effective &= ~bit;
		data[word].permitted &= ~bit;
		data[word].inheritable &= ~bit;
		syscall(SYS_capset, &hdr, data);
	}
}

/* Hands the filter's listener to the probe: SCM_RIGHTS is the one way that needs no privilege. */
static void send_listener(int sock, int listener)
{
	char byte = 'L';
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } control;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &listener, sizeof(int));
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
		if (errno == EINTR)
			continue;
		/* without the probe holding the listener every notified call would fail with ENOSYS */
		fprintf(stderr, "imprint probe: cannot hand over the seccomp listener: %s\n", strerror(errno));
		_exit(127);
	}
}

static __attribute__((noreturn)) void run_app(char **argv, int go_fd, int status_fd, int out_fd, int err_fd,
					       bool notify)
{
	char mode = 0, path[4096];
	const char *prog;
	sigset_t none;

	if (dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(127);
	while (read(go_fd, &mode, 1) < 0 && errno == EINTR)
		;
	prog = find_program(argv[0], path, sizeof(path));
	drop_ptrace_cap();
	if (mode == START_SECCOMP) {
		int listener = -1, status[2];

		status[0] = filter_install(notify, &listener);
		status[1] = listener >= 0;
		/* write is hot; sendmsg stops (TRACE), and the tracer answers it once it knows the mode */
		while (write(status_fd, status, sizeof(status)) < 0 && errno == EINTR)
			;
		if (listener >= 0) {
			send_listener(status_fd, listener);
			close(listener); /* the app must never hold it: it could answer its own calls */
		}
	}
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (mode != START_UNTRACED)
		raise(SIGSTOP); /* lets the tracer resume us in the right mode */
	execv(prog, argv);
	fprintf(stderr, "imprint probe: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static bool ptrace_refused_by_yama(void)
{
	char c = 0;
	int fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == '3';
}

static void send_hello(const char *mode)
{
	static struct frame f;
	struct timespec real;
	uint64_t mono;

	frame_begin(&f, F_HELLO, getpid(), getpid());
	mono = monotonic_ns();
	clock_gettime(CLOCK_REALTIME, &real);
	/* the header's time is refreshed so it matches REALTIME as closely as possible */
	for (int i = 0; i < 8; i++)
		f.buf[16 + i] = (uint8_t)(mono >> (8 * i));
	frame_flag(&f, FL_SYNTHETIC);
	frame_bytes(&f, A_MAGIC, "IMPRINT1", 8, 8);
	frame_int(&f, A_VERSION, 1);
	frame_str(&f, A_PROBE, PROBE_VERSION);
	frame_str(&f, A_ARCH, ARCH_NAME);
	frame_str(&f, A_MODE, mode);
	frame_int(&f, A_REALTIME, (int64_t)real.tv_sec * 1000000000ll + real.tv_nsec);
	frame_commit(&f);
}

static void send_end(int code)
{
	static struct frame f;
	uint64_t events = frames_written();

	frame_begin(&f, F_END, getpid(), getpid());
	frame_flag(&f, FL_SYNTHETIC);
	frame_int(&f, A_CODE, code);
	frame_int(&f, A_EVENTS, (int64_t)events);
	frame_int(&f, A_STOPS, (int64_t)stops);
	frame_commit(&f);
	out_flush();
}

int main(int argc, char **argv)
{
	bool no_seccomp = false, notify = true;
	int i, go[2], status_pipe[2], out[2], err[2];
	pid_t child;
	char mode;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--no-seccomp") == 0) {
			no_seccomp = true;
		} else if (strcmp(argv[i], "--no-notify") == 0) {
			notify = false; /* every filtered call stops through ptrace (for comparison) */
		} else if (strcmp(argv[i], "--no-log-pids") == 0) {
			filter_set_log_writers(false); /* writes to stdout/stderr run untouched; LOG pid 0 */
		} else if (strcmp(argv[i], "--list-hot") == 0) {
			/* the always-allowed syscalls, one name a line (exports and benchmarks use it) */
			for (int nr = 0; nr < SYSCALL_MAX; nr++)
				if (sysent[nr].flags & (SC_HOT | SC_HOT_NULL_ARG4))
					printf("%s%s\n", syscall_name(nr),
					       (sysent[nr].flags & SC_HOT_NULL_ARG4) ? " (when dest_addr is NULL)" : "");
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("imprint-probe %s (%s, protocol 1)\n", PROBE_VERSION, ARCH_NAME);
			return 0;
		} else {
			break; /* the command starts here ("--" is optional) */
		}
	}
	if (i >= argc)
		usage();

	signal(SIGPIPE, SIG_IGN);
	set_forwarded_blocked(true);
	if (pipe2(go, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, status_pipe) < 0 ||
	    pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(err, O_CLOEXEC) < 0) {
		perror("imprint probe: pipe");
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("imprint probe: fork");
		return 1;
	}
	if (child == 0)
		run_app(argv + i, go[0], status_pipe[1], out[1], err[1], notify);
	close(go[0]);
	close(status_pipe[1]);
	/* kept to recognise writes to them (notify.c, kcmp); the relay does not wait for their end */
	notify_set_pipes(out[1], err[1]);
	cfg.app = child;
	/* Nobody may ptrace or read the probe's memory, not even a process of the same uid. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	bool yama = ptrace_refused_by_yama();
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL;
	int seize_errno = 0;

	if (yama || ptrace(PTRACE_SEIZE, child, 0, (void *)opts) < 0) {
		seize_errno = yama ? EPERM : errno;
		mode = START_UNTRACED;
	} else {
		mode = no_seccomp ? START_PTRACE : START_SECCOMP;
	}
	write_byte(go[1], mode);
	close(go[1]);

	int filter_err = 0, start_status[2] = { 0, 0 };
	if (mode == START_SECCOMP) {
		if (read(status_pipe[0], start_status, sizeof(start_status)) != sizeof(start_status))
			start_status[0] = -EIO;
		filter_err = start_status[0];
	}
	/* the notification thread receives the listener itself: the child's sendmsg stops until the
	 * tracer runs, so waiting for it here would never end */
	if (start_status[1] == 0 || notify_start(status_pipe[0]) < 0)
		close(status_pipe[0]);
	cfg.ptrace_mode = mode == START_PTRACE || (mode == START_SECCOMP && filter_err != 0);
	cfg.nnp = mode == START_SECCOMP && filter_err == 0;

	send_hello(mode == START_UNTRACED ? "none" : cfg.ptrace_mode ? "ptrace" : "seccomp");
	if (mode == START_UNTRACED)
		send_notice("ptrace-denied", "ptrace is not permitted here (%s%s); the app runs untraced",
			    strerror(seize_errno), yama ? ", Yama ptrace_scope is 3" : "");
	else if (mode == START_SECCOMP && filter_err)
		send_notice("seccomp-unavailable", "the seccomp filter could not be installed (%s); every "
			    "syscall stops instead (slower, still complete)", strerror(-filter_err));
	else if (cfg.nnp)
		send_notice("no-new-privs", "no_new_privs is set: setuid and setgid programs will not "
			    "elevate (run with --no-seccomp if the app needs them)");

	if (mode != START_UNTRACED) {
		struct thread *t = thread_get(child, child);
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		t->expect_sigstop = true;
		t->known_parent = true;
		t->proc->uid = getuid();
		t->proc->gid = getgid();
		t->proc->ids_known = true;
		self[n > 0 ? n : 0] = 0;
		set_str(&t->proc->exe, self);
	}
	out_wake_fd(); /* before any thread commits frames */
	if (log_start(out[0], err[0]) < 0)
		send_notice("decode-failed", "the output relay could not start: app output is lost");

	for (size_t s = 0; s < sizeof(forwarded) / sizeof(forwarded[0]); s++) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = forward; /* no SA_RESTART: waitpid returns EINTR so the notice goes out */
		sigaction(forwarded[s], &sa, NULL);
	}
	set_forwarded_blocked(false);

	int status = tracer_run();
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;

	log_stop();
	send_end(code);
	return code;
}
