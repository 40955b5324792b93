/*
 * Syscalls as data (strace's syscallent idea): one entry per number saying whether the call is "hot"
 * (always allowed, never stops) and which decoder reports it. Numbers come from the compiler's own
 * <sys/syscall.h>; names are generated from it at build time (build/ARCH/syscall_names.h).
 *
 * The hot list (never stops, always allowed by exported profiles) is fixed and documented in
 * native/PROTOCOL.md: memory management, time, signals, identity getters, futex and polling, process
 * start-up calls, exits, fork/clone (reported through ptrace fork events), and I/O or read-only metadata
 * on descriptors that are already open. `sendto` is hot only when its destination is NULL. Everything
 * else stops at entry (a seccomp RET_TRACE), so the set of syscalls a program uses is complete.
 */
#ifndef IMPRINT_SYSCALLS_H
#define IMPRINT_SYSCALLS_H

#include <stdint.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#include "syscalls_x86_64.h"
#elif defined(__aarch64__)
#include "syscalls_aarch64.h"
#else
#error "unsupported architecture"
#endif

enum sc_flag {
	SC_HOT = 1,          /* SECCOMP_RET_ALLOW unconditionally */
	SC_HOT_NULL_ARG4 = 2, /* ALLOW when argument 4 (sendto's dest_addr) is NULL, else TRACE */
};

enum decoder {
	D_SEEN = 0,   /* reported once per executable as SYSCALL_SEEN, continues at once */
	D_EXEC, D_OPEN, D_FILE, D_SOCKET, D_CONNECT, D_BIND, D_LISTEN, D_ACCEPT, D_SETID, D_RISKY,
	D_IO_URING, D_CHDIR, D_SENDTO, D_SENDMSG, D_SENDMMSG,
};

/* Variants: which argument holds what. */
enum { V_OPEN, V_OPENAT, V_CREAT, V_OPENAT2 };
enum { V_EXECVE, V_EXECVEAT };
enum { V_CHDIR, V_FCHDIR };
enum { V_SETUID, V_SETGID, V_SETREUID, V_SETREGID, V_SETRESUID, V_SETRESGID, V_SETGROUPS, V_CAPSET,
       V_SETFSUID, V_SETFSGID };

/* FILE operations: argument positions (-1: absent; dfd -1 means AT_FDCWD). */
struct file_layout {
	const char *op;
	int8_t dfd, path, dfd2, path2, mode, uid, gid, fd, flags;
	uint8_t raw_path; /* PATH is not a path to resolve (symlink target, mount source) */
};

enum {
	FV_UNLINK, FV_UNLINKAT, FV_RMDIR, FV_MKDIR, FV_MKDIRAT, FV_RENAME, FV_RENAMEAT, FV_LINK, FV_LINKAT,
	FV_SYMLINK, FV_SYMLINKAT, FV_CHMOD, FV_FCHMOD, FV_FCHMODAT, FV_CHOWN, FV_FCHOWN, FV_FCHOWNAT,
	FV_TRUNCATE, FV_FTRUNCATE, FV_MKNOD, FV_MKNODAT, FV_MOUNT, FV_UMOUNT2, FV_COUNT,
};

struct sysent {
	uint8_t flags;
	uint8_t decoder;
	uint8_t variant;
};

extern const struct sysent sysent[SYSCALL_MAX];
extern const struct file_layout file_layouts[FV_COUNT];

const char *syscall_name(long nr);

static inline const struct sysent *sysent_of(long nr)
{
	static const struct sysent unknown = { 0, D_SEEN, 0 };

	return nr >= 0 && nr < SYSCALL_MAX ? &sysent[nr] : &unknown;
}

#endif
