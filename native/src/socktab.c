/* Per-descriptor-table socket knowledge: see socktab.h. */
#include "socktab.h"

#include <stdlib.h>
#include <string.h>

struct socktab {
	int refs;
	unsigned cap;           /* slots, a power of two (0 before the first entry) */
	unsigned count;
	struct sockinfo *slots;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		abort();
	return d;
}

static unsigned home(const struct socktab *tab, int fd)
{
	return ((unsigned)fd * 2654435761u) & (tab->cap - 1);
}

static struct sockinfo *alloc_slots(unsigned cap)
{
	struct sockinfo *slots = xmalloc(cap * sizeof(*slots));

	for (unsigned i = 0; i < cap; i++)
		slots[i] = (struct sockinfo){ .fd = -1 };
	return slots;
}

/* What an entry owns on the heap (free(NULL) is fine). */
static void sockinfo_free(struct sockinfo *s)
{
	free(s->bound);
	free(s->sent_to);
	s->bound = NULL;
	s->sent_to = NULL;
}

struct socktab *socktab_new(void)
{
	struct socktab *tab = xmalloc(sizeof(*tab));

	*tab = (struct socktab){ .refs = 1 };
	return tab;
}

struct socktab *socktab_share(struct socktab *tab)
{
	tab->refs++;
	return tab;
}

struct socktab *socktab_copy(const struct socktab *tab)
{
	struct socktab *c = socktab_new();

	if (!tab || tab->count == 0)
		return c;
	c->cap = tab->cap;
	c->count = tab->count;
	c->slots = xmalloc(tab->cap * sizeof(*c->slots));
	memcpy(c->slots, tab->slots, tab->cap * sizeof(*c->slots));
	for (unsigned i = 0; i < c->cap; i++) {
		struct sockinfo *s = &c->slots[i];

		s->bound = xstrdup(s->bound);
		if (s->sent_to) {
			uint32_t *copy = xmalloc(SOCK_SENT_MAX * sizeof(*copy));

			memcpy(copy, s->sent_to, s->sent_count * sizeof(*copy));
			s->sent_to = copy;
		}
	}
	return c;
}

void socktab_put(struct socktab *tab)
{
	if (!tab || --tab->refs > 0)
		return;
	for (unsigned i = 0; i < tab->cap; i++)
		sockinfo_free(&tab->slots[i]);
	free(tab->slots);
	free(tab);
}

bool socktab_shared(const struct socktab *tab)
{
	return tab->refs > 1;
}

struct sockinfo *socktab_find(struct socktab *tab, int fd)
{
	if (!tab || tab->count == 0 || fd < 0)
		return NULL;
	for (unsigned i = home(tab, fd), n = 0; n < tab->cap; i = (i + 1) & (tab->cap - 1), n++) {
		if (tab->slots[i].fd == fd)
			return &tab->slots[i];
		if (tab->slots[i].fd < 0)
			return NULL;
	}
	return NULL;
}

/* Room for one more entry: at most SOCKTAB_MAX, with the load kept at most 3/4 so probes stay short. */
static bool grow(struct socktab *tab)
{
	unsigned old_cap = tab->cap, cap = old_cap ? old_cap * 2 : 16;
	struct sockinfo *old = tab->slots;

	if (tab->count >= SOCKTAB_MAX)
		return false;
	if ((tab->count + 1) * 4 <= old_cap * 3)
		return true;
	tab->slots = alloc_slots(cap);
	tab->cap = cap;
	for (unsigned i = 0; i < old_cap; i++) {
		if (old[i].fd < 0)
			continue;
		unsigned j = home(tab, old[i].fd);

		while (tab->slots[j].fd >= 0)
			j = (j + 1) & (cap - 1);
		tab->slots[j] = old[i];
	}
	free(old);
	return true;
}

struct sockinfo *socktab_set(struct socktab *tab, int fd, int family, int type, bool cloexec)
{
	struct sockinfo *s;
	unsigned i;

	if (!tab || fd < 0)
		return NULL;
	s = socktab_find(tab, fd);
	if (!s) {
		if (!grow(tab))
			return NULL;
		for (i = home(tab, fd); tab->slots[i].fd >= 0; i = (i + 1) & (tab->cap - 1))
			;
		s = &tab->slots[i];
		tab->count++;
	}
	sockinfo_free(s);
	*s = (struct sockinfo){ .fd = fd, .family = family, .type = type, .cloexec = cloexec };
	return s;
}

/* Backward-shift deletion: no tombstones, so lookups stay short after many closes. */
static void remove_slot(struct socktab *tab, unsigned i)
{
	unsigned mask = tab->cap - 1, j = i;

	sockinfo_free(&tab->slots[i]);
	tab->slots[i] = (struct sockinfo){ .fd = -1 };
	tab->count--;
	for (;;) {
		j = (j + 1) & mask;
		if (tab->slots[j].fd < 0)
			return;
		unsigned h = home(tab, tab->slots[j].fd);

		/* move j back to the hole at i unless its home lies cyclically in (i, j] */
		if (((j - h) & mask) >= ((j - i) & mask)) {
			tab->slots[i] = tab->slots[j];
			tab->slots[j] = (struct sockinfo){ .fd = -1 };
			i = j;
		}
	}
}

void socktab_drop(struct socktab *tab, int fd)
{
	struct sockinfo *s = socktab_find(tab, fd);

	if (s)
		remove_slot(tab, (unsigned)(s - tab->slots));
}

void socktab_drop_cloexec(struct socktab *tab)
{
	if (!tab)
		return;
	for (unsigned i = 0; i < tab->cap;) {
		if (tab->slots[i].fd >= 0 && tab->slots[i].cloexec)
			remove_slot(tab, i); /* an entry may have shifted into i: look again */
		else
			i++;
	}
}

void sockinfo_bind(struct sockinfo *s, const char *address, int port)
{
	free(s->bound);
	s->bound = xstrdup(address);
	s->port = port;
}

/* FNV-1a over family, port and address text; 0 is kept for "empty slot". */
static uint32_t dest_hash(int family, const char *address, int port)
{
	uint32_t h = 2166136261u;
	const int head[2] = { family, port };

	for (size_t i = 0; i < sizeof(head); i++)
		h = (h ^ ((const uint8_t *)head)[i]) * 16777619u;
	for (const char *c = address; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	return h ? h : 1;
}

enum send_seen sockinfo_first_send(struct sockinfo *s, int family, const char *address, int port)
{
	uint32_t h = dest_hash(family, address, port);

	for (unsigned i = 0; i < s->sent_count; i++)
		if (s->sent_to[i] == h)
			return SEND_KNOWN;
	if (s->sent_count >= SOCK_SENT_MAX)
		return SEND_FULL;
	if (!s->sent_to)
		s->sent_to = xmalloc(SOCK_SENT_MAX * sizeof(*s->sent_to));
	s->sent_to[s->sent_count++] = h;
	return SEND_NEW;
}
