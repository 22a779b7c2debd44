/*
 * msg-parse.c - reading a message, keeping its bytes whole, and finding
 * its From_ line, header block and body.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "msg-private.h"

static void
msg_scan_headers(struct msg *msg)
{
	const char *p = msg->buf + msg->hdr_start, *end = msg->buf + msg->len;
	size_t cap = 0;
	bool junk = false; /* the last line was no field: its continuations
			      belong to it, not to the field before */

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol != NULL ? eol : end;
		const char *colon, *next;
		struct msg_header *h;

		/* an empty line ends the header */
		if (line_end == p || (line_end == p + 1 && *p == '\r')) {
			p = eol != NULL ? eol + 1 : end;
			break;
		}
		next = eol != NULL ? eol + 1 : end;
		if (*p == ' ' || *p == '\t') {
			/* continuation; an orphan one at the start is junk */
			if (msg->nhdrs > 0 && !junk) {
				h = &msg->hdrs[msg->nhdrs - 1];
				h->value_len = (size_t)(line_end - h->value);
			} else {
				msg->hdr_junk = true;
			}
			p = next;
			continue;
		}
		colon = memchr(p, ':', (size_t)(line_end - p));
		if (colon == NULL || colon == p) {
			/* not a header field: a mailbox "From " line in the
			   middle or garbage; skip it */
			junk = msg->hdr_junk = true;
			p = next;
			continue;
		}
		/* field names are printable ASCII without spaces; trailing
		   spaces before the colon are tolerated ("Subject : x") */
		{
			const char *q = colon;
			bool ok = true;

			while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
				q--;
			for (const char *r = p; r < q; r++)
				if ((unsigned char)*r <= 32 ||
				    (unsigned char)*r >= 127)
					ok = false;
			if (!ok || q == p) {
				junk = msg->hdr_junk = true;
				p = next;
				continue;
			}
			junk = false;
			if (msg->nhdrs == cap) {
				cap = cap == 0 ? 32 : cap * 2;
				msg->hdrs = xreallocarray(msg->hdrs, cap,
							  sizeof(*msg->hdrs));
			}
			h = &msg->hdrs[msg->nhdrs++];
			h->name = p;
			h->name_len = (size_t)(q - p);
			h->value = colon + 1;
			h->value_len = (size_t)(line_end - h->value);
		}
		p = next;
	}
	/* strip the CR of CRLF endings from the values */
	for (size_t i = 0; i < msg->nhdrs; i++) {
		struct msg_header *h = &msg->hdrs[i];

		if (h->value_len > 0 && h->value[h->value_len - 1] == '\r')
			h->value_len--;
	}
	msg->body_start = (size_t)(p - msg->buf);
	msg->hdr_len = msg->body_start - msg->hdr_start;
}

struct msg *
msg_new_take(char *buf, size_t len)
{
	struct msg *msg = xcalloc(1, sizeof(*msg));
	const char *nl;

	msg->buf = xreallocarray(buf, len + 1, 1);
	msg->buf[len] = '\0';
	msg->len = len;
	/* a leading "From " line is the mbox From_ line, as procmail takes
	   it (also "From  : x", which Pigeonhole reads as the From field:
	   docs/compatibility.md) */
	if (len >= 5 && memcmp(msg->buf, "From ", 5) == 0) {
		nl = memchr(msg->buf, '\n', len);
		msg->from_len = nl != NULL ? (size_t)(nl - msg->buf) + 1 : len;
	}
	msg->hdr_start = msg->from_len;
	nl = memchr(msg->buf + msg->hdr_start, '\n', len - msg->hdr_start);
	msg->crlf =
	    nl != NULL && nl > msg->buf + msg->hdr_start && nl[-1] == '\r';
	msg_scan_headers(msg);
	return msg;
}

struct msg *
msg_new_copy(const void *buf, size_t len)
{
	return msg_new_take(xmemdup(buf, len), len);
}

int
msg_read_fd(int fd, struct msg **msg_r)
{
	struct str s = STR_INIT;

	if (read_full(fd, &s) < 0) {
		int e = errno;
		str_free(&s);
		errno = e;
		return -1;
	}
	*msg_r = msg_new_take(s.s, s.len);
	return 0;
}

/* Unfolds: CR/LF dropped (the whitespace after them stays, but a tab
   right after a line end reads as a space, as Dovecot unfolds), leading
   and trailing whitespace trimmed. */
char *
msg_unfold(const char *v, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;

	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '\r' || v[i] == '\n') {
			if (v[i] == '\n' && i + 1 < len && v[i + 1] == '\t') {
				*o++ = ' ';
				i++;
			}
			continue;
		}
		*o++ = v[i];
	}
	while (o > out && (o[-1] == ' ' || o[-1] == '\t'))
		o--;
	*o = '\0';
	return out;
}

char *
msg_header_raw(const struct msg *msg, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < msg->nhdrs; i++) {
		const struct msg_header *h = &msg->hdrs[i];

		if (h->name_len == n && strncasecmp(h->name, name, n) == 0)
			return msg_unfold(h->value, h->value_len);
	}
	return NULL;
}

/* Extracts every <id> in s; ids without brackets are taken whole when
   the field has no brackets at all. */
void
msg_extract_ids(const char *s, struct strlist *ids)
{
	const char *p = s;
	bool any = false;

	while ((p = strchr(p, '<')) != NULL) {
		const char *e = strchr(p, '>');
		char *id;

		if (e == NULL)
			break;
		id = xstrndup(p + 1, (size_t)(e - p - 1));
		str_trim(id);
		if (*id != '\0' && strchr(id, '@') != NULL &&
		    !strlist_contains_case(ids, id))
			strlist_add_owned(ids, id);
		else
			free(id);
		any = true;
		p = e + 1;
	}
	if (!any) {
		struct strlist words = {0};

		strlist_split(&words, s, " \t,");
		for (size_t i = 0; i < words.n; i++)
			if (strchr(words.v[i], '@') != NULL &&
			    !strlist_contains_case(ids, words.v[i]))
				strlist_add(ids, words.v[i]);
		strlist_free(&words);
	}
}

const char *
msg_message_id(struct msg *msg)
{
	char *v;

	if (msg->message_id_done)
		return msg->message_id;
	msg->message_id_done = true;
	v = msg_header_raw(msg, "Message-ID");
	if (v != NULL) {
		struct strlist ids = {0};

		msg_extract_ids(v, &ids);
		if (ids.n > 0)
			msg->message_id = xstrdup(ids.v[0]);
		else if (*str_trim(v) != '\0')
			msg->message_id = xstrdup(v);
		strlist_free(&ids);
		free(v);
	}
	return msg->message_id;
}

void
msg_free(struct msg **msgp)
{
	struct msg *msg = *msgp;

	if (msg == NULL)
		return;
	if (msg->body_free != NULL)
		msg->body_free(msg);
	free(msg->hdrs);
	free(msg->env_from);
	free(msg->env_to);
	free(msg->message_id);
	free(msg->subject);
	free(msg->cls.failed_recipient);
	free(msg->cls.original_message_id);
	free(msg->buf);
	free(msg);
	*msgp = NULL;
}

const char *
msg_raw(const struct msg *msg, size_t *len_r)
{
	*len_r = msg->len;
	return msg->buf;
}

const char *
msg_from_line(const struct msg *msg, size_t *len_r)
{
	size_t n = msg->from_len;

	if (n == 0)
		return NULL;
	while (n > 0 && (msg->buf[n - 1] == '\n' || msg->buf[n - 1] == '\r'))
		n--;
	*len_r = n;
	return msg->buf;
}

const char *
msg_data(const struct msg *msg, size_t *len_r)
{
	*len_r = msg->len - msg->from_len;
	return msg->buf + msg->from_len;
}

const char *
msg_header_block(const struct msg *msg, size_t *len_r)
{
	*len_r = msg->hdr_len;
	return msg->buf + msg->hdr_start;
}

/* The raw fields (msg-header.c has their unfolded and decoded values,
   which need GMime). */
size_t
msg_header_count(const struct msg *msg)
{
	return msg->nhdrs;
}

const struct msg_header *
msg_header_at(const struct msg *msg, size_t i)
{
	return i < msg->nhdrs ? &msg->hdrs[i] : NULL;
}

const char *
msg_body(const struct msg *msg, size_t *len_r)
{
	*len_r = msg->len - msg->body_start;
	return msg->buf + msg->body_start;
}

size_t
msg_size(const struct msg *msg)
{
	return msg->len - msg->from_len;
}

bool
msg_is_crlf(const struct msg *msg)
{
	return msg->crlf;
}

void
msg_set_envelope(struct msg *msg, const char *from, const char *to)
{
	free(msg->env_from);
	free(msg->env_to);
	msg->env_from = from == NULL ? NULL : xstrdup(from);
	msg->env_to = to == NULL ? NULL : xstrdup(to);
	if (msg->env_from != NULL && strcmp(msg->env_from, "<>") == 0)
		msg->env_from[0] = '\0';
	msg->cls_done = false;
}

const char *
msg_envelope_from(const struct msg *msg)
{
	return msg->env_from;
}

const char *
msg_envelope_to(const struct msg *msg)
{
	return msg->env_to;
}
