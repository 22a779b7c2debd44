/*
 * mbox.c - appending to an mbox file: a dotlock and an fcntl lock, the
 * From_ separator line, mboxrd quoting, fsync, and truncation back to
 * the original length when anything fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "deliver-private.h"
#include "msg.h"

/* A dotlock older than this is left over by a crashed program. */
#define MBOX_DOTLOCK_STALE 300
/* Output is gathered in a buffer of this size; longer stretches of the
   message are written straight from the message buffer. */
#define MBOX_BUF_SIZE 65536

struct mbox_out {
	int fd;
	const char *path;
	char buf[MBOX_BUF_SIZE];
	size_t len;
	const char *error;
};

static int
mbox_flush(struct mbox_out *out)
{
	if (out->len == 0)
		return 0;
	if (write_full(out->fd, out->buf, out->len) < 0) {
		out->error = deliver_error(true, "write %s", out->path);
		return -1;
	}
	out->len = 0;
	return 0;
}

static int
mbox_put(struct mbox_out *out, const char *p, size_t n)
{
	if (out->len + n <= sizeof(out->buf)) {
		memcpy(out->buf + out->len, p, n);
		out->len += n;
		return 0;
	}
	if (mbox_flush(out) < 0)
		return -1;
	if (n < sizeof(out->buf) / 2) {
		memcpy(out->buf, p, n);
		out->len = n;
		return 0;
	}
	/* a long stretch: write it in place, in pieces */
	while (n > 0) {
		size_t k = n < 1024 * 1024 ? n : 1024 * 1024;

		if (write_full(out->fd, p, k) < 0) {
			out->error = deliver_error(true, "write %s", out->path);
			return -1;
		}
		p += k;
		n -= k;
	}
	return 0;
}

/* Sleeps a little, longer the longer we have waited (10 to 200 ms). */
static void
mbox_lock_pause(unsigned int round)
{
	long ms = 10L * (round < 20 ? round + 1 : 20);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	/* spread waiters apart a little so they do not retry in step */
	ts.tv_nsec += (long)(getpid() % 7) * 1000000L;
	(void)nanosleep(&ts, NULL);
}

static bool
mbox_deadline_passed(uint64_t deadline)
{
	return clock_monotonic_ms() >= deadline;
}

/* Takes path.lock. Returns 1 when taken, 0 when the directory does not
   let us create it (we rely on the fcntl lock alone then), -1 on error
   or timeout. */
static int
mbox_dotlock(const char *lock, uint64_t deadline, const char **error_r)
{
	for (unsigned int round = 0;; round++) {
		int fd =
		    open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		struct stat st;

		if (fd >= 0) {
			char pid[32];
			int n =
			    snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());

			/* the pid is informative only; an empty lock works */
			(void)write_full(fd, pid, (size_t)n);
			if (close(fd) < 0) {
				*error_r =
				    deliver_error(true, "close %s", lock);
				(void)unlink(lock);
				return -1;
			}
			return 1;
		}
		if (errno == EACCES || errno == EROFS)
			return 0; /* e.g. /var/mail without group mail */
		if (errno != EEXIST) {
			*error_r = deliver_error(true, "create %s", lock);
			return -1;
		}
		if (stat(lock, &st) == 0 &&
		    time(NULL) - st.st_mtime > MBOX_DOTLOCK_STALE) {
			/* left over by a crash: break it */
			if (unlink(lock) == 0 || errno == ENOENT)
				continue;
		}
		if (mbox_deadline_passed(deadline)) {
			errno = EAGAIN;
			*error_r = deliver_error(false,
						 "timed out waiting "
						 "for %s",
						 lock);
			return -1;
		}
		mbox_lock_pause(round);
	}
}

static int
mbox_fcntl_lock(int fd, const char *path, uint64_t deadline,
		const char **error_r)
{
	struct flock fl;

	for (unsigned int round = 0;; round++) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN && errno != EINTR) {
			*error_r = deliver_error(true, "lock %s", path);
			return -1;
		}
		if (mbox_deadline_passed(deadline)) {
			errno = EAGAIN;
			*error_r = deliver_error(false,
						 "timed out waiting "
						 "for the lock on %s",
						 path);
			return -1;
		}
		mbox_lock_pause(round);
	}
}

/* The From_ line: "From sender Mon Nov 23 17:00:00 2026". Spaces and
   control characters in the sender would break the line; they become
   "_". */
char *
mbox_from_line(const struct msg *msg)
{
	const char *own, *sender;
	size_t len;
	struct str s = STR_INIT;
	char date[64];
	struct tm tm;
	time_t now;

	own = msg_from_line(msg, &len);
	if (own != NULL) {
		/* kept as it came, except that a NUL would end the line
		   early: it becomes "_" */
		for (size_t i = 0; i < len; i++)
			str_appendc(&s, own[i] == '\0' ? '_' : own[i]);
		str_appendc(&s, '\n');
		return str_steal(&s);
	}
	sender = msg_envelope_from(msg);
	if (sender == NULL || *sender == '\0')
		sender = "MAILER-DAEMON";
	str_append(&s, "From ");
	for (const char *p = sender; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		str_appendc(&s, c <= ' ' || c == 0x7f ? '_' : (char)c);
	}
	now = clock_now();
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm) == 0)
		(void)snprintf(date, sizeof(date), "Thu Jan  1 00:00:00 1970");
	str_printf(&s, " %s\n", date);
	return str_steal(&s);
}

/* True when the line at p (n bytes available) matches ^>*From . */
static bool
mbox_needs_quote(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] == '>')
		i++;
	return n - i >= 5 && memcmp(p + i, "From ", 5) == 0;
}

/* Writes the From_ line, the message in mboxrd form, the final newline
   and the separating blank line. */
static int
mbox_write_msg(struct mbox_out *out, const struct msg *msg, off_t size)
{
	const char *data, *p, *end, *start;
	size_t len;
	char *from;
	int r;

	if (size > 0) {
		char tail[2] = {'\n', '\n'};
		ssize_t n = size >= 2 ? pread(out->fd, tail, 2, size - 2)
				      : pread(out->fd, tail + 1, 1, size - 1);

		if (n < 0) {
			out->error = deliver_error(true, "read %s", out->path);
			return -1;
		}
		/* the previous message must end in a newline and a blank
		   line, or our From_ line is not a separator */
		if (tail[1] != '\n') {
			if (mbox_put(out, "\n\n", 2) < 0)
				return -1;
		} else if (tail[0] != '\n' && size >= 2) {
			if (mbox_put(out, "\n", 1) < 0)
				return -1;
		}
	}
	from = mbox_from_line(msg);
	r = mbox_put(out, from, strlen(from));
	free(from);
	if (r < 0)
		return -1;

	data = msg_data(msg, &len);
	end = data + len;
	start = p = data;
	while (p < end) {
		const char *nl;

		if (mbox_needs_quote(p, (size_t)(end - p))) {
			if (mbox_put(out, start, (size_t)(p - start)) < 0 ||
			    mbox_put(out, ">", 1) < 0)
				return -1;
			start = p;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (mbox_put(out, start, (size_t)(end - start)) < 0)
		return -1;
	if (len > 0 && data[len - 1] != '\n' && mbox_put(out, "\n", 1) < 0)
		return -1;
	if (mbox_put(out, "\n", 1) < 0 || mbox_flush(out) < 0)
		return -1;
	return 0;
}

int
mbox_deliver(const char *path, const struct msg *msg, long lock_timeout,
	     const char **error_r)
{
	struct deliver_signals ds;
	struct mbox_out *out = NULL;
	char *lock = xasprintf("%s.lock", path);
	uint64_t deadline;
	struct stat st;
	int fd = -1, dotlocked = 0, r = -1;
	off_t size = 0;
	bool written = false;

	if (lock_timeout < 0)
		lock_timeout = 0;
	deadline = clock_monotonic_ms() + (uint64_t)lock_timeout * 1000;
	deliver_signals_hold(&ds);

	dotlocked = mbox_dotlock(lock, deadline, error_r);
	if (dotlocked < 0)
		goto out;
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
		  0600);
	if (fd < 0) {
		*error_r = deliver_error(true, "open %s", path);
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		*error_r = deliver_error(true, "stat %s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		*error_r =
		    deliver_error(false, "%s is not a regular file", path);
		goto out;
	}
	if (mbox_fcntl_lock(fd, path, deadline, error_r) < 0)
		goto out;
	/* the size under the lock is the length to go back to */
	if (fstat(fd, &st) < 0) {
		*error_r = deliver_error(true, "stat %s", path);
		goto out;
	}
	size = st.st_size;
	written = true;
	out = xmalloc(sizeof(*out));
	out->fd = fd;
	out->path = path;
	out->len = 0;
	out->error = NULL;
	if (mbox_write_msg(out, msg, size) < 0) {
		*error_r = out->error;
		goto out;
	}
	if (fsync(fd) < 0) {
		*error_r = deliver_error(true, "fsync %s", path);
		goto out;
	}
	/* close a duplicate first: a file system that reports write
	   errors only at close (NFS) does so now, while we can still
	   truncate through fd */
	{
		int fd2 = dup(fd);

		if (fd2 < 0 || close(fd2) < 0) {
			*error_r = deliver_error(true, "close %s", path);
			goto out;
		}
	}
	/* a SIGTERM (say, from the MTA's timeout) held back during the
	   append kills us as soon as it is let through, before we can
	   report success: take the message back so the MTA's retry does
	   not store it twice */
	if (deliver_signals_pending()) {
		errno = EINTR;
		*error_r = deliver_error(false,
					 "interrupted by a signal while "
					 "appending to %s",
					 path);
		goto out;
	}
	r = 0;
out:
	if (r < 0 && written) {
		int e = errno;

		/* take back whatever part of the message was written */
		if (ftruncate(fd, size) == 0)
			(void)fsync(fd);
		errno = e;
	}
	free(out);
	/* after fsync and the checked close above the message is stored;
	   this close only drops the lock */
	if (fd >= 0)
		(void)close(fd);
	if (dotlocked > 0) {
		int e = errno;
		(void)unlink(lock);
		errno = e;
	}
	free(lock);
	deliver_signals_restore(&ds);
	return r;
}
