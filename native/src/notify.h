/* The seccomp user-notification fast path (notify.c). */
#ifndef IMPRINT_NOTIFY_H
#define IMPRINT_NOTIFY_H

#include <stdbool.h>

/* Starts the thread that receives the filter's listener over `sock` and then serves notifications. */
int notify_start(int sock);
/* The write ends of the app's stdout and stderr pipes, kept (CLOEXEC) to tell them apart with kcmp. */
void notify_set_pipes(int out_write, int err_write);
/* Whether the kernel hands notifications over on the same CPU (Linux 6.6+). */
bool notify_is_sync(void);

#endif
