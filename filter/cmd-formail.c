/*
 * cmd-formail.c - ackmail formail: formail(1) without the formail
 * binary, byte for byte (tests/e2e/0302-formail.t compares it with the
 * real formail), so recipes such as `formail -rD 8192 cache` and
 * `formail -rt | $SENDMAIL -t` work unchanged.
 *
 * Options: -r (reply header; -t trusts the header sender), -k (keep the
 * body with -r; -p prefix quotes it, -b not at all), -D maxlen idcache
 * (duplicates, by Message-ID or with -r by sender), -A -a -I -i (add, add
 * if missing, replace, rename to Old-), -u -U (first / last of a field
 * only), -R old new (rename), -x -X (extract contents / whole fields), -c
 * (concatenate continuation lines), -z (tidy whitespace), -f (no From_
 * line added), -b (no >From escapes), -l folder (a LOGABSTRACT line
 * instead of the message), -q (accepted), -Y (no Content-Length: the
 * body's bytes it covers are otherwise copied as they are, and a split
 * looks for the next message after them), -v (version, exit 64),
 * -k with -x -X (the body after the fields), -s [command] (split a
 * mailbox, one command per message with $FILENO; -e -d -m -n +skip
 * -total shape the split; -B splits a BABYL rmail file). Field
 * arguments without a colon name every field that starts so.
 *
 * This file is the driver: the options, what formail does to the fields
 * and how it writes a message. Reading the mail (the From_ line, header
 * fields, where a mailbox splits) is lib/formail.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "commands.h"
#include "formail.h"

struct fopts {
	bool reply, trust, keep, zap, no_from, split, concat, no_escape;
	bool resent; /* -a Resent-: -rt prefers the Resent- fields */
	bool quiet, no_empty_lines, not_strict, berkeley, parallel, babyl;
	const char *prefix;	/* -p, the quotation prefix: ">" */
	const char *log_folder; /* -l */
	long dup_max;
	const char *dup_cache;
	struct strlist add_always, add_missing, replace, rename, extract,
	    extract_full, uniq_first, uniq_last, ren_old, ren_new;
	long skip, total, min_fields, max_procs; /* +skip -total -m -n */
	char **split_argv;
};

/* Field name of an option argument "Name: value" or "Name:". */
static size_t
arg_name_len(const char *a)
{
	const char *c = strchr(a, ':');

	return c ? (size_t)(c - a) : strlen(a);
}

/* An option's field: "Name:" names one field, "Name" (no colon) every
   field whose name starts so, as formail matches. */
static bool
field_match(const struct formail_field *f, const char *arg)
{
	size_t n = arg_name_len(arg);

	if (f->name_len == 0)
		return false;
	if (arg[n] == ':')
		return formail_field_is(f, arg, n);
	return f->name_len >= n && strncasecmp(f->text, arg, n) == 0;
}

static bool
field_match_any(const struct formail_field *f, const struct strlist *l)
{
	for (size_t k = 0; k < l->n; k++)
		if (field_match(f, l->v[k]))
			return true;
	return false;
}

/* -a Resent- was given (-rt then weighs Resent- fields first). */
static bool resent_first;

/* Set when reply_address() found nobody (-r then exits EX_NOUSER). */
static bool no_sender;

/* Whom a reply goes to, as formail -r (-t) chooses; also whom a
   made-up From_ line names (trust false). Caller frees. */
static char *
reply_address(const struct formail_msg *m, bool trust)
{
	char *a = formail_sender(m, !trust	   ? FORMAIL_SENDER_ENVELOPE
				    : resent_first ? FORMAIL_SENDER_RESENT
						   : FORMAIL_SENDER_HEADER);

	if (a == NULL) {
		no_sender = true;
		a = xstrdup("foo@bar");
	}
	return a;
}

/* Appends the body and ensures the output ends in an empty line (two
   newlines: a line of blanks or a CR does not count), as formail does. */
static void
append_body(struct str *out, const char *b, size_t n, bool cut)
{
	if (cut) { /* BABYL: formail completes the message into nowhere */
		str_append_n(out, b, n);
		return;
	}
	if (n == 0)
		return; /* the header's blank line is all there is */
	str_append_n(out, b, n);
	if (out->s[out->len - 1] != '\n')
		str_appendc(out, '\n');
	if (out->len < 2 || out->s[out->len - 2] != '\n')
		str_appendc(out, '\n');
}

/* A new Message-ID, as -a "Message-ID:" makes one: unique by time,
   process and a counter, at this host. */
static void
make_message_id(struct str *out)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
				     "mnopqrstuvwxyz0123456789-_";
	static unsigned count;
	unsigned long long parts[3] = {(unsigned long long)time(NULL),
				       (unsigned long long)getpid(), count++};
	char host[256];

	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	str_appendc(out, '<');
	for (int k = 0; k < 3; k++) {
		unsigned long long v = parts[k];

		if (k > 0)
			str_append(out, k == 1 ? ".A." : ".");
		do {
			str_appendc(out, digits[v % 64]);
			v /= 64;
		} while (v != 0);
	}
	str_printf(out, "@%s>", host);
}

/* Adds an option's field; a bare "Name:" or "Name" adds nothing
   unless bare_too (-a adds a bare "Name:", and makes up the value of a
   bare Message-ID: or Resent-Message-ID:). */
static void
add_line_bare(struct str *out, const char *field, bool bare_too)
{
	size_t nl = arg_name_len(field);
	const char *v = field + nl;

	if (*v != ':' || (!bare_too && v[1 + strspn(v + 1, " \t")] == '\0'))
		return;
	if (bare_too && v[1] == '\0' &&
	    ((nl == 10 && strncasecmp(field, "Message-ID", 10) == 0) ||
	     (nl == 17 && strncasecmp(field, "Resent-Message-ID", 17) == 0))) {
		str_append(out, field);
		str_appendc(out, ' ');
		make_message_id(out);
		str_appendc(out, '\n');
		return;
	}
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

/* Gives f the text prefix + f's text from skip on (bytes: a NUL in a
   field stays). */
static void
field_retext(struct formail_field *f, const char *prefix, size_t plen,
	     size_t skip)
{
	struct str t = STR_INIT;

	str_append_n(&t, prefix, plen);
	str_append_n(&t, f->text + skip, f->len - skip);
	free(f->text);
	f->len = t.len;
	f->text = str_steal(&t);
}

/* What formail does to the fields before anything else: -R renames,
   -u/-U uniqueness, -z tidying, -c concatenation. A field removed is
   left with empty text. */
static void
fmsg_transform(const struct fopts *o, struct formail_msg *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct formail_field *f = &m->f[i];

		/* -I and -i see the names as they came */
		if (!o->reply && field_match_any(f, &o->replace)) {
			f->text[0] = '\0';
			continue;
		}
		if (!o->reply && field_match_any(f, &o->rename)) {
			field_retext(f, "Old-", 4, 0);
			f->name_len += 4;
		}
		for (size_t k = 0; k < o->ren_old.n; k++) {
			const char *old = o->ren_old.v[k];

			if (field_match(f, old)) {
				const char *nw = o->ren_new.v[k];
				size_t colon = 0, nwl = strlen(nw);

				/* a whole new name ("Name:") takes the place
				   of the whole old one, a partial one of the
				   part it names */
				field_retext(f, nw, nwl,
					     nwl > 0 && nw[nwl - 1] == ':'
						 ? f->name_len + 1
						 : strlen(old));
				f->name_len = formail_field_name_len(
				    f->text, f->len, &colon);
			}
		}
		if (o->zap && f->name_len > 0) {
			char *v = f->text + f->name_len + 1;
			size_t vl = f->len - f->name_len - 1;

			/* nothing, or a single blank: the field goes */
			if (vl <= 1 ||
			    (vl == 2 && (v[0] == ' ' || v[0] == '\t'))) {
				f->text[0] = '\0';
				continue;
			}
			if (v[0] != ' ' && v[0] != '\t') {
				struct str t = STR_INIT;

				str_append_n(&t, f->text, f->name_len + 1);
				str_appendc(&t, ' ');
				str_append_n(&t, v, vl);
				free(f->text);
				f->len = t.len;
				f->text = str_steal(&t);
			}
		}
		if (o->concat)
			for (size_t k = 0; k + 1 < f->len; k++)
				if (f->text[k] == '\n')
					f->text[k] = ' ';
	}
	/* -u keeps the first of each field name, -U the last */
	for (int last = 0; last < 2; last++) {
		const struct strlist *l = last ? &o->uniq_last : &o->uniq_first;

		if (l->n == 0)
			continue;
		for (size_t i = 0; i < m->n; i++) {
			struct formail_field *f = &m->f[i];

			if (f->text[0] == '\0' || !field_match_any(f, l))
				continue;
			for (size_t j = i + 1; j < m->n; j++) {
				struct formail_field *g = &m->f[j];

				if (g->text[0] != '\0' &&
				    formail_field_is(g, f->text, f->name_len)) {
					if (last) {
						f->text[0] = '\0';
						break;
					}
					g->text[0] = '\0';
				}
			}
		}
	}
}

/* The Content-Length formail goes by for m (its fields as changed by
   the options), or 0: none, or forgotten (-d, -B, -Y, and -k with -r,
   or with -X that does not extract Content-Length). */
static long
content_length(const struct fopts *o, const struct formail_msg *m)
{
	static const struct formail_field cl = {
	    .text = (char *)"Content-Length:\n", .len = 16, .name_len = 14};

	if (o->not_strict || o->berkeley ||
	    (o->keep &&
	     (o->reply || (o->extract_full.n > 0 &&
			   !field_match_any(&cl, &o->extract_full)))))
		return 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->f[i].text[0] != '\0' &&
		    formail_field_is(&m->f[i], "Content-Length", 14)) {
			long n = strtol(m->f[i].text + 15, NULL, 10);

			return n > 0 ? n : 0;
		}
	return 0;
}

/* The splitter's question: the Content-Length of the message s. */
static long
split_body_length(const char *s, size_t len, void *ctx)
{
	const struct fopts *o = ctx;
	struct formail_msg m;
	long n;

	formail_msg_parse(s, len, &m);
	fmsg_transform(o, &m);
	n = content_length(o, &m);
	formail_msg_free(&m);
	return n;
}

/* Was the body line p (n bytes) looked at as a message start when
   splitting (a From_ line after an empty line, any with -e) and found
   none? formail does not escape it then. from: where the lines looked
   at begin, first_empty: whether the line there follows an empty one. */
static bool
looked_at(const struct fopts *o, const char *p, size_t n, const char *from,
	  bool first_empty)
{
	return o->split && formail_from_candidate(p, n) &&
	       (o->no_empty_lines || (p == from && first_empty) ||
		(p >= from + 1 && p[-1] == '\n' &&
		 (p == from + 1 || p[-2] == '\n')));
}

/* What formail puts between a field name and a saved value: a blank
   unless the value starts with one. */
static const char *
blank_before(const char *v)
{
	return v[0] == ' ' || v[0] == '\t' ? "" : " ";
}

/* The -D key without -r: the last Message-ID as it came, without the
   spaces before it, as formail takes it. NULL when there is none. */
static char *
dup_key(const struct formail_msg *m)
{
	char *v = formail_msg_get_last(m, "Message-ID");

	if (v != NULL) {
		size_t b = strspn(v, " ");

		memmove(v, v + b, strlen(v + b) + 1);
	}
	return v;
}

/* Formats one message as formail would print it. */
static void
add_line(struct str *out, const char *field)
{
	add_line_bare(out, field, false);
}

static void
format_message(const struct fopts *o, struct formail_msg *m,
	       const struct formail_part *part, struct str *out)
{
	/* BABYL: no From_ line in a body is escaped */
	bool babyl = part != NULL && part->no_from_escape;
	bool cut = part != NULL && part->cut;

	str_append(out, "");
	if (o->reply) {
		char *to = reply_address(m, o->trust);
		/* the last of each that is not empty, as it came, a blank
		   put before it when it has none */
		char *subj = formail_msg_get_last(m, "Subject");
		char *mid = formail_msg_get_last(m, "Message-ID");
		char *refs = formail_msg_get_last(m, "References");

		for (size_t i = 0; i < m->n; i++)
			if (formail_field_is(&m->f[i], "X-Loop", 6) ||
			    field_match_any(&m->f[i], &o->rename))
				str_append_n(out, m->f[i].text, m->f[i].len);
		str_printf(out, "To: %s\n", to);
		if (subj != NULL)
			str_printf(out, "Subject: Re:%s%s\n",
				   blank_before(subj), subj);
		if (refs != NULL || mid != NULL) {
			str_append(out, "References:");
			if (refs != NULL)
				str_printf(out, "%s%s", blank_before(refs),
					   refs);
			if (mid != NULL)
				str_printf(out, "%s%s", blank_before(mid), mid);
			str_appendc(out, '\n');
		}
		if (mid != NULL)
			str_printf(out, "In-Reply-To:%s%s\n", blank_before(mid),
				   mid);
		free(to);
		free(subj);
		free(mid);
		free(refs);
		for (size_t k = 0; k < o->add_missing.n; k++)
			add_line_bare(out, o->add_missing.v[k], true);
		for (size_t k = 0; k < o->add_always.n; k++)
			add_line(out, o->add_always.v[k]);
		for (size_t k = 0; k < o->replace.n; k++)
			add_line(out, o->replace.v[k]);
		str_appendc(out, '\n');
		if (o->keep && m->body_len > 0) {
			const char *b = m->body, *e = b + m->body_len;
			struct str q = STR_INIT;

			/* From-quoted, then each non-empty line indented
			   with the prefix; -b: as it is */
			while (b < e) {
				const char *nl =
				    memchr(b, '\n', (size_t)(e - b));
				size_t n =
				    nl ? (size_t)(nl - b) + 1 : (size_t)(e - b);

				if (n > 1 && !o->no_escape)
					str_append(&q, o->prefix);
				if (n >= 5 && memcmp(b, "From ", 5) == 0 &&
				    !o->no_escape && !babyl &&
				    !looked_at(o, b, n, m->body, true))
					str_append(&q, o->prefix);
				str_append_n(&q, b, n);
				b += n;
			}
			append_body(out, q.s, q.len, cut);
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
		char *d = NULL;

		/* -a Date: dates it by the message's Date, as it came */
		for (size_t k = 0; k < o->add_missing.n && d == NULL; k++)
			if (strncasecmp(o->add_missing.v[k], "Date:", 5) == 0)
				d = formail_msg_get_last(m, "Date");
		if (d != NULL)
			str_printf(out, "From %s %s%s\n", a, blank_before(d),
				   d);
		else {
			strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y",
				 localtime(&now));
			str_printf(out, "From %s  %s\n", a, date);
		}
		free(d);
		free(a);
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct formail_field *f = &m->f[i];
		if (f->text[0] != '\0')
			str_append_n(out, f->text, f->len);
	}
	for (size_t k = 0; k < o->add_missing.n; k++) {
		const char *a = o->add_missing.v[k];
		size_t nl = arg_name_len(a);
		bool have = false;

		for (size_t i = 0; i < m->n && !have; i++)
			have = formail_field_is(&m->f[i], a, nl);
		if (!have)
			add_line_bare(out, a, true);
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
		const char *p = m->body, *e = p + m->body_len, *from;
		bool first_empty = true; /* the line at from follows one */
		long cl = content_length(o, m);

		/* the bytes Content-Length covers go out as they are */
		if (cl > 0) {
			size_t raw = formail_content_end(m->body, m->body_len,
							 m->header_cut, cl,
							 &first_empty);

			str_append_n(&b, p, raw);
			p += raw;
		}
		from = p;
		while (p < e) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(e - p);

			bool looked = looked_at(o, p, n, from, first_empty);

			if (n >= 5 && memcmp(p, "From ", 5) == 0 &&
			    !o->no_escape && !looked && !babyl)
				str_append(&b, o->prefix);
			str_append_n(&b, p, n);
			p += n;
		}
		append_body(out, b.s, b.len, cut);
		str_free(&b);
	}
}

/* Does an option's field name the From_ line ("From", "Fr", "From ":
   no colon, a start of "From ")? */
static bool
from_line_match(const struct strlist *l)
{
	for (size_t k = 0; k < l->n; k++) {
		size_t n = arg_name_len(l->v[k]);

		if (l->v[k][n] != ':' && n <= 5 &&
		    strncasecmp(l->v[k], "From ", n) == 0)
			return true;
	}
	return false;
}

/* Appends an extracted value (-x): as it is, or with -z trimmed. */
static void
extract_value(const struct fopts *o, const char *v, size_t n, struct str *out)
{
	if (o->zap) {
		size_t b = strspn(v, " \t");

		v += b;
		n -= b;
		while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
				 v[n - 1] == '\n'))
			n--;
		str_append_n(out, v, n);
		str_appendc(out, '\n');
	} else
		str_append_n(out, v, n);
}

/* -x and -X on m, the message as formail would print it: its From_ line
   (a field called "From ") and its fields, added ones included. */
static void
extract(const struct fopts *o, const struct formail_msg *m, struct str *out)
{
	if (m->from_line != NULL) {
		if (from_line_match(&o->extract_full))
			str_printf(out, "%s\n", m->from_line);
		else if (from_line_match(&o->extract)) {
			char *v = xasprintf("%s\n", m->from_line + 5);

			extract_value(o, v, strlen(v), out);
			free(v);
		}
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct formail_field *f = &m->f[i];
		bool x = field_match_any(f, &o->extract);
		bool X = field_match_any(f, &o->extract_full);

		if (f->text[0] == '\0')
			continue;
		if (X)
			str_append_n(out, f->text, f->len);
		else if (x)
			extract_value(o, f->text + f->name_len + 1,
				      f->len - f->name_len - 1, out);
	}
}

/* The log summary of -l, as procmail's LOGABSTRACT writes it, of the
   message msg as formail would have printed it; without the Folder line
   when formail writes it nowhere (folder_line false). */
static void
log_summary(const char *folder, const struct str *msg, bool folder_line,
	    struct str *out)
{
	const char *s = msg->s;
	size_t len = msg->len, hl, col, fl = strlen(folder);
	char num[32];
	int nn = snprintf(num, sizeof(num), "%zu", len);
	size_t tabs_to = 80 - (size_t)nn - 1;

	{
		const char *e = memmem(s, len, "\n\n", 2);

		hl = e != NULL ? (size_t)(e - s) + 1 : len;
	}
	if (len >= 5 && memcmp(s, "From ", 5) == 0) {
		const char *nl = memchr(s, '\n', len);

		str_append_n(out, s, nl ? (size_t)(nl - s) + 1 : len);
	}
	for (size_t i = 0; i < hl;
	     i = (size_t)((const char *)memchr(s + i, '\n', hl - i) - s) + 1) {
		if (hl - i > 8 && strncasecmp(s + i, "Subject:", 8) == 0) {
			const char *nl = memchr(s + i, '\n', hl - i);
			size_t n = nl ? (size_t)(nl - s) - i : hl - i;

			/* unfolded: continuation newlines become spaces */
			size_t k = 0;

			while (nl != NULL && (size_t)(nl - s) + 1 < hl &&
			       (nl[1] == ' ' || nl[1] == '\t'))
				nl = memchr(nl + 1, '\n',
					    hl - (size_t)(nl + 1 - s));
			n = nl ? (size_t)(nl - s) - i : hl - i;
			str_appendc(out, ' ');
			for (const char *q = s + i; k < n && k < 78; k++, q++)
				str_appendc(out, *q == '\n' || *q == '\r' ||
							 *q == '\t'
						     ? ' '
						     : *q);
			str_appendc(out, '\n');
			break;
		}
		if (memchr(s + i, '\n', hl - i) == NULL)
			break;
	}
	if (!folder_line)
		return;
	str_append(out, "  Folder: ");
	if (fl > 61)
		fl = 61;
	for (size_t i = 0; i < fl; i++)
		str_appendc(out, folder[i] == '\n' ? ' ' : folder[i]);
	col = 10 + fl;
	if (col >= tabs_to)
		str_appendc(out, ' ');
	while (col < tabs_to && (col / 8 + 1) * 8 <= tabs_to) {
		str_appendc(out, '\t');
		col = (col / 8 + 1) * 8;
	}
	for (; col < tabs_to; col++)
		str_appendc(out, ' ');
	str_printf(out, "%s\n", num);
}

/* One message (part: how the split found it, or NULL): what formail
   prints for it into out. Returns the exit code (with -D: 0 a
   duplicate, 1 new). */
static int
process(const struct fopts *o, const char *s, size_t len,
	const struct formail_part *part, struct str *out)
{
	struct formail_msg m;
	int code = 0;

	formail_msg_parse(s, len, &m);
	fmsg_transform(o, &m);
	if (o->dup_cache != NULL) {
		char *key =
		    o->reply ? reply_address(&m, o->trust) : dup_key(&m);

		code =
		    key != NULL && dup_check(o->dup_cache, o->dup_max, key) > 0
			? 0
			: 1;
		free(key);
		if (!o->split) {
			formail_msg_free(&m);
			return code;
		}
		if (code == 0) { /* splitting: a duplicate is not output */
			formail_msg_free(&m);
			return 0;
		}
		code = 0;
	}
	no_sender = false;
	if (o->extract.n > 0 || o->extract_full.n > 0) {
		/* extract from the header formail would print (the reply
		   header with -r); -k: then an empty line and the body */
		struct str r = STR_INIT;
		struct formail_msg rm;

		format_message(o, &m, part, &r);
		formail_msg_parse(r.s, r.len, &rm);
		extract(o, &rm, out);
		if (o->keep) {
			str_appendc(out, '\n');
			str_append_n(out, rm.body, rm.body_len);
		}
		formail_msg_free(&rm);
		str_free(&r);
	} else
		format_message(o, &m, part, out);
	formail_msg_free(&m);
	if (o->reply && no_sender)
		code = EX_NOUSER; /* printed all the same */
	if (o->log_folder != NULL) {
		struct str l = STR_INIT;

		/* a BABYL message's Folder line comes after its end,
		   unless -r wrote it after the header */
		log_summary(o->log_folder, out,
			    o->reply || part == NULL || !part->cut, &l);
		str_free(out);
		*out = l;
	}
	return code;
}

/* Waits for one child; records formail's exit code (the first
   failure: the command's status, EX_UNAVAILABLE for a signal). */
static void
reap(pid_t pid, int *st)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		return;
	if (*st != 0)
		return;
	if (WIFEXITED(status))
		*st = WEXITSTATUS(status);
	else
		*st = EX_UNAVAILABLE;
}

static int
run_split(const struct fopts *o, const char *s, size_t len)
{
	struct formail_split_opts so = {
	    .every = o->no_empty_lines,
	    .digest = o->not_strict,
	    .min_fields = o->min_fields,
	    .babyl = o->babyl,
	    .force = o->no_from,
	    .body_length = split_body_length,
	    .body_length_ctx = (void *)o,
	};
	struct formail_split *sp;
	struct formail_part part;

	/* a command that does not read all of its message is its
	   business: write() fails with EPIPE (EX_IOERR) */
	signal(SIGPIPE, SIG_IGN);
	int fileno = 0, st = 0;
	bool write_err = false;
	long seen = 0, written = 0, running = 0;

	sp = formail_split_init(s, len, &so);
	while (written != o->total && formail_split_next(sp, &part) > 0) {
		struct str out = STR_INIT;
		char num[16];
		bool dup;

		if (seen++ < o->skip)
			continue;
		int pc = process(o, part.data, part.len, &part, &out);

		dup = pc == 0 && o->dup_cache != NULL && out.len == 0;
		if (pc == EX_NOUSER && st == 0)
			st = pc;
		if (dup) {
			str_free(&out);
			continue;
		}
		written++;
		snprintf(num, sizeof(num), "%03d", fileno++);
		if (o->split_argv == NULL || o->split_argv[0] == NULL)
			(void)write_full(1, out.s, out.len);
		else {
			int pfd[2];
			pid_t pid;

			if (pipe(pfd) < 0) {
				str_free(&out);
				st = EX_OSERR;
				break;
			}
			fflush(NULL);
			pid = fork();
			if (pid == 0) {
				dup2(pfd[0], 0);
				close(pfd[0]);
				close(pfd[1]);
				setenv("FILENO", num, 1);
				execvp(o->split_argv[0], o->split_argv);
				{
					/* not a program: a shell script
					 */
					int n = 0;
					char **av;

					while (o->split_argv[n] != NULL)
						n++;
					av =
					    xcalloc((size_t)n + 2, sizeof(*av));
					av[0] = (char *)"/bin/sh";
					for (int k = 0; k < n; k++)
						av[k + 1] = o->split_argv[k];
					execv("/bin/sh", av);
				}
				_exit(EX_UNAVAILABLE);
			}
			close(pfd[0]);
			if (write_full(pfd[1], out.s, out.len) < 0)
				write_err = true;
			close(pfd[1]);
			if (pid > 0) {
				running++;
				if (!o->parallel || (o->max_procs > 0 &&
						     running >= o->max_procs)) {
					if (o->parallel) {
						int status;
						pid_t w = wait(&status);

						if (w > 0 && st == 0)
							st =
							    WIFEXITED(status)
								? WEXITSTATUS(
								      status)
								: EX_UNAVAILABLE;
					} else
						reap(pid, &st);
					running--;
				}
			}
		}
		str_free(&out);
	}
	formail_split_deinit(&sp);
	while (running-- > 0) {
		int status;

		if (wait(&status) > 0 && st == 0)
			st = WIFEXITED(status) ? WEXITSTATUS(status)
					       : EX_UNAVAILABLE;
	}
	/* a command's failure tells more than its not reading */
	return st != 0 ? st : write_err ? EX_IOERR : 0;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ackmail formail [-bczfrktqY] [-D maxlen idcache] "
		    "[-p prefix] [-l folder]\n"
		    "                       [-xXaAiIuU field] [-R oldfield "
		    "newfield]\n"
		    "   or: ackmail formail [+skip] [-total] [-bczfrktedqBY] "
		    "[-D maxlen idcache]\n"
		    "                       [-p prefix] [-n [maxprocs]] [-m "
		    "minfields] [-l folder]\n"
		    "                       [-xXaAiIuU field] [-R oldfield "
		    "newfield] -s [command [arg ...]]\n");
}

/* The argument of an option: the rest of this word, else the next
   word. NULL when there is none. */
static const char *
opt_arg(const char *c, int argc, char **argv, int *i)
{
	if (c[1] != '\0')
		return c + 1;
	if (*i + 1 < argc)
		return argv[++*i];
	return NULL;
}

/* A field option's argument must name a field. */
static bool
valid_field(const char *a)
{
	size_t n = arg_name_len(a);

	if (n == 0)
		return false;
	for (size_t k = 0; k < n; k++)
		if (a[k] == ' ' || a[k] == '\t' || a[k] == '\n')
			return false;
	return true;
}

int
cmd_formail(int argc, char **argv)
{
	struct fopts o = {
	    .prefix = ">", .quiet = true, .min_fields = 2, .total = -1};
	struct str in = STR_INIT, out = STR_INIT;
	int code = 0, i;
	bool split_only = false; /* an option that needs -s was given */

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0) {
			usage(stdout);
			return EX_OK;
		}
		if (a[0] == '+' && isdigit((unsigned char)a[1])) {
			o.skip = atol(a + 1);
			split_only = true;
			continue;
		}
		if (a[0] != '-' || a[1] == '\0')
			goto bad;
		if (isdigit((unsigned char)a[1])) {
			o.total = atol(a + 1);
			split_only = true;
			continue;
		}
		for (const char *c = a + 1; *c; c++) {
			struct strlist *l = NULL;
			const char *v;

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
				o.no_escape = true;
				continue;
			case 'c':
				o.concat = true;
				continue;
			case 'v':
				/* formail prints its version and exits 64 */
				fprintf(stderr,
					"ackmail formail %s (formail v3.23pre "
					"compatible)\n",
					ACKMAIL_VERSION);
				code = EX_USAGE;
				goto out;
			case 'Y':
				o.berkeley = true;
				continue;
			case 'q':
				o.quiet = c[1] != '-';
				if (c[1] == '-')
					c++;
				continue;
			case 'e':
				o.no_empty_lines = split_only = true;
				continue;
			case 'd':
				o.not_strict = split_only = true;
				continue;
			case 'B': /* implies -e -d */
				o.babyl = o.no_empty_lines = o.not_strict =
				    split_only = true;
				continue;
			case 'n':
				split_only = o.parallel = true;
				o.max_procs = 0;
				/* the rest of the word, else the next word,
				   is the number, as formail reads it */
				if (c[1] != '\0') {
					o.max_procs = atol(c + 1);
					goto next;
				}
				if (i + 1 < argc) {
					v = argv[++i];
					if (*v == '+')
						v++;
					if (!isdigit((unsigned char)*v))
						goto bad;
					o.max_procs = atol(v);
				}
				goto next;
			case 'm':
				if ((v = opt_arg(c, argc, argv, &i)) == NULL)
					goto bad;
				o.min_fields = atol(v);
				split_only = true;
				goto next;
			case 'p':
				if ((v = opt_arg(c, argc, argv, &i)) == NULL)
					goto bad;
				o.prefix = v;
				goto next;
			case 'l':
				if ((v = opt_arg(c, argc, argv, &i)) == NULL)
					goto bad;
				o.log_folder = v;
				goto next;
			case 's':
				o.split = true;
				o.split_argv = argv + i + 1;
				i = argc;
				goto args_done;
			case 'D':
				if (i + 2 >= argc || c[1] != '\0')
					goto bad;
				o.dup_max = atol(argv[++i]);
				o.dup_cache = argv[++i];
				goto next;
			case 'R':
				if ((v = opt_arg(c, argc, argv, &i)) == NULL ||
				    i + 1 >= argc)
					goto bad;
				/* a whole old name cannot become a part */
				if (!valid_field(v) ||
				    !valid_field(argv[i + 1]) ||
				    (v[arg_name_len(v)] == ':' &&
				     argv[i + 1][arg_name_len(argv[i + 1])] !=
					 ':')) {
					fprintf(
					    stderr,
					    "ackmail formail: invalid field "
					    "name: \"%s\"\n",
					    valid_field(v) ? argv[i + 1] : v);
					goto bad;
				}
				strlist_add(&o.ren_old, v);
				strlist_add(&o.ren_new, argv[++i]);
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
			case 'u':
				l = &o.uniq_first;
				break;
			case 'U':
				l = &o.uniq_last;
				break;
			default:
				fprintf(stderr,
					"ackmail formail: unknown option -%c\n",
					*c);
				goto bad;
			}
			if ((v = opt_arg(c, argc, argv, &i)) == NULL)
				goto bad;
			if (*c == 'a' && strcasecmp(v, "Resent-") == 0) {
				o.resent = true; /* no field: a modifier */
				goto next;
			}
			if (!valid_field(v) || ((*c == 'a' || *c == 'A') &&
						v[arg_name_len(v)] != ':')) {
				fprintf(stderr,
					"ackmail formail: invalid field name: "
					"\"%s\"\n",
					v);
				goto bad;
			}
			strlist_add(l, v);
			goto next;
		}
	next:
		continue;
	}
	if (split_only)
		goto bad; /* +skip -total -e -d -B -n -m need -s */
args_done:
	resent_first = o.resent;
	if (o.resent && !o.trust) {
		fprintf(stderr, "ackmail formail: invalid field name: "
				"\"Resent-\" (only with -t)\n");
		goto bad;
	}
	/* what formail refuses to mix */
	if (((o.extract.n > 0 || o.extract_full.n > 0) &&
	     o.log_folder != NULL) ||
	    (o.keep && !o.reply && o.extract.n == 0 && o.extract_full.n == 0))
		goto bad;
	if (read_full(0, &in) < 0)
		return EX_IOERR;
	str_append(&in, "");
	if (o.split)
		code = run_split(&o, in.s, in.len);
	else {
		/* formail passes over empty lines before the message */
		size_t skip = strspn(in.s, "\n");

		code = process(&o, in.s + skip, in.len - skip, NULL, &out);
		if (out.len > 0 && write_full(1, out.s, out.len) < 0)
			code = EX_IOERR;
	}
	if (false) {
	bad:
		usage(stderr);
		code = EX_USAGE;
	}
out:
	str_free(&in);
	str_free(&out);
	strlist_free(&o.add_always);
	strlist_free(&o.add_missing);
	strlist_free(&o.replace);
	strlist_free(&o.rename);
	strlist_free(&o.extract);
	strlist_free(&o.extract_full);
	strlist_free(&o.uniq_first);
	strlist_free(&o.uniq_last);
	strlist_free(&o.ren_old);
	strlist_free(&o.ren_new);
	return code;
}
