/*
 * match-type.c - the :is, :contains and :matches match types of
 * RFC 5228 section 2.7.1, with match values for RFC 5229 variables.
 */
#include <stdlib.h>
#include <string.h>

#include "match.h"

void
match_captures_clear(struct match_captures *caps)
{
	for (int i = 0; i < MATCH_MAX_CAPTURES; i++)
		xfree(caps->v[i]);
	caps->n = 0;
}

void
match_captures_move(struct match_captures *dst, struct match_captures *src)
{
	match_captures_clear(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

bool
match_is(const struct match_comparator *cmp, const char *val, size_t vlen,
	 const char *key, size_t klen)
{
	return cmp->compare(val, vlen, key, klen) == 0;
}

bool
match_contains(const struct match_comparator *cmp, const char *val, size_t vlen,
	       const char *key, size_t klen)
{
	if (klen == 0)
		return true;
	for (size_t i = 0; i + klen <= vlen; i++) {
		size_t j = 0;

		while (j < klen && cmp->char_eq((unsigned char)val[i + j],
						(unsigned char)key[j]))
			j++;
		if (j == klen)
			return true;
	}
	return false;
}

enum glob_tok { GLOB_CHAR, GLOB_ANY, GLOB_STAR };

struct glob_item {
	enum glob_tok tok;
	unsigned char c;
};

bool
match_glob(const struct match_comparator *cmp, const char *val, size_t vlen,
	   const char *key, size_t klen, struct match_captures *caps)
{
	struct glob_item *t = xcalloc(klen + 1, sizeof(*t));
	size_t *pos = xcalloc(klen + 2, sizeof(*pos));
	size_t nt = 0, pi = 0, vi = 0, star_v = 0;
	long star_t = -1;
	bool ok;

	for (size_t i = 0; i < klen; i++) {
		if (key[i] == '\\' && i + 1 < klen) {
			t[nt].tok = GLOB_CHAR;
			t[nt++].c = (unsigned char)key[++i];
		} else if (key[i] == '*') {
			/* "**" is one star for matching, but each still
			   yields a (possibly empty) match value */
			t[nt++].tok = GLOB_STAR;
		} else if (key[i] == '?') {
			t[nt++].tok = GLOB_ANY;
		} else {
			t[nt].tok = GLOB_CHAR;
			t[nt++].c = (unsigned char)key[i];
		}
	}
	while (vi < vlen) {
		if (pi < nt && t[pi].tok == GLOB_STAR) {
			star_t = (long)pi;
			star_v = vi;
			pos[pi++] = vi;
			continue;
		}
		if (pi < nt && t[pi].tok == GLOB_ANY) {
			/* "?" is one character, and i;octet and
			   i;ascii-casemap (RFC 5228 2.7.1, RFC 4790) define
			   a character as one octet: one octet of a UTF-8
			   sequence, as Pigeonhole takes it */
			pos[pi++] = vi++;
			continue;
		}
		if (pi < nt && t[pi].tok == GLOB_CHAR &&
		    cmp->char_eq((unsigned char)val[vi], t[pi].c)) {
			pos[pi++] = vi++;
			continue;
		}
		if (star_t >= 0) {
			vi = ++star_v;
			pi = (size_t)star_t + 1;
			continue;
		}
		break;
	}
	while (pi < nt && t[pi].tok == GLOB_STAR)
		pos[pi++] = vi;
	ok = vi == vlen && pi == nt;
	if (ok && caps != NULL) {
		int n = 1;

		match_captures_clear(caps);
		caps->v[0] = xstrndup(val, vlen);
		for (size_t i = 0; i < nt; i++) {
			size_t end;

			if (t[i].tok == GLOB_CHAR)
				continue;
			end = t[i].tok == GLOB_ANY ? pos[i] + 1
			      : i + 1 < nt	   ? pos[i + 1]
						   : vlen;
			if (n < MATCH_MAX_CAPTURES)
				caps->v[n] =
				    xstrndup(val + pos[i], end - pos[i]);
			n++;
		}
		caps->n = n < MATCH_MAX_CAPTURES ? n : MATCH_MAX_CAPTURES;
	}
	free(t);
	free(pos);
	return ok;
}

char *
match_glob_quote(const char *s)
{
	struct str out = STR_INIT;

	str_append(&out, "");
	for (; *s != '\0'; s++) {
		if (*s == '*' || *s == '?' || *s == '\\')
			str_appendc(&out, '\\');
		str_appendc(&out, *s);
	}
	return str_steal(&out);
}
