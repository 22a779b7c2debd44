/*
 * msg-parse.c - reading a message, keeping its bytes whole, and finding
 * its From_ line, header block and body.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg-private.h"

static void
msg_scan_headers(struct msg *msg)
{
	const char *p = msg->buf + msg->hdr_start, *end = msg->buf + msg->len;
	size_t cap = 0;

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
			if (msg->nhdrs > 0) {
				h = &msg->hdrs[msg->nhdrs - 1];
				h->value_len = (size_t)(line_end - h->value);
			}
			p = next;
			continue;
		}
		colon = memchr(p, ':', (size_t)(line_end - p));
		if (colon == NULL || colon == p) {
			/* not a header field: a mailbox "From " line in the
			   middle or garbage; skip it */
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
				p = next;
				continue;
			}
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
	if (len >= 5 && memcmp(msg->buf, "From ", 5) == 0) {
		nl = memchr(msg->buf, '\n', len);
		msg->from_len = nl != NULL ? (size_t)(nl - msg->buf) + 1 : len;
	}
	msg->hdr_start = msg->from_len;
	nl = memchr(msg->buf + msg->hdr_start, '\n', len - msg->hdr_start);
	msg->crlf = nl != NULL && nl > msg->buf + msg->hdr_start &&
		    nl[-1] == '\r';
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

void
msg_free(struct msg **msgp)
{
	struct msg *msg = *msgp;

	if (msg == NULL)
		return;
	msg_body_free(msg);
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
