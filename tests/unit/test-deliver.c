/*
 * test-deliver.c - lib/deliver: folder names, Maildir names and flags,
 * byte-identical Maildir and mbox writes, mboxrd quoting, the From_
 * line, truncation after a failed append, pipes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "unit.h"
#include "deliver.h"
#include "msg.h"
#include "util.h"

/* A scratch directory for one test, removed afterwards. */
static char *
scratch(void)
{
	char tmpl[] = "/tmp/ackmail-deliver.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

static void
rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static char *
slurp(const char *path, size_t *len_r)
{
	char *buf = NULL;

	if (path_read_file(path, (size_t)1 << 30, &buf, len_r) < 0)
		return NULL;
	return buf;
}

/* The names in dir (not . or ..); returns how many, first in *name_r. */
static int
dir_entries(const char *dir, char **name_r)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (name_r != NULL)
		*name_r = NULL;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n++ == 0 && name_r != NULL)
			*name_r = xstrdup(e->d_name);
	}
	closedir(d);
	return n;
}

static void
test_folder_check(void **state)
{
	static const struct {
		const char *name;
		int ret;
	} rows[] = {
	    {"Support", 0},	{"Support/Acme", 0}, {"Support.Acme", 0},
	    {"INBOX", 0},	{"a b", 0},	     {"Ünïcode", 0},
	    {"x..y", 0}, /* stays inside the root: ".x..y" */
	    {"", -1},		{NULL, -1},	     {"/etc", -1},
	    {"/", -1},		{"..", -1},	     {".", -1},
	    {"../x", -1},	{"a/../../b", -1},   {"a/..", -1},
	    {"a/./b", -1},	{"a//b", -1},	     {"a/", -1},
	    {"a\nb", -1},	{"a\rb", -1},	     {"tab\there", -1},
	    {"esc\x1b[0m", -1}, {"del\x7f", -1},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		const char *err = NULL;
		int r = folder_name_check(rows[i].name, &err);

		assert_row_int(i, r, rows[i].ret);
		if (r < 0)
			assert_non_null(err);
	}
	{
		/* a name too long for one directory entry */
		char longname[300];

		memset(longname, 'x', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		const char *err = NULL;
		assert_int_equal(folder_name_check(longname, &err), -1);
	}
}

static void
test_folder_path(void **state)
{
	static const struct {
		const char *root, *folder, *path;
	} rows[] = {
	    {"/m", NULL, "/m"},
	    {"/m", "", "/m"},
	    {"/m", "INBOX", "/m"},
	    {"/m", "inbox", "/m"},
	    {"/m/", "INBOX", "/m"},
	    {"/m", "Support", "/m/.Support"},
	    {"/m/", "Support", "/m/.Support"},
	    {"/m", "Support/Acme", "/m/.Support.Acme"},
	    {"/m", "Support.Acme", "/m/.Support.Acme"},
	    {"/m", "A/B/C", "/m/.A.B.C"},
	    {"rel", "Spam", "rel/.Spam"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *p = maildir_folder_path(rows[i].root, rows[i].folder);

		assert_row_str(i, p, rows[i].path);
		free(p);
	}
}

static void
test_flags_info(void **state)
{
	static const char *const f0[] = {NULL};
	static const char *const f1[] = {"\\Seen", NULL};
	static const char *const f2[] = {"\\Seen",    "\\Answered", "\\Flagged",
					 "\\Deleted", "\\Draft",    NULL};
	static const char *const f3[] = {"\\Draft", "\\seen",	"\\SEEN",
					 "$Junk",   "\\Recent", NULL};
	static const char *const f4[] = {"keyword", NULL};
	static const char *const f5[] = {"\\Flagged", "\\Answered", NULL};
	static const struct {
		const char *const *flags;
		const char *info;
	} rows[] = {
	    {NULL, ""}, {f0, ""}, {f1, "S"},  {f2, "DFRST"},
	    {f3, "DS"}, {f4, ""}, {f5, "FR"},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *info = maildir_flags_info(rows[i].flags);

		assert_row_str(i, info, rows[i].info);
		free(info);
	}
}

static void
test_unique_name(void **state)
{
	struct strlist seen = {NULL, 0, 0};
	char host[256];
	(void)state;

	assert_int_equal(gethostname(host, sizeof(host)), 0);
	for (size_t i = 0; i < 2000; i++) {
		char *n = maildir_unique_name();
		long long t;
		long usec, pid;
		unsigned q;
		int used = 0;

		if (sscanf(n, "%lld.M%ldP%ldQ%u.%n", &t, &usec, &pid, &q,
			   &used) != 4 ||
		    used == 0)
			fail_msg("row %zu: bad name %s", i, n);
		assert_row_int(i, pid, getpid());
		assert_true(usec >= 0 && usec < 1000000);
		assert_null(strchr(n, '/'));
		assert_null(strchr(n, ':'));
		for (size_t j = 0; j < seen.n; j++)
			if (strcmp(seen.v[j], n) == 0)
				fail_msg("row %zu: duplicate name %s", i, n);
		strlist_add_owned(&seen, n);
	}
	/* names from different processes at the same time differ too */
	{
		int fds[2];
		char buf[512] = "";
		pid_t pid;
		ssize_t got;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			char *n = maildir_unique_name();
			(void)!write(fds[1], n, strlen(n));
			_exit(0);
		}
		close(fds[1]);
		got = read(fds[0], buf, sizeof(buf) - 1);
		assert_true(got > 0);
		close(fds[0]);
		waitpid(pid, NULL, 0);
		for (size_t j = 0; j < seen.n; j++)
			assert_string_not_equal(seen.v[j], buf);
	}
	strlist_free(&seen);
}

/* Messages for the round trips: tricky bytes, with and without a From_
   line, CRLF, NUL, no final newline, empty. */
static const struct {
	const char *bytes;
	size_t len;	  /* 0: strlen */
	const char *data; /* what Maildir stores */
	const char *mbox; /* what mbox appends to an empty file, with the
			     sender "a@b.example" and the time of ACKMAIL_NOW */
} msgs[] = {
    {"Subject: x\n\nbody\n", 0, "Subject: x\n\nbody\n",
     "From a@b.example Mon Nov 23 17:00:00 2026\nSubject: x\n\nbody\n\n"},
    {"From sender@x Sat Jan  1 00:00:00 2000\nSubject: y\n\nhi\n", 0,
     "Subject: y\n\nhi\n",
     "From sender@x Sat Jan  1 00:00:00 2000\nSubject: y\n\nhi\n\n"},
    {"Subject: q\n\nFrom here\n>From there\n>>From x\nFromage\n From y\n", 0,
     "Subject: q\n\nFrom here\n>From there\n>>From x\nFromage\n From y\n",
     "From a@b.example Mon Nov 23 17:00:00 2026\nSubject: q\n\n>From "
     "here\n>>From there\n>>>From x\nFromage\n From y\n\n"},
    {"Subject: n\n\nno newline", 0, "Subject: n\n\nno newline",
     "From a@b.example Mon Nov 23 17:00:00 2026\nSubject: n\n\nno "
     "newline\n\n"},
    {"Subject: c\r\n\r\nFrom crlf\r\nbody\r\n", 0,
     "Subject: c\r\n\r\nFrom crlf\r\nbody\r\n",
     "From a@b.example Mon Nov 23 17:00:00 2026\nSubject: c\r\n\r\n>From "
     "crlf\r\nbody\r\n\n"},
    {"", 0, "", "From a@b.example Mon Nov 23 17:00:00 2026\n\n"},
    {"From x@y Mon Jan  1 00:00:00 2001\r\nFrom second\r\n", 0,
     "From second\r\n",
     "From x@y Mon Jan  1 00:00:00 2001\n>From second\r\n\n"},
    {"Subject: nul\n\na\0b\nFrom ", 23, "Subject: nul\n\na\0b\nFrom ",
     "From a@b.example Mon Nov 23 17:00:00 2026\nSubject: nul\n\na\0b\n>"
     "From \n\n"},
};

static size_t
msg_len(size_t i)
{
	return msgs[i].len != 0 ? msgs[i].len : strlen(msgs[i].bytes);
}

static size_t
data_len(size_t i)
{
	size_t flen = 0;
	const char *b = msgs[i].bytes;

	if (msg_len(i) >= 5 && memcmp(b, "From ", 5) == 0) {
		const char *nl = memchr(b, '\n', msg_len(i));
		flen = nl != NULL ? (size_t)(nl - b) + 1 : msg_len(i);
	}
	return msg_len(i) - flen;
}

static size_t
mbox_len(size_t i)
{
	/* the expected texts contain one NUL at most in row 7 */
	return i == 7 ? strlen(msgs[i].mbox) + 1 +
			    strlen(msgs[i].mbox + strlen(msgs[i].mbox) + 1)
		      : strlen(msgs[i].mbox);
}

static void
test_maildir_roundtrip(void **state)
{
	char *dir = scratch();
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(msgs); i++) {
		struct msg *m = msg_new_copy(msgs[i].bytes, msg_len(i));
		char *md = xasprintf("%s/md%zu", dir, i);
		char *path = NULL, *got, *sub, *name;
		const char *err = NULL;
		size_t len;

		if (maildir_deliver(md, m, NULL, &path, &err) < 0)
			fail_msg("row %zu: %s", i, err);
		got = slurp(path, &len);
		assert_non_null(got);
		assert_row_int(i, len, data_len(i));
		assert_row_int(i, memcmp(got, msgs[i].data, len), 0);
		/* exactly one file, in new/, nothing left in tmp/ */
		sub = xasprintf("%s/new", md);
		assert_row_int(i, dir_entries(sub, &name), 1);
		assert_non_null(strstr(path, name));
		free(sub);
		free(name);
		sub = xasprintf("%s/tmp", md);
		assert_row_int(i, dir_entries(sub, NULL), 0);
		free(sub);
		/* the file is private to the user */
		{
			struct stat st;
			assert_int_equal(stat(path, &st), 0);
			assert_row_int(i, st.st_mode & 0777, 0600);
		}
		free(got);
		free(path);
		free(md);
		msg_free(&m);
	}
	rm_rf(dir);
	free(dir);
}

static void
test_maildir_flags_folder(void **state)
{
	static const char *const seen[] = {"\\Seen", "\\Flagged", NULL};
	static const char *const kw[] = {"$label1", NULL};
	static const struct {
		const char *folder;
		const char *const *flags;
		const char *sub, *suffix;
	} rows[] = {
	    {NULL, NULL, "new", NULL},
	    {"Support/Acme", NULL, "new", NULL},
	    {"Support", seen, "cur", ":2,FS"},
	    {"Spam", kw, "new", NULL},
	};
	char *dir = scratch();
	char *root = xasprintf("%s/Maildir", dir);
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct msg *m = msg_new_copy("Subject: f\n\nx\n", 14);
		char *fdir = maildir_folder_path(root, rows[i].folder);
		char *path = NULL, *want, *mf;
		const char *err = NULL;
		struct stat st;

		if (maildir_deliver(fdir, m, rows[i].flags, &path, &err) < 0)
			fail_msg("row %zu: %s", i, err);
		want = xasprintf("%s/%s/", fdir, rows[i].sub);
		if (strncmp(path, want, strlen(want)) != 0)
			fail_msg("row %zu: %s not under %s", i, path, want);
		if (rows[i].suffix != NULL)
			assert_row_str(
			    i, path + strlen(path) - strlen(rows[i].suffix),
			    rows[i].suffix);
		else
			assert_null(strchr(path + strlen(want), ':'));
		/* Maildir++ folders are marked, the root is not */
		mf = xasprintf("%s/maildirfolder", fdir);
		assert_row_int(i, stat(mf, &st) == 0, rows[i].folder != NULL);
		free(mf);
		/* the root became a Maildir too */
		mf = xasprintf("%s/cur", root);
		assert_row_int(i, stat(mf, &st), 0);
		free(mf);
		free(want);
		free(path);
		free(fdir);
		msg_free(&m);
	}
	free(root);
	rm_rf(dir);
	free(dir);
}

static void
test_maildir_abort_and_errors(void **state)
{
	char *dir = scratch();
	char *md = xasprintf("%s/md", dir);
	struct msg *m = msg_new_copy("Subject: a\n\nx\n", 14);
	struct maildir_tx *tx = NULL;
	const char *err = NULL;
	char *sub;
	(void)state;

	/* begin writes to tmp/, abort removes it, new/ stays empty */
	assert_int_equal(maildir_begin(md, m, NULL, &tx, &err), 0);
	sub = xasprintf("%s/tmp", md);
	assert_int_equal(dir_entries(sub, NULL), 1);
	maildir_abort(&tx);
	assert_null(tx);
	assert_int_equal(dir_entries(sub, NULL), 0);
	free(sub);
	sub = xasprintf("%s/new", md);
	assert_int_equal(dir_entries(sub, NULL), 0);
	free(sub);

	/* commit uses the tmp/ name in new/ */
	{
		char *tmpname, *path = NULL;

		assert_int_equal(maildir_begin(md, m, NULL, &tx, &err), 0);
		sub = xasprintf("%s/tmp", md);
		assert_int_equal(dir_entries(sub, &tmpname), 1);
		assert_int_equal(maildir_commit(&tx, &path, &err), 0);
		assert_null(tx);
		assert_string_equal(strrchr(path, '/') + 1, tmpname);
		assert_int_equal(dir_entries(sub, NULL), 0);
		free(sub);
		free(tmpname);
		free(path);
	}
	/* new/ removed between begin and commit: made again */
	{
		char *path = NULL, *newdir = xasprintf("%s/new", md), *cmd;

		assert_int_equal(maildir_begin(md, m, NULL, &tx, &err), 0);
		cmd = xasprintf("rm -rf '%s'", newdir);
		assert_int_equal(system(cmd), 0);
		if (maildir_commit(&tx, &path, &err) < 0)
			fail_msg("%s", err);
		assert_int_equal(dir_entries(newdir, NULL), 1);
		free(cmd);
		free(path);
		free(newdir);
	}
	/* "dir/" is the same Maildir as "dir" */
	{
		char *slashed = xasprintf("%s/slash/", dir), *path = NULL;
		char *newdir = xasprintf("%s/slash/new", dir);

		if (maildir_deliver(slashed, m, NULL, &path, &err) < 0)
			fail_msg("%s", err);
		assert_int_equal(dir_entries(newdir, NULL), 1);
		free(slashed);
		free(newdir);
		free(path);
	}
	/* a Maildir whose path is a file: -1 with a reason */
	{
		char *file = xasprintf("%s/file", dir);
		int fd = open(file, O_CREAT | O_WRONLY, 0600);

		assert_true(fd >= 0);
		close(fd);
		err = NULL;
		assert_int_equal(maildir_deliver(file, m, NULL, NULL, &err),
				 -1);
		assert_non_null(err);
		free(file);
	}
	msg_free(&m);
	free(md);
	rm_rf(dir);
	free(dir);
}

static void
test_mbox_render(void **state)
{
	char *dir = scratch();
	(void)state;

	setenv("TZ", "UTC", 1);
	tzset();
	clock_set_now(1795453200); /* 2026-11-23T17:00:00Z, a Monday */
	for (size_t i = 0; i < N_ELEMENTS(msgs); i++) {
		struct msg *m = msg_new_copy(msgs[i].bytes, msg_len(i));
		char *mb = xasprintf("%s/mbox%zu", dir, i);
		const char *err = NULL;
		char *got, *lock;
		size_t len;
		struct stat st;

		msg_set_envelope(m, "a@b.example", NULL);
		if (mbox_deliver(mb, m, 5, &err) < 0)
			fail_msg("row %zu: %s", i, err);
		got = slurp(mb, &len);
		assert_non_null(got);
		if (len != mbox_len(i) || memcmp(got, msgs[i].mbox, len) != 0)
			fail_msg("row %zu: got \"%s\"", i, got);
		/* the dotlock is gone */
		lock = xasprintf("%s.lock", mb);
		assert_row_int(i, stat(lock, &st), -1);
		free(lock);
		/* appending a second time doubles it exactly */
		if (mbox_deliver(mb, m, 5, &err) < 0)
			fail_msg("row %zu: %s", i, err);
		free(got);
		got = slurp(mb, &len);
		assert_row_int(i, len, 2 * mbox_len(i));
		assert_row_int(
		    i, memcmp(got + mbox_len(i), msgs[i].mbox, mbox_len(i)), 0);
		free(got);
		free(mb);
		msg_free(&m);
	}
	rm_rf(dir);
	free(dir);
}

static void
test_mbox_from_line(void **state)
{
	static const struct {
		const char *sender; /* NULL: not set */
		const char *bytes;
		const char *line;
	} rows[] = {
	    {"a@b.example", "S: x\n\n",
	     "From a@b.example Mon Nov 23 "
	     "17:00:00 2026\n"},
	    {"", "S: x\n\n", "From MAILER-DAEMON Mon Nov 23 17:00:00 2026\n"},
	    {"<>", "S: x\n\n", "From MAILER-DAEMON Mon Nov 23 17:00:00 2026\n"},
	    {NULL, "S: x\n\n", "From MAILER-DAEMON Mon Nov 23 17:00:00 2026\n"},
	    {"\"a b\"@c", "S: x\n\n",
	     "From \"a_b\"@c Mon Nov 23 17:00:00 "
	     "2026\n"},
	    {"x@y", "From own@z Tue Jan  2 03:04:05 2001\nS: x\n\n",
	     "From own@z Tue Jan  2 03:04:05 2001\n"},
	    {"x@y", "From own@z Tue Jan  2 03:04:05 2001\r\nS: x\n\n",
	     "From own@z Tue Jan  2 03:04:05 2001\n"},
	    /* only a From_ line, with a NUL in it (found by fuzz-mbox) */
	    {"x@y", "From \0", "From _\n"},
	};
	(void)state;

	setenv("TZ", "UTC", 1);
	tzset();
	clock_set_now(1795453200);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		/* the NUL row: its bytes up to and including the NUL */
		size_t n = strlen(rows[i].bytes);
		struct msg *m = msg_new_copy(rows[i].bytes, n == 5 ? 6 : n);
		char *line;

		if (rows[i].sender != NULL)
			msg_set_envelope(m, rows[i].sender, NULL);
		line = mbox_from_line(m);
		assert_row_str(i, line, rows[i].line);
		free(line);
		msg_free(&m);
	}
	/* a day of the month below 10 is padded like asctime(3) */
	{
		struct msg *m = msg_new_copy("S: x\n\n", 6);
		char *line;

		clock_set_now(1767312000); /* 2026-01-02T00:00:00Z, a Friday */
		line = mbox_from_line(m);
		assert_string_equal(line,
				    "From MAILER-DAEMON Fri Jan  2 00:00:00 "
				    "2026\n");
		free(line);
		msg_free(&m);
	}
}

static void
test_mbox_separator_repair(void **state)
{
	/* an existing mbox that does not end in a blank line gets one, so
	   our From_ line is a separator */
	static const struct {
		const char *before, *after_prefix;
	} rows[] = {
	    {"", ""},
	    {"From x Mon Jan  1 00:00:00 2001\nold\n\n",
	     "From x Mon Jan  1 00:00:00 2001\nold\n\n"},
	    {"From x Mon Jan  1 00:00:00 2001\nold\n",
	     "From x Mon Jan  1 00:00:00 2001\nold\n\n"},
	    {"From x Mon Jan  1 00:00:00 2001\nold",
	     "From x Mon Jan  1 00:00:00 2001\nold\n\n"},
	    {"\n", "\n"}, /* already a blank line */
	};
	char *dir = scratch();
	(void)state;

	clock_set_now(1795453200);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *mb = xasprintf("%s/mbox%zu", dir, i);
		struct msg *m = msg_new_copy("S: x\n\nb\n", 8);
		int fd = open(mb, O_CREAT | O_WRONLY, 0600);
		const char *err = NULL;
		char *got, *want;
		size_t len;

		assert_true(fd >= 0);
		assert_int_equal(
		    write_full(fd, rows[i].before, strlen(rows[i].before)), 0);
		close(fd);
		msg_set_envelope(m, "s@x", NULL);
		if (mbox_deliver(mb, m, 5, &err) < 0)
			fail_msg("row %zu: %s", i, err);
		want = xasprintf("%sFrom s@x Mon Nov 23 17:00:00 2026\nS: "
				 "x\n\nb\n\n",
				 rows[i].after_prefix);
		got = slurp(mb, &len);
		assert_row_str(i, got, want);
		free(got);
		free(want);
		free(mb);
		msg_free(&m);
	}
	rm_rf(dir);
	free(dir);
}

/* In a child with RLIMIT_FSIZE: the append fails, the mbox is truncated
   back, the Maildir keeps nothing in new/, and the process survives
   (SIGXFSZ is ignored while writing). Exit 0 when all that holds. */
static int
fsize_child(const char *dir, size_t limit, size_t msg_size)
{
	struct rlimit rl = {limit, limit};
	char *mb = xasprintf("%s/mbox", dir);
	char *md = xasprintf("%s/md", dir);
	char *body = xmalloc(msg_size);
	const char *err = NULL;
	struct msg *m;
	struct stat st;
	char *newdir;

	memset(body, 'x', msg_size);
	memcpy(body, "Subject: big\n\n", 14);
	for (size_t i = 100; i < msg_size; i += 100)
		body[i] = '\n';
	m = msg_new_take(body, msg_size);
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
		return 10;
	if (mbox_deliver(mb, m, 5, &err) != -1)
		return 11;
	if (errno != EFBIG)
		return 12;
	if (stat(mb, &st) < 0 || st.st_size != 0)
		return 13; /* created empty, truncated back to empty */
	if (maildir_deliver(md, m, NULL, NULL, &err) != -1)
		return 14;
	newdir = xasprintf("%s/new", md);
	if (dir_entries(newdir, NULL) != 0)
		return 15;
	if (dir_entries(xasprintf("%s/tmp", md), NULL) != 0)
		return 16;
	/* the default action of SIGXFSZ is back */
	{
		struct sigaction sa;
		sigaction(SIGXFSZ, NULL, &sa);
		if (sa.sa_handler != SIG_DFL)
			return 17;
	}
	free(newdir);
	msg_free(&m);
	return 0;
}

static void
test_fsize_truncate(void **state)
{
	static const struct {
		size_t limit, size;
		const char *preload; /* mbox content before, or NULL */
	} rows[] = {
	    {4096, 100000, NULL},
	    {70000, 200000, NULL}, /* beyond one output buffer */
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		char *dir = scratch();
		pid_t pid = fork();
		int st;

		assert_true(pid >= 0);
		if (pid == 0)
			_exit(fsize_child(dir, rows[i].limit, rows[i].size));
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (!WIFEXITED(st))
			fail_msg("row %zu: child died of signal %d", i,
				 WTERMSIG(st));
		assert_row_int(i, WEXITSTATUS(st), 0);
		rm_rf(dir);
		free(dir);
	}
	/* an mbox with content before: truncated back to that length */
	{
		char *dir = scratch();
		char *mb = xasprintf("%s/mbox", dir);
		const char *old = "From x Mon Jan  1 00:00:00 2001\nold\n\n";
		int fd = open(mb, O_CREAT | O_WRONLY, 0600);
		pid_t pid;
		int st;

		assert_true(fd >= 0);
		assert_int_equal(write_full(fd, old, strlen(old)), 0);
		close(fd);
		pid = fork();
		if (pid == 0) {
			struct rlimit rl = {8192, 8192};
			char *big = xmalloc(50000);
			struct msg *m;
			const char *err;

			memset(big, 'y', 50000);
			m = msg_new_take(big, 50000);
			setrlimit(RLIMIT_FSIZE, &rl);
			_exit(mbox_deliver(mb, m, 5, &err) == -1 ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
		{
			size_t len;
			char *got = slurp(mb, &len);

			assert_string_equal(got, old);
			free(got);
		}
		free(mb);
		rm_rf(dir);
		free(dir);
	}
}

static void
test_mbox_lock_timeout(void **state)
{
	char *dir = scratch();
	char *mb = xasprintf("%s/mbox", dir);
	char *lock = xasprintf("%s/mbox.lock", dir);
	struct msg *m = msg_new_copy("S: x\n\n", 6);
	const char *err = NULL;
	struct stat st;
	int fd;
	(void)state;

	/* a fresh dotlock held by someone else: time out, file untouched */
	fd = open(lock, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mbox_deliver(mb, m, 1, &err), -1);
	assert_non_null(strstr(err, "timed out"));
	assert_int_equal(stat(mb, &st), -1);
	/* a stale one (10 minutes old) is broken */
	{
		struct timespec ts[2] = {{time(NULL) - 600, 0},
					 {time(NULL) - 600, 0}};
		assert_int_equal(utimensat(AT_FDCWD, lock, ts, 0), 0);
	}
	assert_int_equal(mbox_deliver(mb, m, 1, &err), 0);
	assert_int_equal(stat(lock, &st), -1);
	/* an fcntl lock held by another process: time out as well */
	{
		int p[2];
		char c;
		pid_t pid;

		assert_int_equal(pipe(p), 0);
		pid = fork();
		if (pid == 0) {
			int lfd = open(mb, O_RDWR);
			struct flock fl = {.l_type = F_WRLCK,
					   .l_whence = SEEK_SET};
			fcntl(lfd, F_SETLK, &fl);
			(void)!write(p[1], "x", 1);
			pause();
			_exit(0);
		}
		assert_int_equal(read(p[0], &c, 1), 1);
		assert_int_equal(stat(mb, &st), 0);
		{
			off_t before = st.st_size;

			assert_int_equal(mbox_deliver(mb, m, 1, &err), -1);
			assert_non_null(strstr(err, "lock"));
			assert_int_equal(stat(mb, &st), 0);
			assert_int_equal(st.st_size, before);
		}
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(p[0]);
		close(p[1]);
		/* and the dotlock was released after the timeout */
		assert_int_equal(stat(lock, &st), -1);
	}
	msg_free(&m);
	free(mb);
	free(lock);
	rm_rf(dir);
	free(dir);
}

/* A SIGTERM that arrives while mbox_deliver runs (here: while it waits
   for the dotlock) kills the process only after the append is taken
   back: the mbox is as it was. */
static void
test_mbox_sigterm(void **state)
{
	char *dir = scratch();
	char *mb = xasprintf("%s/mbox", dir);
	char *lock = xasprintf("%s/mbox.lock", dir);
	const char *old = "From x Mon Jan  1 00:00:00 2001\nold\n\n";
	struct timespec ts = {0, 300 * 1000000L};
	int fd, st;
	pid_t pid;
	(void)state;

	fd = open(mb, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write_full(fd, old, strlen(old)), 0);
	close(fd);
	fd = open(lock, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct msg *m = msg_new_copy("S: x\n\nbody\n", 12);
		const char *err;

		(void)mbox_deliver(mb, m, 10, &err);
		_exit(0); /* not reached when the signal works */
	}
	nanosleep(&ts, NULL);
	assert_int_equal(kill(pid, SIGTERM), 0);
	nanosleep(&ts, NULL);
	assert_int_equal(unlink(lock), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM);
	{
		size_t len;
		char *got = slurp(mb, &len);

		assert_string_equal(got, old);
		free(got);
	}
	free(mb);
	free(lock);
	rm_rf(dir);
	free(dir);
}

/* With a SIGTERM already pending (blocked by the caller), both targets
   refuse (EINTR) and leave nothing behind: no tmp/ or new/ file, the
   mbox unchanged. */
static int
pending_child(const char *dir, int row)
{
	struct msg *m = msg_new_copy("S: x\n\nbody\n", 12);
	char *md = xasprintf("%s/md", dir), *mb = xasprintf("%s/mbox", dir);
	const char *err = NULL;
	sigset_t set;
	struct stat st;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGTERM);
	if (row == 0) {
		if (maildir_deliver(md, m, NULL, NULL, &err) != -1)
			return 1;
		if (errno != EINTR)
			return 2;
		if (dir_entries(xasprintf("%s/tmp", md), NULL) != 0 ||
		    dir_entries(xasprintf("%s/new", md), NULL) != 0)
			return 3;
	} else {
		if (mbox_deliver(mb, m, 5, &err) != -1)
			return 1;
		if (errno != EINTR)
			return 2;
		if (stat(mb, &st) < 0 || st.st_size != 0)
			return 3;
	}
	/* still pending, still blocked: the caller's mask is restored */
	sigpending(&set);
	if (!sigismember(&set, SIGTERM))
		return 4;
	return 0;
}

static void
test_signal_pending(void **state)
{
	(void)state;
	for (int row = 0; row < 2; row++) {
		char *dir = scratch();
		pid_t pid = fork();
		int st;

		assert_true(pid >= 0);
		if (pid == 0)
			_exit(pending_child(dir, row));
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_row_int(row, WEXITSTATUS(st), 0);
		rm_rf(dir);
		free(dir);
	}
}

static void
test_pipe_needs_shell(void **state)
{
	static const struct {
		const char *cmd;
		bool shell;
	} rows[] = {
	    {"/bin/cat", false},
	    {"formail -A 'X-Foo: bar'", false},
	    {"cmd \"quoted arg\" plain", false},
	    {"a | b", true},
	    {"a > file", true},
	    {"a < file", true},
	    {"a; b", true},
	    {"a && b", true},
	    {"echo $HOME", true},
	    {"echo `id`", true},
	    {"ls *.txt", true},
	    {"ls ?", true},
	    {"ls [ab]", true},
	    {"cd ~", true},
	    {"a # comment", true},
	    {"(a)", true},
	    {"a\nb", true},
	    {"FOO=bar cmd", true},
	    {"cmd --opt=value", false},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++)
		assert_row_int(i, pipe_needs_shell(rows[i].cmd), rows[i].shell);
}

static void
test_pipe_split(void **state)
{
	static const struct {
		const char *cmd;
		int ret;
		const char *joined; /* words joined by "|" */
	} rows[] = {
	    {"/bin/cat", 0, "/bin/cat"},
	    {"  a   b\tc  ", 0, "a|b|c"},
	    {"formail -A 'X-Foo: bar'", 0, "formail|-A|X-Foo: bar"},
	    {"x \"a \\\"q\\\" b\" y", 0, "x|a \"q\" b|y"},
	    {"x 'it''s'", 0, "x|its"},
	    {"x ''", 0, "x|"},
	    {"x a\\ b", 0, "x|a b"},
	    {"x \"a\\nb\"", 0, "x|a\\nb"},
	    {"x 'open", -1, NULL},
	    {"x \"open", -1, NULL},
	    {"", -1, NULL},
	    {"   ", -1, NULL},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		struct strlist l = {NULL, 0, 0};
		struct str j = STR_INIT;
		const char *err = NULL;
		int r = pipe_split(rows[i].cmd, &l, &err);

		assert_row_int(i, r, rows[i].ret);
		if (r == 0) {
			for (size_t k = 0; k < l.n; k++) {
				if (k > 0)
					str_appendc(&j, '|');
				str_append(&j, l.v[k]);
			}
			assert_row_str(i, str_c(&j), rows[i].joined);
		} else {
			assert_non_null(err);
		}
		str_free(&j);
		strlist_free(&l);
	}
}

static void
test_pipe_run(void **state)
{
	static const struct {
		const char *cmd;
		bool shell;
		long timeout;
		int ret, status;
		const char *out; /* expected file content, or NULL */
	} rows[] = {
	    {"/bin/true", false, 10, 0, 0, NULL},
	    {"/bin/false", false, 10, 0, 1, NULL},
	    {"exit 7", true, 10, 0, 7, NULL},
	    {"cat > OUT", true, 10, 0, 0,
	     "From s@x Mon Jan  1 00:00:00 2001\nSubject: p\n\nbody\n"},
	    {"sh -c 'cat > OUT'", false, 10, 0, 0,
	     "From s@x Mon Jan  1 00:00:00 2001\nSubject: p\n\nbody\n"},
	    /* reads nothing: no EPIPE death, status decides */
	    {"/bin/true", false, 10, 0, 0, NULL},
	    {"kill -9 $$", true, 10, 0, 137, NULL},
	    {"/nonexistent/prog", false, 10, -1, -1, NULL},
	    {"no-such-program-ackmail", false, 10, -1, -1, NULL},
	    {"x 'unterminated", false, 10, -1, -1, NULL},
	    /* sleeps past the timeout: killed with its process group */
	    {"sleep 30", false, 1, -1, 128 + SIGTERM, NULL},
	    {"sleep 30 & sleep 30; wait", true, 1, -1, 128 + SIGTERM, NULL},
	    /* ignores TERM: gets KILL after the grace period */
	    {"trap '' TERM; sleep 30; sleep 30", true, 1, -1, 128 + SIGKILL,
	     NULL},
	};
	char *dir = scratch();
	char *cwd = getcwd(NULL, 0);
	const char *m_bytes =
	    "From s@x Mon Jan  1 00:00:00 2001\nSubject: p\n\nbody\n";
	struct msg *m = msg_new_copy(m_bytes, strlen(m_bytes));
	(void)state;

	assert_int_equal(chdir(dir), 0);
	for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
		const char *err = NULL;
		int status = -2;
		uint64_t t0 = clock_monotonic_ms();
		int r = pipe_run(rows[i].cmd, rows[i].shell, m, rows[i].timeout,
				 NULL, &status, &err);

		assert_row_int(i, r, rows[i].ret);
		assert_row_int(i, status, rows[i].status);
		if (r < 0)
			assert_non_null(err);
		/* a timed-out command does not hold us for its 30 s */
		assert_row_int(i, clock_monotonic_ms() - t0 < 20000, 1);
		if (rows[i].out != NULL) {
			size_t len;
			char *got = slurp("OUT", &len);

			assert_row_str(i, got, rows[i].out);
			free(got);
			unlink("OUT");
		}
	}
	/* a big message to a command that reads nothing: EPIPE is not an
	   error, we are not killed by SIGPIPE */
	{
		size_t n = 4 * 1024 * 1024;
		char *big = xmalloc(n);
		struct msg *bm;
		int status = -2;
		const char *err = NULL;

		memset(big, 'z', n);
		bm = msg_new_take(big, n);
		assert_int_equal(pipe_run("head -c 10 >/dev/null", true, bm, 10,
					  NULL, &status, &err),
				 0);
		assert_int_equal(status, 0);
		/* and the whole of it reaches a reader */
		assert_int_equal(
		    pipe_run("wc -c > OUT", true, bm, 10, NULL, &status, &err),
		    0);
		{
			size_t len;
			char *got = slurp("OUT", &len);
			assert_int_equal(atol(got), (long)n);
			free(got);
		}
		msg_free(&bm);
	}
	/* the environment given is the one the command sees */
	{
		char *envp[] = {(char *)"ACKMAIL_T=hello",
				(char *)"PATH=/usr/bin:/bin", NULL};
		int status = -2;
		const char *err = NULL;
		size_t len;
		char *got;

		assert_int_equal(pipe_run("echo \"$ACKMAIL_T\" > OUT", true, m,
					  10, envp, &status, &err),
				 0);
		got = slurp("OUT", &len);
		assert_string_equal(got, "hello\n");
		free(got);
	}
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	msg_free(&m);
	rm_rf(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_folder_check),
	    cmocka_unit_test(test_folder_path),
	    cmocka_unit_test(test_flags_info),
	    cmocka_unit_test(test_unique_name),
	    cmocka_unit_test(test_maildir_roundtrip),
	    cmocka_unit_test(test_maildir_flags_folder),
	    cmocka_unit_test(test_maildir_abort_and_errors),
	    cmocka_unit_test(test_mbox_render),
	    cmocka_unit_test(test_mbox_from_line),
	    cmocka_unit_test(test_mbox_separator_repair),
	    cmocka_unit_test(test_fsize_truncate),
	    cmocka_unit_test(test_mbox_lock_timeout),
	    cmocka_unit_test(test_mbox_sigterm),
	    cmocka_unit_test(test_signal_pending),
	    cmocka_unit_test(test_pipe_needs_shell),
	    cmocka_unit_test(test_pipe_split),
	    cmocka_unit_test(test_pipe_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
