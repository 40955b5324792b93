/* File decoders: opens (with access bits) and the FILE operations (unlink, rename, mkdir, ...). */
#include <fcntl.h>
#include <string.h>

#include "filter.h"
#include "mem.h"
#include "syscalls.h"
#include "tracer.h"

enum { ACC_READ = 1, ACC_WRITE = 2, ACC_CREATE = 4, ACC_TRUNC = 8, ACC_DIR = 16, ACC_APPEND = 32, ACC_EXCL = 64 };

#ifndef __O_TMPFILE
#define __O_TMPFILE 020000000
#endif

static int64_t access_bits(uint64_t flags)
{
	int64_t acc = 0;

	switch (flags & O_ACCMODE) {
	case O_RDONLY: acc |= ACC_READ; break;
	case O_WRONLY: acc |= ACC_WRITE; break;
	default: acc |= ACC_READ | ACC_WRITE; break;
	}
	if (flags & (O_CREAT | __O_TMPFILE))
		acc |= ACC_CREATE;
	if (flags & O_TRUNC)
		acc |= ACC_TRUNC;
	if (flags & O_DIRECTORY)
		acc |= ACC_DIR;
	if (flags & O_APPEND)
		acc |= ACC_APPEND;
	if (flags & O_EXCL)
		acc |= ACC_EXCL;
	return acc;
}

void open_describe(struct thread *t, long nr, const uint64_t *a, struct frame *f)
{
	char path[PATH_BOUND + 1];
	unsigned fl = 0;
	uint64_t flags = 0, mode = 0;

	switch (sysent_of(nr)->variant) {
	case V_OPEN:
		path_at(t, AT_FDCWD, a[0], path, &fl);
		flags = a[1];
		mode = a[2];
		break;
	case V_CREAT:
		path_at(t, AT_FDCWD, a[0], path, &fl);
		flags = O_CREAT | O_WRONLY | O_TRUNC;
		mode = a[1];
		break;
	case V_OPENAT:
		path_at(t, (int)a[0], a[1], path, &fl);
		flags = a[2];
		mode = a[3];
		break;
	case V_OPENAT2: {
		uint64_t how[2] = { 0, 0 }; /* struct open_how: flags, mode, resolve */

		path_at(t, (int)a[0], a[1], path, &fl);
		if (mem_read(t, a[2], how, sizeof(how)) != sizeof(how))
			fl |= FL_UNREADABLE;
		flags = how[0];
		mode = how[1];
		break;
	}
	}
	frame_flag(f, fl);
	frame_str(f, A_PATH, path);
	frame_int(f, A_ACCESS, access_bits(flags));
	if (flags & (O_CREAT | __O_TMPFILE))
		frame_int(f, A_MODEBITS, (int64_t)(mode & 07777));
}

/* A read-only open reports the attempt and skips its exit stop: the same calls the filter sends to
 * the notification fast path (filter_entry_only), so what is reported does not depend on the path. */
bool open_entry(struct thread *t)
{
	open_describe(t, t->call.nr, t->call.args, call_frame(t, F_OPEN));
	return !filter_entry_only(t->call.nr, t->call.args);
}

void open_exit(struct thread *t, int64_t rval)
{
	if (rval >= 0)
		socket_forget(t->proc, (int)rval); /* the number was free: any socket it named is closed */
	call_commit(t, rval);
}

static void add_path(struct thread *t, struct frame *f, enum attr_key key, int dfd_arg, int path_arg, bool raw)
{
	char path[PATH_BOUND + 1];
	unsigned fl = 0;
	int dfd = dfd_arg >= 0 ? (int)t->call.args[dfd_arg] : AT_FDCWD;

	if (raw) {
		mem_read_str(t, t->call.args[path_arg], path, sizeof(path), &fl);
	} else {
		path_at(t, dfd, t->call.args[path_arg], path, &fl);
	}
	frame_flag(f, fl);
	frame_str(f, key, path);
}

bool file_entry(struct thread *t)
{
	int variant = sysent_of(t->call.nr)->variant;
	const struct file_layout *l = &file_layouts[variant];
	uint64_t *a = t->call.args;
	const char *op = l->op;
	struct frame *f;

	if (l->flags >= 0 && variant == FV_UNLINKAT && (a[l->flags] & AT_REMOVEDIR))
		op = "rmdir";
	f = call_frame(t, F_FILE);
	frame_str(f, A_OP, op);
	if (l->fd >= 0) {
		char path[PATH_BOUND + 1];

		fd_path(t, (int)a[l->fd], path);
		frame_str(f, A_PATH, path);
		frame_int(f, A_FD, (int64_t)(int)a[l->fd]);
	} else {
		add_path(t, f, A_PATH, l->dfd, l->path, l->raw_path);
	}
	if (l->path2 >= 0)
		add_path(t, f, A_PATH2, l->dfd2, l->path2, false);
	if (l->mode >= 0)
		frame_int(f, A_MODEBITS, (int64_t)(a[l->mode] & 07777));
	if (l->uid >= 0)
		frame_int(f, A_UID, (int32_t)a[l->uid]);
	if (l->gid >= 0)
		frame_int(f, A_GID, (int32_t)a[l->gid]);
	return true;
}
