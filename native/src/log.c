/*
 * Application output. The app writes to pipes; this thread cuts the bytes into lines and sends each as
 * a LOG frame, so nothing the app prints can be mistaken for a frame. Lines are bounded (16 KiB: a longer
 * line is sent in PARTIAL pieces), and a partial line waiting ~100 ms is flushed as PARTIAL.
 *
 * Pipes do not say who wrote. The filter sends write/writev on descriptors 1 and 2 to the notification
 * thread, which announces each one here before it happens (pid, size, first bytes: log_expect), and
 * writers.c matches what is read to those announcements; a line carries the pid of whoever wrote its
 * first byte. Bytes nobody announced (a dup'd descriptor, splice, a kernel without notifications) get
 * pid 0.
 * The same thread keeps the output flush timer (frame.c): it wakes when the buffer stops being empty
 * and writes it out FLUSH_DELAY_MS later.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "writers.h"

#define LINE_MAX_BYTES 16384
#define PARTIAL_WAIT_MS 100

struct stream {
	int fd;
	int id; /* 1 stdout, 2 stderr */
	char line[LINE_MAX_BYTES];
	size_t len;
	uint64_t since; /* when the pending partial line started waiting */
	pid_t line_pid; /* writer of the pending line's first byte */
	struct writers writers;
};

static struct stream streams[2];
static int stop_pipe[2] = { -1, -1 };
static pthread_t thread;
static struct frame frame;
static pthread_mutex_t writers_mutex = PTHREAD_MUTEX_INITIALIZER;

void log_expect(int stream, pid_t pid, size_t bytes, const void *prefix, size_t prefix_len)
{
	if (stream != 1 && stream != 2)
		return;
	pthread_mutex_lock(&writers_mutex);
	writers_announce(&streams[stream - 1].writers, pid, bytes, prefix, prefix_len, monotonic_ns());
	pthread_mutex_unlock(&writers_mutex);
}

static void emit(struct stream *s, const char *data, size_t len, bool partial)
{
	frame_begin(&frame, F_LOG, s->line_pid, s->line_pid);
	frame_int(&frame, A_STREAM, s->id);
	frame_bytes(&frame, A_DATA, data, len, LINE_MAX_BYTES);
	if (partial)
		frame_int(&frame, A_PARTIAL, 1);
	frame_commit(&frame);
}

/* Cuts bytes one writer wrote into lines. */
static void split(struct stream *s, const char *buf, size_t n, pid_t pid)
{
	while (n > 0) {
		const char *nl = memchr(buf, '\n', n);
		size_t chunk = nl ? (size_t)(nl - buf) : n;

		if (s->len + chunk >= LINE_MAX_BYTES) {
			/* the line is longer than the bound: send what fits as a partial piece */
			size_t fit = LINE_MAX_BYTES - s->len;

			if (s->len == 0)
				s->line_pid = pid;
			memcpy(s->line + s->len, buf, fit);
			emit(s, s->line, LINE_MAX_BYTES, true);
			s->len = 0;
			buf += fit;
			n -= fit;
			continue;
		}
		if (s->len == 0)
			s->line_pid = pid;
		memcpy(s->line + s->len, buf, chunk);
		s->len += chunk;
		if (!nl) {
			if (s->since == 0)
				s->since = monotonic_ns();
			return;
		}
		emit(s, s->line, s->len, false);
		s->len = 0;
		s->since = 0;
		buf += chunk + 1;
		n -= chunk + 1;
	}
}

static void take(struct stream *s, const char *buf, size_t n)
{
	uint64_t now = monotonic_ns();

	while (n > 0) {
		pid_t pid;
		size_t k;

		pthread_mutex_lock(&writers_mutex);
		k = writers_match(&s->writers, (const uint8_t *)buf, n, &pid, now);
		pthread_mutex_unlock(&writers_mutex);
		split(s, buf, k, pid);
		buf += k;
		n -= k;
	}
}

static void flush_partial(struct stream *s)
{
	if (s->len) {
		emit(s, s->line, s->len, true);
		s->len = 0;
	}
	s->since = 0;
}

/* Reads once from a ready stream; returns false at end of file. */
static bool pump(struct stream *s)
{
	char buf[65536];
	ssize_t n = read(s->fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	take(s, buf, (size_t)n);
	return true;
}

static void drain(void)
{
	for (int i = 0; i < 2; i++) {
		if (streams[i].fd < 0)
			continue;
		fcntl(streams[i].fd, F_SETFL, O_NONBLOCK);
		for (int rounds = 0; rounds < 1024; rounds++) {
			char buf[65536];
			ssize_t n = read(streams[i].fd, buf, sizeof(buf));

			if (n <= 0)
				break;
			take(&streams[i], buf, (size_t)n);
		}
		flush_partial(&streams[i]);
	}
	out_flush();
}

static void *relay(void *arg)
{
	int wake = out_wake_fd();

	for (;;) {
		struct pollfd pfd[4];
		int timeout = -1;
		uint64_t now = monotonic_ns(), pending = out_pending_since();

		if (pending) {
			int64_t left = (int64_t)(pending + FLUSH_DELAY_MS * 1000000ull - now);

			timeout = left > 0 ? (int)((left + 999999) / 1000000) : 0;
		}

		for (int i = 0; i < 2; i++) {
			pfd[i].fd = streams[i].fd; /* -1 after end of file: poll ignores it */
			pfd[i].events = POLLIN;
			if (streams[i].since) {
				int64_t left = (int64_t)(streams[i].since + PARTIAL_WAIT_MS * 1000000ull - now) / 1000000;

				if (left < 0)
					left = 0;
				if (timeout < 0 || left < timeout)
					timeout = (int)left;
			}
		}
		pfd[2].fd = stop_pipe[0];
		pfd[2].events = POLLIN;
		pfd[3].fd = wake;
		pfd[3].events = POLLIN;
		if (poll(pfd, 4, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[2].revents)
			break;
		if (pfd[3].revents) {
			uint64_t count;

			(void)!read(wake, &count, sizeof(count));
		}
		for (int i = 0; i < 2; i++) {
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				if (!pump(&streams[i])) {
					flush_partial(&streams[i]);
					close(streams[i].fd);
					streams[i].fd = -1;
				}
			}
		}
		now = monotonic_ns();
		for (int i = 0; i < 2; i++)
			if (streams[i].since && now - streams[i].since >= PARTIAL_WAIT_MS * 1000000ull)
				flush_partial(&streams[i]);
		pending = out_pending_since();
		if (pending && now >= pending + FLUSH_DELAY_MS * 1000000ull)
			out_flush();
	}
	drain();
	return arg;
}

int log_start(int out_fd, int err_fd)
{
	streams[0].fd = out_fd;
	streams[0].id = 1;
	streams[1].fd = err_fd;
	streams[1].id = 2;
	if (pipe2(stop_pipe, O_CLOEXEC) < 0)
		return -1;
	return pthread_create(&thread, NULL, relay, NULL) == 0 ? 0 : -1;
}

void log_stop(void)
{
	if (stop_pipe[1] < 0)
		return;
	(void)!write(stop_pipe[1], "x", 1);
	pthread_join(thread, NULL);
}
