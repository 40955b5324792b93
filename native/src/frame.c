/*
 * The frame writer. All output goes through one user-space buffer, flushed when it fills or when its
 * oldest frame is FLUSH_DELAY_MS old (the log thread keeps that timer), and at the end.
 *
 * Why a timer rather than "flush before every blocking wait": behind fd 1 sits Docker's attach chain
 * (containerd-shim, dockerd, the client), and each write wakes all of it. Flushing at every ptrace stop
 * cost more CPU than the tracing itself on a 2-core machine; a 5 ms window turns thousands of writes
 * into a few hundred while events still arrive within milliseconds.
 * A blocking write is the back-pressure: while it waits, tracees stay stopped and nothing is dropped.
 */
#include "frame.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define OUT_CAPACITY (256 * 1024)

static uint8_t out_buf[OUT_CAPACITY];
static size_t out_len;
static uint64_t next_seq = 1;
static bool out_broken;
static uint64_t pending_since;
static int wake_fd = -1;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void put_u16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put_u32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = v >> (8 * i); }
static void put_u64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = v >> (8 * i); }

void frame_begin(struct frame *f, enum frame_type type, pid_t pid, pid_t tid)
{
	memset(f->buf, 0, FRAME_HEADER);
	put_u16(f->buf + 4, type);
	put_u64(f->buf + 16, monotonic_ns());
	put_u32(f->buf + 24, (uint32_t)pid);
	put_u32(f->buf + 28, (uint32_t)tid);
	f->len = FRAME_HEADER;
	f->limit = FRAME_MAX;
}

void frame_flag(struct frame *f, unsigned flags)
{
	put_u16(f->buf + 6, (f->buf[6] | f->buf[7] << 8) | flags);
}

void frame_set_time(struct frame *f, uint64_t ns)
{
	put_u64(f->buf + 16, ns);
}

void frame_set_tid(struct frame *f, pid_t tid)
{
	put_u32(f->buf + 28, (uint32_t)tid);
}

void frame_int(struct frame *f, enum attr_key key, int64_t value)
{
	/* Integers always fit: byte attributes stop FRAME_EXIT_RESERVE early while exits are pending,
	 * and frames never carry more than a few dozen integers. */
	if (f->len + 12 > FRAME_MAX) {
		frame_flag(f, FL_TRUNCATED);
		return;
	}
	f->buf[f->len] = key;
	f->buf[f->len + 1] = 1;
	put_u16(f->buf + f->len + 2, 8);
	put_u64(f->buf + f->len + 4, (uint64_t)value);
	f->len += 12;
}

void frame_bytes(struct frame *f, enum attr_key key, const void *data, size_t len, size_t bound)
{
	size_t room = f->limit > f->len + 4 ? f->limit - f->len - 4 : 0;

	if (len > bound || len > room) {
		frame_flag(f, FL_TRUNCATED);
		len = len > bound ? bound : len;
		len = len > room ? room : len;
		if (room == 0)
			return;
	}
	f->buf[f->len] = key;
	f->buf[f->len + 1] = 2;
	put_u16(f->buf + f->len + 2, (uint16_t)len);
	if (len)
		memcpy(f->buf + f->len + 4, data, len);
	f->len += 4 + len;
}

void frame_str(struct frame *f, enum attr_key key, const char *s)
{
	frame_bytes(f, key, s, strlen(s), 4096);
}

static void write_all(const uint8_t *p, size_t n)
{
	while (n > 0 && !out_broken) {
		ssize_t w = write(1, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			/* The reader is gone (EPIPE): nobody is left to tell; keep the app running. */
			out_broken = true;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void flush_locked(void)
{
	write_all(out_buf, out_len);
	out_len = 0;
}

int out_wake_fd(void)
{
	if (wake_fd < 0)
		wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return wake_fd;
}

uint64_t out_pending_since(void)
{
	uint64_t t;

	pthread_mutex_lock(&out_lock);
	t = out_len ? pending_since : 0;
	pthread_mutex_unlock(&out_lock);
	return t;
}

void frame_commit(struct frame *f)
{
	bool was_empty;

	pthread_mutex_lock(&out_lock);
	put_u32(f->buf, (uint32_t)(f->len - 4));
	put_u64(f->buf + 8, next_seq++);
	if (out_len + f->len > OUT_CAPACITY)
		flush_locked();
	was_empty = out_len == 0;
	if (was_empty)
		pending_since = monotonic_ns();
	memcpy(out_buf + out_len, f->buf, f->len);
	out_len += f->len;
	pthread_mutex_unlock(&out_lock);
	/* one wake-up per flush window, not per frame */
	if (was_empty && wake_fd >= 0) {
		uint64_t one = 1;

		(void)!write(wake_fd, &one, sizeof(one));
	}
}

void out_flush(void)
{
	pthread_mutex_lock(&out_lock);
	if (out_len)
		flush_locked();
	pthread_mutex_unlock(&out_lock);
}

uint64_t frames_written(void)
{
	uint64_t n;

	pthread_mutex_lock(&out_lock);
	n = next_seq - 1;
	pthread_mutex_unlock(&out_lock);
	return n;
}

void send_notice(const char *code, const char *fmt, ...)
{
	static struct frame f;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&lock);
	frame_begin(&f, F_NOTICE, getpid(), getpid());
	frame_flag(&f, FL_SYNTHETIC);
	frame_str(&f, A_NOTICE, code);
	frame_str(&f, A_MESSAGE, msg);
	frame_commit(&f);
	pthread_mutex_unlock(&lock);
}
