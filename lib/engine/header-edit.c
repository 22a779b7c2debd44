/*
 * header-edit.c - an editable copy of a message's header (editheader,
 * RFC 5293): fields can be added at the top or the end and deleted;
 * fields nobody touched keep their bytes exactly (folding, line endings,
 * stray lines), and the body is never copied until a message with the
 * edited header is asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "msg.h"

struct header_field {
	char *name;
	char *value; /* unfolded raw value (what tests see) */
	char *raw;   /* the field's bytes, line ending(s) included */
	size_t raw_len;
};

struct header_edit {
	const struct msg *msg;
	char *prefix; /* stray bytes before the first field */
	size_t prefix_len;
	struct header_field *v;
	size_t n, cap;
	unsigned int changes;
	const char *eol;
};

/* Unfolds: CR and LF dropped, leading and trailing blanks trimmed. */
static char *
unfold(const char *s, size_t len)
{
	struct str out = STR_INIT;

	str_append(&out, "");
	for (size_t i = 0; i < len; i++)
		if (s[i] != '\r' && s[i] != '\n')
			str_appendc(&out, s[i]);
	str_trim(out.s);
	return str_steal(&out);
}

static struct header_field *
field_insert(struct header_edit *he, size_t at)
{
	if (he->n == he->cap) {
		he->cap = he->cap == 0 ? 32 : he->cap * 2;
		he->v = xreallocarray(he->v, he->cap, sizeof(*he->v));
	}
	memmove(he->v + at + 1, he->v + at, (he->n - at) * sizeof(*he->v));
	he->n++;
	memset(&he->v[at], 0, sizeof(he->v[at]));
	return &he->v[at];
}

/* Where the header fields end inside the header block: before the empty
   line that separates them from the body, when there is one. */
static size_t
fields_end(const char *hb, size_t len)
{
	size_t start;

	if (len == 0 || hb[len - 1] != '\n')
		return len;
	start = len - 1;
	while (start > 0 && hb[start - 1] != '\n')
		start--;
	if (len - start == 1 || (len - start == 2 && hb[start] == '\r'))
		return start;
	return len;
}

struct header_edit *
header_edit_new(const struct msg *msg)
{
	struct header_edit *he = xcalloc(1, sizeof(*he));
	size_t hlen, n = msg_header_count(msg), end;
	const char *hb = msg_header_block(msg, &hlen);

	he->msg = msg;
	he->eol = msg_is_crlf(msg) ? "\r\n" : "\n";
	end = fields_end(hb, hlen);
	for (size_t i = 0; i < n; i++) {
		const struct msg_header *h = msg_header_at(msg, i);
		const struct msg_header *next = msg_header_at(msg, i + 1);
		size_t from = (size_t)(h->name - hb);
		size_t to = next != NULL ? (size_t)(next->name - hb) : end;
		struct header_field *f = field_insert(he, he->n);

		if (i == 0 && from > 0) {
			he->prefix = xmemdup(hb, from);
			he->prefix_len = from;
		}
		f->name = xstrndup(h->name, h->name_len);
		f->value = unfold(h->value, h->value_len);
		f->raw = xmemdup(hb + from, to - from);
		f->raw_len = to - from;
	}
	if (n == 0 && end > 0) {
		he->prefix = xmemdup(hb, end);
		he->prefix_len = end;
	}
	return he;
}

void
header_edit_free(struct header_edit **hep)
{
	struct header_edit *he = *hep;

	if (he == NULL)
		return;
	for (size_t i = 0; i < he->n; i++) {
		free(he->v[i].name);
		free(he->v[i].value);
		free(he->v[i].raw);
	}
	free(he->v);
	free(he->prefix);
	free(he);
	*hep = NULL;
}

const struct msg *
header_edit_msg(const struct header_edit *he)
{
	return he->msg;
}

size_t
header_edit_count(const struct header_edit *he)
{
	return he->n;
}

const char *
header_edit_name(const struct header_edit *he, size_t i)
{
	return i < he->n ? he->v[i].name : NULL;
}

const char *
header_edit_value(const struct header_edit *he, size_t i)
{
	return i < he->n ? he->v[i].value : NULL;
}

unsigned int
header_edit_changes(const struct header_edit *he)
{
	return he->changes;
}

static bool
needs_encoding(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80 ||
		    ((unsigned char)*s < 32 && *s != '\t'))
			return true;
	return false;
}

static void
base64(struct str *out, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned int v = (unsigned int)p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned int)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		str_appendc(out, tab[(v >> 18) & 63]);
		str_appendc(out, tab[(v >> 12) & 63]);
		str_appendc(out, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		str_appendc(out, i + 2 < n ? tab[v & 63] : '=');
	}
}

/* Text with 8-bit or control characters: RFC 2047 "B" words of at most
   45 octets (75 characters), never splitting a UTF-8 sequence, one per
   line. */
static void
append_encoded(struct str *out, const char *s, const char *eol)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	while (len > 0) {
		size_t n = len < 45 ? len : 45;

		while (n < len && n > 1 && (p[n] & 0xc0) == 0x80)
			n--;
		str_append(out, "=?utf-8?b?");
		base64(out, p, n);
		str_append(out, "?=");
		p += n;
		len -= n;
		if (len > 0) {
			str_append(out, eol);
			str_appendc(out, ' ');
		}
	}
}

/* Plain text: folded before a blank when a line would pass 78
   characters; line breaks in the value become folds. */
static void
append_folded(struct str *out, size_t col, const char *s, const char *eol)
{
	while (*s != '\0') {
		size_t word = strcspn(s + 1, " \t") + 1;

		if (*s == ' ' || *s == '\t') {
			if (col + word > 78 && col > 1) {
				str_append(out, eol);
				col = 0;
			}
		}
		str_append_n(out, s, word);
		col += word;
		s += word;
	}
}

void
header_edit_add(struct header_edit *he, const char *name, const char *value,
		bool last)
{
	struct header_field *f = field_insert(he, last ? he->n : 0);
	struct str raw = STR_INIT, text = STR_INIT;

	/* line breaks in the value are folds: one blank for the break */
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			while (text.len > 0 && text.s[text.len - 1] == ' ')
				text.len--;
			if (p[1] != '\0' && p[1] != '\r' && p[1] != '\n')
				str_appendc(&text, ' ');
			while (p[1] == ' ' || p[1] == '\t')
				p++;
			continue;
		}
		str_appendc(&text, *p);
	}
	str_append(&text, "");
	str_trim(text.s);
	str_printf(&raw, "%s: ", name);
	if (needs_encoding(text.s))
		append_encoded(&raw, text.s, he->eol);
	else
		append_folded(&raw, raw.len, text.s, he->eol);
	str_append(&raw, he->eol);
	f->name = xstrdup(name);
	f->value = unfold(raw.s + strlen(name) + 1, raw.len - strlen(name) - 1);
	f->raw_len = raw.len;
	f->raw = str_steal(&raw);
	str_free(&text);
	he->changes++;
}

void
header_edit_delete(struct header_edit *he, size_t i)
{
	if (i >= he->n)
		return;
	free(he->v[i].name);
	free(he->v[i].value);
	free(he->v[i].raw);
	memmove(he->v + i, he->v + i + 1, (he->n - i - 1) * sizeof(*he->v));
	he->n--;
	he->changes++;
}

struct msg *
header_edit_message(const struct header_edit *he)
{
	const struct msg *msg = he->msg;
	struct str out = STR_INIT;
	size_t hlen, blen, flen, end;
	const char *hb = msg_header_block(msg, &hlen);
	const char *body = msg_body(msg, &blen);
	const char *from = msg_from_line(msg, &flen);
	const char *data;
	size_t dlen;
	struct msg *m;

	if (from != NULL) {
		/* the From_ line with its own line ending */
		data = msg_data(msg, &dlen);
		str_append_n(&out, from, (size_t)(data - from));
	}
	str_append_n(&out, he->prefix, he->prefix_len);
	for (size_t i = 0; i < he->n; i++) {
		const struct header_field *f = &he->v[i];

		str_append_n(&out, f->raw, f->raw_len);
		if (f->raw_len > 0 && f->raw[f->raw_len - 1] != '\n')
			str_append(&out, he->eol);
	}
	end = fields_end(hb, hlen);
	if (end < hlen)
		str_append_n(&out, hb + end, hlen - end);
	else if (blen > 0 || he->n > 0)
		str_append(&out, he->eol);
	str_append_n(&out, body, blen);
	dlen = out.len;
	m = msg_new_take(str_steal(&out), dlen);
	msg_set_envelope(m, msg_envelope_from(msg), msg_envelope_to(msg));
	return m;
}
