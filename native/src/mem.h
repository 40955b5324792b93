/* Reading tracee memory, paths and socket addresses, bounded and never trusting the tracee. */
#ifndef IMPRINT_MEM_H
#define IMPRINT_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "state.h"

#define PATH_BOUND 4096

/* Reads up to len bytes; returns the number read (short at an unmapped page) or -1. */
ssize_t mem_read(struct thread *t, uint64_t addr, void *buf, size_t len);
/* Opens the process's memory now, while access is still allowed (before a uid change). */
void mem_keep_open(struct thread *t);
/* Reads a NUL-terminated string into buf (size >= 1). Returns its length, or -1 when nothing could be
 * read. Adds FL_TRUNCATED to *flags when no NUL came within size - 1 bytes, FL_UNREADABLE when the
 * memory ended before the NUL (buf then holds the readable prefix). */
ssize_t mem_read_str(struct thread *t, uint64_t addr, char *buf, size_t size, unsigned *flags);

/* Absolute, lexically normalised path of `addr` relative to `dirfd` (AT_FDCWD: the cwd).
 * Sets FL_UNREADABLE / FL_TRUNCATED bits in *flags. out has PATH_BOUND + 1 bytes. */
void path_at(struct thread *t, int dirfd, uint64_t addr, char *out, unsigned *flags);
/* The path an open descriptor refers to, or "" when it cannot be read. */
void fd_path(struct thread *t, int fd, char *out);
/* The thread's working directory (cached per process when /proc refuses). */
void cwd_of(struct thread *t, char *out);

/* A sockaddr from tracee memory as text; returns the family or -1 when unreadable. */
int sockaddr_read(struct thread *t, uint64_t addr, uint64_t len, char *text, size_t text_size, int *port);

#endif
