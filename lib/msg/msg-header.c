/*
 * msg-header.c - header fields: raw, unfolded and RFC 2047 decoded.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg-private.h"

char *
msg_header_value(const struct msg *msg, size_t i, bool decoded)
{
	const struct msg_header *h = msg_header_at(msg, i);
	char *v, *d;

	if (h == NULL)
		return NULL;
	v = msg_unfold(h->value, h->value_len);
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
