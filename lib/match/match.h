/*
 * match.h - match types, comparators and address parts, shared by the
 * rule languages (Sieve RFC 5228/5229/5231/4790, draft-ietf-sieve-regex).
 *
 * A comparator says how two strings compare; a match type says how a
 * value is tested against a key with a comparator. Match values
 * (${1}... of Sieve variables) come out of :matches and :regex in a
 * struct match_captures.
 *
 * Return convention: -1 error, 0 no, 1 yes.
 */
#ifndef ACKMAIL_MATCH_H
#define ACKMAIL_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* ---- comparators (match-comparator.c) ---- */

struct match_comparator {
	const char *name; /* "i;octet", "i;ascii-casemap", ... */
	/* Supports substring operations (:contains, :matches, :regex). */
	bool substring;
	/* Orders a against b: <0, 0, >0. */
	int (*compare)(const char *a, size_t alen, const char *b, size_t blen);
	/* Compares two characters for substring matching. */
	bool (*char_eq)(unsigned char a, unsigned char b);
};

extern const struct match_comparator match_comparator_octet;
extern const struct match_comparator match_comparator_casemap;
extern const struct match_comparator match_comparator_numeric;

/* Finds a comparator by name (case-insensitive), or NULL. */
const struct match_comparator *match_comparator_find(const char *name);

/* ---- relational operators (RFC 5231) ---- */

enum match_rel {
	MATCH_REL_GT,
	MATCH_REL_GE,
	MATCH_REL_LT,
	MATCH_REL_LE,
	MATCH_REL_EQ,
	MATCH_REL_NE,
};

/* Parses "gt", "ge", ... (case-insensitive). Returns 0/-1. */
int match_rel_parse(const char *s, enum match_rel *rel_r);
/* Applies rel to the result of a comparator's compare(). */
bool match_rel_holds(enum match_rel rel, int cmp);

/* ---- match types (match-type.c) ---- */

enum match_type {
	MATCH_IS,
	MATCH_CONTAINS,
	MATCH_MATCHES,
	MATCH_REGEX,
	MATCH_VALUE,
	MATCH_COUNT,
};

#define MATCH_MAX_CAPTURES 10

/* Match values ${0}..${9}; unset entries are NULL. */
struct match_captures {
	char *v[MATCH_MAX_CAPTURES];
	int n;
};

void match_captures_clear(struct match_captures *caps);
/* Moves src into dst (dst cleared first; src left empty). */
void match_captures_move(struct match_captures *dst,
			 struct match_captures *src);

/* :is - whole-value equality under the comparator. */
bool match_is(const struct match_comparator *cmp, const char *val, size_t vlen,
	      const char *key, size_t klen);
/* :contains - key is a substring of val. */
bool match_contains(const struct match_comparator *cmp, const char *val,
		    size_t vlen, const char *key, size_t klen);
/* :matches - glob with "*" and "?" and backslash escapes. When caps is
   not NULL, ${0} is the whole value and ${1}.. the wildcards, each
   matching as little as possible, left to right. */
bool match_glob(const struct match_comparator *cmp, const char *val,
		size_t vlen, const char *key, size_t klen,
		struct match_captures *caps);
/* Escapes "*", "?" and "\" (variables' :quotewildcard). Caller frees. */
char *match_glob_quote(const char *s);

/* ---- regex (match-regex.c; pcre2, compiled once) ---- */

struct match_regex;

/* Compiles pattern (POSIX extended syntax as PCRE). Returns 0, or -1
   with a reason (caller frees *error_r). */
int match_regex_compile(const char *pattern, bool caseless,
			struct match_regex **re_r, char **error_r);
/* Returns 1 match (captures filled when caps is not NULL), 0 no,
   -1 on a matching error (resource limits). */
int match_regex_exec(const struct match_regex *re, const char *val, size_t vlen,
		     struct match_captures *caps);
void match_regex_free(struct match_regex **re);

/* ---- address parts (match-address.c) ---- */

enum match_addrpart {
	MATCH_ADDR_ALL,
	MATCH_ADDR_LOCALPART,
	MATCH_ADDR_DOMAIN,
	MATCH_ADDR_USER,   /* subaddress */
	MATCH_ADDR_DETAIL, /* subaddress */
};

/* The part of addr ("local@domain" or a bare local part) selected by
   part. delimiters: subaddress separator characters ("+"). Returns a
   new string, or NULL when the part does not exist (":detail" of an
   address without a delimiter). */
char *match_address_part(const char *addr, enum match_addrpart part,
			 const char *delimiters);

#endif
