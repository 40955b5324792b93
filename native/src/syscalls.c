/* The syscall table: hot list and decoders per number (see syscalls.h). */
#include "syscalls.h"

#include <stddef.h>

static const char *const names[SYSCALL_MAX] = {
#include "syscall_names.h"
};

const char *syscall_name(long nr)
{
	if (nr >= 0 && nr < SYSCALL_MAX && names[nr])
		return names[nr];
	return "unknown";
}

#define HOT_ENTRY(name) [__NR_##name] = { SC_HOT, D_SEEN, 0 },

/* Hot on every architecture: memory, time, signals, identity getters, futex/polling, start-up,
 * exits, fork/clone (ptrace fork events report them) and I/O or read-only metadata on open fds. */
#define COMMON_HOT(X) \
	X(read) X(write) X(readv) X(writev) X(pread64) X(pwrite64) X(preadv) X(pwritev) X(preadv2) \
	X(pwritev2) X(recvfrom) X(recvmsg) X(recvmmsg) X(sendfile) X(splice) X(tee) X(close) X(dup) \
	X(dup3) X(fstat) X(newfstatat) X(statx) X(faccessat) X(faccessat2) X(readlinkat) X(getdents64) \
	X(lseek) X(fcntl) X(ioctl) X(futex) X(epoll_pwait) X(epoll_pwait2) X(epoll_ctl) X(ppoll) \
	X(pselect6) X(rt_sigaction) X(rt_sigprocmask) X(rt_sigreturn) X(rt_sigpending) \
	X(rt_sigtimedwait) X(rt_sigsuspend) X(sigaltstack) X(getpid) X(gettid) X(getppid) X(getuid) \
	X(geteuid) X(getgid) X(getegid) X(getgroups) X(getresuid) X(getresgid) X(getpgid) X(getsid) \
	X(sched_yield) X(nanosleep) X(clock_nanosleep) X(clock_gettime) X(clock_getres) \
	X(gettimeofday) X(set_tid_address) X(set_robust_list) X(get_robust_list) X(rseq) X(prlimit64) \
	X(getrandom) X(uname) X(exit) X(exit_group) X(brk) X(mmap) X(munmap) X(mprotect) X(madvise) \
	X(mremap) X(clone) X(clone3) X(wait4) X(waitid) X(getcwd) X(fsync) X(fdatasync) \
	X(getsockname) X(getpeername) X(getsockopt) X(sched_getaffinity) X(membarrier) \
	X(restart_syscall) X(fstatfs) X(statfs) X(sysinfo) X(getrusage) X(times)

const struct sysent sysent[SYSCALL_MAX] = {
	COMMON_HOT(HOT_ENTRY)
	ARCH_HOT(HOT_ENTRY)
	[__NR_sendto] = { SC_HOT_NULL_ARG4, D_SENDTO, 0 },
	[__NR_sendmsg] = { 0, D_SENDMSG, 0 },
	[__NR_sendmmsg] = { 0, D_SENDMMSG, 0 },

	[__NR_execve] = { 0, D_EXEC, V_EXECVE },
	[__NR_execveat] = { 0, D_EXEC, V_EXECVEAT },
	[__NR_openat] = { 0, D_OPEN, V_OPENAT },
	[__NR_openat2] = { 0, D_OPEN, V_OPENAT2 },
	[__NR_chdir] = { 0, D_CHDIR, V_CHDIR },
	[__NR_fchdir] = { 0, D_CHDIR, V_FCHDIR },

	[__NR_unlinkat] = { 0, D_FILE, FV_UNLINKAT },
	[__NR_mkdirat] = { 0, D_FILE, FV_MKDIRAT },
	[__NR_renameat] = { 0, D_FILE, FV_RENAMEAT },
	[__NR_renameat2] = { 0, D_FILE, FV_RENAMEAT },
	[__NR_linkat] = { 0, D_FILE, FV_LINKAT },
	[__NR_symlinkat] = { 0, D_FILE, FV_SYMLINKAT },
	[__NR_fchmod] = { 0, D_FILE, FV_FCHMOD },
	[__NR_fchmodat] = { 0, D_FILE, FV_FCHMODAT },
#ifdef __NR_fchmodat2
	[__NR_fchmodat2] = { 0, D_FILE, FV_FCHMODAT },
#endif
	[__NR_fchown] = { 0, D_FILE, FV_FCHOWN },
	[__NR_fchownat] = { 0, D_FILE, FV_FCHOWNAT },
	[__NR_truncate] = { 0, D_FILE, FV_TRUNCATE },
	[__NR_ftruncate] = { 0, D_FILE, FV_FTRUNCATE },
	[__NR_mknodat] = { 0, D_FILE, FV_MKNODAT },
	[__NR_mount] = { 0, D_FILE, FV_MOUNT },
	[__NR_umount2] = { 0, D_FILE, FV_UMOUNT2 },

	[__NR_socket] = { 0, D_SOCKET, 0 },
	[__NR_connect] = { 0, D_CONNECT, 0 },
	[__NR_bind] = { 0, D_BIND, 0 },
	[__NR_listen] = { 0, D_LISTEN, 0 },
	[__NR_accept] = { 0, D_ACCEPT, 0 },
	[__NR_accept4] = { 0, D_ACCEPT, 0 },

	[__NR_setuid] = { 0, D_SETID, V_SETUID },
	[__NR_setgid] = { 0, D_SETID, V_SETGID },
	[__NR_setreuid] = { 0, D_SETID, V_SETREUID },
	[__NR_setregid] = { 0, D_SETID, V_SETREGID },
	[__NR_setresuid] = { 0, D_SETID, V_SETRESUID },
	[__NR_setresgid] = { 0, D_SETID, V_SETRESGID },
	[__NR_setfsuid] = { 0, D_SETID, V_SETFSUID },
	[__NR_setfsgid] = { 0, D_SETID, V_SETFSGID },
	[__NR_setgroups] = { 0, D_SETID, V_SETGROUPS },
	[__NR_capset] = { 0, D_SETID, V_CAPSET },

	[__NR_io_uring_setup] = { 0, D_IO_URING, 0 },
	[__NR_ptrace] = { 0, D_RISKY },
	[__NR_bpf] = { 0, D_RISKY },
	[__NR_unshare] = { 0, D_RISKY },
	[__NR_setns] = { 0, D_RISKY },
	[__NR_init_module] = { 0, D_RISKY },
	[__NR_finit_module] = { 0, D_RISKY },
	[__NR_delete_module] = { 0, D_RISKY },
	[__NR_kexec_load] = { 0, D_RISKY },
#ifdef __NR_kexec_file_load
	[__NR_kexec_file_load] = { 0, D_RISKY },
#endif
	[__NR_perf_event_open] = { 0, D_RISKY },
	[__NR_keyctl] = { 0, D_RISKY },
	[__NR_add_key] = { 0, D_RISKY },
	[__NR_request_key] = { 0, D_RISKY },
	[__NR_userfaultfd] = { 0, D_RISKY },
	[__NR_pivot_root] = { 0, D_RISKY },
	[__NR_chroot] = { 0, D_RISKY },
	[__NR_swapon] = { 0, D_RISKY },
	[__NR_swapoff] = { 0, D_RISKY },
	[__NR_reboot] = { 0, D_RISKY },
	[__NR_process_vm_writev] = { 0, D_RISKY },
	[__NR_open_by_handle_at] = { 0, D_RISKY },
	[__NR_fsopen] = { 0, D_RISKY },
	[__NR_fsmount] = { 0, D_RISKY },
	[__NR_move_mount] = { 0, D_RISKY },
	[__NR_open_tree] = { 0, D_RISKY },
	[__NR_settimeofday] = { 0, D_RISKY },
	[__NR_clock_settime] = { 0, D_RISKY },
	[__NR_acct] = { 0, D_RISKY },

	ARCH_ENTRIES
};

/* op, dfd, path, dfd2, path2, mode, uid, gid, fd, flags, raw_path */
const struct file_layout file_layouts[FV_COUNT] = {
	[FV_UNLINK] = { "unlink", -1, 0, -1, -1, -1, -1, -1, -1, -1, 0 },
	[FV_UNLINKAT] = { "unlink", 0, 1, -1, -1, -1, -1, -1, -1, 2, 0 },
	[FV_RMDIR] = { "rmdir", -1, 0, -1, -1, -1, -1, -1, -1, -1, 0 },
	[FV_MKDIR] = { "mkdir", -1, 0, -1, -1, 1, -1, -1, -1, -1, 0 },
	[FV_MKDIRAT] = { "mkdir", 0, 1, -1, -1, 2, -1, -1, -1, -1, 0 },
	[FV_RENAME] = { "rename", -1, 0, -1, 1, -1, -1, -1, -1, -1, 0 },
	[FV_RENAMEAT] = { "rename", 0, 1, 2, 3, -1, -1, -1, -1, -1, 0 },
	[FV_LINK] = { "link", -1, 0, -1, 1, -1, -1, -1, -1, -1, 0 },
	[FV_LINKAT] = { "link", 0, 1, 2, 3, -1, -1, -1, -1, -1, 0 },
	[FV_SYMLINK] = { "symlink", -1, 0, -1, 1, -1, -1, -1, -1, -1, 1 },
	[FV_SYMLINKAT] = { "symlink", -1, 0, 1, 2, -1, -1, -1, -1, -1, 1 },
	[FV_CHMOD] = { "chmod", -1, 0, -1, -1, 1, -1, -1, -1, -1, 0 },
	[FV_FCHMOD] = { "chmod", -1, -1, -1, -1, 1, -1, -1, 0, -1, 0 },
	[FV_FCHMODAT] = { "chmod", 0, 1, -1, -1, 2, -1, -1, -1, -1, 0 },
	[FV_CHOWN] = { "chown", -1, 0, -1, -1, -1, 1, 2, -1, -1, 0 },
	[FV_FCHOWN] = { "chown", -1, -1, -1, -1, -1, 1, 2, 0, -1, 0 },
	[FV_FCHOWNAT] = { "chown", 0, 1, -1, -1, -1, 2, 3, -1, -1, 0 },
	[FV_TRUNCATE] = { "truncate", -1, 0, -1, -1, -1, -1, -1, -1, -1, 0 },
	[FV_FTRUNCATE] = { "truncate", -1, -1, -1, -1, -1, -1, -1, 0, -1, 0 },
	[FV_MKNOD] = { "mknod", -1, 0, -1, -1, 1, -1, -1, -1, -1, 0 },
	[FV_MKNODAT] = { "mknod", 0, 1, -1, -1, 2, -1, -1, -1, -1, 0 },
	[FV_MOUNT] = { "mount", -1, 0, -1, 1, -1, -1, -1, -1, -1, 1 },
	[FV_UMOUNT2] = { "umount", -1, 0, -1, -1, -1, -1, -1, -1, -1, 0 },
};
