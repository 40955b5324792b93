/* Thread and process tables: small chained hash tables keyed by id. */
#include "state.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syscalls.h"

#define BUCKETS 4096

static struct thread *threads[BUCKETS];
/* Frames of dead threads, kept for new ones: a 64 KiB malloc is an mmap+munmap pair per process. */
#define SPARE_FRAMES 64
static struct frame *spare[SPARE_FRAMES];
static int nspare;

static void frame_release(struct frame *f)
{
	if (!f)
		return;
	if (nspare < SPARE_FRAMES)
		spare[nspare++] = f;
	else
		free(f);
}
static struct process *processes[BUCKETS];

static pthread_mutex_t state_mutex = PTHREAD_MUTEX_INITIALIZER;

void state_lock(void) { pthread_mutex_lock(&state_mutex); }
void state_unlock(void) { pthread_mutex_unlock(&state_mutex); }

static unsigned slot(pid_t id) { return (unsigned)id % BUCKETS; }

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		abort();
	return p;
}

void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
}

struct process *process_find(pid_t tgid)
{
	for (struct process *p = processes[slot(tgid)]; p; p = p->next)
		if (p->tgid == tgid)
			return p;
	return NULL;
}

static struct process *process_get(pid_t tgid)
{
	struct process *p = process_find(tgid);

	if (p)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->tgid = tgid;
	p->dns_fd = -1;
	p->mem_fd = -1;
	p->socks = socktab_new();
	p->next = processes[slot(tgid)];
	processes[slot(tgid)] = p;
	return p;
}

static void process_put(struct process *p)
{
	struct process **pp;

	if (--p->threads > 0)
		return;
	for (pp = &processes[slot(p->tgid)]; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	process_close_mem(p);
	socktab_put(p->socks);
	free(p->exe);
	free(p->cwd);
	free(p);
}

struct thread *thread_find(pid_t tid)
{
	for (struct thread *t = threads[slot(tid)]; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

struct thread *thread_get(pid_t tid, pid_t tgid)
{
	struct thread *t = thread_find(tid);

	if (t)
		return t;
	t = xcalloc(1, sizeof(*t));
	t->tid = tid;
	t->call.nr = -1;
	t->proc = process_get(tgid);
	t->proc->threads++;
	t->next = threads[slot(tid)];
	threads[slot(tid)] = t;
	return t;
}

void thread_drop(struct thread *t)
{
	struct thread **pp;

	for (pp = &threads[slot(t->tid)]; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	process_put(t->proc);
	frame_release(t->frame);
	free(t->stash);
	free(t);
}

void thread_rehome(struct thread *t, pid_t tgid)
{
	struct process *old = t->proc;

	if (old->tgid == tgid)
		return;
	t->proc = process_get(tgid);
	t->proc->threads++;
	process_put(old);
}

void process_close_mem(struct process *p)
{
	if (p->mem_fd >= 0)
		close(p->mem_fd);
	p->mem_fd = -1;
	p->mem_refused = false;
}

void process_inherit(struct process *child, struct process *parent, bool share_files)
{
	socktab_put(child->socks);
	child->socks = share_files ? socktab_share(parent->socks) : socktab_copy(parent->socks);
	set_str(&child->exe, parent->exe);
	set_str(&child->cwd, parent->cwd);
	child->cwd_stale = parent->cwd_stale;
	child->ids_known = parent->ids_known;
	child->uid = parent->uid;
	child->gid = parent->gid;
}

void thread_take_over(struct thread *to, struct thread *from)
{
	struct frame *f = to->frame;
	char *stash = to->stash;

	to->call = from->call;
	to->frame = from->frame;
	to->stash = from->stash;
	from->frame = f;
	from->stash = stash;
	thread_drop(from);
}

struct frame *thread_frame(struct thread *t)
{
	if (!t->frame)
		t->frame = nspare ? spare[--nspare] : xcalloc(1, sizeof(*t->frame));
	return t->frame;
}

void process_each_thread(struct process *p, void (*fn)(struct thread *))
{
	for (unsigned i = 0; i < BUCKETS; i++)
		for (struct thread *t = threads[i], *next; t; t = next) {
			next = t->next;
			if (t->proc == p)
				fn(t);
		}
}

/* The SYSCALL_SEEN set: per executable path, one bit per syscall number. */
struct seen {
	char *exe;
	uint8_t bits[(SYSCALL_MAX + 7) / 8];
	struct seen *next;
};

static struct seen *seen_table[BUCKETS];

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % BUCKETS;
}

bool seen_first(const char *exe, int nr)
{
	struct seen *s;
	unsigned h;

	if (nr < 0 || nr >= SYSCALL_MAX)
		nr = SYSCALL_MAX - 1; /* out-of-table numbers share the last bit */
	exe = exe ? exe : "";
	h = hash_str(exe);
	for (s = seen_table[h]; s; s = s->next)
		if (strcmp(s->exe, exe) == 0)
			break;
	if (!s) {
		s = xcalloc(1, sizeof(*s));
		s->exe = strdup(exe);
		if (!s->exe)
			abort();
		s->next = seen_table[h];
		seen_table[h] = s;
	}
	if (s->bits[nr / 8] & (1u << (nr % 8)))
		return false;
	s->bits[nr / 8] |= 1u << (nr % 8);
	return true;
}
