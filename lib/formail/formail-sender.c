/*
 * formail-sender.c - whom formail takes a message to be from: the
 * address a reply goes to (-r) and the one a made-up From_ line names.
 * Every field that may name the sender is weighed (by which field it is
 * and what the reply asks for), less for an address without a domain,
 * a UUCP or bang path address, or a host without a dot; the heaviest
 * wins, the first of equals. An empty Return-Path (a bounce) wins over
 * all. The address is taken out of the value RFC 822-wise: the <...>
 * part if there is one, else the first word, comments and blanks
 * dropped.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "formail.h"

/* The fields, by weight: the index is the weight without a header reply
   (the envelope first), then the weights of a header reply (-t) and of
   one that prefers Resent- fields. */
static const struct sender_field {
	const char *name;
	int header, resent;
} sender_fields[] = {
    {"Reply-To", 8, 7},
    {"From", 7, 6},
    {"Sender", 6, 5},
    {"Resent-Reply-To", 0, 10},
    {"Resent-From", 0, 9},
    {"Resent-Sender", 0, 8},
    {"Path", 1, 0},
    {"Return-Receipt-To", 2, 1},
    {"Errors-To", 3, 2},
    {"Return-Path", 5, 4},
    {NULL /* the From_ line */, 4, 3},
};
#define FROM_LINE   (N_ELEMENTS(sender_fields) - 1)
#define RETURN_PATH 9
#define DEMOTE	    ((int)N_ELEMENTS(sender_fields) + 1)

/* Passes a comment at s ('(', nested ones too); returns its ')' or the
   character before the end. */
static char *
skip_comment(char *s)
{
	size_t depth = 1;

	for (;;) {
		s++;
		switch (*s) {
		case '\0':
			return s - 1;
		case ')':
			if (--depth == 0)
				return s;
			break;
		case '\\':
			if (s[1] != '\0')
				s++;
			break;
		case '(':
			depth++;
			break;
		}
	}
}

/* Takes the address at start out, in place: written at start without
   comments and blanks (a <...> without its brackets), NUL-terminated
   where it ends unless it ends at a '<'. Returns where reading stopped.
   The buffer needs two spare bytes (an address with , or ; inside <>
   gets its brackets back). */
static char *
skip_address(char *start)
{
	char *target = start, *oldstart = start;
	int hitspc = 0, machref = 0, group = 1;

	if (*start == '<') {
		start++;
		machref = 1;
	}
	for (;;) {
		char delim;

		switch (*start) {
		case '<':
			if (!machref)
				return start;
			target = oldstart; /* not nested: start over */
			hitspc = 0;
			start++;
			continue;
		case '(':
			start = skip_comment(start);
			/* fall through */
		case ' ':
		case '\t':
		case '\n':
			hitspc |= 1;
			start++;
			continue;
		case ';':
			if (group == 2)
				start[1] = '\0';
			/* fall through */
		case ',':
			if (group == 2)
				goto special;
			if (machref) {
				machref = 2;
				goto special;
			}
			*target = '\0';
			return start;
		case ':':
			if (group == 1)
				group = 2;
			/* fall through */
		case '@':
		case '.':
			if (group == 1)
				group = 0;
		special:
			hitspc = 0;
			*target++ = *start++;
			continue;
		case '[':
			delim = ']';
			break;
		case '"':
			*target++ = '"';
			start++;
			delim = '"';
			break;
		case '\0':
		case '>':
			goto end;
		default:
			if (!machref && hitspc == 3 && target > oldstart)
				goto end;
			if (*start == '\\' && start[1] != '\0')
				*target++ = *start++;
			hitspc = 2;
			*target++ = *start++;
			continue;
		}
		/* a quoted string or a domain literal, as it is */
		for (;;) {
			char c = *start;

			if (c == '\0')
				goto end; /* unterminated: the end */
			*target++ = c;
			start++;
			if (c == delim)
				break;
			if (c == '\\' && *start != '\0')
				*target++ = *start++;
		}
		hitspc = 2;
	}
end:
	if (machref == 2) { /* a , or ; inside: the brackets stay */
		size_t n = (size_t)(target - oldstart);

		memmove(oldstart + 1, oldstart, n);
		oldstart[0] = '<';
		oldstart[n + 1] = '>';
		target = oldstart + n + 2;
	}
	*target = '\0';
	return start;
}

/* The address of a From_ line's value v (after "From "), in a buffer
   with room: "<user@domain", or "<host!user" from its "remote from"
   part; NULL: take v as it is. Caller frees. */
static char *
from_line_address(const char *v)
{
	const char *sp = strchr(v, ' ');
	struct str a = STR_INIT;

	if (sp == NULL)
		return NULL;
	str_append(&a, "<");
	if (memchr(v, '@', (size_t)(sp - v)) == NULL) {
		/* a UUCP path: each "remote from" or "forwarded by" host,
		   then the user */
		static const char remf[] = " remote from ",
				  fwdb[] = " forwarded by ";
		const char *p = v;

		while (*p != '\0') {
			const char *p1 = strstr(p, remf), *p2 = strstr(p, fwdb);

			if (p1 == NULL && p2 == NULL)
				break;
			if (p1 == NULL || (p2 != NULL && p2 < p1))
				p1 = p2 + sizeof(fwdb) - 1;
			else
				p1 += sizeof(remf) - 1;
			while (*p1 != '\0' && *p1 != '\n')
				str_appendc(&a, *p1++);
			str_appendc(&a, '!');
			if (*p1 == '\0')
				break;
			p = p1 + 1;
		}
	}
	str_append_n(&a, v, (size_t)(sp - v));
	str_append(&a, "  "); /* the spare bytes skip_address may need */
	a.s[a.len - 2] = '\0';
	return str_steal(&a);
}

/* Weighs the value v of sender field k; takes its address into *best
   when it weighs more than *best_w (or is the first). */
static void
weigh(const char *v, size_t k, enum formail_sender_mode mode, char **best,
      int *best_w)
{
	int w = mode == FORMAIL_SENDER_ENVELOPE ? (int)k
		: mode == FORMAIL_SENDER_HEADER ? sender_fields[k].header
						: sender_fields[k].resent;
	size_t n = strlen(v);
	char *buf = xmalloc(n + 3), *p, *addr = NULL, *fl = NULL;

	memcpy(buf, v, n + 1);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	p = buf;
	if (k == FROM_LINE && (fl = from_line_address(buf)) != NULL)
		p = fl;
	for (;;) {
		p += strspn(p, " \t");
		if (*p != '\n')
			break;
		p++;
	}
	for (;;) {
		if (*p == '\0')
			break;
		if (*p == '<') {
			addr = p;
			(void)skip_address(p);
			break;
		}
		if (addr == NULL)
			addr = p;
		p = skip_address(p);
	}
	if (addr != NULL && *addr != '\0') {
		if (strpbrk(addr, "@!/") == NULL)
			w -= DEMOTE * 4; /* a user alone */
		else if (strstr(addr, ".UUCP") != NULL)
			w -= DEMOTE * 3;
		else if (strchr(addr, '@') != NULL && strchr(addr, '.') == NULL)
			w -= DEMOTE * 2; /* user@host */
		else if (strchr(addr, '!') != NULL)
			w -= DEMOTE * 1; /* a bang path */
		if (*best == NULL || w > *best_w) {
			free(*best);
			*best = xstrdup(addr);
			*best_w = w;
		}
	} else if (addr != NULL && k == RETURN_PATH) {
		/* an empty Return-Path: a bounce, never answered */
		free(*best);
		*best = xstrdup("<>");
		*best_w = DEMOTE;
	}
	free(fl);
	free(buf);
}

char *
formail_sender(const struct formail_msg *m, enum formail_sender_mode mode)
{
	char *best = NULL;
	int best_w = 0;

	if (m->from_line != NULL)
		weigh(m->from_line + 5, FROM_LINE, mode, &best, &best_w);
	for (size_t i = 0; i < m->n; i++) {
		const struct formail_field *f = &m->f[i];

		if (f->text[0] == '\0')
			continue;
		for (size_t k = 0; k < FROM_LINE; k++)
			if (formail_field_is(f, sender_fields[k].name,
					     strlen(sender_fields[k].name))) {
				weigh(f->text + f->name_len + 1, k, mode, &best,
				      &best_w);
				break;
			}
	}
	return best;
}
