/*
 * Matching a pipe's bytes to their writers. A pipe does not say who wrote; the notification thread
 * announces each write to stdout/stderr before it happens (pid, size, first bytes). Writes of up to
 * PIPE_BUF bytes are atomic, so each appears in the pipe in one piece, but two processes' writes may
 * land in another order than they were announced. So at each write boundary the announcement whose
 * first bytes are the ones read is taken, whatever its place in the queue; bytes no announcement
 * matches (written through another descriptor, or by splice) belong to nobody (pid 0) up to the next
 * place an announcement matches. A write that never reached the pipe is forgotten after a second.
 * Limit: a partial write (a non-blocking pipe that was full) is matched as if it were whole.
 */
#include "writers.h"

#include <stdbool.h>
#include <string.h>

static void drop(struct writers *w, unsigned i)
{
	memmove(&w->pending[i], &w->pending[i + 1], (w->count - i - 1) * sizeof(w->pending[0]));
	w->count--;
}

void writers_announce(struct writers *w, pid_t pid, size_t bytes, const void *prefix, size_t prefix_len,
		      uint64_t now)
{
	struct announced *a;

	if (bytes == 0)
		return;
	if (w->count == WRITERS_MAX)
		drop(w, 0);
	a = &w->pending[w->count++];
	a->pid = pid;
	a->bytes = bytes;
	a->at = now;
	a->prefix_len = prefix_len < WRITER_PREFIX ? prefix_len : WRITER_PREFIX;
	if (a->prefix_len > bytes)
		a->prefix_len = bytes;
	if (a->prefix_len)
		memcpy(a->prefix, prefix, a->prefix_len);
}

/* Does announcement `a` start at data[0..n)? (What was read may end inside its prefix.) */
static bool starts_here(const struct announced *a, const uint8_t *data, size_t n)
{
	size_t m = a->prefix_len < n ? a->prefix_len : n;

	return memcmp(a->prefix, data, m) == 0;
}

/* The first announcement that starts at data[0], or -1. */
static int starting(const struct writers *w, const uint8_t *data, size_t n)
{
	for (unsigned i = 0; i < w->count; i++)
		if (starts_here(&w->pending[i], data, n))
			return (int)i;
	return -1;
}

size_t writers_match(struct writers *w, const uint8_t *data, size_t n, pid_t *pid, uint64_t now)
{
	size_t k;

	if (n == 0) {
		*pid = 0;
		return 0;
	}
	if (w->cur_left == 0) {
		while (w->count && now - w->pending[0].at > WRITER_STALE_NS)
			drop(w, 0);
		int i = w->count ? starting(w, data, n) : -1;

		if (i < 0 && w->count == 0) {
			*pid = 0;
			return n;
		}
		if (i < 0) {
			/* nobody's: up to where an announced write starts */
			size_t off = 1;

			while (off < n && starting(w, data + off, n - off) < 0)
				off++;
			*pid = 0;
			return off;
		}
		w->cur_pid = w->pending[i].pid;
		w->cur_left = w->pending[i].bytes;
		drop(w, (unsigned)i);
	}
	k = n < w->cur_left ? n : w->cur_left;
	w->cur_left -= k;
	*pid = w->cur_pid;
	return k;
}
