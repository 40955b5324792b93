/*
 * The tracing loop: wait for the next stop, dispatch it, resume. Stops come in these kinds
 * (ptrace(2), "Stopped states"), each handled in one place below:
 *   seccomp stop     a filtered (non-hot) call at entry: decode, resume to its exit only if needed
 *   syscall stop     entry/exit while a process steps every call (ptrace mode, DNS exchange)
 *   fork/exec event  a new thread or process; a new program (maybe from a non-leader thread)
 *   event stop       a new child's first stop, an interrupt, or a group-stop (PTRACE_LISTEN)
 *   signal stop      a signal for the tracee: delivered as is
 *   exit             a thread or process ended: report, forget, and notice the app's own end
 * Output is buffered and flushed by size or by a short timer (frame.c), so bursts cost few writes.
 */
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mem.h"
#include "notify.h"
#include "syscalls.h"

/* PTRACE_GET_SYSCALL_INFO's layout (linux/ptrace.h), named here so both libcs agree. */
struct syscall_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	union {
		struct { uint64_t nr; uint64_t args[6]; } entry;
		struct { int64_t rval; uint8_t is_error; } exit;
		struct { uint64_t nr; uint64_t args[6]; uint32_t ret_data; } seccomp;
	};
};

enum { OP_NONE, OP_ENTRY, OP_EXIT, OP_SECCOMP };

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif

struct config cfg;
uint64_t stops;
extern volatile sig_atomic_t forwarded_signal, forwarded_count; /* main.c's signal handler */

static struct frame shared;
static bool app_done;
static int app_status;

struct frame *event_frame(enum frame_type type, pid_t pid, pid_t tid)
{
	frame_begin(&shared, type, pid, tid);
	return &shared;
}

struct frame *call_frame(struct thread *t, enum frame_type type)
{
	struct frame *f = thread_frame(t);

	frame_begin(f, type, t->proc->tgid, t->tid);
	f->limit = FRAME_MAX - FRAME_EXIT_RESERVE;
	t->call.has_frame = true;
	return f;
}

void call_commit(struct thread *t, int64_t result)
{
	if (!t->call.has_frame)
		return;
	t->frame->limit = FRAME_MAX;
	/* a call's frame is stamped when it completed: a blocking accept after the connect it took */
	frame_set_time(t->frame, monotonic_ns());
	frame_int(t->frame, A_RESULT, result);
	frame_commit(t->frame);
	t->call.has_frame = false;
}

/* The kernel's restart codes (include/linux/errno.h): the call was interrupted by a signal and runs
 * again after it (a tracee stops even for signals it ignores, so a blocking connect meets them), or
 * fails with EINTR when a handler lacks SA_RESTART. The app never sees these values. */
static bool restarting(int64_t rval)
{
	return rval == -512 || rval == -513 || rval == -514 || rval == -516;
}

void call_settle(struct thread *t, long nr, const uint64_t *args)
{
	if (!t->call.restart_held)
		return;
	t->call.restart_held = false;
	/* the same call again is the restart: it reports itself; anything else means the app saw EINTR */
	if (t->call.has_frame && !(nr == t->call.nr && memcmp(args, t->call.args, sizeof(t->call.args)) == 0))
		call_commit(t, -EINTR);
	t->call.has_frame = false;
}

void call_begin(struct thread *t, long nr, const uint64_t *args, uint8_t decoder)
{
	call_settle(t, nr, args);
	t->call.nr = (int)nr;
	memcpy(t->call.args, args, sizeof(t->call.args));
	t->call.decoder = decoder;
	t->call.has_frame = false;
	t->call.want_exit = false;
	t->call.await_seccomp = false;
	t->call.exec_notified = false;
}

void call_commit_entry(struct thread *t)
{
	if (!t->call.has_frame)
		return;
	t->frame->limit = FRAME_MAX;
	frame_commit(t->frame);
	t->call.has_frame = false;
}

void resume(struct thread *t, int sig)
{
	bool step = cfg.ptrace_mode || t->proc->stepping || t->call.want_exit;

	/* ESRCH: the thread died meanwhile (SIGKILL); its exit comes through waitpid. */
	ptrace(step ? PTRACE_SYSCALL : PTRACE_CONT, t->tid, 0, (void *)(long)sig);
}

static bool is_hot(long nr, const uint64_t *args)
{
	const struct sysent *e = sysent_of(nr);

	return (e->flags & SC_HOT) || ((e->flags & SC_HOT_NULL_ARG4) && args[4] == 0);
}

static void on_entry_stop(struct thread *t, long nr, const uint64_t *args, bool from_seccomp)
{
	const struct sysent *e = sysent_of(nr);
	bool hot = is_hot(nr, args), want = false;
	struct process *p = t->proc;

	call_begin(t, nr, args, hot ? D_SEEN : e->decoder);
	/* After a syscall-entry stop, a seccomp stop before the exit stop is this same call (ours for a
	 * non-hot call, or a RET_TRACE from a filter the app installed itself). */
	t->call.await_seccomp = !from_seccomp;
	if (!hot)
		seen_report(t);
	/* close is hot: seen only while stepping (DNS, ptrace mode); the fd is gone whatever it returns */
	if (nr == __NR_close)
		socket_forget(p, (int)args[0]);
	if (p->stepping && --p->dns_budget <= 0)
		p->stop_stepping = true;

	switch (t->call.decoder) {
	case D_SEEN: want = p->stepping && dns_entry(t); break;
	case D_SENDTO: case D_SENDMSG: case D_SENDMMSG: want = dns_entry(t); break;
	case D_EXEC: want = exec_entry(t); break;
	case D_OPEN: want = open_entry(t); break;
	case D_FILE: want = file_entry(t); break;
	case D_SOCKET: case D_CONNECT: case D_BIND: case D_LISTEN: case D_ACCEPT: want = net_entry(t); break;
	case D_SETID: want = setid_entry(t); break;
	case D_RISKY: case D_IO_URING: want = risky_entry(t); break;
	case D_CHDIR: want = chdir_entry(t); break;
	}
	t->call.want_exit = want;
	if (!want)
		call_commit_entry(t);
}

static void on_exit_stop(struct thread *t, int64_t rval)
{
	if (restarting(rval) && t->call.has_frame) {
		t->call.restart_held = true; /* one call, one frame: not one per attempt */
		return;
	}
	switch (t->call.decoder) {
	case D_SEEN: case D_SENDTO: case D_SENDMSG: case D_SENDMMSG:
		dns_exit(t, rval);
		/* a first send to a destination (net_send_dest): any byte count is success */
		call_commit(t, rval >= 0 ? 0 : rval);
		break;
	case D_EXEC: exec_exit(t, rval); break;
	case D_OPEN: open_exit(t, rval); break;
	case D_SOCKET: case D_CONNECT: case D_BIND: case D_LISTEN: case D_ACCEPT: net_exit(t, rval); break;
	case D_RISKY: case D_IO_URING: risky_exit(t, rval); break;
	case D_CHDIR: chdir_exit(t, rval); break;
	case D_SETID:
		if (rval == 0)
			t->proc->ids_known = false;
		call_commit(t, rval);
		break;
	default: call_commit(t, rval); break;
	}
	t->call.has_frame = false;
}

/* A call made through another ABI (i386 int 0x80 on x86_64): numbers mean other calls, so it is not
 * decoded, only reported once per executable and number. */
static void foreign_call(struct thread *t, uint32_t arch, long nr)
{
	char key[PATH_BOUND + 32], name[48];
	const char *exe = t->proc->exe ? t->proc->exe : "";

	snprintf(key, sizeof(key), "arch %x %s", arch, exe);
	if (!seen_first(key, (int)(nr & 0xffff) % SYSCALL_MAX))
		return;
#ifdef AUDIT_ARCH_I386
	if (arch == AUDIT_ARCH_I386)
		snprintf(name, sizeof(name), "i386:%ld", nr);
	else
#endif
		snprintf(name, sizeof(name), "arch-%x:%ld", arch, nr);
	struct frame *f = event_frame(F_SYSCALL_SEEN, t->proc->tgid, t->tid);

	frame_int(f, A_NR, nr);
	frame_str(f, A_SYSCALL, name);
	frame_str(f, A_EXE, exe);
	frame_commit(f);
}

static void on_syscall_stop(struct thread *t, bool seccomp)
{
	struct syscall_info info;

	if (t->expect_sigstop) {
		/* the probe's own calls in the app's process before it stops itself to exec the app */
		resume(t, 0);
		return;
	}
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) <= 0) {
		resume(t, 0);
		return;
	}
	if ((info.op == OP_SECCOMP || info.op == OP_ENTRY) && info.arch != AUDIT_ARCH_NATIVE) {
		foreign_call(t, info.arch, (long)(info.op == OP_SECCOMP ? info.seccomp.nr : info.entry.nr));
		t->call.want_exit = false;
		t->call.await_seccomp = info.op == OP_ENTRY && !cfg.ptrace_mode;
		t->call.nr = -1;
		resume(t, 0);
		return;
	}
	switch (info.op) {
	case OP_SECCOMP:
		/* the same call (its number may now read -1 if the entry stop skipped it) */
		if (t->call.await_seccomp) {
			t->call.await_seccomp = false;
			break;
		}
		on_entry_stop(t, (long)info.seccomp.nr, info.seccomp.args, true);
		break;
	case OP_ENTRY:
		if (!cfg.ptrace_mode && !t->proc->stepping) {
			/* A stop left over from a DNS exchange that just ended: a filtered call will
			 * stop again at seccomp and is decoded there. */
			t->call.want_exit = false;
			t->call.await_seccomp = false;
			break;
		}
		on_entry_stop(t, (long)info.entry.nr, info.entry.args, false);
		break;
	case OP_EXIT:
		t->call.await_seccomp = false;
		if (t->call.want_exit) {
			t->call.want_exit = false;
			on_exit_stop(t, info.exit.rval);
		}
		if (t->proc->stepping)
			dns_step_exit(t);
		break;
	default:
		break;
	}
	(void)seccomp;
	resume(t, 0);
}

/*
 * Children whose first stop arrives before their creator's fork event are held stopped until that
 * event: only then is it known whether they are threads, and what they inherit (cwd, executable,
 * sockets). The creator reports the event right after creating the child unless it is killed first;
 * then the death of the parent /proc named releases the child.
 */
#define HELD_MAX 256
static pid_t held[HELD_MAX];
static int nheld;

static pid_t parent_of(pid_t tid)
{
	char path[64], buf[1024];
	pid_t tgid = 0, ppid = 0;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	for (char *line = buf; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, "Tgid:", 5) == 0)
			tgid = (pid_t)atoi(line + 5);
		else if (strncmp(line, "PPid:", 5) == 0)
			ppid = (pid_t)atoi(line + 5);
	}
	/* a thread's creator is in its own group; a process's is its parent */
	return tgid && tgid != tid ? tgid : ppid;
}

static void held_sweep(pid_t dead);

static bool hold(struct thread *t)
{
	if (nheld >= HELD_MAX)
		held_sweep(0);
	if (nheld >= HELD_MAX)
		return false;
	t->held_parent = parent_of(t->tid);
	if (t->held_parent <= 0)
		return false;
	t->held = true;
	held[nheld++] = t->tid;
	return true;
}

/* Forgets released or dead held threads; resumes those whose parent was `dead`. */
static void held_sweep(pid_t dead)
{
	int kept = 0;

	for (int i = 0; i < nheld; i++) {
		struct thread *h = thread_find(held[i]);

		if (!h || !h->held)
			continue;
		if (dead > 0 && h->held_parent == dead) {
			h->held = false;
			resume(h, 0);
			continue;
		}
		held[kept++] = held[i];
	}
	nheld = kept;
}

static void on_death(pid_t tid, struct thread *t, int status)
{
	if (t) {
		exec_settle(t);
		/* a call the thread died in (blocked in accept or connect, say) is still reported */
		if (t->call.has_frame)
			call_commit(t, -EINTR);
		if (t->tid == t->proc->tgid) {
			struct frame *f = event_frame(F_EXIT, t->proc->tgid, t->tid);

			if (WIFEXITED(status))
				frame_int(f, A_CODE, WEXITSTATUS(status));
			else
				frame_int(f, A_SIGNAL, WTERMSIG(status));
			frame_commit(f);
		}
		thread_drop(t);
	}
	if (nheld)
		held_sweep(tid);
	if (tid == cfg.app) {
		app_done = true;
		app_status = status;
	}
}

static void on_stop(pid_t tid, int status)
{
	struct thread *t = thread_find(tid);
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;
	unsigned long msg = 0;
	bool fresh = !t;

	if (fresh)
		t = thread_get(tid, tid); /* stopped before its creator's fork event: filed there later */
	if (event != PTRACE_EVENT_EXEC)
		exec_settle(t);
	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_stop(t, false);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_syscall_stop(t, true);
		return;
	case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: case PTRACE_EVENT_CLONE:
		fork_event(t, event);
		break;
	case PTRACE_EVENT_EXEC:
		ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg);
		exec_event(t, (pid_t)msg);
		t = thread_find(tid);
		break;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			/* group-stop: stay stopped, but let SIGCONT and new events through */
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			return;
		}
		if (fresh && !t->known_parent && hold(t))
			return; /* the fork event resumes it */
		break;
	case 0:
		if (sig == SIGSTOP && t->expect_sigstop) {
			t->expect_sigstop = false; /* the app's own "ready" stop before exec */
			break;
		}
		notify_restart_unanswered(t);
		resume(t, sig);
		return;
	default:
		break;
	}
	if (t)
		resume(t, 0);
}

int tracer_run(void)
{
	sig_atomic_t told = 0;

	while (!app_done) {
		int status;
		/* No flush here: frame.c's timer sends what is buffered within FLUSH_DELAY_MS. */
		pid_t tid = waitpid(-1, &status, __WALL);

		if (forwarded_count != told) {
			told = forwarded_count;
			send_notice("signal-forwarded", "%s", strsignal(forwarded_signal));
		}
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: nothing left to wait for */
		}
		stops++;
		state_lock();
		if (WIFSTOPPED(status))
			on_stop(tid, status);
		else if (WIFEXITED(status) || WIFSIGNALED(status))
			on_death(tid, thread_find(tid), status);
		state_unlock();
	}
	return app_status;
}
