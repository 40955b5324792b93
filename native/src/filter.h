/* The seccomp-bpf filter: hot calls run, entry-only calls notify, the rest stop the tracee (filter.c). */
#ifndef IMPRINT_FILTER_H
#define IMPRINT_FILTER_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Sets no_new_privs and installs the filter in the calling process. With want_listener, calls that
 * need only their entry go to a seccomp user-notification listener returned in *listener (-1 when the
 * kernel has none: they are traced instead). Returns 0 or -errno.
 */
int filter_install(bool want_listener, int *listener);

/* Calls reported from their entry alone (read-only opens, SYSCALL_SEEN-only calls): the filter sends
 * them to the listener, or traces them without an exit stop when there is none. */
bool filter_entry_only(long nr, const uint64_t *args);

/* write/writev on descriptor 1 or 2: notified so the log relay learns the writer (unless turned off). */
bool filter_is_std_write(long nr, const uint64_t *args);
/* --no-log-pids: writes stay hot (LOG frames then carry pid 0). Before filter_install and the fork. */
void filter_set_log_writers(bool on);
/* Every call the filter sends to the listener when it has one: the above, entry-only calls, execs. */
bool filter_notifies(long nr, const uint64_t *args);

#endif
