/* Frame writer: builds frames to native/PROTOCOL.md and buffers them on fd 1. */
#ifndef IMPRINT_FRAME_H
#define IMPRINT_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FRAME_MAX 65536
#define FRAME_HEADER 32
/* Room kept free while a frame is built at syscall entry, for the attributes added at exit. */
#define FRAME_EXIT_RESERVE 512

enum frame_type {
	F_HELLO = 1, F_FORK, F_EXEC, F_EXIT, F_OPEN, F_FILE, F_SOCKET, F_CONNECT, F_BIND, F_LISTEN,
	F_ACCEPT, F_DNS_QUERY, F_DNS_ANSWER, F_SETID, F_RISKY, F_LOG, F_SYSCALL_SEEN, F_NOTICE, F_END,
};

enum frame_flag { FL_TRUNCATED = 1, FL_UNREADABLE = 2, FL_SYNTHETIC = 4 };

enum attr_key {
	A_MAGIC = 1, A_VERSION, A_PROBE, A_ARCH, A_MODE, A_REALTIME, A_CHILD, A_CLONE, A_PATH, A_PATH2,
	A_ARGV, A_ARGC, A_CWD, A_UID, A_GID, A_RESULT, A_CODE, A_SIGNAL, A_ACCESS, A_MODEBITS, A_OP,
	A_FD, A_FAMILY, A_SOCKTYPE, A_PROTOCOL, A_ADDRESS, A_PORT, A_BACKLOG, A_NAME, A_QTYPE, A_DNSID,
	A_RCODE, A_ANSWER, A_SYSCALL, A_NR, A_ARG, A_ACTION, A_STREAM, A_DATA, A_PARTIAL, A_EXE,
	A_NOTICE, A_MESSAGE, A_FORMER, A_EVENTS, A_STOPS, A_TRANSPORT, A_CAPS,
};

/* One frame being built. `limit` is where byte attributes must stop (FRAME_MAX, or less while a
 * syscall's exit attributes are still to come). */
struct frame {
	uint8_t buf[FRAME_MAX];
	size_t len;
	size_t limit;
};

void frame_begin(struct frame *f, enum frame_type type, pid_t pid, pid_t tid);
void frame_flag(struct frame *f, unsigned flags);
/* Rewrites the header's tid (exec from a non-leader thread takes the leader's tid). */
void frame_set_tid(struct frame *f, pid_t tid);
/* Rewrites the header's time (calls are stamped when they complete). */
void frame_set_time(struct frame *f, uint64_t ns);
void frame_int(struct frame *f, enum attr_key key, int64_t value);
/* Appends a byte attribute, cut at `bound` and at the frame's limit; sets TRUNCATED when cut. */
void frame_bytes(struct frame *f, enum attr_key key, const void *data, size_t len, size_t bound);
void frame_str(struct frame *f, enum attr_key key, const char *s);
/* Assigns the next sequence number and queues the frame for fd 1. Thread-safe. */
void frame_commit(struct frame *f);
/* Writes everything queued; the write blocks while the reader is slow (back-pressure). */
void out_flush(void);
/* Frames wait at most this long in the buffer: the log thread flushes them (see frame.c). */
#define FLUSH_DELAY_MS 5
/* The eventfd that tells the flushing thread the buffer went from empty to not empty. */
int out_wake_fd(void);
/* Monotonic time of the oldest unflushed frame, 0 when the buffer is empty. */
uint64_t out_pending_since(void);
uint64_t frames_written(void);
uint64_t monotonic_ns(void);

/* Convenience: a synthetic NOTICE frame, committed at once. */
void send_notice(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
