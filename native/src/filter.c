/*
 * The seccomp filter, generated from the syscall table. Each call gets one of three actions:
 *   ALLOW   hot calls, without looking at arguments, so the kernel's action cache (5.11+) skips the
 *           filter for them entirely. sendto is allowed only when dest_addr is NULL (a connected
 *           socket), so a DNS query sent with an address (musl) still stops.
 *   NOTIFY  calls whose entry already says everything Imprint reports: read-only opens, calls
 *           reported only as SYSCALL_SEEN, and write/writev on descriptors 1 and 2 (who wrote a log
 *           line); and execs, whose success the ptrace exec event reports. They reach the probe as seccomp user notifications
 *           (notify.c), a same-CPU hand-off instead of a ptrace stop (see native/README "Cost").
 *   TRACE   everything else: a ptrace seccomp stop, with an exit stop where the result matters.
 * Without a listener (old kernel, or --no-notify) NOTIFY calls are TRACE calls whose exit is skipped,
 * so what is reported is the same either way. A filter cannot be relaxed once installed: the hot
 * list is fixed.
 *
 * Layout: every test is "compare, return" (a two-instruction pair), so no jump is longer than one
 * instruction and the program's length is the only limit.
 */
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "syscalls.h"

#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef __O_TMPFILE
#define __O_TMPFILE 020000000
#endif

#define MAX_INSNS 2048
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#define ARG_HI(n) (ARG_LO(n) + 4)

/* Flags that make an open more than a read: it then keeps its exit stop, for the result. */
#define OPEN_NOT_READ_ONLY (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | __O_TMPFILE)

struct prog {
	struct sock_filter insn[MAX_INSNS];
	int n;
	bool overflow;
};

static void emit(struct prog *p, struct sock_filter insn)
{
	if (p->n >= MAX_INSNS) {
		p->overflow = true;
		return;
	}
	p->insn[p->n++] = insn;
}

static void load_nr(struct prog *p)
{
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
}

/* if (nr == number) return action; */
static void nr_returns(struct prog *p, int number, uint32_t action)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)number, 0, 1));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action));
}

/* if (nr == number) return (low word of argument `arg` & mask) ? when_set : when_clear; */
static void nr_flags_returns(struct prog *p, int number, int arg, uint32_t mask, uint32_t when_set,
			     uint32_t when_clear)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)number, 0, 4));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, when_set));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, when_clear));
}

/* if (nr == number) return argument `arg` == 0 ? when_null : otherwise; */
static void nr_null_arg_returns(struct prog *p, int number, int arg, uint32_t when_null, uint32_t otherwise)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)number, 0, 6));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(arg)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, when_null));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, otherwise));
}

/* if (nr == number) return argument 0 is 1 or 2 ? when_std : otherwise; */
static void nr_std_fd_returns(struct prog *p, int number, uint32_t when_std, uint32_t otherwise)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)number, 0, 5));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 2, 0));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 1, 0));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, otherwise));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, when_std));
}

bool filter_entry_only(long nr, const uint64_t *args)
{
	const struct sysent *e = sysent_of(nr);

	if (nr < 0 || nr >= SYSCALL_MAX || (e->flags & (SC_HOT | SC_HOT_NULL_ARG4)))
		return false;
	if (e->decoder == D_OPEN && e->variant == V_OPENAT)
		return !(args[2] & OPEN_NOT_READ_ONLY);
	if (e->decoder == D_OPEN && e->variant == V_OPEN)
		return !(args[1] & OPEN_NOT_READ_ONLY);
	return e->decoder == D_SEEN;
}

/* Each write to stdout or stderr costs a hand-off to the probe (about 12 us on a 2-vCPU VM, where the
 * call itself takes 0.3 us): an app writing byte by byte to a redirected stdout runs many times slower.
 * --no-log-pids trades the writer's pid for that cost (and writes are then hot, by number alone). */
static bool log_writers = true;

void filter_set_log_writers(bool on)
{
	log_writers = on;
}

bool filter_is_std_write(long nr, const uint64_t *args)
{
	return log_writers && (nr == __NR_write || nr == __NR_writev) && (args[0] == 1 || args[0] == 2);
}

bool filter_notifies(long nr, const uint64_t *args)
{
	if (filter_is_std_write(nr, args))
		return true;
	return filter_entry_only(nr, args) || (nr >= 0 && nr < SYSCALL_MAX && sysent[nr].decoder == D_EXEC);
}

/* `notify` is the action of calls filter_entry_only() accepts, and of execs: USER_NOTIF, or TRACE
 * without a listener. An exec is notified at entry and reported at its ptrace exec event (notify.c). */
static void build(struct prog *p, uint32_t notify)
{
	const uint32_t allow = SECCOMP_RET_ALLOW, trace = SECCOMP_RET_TRACE;

	p->n = 0;
	p->overflow = false;
	/* Another architecture's calls (i386 via int 0x80) use another table: always trace them. */
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_NATIVE, 1, 0));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, trace));
	load_nr(p);
	/* numbers past the table (x32 calls) are traced */
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, SYSCALL_MAX, 0, 1));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, trace));
	/* the calls whose action depends on an argument come first; each block returns */
	for (int i = 0; i < SYSCALL_MAX; i++)
		if (sysent[i].flags & SC_HOT_NULL_ARG4)
			nr_null_arg_returns(p, i, 4, allow, trace);
	/* writes to stdout and stderr announce their writer to the log relay (LOG frames carry its pid);
	 * only with a listener: through ptrace that would cost a stop per line */
	if (notify == SECCOMP_RET_USER_NOTIF && log_writers) {
		nr_std_fd_returns(p, __NR_write, notify, allow);
		nr_std_fd_returns(p, __NR_writev, notify, allow);
	}
	nr_flags_returns(p, __NR_openat, 2, OPEN_NOT_READ_ONLY, trace, notify);
#ifdef __NR_open
	nr_flags_returns(p, __NR_open, 1, OPEN_NOT_READ_ONLY, trace, notify);
#endif
	for (int i = 0; i < SYSCALL_MAX; i++)
		if (sysent[i].flags & SC_HOT)
			nr_returns(p, i, allow);
	for (int i = 0; i < SYSCALL_MAX; i++) {
		const struct sysent *e = &sysent[i];

		if (e->flags || e->decoder == D_SEEN || i == __NR_openat)
			continue;
#ifdef __NR_open
		if (i == __NR_open)
			continue;
#endif
		nr_returns(p, i, e->decoder == D_EXEC ? notify : trace);
	}
	/* what is left is reported only as SYSCALL_SEEN */
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, notify));
}

static int install(struct prog *p, unsigned flags)
{
	struct sock_fprog fprog = { .len = (unsigned short)p->n, .filter = p->insn };

	if (p->overflow)
		return -E2BIG;
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
}

int filter_install(bool want_listener, int *listener)
{
	static struct prog p;

	*listener = -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (want_listener) {
		build(&p, SECCOMP_RET_USER_NOTIF);
		/* once the probe has a notification, only a fatal signal may interrupt the wait (5.19) */
		int fd = install(&p, SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);

		if (fd < 0 && errno == EINVAL)
			fd = install(&p, SECCOMP_FILTER_FLAG_NEW_LISTENER);

		if (fd >= 0) {
			*listener = fd;
			return 0;
		}
		/* a kernel without user notifications (before 5.0): the same filter, traced */
	}
	build(&p, SECCOMP_RET_TRACE);
	return install(&p, 0) < 0 ? -errno : 0;
}
