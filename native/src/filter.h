/* The seccomp-bpf filter: hot syscalls are allowed, everything else stops the tracee (RET_TRACE). */
#ifndef IMPRINT_FILTER_H
#define IMPRINT_FILTER_H

/* Sets no_new_privs and installs the filter in the calling process. Returns 0 or -errno. */
int filter_install(void);

#endif
