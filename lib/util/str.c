/*
 * str.c - the growable string, string lists and small string helpers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

void
str_init(struct str *str)
{
	str->s = NULL;
	str->len = str->cap = 0;
}

void
str_free(struct str *str)
{
	free(str->s);
	str_init(str);
}

void
str_reserve(struct str *str, size_t more)
{
	size_t need, cap;

	if (more > SIZE_MAX - str->len - 1)
		fatalx("string too long");
	need = str->len + more + 1;
	if (need <= str->cap)
		return;
	cap = str->cap < 64 ? 64 : str->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	str->s = xreallocarray(str->s, cap, 1);
	str->cap = cap;
}

void
str_append_n(struct str *str, const void *p, size_t n)
{
	str_reserve(str, n);
	if (n > 0)
		memcpy(str->s + str->len, p, n);
	str->len += n;
	str->s[str->len] = '\0';
}

void
str_append(struct str *str, const char *s)
{
	str_append_n(str, s, strlen(s));
}

void
str_appendc(struct str *str, char c)
{
	str_append_n(str, &c, 1);
}

void
str_vprintf(struct str *str, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatalx("str_vprintf: bad format");
	str_reserve(str, (size_t)n);
	if (vsnprintf(str->s + str->len, (size_t)n + 1, fmt, ap) != n)
		fatalx("str_vprintf: truncated");
	str->len += (size_t)n;
}

void
str_append_utf8(struct str *str, unsigned long cp)
{
	if (cp < 0x80) {
		str_appendc(str, (char)cp);
	} else if (cp < 0x800) {
		str_appendc(str, (char)(0xc0 | (cp >> 6)));
		str_appendc(str, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		str_appendc(str, (char)(0xe0 | (cp >> 12)));
		str_appendc(str, (char)(0x80 | ((cp >> 6) & 0x3f)));
		str_appendc(str, (char)(0x80 | (cp & 0x3f)));
	} else {
		str_appendc(str, (char)(0xf0 | (cp >> 18)));
		str_appendc(str, (char)(0x80 | ((cp >> 12) & 0x3f)));
		str_appendc(str, (char)(0x80 | ((cp >> 6) & 0x3f)));
		str_appendc(str, (char)(0x80 | (cp & 0x3f)));
	}
}

void
str_printf(struct str *str, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	str_vprintf(str, fmt, ap);
	va_end(ap);
}

void
str_truncate(struct str *str, size_t len)
{
	if (len >= str->len)
		return;
	str->len = len;
	str->s[len] = '\0';
}

char *
str_steal(struct str *str)
{
	char *s;

	if (str->s == NULL)
		return xstrdup("");
	s = str->s;
	str_init(str);
	return s;
}

const char *
str_c(const struct str *str)
{
	return str->s == NULL ? "" : str->s;
}

void
str_append_json(struct str *str, const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		str_append(str, "null");
		return;
	}
	str_appendc(str, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			str_append(str, "\\\"");
			break;
		case '\\':
			str_append(str, "\\\\");
			break;
		case '\n':
			str_append(str, "\\n");
			break;
		case '\r':
			str_append(str, "\\r");
			break;
		case '\t':
			str_append(str, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				str_printf(str, "\\u%04x", *p);
			else
				str_appendc(str, (char)*p);
		}
	}
	str_appendc(str, '"');
}

void
str_append_json_member(struct str *str, const char *key, const char *value)
{
	str_appendc(str, ',');
	str_append_json(str, key);
	str_appendc(str, ':');
	str_append_json(str, value);
}

void
str_append_json_time(struct str *str, const char *key, time_t t)
{
	char buf[32];

	if (t == 0) {
		str_append_json_member(str, key, NULL);
		return;
	}
	clock_iso8601(t, buf, sizeof(buf));
	str_append_json_member(str, key, buf);
}

void
strlist_add_owned(struct strlist *l, char *s)
{
	if (l->n + 2 > l->cap) {
		l->cap = l->cap == 0 ? 8 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

void
strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

bool
strlist_contains_case(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return true;
	return false;
}

void
strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void
strlist_split(struct strlist *l, const char *s, const char *seps)
{
	while (*s != '\0') {
		size_t n;

		s += strspn(s, seps);
		n = strcspn(s, seps);
		if (n > 0)
			strlist_add_owned(l, xstrndup(s, n));
		s += n;
	}
}

bool
str_has_prefix_case(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_has_suffix_case(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

char *
str_lower(char *s)
{
	for (char *p = s; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

char *
str_trim(char *s)
{
	size_t n;
	char *p = s;

	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
			 p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

const char *
memcasemem(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (nlen == 0)
		return hay;
	for (size_t i = 0; i + nlen <= hlen; i++) {
		size_t j;

		for (j = 0; j < nlen; j++)
			if (tolower((unsigned char)hay[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		if (j == nlen)
			return hay + i;
	}
	return NULL;
}
