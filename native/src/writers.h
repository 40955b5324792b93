/* Which process wrote which bytes of a pipe, from the writes announced before they happened (writers.c). */
#ifndef IMPRINT_WRITERS_H
#define IMPRINT_WRITERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WRITER_PREFIX 32
#define WRITERS_MAX 256
/* An announcement nothing matched for this long was a failed write: it is forgotten. */
#define WRITER_STALE_NS 1000000000ull

struct announced {
	pid_t pid;
	size_t bytes;
	uint64_t at;
	uint8_t prefix[WRITER_PREFIX]; /* the write's first bytes, as they will appear in the pipe */
	size_t prefix_len;             /* 0 when unreadable: matches any bytes */
};

struct writers {
	struct announced pending[WRITERS_MAX]; /* in the order they were announced */
	unsigned count;
	pid_t cur_pid;   /* the write whose bytes are being read */
	size_t cur_left;
};

/* Records that `pid` is about to write `bytes` bytes starting with `prefix`. */
void writers_announce(struct writers *w, pid_t pid, size_t bytes, const void *prefix, size_t prefix_len,
		      uint64_t now);
/* Attributes the start of `data` (bytes just read from the pipe): returns how many of its first bytes
 * one writer wrote, and that writer in *pid (0 when nobody announced them). Never returns 0 for n > 0. */
size_t writers_match(struct writers *w, const uint8_t *data, size_t n, pid_t *pid, uint64_t now);

#endif
