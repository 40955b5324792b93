/* Unit test for matching a pipe's bytes to announced writes (src/writers.c). Built with sanitizers by
 * `make -C native check`. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../src/writers.h"

static struct writers w;

static void announce(pid_t pid, const char *text, uint64_t now)
{
	writers_announce(&w, pid, strlen(text), text, strlen(text), now);
}

/* Feeds `text` as one read; writes "pid:bytes" for each piece into out. */
static void feed(const char *text, char *out, uint64_t now)
{
	const uint8_t *p = (const uint8_t *)text;
	size_t n = strlen(text);

	out[0] = 0;
	while (n > 0) {
		pid_t pid;
		size_t k = writers_match(&w, p, n, &pid, now);

		assert(k > 0 && k <= n);
		sprintf(out + strlen(out), "%d:%zu ", (int)pid, k);
		p += k;
		n -= k;
	}
}

int main(void)
{
	char out[256];

	/* in order */
	announce(10, "hello\n", 1);
	announce(20, "world\n", 1);
	feed("hello\nworld\n", out, 2);
	assert(strcmp(out, "10:6 20:6 ") == 0);

	/* landed in the other order */
	memset(&w, 0, sizeof(w));
	announce(10, "first\n", 1);
	announce(20, "second\n", 1);
	feed("second\nfirst\n", out, 2);
	assert(strcmp(out, "20:7 10:6 ") == 0);

	/* bytes nobody announced, before and between */
	memset(&w, 0, sizeof(w));
	announce(30, "mine\n", 1);
	feed("other\nmine\nmore\n", out, 2);
	assert(strcmp(out, "0:6 30:5 0:5 ") == 0);

	/* a write split over two reads, and a read ending inside a prefix */
	memset(&w, 0, sizeof(w));
	announce(40, "abcdefgh\n", 1);
	announce(50, "xyz\n", 1);
	feed("abcd", out, 2);
	assert(strcmp(out, "40:4 ") == 0);
	feed("efgh\nxy", out, 2);
	assert(strcmp(out, "40:5 50:2 ") == 0);
	feed("z\n", out, 2);
	assert(strcmp(out, "50:2 ") == 0);

	/* a write that never came is forgotten after a second, and does not take others' bytes */
	memset(&w, 0, sizeof(w));
	announce(60, "lost\n", 1);
	feed("found\n", out, 2);
	assert(strcmp(out, "0:6 ") == 0);
	announce(70, "lost\n", WRITER_STALE_NS + 10);
	feed("lost\n", out, WRITER_STALE_NS + 20);
	assert(strcmp(out, "70:5 ") == 0);

	/* an unreadable prefix matches whatever comes next */
	memset(&w, 0, sizeof(w));
	writers_announce(&w, 80, 3, NULL, 0, 1);
	feed("abcdef", out, 2);
	assert(strcmp(out, "80:3 0:3 ") == 0);

	/* the queue is bounded: the oldest announcement makes room */
	memset(&w, 0, sizeof(w));
	for (int i = 0; i < WRITERS_MAX + 5; i++)
		announce(100 + i, "line\n", 1);
	assert(w.count == WRITERS_MAX);
	feed("line\n", out, 2);
	assert(strcmp(out, "105:5 ") == 0);

	puts("writers: ok");
	return 0;
}
