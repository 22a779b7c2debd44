/*
 * msg-header.c - header fields: raw, unfolded and RFC 2047 decoded.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "msg-private.h"

void msg_gmime_init(void);

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

/* Unfolds: CR/LF dropped (the whitespace after them stays), leading and
   trailing whitespace trimmed. */
static char *
unfold(const char *v, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;

	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '\r' || v[i] == '\n')
			continue;
		*o++ = v[i];
	}
	while (o > out && (o[-1] == ' ' || o[-1] == '\t'))
		o--;
	*o = '\0';
	return out;
}

static bool
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* Raw 8-bit text: kept when valid UTF-8, else read as Windows-1252. */
static char *
to_utf8(const char *s)
{
	gsize n;
	char *conv;
	char *r;

	if (g_utf8_validate(s, -1, NULL))
		return xstrdup(s);
	conv = g_convert_with_fallback(s, -1, "UTF-8", "WINDOWS-1252", "?",
				       NULL, &n, NULL);
	if (conv == NULL)
		conv = g_convert_with_fallback(s, -1, "UTF-8", "ISO-8859-1",
					       "?", NULL, &n, NULL);
	if (conv == NULL)
		return xstrdup(s);
	r = xstrdup(conv);
	g_free(conv);
	return r;
}

char *
msg_header_decode(const char *s)
{
	char *dec, *r;

	if (strstr(s, "=?") == NULL)
		return is_ascii(s) ? xstrdup(s) : to_utf8(s);
	msg_gmime_init();
	dec = g_mime_utils_header_decode_text(NULL, s);
	if (dec == NULL)
		return to_utf8(s);
	r = to_utf8(dec);
	g_free(dec);
	return r;
}

char *
msg_header_value(const struct msg *msg, size_t i, bool decoded)
{
	const struct msg_header *h = msg_header_at(msg, i);
	char *v, *d;

	if (h == NULL)
		return NULL;
	v = unfold(h->value, h->value_len);
	if (!decoded)
		return v;
	d = msg_header_decode(v);
	free(v);
	return d;
}

static bool
name_is(const struct msg_header *h, const char *name)
{
	return strlen(name) == h->name_len &&
	       strncasecmp(h->name, name, h->name_len) == 0;
}

int
msg_header_get_all(const struct msg *msg, const char *name, bool decoded,
		   struct strlist *values)
{
	int n = 0;

	for (size_t i = 0; i < msg->nhdrs; i++) {
		if (!name_is(&msg->hdrs[i], name))
			continue;
		strlist_add_owned(values, msg_header_value(msg, i, decoded));
		n++;
	}
	return n;
}

char *
msg_header_get(const struct msg *msg, const char *name, bool decoded)
{
	for (size_t i = 0; i < msg->nhdrs; i++)
		if (name_is(&msg->hdrs[i], name))
			return msg_header_value(msg, i, decoded);
	return NULL;
}

bool
msg_header_exists(const struct msg *msg, const char *name)
{
	for (size_t i = 0; i < msg->nhdrs; i++)
		if (name_is(&msg->hdrs[i], name))
			return true;
	return false;
}
