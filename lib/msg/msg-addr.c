/*
 * msg-addr.c - RFC 5322 address lists: groups, comments, quoted local
 * parts, obsolete routes; tolerant of what real mail gets wrong.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "msg-private.h"

static void
addr_push(struct msg_addrlist *list, const char *name, const char *addr)
{
	struct msg_addr *a;
	const char *at;

	if (list->n == list->cap) {
		list->cap = list->cap == 0 ? 4 : list->cap * 2;
		list->v = xreallocarray(list->v, list->cap, sizeof(*list->v));
	}
	a = &list->v[list->n++];
	memset(a, 0, sizeof(*a));
	a->addr = xstrdup(addr);
	if (name != NULL && *name != '\0')
		a->name = msg_header_decode(name);
	at = strrchr(a->addr, '@');
	if (at != NULL) {
		a->local = xstrndup(a->addr, (size_t)(at - a->addr));
		a->domain = xstrdup(at + 1);
	} else
		a->local = xstrdup(a->addr);
}

/* Removes quotes (keeping their content) and squeezes whitespace. */
static char *
clean_phrase(const char *s, size_t len)
{
	struct str out = STR_INIT;
	bool space = false;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '"')
			continue;
		if (c == '\\' && i + 1 < len) {
			c = s[++i];
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = out.len > 0;
			continue;
		}
		if (space)
			str_appendc(&out, ' ');
		space = false;
		str_appendc(&out, c);
	}
	return str_steal(&out);
}

/* Parses one mailbox element (between top-level commas). */
static void
parse_element(const char *s, size_t len, struct msg_addrlist *list)
{
	struct str bare = STR_INIT, comment = STR_INIT;
	const char *lt = NULL, *gt = NULL;
	int depth = 0;
	bool quoted = false;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (quoted) {
			if (c == '\\' && i + 1 < len) {
				str_appendc(&bare, c);
				c = s[++i];
			} else if (c == '"')
				quoted = false;
			str_appendc(&bare, c);
			continue;
		}
		if (depth > 0) {
			if (c == '\\' && i + 1 < len)
				c = s[++i];
			else if (c == '(')
				depth++;
			else if (c == ')' && --depth == 0)
				continue;
			if (depth > 0)
				str_appendc(&comment, c);
			continue;
		}
		if (c == '(') {
			depth = 1;
			if (comment.len > 0)
				str_appendc(&comment, ' ');
			continue;
		}
		if (c == '"')
			quoted = true;
		if (c == '<' && lt == NULL)
			lt = s + i;
		else if (c == '>' && lt != NULL && gt == NULL)
			gt = s + i;
		str_appendc(&bare, c);
	}
	if (lt != NULL) {
		const char *a = lt + 1, *e = gt != NULL ? gt : s + len;
		const char *blt = strchr(str_c(&bare), '<');
		char *addr, *colon, *cname = NULL;

		/* the name: the comment-free text before '<' */
		if (blt != NULL)
			cname = clean_phrase(str_c(&bare),
					     (size_t)(blt - str_c(&bare)));
		addr = clean_phrase(a, (size_t)(e - a));
		/* drop comments inside the brackets and an obsolete route */
		{
			/* "c@(host comment)public.example" is
			   c@public.example: comments go, nested and escaped
			   parentheses included, quoted strings stay */
			char *cw = addr;
			int cdepth = 0;
			bool cquoted = false;

			for (char *r = addr; *r != '\0'; r++) {
				if (*r == '\\' && r[1] != '\0') {
					if (cdepth == 0) {
						*cw++ = r[0];
						*cw++ = r[1];
					}
					r++;
					continue;
				}
				if (cdepth == 0 && *r == '"')
					cquoted = !cquoted;
				if (!cquoted && *r == '(') {
					cdepth++;
					continue;
				}
				if (!cquoted && *r == ')' && cdepth > 0) {
					cdepth--;
					continue;
				}
				if (cdepth == 0)
					*cw++ = *r;
			}
			*cw = '\0';
			if (addr[0] == '@' && (colon = strchr(addr, ':')))
				memmove(addr, colon + 1, strlen(colon + 1) + 1);
			str_trim(addr);
			/* spaces inside an address are never meaningful */
			for (char *r = addr, *w = addr;; r++) {
				if (*r != ' ')
					*w++ = *r;
				if (*r == '\0')
					break;
			}
		}
		addr_push(list,
			  cname != NULL && *cname != '\0'
			      ? cname
			      : (comment.len > 0 ? str_c(&comment) : NULL),
			  addr);
		free(cname);
		free(addr);
	} else {
		char *addr = clean_phrase(str_c(&bare), bare.len);

		/* "user @ example.com" -> "user@example.com" */
		for (char *r = addr, *w = addr;; r++) {
			if (*r != ' ')
				*w++ = *r;
			if (*r == '\0')
				break;
		}
		if (*addr != '\0')
			addr_push(list,
				  comment.len > 0 ? str_c(&comment) : NULL,
				  addr);
		free(addr);
	}
	str_free(&bare);
	str_free(&comment);
}

int
msg_addr_parse(const char *s, struct msg_addrlist *list)
{
	size_t before = list->n, len = strlen(s), start = 0;
	int depth = 0;
	bool quoted = false, angle = false;

	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : ',';

		if (quoted) {
			if (c == '\\' && i + 1 < len)
				i++;
			else if (c == '"')
				quoted = false;
			continue;
		}
		if (depth > 0) {
			if (c == '\\' && i + 1 < len)
				i++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			continue;
		}
		switch (c) {
		case '"':
			quoted = true;
			break;
		case '(':
			depth = 1;
			break;
		case '<':
			angle = true;
			break;
		case '>':
			angle = false;
			break;
		case ':':
			/* a group's display name; but not inside <> (routes) */
			if (!angle)
				start = i + 1;
			break;
		case ';':
		case ',':
			if (angle && c == ',' && i < len)
				break; /* route list inside <> */
			if (i > start)
				parse_element(s + start, i - start, list);
			start = i + 1;
			angle = false;
			break;
		}
	}
	return (int)(list->n - before);
}

int
msg_addr_header(const struct msg *msg, const char *name,
		struct msg_addrlist *list)
{
	struct strlist values = {0};
	int n = 0;

	msg_header_get_all(msg, name, false, &values);
	for (size_t i = 0; i < values.n; i++)
		n += msg_addr_parse(values.v[i], list);
	strlist_free(&values);
	return n;
}

void
msg_addrlist_free(struct msg_addrlist *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].name);
		free(list->v[i].addr);
		free(list->v[i].local);
		free(list->v[i].domain);
	}
	free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}

char *
msg_addr_normalize(const char *addr)
{
	char *s;
	size_t n;

	while (*addr == ' ' || *addr == '<')
		addr++;
	s = xstrdup(addr);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '>' || s[n - 1] == ' '))
		s[--n] = '\0';
	return str_lower(s);
}

char *
msg_addr_domain(const char *addr)
{
	char *n = msg_addr_normalize(addr), *at = strrchr(n, '@'), *d;

	d = at == NULL || at[1] == '\0' ? NULL : xstrdup(at + 1);
	free(n);
	return d;
}
