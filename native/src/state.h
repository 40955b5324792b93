/* What the tracer remembers about traced threads and processes. */
#ifndef IMPRINT_STATE_H
#define IMPRINT_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame.h"
#include "socktab.h"

struct process {
	pid_t tgid;
	int threads;
	char *exe;              /* path of the last successful exec (heap) */
	char *cwd;              /* cached cwd: exact until a chdir/fchdir marks it stale */
	bool cwd_stale;
	bool ids_known;         /* uid/gid below are current (cleared by any set*id call) */
	int64_t uid, gid;       /* real uid and gid */
	int mem_fd;             /* /proc/PID/mem of its current mm, opened lazily; -1 when not open */
	bool mem_refused;       /* opening it failed: do not retry until the next exec */
	bool vm_readv_refused;  /* process_vm_readv failed (uid change): use PTRACE_PEEKDATA */
	struct socktab *socks;  /* sockets of its descriptor table (shared with CLONE_FILES relatives) */
	/* DNS stepping: all threads take every syscall stop until the exchange is over. */
	bool stepping;
	bool stop_stepping;
	int dns_fd;
	int dns_budget;
	int dns_queries, dns_answers;
	char dns_server[64];
	int dns_port;
	bool dns_tcp;
	struct process *next;
};

/* A syscall in progress on one thread: entry data kept until its exit stop. */
struct call {
	int nr;
	uint64_t args[6];
	bool want_exit;         /* the exit stop decodes the result */
	bool await_seccomp;     /* entry seen on a syscall stop; the seccomp stop that follows is the same call */
	bool has_frame;         /* `frame` was begun at entry and is committed at exit */
	bool exec_notified;     /* an exec continued from a notification: its exec event reports success;
	                         * seeing the thread again without one means it failed (exec_settle) */
	bool restart_held;      /* its exit said -ERESTART*: the frame waits for the call to run again
	                         * (then dropped) or for another call (then sent with EINTR): call_settle */
	uint8_t decoder;        /* which decoder took the entry (D_SEEN for hot calls) */
	int kind;               /* decoder-private */
	int64_t aux;            /* decoder-private */
};

struct thread {
	pid_t tid;
	struct process *proc;
	struct call call;
	struct frame *frame;    /* lazily allocated, FRAME_MAX bytes */
	char *stash;            /* a path kept from entry to exit (exec, chdir) */
	bool expect_sigstop;    /* the first child stops itself once before exec */
	bool known_parent;      /* its creator's fork event was seen */
	bool held;              /* first stop came before its creator's fork event: kept stopped until it */
	struct {                /* the last call notify.c continued: told apart from one it never saw */
		bool valid;
		long nr;
		uint64_t ip, arg1;
	} continued;
	pid_t held_parent;      /* the parent /proc named then: its death releases the thread */
	struct thread *next;
};

struct thread *thread_find(pid_t tid);
/* Finds or creates; a new thread joins process `tgid` (created when needed). */
struct thread *thread_get(pid_t tid, pid_t tgid);
void thread_drop(struct thread *t);
/* Moves a thread first seen before its creator's fork event into the right process. */
void thread_rehome(struct thread *t, pid_t tgid);
/* A new process starts with its parent's cwd, ids, executable and sockets (the same socket table with
 * CLONE_FILES, a copy without). */
void process_inherit(struct process *child, struct process *parent, bool share_files);
/* Moves `from`'s in-flight call to `to` and forgets `from` (exec from a non-leader thread). */
void thread_take_over(struct thread *to, struct thread *from);
struct frame *thread_frame(struct thread *t);
struct process *process_find(pid_t tgid);
/* Calls fn on every thread of a process. */
void process_each_thread(struct process *p, void (*fn)(struct thread *));
void set_str(char **dst, const char *src);
/* Forgets the /proc/PID/mem descriptor (the process exec'd a new mm, or ended). */
void process_close_mem(struct process *p);

/* The tables above are shared by the tracer and the notification thread: each holds this lock while it
 * handles one stop or one notification. */
void state_lock(void);
void state_unlock(void);

/* First use of syscall `nr` by executable `exe`? Records it. */
bool seen_first(const char *exe, int nr);

#endif
