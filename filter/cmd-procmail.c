/*
 * cmd-procmail.c - ackmail procmail: a drop-in for procmail(1) in
 * mailbox_command, .forward and pipe transports. Accepts procmail's
 * command line (-p -m -d -f -a -o -t -Y -v, VAR=value assignments, rc
 * files) and returns procmail's exit codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <errno.h>
#include <grp.h>
#include <sys/wait.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>

#include "util.h"
#include "procmail.h"
#include "commands.h"

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ackmail procmail [-ptoY] [-f fromwhom] "
		    "[VAR=value | rcfile] ...\n"
		    "       ackmail procmail [-toY] [-f fromwhom] [-a arg] "
		    "-d recipient ...\n"
		    "       ackmail procmail [-ptY] -m [VAR=value] ... "
		    "rcfile [arg] ...\n"
		    "       ackmail procmail -n ...   (dry run: print what "
		    "would be done)\n");
}

/* The From_ line as procmail makes it: with -f (or -r) always a new
   one, "From SENDER  DATE" (-f - keeps the old sender); in -d mode one is
   added when the message has none, with the invoking user as sender. */
static void
make_from_line(struct str *msg, const char *from, bool delivery,
	       const char *invoker)
{
	bool has = msg->len >= 5 && memcmp(msg->s, "From ", 5) == 0;
	size_t old_len = 0;
	char *sender = NULL, date[64];
	time_t now = time(NULL);
	struct str out = STR_INIT;

	if (from == NULL && (!delivery || has))
		return;
	if (has) {
		const char *nl = memchr(msg->s, '\n', msg->len);

		old_len = nl != NULL ? (size_t)(nl - msg->s) + 1 : msg->len;
	}
	if (from != NULL && strcmp(from, "-") != 0)
		sender = xstrdup(from);
	else if (has) {
		size_t e = 5;

		while (e < old_len && msg->s[e] != ' ' && msg->s[e] != '\t' &&
		       msg->s[e] != '\n')
			e++;
		sender = xstrndup(msg->s + 5, e - 5);
	} else
		sender = xstrdup(invoker);
	if (ctime_r(&now, date) == NULL)
		snprintf(date, sizeof(date), "Thu Jan  1 00:00:00 1970\n");
	str_printf(&out, "From %s  %s", sender, date);
	str_append_n(&out, msg->s + old_len, msg->len - old_len);
	str_free(msg);
	*msg = out;
	free(sender);
}

/* The global rc file procmail reads before ~/.procmailrc when no rc
   file is on the command line: with -d always (procmail reads it with
   -p too), otherwise only without -p (procmail(1)). */
#define PM_ETC_RCFILE "/etc/procmailrc"

/* Adds PM_ETC_RCFILE to the (still empty) rc list when it applies and
   exists. Returns true when added. */
static bool
add_etc_rcfile(struct pm_options *opt, bool delivery, struct strlist *rcs)
{
	if (rcs->n > 0 || (opt->pretend_exit && !delivery) ||
	    access(PM_ETC_RCFILE, F_OK) < 0)
		return false;
	strlist_add(rcs, PM_ETC_RCFILE);
	opt->etc_rcfile = true;
	return true;
}

/* The recipient a -d run as root becomes after /etc/procmailrc, which
   procmail runs with root's privileges. */
struct recipient_ids {
	char name[256];
	uid_t uid;
	gid_t gid;
};

static int
switch_ids(const struct recipient_ids *r)
{
	if (initgroups(r->name, r->gid) < 0 || setgid(r->gid) < 0 ||
	    setuid(r->uid) < 0) {
		perror("ackmail procmail: switching to the recipient");
		return -1;
	}
	return 0;
}

/* pm_options.before_rcfile: drops root before the user's rc file (the
   second one, after /etc/procmailrc); never runs it as root. */
static void
drop_before_user_rc(void *arg, int index)
{
	if (index == 1 && switch_ids(arg) < 0)
		_exit(EX_TEMPFAIL);
}

/* -d: explicit delivery to a local user. As root we become the user
   (groups, gid, uid), and run the user's ~/.procmailrc with HOME and
   LOGNAME set, delivering by default to /var/mail/user, as procmail
   does; otherwise we must already be that user. /etc/procmailrc, when
   it exists (and -p was not given), runs first, as root when we are
   root (as procmail: the switch happens after it); opt then gets the
   callback that switches. Returns 0 or -1. */
static int
become_recipient(const char *user, struct strlist *rcs, struct pm_options *opt)
{
	static struct recipient_ids ids;
	struct passwd *pw = getpwnam(user);
	char *rc;
	bool etc;

	if (pw == NULL) {
		fprintf(stderr, "ackmail procmail: Unknown user \"%s\"\n",
			user);
		return -1;
	}
	etc = add_etc_rcfile(opt, true, rcs);
	if (geteuid() == 0) {
		snprintf(ids.name, sizeof(ids.name), "%s", pw->pw_name);
		ids.uid = pw->pw_uid;
		ids.gid = pw->pw_gid;
		if (etc) {
			opt->before_rcfile = drop_before_user_rc;
			opt->before_rcfile_arg = &ids;
		} else if (switch_ids(&ids) < 0)
			return -1;
	} else if (geteuid() != pw->pw_uid) {
		fprintf(stderr,
			"ackmail procmail: -d %s needs root or that user's "
			"uid\n",
			user);
		return -1;
	}
	setenv("HOME", pw->pw_dir, 1);
	setenv("LOGNAME", pw->pw_name, 1);
	setenv("USER", pw->pw_name, 1);
	if (!etc && chdir(pw->pw_dir) < 0) {
		/* procmail carries on in the current directory (with
		   /etc/procmailrc it starts there: pm_run changes to HOME
		   after it) */
	}
	rc = xasprintf("%s/.procmailrc", pw->pw_dir);
	if (access(rc, F_OK) == 0)
		strlist_add_owned(rcs, rc);
	else {
		/* no rc file: straight to the system mailbox */
		free(rc);
		strlist_add(rcs, "/dev/null");
	}
	return 0;
}

/* -d with several recipients: one delivery each, in a child that
   becomes that user, as procmail. 0 when all succeeded, 75 when one
   asked to be retried, else 73 (an unknown user among several too). */
static int
deliver_each(const struct pm_options *opt, const struct strlist *assigns,
	     const struct strlist *recipients, const char *invoker)
{
	struct str msg = STR_INIT;
	bool tempfail = false, failed = false;

	if (read_full(0, &msg) < 0) {
		perror("ackmail procmail: reading the message");
		return EX_TEMPFAIL;
	}
	str_append(&msg, "");
	for (size_t k = 0; k < recipients->n; k++) {
		pid_t pid;
		int status;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			tempfail = true;
			continue;
		}
		if (pid == 0) {
			struct strlist rcs = {0};
			struct str errors = STR_INIT;
			struct pm_options o = *opt;
			int code;

			if (become_recipient(recipients->v[k], &rcs, &o) < 0)
				_exit(EX_NOUSER);
			make_from_line(&msg, opt->from, true, invoker);
			str_append(&msg, "");
			code = pm_run(&o, assigns->v, rcs.v, (int)rcs.n, msg.s,
				      msg.len, NULL, NULL, &errors);
			if (errors.len > 0)
				fputs(errors.s, stderr);
			fflush(NULL);
			_exit(code);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				break;
		if (WIFEXITED(status) && WEXITSTATUS(status) == EX_TEMPFAIL)
			tempfail = true;
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = true;
	}
	str_free(&msg);
	return tempfail ? EX_TEMPFAIL : failed ? EX_CANTCREAT : EX_OK;
}

int
cmd_procmail(int argc, char **argv)
{
	struct pm_options opt = {0};
	struct strlist assigns = {0}, rcs = {0};
	struct pm_done *done = NULL;
	size_t ndone = 0;
	struct str msg = STR_INIT, errors = STR_INIT;
	int i, code;
	bool more_opts = true;
	const char *recipient = NULL;
	struct strlist recipients = {0};
	char invoker[256];

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (more_opts && a[0] == '-' && a[1] != '\0') {
			if (strcmp(a, "--") == 0) {
				more_opts = false;
				continue;
			}
			if (strcmp(a, "--help") == 0) {
				usage(stdout);
				return EX_OK;
			}
			for (const char *c = a + 1; *c; c++) {
				switch (*c) {
				case 'v':
					printf("ackmail procmail %s "
					       "(procmail v3.23 compatible)\n",
					       ACKMAIL_VERSION);
					return EX_OK;
				case 'p':
					opt.pretend_exit = true;
					break;
				case 'm':
					opt.mailfilter = true;
					break;
				case 'n':
					opt.dry_run = true;
					break;
				case 't':
					opt.tempfail_on_error = true;
					break;
				case 'o':
					opt.override_from = true;
					break;
				case 'Y':
					break;
				case 'z':
					/* procmail's -z is LMTP, which Debian's
					   procmail leaves out as well */
					fprintf(
					    stderr,
					    "ackmail procmail: LMTP (-z) is "
					    "not supported; run it from the "
					    "MTA's pipe transport\n");
					return EX_USAGE;
				case 'f':
				case 'r':
				case 'a':
				case 'd': {
					const char *val =
					    c[1] ? c + 1
						 : (i + 1 < argc ? argv[++i]
								 : NULL);
					if (val == NULL) {
						usage(stderr);
						return EX_USAGE;
					}
					if (*c == 'd') {
						/* the rest: more recipients */
						strlist_add(&recipients, val);
						while (i + 1 < argc)
							strlist_add(&recipients,
								    argv[++i]);
					} else if (*c == 'f' || *c == 'r')
						opt.from = val;
					else if (*c == 'a' && opt.nargs < 32)
						opt.args[opt.nargs++] = val;
					goto next_arg;
				}
				default:
					fprintf(stderr,
						"ackmail procmail: unknown "
						"option -%c\n",
						*c);
					usage(stderr);
					return EX_USAGE;
				}
			}
		next_arg:
			continue;
		}
		more_opts = false;
		if (strchr(a, '=') != NULL && rcs.n == 0 &&
		    (a[0] == '_' || (a[0] >= 'A' && a[0] <= 'Z') ||
		     (a[0] >= 'a' && a[0] <= 'z'))) {
			strlist_add(&assigns, a);
			continue;
		}
		if (opt.mailfilter && rcs.n == 1) {
			/* after the rc file: arguments $1 ... */
			if (opt.nargs < 32)
				opt.args[opt.nargs++] = a;
			continue;
		}
		strlist_add(&rcs, a);
	}
	opt.comsat_default = rcs.n == 0;
	{
		struct passwd *me = getpwuid(getuid());

		snprintf(invoker, sizeof(invoker), "%s",
			 me != NULL ? me->pw_name : "root");
	}
	if (recipients.n > 0)
		recipient = recipients.v[0];
	if (recipients.n > 1) {
		code = deliver_each(&opt, &assigns, &recipients, invoker);
		strlist_free(&recipients);
		strlist_free(&assigns);
		strlist_free(&rcs);
		return code;
	}
	if (recipient != NULL && become_recipient(recipient, &rcs, &opt) < 0) {
		code = EX_NOUSER;
		goto out;
	}
	if (rcs.n == 0) {
		if (opt.mailfilter) {
			usage(stderr);
			code = EX_USAGE;
			goto out;
		}
		add_etc_rcfile(&opt, false, &rcs);
		strlist_add_owned(&rcs, path_home(".procmailrc"));
	}
	if (read_full(0, &msg) < 0) {
		perror("ackmail procmail: reading the message");
		code = EX_TEMPFAIL;
		goto out;
	}
	str_append(&msg, "");
	make_from_line(&msg, opt.from, recipient != NULL, invoker);
	str_append(&msg, "");
	code = pm_run(&opt, assigns.v, rcs.v, (int)rcs.n, msg.s, msg.len, &done,
		      &ndone, &errors);
	if (opt.dry_run) {
		for (size_t k = 0; k < ndone; k++) {
			static const char *const kinds[] = {"folder", "pipe",
							    "forward", "block"};
			printf("%s %s%s\n", kinds[done[k].kind], done[k].target,
			       done[k].copy ? " (copy)" : "");
		}
	}
	if (errors.len > 0)
		fputs(errors.s, stderr);
	pm_done_free(done, ndone);
	str_free(&errors);
out:
	str_free(&msg);
	strlist_free(&assigns);
	strlist_free(&rcs);
	strlist_free(&recipients);
	return code;
}
