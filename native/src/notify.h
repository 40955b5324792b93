/* The seccomp user-notification fast path (notify.c). */
#ifndef IMPRINT_NOTIFY_H
#define IMPRINT_NOTIFY_H

#include <stdbool.h>

#include "state.h"

/* Starts the thread that receives the filter's listener over `sock` and then serves notifications. */
int notify_start(int sock);
/* The write ends of the app's stdout and stderr pipes, kept (CLOEXEC) to tell them apart with kcmp. */
void notify_set_pipes(int out_write, int err_write);

/* At a signal-delivery-stop: a call interrupted before the probe could answer its notification is made
 * to restart instead of failing with EINTR (see notify.c). */
void notify_restart_unanswered(struct thread *t);

#endif
