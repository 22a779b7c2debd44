/*
 * match-comparator.c - the comparators of RFC 4790 that Sieve uses:
 * i;octet, i;ascii-casemap and i;ascii-numeric, and the relational
 * operators of RFC 5231.
 */
#include <string.h>
#include <strings.h>

#include "match.h"

static int
octet_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int r = memcmp(a, b, n);

	if (r != 0)
		return r < 0 ? -1 : 1;
	return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

static bool
octet_char_eq(unsigned char a, unsigned char b)
{
	return a == b;
}

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int
casemap_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++) {
		unsigned char ca = ascii_lower((unsigned char)a[i]);
		unsigned char cb = ascii_lower((unsigned char)b[i]);

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

static bool
casemap_char_eq(unsigned char a, unsigned char b)
{
	return ascii_lower(a) == ascii_lower(b);
}

/* RFC 4790 9.1: the value of the leading digits; a string that does not
   start with a digit is positive infinity. Leading zeros are ignored by
   comparing digit strings without them. */
static int
numeric_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t ai = 0, bi = 0, ae, be;
	bool ainf = alen == 0 || a[0] < '0' || a[0] > '9';
	bool binf = blen == 0 || b[0] < '0' || b[0] > '9';

	if (ainf || binf)
		return ainf == binf ? 0 : (ainf ? 1 : -1);
	while (ai < alen && a[ai] == '0')
		ai++;
	while (bi < blen && b[bi] == '0')
		bi++;
	for (ae = ai; ae < alen && a[ae] >= '0' && a[ae] <= '9'; ae++)
		;
	for (be = bi; be < blen && b[be] >= '0' && b[be] <= '9'; be++)
		;
	if (ae - ai != be - bi)
		return ae - ai < be - bi ? -1 : 1;
	for (; ai < ae; ai++, bi++)
		if (a[ai] != b[bi])
			return a[ai] < b[bi] ? -1 : 1;
	return 0;
}

const struct match_comparator match_comparator_octet = {
    .name = "i;octet",
    .substring = true,
    .compare = octet_compare,
    .char_eq = octet_char_eq,
};

const struct match_comparator match_comparator_casemap = {
    .name = "i;ascii-casemap",
    .substring = true,
    .compare = casemap_compare,
    .char_eq = casemap_char_eq,
};

const struct match_comparator match_comparator_numeric = {
    .name = "i;ascii-numeric",
    .substring = false,
    .compare = numeric_compare,
    .char_eq = octet_char_eq,
};

static const struct match_comparator *const comparators[] = {
    &match_comparator_octet,
    &match_comparator_casemap,
    &match_comparator_numeric,
};

const struct match_comparator *
match_comparator_find(const char *name)
{
	for (size_t i = 0; i < N_ELEMENTS(comparators); i++)
		if (strcasecmp(comparators[i]->name, name) == 0)
			return comparators[i];
	return NULL;
}

static const char *const rel_names[] = {
    [MATCH_REL_GT] = "gt", [MATCH_REL_GE] = "ge", [MATCH_REL_LT] = "lt",
    [MATCH_REL_LE] = "le", [MATCH_REL_EQ] = "eq", [MATCH_REL_NE] = "ne",
};

int
match_rel_parse(const char *s, enum match_rel *rel_r)
{
	for (size_t i = 0; i < N_ELEMENTS(rel_names); i++)
		if (strcasecmp(rel_names[i], s) == 0) {
			*rel_r = (enum match_rel)i;
			return 0;
		}
	return -1;
}

bool
match_rel_holds(enum match_rel rel, int cmp)
{
	switch (rel) {
	case MATCH_REL_GT:
		return cmp > 0;
	case MATCH_REL_GE:
		return cmp >= 0;
	case MATCH_REL_LT:
		return cmp < 0;
	case MATCH_REL_LE:
		return cmp <= 0;
	case MATCH_REL_EQ:
		return cmp == 0;
	case MATCH_REL_NE:
		return cmp != 0;
	}
	return false;
}
