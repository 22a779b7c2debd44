/*
 * pm-deliver.c - delivering as procmail delivers: mbox files (From_
 * line kept, body "From " lines quoted with '>', a blank line made sure
 * of at the end), Maildir (no From_ line, bytes as received), MH
 * folders ("dir/.", next number), plain directories (MSGPREFIX and a
 * unique suffix), several directory folders on one line as hard links;
 * running programs with the message on standard input; dotlocks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pm-private.h"

static bool
from_line_present(const struct str *msg)
{
	return msg->len >= 5 && memcmp(msg->s, "From ", 5) == 0;
}

/* What mbox, MH, plain directories and pipes get: the message, plus the
   newline that makes it end in a blank line (one at most). */
static void
with_blank(const struct pm_state *st, struct str *out, bool quote_from)
{
	const char *s = st->msg.s;
	size_t len = st->msg.len, first = 0;

	if (!quote_from)
		str_append_n(out, s, len);
	else {
		/* As procmail: every line that starts with "From " is
		   quoted but the first one after any leading empty lines
		   (the From_ line), in the header too (a "From " line
		   ends it), whatever the line ends with (CRLF too). */
		while (first < len && s[first] == '\n')
			first++;
		for (size_t i = 0; i < len;) {
			const char *nl = memchr(s + i, '\n', len - i);
			size_t e = nl != NULL ? (size_t)(nl - s) + 1 : len;

			if (i != first && e - i >= 5 &&
			    memcmp(s + i, "From ", 5) == 0)
				str_appendc(out, '>');
			str_append_n(out, s + i, e - i);
			i = e;
		}
	}
	if (st->raw)
		return;
	if (len == 0 || s[len - 1] != '\n' || len < 2 || s[len - 2] != '\n')
		str_appendc(out, '\n');
}

static int
write_all_fd(int fd, const char *s, size_t len)
{
	return write_full(fd, s, len);
}

/* The lock is made by linking a temporary file procmail names
   "_" + 3 + 1 + 5 characters + "." + host, next to the lock. */
static void
lock_trace_failure(struct pm_state *st, const char *path)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
				  "QRSTUVWXYZ0123456789-_";
	static const char sep[] = ".,+%";
	const char *slash = strrchr(path, '/');
	char name[16];
	unsigned long v = (unsigned long)time(NULL) ^
			  ((unsigned long)getpid() << 12) ^
			  (unsigned long)rand();

	if (!st->verbose)
		return;
	name[0] = '_';
	for (int i = 1; i < 10; i++, v /= 64)
		name[i] = i == 4 ? sep[v % 4] : set[v % 64];
	name[10] = '\0';
	pm_trace(st, "procmail: Error while writing to \"%.*s%s.%s\"\n",
		 slash != NULL ? (int)(slash - path + 1) : 0, path, name,
		 st->hostname);
}

int
pm_lock(struct pm_state *st, const char *path)
{
	const char *v = pm_getenv(st, "LOCKSLEEP");
	long sleep_s = v != NULL && *v ? atol(v) : 8;
	v = pm_getenv(st, "LOCKTIMEOUT");
	long timeout = v != NULL && *v ? atol(v) : 1024;
	time_t start = time(NULL);
	int failures = 0;

	pm_trace(st, "procmail: Locking \"%s\"\n", path);
	for (;;) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0444);
		struct stat sb;

		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (errno != EEXIST) {
			/* the lock cannot be made at all (no directory, no
			   permission): procmail tries PM_LOCK_TRIES times,
			   LOCKSLEEP apart, whatever LOCKTIMEOUT says, tracing
			   the temporary file it could not write */
			lock_trace_failure(st, path);
			if (++failures >= PM_LOCK_TRIES)
				return -1;
			if (sleep_s > 0) {
				sleep((unsigned)sleep_s);
				pm_trace_stamp(st);
			}
			pm_trace(st, "procmail: Locking \"%s\"\n", path);
			continue;
		}
		if (timeout > 0 && stat(path, &sb) == 0 &&
		    time(NULL) - sb.st_mtime > timeout) {
			unlink(path);
			continue;
		}
		if (time(NULL) - start > (timeout > 0 ? timeout : 1024))
			return -1;
		sleep((unsigned)(sleep_s > 0 ? sleep_s : 1));
	}
}

void
pm_unlock(struct pm_state *st, const char *path)
{
	pm_trace(st, "procmail: Unlocking \"%s\"\n", path);
	unlink(path);
}

static int
deliver_mbox(struct pm_state *st, const char *path, size_t *written_r)
{
	struct str out = STR_INIT;
	int fd, r = 0;
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	off_t orig;

	with_blank(st, &out, true);
	pm_trace(st, "procmail: Assigning \"LASTFOLDER=%s\"\n", path);
	pm_trace(st, "procmail: Opening \"%s\"\n", path);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd < 0) {
		str_free(&out);
		return -1;
	}
	{
		struct stat sb;

		/* devices like /dev/null get no kernel lock, and no
		   blank line is added for them */
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
			pm_trace(st, "procmail: Acquiring kernel-lock\n");
		else if (!st->raw) {
			bool raw = st->raw;

			str_free(&out);
			st->raw = true;
			with_blank(st, &out, true);
			st->raw = raw;
		}
	}
	(void)fcntl(fd, F_SETLKW, &fl);
	orig = lseek(fd, 0, SEEK_END);
	st->last_offset = orig >= 0 ? (long)orig : 0;
	if (write_all_fd(fd, out.s, out.len) < 0) {
		if (orig >= 0 && ftruncate(fd, orig) < 0) {
			/* nothing more we can do */
		}
		r = -1;
	}
	if (close(fd) < 0)
		r = -1;
	*written_r = out.len;
	str_free(&out);
	return r;
}

static int
write_new_file(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0)
		return -1;
	if (write_all_fd(fd, s, len) < 0 || fsync(fd) < 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd);
}

static unsigned long maildir_seq;

static int
deliver_maildir(struct pm_state *st, const char *dir, char **name_r,
		size_t *written_r)
{
	const char *s = st->msg.s;
	size_t len = st->msg.len;
	char *tmp, *new;
	struct timespec ts;

	if (from_line_present(&st->msg)) {
		const char *nl = memchr(s, '\n', len);

		len -= nl != NULL ? (size_t)(nl - s) + 1 : len;
		s = nl != NULL ? nl + 1 : s + st->msg.len;
	}
	for (const char *sub = "tmp\0new\0cur\0"; *sub; sub += 4) {
		char *p = xasprintf("%s/%s", dir, sub);

		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			if (strcmp(sub, "tmp") == 0 && mkdir(dir, 0700) == 0) {
				free(p);
				sub -= 4;
				continue;
			}
			free(p);
			return -1;
		}
		free(p);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	for (int tries = 0;; tries++) {
		char *base =
		    xasprintf("%lld.M%ldP%dQ%lu.%s", (long long)ts.tv_sec,
			      ts.tv_nsec / 1000, (int)getpid(), ++maildir_seq,
			      st->hostname);

		tmp = xasprintf("%s/tmp/%s", dir, base);
		new = xasprintf("%s/new/%s", dir, base);
		free(base);
		if (write_new_file(tmp, s, len) == 0)
			break;
		free(tmp);
		free(new);
		if (errno != EEXIST || tries > 10)
			return -1;
	}
	if (link(tmp, new) < 0) {
		unlink(tmp);
		free(tmp);
		free(new);
		return -1;
	}
	unlink(tmp);
	free(tmp);
	*name_r = new;
	*written_r = len;
	return 0;
}

static int
next_mh_number(const char *dir, long *n_r)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long max = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (*end == '\0' && end != de->d_name && v > max)
			max = v;
	}
	closedir(d);
	*n_r = max + 1;
	return 0;
}

/* A new file in a directory folder: MH numbers or MSGPREFIX names. */
static char *
dir_new_file(struct pm_state *st, const char *dir, bool mh, const char *data,
	     size_t len)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
				    "klmnopqrstuvwxyz0123456789";

	for (int tries = 0; tries < 1000; tries++) {
		char *p;

		if (mh) {
			long n;

			if (next_mh_number(dir, &n) < 0)
				return NULL;
			p = xasprintf("%s/%ld", dir, n);
		} else {
			const char *pre = pm_getenv(st, "MSGPREFIX");
			unsigned long r = (unsigned long)getpid() * 7919u +
					  (unsigned long)time(NULL) +
					  (unsigned long)tries * 104729u;
			char sfx[5];

			for (int i = 0; i < 4; i++, r /= 62)
				sfx[i] = alnum[r % 62];
			sfx[4] = '\0';
			p = xasprintf("%s/%s%s", dir, pre ? pre : "", sfx);
		}
		if (write_new_file(p, data, len) == 0)
			return p;
		free(p);
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
}

static bool
is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The folder's kind and its directory name (without the marker). */
enum fkind { F_MBOX, F_MAILDIR, F_MH, F_DIR };

static enum fkind
folder_kind(const char *f, char **dir_r)
{
	size_t n = strlen(f);

	if (n >= 2 && f[n - 1] == '.' && f[n - 2] == '/') {
		*dir_r = xstrndup(f, n - 2);
		return F_MH;
	}
	if (n >= 1 && f[n - 1] == '/') {
		while (n > 1 && f[n - 1] == '/')
			n--;
		*dir_r = xstrndup(f, n);
		return F_MAILDIR;
	}
	*dir_r = xstrdup(f);
	return is_dir(f) ? F_DIR : F_MBOX;
}

/* The folders after the first on a line get hard links to the file
   delivered (first), each as its kind says: a Maildir its new/ (made
   when missing), an MH folder its next number, any other name a plain
   directory (made when missing) with a MSGPREFIX name; appended to
   logname, as procmail does. */
static void
link_others(struct pm_state *st, const char *first,
	    const struct strlist *folders, struct str *logname)
{
	for (size_t i = 1; i < folders->n; i++) {
		char *d2 = NULL, *p = NULL;
		enum fkind k2 = folder_kind(folders->v[i], &d2);

		if (k2 == F_MAILDIR) {
			struct timespec ts;

			for (const char *sub = "tmp\0new\0cur\0"; *sub;
			     sub += 4) {
				char *sd = xasprintf("%s/%s", d2, sub);

				(void)mkdir(d2, 0700);
				(void)mkdir(sd, 0700);
				free(sd);
			}
			clock_gettime(CLOCK_REALTIME, &ts);
			p = xasprintf("%s/new/%lld.M%ldP%dQ%lu.%s", d2,
				      (long long)ts.tv_sec, ts.tv_nsec / 1000,
				      (int)getpid(), ++maildir_seq,
				      st->hostname);
		} else {
			if (!is_dir(d2))
				(void)mkdir(d2, 0700);
			p = dir_new_file(st, d2, k2 == F_MH, "", 0);
			if (p != NULL)
				unlink(p);
		}
		if (p != NULL) {
			pm_trace(st, "procmail: Linking to \"%s\"\n", p);
			if (link(first, p) == 0) {
				str_append(logname, " ");
				str_append(logname, p);
			}
			free(p);
		}
		free(d2);
	}
}

int
pm_deliver_folders(struct pm_state *st, struct strlist *folders, bool lock,
		   const char *lockfile, bool copy, char **logname_r,
		   size_t *written_r)
{
	struct str logname = STR_INIT;
	char *first = NULL, *dir = NULL, *lockpath = NULL;
	int r = -1;
	enum fkind k = folder_kind(folders->v[0], &dir);

	str_append(&logname, "");
	*written_r = 0;
	st->last_offset = 0;
	if (lock) {
		if (lockfile != NULL)
			lockpath = xstrdup(lockfile);
		else if (k == F_MBOX) {
			const char *ext = pm_getenv(st, "LOCKEXT");
			lockpath = xasprintf("%s%s", dir, ext ? ext : ".lock");
		}
		if (lockpath != NULL && pm_lock(st, lockpath) < 0) {
			pm_log(st, "procmail: Lock failure on \"%s\"\n",
			       lockpath);
			free(lockpath);
			lockpath = NULL;
		}
	}
	if (k == F_MBOX && folders->n > 1) {
		/* one mbox takes no other folders: procmail names the rest
		   as skipped */
		struct str rest = STR_INIT;

		for (size_t i = 1; i < folders->n; i++) {
			if (i > 1)
				str_appendc(&rest, ' ');
			str_append(&rest, folders->v[i]);
		}
		pm_log(st, "procmail: Skipped \"%s\"\n", str_c(&rest));
		str_free(&rest);
	}
	if (k == F_MBOX) {
		if (deliver_mbox(st, dir, written_r) == 0) {
			str_append(&logname, dir);
			r = 0;
		}
	} else if (k == F_MAILDIR) {
		if (deliver_maildir(st, dir, &first, written_r) == 0) {
			pm_trace(st, "procmail: Assigning \"LASTFOLDER=%s\"\n",
				 first);
			str_append(&logname, first);
			r = 0;
			link_others(st, first, folders, &logname);
		} else {
			/* procmail then tries the name as a file */
			pm_log(st,
			       "procmail: Unable to treat as directory "
			       "\"%s\"\n",
			       dir);
			pm_trace(st, "procmail: Assigning \"LASTFOLDER=%s\"\n",
				 dir);
			pm_trace(st, "procmail: Opening \"%s\"\n", dir);
		}
	} else {
		struct str data = STR_INIT;

		with_blank(st, &data, false);
		if (k == F_MH && !is_dir(dir))
			(void)mkdir(dir, 0700);
		first = dir_new_file(st, dir, k == F_MH, data.s, data.len);
		if (first != NULL) {
			pm_trace(st, "procmail: Assigning \"LASTFOLDER=%s\"\n",
				 first);
			pm_trace(st, "procmail: Opening \"%s\"\n", first);
			pm_trace(st, "procmail: Acquiring kernel-lock\n");
			str_append(&logname, first);
			*written_r = data.len;
			r = 0;
			/* the other folders get hard links */
			link_others(st, first, folders, &logname);
		}
		str_free(&data);
	}
	/* a copy's abstract comes before its lock goes */
	if (r == 0 && copy)
		pm_log_abstract(st, str_c(&logname), *written_r);
	if (lockpath != NULL) {
		pm_unlock(st, lockpath);
		free(lockpath);
	}
	free(dir);
	free(first);
	if (r == 0)
		*logname_r = str_steal(&logname);
	else
		str_free(&logname);
	return r;
}

bool
pm_has_meta(struct pm_state *st, const char *cmd)
{
	const char *metas = pm_getenv(st, "SHELLMETAS");

	size_t sp = strspn(cmd, " \t\n");

	/* procmail hands a command starting with "test" to the shell */
	if (strncmp(cmd + sp, "test", 4) == 0 &&
	    (cmd[sp + 4] == '\0' || strchr(" \t\n", cmd[sp + 4]) != NULL))
		return true;
	if (metas == NULL)
		return false;
	return strpbrk(cmd, metas) != NULL;
}

/* Splits a command into words with '' and "" quoting (no shell). */
static void
split_words(const char *s, struct strlist *words)
{
	struct str w = STR_INIT;
	bool in = false;

	for (;;) {
		char c = *s;

		if (c == '\0' || c == ' ' || c == '\t' || c == '\n') {
			if (in) {
				str_append(&w, "");
				strlist_add_owned(words, str_steal(&w));
				in = false;
			}
			if (c == '\0')
				break;
			s++;
			continue;
		}
		in = true;
		if (c == '\'' || c == '"') {
			const char *e = strchr(s + 1, c);

			if (e == NULL)
				e = s + strlen(s);
			str_append_n(&w, s + 1, (size_t)(e - s - 1));
			s = *e ? e + 1 : e;
			continue;
		}
		if (c == '\\' && s[1] != '\0') {
			if (s[1] != '\n')
				str_appendc(&w, s[1]);
			s += 2;
			continue;
		}
		str_appendc(&w, c);
		s++;
	}
	str_free(&w);
}

static volatile sig_atomic_t alarm_rang;
static volatile pid_t alarm_pid;

static void
on_alarm(int sig)
{
	(void)sig;
	alarm_rang = 1;
	if (alarm_pid > 0)
		kill(alarm_pid, SIGTERM);
}

/* TIMEOUT: procmail terminates a program that runs longer. */
static void
timeout_start(struct pm_state *st, pid_t pid, struct sigaction *old)
{
	struct sigaction sa = {.sa_handler = on_alarm};

	alarm_rang = 0;
	alarm_pid = pid;
	if (st->timeout <= 0)
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, old);
	alarm((unsigned)st->timeout);
}

static int
wait_timeout(struct pm_state *st, pid_t pid, const char *name, int *status,
	     struct sigaction *old)
{
	int r = 0;

	while (waitpid(pid, status, 0) != pid)
		if (errno != EINTR) {
			r = -1;
			break;
		}
	if (st->timeout > 0) {
		alarm(0);
		sigaction(SIGALRM, old, NULL);
	}
	alarm_pid = 0;
	st->timed_out = alarm_rang != 0;
	if (st->timed_out)
		pm_log(st, "procmail: Timeout, terminating \"%s\"\n", name);
	return r;
}

int
pm_run_program(struct pm_state *st, const char *cmd, const char *data,
	       size_t len, struct str *out)
{
	int in[2], outp[2] = {-1, -1}, status;
	pid_t pid;
	struct strlist argv = {0};
	bool shell = st->force_shell || pm_has_meta(st, cmd);
	bool nowait = st->nowait;
	char *argv0 = NULL;
	struct sigaction oldsa;
	int go[2] = {-1, -1};

	st->nowait = false;
	st->force_shell = false;
	if (shell) {
		const char *sh = pm_getenv(st, "SHELL");
		const char *fl = pm_getenv(st, "SHELLFLAGS");

		strlist_add(&argv, sh && *sh ? sh : "/bin/sh");
		if (fl == NULL)
			fl = "-c";
		split_words(fl, &argv);
		strlist_add(&argv, cmd);
	} else
		split_words(cmd, &argv);
	if (argv.n == 0) {
		strlist_free(&argv);
		return -1;
	}
	if (nowait && pipe2(go, O_CLOEXEC) < 0)
		nowait = false;
	if (pipe(in) < 0 || (out != NULL && pipe(outp) < 0)) {
		strlist_free(&argv);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		strlist_free(&argv);
		return -1;
	}
	if (pid == 0) {
		const char *md = pm_getenv(st, "MAILDIR");

		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		if (out != NULL) {
			dup2(outp[1], 1);
			close(outp[0]);
			close(outp[1]);
		} else {
			int nul = open("/dev/null", O_WRONLY);

			if (nul >= 0) {
				dup2(nul, 1);
				close(nul);
			}
		}
		{
			/* procmail's stderr is its log file */
			const char *lf = pm_getenv(st, "LOGFILE");
			int lfd =
			    lf != NULL && *lf
				? open(lf, O_WRONLY | O_APPEND | O_CREAT, 0600)
				: open("/dev/null", O_WRONLY);

			if (lfd >= 0) {
				dup2(lfd, 2);
				close(lfd);
			}
		}
		signal(SIGPIPE, SIG_DFL);
		(void)md;
		if (go[0] >= 0) {
			/* a program procmail does not wait for starts after
			   the parent has logged the delivery */
			char c;

			close(go[1]);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			close(go[0]);
		}
		if (st->verbose) {
			/* procmail's child says what it runs: the shell's
			   text, or the words joined by commas */
			struct str d = STR_INIT;

			if (shell)
				str_append(&d, cmd);
			else
				for (size_t i = 0; i < argv.n; i++) {
					if (i > 0)
						str_appendc(&d, ',');
					str_append(&d, argv.v[i]);
				}
			pm_trace(st, "procmail: Executing \"%s\"\n", str_c(&d));
			str_free(&d);
		}
		execve(argv.v[0], argv.v, st->env.v);
		if (strchr(argv.v[0], '/') == NULL && errno == ENOENT) {
			const char *path = pm_getenv(st, "PATH");
			struct strlist dirs = {0};

			strlist_split(&dirs, path ? path : "/usr/bin:/bin",
				      ":");
			for (size_t i = 0; i < dirs.n; i++) {
				char *p =
				    xasprintf("%s/%s", dirs.v[i], argv.v[0]);
				execve(p, argv.v, st->env.v);
				free(p);
			}
		}
		{
			/* as procmail: what cannot be executed is handed to
			   the shell as a script */
			const char *sh = pm_getenv(st, "SHELL");
			struct strlist sa = {0};

			strlist_add(&sa, sh && *sh ? sh : "/bin/sh");
			for (size_t i = 0; i < argv.n; i++)
				strlist_add(&sa, argv.v[i]);
			execve(sa.v[0], sa.v, st->env.v);
		}
		_exit(127);
	}
	argv0 = xstrdup(argv.v[0]);
	strlist_free(&argv);
	if (go[0] >= 0) {
		close(go[0]);
		if (len > 32768) {
			/* more than a pipe holds: let it read now */
			close(go[1]);
		} else {
			if (st->release_fd >= 0)
				close(st->release_fd);
			st->release_fd = go[1];
		}
	}
	if (!nowait)
		timeout_start(st, pid, &oldsa);
	close(in[0]);
	if (out != NULL)
		close(outp[1]);
	{
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);

		st->write_failed = false;
		if (data != NULL && out == NULL)
			st->write_failed = write_all_fd(in[1], data, len) < 0;
		else if (data != NULL) {
			/* write and read without deadlocking: a child */
			pid_t w = fork();

			if (w == 0) {
				close(outp[0]);
				_exit(write_all_fd(in[1], data, len) < 0 ? 1
									 : 0);
			}
			close(in[1]);
			in[1] = -1;
			(void)read_full(outp[0], out);
			close(outp[0]);
			outp[0] = -1;
			if (w > 0) {
				int ws;

				if (waitpid(w, &ws, 0) == w &&
				    (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0))
					st->write_failed = true;
			}
		}
		if (in[1] >= 0)
			close(in[1]);
		if (out != NULL && outp[0] >= 0) {
			(void)read_full(outp[0], out);
			close(outp[0]);
		}
		signal(SIGPIPE, old);
	}
	if (nowait) {
		/* procmail does not wait for a program without w */
		st->pending = xreallocarray(st->pending, st->npending + 1,
					    sizeof(*st->pending));
		st->pending[st->npending++] = pid;
		free(argv0);
		return 0;
	}
	if (wait_timeout(st, pid, shell ? cmd : argv0, &status, &oldsa) < 0) {
		free(argv0);
		return -1;
	}
	free(argv0);
	if (WIFSIGNALED(status) && st->timed_out)
		return -WTERMSIG(status);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* How procmail names a command in its log: the raw text when a shell
   runs it, else the words joined; *name_r is what failure messages
   name (caller frees both). */
void pm_command_display(struct pm_state *st, const char *cmd, char **disp_r,
			char **name_r);
void
pm_command_display(struct pm_state *st, const char *cmd, char **disp_r,
		   char **name_r)
{
	struct strlist w = {0};
	struct str d = STR_INIT;

	if (st->force_shell || pm_has_meta(st, cmd)) {
		*disp_r = xstrdup(cmd);
		*name_r = xstrdup(cmd);
		return;
	}
	split_words(cmd, &w);
	str_append(&d, "");
	for (size_t i = 0; i < w.n; i++) {
		if (i > 0)
			str_appendc(&d, ' ');
		str_append(&d, w.v[i]);
	}
	*disp_r = str_steal(&d);
	*name_r = xstrdup(w.n > 0 ? w.v[0] : "");
	strlist_free(&w);
}

/* Data for a pipe: the message with the closing blank line. */
void pm_pipe_data(struct pm_state *st, struct str *out);
void
pm_pipe_data(struct pm_state *st, struct str *out)
{
	with_blank(st, out, false);
}

/* For forwarding: without the From_ line. */
void pm_forward_data(struct pm_state *st, struct str *out);
void
pm_forward_data(struct pm_state *st, struct str *out)
{
	struct str tmp = STR_INIT;

	with_blank(st, &tmp, false);
	if (from_line_present(&tmp)) {
		const char *nl = memchr(tmp.s, '\n', tmp.len);
		size_t skip = nl ? (size_t)(nl - tmp.s) + 1 : tmp.len;

		str_append_n(out, tmp.s + skip, tmp.len - skip);
	} else
		str_append_n(out, tmp.s, tmp.len);
	str_free(&tmp);
}
