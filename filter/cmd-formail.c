/*
 * cmd-formail.c - ackmail formail: the formail(1) operations procmail
 * recipes use, so the classic `formail -rD 8192 cache` and
 * `formail -rt | $SENDMAIL -t` auto-responders work without formail.
 *
 * Supported: -r (reply header; -t trusts the header sender), -k (keep
 * the body with -r), -D maxlen idcache (duplicate detection, by
 * Message-ID or with -r by sender), -A -a -I -i (add, add if missing,
 * replace, rename to Old-), -x -X (extract contents / whole fields),
 * -z (tidy whitespace), -f (no From_ line added), -s [command]
 * (split a mailbox, one command per message, $FILENO set).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "commands.h"

struct field {
	char *text; /* "Name: value\n" with continuation lines */
	size_t name_len;
};

struct fmsg {
	char *from_line; /* without newline, or NULL */
	struct field *f;
	size_t n, cap;
	const char *body;
	size_t body_len;
};

struct fopts {
	bool reply, trust, keep, zap, no_from, split;
	long dup_max;
	const char *dup_cache;
	struct strlist add_always, add_missing, replace, rename, extract,
	    extract_full;
	char **split_argv;
};

static size_t
name_len_of(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ':')
			return i;
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
			return 0;
	}
	return 0;
}

static void
fmsg_add(struct fmsg *m, const char *s, size_t len)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->f = xreallocarray(m->f, m->cap, sizeof(*m->f));
	}
	if (len > 0 && s[len - 1] != '\n') /* the last line, unterminated */
		m->f[m->n].text = xasprintf("%.*s\n", (int)len, s);
	else
		m->f[m->n].text = xstrndup(s, len);
	m->f[m->n].name_len = name_len_of(s, len);
	m->n++;
}

static void
fmsg_parse(const char *s, size_t len, struct fmsg *m)
{
	size_t i = 0;

	memset(m, 0, sizeof(*m));
	if (len >= 5 && memcmp(s, "From ", 5) == 0) {
		const char *nl = memchr(s, '\n', len);
		size_t e = nl ? (size_t)(nl - s) : len;

		m->from_line = xstrndup(s, e);
		i = nl ? e + 1 : len;
	}
	while (i < len && s[i] != '\n') {
		size_t st = i, w = i;

		/* a line of blanks only (a CRLF blank line) ends the header
		   too, but stays in the body */
		while (w < len && (s[w] == ' ' || s[w] == '\t' || s[w] == '\r'))
			w++;
		if (w >= len || s[w] == '\n')
			break;

		for (;;) {
			const char *nl = memchr(s + i, '\n', len - i);

			i = nl ? (size_t)(nl - s) + 1 : len;
			if (i >= len || (s[i] != ' ' && s[i] != '\t'))
				break;
		}
		fmsg_add(m, s + st, i - st);
	}
	if (i < len && s[i] == '\n')
		i++;
	m->body = s + i;
	m->body_len = len - i;
}

static void
fmsg_free(struct fmsg *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->f[i].text);
	free(m->f);
	free(m->from_line);
}

/* Field name of an option argument "Name: value" or "Name:". */
static size_t
arg_name_len(const char *a)
{
	const char *c = strchr(a, ':');

	return c ? (size_t)(c - a) : strlen(a);
}

static bool
field_is(const struct field *f, const char *name, size_t nlen)
{
	return f->name_len == nlen && strncasecmp(f->text, name, nlen) == 0;
}

/* The value of the first field called name (unfolded, trimmed), or
   NULL. Caller frees. */
static char *
fmsg_get(const struct fmsg *m, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < m->n; i++)
		if (field_is(&m->f[i], name, nl)) {
			char *v = xstrdup(m->f[i].text + nl + 1);

			char *b = v;
			size_t n;

			/* \r is kept, as formail keeps it */
			for (char *p = v; *p; p++)
				if (*p == '\n')
					*p = ' ';
			while (*b == ' ' || *b == '\t')
				b++;
			n = strlen(b);
			while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t'))
				n--;
			memmove(v, b, n);
			v[n] = '\0';
			return v;
		}
	return NULL;
}

/* The raw value of the first field called name, folded as it came,
   without the leading blank and the final newline. Caller frees. */
static char *
fmsg_get_raw(const struct fmsg *m, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < m->n; i++)
		if (field_is(&m->f[i], name, nl)) {
			const char *v = m->f[i].text + nl + 1;
			size_t n;

			v += strspn(v, " \t");
			n = strlen(v);
			while (n > 0 && v[n - 1] == '\n')
				n--;
			return xstrndup(v, n);
		}
	return NULL;
}

/* The bare address of an address field value. Caller frees. */
static char *
bare_address(const char *v)
{
	const char *lt = strchr(v, '<');
	struct str out = STR_INIT;

	str_append(&out, "");
	if (lt != NULL) {
		const char *gt = strchr(lt, '>');

		if (gt == lt + 1)
			return xstrdup("<>"); /* the null sender stays */
		str_append_n(&out, lt + 1,
			     gt ? (size_t)(gt - lt - 1) : strlen(lt + 1));
	} else {
		int depth = 0;

		for (; *v; v++) {
			if (*v == '(')
				depth++;
			else if (*v == ')' && depth > 0)
				depth--;
			else if (depth == 0 && *v != ' ' && *v != '\t' &&
				 *v != '\n')
				str_appendc(&out, *v);
			else if (depth == 0 && out.len > 0)
				break;
		}
	}
	return str_steal(&out);
}

/* Whom a reply goes to, as formail -r (-t) chooses. Caller frees. */
static char *
reply_address(const struct fmsg *m, bool trust)
{
	static const char *const trusted[] = {"Reply-To", "From", "Sender",
					      "Return-Path", NULL};
	static const char *const envelope[] = {"Return-Path", "Sender", "From",
					       "Reply-To", NULL};
	const char *const *order = trust ? trusted : envelope;

	if (!trust && m->from_line != NULL) {
		const char *s = m->from_line + 5;
		size_t n = strcspn(s, " \t");
		const char *at = memchr(s, '@', n);

		/* only a plausible envelope address: user@host.domain */
		if (at != NULL && memchr(at, '.', n - (size_t)(at - s)) != NULL)
			return xstrndup(s, n);
	}
	/* a null return path wins even over -t: never answer a bounce */
	{
		char *v = fmsg_get(m, "Return-Path");

		if (v != NULL) {
			char *a = bare_address(v);

			free(v);
			if (strcmp(a, "<>") == 0)
				return a;
			free(a);
		}
	}
	for (size_t i = 0; order[i] != NULL; i++) {
		char *v = fmsg_get(m, order[i]);

		if (v != NULL) {
			char *a = bare_address(v);

			free(v);
			if (*a && strcmp(a, "<>") != 0)
				return a;
			free(a);
		}
	}
	return xstrdup("foo@bar");
}

/* Appends the body and ensures the output ends in an empty line (two
   newlines: a line of blanks or a CR does not count), as formail does. */
static void
append_body(struct str *out, const char *b, size_t n)
{
	if (n == 0)
		return; /* the header's blank line is all there is */
	str_append_n(out, b, n);
	if (out->s[out->len - 1] != '\n')
		str_appendc(out, '\n');
	if (out->len < 2 || out->s[out->len - 2] != '\n')
		str_appendc(out, '\n');
}

static void
add_line(struct str *out, const char *field)
{
	size_t nl = arg_name_len(field);
	const char *v = field + nl;

	/* a bare "Name:" adds nothing */
	if (*v == ':' && v[1 + strspn(v + 1, " \t")] == '\0')
		return;
	str_append(out, field);
	str_appendc(out, '\n');
}

/* Duplicate check: 1 seen before, 0 new (and recorded). */
static int
dup_check(const char *cache, long maxlen, const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	struct str nw = STR_INIT;
	int fd;

	if (path_read_file(cache, 16u << 20, &buf, &len) < 0)
		len = 0;
	for (size_t i = 0; i < len;) {
		size_t n = strnlen(buf + i, len - i);

		if (n > 0 && strcmp(buf + i, key) == 0) {
			free(buf);
			return 1;
		}
		i += n + 1;
	}
	/* keep the newest entries that fit, then the new one, then the
	   empty entry that ends the list */
	{
		size_t need = strlen(key) + 2, start = 0, end = len;

		while (end > 0 && buf[end - 1] == '\0')
			end--;
		if (end < len)
			end++; /* keep the terminator of the last entry */
		while (maxlen > 0 && end - start + need > (size_t)maxlen &&
		       start < end)
			start += strnlen(buf + start, end - start) + 1;
		if (end > start)
			str_append_n(&nw, buf + start, end - start);
		str_append_n(&nw, key, strlen(key) + 1);
		str_append_n(&nw, "", 1);
	}
	free(buf);
	fd = open(cache, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		(void)write_full(fd, nw.s, nw.len);
		close(fd);
	}
	str_free(&nw);
	return 0;
}

/* Formats one message as formail would print it. */
static void
format_message(const struct fopts *o, struct fmsg *m, struct str *out)
{
	str_append(out, "");
	if (o->reply) {
		char *to = reply_address(m, o->trust);
		char *subj = fmsg_get_raw(m, "Subject");
		char *mid = fmsg_get(m, "Message-ID");
		char *refs = fmsg_get(m, "References");

		for (size_t i = 0; i < m->n; i++) {
			bool keep = field_is(&m->f[i], "X-Loop", 6);

			for (size_t k = 0; k < o->rename.n && !keep; k++)
				keep = field_is(&m->f[i], o->rename.v[k],
						arg_name_len(o->rename.v[k]));
			if (keep)
				str_append(out, m->f[i].text);
		}
		str_printf(out, "To: %s\n", to);
		if (subj != NULL)
			str_printf(out, "Subject: Re: %s\n", subj);
		if (mid != NULL) {
			if (refs != NULL)
				str_printf(out, "References: %s %s\n", refs,
					   mid);
			else
				str_printf(out, "References: %s\n", mid);
			str_printf(out, "In-Reply-To: %s\n", mid);
		}
		free(to);
		free(subj);
		free(mid);
		free(refs);
		for (size_t k = 0; k < o->add_missing.n; k++)
			add_line(out, o->add_missing.v[k]);
		for (size_t k = 0; k < o->add_always.n; k++)
			add_line(out, o->add_always.v[k]);
		for (size_t k = 0; k < o->replace.n; k++)
			add_line(out, o->replace.v[k]);
		str_appendc(out, '\n');
		if (o->keep && m->body_len > 0) {
			const char *b = m->body, *e = b + m->body_len;
			struct str q = STR_INIT;

			/* From-quoted, then each non-empty line indented */
			while (b < e) {
				const char *nl =
				    memchr(b, '\n', (size_t)(e - b));
				size_t n =
				    nl ? (size_t)(nl - b) + 1 : (size_t)(e - b);

				if (n > 1)
					str_appendc(&q, '>');
				if (n >= 5 && memcmp(b, "From ", 5) == 0)
					str_appendc(&q, '>');
				str_append_n(&q, b, n);
				b += n;
			}
			append_body(out, q.s, q.len);
			str_free(&q);
		}
		return;
	}
	if (m->from_line != NULL)
		str_printf(out, "%s\n", m->from_line);
	else if (!o->no_from) {
		char date[64];
		time_t now = time(NULL);
		char *a = reply_address(m, false);

		strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y",
			 localtime(&now));
		str_printf(out, "From %s  %s\n", a, date);
		free(a);
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct field *f = &m->f[i];
		bool drop = false, ren = false;

		for (size_t k = 0; k < o->replace.n && !drop; k++)
			drop = field_is(f, o->replace.v[k],
					arg_name_len(o->replace.v[k]));
		for (size_t k = 0; k < o->rename.n && !ren; k++)
			ren = field_is(f, o->rename.v[k],
				       arg_name_len(o->rename.v[k]));
		if (drop)
			continue;
		if (o->zap && f->name_len > 0) {
			const char *v = f->text + f->name_len + 1;

			if (strspn(v, " \t\n") == strlen(v))
				continue;
		}
		if (ren)
			str_append(out, "Old-");
		str_append(out, f->text);
	}
	for (size_t k = 0; k < o->add_missing.n; k++) {
		const char *a = o->add_missing.v[k];
		size_t nl = arg_name_len(a);
		bool have = false;

		for (size_t i = 0; i < m->n && !have; i++)
			have = field_is(&m->f[i], a, nl);
		if (!have)
			add_line(out, a);
	}
	for (size_t k = 0; k < o->add_always.n; k++)
		add_line(out, o->add_always.v[k]);
	for (size_t k = 0; k < o->rename.n; k++)
		add_line(out, o->rename.v[k]);
	for (size_t k = 0; k < o->replace.n; k++)
		add_line(out, o->replace.v[k]);
	str_appendc(out, '\n');
	{
		/* "From " lines in the body are quoted */
		struct str b = STR_INIT;
		const char *p = m->body, *e = p + m->body_len;

		while (p < e) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(e - p);

			if (n >= 5 && memcmp(p, "From ", 5) == 0)
				str_appendc(&b, '>');
			str_append_n(&b, p, n);
			p += n;
		}
		append_body(out, b.s, b.len);
		str_free(&b);
	}
}

static void
extract(const struct fopts *o, const struct fmsg *m, struct str *out)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct field *f = &m->f[i];
		bool x = false, X = false;

		for (size_t k = 0; k < o->extract.n && !x; k++)
			x = field_is(f, o->extract.v[k],
				     arg_name_len(o->extract.v[k]));
		for (size_t k = 0; k < o->extract_full.n && !X; k++)
			X = field_is(f, o->extract_full.v[k],
				     arg_name_len(o->extract_full.v[k]));
		if (X)
			str_append(out, f->text);
		else if (x) {
			const char *v = f->text + f->name_len + 1;

			if (o->zap) {
				size_t n = strlen(v);

				v += strspn(v, " \t");
				n = strlen(v);
				while (n > 0 &&
				       (v[n - 1] == ' ' || v[n - 1] == '\t' ||
					v[n - 1] == '\n'))
					n--;
				str_append_n(out, v, n);
				str_appendc(out, '\n');
			} else
				str_append(out, v);
		}
	}
}

static int
run_split(const struct fopts *o, const char *s, size_t len)
{
	size_t i = 0;
	int fileno = 0, st = 0;

	while (i < len) {
		size_t e = i;

		/* the next message starts at a "From " line after a
		   blank line (or at the start) */
		for (;;) {
			const char *p =
			    memmem(s + e + 1, len - e - 1, "\n\nFrom ", 7);

			if (e + 1 >= len || p == NULL) {
				e = len;
				break;
			}
			e = (size_t)(p - s) + 2;
			break;
		}
		{
			struct fmsg m;
			struct str out = STR_INIT;
			char num[16];

			fmsg_parse(s + i, e - i, &m);
			format_message(o, &m, &out);
			fmsg_free(&m);
			snprintf(num, sizeof(num), "%03d", fileno++);
			if (o->split_argv == NULL || o->split_argv[0] == NULL)
				(void)write_full(1, out.s, out.len);
			else {
				int pfd[2];
				pid_t pid;

				if (pipe(pfd) < 0)
					return EX_OSERR;
				fflush(NULL);
				pid = fork();
				if (pid == 0) {
					dup2(pfd[0], 0);
					close(pfd[0]);
					close(pfd[1]);
					setenv("FILENO", num, 1);
					execvp(o->split_argv[0], o->split_argv);
					_exit(127);
				}
				close(pfd[0]);
				(void)write_full(pfd[1], out.s, out.len);
				close(pfd[1]);
				if (pid > 0) {
					int status;

					waitpid(pid, &status, 0);
					if (!WIFEXITED(status) ||
					    WEXITSTATUS(status) != 0)
						st = EX_SOFTWARE;
				}
			}
			str_free(&out);
		}
		i = e;
	}
	return st;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ackmail formail [-rtkzf] [-D maxlen idcache] "
		    "[-A field] [-a field]\n"
		    "                       [-I field] [-i field] [-x field] "
		    "[-X field] [-s [command ...]]\n");
}

int
cmd_formail(int argc, char **argv)
{
	struct fopts o = {0};
	struct str in = STR_INIT, out = STR_INIT;
	int code = 0, i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--help") == 0) {
			usage(stdout);
			return EX_OK;
		}
		for (const char *c = a + 1; *c; c++) {
			struct strlist *l = NULL;

			switch (*c) {
			case 'r':
				o.reply = true;
				continue;
			case 't':
				o.trust = true;
				continue;
			case 'k':
				o.keep = true;
				continue;
			case 'z':
				o.zap = true;
				continue;
			case 'f':
				o.no_from = true;
				continue;
			case 'b':
			case 'c':
			case 'q':
			case 'Y':
			case 'e':
				continue;
			case 's':
				o.split = true;
				o.split_argv = argv + i + 1;
				i = argc;
				goto args_done;
			case 'D':
				if (i + 2 >= argc) {
					usage(stderr);
					return EX_USAGE;
				}
				o.dup_max = atol(argv[++i]);
				o.dup_cache = argv[++i];
				goto next;
			case 'A':
				l = &o.add_always;
				break;
			case 'a':
				l = &o.add_missing;
				break;
			case 'I':
				l = &o.replace;
				break;
			case 'i':
				l = &o.rename;
				break;
			case 'x':
				l = &o.extract;
				break;
			case 'X':
				l = &o.extract_full;
				break;
			default:
				fprintf(stderr,
					"ackmail formail: unknown option -%c\n",
					*c);
				usage(stderr);
				return EX_USAGE;
			}
			if (c[1] != '\0')
				strlist_add(l, c + 1);
			else if (i + 1 < argc)
				strlist_add(l, argv[++i]);
			else {
				usage(stderr);
				return EX_USAGE;
			}
			goto next;
		}
	next:
		continue;
	}
args_done:
	if (read_full(0, &in) < 0)
		return EX_IOERR;
	str_append(&in, "");
	if (o.split)
		code = run_split(&o, in.s, in.len);
	else {
		struct fmsg m;

		fmsg_parse(in.s, in.len, &m);
		if (o.dup_cache != NULL) {
			char *key = o.reply ? reply_address(&m, o.trust)
					    : fmsg_get(&m, "Message-ID");

			code = key != NULL && dup_check(o.dup_cache, o.dup_max,
							key) > 0
				   ? 0
				   : 1;
			free(key);
		} else if (o.extract.n > 0 || o.extract_full.n > 0) {
			if (o.reply) {
				/* extract from the reply header */
				struct str r = STR_INIT;
				struct fmsg rm;

				format_message(&o, &m, &r);
				fmsg_parse(r.s, r.len, &rm);
				extract(&o, &rm, &out);
				fmsg_free(&rm);
				str_free(&r);
			} else
				extract(&o, &m, &out);
		} else
			format_message(&o, &m, &out);
		fmsg_free(&m);
		if (out.len > 0 && write_full(1, out.s, out.len) < 0)
			code = EX_IOERR;
	}
	str_free(&in);
	str_free(&out);
	strlist_free(&o.add_always);
	strlist_free(&o.add_missing);
	strlist_free(&o.replace);
	strlist_free(&o.rename);
	strlist_free(&o.extract);
	strlist_free(&o.extract_full);
	return code;
}
