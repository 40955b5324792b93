/* Unit test for the socket table (src/socktab.c), checked against a plain array model through random
 * operations: collisions, growth to the bound, backward-shift deletion, copy and share, close-on-exec.
 * Built with sanitizers by `make -C native check`. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/socktab.h"

#define FDS 40000

struct model {
	bool used;
	int family;
	bool cloexec;
};

static struct model model[FDS];
static unsigned model_count;

static void check(struct socktab *tab)
{
	unsigned seen = 0;

	for (int fd = 0; fd < FDS; fd++) {
		struct sockinfo *s = socktab_find(tab, fd);

		assert(!!s == model[fd].used);
		if (s) {
			assert(s->fd == fd && s->family == model[fd].family && s->cloexec == model[fd].cloexec);
			seen++;
		}
	}
	assert(seen == model_count);
}

int main(void)
{
	struct socktab *tab = socktab_new();
	unsigned seed = 12345;

	/* fill up to the bound with numbers that collide in any small power-of-two table */
	for (int i = 0; i < SOCKTAB_MAX; i++) {
		int fd = (int)(((long)i * 1024 + i / 32) % FDS);

		if (model[fd].used)
			continue;
		assert(socktab_set(tab, fd, 2, 1, i % 3 == 0));
		model[fd] = (struct model){ true, 2, i % 3 == 0 };
		model_count++;
	}
	check(tab);
	/* at the bound: a new number is refused, an existing one is still replaced */
	for (int fd = 0; fd < FDS; fd++) {
		if (model_count >= SOCKTAB_MAX && !model[fd].used) {
			assert(socktab_set(tab, fd, 2, 1, false) == NULL);
			break;
		}
	}
	/* random sets and drops */
	for (int i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		int fd = (int)((seed >> 8) % FDS);

		if ((seed >> 4) & 1) {
			socktab_drop(tab, fd);
			if (model[fd].used)
				model_count--;
			model[fd].used = false;
		} else if (model[fd].used || model_count < SOCKTAB_MAX) {
			struct sockinfo *s = socktab_set(tab, fd, 10, 2, (seed >> 5) & 1);

			assert(s);
			sockinfo_bind(s, "::1", fd);
			if (!model[fd].used)
				model_count++;
			model[fd] = (struct model){ true, 10, (seed >> 5) & 1 };
		}
		if (i % 20000 == 0)
			check(tab);
	}
	check(tab);

	/* a copy is independent; a share is the same table */
	struct socktab *copy = socktab_copy(tab), *shared = socktab_share(tab);

	assert(socktab_shared(tab) && !socktab_shared(copy));
	for (int fd = 0; fd < FDS; fd++)
		if (model[fd].used) {
			struct sockinfo *s = socktab_find(copy, fd);

			assert(s && s->bound && strcmp(s->bound, "::1") == 0 && s->port == fd);
			socktab_drop(copy, fd);
			assert(socktab_find(tab, fd)); /* the original keeps it */
			break;
		}
	socktab_put(shared);
	assert(!socktab_shared(tab));

	/* exec: close-on-exec entries go, the others stay */
	socktab_drop_cloexec(tab);
	for (int fd = 0; fd < FDS; fd++)
		if (model[fd].used && model[fd].cloexec) {
			model[fd].used = false;
			model_count--;
		}
	check(tab);

	/* datagram destinations: each once, up to SOCK_SENT_MAX; then full; a copy remembers them apart */
	struct sockinfo *u = socktab_set(tab, 3, 2, 2, false);
	char addr[32];

	assert(u);
	for (int i = 0; i < SOCK_SENT_MAX; i++) {
		snprintf(addr, sizeof(addr), "10.0.0.%d", i);
		assert(sockinfo_first_send(u, 2, addr, 8125) == SEND_NEW);
		assert(sockinfo_first_send(u, 2, addr, 8125) == SEND_KNOWN);
	}
	assert(sockinfo_first_send(u, 2, "10.0.0.0", 8126) == SEND_FULL); /* another port is another destination */
	assert(sockinfo_first_send(u, 2, "10.0.0.1", 8125) == SEND_KNOWN); /* known ones stay known */
	struct socktab *copy2 = socktab_copy(tab);
	struct sockinfo *u2 = socktab_find(copy2, 3);

	assert(u2 && u2->sent_to != u->sent_to && sockinfo_first_send(u2, 2, "10.0.0.5", 8125) == SEND_KNOWN);
	assert(socktab_set(tab, 3, 2, 2, false)->sent_count == 0); /* a new socket on the number starts afresh */
	socktab_put(copy2);
	socktab_put(copy);
	socktab_put(tab);
	puts("socktab: ok");
	return 0;
}
