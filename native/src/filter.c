/*
 * The seccomp filter, generated from the syscall table. Hot calls return SECCOMP_RET_ALLOW without
 * looking at arguments, so the kernel's action cache (5.11+) skips the filter for them entirely.
 * sendto is allowed only when dest_addr is NULL (a connected socket), so a DNS query sent with an
 * address (musl) still stops. A filter cannot be relaxed once installed: the hot list is fixed.
 */
#include "filter.h"

#include <errno.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "syscalls.h"

#define MAX_INSNS 512
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#define ARG_HI(n) (ARG_LO(n) + 4)

int filter_install(void)
{
	struct sock_filter prog[MAX_INSNS];
	int jumps_to_allow[MAX_INSNS], jumps_to_trace[MAX_INSNS];
	int n = 0, na = 0, nt = 0, i;

	/* Another architecture's calls (i386 via int 0x80) use another table: always trace them. */
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	jumps_to_trace[nt++] = n;
	prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_NATIVE, 0, 0);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (i = 0; i < SYSCALL_MAX; i++) {
		if (!(sysent[i].flags & SC_HOT))
			continue;
		jumps_to_allow[na++] = n;
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, i, 0, 0);
	}
	for (i = 0; i < SYSCALL_MAX; i++) {
		if (!(sysent[i].flags & SC_HOT_NULL_ARG4))
			continue;
		/* if (nr == i && arg4 == 0) allow */
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, i, 0, 4);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(4));
		jumps_to_trace[nt++] = n;
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(4));
		jumps_to_allow[na++] = n;
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0);
		/* the accumulator no longer holds nr: no further compares may follow */
		break;
	}
	int trace_at = n;
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	int allow_at = n;
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

	for (i = 0; i < na; i++) {
		int at = jumps_to_allow[i], off = allow_at - at - 1;

		if (off > 255)
			return -E2BIG;
		prog[at].jt = (unsigned char)off;
		if (prog[at].jf == 0 && at + 1 < trace_at)
			prog[at].jf = 0;
	}
	for (i = 0; i < nt; i++) {
		int at = jumps_to_trace[i], off = trace_at - at - 1;

		if (off > 255)
			return -E2BIG;
		/* the arch check jumps to trace when unequal; the arg checks too */
		prog[at].jf = (unsigned char)off;
	}
	/* the arch check: equal falls through */
	prog[1].jt = 0;

	struct sock_fprog fprog = { .len = (unsigned short)n, .filter = prog };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
		return -errno;
	return 0;
}
