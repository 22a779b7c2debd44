/*
 * maildir.c - crash-safe Maildir delivery: the message is written to
 * tmp/ under a unique name created with O_EXCL, checked and fsync'd,
 * then hard-linked into new/ (or cur/) without ever overwriting, the
 * directory is fsync'd, and only then is the delivery reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "deliver-private.h"
#include "msg.h"

/* How often a name collision is retried before giving up. */
#define MAILDIR_NAME_TRIES 20
/* Messages are written in pieces of this size. */
#define MAILDIR_WRITE_CHUNK (1024 * 1024)

struct maildir_tx {
	char *dir;
	char *tmp_path;
	char *info; /* flag letters, or NULL for new/ */
};

/* IMAP system flags and their Maildir info letters. */
static const struct {
	const char *flag;
	char letter;
} maildir_flag_map[] = {
    {"\\Seen", 'S'},	{"\\Answered", 'R'}, {"\\Flagged", 'F'},
    {"\\Deleted", 'T'}, {"\\Draft", 'D'},
};

char *
maildir_flags_info(const char *const *flags)
{
	bool have[128] = {false};
	struct str s = STR_INIT;

	for (size_t i = 0; flags != NULL && flags[i] != NULL; i++)
		for (size_t j = 0; j < N_ELEMENTS(maildir_flag_map); j++)
			if (strcasecmp(flags[i], maildir_flag_map[j].flag) == 0)
				have[(unsigned char)maildir_flag_map[j]
					 .letter] = true;
	str_append(&s, "");
	/* the Maildir spec wants the letters in ASCII order */
	for (int c = 'A'; c <= 'Z'; c++)
		if (have[c])
			str_appendc(&s, (char)c);
	return str_steal(&s);
}

/* The host name with "/" and ":" escaped as the Maildir spec asks. */
static const char *
maildir_host(void)
{
	static char host[3 * 256 + 1];
	char raw[256];

	if (host[0] != '\0')
		return host;
	if (gethostname(raw, sizeof(raw)) < 0 || raw[0] == '\0')
		(void)snprintf(raw, sizeof(raw), "localhost");
	raw[sizeof(raw) - 1] = '\0';
	{
		size_t o = 0;

		for (const char *p = raw; *p != '\0'; p++) {
			if (*p == '/') {
				memcpy(host + o, "\\057", 4);
				o += 4;
			} else if (*p == ':') {
				memcpy(host + o, "\\072", 4);
				o += 4;
			} else {
				host[o++] = *p;
			}
			if (o > sizeof(host) - 5)
				break;
		}
		host[o] = '\0';
	}
	return host;
}

char *
maildir_unique_name(void)
{
	static unsigned int counter;
	struct timeval tv;

	(void)gettimeofday(&tv, NULL);
	/* time, microseconds, pid and a per-process counter: unique on
	   this host as long as pids are not reused within a microsecond */
	return xasprintf("%lld.M%06ldP%ldQ%u.%s", (long long)tv.tv_sec,
			 (long)tv.tv_usec, (long)getpid(), ++counter,
			 maildir_host());
}

static int
maildir_mkdir(const char *path, bool *created_r, const char **error_r)
{
	if (mkdir(path, 0700) == 0) {
		*created_r = true;
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	*error_r = deliver_error(true, "mkdir %s", path);
	return -1;
}

/* Creates dir/tmp, dir/new, dir/cur (dir itself must exist); fsyncs dir
   when anything was created. */
static int
maildir_create_subdirs(const char *dir, bool *created_r, const char **error_r)
{
	static const char *const subs[] = {"tmp", "new", "cur"};
	bool created = false;

	for (size_t i = 0; i < N_ELEMENTS(subs); i++) {
		char *p = xasprintf("%s/%s", dir, subs[i]);
		int r = maildir_mkdir(p, &created, error_r);

		free(p);
		if (r < 0)
			return -1;
	}
	if (created && path_fsync_dir(dir) < 0) {
		*error_r = deliver_error(true, "fsync %s", dir);
		return -1;
	}
	*created_r = *created_r || created;
	return 0;
}

/* True when the last component of dir names a Maildir++ folder. */
static bool
maildir_is_subfolder(const char *dir, char **parent_r)
{
	const char *slash = strrchr(dir, '/');
	const char *base = slash != NULL ? slash + 1 : dir;

	if (base[0] != '.' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return false;
	*parent_r = slash == NULL  ? xstrdup(".")
		    : slash == dir ? xstrdup("/")
				   : xstrndup(dir, (size_t)(slash - dir));
	return true;
}

int
maildir_create(const char *dir, const char **error_r)
{
	char *parent = NULL;
	bool created = false;
	int fd;
	size_t len = strlen(dir);

	if (len > 1 && dir[len - 1] == '/') {
		/* "Maildir/" is "Maildir" */
		char *trimmed = xstrdup(dir);
		int r;

		while (len > 1 && trimmed[len - 1] == '/')
			trimmed[--len] = '\0';
		r = maildir_create(trimmed, error_r);
		free(trimmed);
		return r;
	}
	if (maildir_is_subfolder(dir, &parent)) {
		/* the root of a Maildir++ folder is a Maildir too */
		if (maildir_create(parent, error_r) < 0) {
			free(parent);
			return -1;
		}
	}
	if (path_mkdirs(dir, 0700) < 0) {
		*error_r = deliver_error(true, "mkdir %s", dir);
		free(parent);
		return -1;
	}
	if (maildir_create_subdirs(dir, &created, error_r) < 0) {
		free(parent);
		return -1;
	}
	if (parent != NULL) {
		char *mf = xasprintf("%s/maildirfolder", dir);

		fd = open(mf, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0 || close(fd) < 0) {
			*error_r = deliver_error(true, "create %s", mf);
			free(mf);
			free(parent);
			return -1;
		}
		free(mf);
		/* make the new folder's own entry durable */
		if (created && path_fsync_dir(parent) < 0) {
			*error_r = deliver_error(true, "fsync %s", parent);
			free(parent);
			return -1;
		}
	} else if (created) {
		/* a new root: sync the directory that holds it */
		char *copy = xstrdup(dir);
		char *slash = strrchr(copy, '/');
		const char *up = slash == NULL	 ? "."
				 : slash == copy ? "/"
						 : copy;

		if (slash != NULL && slash != copy)
			*slash = '\0';
		if (path_fsync_dir(up) < 0 && errno != EACCES) {
			*error_r = deliver_error(true, "fsync %s", up);
			free(copy);
			return -1;
		}
		free(copy);
	}
	free(parent);
	return 0;
}

/* Opens a new file in dir/tmp with O_EXCL; creates the Maildir on
   ENOENT. */
static int
maildir_open_tmp(const char *dir, char **path_r, const char **error_r)
{
	bool tried_create = false;

	for (int tries = 0; tries < MAILDIR_NAME_TRIES; tries++) {
		char *name = maildir_unique_name();
		char *path = xasprintf("%s/tmp/%s", dir, name);
		int fd;

		free(name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			*path_r = path;
			return fd;
		}
		if (errno == ENOENT && !tried_create) {
			free(path);
			tried_create = true;
			if (maildir_create(dir, error_r) < 0)
				return -1;
			tries--;
			continue;
		}
		if (errno != EEXIST) {
			*error_r = deliver_error(true, "create %s", path);
			free(path);
			return -1;
		}
		free(path);
	}
	errno = EEXIST;
	*error_r = deliver_error(false, "no unique name in %s/tmp", dir);
	return -1;
}

static int
maildir_write(int fd, const char *path, const char *data, size_t len,
	      const char **error_r)
{
	while (len > 0) {
		size_t n =
		    len < MAILDIR_WRITE_CHUNK ? len : MAILDIR_WRITE_CHUNK;

		if (write_full(fd, data, n) < 0) {
			*error_r = deliver_error(true, "write %s", path);
			return -1;
		}
		data += n;
		len -= n;
	}
	if (fsync(fd) < 0) {
		*error_r = deliver_error(true, "fsync %s", path);
		return -1;
	}
	return 0;
}

int
maildir_begin(const char *dir, const struct msg *msg, const char *const *flags,
	      struct maildir_tx **tx_r, const char **error_r)
{
	struct deliver_signals ds;
	struct maildir_tx *tx;
	const char *data;
	size_t len;
	char *path = NULL;
	int fd, r;

	deliver_signals_hold(&ds);
	fd = maildir_open_tmp(dir, &path, error_r);
	if (fd < 0) {
		deliver_signals_restore(&ds);
		return -1;
	}
	data = msg_data(msg, &len);
	r = maildir_write(fd, path, data, len, error_r);
	if (close(fd) < 0 && r == 0) {
		*error_r = deliver_error(true, "close %s", path);
		r = -1;
	}
	if (r == 0 && deliver_signals_pending()) {
		/* we die when the held-back signal is let through: leave no
		   tmp/ file behind */
		errno = EINTR;
		*error_r = deliver_error(false, "interrupted by a signal");
		r = -1;
	}
	if (r < 0) {
		int e = errno;

		(void)unlink(path);
		free(path);
		deliver_signals_restore(&ds);
		errno = e;
		return -1;
	}
	deliver_signals_restore(&ds);
	tx = xcalloc(1, sizeof(*tx));
	tx->dir = xstrdup(dir);
	tx->tmp_path = path;
	if (flags != NULL && flags[0] != NULL) {
		tx->info = maildir_flags_info(flags);
		if (tx->info[0] == '\0')
			xfree(tx->info); /* keywords only: nothing to say */
	}
	*tx_r = tx;
	return 0;
}

/* Moves tmp into place without overwriting: link(), or rename with
   RENAME_NOREPLACE on file systems without hard links. Returns 0, or
   -1 with errno (EEXIST: choose another name). */
static int
maildir_move(const char *from, const char *to)
{
	if (link(from, to) == 0)
		return 0;
	if (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP ||
	    errno == EMLINK)
		return renameat2(AT_FDCWD, from, AT_FDCWD, to,
				 RENAME_NOREPLACE);
	return -1;
}

int
maildir_commit(struct maildir_tx **txp, char **path_r, const char **error_r)
{
	struct maildir_tx *tx = *txp;
	const char *sub = tx->info != NULL ? "cur" : "new";
	char *subdir = xasprintf("%s/%s", tx->dir, sub);
	char *dest = NULL;
	int r = -1;

	bool tried_create = false;

	for (int tries = 0; tries < MAILDIR_NAME_TRIES; tries++) {
		/* the tmp/ name first, as is customary; a fresh one when
		   that is taken */
		const char *base = strrchr(tx->tmp_path, '/') + 1;
		char *name = tries == 0 ? xstrdup(base) : maildir_unique_name();

		free(dest);
		dest = tx->info != NULL
			   ? xasprintf("%s/%s:2,%s", subdir, name, tx->info)
			   : xasprintf("%s/%s", subdir, name);
		free(name);
		r = maildir_move(tx->tmp_path, dest);
		if (r < 0 && errno == ENOENT && !tried_create) {
			/* new/ or cur/ went missing: make it again */
			tried_create = true;
			if (maildir_create(tx->dir, error_r) < 0)
				goto out;
			tries--;
			continue;
		}
		if (r == 0 || errno != EEXIST)
			break;
	}
	if (r < 0) {
		*error_r =
		    deliver_error(true, "link %s to %s", tx->tmp_path, dest);
		goto out;
	}
	if (path_fsync_dir(subdir) < 0) {
		/* not known to be durable: take it back so the MTA's retry
		   does not make a duplicate */
		*error_r = deliver_error(true, "fsync %s", subdir);
		{
			int e = errno;
			(void)unlink(dest);
			errno = e;
		}
		r = -1;
		goto out;
	}
	/* a tmp/ leftover is harmless; the message is delivered */
	(void)unlink(tx->tmp_path);
	xfree(tx->tmp_path);
	if (path_r != NULL) {
		*path_r = dest;
		dest = NULL;
	}
out:
	free(dest);
	free(subdir);
	if (r < 0) {
		int e = errno;
		maildir_abort(txp);
		errno = e;
	} else {
		maildir_abort(txp);
	}
	return r;
}

void
maildir_abort(struct maildir_tx **txp)
{
	struct maildir_tx *tx = *txp;
	int e = errno;

	if (tx == NULL)
		return;
	if (tx->tmp_path != NULL)
		(void)unlink(tx->tmp_path);
	free(tx->tmp_path);
	free(tx->dir);
	free(tx->info);
	free(tx);
	*txp = NULL;
	errno = e;
}

int
maildir_deliver(const char *dir, const struct msg *msg,
		const char *const *flags, char **path_r, const char **error_r)
{
	struct maildir_tx *tx;

	if (maildir_begin(dir, msg, flags, &tx, error_r) < 0)
		return -1;
	return maildir_commit(&tx, path_r, error_r);
}
