/* Register access that differs per architecture (x86_64: GETREGS; aarch64: GETREGSET). */
#ifndef IMPRINT_ARCH_H
#define IMPRINT_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* At a fork event stop: the syscall number and its first argument (clone flags). */
int arch_clone_regs(pid_t tid, long *nr, uint64_t *arg0);
/* At a syscall-entry or seccomp stop: skip the call (number -1); set the result at the exit stop. */
int arch_skip_syscall(pid_t tid);
int arch_set_return(pid_t tid, int64_t value);
/* At a signal-delivery-stop: the call the thread was in (-1: none), its result so far, the address it
 * was made from and its arguments. *arg0_known is false where the result register holds the first
 * argument (aarch64). */
int arch_interrupted_call(pid_t tid, long *nr, int64_t *ret, uint64_t *ip, uint64_t args[6], bool *arg0_known);

#endif
