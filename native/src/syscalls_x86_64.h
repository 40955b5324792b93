/* x86_64 specifics for the syscall table: the legacy (non-*at) calls aarch64 lacks. */
#ifndef IMPRINT_SYSCALLS_X86_64_H
#define IMPRINT_SYSCALLS_X86_64_H

#include <linux/audit.h>

#define ARCH_NAME "x86_64"
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_X86_64
/* Numbers at or above this are x32 calls (__X32_SYSCALL_BIT): always traced, never hot. */
#define SYSCALL_MAX 512

#define ARCH_HOT(X) X(stat) X(lstat) X(access) X(readlink) X(getdents) X(poll) X(select) \
	X(epoll_wait) X(dup2) X(arch_prctl) X(fork) X(vfork) X(time) X(pause) X(alarm) X(getpgrp)

#define ARCH_ENTRIES \
	[__NR_open] = { 0, D_OPEN, V_OPEN }, \
	[__NR_creat] = { 0, D_OPEN, V_CREAT }, \
	[__NR_unlink] = { 0, D_FILE, FV_UNLINK }, \
	[__NR_rmdir] = { 0, D_FILE, FV_RMDIR }, \
	[__NR_mkdir] = { 0, D_FILE, FV_MKDIR }, \
	[__NR_rename] = { 0, D_FILE, FV_RENAME }, \
	[__NR_link] = { 0, D_FILE, FV_LINK }, \
	[__NR_symlink] = { 0, D_FILE, FV_SYMLINK }, \
	[__NR_chmod] = { 0, D_FILE, FV_CHMOD }, \
	[__NR_chown] = { 0, D_FILE, FV_CHOWN }, \
	[__NR_lchown] = { 0, D_FILE, FV_CHOWN }, \
	[__NR_mknod] = { 0, D_FILE, FV_MKNOD }, \
	[__NR_iopl] = { 0, D_RISKY }, \
	[__NR_ioperm] = { 0, D_RISKY },

#endif
