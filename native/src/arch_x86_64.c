/* x86_64 registers: orig_rax holds the syscall number, rax the result, rdi the first argument. */
#if defined(__x86_64__)
#include "arch.h"

#include <sys/ptrace.h>
#include <sys/user.h>

int arch_clone_regs(pid_t tid, long *nr, uint64_t *arg0)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return -1;
	*nr = (long)regs.orig_rax;
	*arg0 = regs.rdi;
	return 0;
}

int arch_skip_syscall(pid_t tid)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return -1;
	regs.orig_rax = (unsigned long)-1;
	return ptrace(PTRACE_SETREGS, tid, 0, &regs) < 0 ? -1 : 0;
}

int arch_interrupted_call(pid_t tid, long *nr, int64_t *ret, uint64_t *ip, uint64_t args[6], bool *arg0_known)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return -1;
	*nr = (long)regs.orig_rax;
	*ret = (int64_t)regs.rax;
	*ip = regs.rip;
	args[0] = regs.rdi;
	args[1] = regs.rsi;
	args[2] = regs.rdx;
	args[3] = regs.r10;
	args[4] = regs.r8;
	args[5] = regs.r9;
	*arg0_known = true;
	return 0;
}

int arch_set_return(pid_t tid, int64_t value)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return -1;
	regs.rax = (unsigned long)value;
	return ptrace(PTRACE_SETREGS, tid, 0, &regs) < 0 ? -1 : 0;
}
#endif
