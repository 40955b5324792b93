/* The tracing loop and what the decoders share with it. */
#ifndef IMPRINT_TRACER_H
#define IMPRINT_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame.h"
#include "state.h"

struct config {
	bool ptrace_mode;     /* no filter: every syscall stops (--no-seccomp or seccomp unavailable) */
	bool nnp;             /* no_new_privs is set on the app */
	pid_t app;            /* the app's first process: its exit ends the run */
};

extern struct config cfg;
extern uint64_t stops;

/* Runs until the app's first process exits; returns its wait status. */
int tracer_run(void);

/* A new call on thread t: forgets the last one's state. */
void call_begin(struct thread *t, long nr, const uint64_t *args, uint8_t decoder);
/* The thread makes call `nr`: a frame held for a call that was being restarted is dropped (this is its
 * restart) or sent with EINTR (the app moved on). call_begin does it; notify.c too, for notified calls. */
void call_settle(struct thread *t, long nr, const uint64_t *args);
/* Begins the frame of a call whose exit adds RESULT (and maybe more). */
struct frame *call_frame(struct thread *t, enum frame_type type);
/* Adds RESULT and commits the frame begun at entry. */
void call_commit(struct thread *t, int64_t result);
/* Commits the frame begun at entry as it is: a call whose result is not reported. */
void call_commit_entry(struct thread *t);
/* A frame for an event that is complete now (uses a shared buffer). */
struct frame *event_frame(enum frame_type type, pid_t pid, pid_t tid);

/* Decoders: *_entry returns true when the exit stop is needed; *_exit gets the return value. */
bool exec_entry(struct thread *t);
void exec_event(struct thread *t, pid_t former);
void exec_exit(struct thread *t, int64_t rval);
/* An exec decoded from its notification (entry); the exec event or exec_settle reports it. */
void exec_notified(struct thread *t, long nr, const uint64_t *args);
/* The thread shows up again after an exec notification without an exec event: the exec failed. */
void exec_settle(struct thread *t);
void fork_event(struct thread *t, int event);
bool setid_entry(struct thread *t);
bool risky_entry(struct thread *t);
void risky_exit(struct thread *t, int64_t rval);
bool chdir_entry(struct thread *t);
void chdir_exit(struct thread *t, int64_t rval);
void seen_report(struct thread *t);
/* Reports syscall `nr` once per executable (SYSCALL_SEEN). */
void seen_report_nr(struct thread *t, long nr);

bool open_entry(struct thread *t);
/* Adds an open's PATH, ACCESS and MODEBITS to `f`; read-only opens are complete with that. */
void open_describe(struct thread *t, long nr, const uint64_t *args, struct frame *f);
void open_exit(struct thread *t, int64_t rval);
bool file_entry(struct thread *t);

bool net_entry(struct thread *t);
void net_exit(struct thread *t, int64_t rval);
/* What the process's socket table knows of fd: family and type, 0 when unknown. */
void socket_lookup(struct process *p, int fd, int *family, int *type);
bool net_send_dest(struct thread *t, int fd, int family, const char *address, int port);
/* fd no longer names that socket (closed, or reused by an open). */
void socket_forget(struct process *p, int fd);

/* DNS: entry/exit hooks for calls that may carry DNS messages; see dns.c. */
bool dns_entry(struct thread *t);
void dns_exit(struct thread *t, int64_t rval);
void dns_start(struct thread *t, int fd, const char *server, int port, bool tcp);
/* Called at every exit stop of a stepping process: ends stepping when it is due. */
void dns_step_exit(struct thread *t);

/* Resumes a stopped thread in the mode its process needs now (signal 0 or one to deliver). */
void resume(struct thread *t, int sig);

#endif
