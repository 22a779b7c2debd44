/*
 * formail-parse.c - one message as formail reads it: the From_ line,
 * the header fields with their continuation lines and where the body
 * starts, byte for byte as formail(1) takes them apart.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "formail.h"

size_t
formail_field_name_len(const char *s, size_t len, size_t *colon_r)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ':') {
			*colon_r = i;
			return i;
		}
		if (s[i] == ' ' || s[i] == '\t') {
			size_t j = i;

			while (j < len && (s[j] == ' ' || s[j] == '\t'))
				j++;

			if (i > 0 && j < len && s[j] == ':') {
				*colon_r = j;
				return i;
			}
			return 0;
		}
		/* formail takes no control character in a name */
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	}
	return 0;
}

static void
msg_add_field(struct formail_msg *m, const char *s, size_t len)
{
	struct str t = STR_INIT;
	size_t colon = 0, nl;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->f = xreallocarray(m->f, m->cap, sizeof(*m->f));
	}
	/* "Name :" is written "Name:", as formail does */
	nl = formail_field_name_len(s, len, &colon);
	str_append(&t, "");
	str_append_n(&t, s, nl);
	str_append_n(&t, s + colon, len - colon);
	if (t.s[t.len - 1] != '\n') /* the last line, unterminated */
		str_appendc(&t, '\n');
	m->f[m->n].len = t.len;
	m->f[m->n].text = str_steal(&t);
	m->f[m->n].name_len = nl;
	m->n++;
}

/* Is the "From " line at s the From: field written "From  :" (blanks
   only before the colon), as formail reads it? */
static bool
from_field(const char *s, size_t len)
{
	size_t i = 4;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < len && s[i] == ':';
}

/* Reads the header at s into m (NULL: only looks); returns where it
   stopped: at the empty line or the line that ends it, or len. */
static size_t
parse_header(const char *s, size_t len, struct formail_msg *m)
{
	size_t i = 0;

	if (len >= 5 && memcmp(s, "From ", 5) == 0 && !from_field(s, len)) {
		const char *nl = memchr(s, '\n', len);
		size_t e = nl ? (size_t)(nl - s) : len;

		if (m != NULL)
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
		{
			size_t colon;

			/* a line that is no field ends the header: the body
			   starts there (formail puts the empty line in) */
			if (formail_field_name_len(s + i, len - i, &colon) == 0)
				break;
		}
		for (;;) {
			const char *nl = memchr(s + i, '\n', len - i);

			i = nl ? (size_t)(nl - s) + 1 : len;
			if (i >= len || (s[i] != ' ' && s[i] != '\t'))
				break;
		}
		if (m != NULL)
			msg_add_field(m, s + st, i - st);
	}
	return i;
}

size_t
formail_header_len(const char *s, size_t len)
{
	return parse_header(s, len, NULL);
}

void
formail_msg_parse(const char *s, size_t len, struct formail_msg *m)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	i = parse_header(s, len, m);
	if (i < len && s[i] == '\n')
		i++;
	else if (i < len)
		m->header_cut = true;
	m->body = s + i;
	m->body_len = len - i;
}

size_t
formail_content_end(const char *body, size_t body_len, bool header_cut, long n,
		    bool *empty_r)
{
	size_t first = 0, e;
	bool copied;

	if (header_cut) {
		const char *nl = memchr(body, '\n', body_len);

		first = nl != NULL ? (size_t)(nl - body) + 1 : body_len;
	}
	e = (size_t)n < body_len ? (size_t)n : body_len;
	if (e < first)
		e = first;
	/* formail counts on from the line that ended the header as if
	   after a newline */
	copied = e > first;
	*empty_r = copied ? body[e - 1] == '\n' &&
				(e - 1 == first || body[e - 2] == '\n')
			  : !header_cut;
	if (e < body_len && body[e] == '\n' && copied && body[e - 1] != '\n')
		e++; /* the newline of the last line copied */
	return e;
}

void
formail_msg_free(struct formail_msg *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->f[i].text);
	free(m->f);
	free(m->from_line);
	memset(m, 0, sizeof(*m));
}

bool
formail_field_is(const struct formail_field *f, const char *name, size_t nlen)
{
	return f->name_len == nlen && strncasecmp(f->text, name, nlen) == 0;
}

char *
formail_msg_get(const struct formail_msg *m, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < m->n; i++)
		if (formail_field_is(&m->f[i], name, nl)) {
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

char *
formail_msg_get_last(const struct formail_msg *m, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = m->n; i-- > 0;) {
		const struct formail_field *f = &m->f[i];

		if (f->text[0] != '\0' && formail_field_is(f, name, nl) &&
		    f->len > nl + 2)
			return xstrndup(f->text + nl + 1, f->len - nl - 2);
	}
	return NULL;
}
