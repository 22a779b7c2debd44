/*
 * pm-eval.c - running a parsed procmailrc over one message as procmail
 * does: the environment and its special variables, procmail's
 * substitution rules, conditions (regex, !, $, ?, < >, VAR ??, scoring
 * w^x), the recipe flags and the actions, delivered in order as they
 * come (procmail delivers as it goes), the log abstract and the exit
 * code.
 */
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netdb.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pm-private.h"

void pm_pipe_data(struct pm_state *st, struct str *out);
void pm_forward_data(struct pm_state *st, struct str *out);
void pm_command_display(struct pm_state *st, const char *cmd, char **disp_r,
			char **name_r);

/* ---- the environment ---- */

static ssize_t
env_find(struct pm_state *st, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < st->env.n; i++)
		if (strncmp(st->env.v[i], name, n) == 0 &&
		    st->env.v[i][n] == '=')
			return (ssize_t)i;
	return -1;
}

const char *
pm_getenv(struct pm_state *st, const char *name)
{
	ssize_t i = env_find(st, name);

	return i < 0 ? NULL : st->env.v[i] + strlen(name) + 1;
}

void
pm_setenv(struct pm_state *st, const char *name, const char *value)
{
	ssize_t i = env_find(st, name);
	char *kv = xasprintf("%s=%s", name, value);

	if (i >= 0) {
		free(st->env.v[i]);
		st->env.v[i] = kv;
	} else
		strlist_add_owned(&st->env, kv);
}

void
pm_unsetenv(struct pm_state *st, const char *name)
{
	ssize_t i = env_find(st, name);

	if (i < 0)
		return;
	free(st->env.v[i]);
	memmove(&st->env.v[i], &st->env.v[i + 1],
		(st->env.n - (size_t)i) * sizeof(char *));
	st->env.n--;
}

/* ---- the log ---- */

void
pm_log_raw(struct pm_state *st, const char *s, size_t len)
{
	const char *lf = pm_getenv(st, "LOGFILE");
	int fd;

	if (st->dry_run || lf == NULL || *lf == '\0') {
		/* a dry run's clone: the lines before it forked are
		   the parent's, already there */
		if (st->errors != NULL && !st->dry_quiet)
			str_append_n(st->errors, s, len);
		return;
	}
	fd = open(lf, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd < 0)
		return;
	(void)write_full(fd, s, len);
	close(fd);
}

void
pm_log(struct pm_state *st, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	pm_log_raw(st, s, strlen(s));
	free(s);
}

void
pm_trace(struct pm_state *st, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!st->verbose)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	pm_log_raw(st, s, strlen(s));
	free(s);
}

/* procmail's "[pid] date" line, when tracing starts in a process. */
void
pm_trace_stamp(struct pm_state *st)
{
	time_t now = time(NULL);
	char buf[64];

	if (ctime_r(&now, buf) == NULL)
		snprintf(buf, sizeof(buf), "?\n");
	pm_trace(st, "procmail: [%d] %s", (int)getpid(), buf);
}

/* ---- the message ---- */

size_t
pm_header_len(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' && (i + 1 >= len || s[i + 1] == '\n'))
			return i + 1 < len ? i + 2 : len;
	return len;
}

char *
pm_unfold_header(const char *hdr, size_t len)
{
	char *out = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++) {
		out[i] = hdr[i];
		if (hdr[i] == '\n' && i + 1 < len &&
		    (hdr[i + 1] == ' ' || hdr[i + 1] == '\t'))
			out[i] = ' ';
	}
	out[len] = '\0';
	return out;
}

/* The search area of H, B or HB. Caller frees. */
static char *
search_area(struct pm_state *st, bool h, bool b, size_t *len_r)
{
	size_t hl = pm_header_len(st->msg.s, st->msg.len);
	struct str out = STR_INIT;

	str_append(&out, "");
	if (h) {
		char *u = pm_unfold_header(st->msg.s, hl);

		str_append_n(&out, u, hl);
		free(u);
	}
	if (b)
		str_append_n(&out, st->msg.s + hl, st->msg.len - hl);
	*len_r = out.len;
	return str_steal(&out);
}

/* ---- substitution ---- */

static void expand_into(struct pm_state *st, const char *s, size_t n,
			bool dquote_mode, struct str *out);
static void assign(struct pm_state *st, const char *name, const char *value);

static const char *
special_var(struct pm_state *st, const char *name, char *buf, size_t size)
{
	if (strcmp(name, "$") == 0) {
		snprintf(buf, size, "%d", (int)getpid());
		return buf;
	}
	if (strcmp(name, "#") == 0) {
		snprintf(buf, size, "%d", st->nargs);
		return buf;
	}
	if (strcmp(name, "=") == 0) {
		double sc = st->score;

		snprintf(buf, size, "%ld", (long)sc);
		return buf;
	}
	if (strcmp(name, "_") == 0)
		return st->rcfile ? st->rcfile : "";
	if (strcmp(name, "-") == 0)
		return st->lastfolder ? st->lastfolder : "";
	if (name[0] >= '1' && name[0] <= '9' && name[1] == '\0') {
		int k = name[0] - '1';

		return k < st->nargs ? st->args[k] : "";
	}
	if (strcmp(name, "@") == 0 || strcmp(name, "*") == 0) {
		struct str j = STR_INIT;

		for (int i = 0; i < st->nargs; i++) {
			if (i)
				str_appendc(&j, ' ');
			str_append(&j, st->args[i]);
		}
		snprintf(buf, size, "%s", str_c(&j));
		str_free(&j);
		return buf;
	}
	return NULL;
}

static const char *
lookup(struct pm_state *st, const char *name, char *buf, size_t size)
{
	const char *v = special_var(st, name, buf, size);

	if (v != NULL)
		return v;
	if (strcmp(name, "LASTFOLDER") == 0)
		return st->lastfolder;
	return pm_getenv(st, name);
}

/* Quotes every regex-special character, with procmail's "()" lead. */
static void
regex_quote(const char *v, struct str *out)
{
	str_append(out, "()");
	for (; *v; v++) {
		if (strchr("\\^$.[]|()*+?", *v) != NULL)
			str_appendc(out, '\\');
		str_appendc(out, *v);
	}
}

/* Parses a $reference at s[0]=='$'. Returns bytes consumed (0: not a
   reference, a literal '$'). */
static size_t
expand_dollar(struct pm_state *st, const char *s, size_t n, struct str *out)
{
	char buf[4096], name[256];
	size_t i = 1, k = 0;
	bool quote = false;
	const char *v;

	if (n < 2)
		return 0;
	if (s[1] == '\\') {
		quote = true;
		i = 2;
	}
	if (i < n && s[i] == '{') {
		size_t j = i + 1, depth = 1;
		char op[3] = {0};
		const char *word = NULL;
		size_t wlen = 0;

		while (j < n && k < sizeof(name) - 1 &&
		       (isalnum((unsigned char)s[j]) || s[j] == '_'))
			name[k++] = s[j++];
		name[k] = '\0';
		/* As procmail: a name followed by anything but '}' or an
		   operator (special names such as ${#} included), or a
		   name of several characters starting with a digit, is a
		   bad substitution; the name and the character after it
		   are dropped, the rest is kept as it stands. */
		if (j < n && (strchr("}:-+", s[j]) == NULL ||
			      (k > 1 && isdigit((unsigned char)name[0])))) {
			pm_log(st, "procmail: Bad substitution of \"%s\"\n",
			       name);
			return j + 1;
		}
		if (j < n && s[j] == ':' && j + 1 < n &&
		    (s[j + 1] == '-' || s[j + 1] == '+')) {
			op[0] = ':';
			op[1] = s[j + 1];
			j += 2;
		} else if (j < n && (s[j] == '-' || s[j] == '+')) {
			op[0] = s[j];
			j++;
		}
		word = s + j;
		while (j < n && depth > 0) {
			if (s[j] == '{')
				depth++;
			else if (s[j] == '}' && --depth == 0)
				break;
			j++;
		}
		if (j >= n)
			return 0;
		wlen = (size_t)(s + j - word);
		snprintf(st->lastvar, sizeof(st->lastvar), "%s", name);
		/* in braces `_` is a plain variable: procmail's rc file
		   name is only the bare $_ */
		v = strcmp(name, "_") == 0 ? pm_getenv(st, name)
					   : lookup(st, name, buf, sizeof(buf));
		if (op[0] == 0) {
			if (v != NULL) {
				if (quote)
					regex_quote(v, out);
				else
					str_append(out, v);
			}
		} else {
			bool set = v != NULL, nonnull = v != NULL && *v;
			bool use_word;
			char opc = op[0] == ':' ? op[1] : op[0];
			bool cond = op[0] == ':' ? nonnull : set;

			use_word = opc == '-' ? !cond : cond;
			if (opc == '-' && !use_word)
				str_append(out, v);
			else if (use_word)
				expand_into(st, word, wlen, true, out);
		}
		return j + 1;
	}
	if (i < n && (isalpha((unsigned char)s[i]) || s[i] == '_')) {
		while (i < n && k < sizeof(name) - 1 &&
		       (isalnum((unsigned char)s[i]) || s[i] == '_'))
			name[k++] = s[i++];
	} else if (i < n &&
		   strchr(quote ? "123456789" : "$#=_-@*123456789", s[i]))
		/* $\ takes names and digits only: $\$, $\# ... stay
		   as they stand, as in procmail */
		name[k++] = s[i++];
	else
		return 0;
	name[k] = '\0';
	snprintf(st->lastvar, sizeof(st->lastvar), "%s", name);
	/* $_ is the rc file; $\_ is the variable `_` (as ${_}) */
	v = quote && strcmp(name, "_") == 0
		? pm_getenv(st, name)
		: lookup(st, name, buf, sizeof(buf));
	if (quote)
		/* unset quotes as empty: "()", as procmail */
		regex_quote(v != NULL ? v : "", out);
	else if (v != NULL)
		str_append(out, v);
	return i;
}

static char *program_command(struct pm_state *st, const char *cmd, bool check);

/* Runs `cmd` with the message on stdin; output without trailing
   newlines. */
static void
backquote(struct pm_state *st, const char *cmd, struct str *out)
{
	struct str res = STR_INIT;
	struct str data = STR_INIT;

	char *pc;

	if (st->dry_run)
		return;
	pm_pipe_data(st, &data);
	pc = program_command(st, cmd, false);
	cmd = pc;
	(void)pm_run_program(st, cmd, data.s, data.len, &res);
	if (st->linebuf > 4 && res.len > (size_t)st->linebuf - 4) {
		/* procmail keeps what fits in LINEBUF */
		char *disp = NULL, *pname = NULL;

		pm_command_display(st, cmd, &disp, &pname);
		res.len = (size_t)st->linebuf - 4;
		st->quenched = true;
		pm_log(st, "procmail: Excessive output quenched from \"%s\"\n",
		       pname);
		assign(st, "PROCMAIL_OVERFLOW", "yes");
		free(disp);
		free(pname);
	}
	if (st->timed_out) {
		/* procmail's words for a terminated backquote: the value
		   is empty */
		pm_log(st, "procmail: Rescue of unfiltered data failed\n");
		res.len = 0;
	}
	while (res.len > 0 && res.s[res.len - 1] == '\n')
		res.len--;
	str_append_n(out, res.s, res.len);
	str_free(&res);
	str_free(&data);
	free(pc);
}

/* sh-like expansion. dquote_mode: the whole text is as if inside
   double quotes (quotes are then ordinary characters, $ conditions).
   Otherwise quotes are removed and backslashes escape. */
static void
expand_into(struct pm_state *st, const char *s, size_t n, bool dquote_mode,
	    struct str *out)
{
	char q = 0;

	str_append(out, "");
	for (size_t i = 0; i < n;) {
		char c = s[i];

		if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				str_appendc(out, c);
			i++;
			continue;
		}
		if (c == '`') {
			size_t j = i + 1;
			struct str cmd = STR_INIT;

			while (j < n && s[j] != '`') {
				if (s[j] == '\\' && j + 1 < n &&
				    strchr("`\\$", s[j + 1]))
					j++;
				str_appendc(&cmd, s[j]);
				j++;
			}
			str_append(&cmd, "");
			backquote(st, cmd.s, out);
			str_free(&cmd);
			i = j < n ? j + 1 : j;
			continue;
		}
		if (c == '$') {
			size_t used = expand_dollar(st, s + i, n - i, out);

			if (used > 0) {
				i += used;
				continue;
			}
			str_appendc(out, c);
			i++;
			continue;
		}
		if (dquote_mode) {
			if (c == '\\' && i + 1 < n &&
			    strchr("\\$`\"\n", s[i + 1])) {
				if (s[i + 1] != '\n')
					str_appendc(out, s[i + 1]);
				i += 2;
				continue;
			}
			str_appendc(out, c);
			i++;
			continue;
		}
		if (q == '"') {
			if (c == '"') {
				q = 0;
				i++;
				continue;
			}
			if (c == '\\' && i + 1 < n &&
			    strchr("\\$`\"\n", s[i + 1])) {
				if (s[i + 1] != '\n')
					str_appendc(out, s[i + 1]);
				i += 2;
				continue;
			}
			str_appendc(out, c);
			i++;
			continue;
		}
		if (c == '"' || c == '\'') {
			q = c;
			i++;
			continue;
		}
		if (c == '\\' && i + 1 < n) {
			if (s[i + 1] != '\n')
				str_appendc(out, s[i + 1]);
			i += 2;
			continue;
		}
		str_appendc(out, c);
		i++;
	}
}

static char *
expand(struct pm_state *st, const char *s, bool dquote_mode)
{
	struct str out = STR_INIT;

	expand_into(st, s, strlen(s), dquote_mode, &out);
	return str_steal(&out);
}

/* Splits an action line into words, expanding each (quotes group). */
static void
expand_words(struct pm_state *st, const char *s, struct strlist *words)
{
	size_t i = 0, n = strlen(s);

	while (i < n) {
		size_t st0;
		char q = 0;

		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			i++;
		if (i >= n)
			break;
		st0 = i;
		while (i < n) {
			char c = s[i];

			if (q) {
				if (c == q)
					q = 0;
				else if (c == '\\' && q != '\'' && i + 1 < n)
					i++;
			} else if (c == ' ' || c == '\t' || c == '\n')
				break;
			else if (c == '"' || c == '\'' || c == '`')
				q = c;
			else if (c == '\\' && i + 1 < n)
				i++;
			i++;
		}
		struct str w = STR_INIT;
		bool quoted = memchr(s + st0, '"', i - st0) != NULL ||
			      memchr(s + st0, '\'', i - st0) != NULL;

		expand_into(st, s + st0, i - st0, false, &w);
		if (quoted)
			strlist_add_owned(words, str_steal(&w));
		else {
			/* unquoted: the expansion is split into words */
			strlist_split(words, str_c(&w), " \t\n");
			str_free(&w);
		}
	}
}

/* The length of words joined by single blanks. */
static size_t
words_len(const struct strlist *w)
{
	size_t n = 0;

	for (size_t i = 0; i < w->n; i++)
		n += strlen(w->v[i]) + (i > 0);
	return n;
}

void
pm_linebuf_exceeded(struct pm_state *st)
{
	pm_log(st, "procmail: Exceeded LINEBUF\n");
	assign(st, "PROCMAIL_OVERFLOW", "yes");
}

/* A program's command line as procmail runs it: with a SHELLMETAS
   character as written (the shell expands it); otherwise procmail
   expands the words itself, handed on quoted where needed for
   pm_run_program. check: when the expansion does not fit in LINEBUF,
   procmail logs it and hands the line as written to the shell. */
static char *
program_command(struct pm_state *st, const char *cmd, bool check)
{
	struct strlist w = {0};
	struct str out = STR_INIT;
	size_t total = 0;

	if (pm_has_meta(st, cmd))
		return xstrdup(cmd);
	expand_words(st, cmd, &w);
	for (size_t i = 0; i < w.n; i++)
		total += strlen(w.v[i]) + (i > 0);
	if (check && total >= (size_t)st->linebuf + 1) {
		pm_linebuf_exceeded(st);
		st->force_shell = true;
		strlist_free(&w);
		return xstrdup(cmd);
	}
	str_append(&out, "");
	for (size_t i = 0; i < w.n; i++) {
		const char *v = w.v[i];

		if (i > 0)
			str_appendc(&out, ' ');
		if (*v != '\0' && strpbrk(v, " \t\n'\"\\") == NULL) {
			str_append(&out, v);
			continue;
		}
		str_appendc(&out, '\'');
		for (; *v; v++) {
			if (*v == '\'')
				str_append(&out, "'\"'\"'");
			else
				str_appendc(&out, *v);
		}
		str_appendc(&out, '\'');
	}
	strlist_free(&w);
	return str_steal(&out);
}

/* ---- LINEBUF: what procmail cannot read ---- */

static bool
literal_text(const char *s)
{
	return strpbrk(s, "$\"'`") == NULL;
}

bool
pm_cond_too_long(const struct pm_state *st, const char *raw)
{
	raw += strspn(raw, " \t");
	return strlen(raw) >= (size_t)st->linebuf;
}

/* The action line as procmail reads it: a folder line of plain text
   needs 5 characters to spare, a program line fits as it stands, a
   forward line with $SENDMAIL $SENDMAILFLAGS in front. */
static bool
action_too_long(struct pm_state *st, const struct pm_recipe *r)
{
	const char *t = r->action_text;
	size_t lb = (size_t)st->linebuf;

	if (t == NULL || r->action == PM_ACT_BLOCK)
		return false;
	if (r->action == PM_ACT_PIPE)
		return strlen(t) >= lb;
	t += strspn(t, " \t");
	if (r->action == PM_ACT_FORWARD) {
		const char *sm = pm_getenv(st, "SENDMAIL");
		const char *smf = pm_getenv(st, "SENDMAILFLAGS");

		return strlen(sm ? sm : "") + 1 + strlen(smf ? smf : "") + 1 +
			   strlen(t) >=
		       lb + 1;
	}
	return literal_text(t) && strlen(t) + 5 >= lb;
}

void
pm_read_skipped(struct pm_state *st, const struct pm_recipe *r, size_t from)
{
	if (r == NULL)
		return;
	for (size_t i = from; i < r->nconds; i++)
		if (pm_cond_too_long(st, r->conds[i].raw))
			pm_linebuf_exceeded(st);
	if (r->action != PM_ACT_BLOCK) {
		if (action_too_long(st, r))
			pm_linebuf_exceeded(st);
		return;
	}
	for (const struct pm_node *n = r->block; n != NULL; n = n->next) {
		if (n->kind == PM_NODE_RECIPE)
			pm_read_skipped(st, &n->recipe, 0);
		else if (n->value != NULL && literal_text(n->value) &&
			 strlen(n->value) + 1 >= (size_t)st->linebuf)
			pm_linebuf_exceeded(st);
	}
}

/* ---- assignments and their side effects ---- */

/* procmail's yes/no values (VERBOSE, COMSAT, ...). */
static bool
pm_bool(const char *v)
{
	if (v == NULL || *v == '\0')
		return false;
	if (isdigit((unsigned char)*v))
		return atol(v) != 0;
	return strncasecmp(v, "on", 2) == 0 || *v == 'y' || *v == 'Y' ||
	       *v == 't' || *v == 'T' || *v == 'a' || *v == 'A';
}

static int run_rcfile(struct pm_state *st, const char *path);

static void
assign(struct pm_state *st, const char *name, const char *value)
{
	if (st->quiet_assign)
		st->quiet_assign = false;
	else if (value != NULL)
		pm_trace(st, "procmail: Assigning \"%s=%s\"\n", name, value);
	else
		pm_trace(st, "procmail: Assigning \"%s\"\n", name);
	if (strcmp(name, "LOCKFILE") == 0) {
		/* the global lockfile: the old one goes, the new one is
		   taken (waiting as LOCKSLEEP/LOCKTIMEOUT say) */
		if (st->lockfile != NULL) {
			pm_unlock(st, st->lockfile);
			xfree(st->lockfile);
		}
		if (value != NULL && *value && !st->dry_run) {
			if (pm_lock(st, value) == 0)
				st->lockfile = xstrdup(value);
			else {
				/* procmail then unsets LOCKFILE */
				pm_log(st, "procmail: Lock failure on \"%s\"\n",
				       value);
				assign(st, name, NULL);
				return;
			}
		}
	}
	if (value == NULL && strcmp(name, "MAILDIR") == 0)
		/* procmail takes an unset MAILDIR as an empty one (chdir
		   fails, MAILDIR becomes ".") */
		value = "";
	if (value == NULL) {
		pm_unsetenv(st, name);
		return;
	}
	if (strcmp(name, "LASTFOLDER") == 0) {
		free(st->lastfolder);
		st->lastfolder = xstrdup(value);
	}
	pm_setenv(st, name, value);
	if (strcmp(name, "VERBOSE") == 0) {
		bool was = st->verbose;

		st->verbose = pm_bool(value);
		if (st->verbose && !was)
			pm_trace_stamp(st);
	} else if (strcmp(name, "TIMEOUT") == 0)
		st->timeout = atol(value);
	else if (strcmp(name, "LINEBUF") == 0) {
		/* procmail never goes below its minimum */
		long lb = atol(value);

		st->linebuf = lb < PM_LINEBUF_MIN ? PM_LINEBUF_MIN : lb;
	}
	if (strcmp(name, "MAILDIR") == 0) {
		if (!st->dry_run && chdir(value) < 0) {
			pm_log(st, "procmail: Couldn't chdir to \"%s\"\n",
			       value);
			/* procmail stays where it is and says so */
			pm_trace(st, "procmail: Assigning \"MAILDIR=.\"\n");
			pm_setenv(st, "MAILDIR", ".");
		}
	} else if (strcmp(name, "LOG") == 0)
		pm_log_raw(st, value, strlen(value));
	else if (strcmp(name, "UMASK") == 0)
		umask((mode_t)strtol(value, NULL, 8));
	else if (strcmp(name, "EXITCODE") == 0)
		st->exitcode = *value ? atoi(value) : -1;
	else if (strcmp(name, "HOST") == 0) {
		if (strcmp(value, st->hostname) != 0) {
			pm_trace(st, "procmail: HOST mismatched \"%s\"\n",
				 st->hostname);
			/* procmail stops quietly on another host */
			st->stop = true;
			st->host_stop = true;
		}
	} else if (strcmp(name, "INCLUDERC") == 0 ||
		   strcmp(name, "SWITCHRC") == 0) {
		bool sw = name[0] == 'S';

		if (*value == '\0') {
			if (sw)
				st->stop = true;
			return;
		}
		if (st->include_depth > 32)
			return;
		st->include_depth++;
		(void)run_rcfile(st, value);
		st->include_depth--;
		if (sw)
			st->stop = true;
	} else if (strcmp(name, "SHIFT") == 0) {
		int k = atoi(value);

		if (k > 0) {
			if (k > st->nargs)
				k = st->nargs;
			st->args += k;
			st->nargs -= k;
		}
	}
}

/* ---- conditions ---- */

static const char *const macros[][2] = {
    {"^TO_", "(^((Original-)?(Resent-)?(To|Cc|Bcc)|(X-Envelope|Apparently"
	     "(-Resent)?)-To):(.*[^-a-zA-Z0-9_.])?)"},
    {"^TO", "(^((Original-)?(Resent-)?(To|Cc|Bcc)|(X-Envelope|Apparently"
	    "(-Resent)?)-To):(.*[^a-zA-Z])?)"},
    {"^FROM_DAEMON",
     "(^(Mailing-List:|Precedence:.*(junk|bulk|list)|To: Multiple "
     "recipients of |(((Resent-)?(From|Sender)|X-Envelope-From):|>?From )"
     "([^>]*[^(.%@a-z0-9])?(Post(ma?(st(e?r)?|n)|office)|(send)?Mail(er)?"
     "|daemon|m(mdf|ajordomo)|n?uucp|LIST(SERV|proc)|NETSERV|o(wner|ps)"
     "|r(e(quest|sponse)|oot)|b(ounce|bs\\.smtp)|echo|mirror|s(erv(ices?|"
     "er)|mtp(error)?|ystem)|A(dmin(istrator)?|MMGR|utoanswer))(([^).!:a-"
     "z0-9][-_a-z0-9]*)?[%@>\t ][^<)]*(\\(.*\\).*)?)?$([^>]|$)))"},
    {"^FROM_MAILER",
     "(^(((Resent-)?(From|Sender)|X-Envelope-From):|>?From )([^>]*[^(.%@a-"
     "z0-9])?(Post(ma(st(er)?|n)|office)|(send)?Mail(er)?|daemon|mmdf|n?"
     "uucp|ops|r(esponse|oot)|(bbs\\.)?smtp(error)?|s(erv(ices?|er)|ystem)"
     "|A(dmin(istrator)?|MMGR))(([^).!:a-z0-9][-_a-z0-9]*)?[%@>\t ][^<)]*"
     "(\\(.*\\).*)?)?$([^>]|$))"},
};

/* Replaces procmail's ^TO_, ^TO, ^FROM_DAEMON and ^FROM_MAILER. */
static char *
expand_macros(const char *re)
{
	struct str out = STR_INIT;

	str_append(&out, "");
	while (*re) {
		size_t i;

		for (i = 0; i < N_ELEMENTS(macros); i++) {
			size_t n = strlen(macros[i][0]);

			if (strncmp(re, macros[i][0], n) == 0) {
				str_append(&out, macros[i][1]);
				re += n;
				break;
			}
		}
		if (i == N_ELEMENTS(macros)) {
			if (*re == '\\' && re[1] != '\0')
				str_appendc(&out, *re++);
			str_appendc(&out, *re++);
		}
	}
	return str_steal(&out);
}

struct cond_eval {
	bool weighted;
	double w, x;
};

static bool
parse_weight(const char **p, double *w_r, double *x_r)
{
	const char *s = *p;
	char *e;
	double w, x;

	if (!(isdigit((unsigned char)*s) || *s == '-' || *s == '+' ||
	      *s == '.'))
		return false;
	w = strtod(s, &e);
	if (e == s || *e != '^')
		return false;
	s = e + 1;
	x = strtod(s, &e);
	if (e == s)
		return false;
	*w_r = w;
	*x_r = x;
	s = e;
	while (*s == ' ' || *s == '\t')
		s++;
	*p = s;
	return true;
}

#define SCORE_MAX 2147483647.0

static double
series(double w, double x, long n)
{
	double sum = 0, t = w;

	for (long k = 0; k < n; k++) {
		sum += t;
		/* a shrinking series ends, as procmail's does, after the
		   first term below one */
		if (x == 0 || (fabs(x) < 1 && fabs(t) < 1))
			break;
		t *= x;
	}
	return sum;
}

/* A total score as procmail's trace prints it: whole numbers, "+0"
   for a positive fraction below one. */
static void
score_text(double v, char *buf, size_t size)
{
	long l = (long)v;

	if (l == 0 && v > 0)
		snprintf(buf, size, "+0");
	else
		snprintf(buf, size, "%ld", l);
}

/* The trace of one condition: "Match on", "No match on" or, weighted,
   "Score: added total". */
static void
trace_cond(struct pm_state *st, bool weighted, bool neg, int res, double add,
	   double total, const char *text)
{
	if (!st->verbose)
		return;
	if (weighted) {
		char a[32], t[32];

		snprintf(a, sizeof(a), "%ld", (long)add);
		score_text(total, t, sizeof(t));
		pm_trace(st, "procmail: Score: %7s %7s %s\"%s\"\n", a, t,
			 neg ? "! " : "", text);
	} else
		pm_trace(st, "procmail: %s %s\"%s\"\n",
			 res ? "Match on" : "No match on", neg ? "! " : "",
			 text);
}

/* Evaluates one condition. Returns 1 true, 0 false; adds to *score when
   weighted. */
static int
eval_cond(struct pm_state *st, const struct pm_recipe *r, const char *raw,
	  double *score, bool *weighted_any)
{
	const char *p = raw;
	double w = 0, x = 0;
	bool weighted = parse_weight(&p, &w, &x);
	bool neg = false;
	char *expanded = NULL;
	int res = 0;

	if (weighted)
		*weighted_any = true;
again:
	while (*p == '!') {
		neg = !neg;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (*p == '$' && expanded == NULL) {
		st->lastvar[0] = '\0';
		expanded = expand(st, p + 1, true);
		p = expanded;
		if (strlen(p + strspn(p, " \t")) >= (size_t)st->linebuf) {
			/* procmail's buffer overflows: the condition fails,
			   its trace shows the last variable it expanded */
			pm_linebuf_exceeded(st);
			if (st->lastvar[0] != '\0')
				pm_trace(st, "procmail: No match on %s\"%s\"\n",
					 neg ? "! " : "", st->lastvar);
			free(expanded);
			return -1;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		goto again;
	}
	if (*p == '?') {
		struct str data = STR_INIT;
		size_t alen;
		bool h = r->flags.H || !r->flags.B, b = r->flags.B;
		char *area = search_area(st, h, b, &alen);
		int status;

		double before = *score;
		char *disp = NULL, *pname = NULL, *pcmd;
		const char *praw;

		p++;
		praw = p;
		pcmd = program_command(st, p, false);
		p = pcmd;
		status =
		    st->dry_run ? 1 : pm_run_program(st, p, area, alen, NULL);
		free(area);
		str_free(&data);
		pm_command_display(st, p, &disp, &pname);
		if (status != 0 && !st->dry_run)
			pm_trace(st,
				 "procmail: Non-zero exitcode (%d) from "
				 "\"%s\"\n",
				 status,
				 strcmp(disp, praw) == 0 ? praw : pname);
		if (weighted) {
			if (neg)
				*score += series(w, x, status < 0 ? 0 : status);
			else
				*score += status == 0 ? w : x;
			res = 1;
		} else
			res = (status == 0) != neg;
		trace_cond(st, weighted, neg, res, *score - before, *score,
			   disp);
		free(disp);
		free(pname);
		free(pcmd);
		goto out;
	}
	if (*p == '<' || *p == '>') {
		bool less = *p == '<';
		long lim = atol(p + 1);
		double m = (double)st->msg.len;
		double before = *score;

		if (weighted) {
			if (lim > 0 && m > 0)
				*score += w * pow(less ? lim / m : m / lim, x);
			res = 1;
		} else
			res = (less ? m < lim : m > lim) != neg;
		trace_cond(st, weighted, neg, res, *score - before, *score, p);
		goto out;
	}
	{
		/* VAR ?? regex */
		const char *q = p, *text;
		size_t tlen;
		char *area = NULL, *varname = NULL;
		struct pm_regex *re;
		const char *err;

		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		const char *ne = q;
		while (*q == ' ' || *q == '\t')
			q++;
		if (ne > p && (isalpha((unsigned char)*p) || *p == '_') &&
		    q[0] == '?' && q[1] == '?') {
			varname = xstrndup(p, (size_t)(ne - p));
			p = q + 2;
			while (*p == ' ' || *p == '\t')
				p++;
		}
		const char *shown = p;

		if (*p == '\\')
			p++; /* a leading backslash quotes */
		if (varname != NULL &&
		    (strcmp(varname, "H") == 0 || strcmp(varname, "B") == 0 ||
		     strcmp(varname, "HB") == 0 ||
		     strcmp(varname, "BH") == 0)) {
			area = search_area(st, strchr(varname, 'H') != NULL,
					   strchr(varname, 'B') != NULL, &tlen);
			text = area;
		} else if (varname != NULL) {
			char buf[4096];
			/* procmail's ?? does not see $_ (the rc file
			   name): `_` is a plain variable there */
			const char *v =
			    strcmp(varname, "_") == 0
				? pm_getenv(st, varname)
				: lookup(st, varname, buf, sizeof(buf));

			area = xstrdup(v ? v : "");
			tlen = strlen(area);
			text = area;
		} else {
			bool h = r->flags.H || !r->flags.B, b = r->flags.B;

			area = search_area(st, h, b, &tlen);
			text = area;
		}
		char *rx = expand_macros(p);

		re = pm_regex_compile(rx, strlen(rx), r->flags.D, &err);
		double before = *score;

		if (re == NULL) {
			pm_log(st, "procmail: Invalid regexp \"%s\"\n", p);
			res = 0;
		} else if (weighted && !neg) {
			long cnt =
			    x == 0
				? (pm_regex_search(re, text, tlen, 0, NULL) > 0)
				: pm_regex_count(re, text, tlen, 1000000);
			if (cnt < 0)
				*score += w > 0	  ? SCORE_MAX
					  : w < 0 ? -SCORE_MAX
						  : 0;
			else
				*score += series(w, x, cnt);
			res = 1;
		} else {
			struct pm_match m;
			int hit = pm_regex_search(re, text, tlen, 0, &m);

			if (hit > 0 && m.has_match && !neg) {
				char *mv =
				    xstrndup(text + m.match_start,
					     m.match_end - m.match_start);

				pm_trace(st,
					 "procmail: Assigning \"MATCH=\"\n");
				pm_trace(st, "procmail: Matched \"%s\"\n", mv);
				pm_setenv(st, "MATCH", mv);
				free(mv);
			}
			if (weighted) {
				if (hit == 0)
					*score += w;
				res = 1;
			} else
				res = (hit > 0) != neg;
		}
		if (re != NULL) {
			char *sx = expand_macros(shown);

			trace_cond(st, weighted, neg, res, *score - before,
				   *score, sx);
			free(sx);
		}
		free(rx);
		pm_regex_free(&re);
		free(area);
		free(varname);
	}
out:
	free(expanded);
	return res;
}

/* ---- recipes ---- */

static int run_nodes(struct pm_state *st, const struct pm_node *n);

static void
record(struct pm_state *st, enum pm_action_kind kind, const char *target,
       bool copy, int line)
{
	if (st->dry_quiet)
		return;
	/* a clone's deliveries come on top of the parent's */
	copy |= st->dry_npath > 0;
	if (st->ndone == st->capdone) {
		st->capdone = st->capdone == 0 ? 4 : st->capdone * 2;
		st->done =
		    xreallocarray(st->done, st->capdone, sizeof(*st->done));
	}
	st->done[st->ndone++] =
	    (struct pm_done){kind, xstrdup(target), copy, line};
}

/* The log abstract: From_ line, Subject, Folder and size. */
void
pm_log_abstract(struct pm_state *st, const char *folder, size_t size)
{
	const char *la = pm_getenv(st, "LOGABSTRACT");
	const struct str *msg = st->whole != NULL ? st->whole : &st->msg;
	const char *s = msg->s;
	size_t hl = pm_header_len(s, msg->len);
	struct str out = STR_INIT;
	size_t col;

	/* a bounce shows the size of the last delivery that succeeded,
	   as procmail */
	st->last_written = size;
	if (la != NULL &&
	    (strcasecmp(la, "no") == 0 ||
	     (strcasecmp(la, "all") != 0 && *la != '\0' && atoi(la) == 0)))
		return;
	/* the abstract goes to LOGFILE only, never to stderr */
	{
		const char *lf = pm_getenv(st, "LOGFILE");

		if (lf == NULL || *lf == '\0')
			return;
	}
	/* unset: only the abstract of the delivery that ends the run */
	if ((la == NULL || strcasecmp(la, "all") != 0) && st->copying)
		return;
	if (msg->len >= 5 && memcmp(s, "From ", 5) == 0) {
		const char *nl = memchr(s, '\n', msg->len);
		size_t n = nl ? (size_t)(nl - s) : msg->len;

		str_append_n(&out, s, n);
		str_appendc(&out, '\n');
	}
	for (size_t i = 0; i + 9 < hl; i++) {
		if (s[i] == '\n' &&
		    strncasecmp(s + i + 1, "Subject:", 8) == 0) {
			const char *b = s + i + 1;
			const char *nl = memchr(b, '\n', hl - i - 1);
			size_t n = nl ? (size_t)(nl - b) : hl - i - 1;

			if (n > 78)
				n = 78;
			str_appendc(&out, ' ');
			/* procmail shows white space (tabs, CR) as blanks */
			for (size_t k = 0; k < n; k++)
				str_appendc(&out, strchr("\t\r\v\f", b[k]) &&
							  b[k] != '\0'
						      ? ' '
						      : b[k]);
			str_appendc(&out, '\n');
			break;
		}
	}
	str_append(&out, "  Folder: ");
	{
		/* at most 60 characters of the name, newlines as spaces */
		size_t fl = strlen(folder);

		if (fl > 60)
			fl = 60;
		for (size_t i = 0; i < fl; i++)
			str_appendc(&out, folder[i] == '\n' ? ' ' : folder[i]);
		col = 10 + fl;
	}
	{
		char num[32];
		int nl = snprintf(num, sizeof(num), "%zu", size);
		size_t tabs_to = 80 - (size_t)nl - 1;

		if (col >= tabs_to)
			str_appendc(&out, ' ');
		while (col < tabs_to) {
			size_t nt = (col / 8 + 1) * 8;

			if (nt > tabs_to)
				break;
			str_appendc(&out, '\t');
			col = nt;
		}
		while (col < tabs_to) {
			str_appendc(&out, ' ');
			col++;
		}
		str_printf(&out, "%s\n", num);
	}
	pm_log_raw(st, out.s, out.len);
	str_free(&out);
}

static void
lastfolder_quiet(struct pm_state *st, const char *f)
{
	free(st->lastfolder);
	st->lastfolder = xstrdup(f);
	pm_setenv(st, "LASTFOLDER", f);
}

void
pm_set_lastfolder(struct pm_state *st, const char *f)
{
	pm_trace(st, "procmail: Assigning \"LASTFOLDER=%s\"\n", f);
	free(st->lastfolder);
	st->lastfolder = xstrdup(f);
	pm_setenv(st, "LASTFOLDER", f);
}

/* COMSAT: after the delivery that ends the run, procmail tells
   biff(1)'s comsat "user@offset:folder" by UDP, when COMSAT is set to a
   yes or to [service]@[host] (it is off unless set: -m and the
   oracle's runs). */
static void
comsat_notify(struct pm_state *st, const char *folder)
{
	const char *v = pm_getenv(st, "COMSAT");
	const char *at;
	char *service, *host, *path, *msg;
	struct addrinfo hints = {0}, *ai = NULL;
	struct passwd *pw;
	size_t fl;

	if (v == NULL && st->opt->comsat_default)
		v = "yes";
	if (st->dry_run || v == NULL || *v == '\0' ||
	    (strchr(v, '@') == NULL && !pm_bool(v)))
		return;
	at = strchr(v, '@');
	service = xstrdup("biff");
	host = xstrdup("localhost");
	if (at != NULL) {
		if (at > v) {
			free(service);
			service = xstrndup(v, (size_t)(at - v));
		}
		if (at[1] != '\0') {
			free(host);
			host = xstrdup(at + 1);
		}
	}
	fl = strcspn(folder, " ");
	if (folder[0] == '/')
		path = xstrndup(folder, fl);
	else {
		char *cwd = getcwd(NULL, 0);

		path = xasprintf("%s/%.*s", cwd ? cwd : ".", (int)fl, folder);
		free(cwd);
	}
	pw = getpwuid(getuid());
	msg = xasprintf("%s@%ld:%s", pw != NULL ? pw->pw_name : "?",
			st->last_offset, path);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((getaddrinfo(host, service, &hints, &ai) == 0 ||
	     getaddrinfo(host, "512", &hints, &ai) == 0) &&
	    ai != NULL) {
		int fd = socket(ai->ai_family, ai->ai_socktype, 0);

		if (fd >= 0) {
			/* nothing listening is no error: UDP */
			(void)sendto(fd, msg, strlen(msg), 0, ai->ai_addr,
				     ai->ai_addrlen);
			close(fd);
			pm_trace(st, "procmail: Notified comsat: \"%s\"\n",
				 msg);
		}
		freeaddrinfo(ai);
	}
	free(msg);
	free(path);
	free(service);
	free(host);
}

/* The part of the message an action writes (h and b flags). */
static void
action_data(struct pm_state *st, const struct pm_flags *f, struct str *saved)
{
	bool h = f->h || !f->b, b = f->b || !f->h;
	size_t hl;

	if (h && b)
		return;
	*saved = st->msg;
	str_init(&st->msg);
	hl = pm_header_len(saved->s, saved->len);
	if (h)
		str_append_n(&st->msg, saved->s, hl);
	if (b)
		str_append_n(&st->msg, saved->s + hl, saved->len - hl);
	str_append(&st->msg, "");
}

static void
action_data_restore(struct pm_state *st, struct str *saved)
{
	if (saved->s == NULL)
		return;
	str_free(&st->msg);
	st->msg = *saved;
	str_init(saved);
}

/* Lets a program that is not waited for start: its "Executing" comes
   after the parent's lines for the delivery, as in procmail. */
static void
pm_release(struct pm_state *st)
{
	if (st->release_fd >= 0) {
		close(st->release_fd);
		st->release_fd = -1;
	}
}

/* Runs the action of a matched recipe. Returns 1 success, 0 failure. */
static int
run_action(struct pm_state *st, const struct pm_node *node)
{
	const struct pm_recipe *r = &node->recipe;
	const struct pm_flags *f = &r->flags;
	bool delivering = !f->c && !f->f && r->capture == NULL;

	st->copying = !delivering;
	struct str saved = STR_INIT;
	int ok = 0;
	char *lockfile = NULL;

	if (r->action == PM_ACT_BLOCK) {
		if (r->lock && !st->dry_run) {
			/* a block has no use for a local lockfile: procmail
			   says so, then takes the lock and lets it go at
			   once; on a c block it holds it until the clone is
			   done */
			const char *ext = pm_getenv(st, "LOCKEXT");

			lockfile = r->lockfile != NULL
				       ? expand(st, r->lockfile, false)
				       : xstrdup(ext != NULL ? ext : ".lock");
			if (!f->c)
				pm_log(st, "procmail: Extraneous locallockfile "
					   "ignored\n");
			if (pm_lock(st, lockfile) < 0)
				xfree(lockfile);
			else if (!f->c) {
				pm_unlock(st, lockfile);
				xfree(lockfile);
			}
		}
		if (f->c && !st->dry_run) {
			/* procmail clones itself: the clone runs the block
			   and goes on with the rest of the rc file as
			   usual, the parent jumps across the block and does
			   not wait */
			pid_t pid;

			pm_trace(st, "procmail: Forking \"procmail\"\n");
			fflush(NULL);
			pid = fork();
			if (pid < 0) {
				pm_log(st, "procmail: Couldn't fork\n");
				return 0;
			}
			if (pid > 0) {
				if (lockfile != NULL) {
					waitpid(pid, NULL, 0);
					if (st->verbose)
						pm_trace_stamp(st);
					pm_unlock(st, lockfile);
					xfree(lockfile);
				}
				return 1;
			}
			xfree(lockfile); /* the parent's to let go */
			st->clone = true;
			st->npending = 0;
			/* lockfiles are not inherited */
			xfree(st->lockfile);
			if (st->verbose)
				pm_trace_stamp(st);
			run_nodes(st, r->block);
			return 1;
		}
		if (f->c) {
			/* a dry run: the parent jumps across the block; the
			   clone (which runs the block, then the rest of the
			   rc file) gets a run of its own, see pm_run() */
			int k = st->dry_forks++;
			bool clone = false;

			for (int i = 0; i < st->dry_npath; i++)
				clone |= st->dry_path[i] == k;
			if (clone) {
				if (k == st->dry_path[st->dry_npath - 1])
					st->dry_quiet = false;
				run_nodes(st, r->block);
				return 1;
			}
			if (!st->dry_quiet) {
				st->dry_more = xreallocarray(
				    st->dry_more, (size_t)st->dry_nmore + 1,
				    sizeof(int));
				st->dry_more[st->dry_nmore++] = k;
			}
			return 1;
		}
		run_nodes(st, r->block);
		return 1;
	}
	if (action_too_long(st, r)) {
		/* procmail cannot read the line: the action fails (a
		   program line's leaves the last outcome as it was) */
		pm_linebuf_exceeded(st);
		return r->action == PM_ACT_PIPE ? PM_ACTION_UNREAD : 0;
	}
	if (r->lock) {
		if (r->lockfile != NULL)
			lockfile = expand(st, r->lockfile, false);
		else if (r->action != PM_ACT_FOLDER) {
			/* procmail takes the file after the last ">>" */
			const char *ext = pm_getenv(st, "LOCKEXT");
			const char *gt = NULL, *q = r->action_text;
			char *word = NULL;

			while ((q = strstr(q, ">>")) != NULL)
				gt = q, q += 2;
			if (gt != NULL) {
				struct strlist w = {0};

				expand_words(st, gt + 2, &w);
				if (w.n > 0)
					word = xstrdup(w.v[0]);
				strlist_free(&w);
			}
			if (word != NULL)
				lockfile = xasprintf("%s%s", word,
						     ext ? ext : ".lock");
			else
				pm_log(st,
				       "procmail: Couldn't determine implicit "
				       "lockfile from \"%s\"\n",
				       r->action_text);
			free(word);
		}
	}
	action_data(st, f, &saved);
	st->raw = f->r;
	if (r->action == PM_ACT_FOLDER) {
		struct strlist folders = {0};
		char *logname = NULL;
		size_t written = 0;

		expand_words(st, r->action_text, &folders);
		if (words_len(&folders) >= (size_t)st->linebuf + 1) {
			pm_linebuf_exceeded(st);
			strlist_free(&folders);
			action_data_restore(st, &saved);
			free(lockfile);
			return 0;
		}
		if (folders.n == 0) {
			strlist_free(&folders);
			action_data_restore(st, &saved);
			free(lockfile);
			return 0;
		}
		if (st->dry_run) {
			record(st, PM_ACT_FOLDER, folders.v[0], !delivering,
			       node->line);
			ok = 1;
		} else if ((st->whole = saved.s != NULL ? &saved : NULL,
			    pm_deliver_folders(st, &folders, r->lock, lockfile,
					       !delivering, &logname,
					       &written) == 0)) {
			st->whole = NULL;
			record(st, PM_ACT_FOLDER, logname, !delivering,
			       node->line);
			lastfolder_quiet(st, logname);
			action_data_restore(st, &saved);
			if (delivering) {
				comsat_notify(st, logname);
				pm_log_abstract(st, logname, written);
			}
			free(logname);
			ok = 1;
		} else {
			st->whole = NULL;
			size_t fl = strlen(folders.v[0]);

			while (fl > 1 && folders.v[0][fl - 1] == '/')
				fl--;
			pm_log(st,
			       "procmail: Error while writing to \"%.*s\"\n",
			       (int)fl, folders.v[0]);
			lastfolder_quiet(st, folders.v[0]);
		}
		strlist_free(&folders);
	} else if (r->action == PM_ACT_FORWARD) {
		struct strlist words = {0};
		struct str cmd = STR_INIT;
		const char *sm = pm_getenv(st, "SENDMAIL");
		const char *smf = pm_getenv(st, "SENDMAILFLAGS");

		expand_words(st, r->action_text, &words);
		/* quoted for the shell only when it will be used */
		str_append(&cmd, sm ? sm : "/usr/sbin/sendmail");
		if (smf != NULL && *smf) {
			str_appendc(&cmd, ' ');
			str_append(&cmd, smf);
		}
		for (size_t i = 0; i < words.n; i++) {
			str_appendc(&cmd, ' ');
			str_append(&cmd, words.v[i]);
		}
		if (strlen(sm ? sm : "") + 1 + strlen(smf ? smf : "") + 1 +
			words_len(&words) >=
		    (size_t)st->linebuf + 1) {
			/* "$SENDMAIL $SENDMAILFLAGS addresses" does not fit
			   procmail's buffer: the action fails */
			pm_linebuf_exceeded(st);
			str_free(&cmd);
			strlist_free(&words);
			action_data_restore(st, &saved);
			free(lockfile);
			return 0;
		}
		if (st->dry_run) {
			record(st, PM_ACT_FORWARD, r->action_text, !delivering,
			       node->line);
			ok = 1;
		} else {
			struct str data = STR_INIT;
			struct strlist argv = {0};
			int status;
			/* run without a shell: argv is exact */
			char *one = NULL;

			(void)one;
			pm_forward_data(st, &data);
			st->nowait = !f->w && !f->W;
			strlist_add(&argv, sm ? sm : "/usr/sbin/sendmail");
			if (smf != NULL && *smf)
				strlist_split(&argv, smf, " \t");
			for (size_t i = 0; i < words.n; i++)
				strlist_add(&argv, words.v[i]);
			{
				/* build a shell-free command line by quoting
				   each word in '' for pm_run_program's
				   splitter */
				struct str q = STR_INIT;

				for (size_t i = 0; i < argv.n; i++) {
					if (i)
						str_appendc(&q, ' ');
					str_appendc(&q, '\'');
					for (const char *c = argv.v[i]; *c;
					     c++) {
						if (*c == '\'')
							str_append(&q,
								   "'\"'\"'");
						else
							str_appendc(&q, *c);
					}
					str_appendc(&q, '\'');
				}
				const char *metas = pm_getenv(st, "SHELLMETAS");
				char *m = metas ? xstrdup(metas) : NULL;

				pm_setenv(st, "SHELLMETAS", "");
				status = pm_run_program(st, q.s, data.s,
							data.len, NULL);
				if (m != NULL) {
					pm_setenv(st, "SHELLMETAS", m);
					free(m);
				} else
					pm_unsetenv(st, "SHELLMETAS");
				str_free(&q);
			}
			strlist_free(&argv);
			ok = status == 0;
			if (ok) {
				record(st, PM_ACT_FORWARD, str_c(&cmd),
				       !delivering, node->line);
				pm_set_lastfolder(st, str_c(&cmd));
				pm_log_abstract(st, str_c(&cmd), data.len);
			}
			str_free(&data);
		}
		str_free(&cmd);
		strlist_free(&words);
	} else if (r->action == PM_ACT_PIPE) {
		char *pcmd = program_command(st, r->action_text, true);
		const char *cmd = pcmd;

		if (f->c && (f->f || r->capture != NULL))
			/* a filter or capture never delivers: c means
			   nothing there */
			pm_log(st, "procmail: Extraneous copy-flag ignored\n");
		struct str data = STR_INIT, out = STR_INIT;
		int status;
		char *display = NULL, *pname = NULL;

		bool locked = lockfile != NULL; /* waited for, as procmail */

		pm_command_display(st, cmd, &display, &pname);

		if (lockfile != NULL && !st->dry_run &&
		    pm_lock(st, lockfile) < 0) {
			pm_log(st, "procmail: Lock failure on \"%s\"\n",
			       lockfile);
			xfree(lockfile);
		}
		if (st->dry_run) {
			record(st, PM_ACT_PIPE, cmd, !delivering, node->line);
			ok = 1;
		} else {
			bool capture = r->capture != NULL || f->f;

			pm_pipe_data(st, &data);
			if (r->capture != NULL)
				pm_trace(st, "procmail: Assigning \"%s=\"\n",
					 r->capture);
			st->nowait = !capture && !f->w && !f->W && !locked;
			status = pm_run_program(st, cmd, data.s, data.len,
						capture ? &out : NULL);
			/* the exit status counts only with w or W (and for
			   filters and captures, which wait anyway) */
			if (f->w || f->W || f->f)
				ok = status == 0;
			else
				ok = status >= 0;
			/* a program that did not read the whole message
			   failed, unless the i flag says to ignore that */
			if (st->write_failed && !f->i && r->capture == NULL)
				ok = 0;
			if (!ok && status != 0 && !f->W &&
			    !(f->f && st->timed_out))
				pm_log(st,
				       "procmail: Program failure (%d) of "
				       "\"%s\"\n",
				       status, pname);
			else if (!ok && status != 0 && !st->timed_out)
				pm_trace(st,
					 "procmail: Non-zero exitcode (%d) "
					 "from \"%s\"\n",
					 status, pname);
			if (!ok && !f->f && r->capture == NULL)
				pm_set_lastfolder(st, display);
			if (!ok && f->f)
				pm_log(st,
				       "procmail: Rescue of unfiltered data "
				       "succeeded\n");
			if (ok && r->capture != NULL) {
				while (out.len > 0 &&
				       out.s[out.len - 1] == '\n')
					out.len--;
				str_append(&out, "");
				action_data_restore(st, &saved);
				st->quiet_assign = true;
				assign(st, r->capture, out.s);
				if (st->opt->on_assign != NULL &&
				    !st->dry_quiet)
					st->opt->on_assign(
					    st->opt->on_assign_arg, st,
					    r->capture, out.s, node->line);
			} else if (ok && f->f) {
				/* the filter's output replaces the part fed */
				bool h = f->h || !f->b, b = f->b || !f->h;
				struct str nm = STR_INIT;

				action_data_restore(st, &saved);
				if (h && b)
					str_append_n(&nm, out.s, out.len);
				else {
					size_t hl = pm_header_len(st->msg.s,
								  st->msg.len);
					if (h) {
						str_append_n(&nm, out.s,
							     out.len);
						str_append_n(&nm,
							     st->msg.s + hl,
							     st->msg.len - hl);
					} else {
						str_append_n(&nm, st->msg.s,
							     hl);
						str_append_n(&nm, out.s,
							     out.len);
					}
				}
				str_append(&nm, "");
				str_free(&st->msg);
				st->msg = nm;
			} else if (ok) {
				record(st, PM_ACT_PIPE, cmd, !delivering,
				       node->line);
				pm_set_lastfolder(st, display);
				action_data_restore(st, &saved);
				/* a delivery's abstract comes after its lock
				   goes, a copy's before */
				if (lockfile != NULL && delivering) {
					pm_unlock(st, lockfile);
					xfree(lockfile);
				}
				pm_log_abstract(st, display, data.len);
			}
		}
		free(display);
		free(pname);
		if (lockfile != NULL && !st->dry_run)
			pm_unlock(st, lockfile);
		str_free(&data);
		str_free(&out);
		free(pcmd);
		st->force_shell = false;
	}
	action_data_restore(st, &saved);
	st->raw = false;
	free(lockfile);
	pm_release(st);
	if (ok && delivering)
		st->delivered = true;
	return ok;
}

/* The parser's complaints, logged as procmail logs them: when the
   run reaches the text (lines before `line`). */
static void
flush_diags(struct pm_state *st, int line)
{
	static const char skipped[] = "syntax error, skipped: ";

	while (st->diags != NULL && st->diag_next < st->diags->n &&
	       st->diags->v[st->diag_next].line < line) {
		const struct diag_item *d = &st->diags->v[st->diag_next++];

		/* procmail's own words for what it skips */
		if (strncmp(d->text, skipped, sizeof(skipped) - 1) == 0)
			pm_log(st, "procmail: Skipped \"%s\"\n",
			       d->text + sizeof(skipped) - 1);
		else
			pm_log(st, "procmail: %s:%d:%d: %s\n", d->file, d->line,
			       d->col, d->text);
	}
}

/* The recipes of one level (an rc file, a block), lowered to the IR
   (pm-lower.c) and run there; a block's program comes lowered with its
   rc file. */
static int
run_nodes(struct pm_state *st, const struct pm_node *n)
{
	struct pm_level lv = {.lastcond = false, .lastsucc = false};
	const struct ir_program *prog = NULL;
	struct ir_program *own = NULL;

	if (st->block_ir != NULL && st->block_nodes == n)
		prog = st->block_ir;
	st->block_ir = NULL;
	st->block_nodes = NULL;
	if (st->delivered || st->stop)
		return 0;
	if (prog == NULL)
		prog = own = pm_lower(st->rcfile != NULL ? st->rcfile : "-", n);
	(void)pm_run_ir(st, prog, &lv);
	ir_program_free(&own);
	return 0;
}

int
pm_eval_cond(struct pm_state *st, const struct pm_recipe *r, const char *raw,
	     double *score, bool *weighted)
{
	return eval_cond(st, r, raw, score, weighted);
}

void
pm_eval_reach(struct pm_state *st, int line)
{
	flush_diags(st, line);
}

void
pm_eval_assign(struct pm_state *st, const struct pm_node *n)
{
	char *v;
	bool quenched;

	flush_diags(st, n->line);
	st->quenched = false;
	v = n->value ? expand(st, n->value, false) : NULL;
	quenched = st->quenched;
	st->quenched = false;
	/* procmail's buffer holds LINEBUF - 1 characters of a value;
	   backquote output leaves less room (about 4 characters) */
	size_t room = (size_t)st->linebuf -
		      (n->value != NULL && strchr(n->value, '`') ? 4 : 1);

	if (v != NULL && !quenched && strlen(v) >= room) {
		/* too long for procmail's line buffer: the assignment does
		   not happen */
		pm_log(st, "procmail: Exceeded LINEBUF\n");
		assign(st, "PROCMAIL_OVERFLOW", "yes");
	} else {
		assign(st, n->name, v);
		if (st->opt->on_assign != NULL && !st->dry_quiet)
			st->opt->on_assign(st->opt->on_assign_arg, st, n->name,
					   v, n->line);
	}
	free(v);
}

int
pm_eval_action(struct pm_state *st, const struct pm_node *n)
{
	return run_action(st, n);
}

/* procmail will not run an rc file anyone may write: world-writable,
   or in a world-writable directory without the sticky bit. */
static bool
rcfile_suspicious(const char *path)
{
	struct stat sb;
	const char *slash = strrchr(path, '/');
	char *dir;
	bool bad;

	/* devices (SWITCHRC=/dev/null) are not rc files anyone wrote */
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return false;
	if (sb.st_mode & S_IWOTH)
		return true;
	dir = slash == NULL   ? xstrdup(".")
	      : slash == path ? xstrdup("/")
			      : xstrndup(path, (size_t)(slash - path));
	bad = stat(dir, &sb) == 0 && (sb.st_mode & S_IWOTH) &&
	      !(sb.st_mode & S_ISVTX);
	free(dir);
	return bad;
}

static int
run_rcfile(struct pm_state *st, const char *path)
{
	char *buf;
	size_t len;
	struct pm_rc *rc;
	struct diag diag = {0};
	const char *prev = st->rcfile;
	struct diag *prev_diags = st->diags;
	size_t prev_next = st->diag_next;

	if (rcfile_suspicious(path))
		pm_log(st, "procmail: Suspicious rcfile \"%s\"\n", path);
	if (rcfile_suspicious(path) ||
	    path_read_file(path, 16u << 20, &buf, &len) < 0) {
		pm_log(st, "procmail: Couldn't read \"%s\"\n", path);
		return -1;
	}
	(void)pm_parse(path, buf, len, &rc, &diag);
	st->diags = &diag;
	st->diag_next = 0;
	st->rcfile = path;
	if (st->include_depth == 0)
		pm_trace(st, "procmail: Rcfile: \"%s\"\n", path);
	run_nodes(st, rc->nodes);
	/* what lies after the last recipe is read when procmail gets
	   there */
	if (!st->delivered && !st->stop)
		flush_diags(st, INT_MAX);
	st->diags = prev_diags;
	st->diag_next = prev_next;
	diag_free(&diag);
	st->rcfile = prev;
	pm_rc_free(&rc);
	free(buf);
	return 0;
}

/* ---- a whole run ---- */

static void
state_init(struct pm_state *st, const struct pm_options *opt,
	   const char *message, size_t len)
{
	char host[256];
	const char *home = getenv("HOME");
	const char *logname = getenv("LOGNAME");

	memset(st, 0, sizeof(*st));
	st->opt = opt;
	st->dry_run = opt->dry_run;
	st->exitcode = -1;
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	st->hostname = xstrdup(host);
	/* procmail clears the environment but for TZ, unless -p */
	for (char **e = environ; e != NULL && *e != NULL; e++)
		if (opt->pretend_exit || strncmp(*e, "TZ=", 3) == 0)
			strlist_add(&st->env, *e);
	if (home == NULL)
		home = "/";
	{
		char *p =
		    xasprintf("%s/bin:/usr/local/bin:/usr/bin:/bin", home);
		pm_setenv(st, "PATH", p);
		free(p);
	}
	pm_setenv(st, "SHELLMETAS", "&|<>~;?*[");
	pm_setenv(st, "SHELLFLAGS", "-c");
	pm_setenv(st, "SENDMAILFLAGS", "-oi");
	pm_setenv(st, "LOCKEXT", ".lock");
	pm_setenv(st, "MSGPREFIX", "msg.");
	pm_setenv(st, "LINEBUF", "2048");
	st->linebuf = PM_LINEBUF_DEFAULT;
	st->timeout = 960;
	st->release_fd = -1;
	pm_setenv(st, "HOST", st->hostname);
	pm_setenv(st, "SHELL", "/bin/sh");
	pm_setenv(st, "SENDMAIL", "/usr/sbin/sendmail");
	pm_setenv(st, "HOME", home);
	if (logname != NULL)
		pm_setenv(st, "LOGNAME", logname);
	pm_setenv(st, "MAILDIR", home);
	if (!opt->mailfilter) {
		char *org =
		    xasprintf("/var/mail/%s", logname ? logname : "root");
		pm_setenv(st, "ORGMAIL", org);
		pm_setenv(st, "DEFAULT", org);
		free(org);
	}
	str_append_n(&st->msg, message, len);
	str_append(&st->msg, "");
	st->args = (char *const *)opt->args;
	st->nargs = opt->nargs;
}

void
pm_done_free(struct pm_done *done, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(done[i].target);
	free(done);
}

static int run_one(const struct pm_options *opt, char *const *assignments,
		   char *const *rcfiles, int nrc, const char *message,
		   size_t len, struct pm_done **done_r, size_t *ndone_r,
		   struct str *errors, const int *path, int npath, int **more_r,
		   int *nmore_r);

/* At most this many clones are followed in a dry run. */
#define PM_DRY_CLONES 64

int
pm_run(const struct pm_options *opt, char *const *assignments,
       char *const *rcfiles, int nrc, const char *message, size_t len,
       struct pm_done **done_r, size_t *ndone_r, struct str *errors)
{
	struct dry_path {
		int *v;
		int n;
	} *q = NULL;
	size_t nq = 0, head = 0;
	int *more = NULL, nmore = 0, code;
	struct pm_done *done = NULL;
	size_t ndone = 0;
	struct dry_path cur = {NULL, 0};

	code = run_one(opt, assignments, rcfiles, nrc, message, len,
		       done_r != NULL ? &done : NULL, &ndone, errors, NULL, 0,
		       &more, &nmore);
	/* a dry run lists what every clone would do too: each is run
	   again from the start with its path of fork decisions */
	for (;;) {
		for (int i = 0; opt->dry_run && i < nmore; i++) {
			struct dry_path p;

			p.n = cur.n + 1;
			p.v = xreallocarray(NULL, (size_t)p.n, sizeof(int));
			for (int j = 0; j < cur.n; j++)
				p.v[j] = cur.v[j];
			p.v[cur.n] = more[i];
			q = xreallocarray(q, nq + 1, sizeof(*q));
			q[nq++] = p;
		}
		free(more);
		more = NULL;
		nmore = 0;
		if (head >= nq || head >= PM_DRY_CLONES)
			break;
		cur = q[head++];
		(void)run_one(opt, assignments, rcfiles, nrc, message, len,
			      done_r != NULL ? &done : NULL, &ndone, errors,
			      cur.v, cur.n, &more, &nmore);
	}
	for (size_t i = 0; i < nq; i++)
		free(q[i].v);
	free(q);
	if (done_r != NULL) {
		*done_r = done;
		*ndone_r = ndone;
	}
	return code;
}

static int
run_one(const struct pm_options *opt, char *const *assignments,
	char *const *rcfiles, int nrc, const char *message, size_t len,
	struct pm_done **done_r, size_t *ndone_r, struct str *errors,
	const int *path, int npath, int **more_r, int *nmore_r)
{
	struct pm_state st;
	int code = 0;
	char *cwd0 = getcwd(NULL, 0);

	state_init(&st, opt, message, len);
	st.errors = errors;
	st.dry_path = path;
	st.dry_npath = npath;
	st.dry_quiet = npath > 0;
	if (done_r != NULL && *done_r != NULL) {
		st.done = *done_r;
		st.ndone = st.capdone = *ndone_r;
	}
	/* -m with a relative rc file: procmail stays in the current
	   directory (MAILDIR=.), where it reads that file */
	if (opt->mailfilter && nrc > 0 && rcfiles[0][0] != '/')
		pm_setenv(&st, "MAILDIR", ".");
	for (size_t i = 0; assignments != NULL && assignments[i]; i++) {
		const char *eq = strchr(assignments[i], '=');
		char *name;

		if (eq == NULL)
			continue;
		name = xstrndup(assignments[i], (size_t)(eq - assignments[i]));
		assign(&st, name, eq + 1);
		free(name);
	}
	if (opt->etc_rcfile && nrc > 0)
		pm_unsetenv(&st, "MAILDIR");
	else {
		const char *md = pm_getenv(&st, "MAILDIR");

		if (md != NULL && !st.dry_run && chdir(md) < 0)
			pm_log(&st, "procmail: Couldn't chdir to \"%s\"\n", md);
	}
	for (int i = 0; i < nrc && !st.delivered && !st.stop; i++) {
		if (opt->before_rcfile != NULL)
			opt->before_rcfile(opt->before_rcfile_arg, i);
		if (opt->etc_rcfile && i == 1) {
			/* after /etc/procmailrc: to HOME, unless it set
			   MAILDIR */
			const char *md = pm_getenv(&st, "MAILDIR");
			const char *home = pm_getenv(&st, "HOME");

			if ((md == NULL || *md == '\0') && home != NULL) {
				char *h = xstrdup(home);

				pm_setenv(&st, "MAILDIR", h);
				if (!st.dry_run && chdir(h) < 0)
					pm_log(&st,
					       "procmail: Couldn't chdir to "
					       "\"%s\"\n",
					       h);
				free(h);
			}
		}
		run_rcfile(&st, rcfiles[i]);
	}
	if (st.host_stop && !st.dry_run)
		pm_log_abstract(&st, "", 0);
	st.copying = false;
	if (!st.delivered && !st.host_stop) {
		const char *def = pm_getenv(&st, "DEFAULT");

		if (def == NULL || *def == '\0') {
			if (st.dry_run)
				code = 0;
			else {
				/* -t: back to the queue instead of a bounce */
				bool soft = opt->tempfail_on_error;

				pm_log_abstract(
				    &st, soft ? "**Requeued**" : "**Bounced**",
				    st.last_written);
				code = soft ? 75 : 73;
			}
		} else if (st.dry_run) {
			record(&st, PM_ACT_FOLDER, def, false, 0);
		} else {
			struct strlist f = {0};
			char *logname = NULL;
			size_t written;
			bool is_mbox = def[strlen(def) - 1] != '/';

			strlist_add(&f, def);
			if (pm_deliver_folders(&st, &f, is_mbox, NULL, false,
					       &logname, &written) == 0) {
				record(&st, PM_ACT_FOLDER, logname, false, 0);
				comsat_notify(&st, logname);
				pm_log_abstract(&st, logname, written);
				free(logname);
			} else {
				bool soft = opt->tempfail_on_error;
				size_t dl = strlen(def);

				while (dl > 1 && def[dl - 1] == '/')
					dl--;
				pm_log(&st,
				       "procmail: Error while writing to "
				       "\"%.*s\"\n",
				       (int)dl, def);
				pm_log_abstract(
				    &st, soft ? "**Requeued**" : "**Bounced**",
				    st.last_written);
				code = soft ? 75 : 73;
			}
			strlist_free(&f);
		}
	}
	if (st.exitcode >= 0)
		code = st.exitcode;
	{
		const char *trap = pm_getenv(&st, "TRAP");

		if (trap != NULL && *trap && !st.dry_run) {
			struct str out = STR_INIT, data = STR_INIT;
			char buf[16];

			snprintf(buf, sizeof(buf), "%d", code);
			pm_trace(&st, "procmail: Assigning \"EXITCODE=%s\"\n",
				 buf);
			pm_setenv(&st, "EXITCODE", buf);
			pm_pipe_data(&st, &data);
			(void)pm_run_program(&st, trap, data.s, data.len, &out);
			pm_log_raw(&st, out.s, out.len);
			str_free(&out);
			str_free(&data);
		}
	}
	if (st.lockfile != NULL) {
		pm_unlock(&st, st.lockfile);
		free(st.lockfile);
	}
	if (st.clone) {
		/* a clone of a c block ends here, whatever called us */
		fflush(NULL);
		_exit(code);
	}
	free(st.pending);
	if (cwd0 != NULL) {
		(void)chdir(cwd0);
		free(cwd0);
	}
	if (done_r != NULL) {
		*done_r = st.done;
		*ndone_r = st.ndone;
	} else
		pm_done_free(st.done, st.ndone);
	*more_r = st.dry_more;
	*nmore_r = st.dry_nmore;
	strlist_free(&st.env);
	str_free(&st.msg);
	free(st.lastfolder);
	free(st.hostname);
	return code;
}

int
pm_probe(const char *flags, const char *cond, const char *message, size_t len,
	 char **match_r, long *score_r)
{
	struct pm_options opt = {.mailfilter = true, .dry_run = true};
	struct pm_state st;
	struct pm_node node = {0};
	struct pm_level lv = {.lastcond = false, .lastsucc = false};
	struct ir_program *prog;
	const char *v;
	int res;

	state_init(&st, &opt, message, len);
	for (const char *f = flags; *f; f++) {
		if (*f == 'H')
			node.recipe.flags.H = true;
		if (*f == 'B')
			node.recipe.flags.B = true;
		if (*f == 'D')
			node.recipe.flags.D = true;
	}
	node.kind = PM_NODE_RECIPE;
	node.recipe.nconds = 1;
	struct pm_cond c = {1, 1, (char *)cond};
	node.recipe.conds = &c;
	node.recipe.action = PM_ACT_BLOCK;
	prog = pm_lower("probe", &node);
	pm_run_ir(&st, prog, &lv);
	ir_program_free(&prog);
	res = lv.lastcond ? 1 : 0;
	*score_r = (long)st.score;
	v = pm_getenv(&st, "MATCH");
	*match_r = v ? xstrdup(v) : NULL;
	strlist_free(&st.env);
	str_free(&st.msg);
	free(st.hostname);
	free(st.lastfolder);
	return res;
}
