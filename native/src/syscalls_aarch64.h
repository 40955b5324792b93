/* aarch64 specifics for the syscall table: the generic table has only the *at calls. */
#ifndef IMPRINT_SYSCALLS_AARCH64_H
#define IMPRINT_SYSCALLS_AARCH64_H

#include <linux/audit.h>

#define ARCH_NAME "aarch64"
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_AARCH64
#define SYSCALL_MAX 512

#define ARCH_HOT(X)
#define ARCH_ENTRIES

#endif
