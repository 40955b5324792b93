/* aarch64 registers: x8 holds the syscall number (changed through NT_ARM_SYSTEM_CALL), x0 the
 * first argument and the result. */
#if defined(__aarch64__)
#include "arch.h"

#include <elf.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

static int get_regs(pid_t tid, struct user_regs_struct *regs)
{
	struct iovec iov = { regs, sizeof(*regs) };

	return ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0 ? -1 : 0;
}

int arch_clone_regs(pid_t tid, long *nr, uint64_t *arg0)
{
	struct user_regs_struct regs;

	if (get_regs(tid, &regs) < 0)
		return -1;
	*nr = (long)regs.regs[8];
	*arg0 = regs.regs[0];
	return 0;
}

int arch_skip_syscall(pid_t tid)
{
	int nr = -1;
	struct iovec iov = { &nr, sizeof(nr) };

	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_ARM_SYSTEM_CALL, &iov) < 0 ? -1 : 0;
}

int arch_interrupted_call(pid_t tid, long *nr, int64_t *ret, uint64_t *ip, uint64_t args[6], bool *arg0_known)
{
	struct user_regs_struct regs;
	int syscallno = -1;
	struct iovec iov = { &syscallno, sizeof(syscallno) };

	if (get_regs(tid, &regs) < 0 || ptrace(PTRACE_GETREGSET, tid, (void *)NT_ARM_SYSTEM_CALL, &iov) < 0)
		return -1;
	*nr = syscallno;
	*ret = (int64_t)regs.regs[0];
	*ip = regs.pc;
	for (int i = 0; i < 6; i++)
		args[i] = regs.regs[i];
	*arg0_known = false; /* x0 holds the result now */
	return 0;
}

int arch_set_return(pid_t tid, int64_t value)
{
	struct user_regs_struct regs;
	struct iovec iov = { &regs, sizeof(regs) };

	if (get_regs(tid, &regs) < 0)
		return -1;
	regs.regs[0] = (uint64_t)value;
	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0 ? -1 : 0;
}
#endif
