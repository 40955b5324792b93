/* Process decoders: exec, fork/clone events, uid/gid/capability changes, risky calls, chdir, and
 * the SYSCALL_SEEN record that keeps the syscall set complete. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>

#include "arch.h"
#include "mem.h"
#include "syscalls.h"
#include "tracer.h"

#define ARGV_MAX 64
#define ARG_BOUND 1024
#define ARGC_COUNT_MAX 1000000

static void read_ids_proc(pid_t tid, int64_t *uid, int64_t *gid)
{
	char path[64], line[256];
	FILE *f;

	*uid = *gid = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		long v;

		if (sscanf(line, "Uid: %ld", &v) == 1)
			*uid = v;
		else if (sscanf(line, "Gid: %ld", &v) == 1) {
			*gid = v;
			break;
		}
	}
	fclose(f);
}

/* The real uid/gid, read from /proc only after a set*id call may have changed them. */
static void read_ids(struct thread *t, int64_t *uid, int64_t *gid)
{
	struct process *p = t->proc;

	if (!p->ids_known) {
		read_ids_proc(t->tid, &p->uid, &p->gid);
		p->ids_known = p->uid >= 0;
	}
	*uid = p->uid;
	*gid = p->gid;
}

/* ARGV entries (at most ARGV_MAX, each bounded) and the full count, read pointer by pointer. */
static void add_argv(struct thread *t, struct frame *f, uint64_t argv)
{
	uint64_t ptrs[64];
	int64_t argc = 0;
	char arg[ARG_BOUND + 1];

	while (argv && argc < ARGC_COUNT_MAX) {
		ssize_t n = mem_read(t, argv + (uint64_t)argc * 8, ptrs, sizeof(ptrs));
		int i, count = n > 0 ? (int)(n / 8) : 0;

		if (count == 0) {
			frame_flag(f, FL_UNREADABLE);
			break;
		}
		for (i = 0; i < count && ptrs[i]; i++, argc++) {
			if (argc >= ARGV_MAX)
				continue;
			unsigned fl = 0;
			ssize_t len = mem_read_str(t, ptrs[i], arg, sizeof(arg), &fl);

			if (len < 0)
				len = 0;
			frame_flag(f, fl);
			frame_bytes(f, A_ARGV, arg, (size_t)len, ARG_BOUND);
		}
		if (i < count)
			break;
	}
	if (argc > ARGV_MAX)
		frame_flag(f, FL_TRUNCATED);
	frame_int(f, A_ARGC, argc);
}

bool exec_entry(struct thread *t)
{
	uint64_t *a = t->call.args;
	bool at = t->call.decoder == D_EXEC && sysent_of(t->call.nr)->variant == V_EXECVEAT;
	char path[PATH_BOUND + 1], cwd[PATH_BOUND + 1];
	unsigned flags = 0;
	int64_t uid, gid;
	struct stat st;
	struct frame *f = call_frame(t, F_EXEC);

	if (at) {
		path_at(t, (int)a[0], a[1], path, &flags);
		if (path[0] == 0 && (a[4] & AT_EMPTY_PATH))
			fd_path(t, (int)a[0], path);
	} else {
		path_at(t, AT_FDCWD, a[0], path, &flags);
	}
	frame_flag(f, flags);
	frame_str(f, A_PATH, path);
	set_str(&t->stash, path);
	add_argv(t, f, at ? a[2] : a[1]);
	cwd_of(t, cwd);
	frame_str(f, A_CWD, cwd);
	read_ids(t, &uid, &gid);
	frame_int(f, A_UID, uid);
	frame_int(f, A_GID, gid);

	/* Under no_new_privs a setuid/setgid program runs without elevation: say so. */
	char key[PATH_BOUND + 16];

	snprintf(key, sizeof(key), "setuid-exec %s", path);
	if (cfg.nnp && path[0] == '/' && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & (S_ISUID | S_ISGID)) && seen_first(key, 0) /* once per program */)
		send_notice("setuid-exec", "%s is set%s but no_new_privs keeps it from elevating; "
			    "run with --no-seccomp if it needs to", path,
			    (st.st_mode & S_ISUID) ? "uid" : "gid");
	return true;
}

void exec_event(struct thread *t, pid_t former)
{
	if (former != t->tid) {
		struct thread *old = thread_find(former);

		/* exec from a non-leader thread: the leader's tid now runs the new program */
		if (old && old != t)
			thread_take_over(t, old);
		if (t->call.has_frame) {
			frame_set_tid(t->frame, t->tid);
			frame_int(t->frame, A_FORMER, former);
		}
	}
	t->proc->vm_readv_refused = false;
	process_close_mem(t->proc);
	/* exec unshares a descriptor table shared through CLONE_FILES, then closes close-on-exec ones */
	if (socktab_shared(t->proc->socks)) {
		struct socktab *own = socktab_copy(t->proc->socks);

		socktab_put(t->proc->socks);
		t->proc->socks = own;
	}
	socktab_drop_cloexec(t->proc->socks);
	t->proc->stepping = false;
	t->proc->dns_fd = -1;
	if (t->stash)
		set_str(&t->proc->exe, t->stash);
	/* Success is certain now: report it here and skip the exit stop (one stop less per exec). */
	if (t->call.has_frame && t->call.decoder == D_EXEC)
		call_commit(t, 0);
	t->call.want_exit = false;
	t->call.exec_notified = false;
}

void exec_exit(struct thread *t, int64_t rval)
{
	call_commit(t, rval); /* only failed execs get here */
}

void exec_notified(struct thread *t, long nr, const uint64_t *args)
{
	call_begin(t, nr, args, D_EXEC);
	exec_entry(t);
	t->call.exec_notified = true;
}

/* Without its exit stop the error number is unknown: the frame has no RESULT (PROTOCOL.md, EXEC). */
void exec_settle(struct thread *t)
{
	if (!t->call.exec_notified)
		return;
	t->call.exec_notified = false;
	if (t->call.has_frame && t->call.decoder == D_EXEC)
		call_commit_entry(t);
}

/* The clone flags of the call behind a fork event (fork and vfork have fixed ones). */
static uint64_t clone_flags(struct thread *t, int event, long *nr)
{
	uint64_t flags = 0;

	*nr = -1;
	if (arch_clone_regs(t->tid, nr, &flags) < 0)
		return event == PTRACE_EVENT_VFORK ? CLONE_VM | CLONE_VFORK : 0;
#ifdef __NR_fork
	if (*nr == __NR_fork)
		return 0;
#endif
#ifdef __NR_vfork
	if (*nr == __NR_vfork)
		return CLONE_VM | CLONE_VFORK;
#endif
	if (*nr == __NR_clone3) {
		uint64_t a0 = flags; /* struct clone_args: flags first */

		if (mem_read(t, a0, &flags, sizeof(flags)) != sizeof(flags))
			flags = 0;
	} else if (*nr != __NR_clone) {
		flags = 0;
	}
	return flags;
}

void fork_event(struct thread *t, int event)
{
	unsigned long child = 0;
	long nr;
	uint64_t flags;
	const char *kind = event == PTRACE_EVENT_FORK ? "fork" : event == PTRACE_EVENT_VFORK ? "vfork" : "clone";
	struct thread *c;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &child) < 0 || child == 0)
		return;
	/* Any event can come from clone(2): a thread, or a process sharing the descriptor table. */
	flags = clone_flags(t, event, &nr);
	bool is_thread = flags & CLONE_THREAD;

	if (is_thread)
		kind = "thread";
	c = thread_get((pid_t)child, is_thread ? t->proc->tgid : (pid_t)child);
	if (!c->known_parent) {
		/* it may have stopped before this event and been filed under its own id */
		thread_rehome(c, is_thread ? t->proc->tgid : (pid_t)child);
		if (!is_thread)
			process_inherit(c->proc, t->proc, flags & CLONE_FILES);
		c->known_parent = true;
	}

	struct frame *f = event_frame(F_FORK, t->proc->tgid, t->tid);

	frame_int(f, A_CHILD, (int64_t)child);
	frame_str(f, A_CLONE, kind);
	frame_str(f, A_SYSCALL, nr >= 0 && event == PTRACE_EVENT_CLONE ? syscall_name(nr) :
		  event == PTRACE_EVENT_CLONE ? "clone" : kind);
	frame_commit(f);
	if (c->held) {
		/* its first stop came first: it ran nothing yet, and now starts with its parent's state */
		c->held = false;
		resume(c, 0);
	}
}

bool setid_entry(struct thread *t)
{
	/* After the change the process may be non-dumpable: open its memory while we still may. */
	mem_keep_open(t);
	uint64_t *a = t->call.args;
	int variant = sysent_of(t->call.nr)->variant, nargs = 1;
	struct frame *f = call_frame(t, F_SETID);

	frame_str(f, A_SYSCALL, syscall_name(t->call.nr));
	switch (variant) {
	case V_SETREUID: case V_SETREGID: case V_SETGROUPS: case V_CAPSET: nargs = 2; break;
	case V_SETRESUID: case V_SETRESGID: nargs = 3; break;
	}
	for (int i = 0; i < nargs; i++)
		frame_int(f, A_ARG, (int64_t)a[i]);
	switch (variant) {
	case V_SETUID: case V_SETFSUID: frame_int(f, A_UID, (int32_t)a[0]); break;
	case V_SETREUID: frame_int(f, A_UID, (int32_t)a[1]); break; /* the effective uid */
	case V_SETRESUID: frame_int(f, A_UID, (int32_t)a[1]); break;
	case V_SETGID: case V_SETFSGID: frame_int(f, A_GID, (int32_t)a[0]); break;
	case V_SETREGID: frame_int(f, A_GID, (int32_t)a[1]); break;
	case V_SETRESGID: frame_int(f, A_GID, (int32_t)a[1]); break;
	case V_CAPSET: {
		/* cap_user_data_t: two {effective, permitted, inheritable} u32 triples (v2/v3) */
		uint32_t data[6];

		if (a[1] && mem_read(t, a[1], data, sizeof(data)) == sizeof(data))
			frame_int(f, A_CAPS, (int64_t)((uint64_t)data[3] << 32 | data[0]));
		else if (a[1])
			frame_flag(f, FL_UNREADABLE);
		break;
	}
	}
	return true;
}

bool risky_entry(struct thread *t)
{
	struct frame *f = call_frame(t, F_RISKY);
	bool refuse = t->call.decoder == D_IO_URING;

	frame_str(f, A_SYSCALL, syscall_name(t->call.nr));
	frame_int(f, A_NR, t->call.nr);
	for (int i = 0; i < 6; i++)
		frame_int(f, A_ARG, (int64_t)t->call.args[i]);
	frame_str(f, A_ACTION, refuse ? "refused" : "observed");
	if (refuse) {
		static bool told;

		/* io_uring would do I/O no syscall tracer sees: programs fall back to epoll on ENOSYS */
		arch_skip_syscall(t->tid);
		if (!told) {
			told = true;
			send_notice("io-uring-refused", "io_uring_setup was refused with ENOSYS so that the "
				    "program falls back to calls the probe can see");
		}
	}
	return true;
}

void risky_exit(struct thread *t, int64_t rval)
{
	if (t->call.decoder == D_IO_URING) {
		arch_set_return(t->tid, -ENOSYS);
		rval = -ENOSYS;
	}
	call_commit(t, rval);
}

bool chdir_entry(struct thread *t)
{
	char path[PATH_BOUND + 1];
	unsigned flags = 0;

	if (sysent_of(t->call.nr)->variant == V_FCHDIR)
		fd_path(t, (int)t->call.args[0], path);
	else
		path_at(t, AT_FDCWD, t->call.args[0], path, &flags);
	set_str(&t->stash, path[0] == '/' ? path : NULL);
	return t->stash != NULL;
}

void chdir_exit(struct thread *t, int64_t rval)
{
	/* Remembered for when /proc/PID/cwd is refused (after a uid change). */
	if (rval == 0) {
		set_str(&t->proc->cwd, t->stash);
		t->proc->cwd_stale = true;
	}
}

void seen_report(struct thread *t)
{
	seen_report_nr(t, t->call.nr);
}

void seen_report_nr(struct thread *t, long nr)
{
	const char *exe = t->proc->exe ? t->proc->exe : "";

	if (!seen_first(exe, (int)nr))
		return;
	struct frame *f = event_frame(F_SYSCALL_SEEN, t->proc->tgid, t->tid);

	frame_int(f, A_NR, nr);
	frame_str(f, A_SYSCALL, syscall_name(nr));
	frame_str(f, A_EXE, exe);
	frame_commit(f);
}
