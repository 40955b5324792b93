/* Relays the app's stdout and stderr pipes as LOG frames, on a thread of its own. */
#ifndef IMPRINT_LOG_H
#define IMPRINT_LOG_H

#include <stddef.h>
#include <sys/types.h>

/* Announces that `pid` is about to write `bytes` bytes starting with `prefix` to stream 1 (stdout) or
 * 2 (stderr); see log.c. */
void log_expect(int stream, pid_t pid, size_t bytes, const void *prefix, size_t prefix_len);
/* Starts relaying the read ends of the two pipes. */
int log_start(int out_fd, int err_fd);
/* Reads what is left in the pipes without waiting for writers that may never close, then stops. */
void log_stop(void);

#endif
