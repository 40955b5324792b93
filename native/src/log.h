/* Relays the app's stdout and stderr pipes as LOG frames, on a thread of its own. */
#ifndef IMPRINT_LOG_H
#define IMPRINT_LOG_H

/* Starts relaying the read ends of the two pipes. */
int log_start(int out_fd, int err_fd);
/* Reads what is left in the pipes without waiting for writers that may never close, then stops. */
void log_stop(void);

#endif
