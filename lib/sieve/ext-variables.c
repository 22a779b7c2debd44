/*
 * ext-variables.c - the variables extension (RFC 5229): the set command
 * with its modifiers and the string test. Expansion of ${...} and the
 * match variables live in sieve-interp.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

enum {
	MOD_LOWER = 1,
	MOD_UPPER = 2,
	MOD_LOWERFIRST = 4,
	MOD_UPPERFIRST = 8,
	MOD_QUOTEWILDCARD = 16,
	MOD_LENGTH = 32,
	MOD_QUOTEREGEX = 64,
};

static const struct sieve_tag_def set_tag_table[] = {
    {"lower", NULL, SLOT_MODIFIER, 0, MOD_LOWER},
    {"upper", NULL, SLOT_MODIFIER, 0, MOD_UPPER},
    {"lowerfirst", NULL, SLOT_MODIFIER, 0, MOD_LOWERFIRST},
    {"upperfirst", NULL, SLOT_MODIFIER, 0, MOD_UPPERFIRST},
    {"quotewildcard", NULL, SLOT_MODIFIER, 0, MOD_QUOTEWILDCARD},
    {"length", NULL, SLOT_MODIFIER, 0, MOD_LENGTH},
    {"quoteregex", "regex", SLOT_MODIFIER, 0, MOD_QUOTEREGEX},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const set_tags[] = {set_tag_table, NULL};

static int
set_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *name = &n->cmd.pos[0]->strs[0];
	int mods = n->cmd.value[SLOT_MODIFIER];

	if (name->dynamic || !sieve_variable_name_valid(name->s, name->len) ||
	    (name->s[0] >= '0' && name->s[0] <= '9')) {
		sieve_error(v, n, "invalid variable name '%s'", name->s);
		return -1;
	}
	if (memchr(name->s, '.', name->len) != NULL &&
	    !(str_has_prefix_case(name->s, "global.") &&
	      sieve_requires(v->script, "include") &&
	      strchr(name->s + 7, '.') == NULL)) {
		sieve_error(v, n, "set: unknown variable namespace in '%s'",
			    name->s);
		return -1;
	}
	if (((mods & MOD_LOWER) && (mods & MOD_UPPER)) ||
	    ((mods & MOD_LOWERFIRST) && (mods & MOD_UPPERFIRST)) ||
	    ((mods & MOD_QUOTEWILDCARD) && (mods & MOD_QUOTEREGEX))) {
		sieve_error(v, n,
			    "two modifiers of the same precedence for the set "
			    "command");
		return -1;
	}
	return 0;
}

/* s with a backslash before each of the octets in specials, at most
   SIEVE_VAR_MAX_SIZE octets: as in Pigeonhole, the quoting stops before
   an escape or a character that no longer fits whole. */
static char *
quote_chars(const char *s, const char *specials)
{
	struct str out = STR_INIT;

	str_append(&out, "");
	while (*s != '\0') {
		unsigned char c = (unsigned char)*s;
		size_t n = c < 0xc0   ? 1
			   : c < 0xe0 ? 2
			   : c < 0xf0 ? 3
			   : c < 0xf8 ? 4
				      : 1;
		bool esc = n == 1 && strchr(specials, *s) != NULL;

		if (strnlen(s, n) < n)
			n = strnlen(s, n);
		if (out.len + n + (esc ? 1 : 0) > SIEVE_VAR_MAX_SIZE)
			break;
		if (esc)
			str_appendc(&out, '\\');
		str_append_n(&out, s, n);
		s += n;
	}
	return str_steal(&out);
}

/* Characters in s, counted as Pigeonhole counts them, which matters only
   for invalid UTF-8 (a "?" match value can hold part of a character): a
   leading octet stands for the sequence length it announces, a sequence
   cut off by the end of s is not counted, and an octet that cannot
   start a sequence is one character. */
static size_t
utf8_length(const char *s)
{
	size_t n = 0, len = strlen(s);

	for (size_t i = 0; i < len; n++) {
		unsigned char c = (unsigned char)s[i];

		i += c < 0xc2	? 1
		     : c < 0xe0 ? 2
		     : c < 0xf0 ? 3
		     : c < 0xf8 ? 4
		     : c < 0xfc ? 5
		     : c < 0xfe ? 6
				: 1;
		if (i > len)
			break;
	}
	return n;
}

static int
set_exec(struct sieve_run *run, struct sieve_node *n)
{
	char *val = sieve_expand(run, &n->cmd.pos[1]->strs[0]);
	int mods = n->cmd.value[SLOT_MODIFIER];

	/* the modifiers see the value as a variable would hold it
	   (Pigeonhole cuts it first: ":length" of a longer value is the
	   maximum size) */
	val[sieve_utf8_truncate(val, strlen(val), SIEVE_VAR_MAX_SIZE)] = '\0';

	if (mods & (MOD_LOWER | MOD_UPPER))
		for (char *p = val; *p != '\0'; p++)
			*p = (char)((mods & MOD_LOWER)
					? tolower((unsigned char)*p)
					: toupper((unsigned char)*p));
	if ((mods & MOD_LOWERFIRST) && *val != '\0')
		val[0] = (char)tolower((unsigned char)val[0]);
	if ((mods & MOD_UPPERFIRST) && *val != '\0')
		val[0] = (char)toupper((unsigned char)val[0]);
	if (mods & MOD_QUOTEWILDCARD) {
		char *q = quote_chars(val, "*?\\");

		free(val);
		val = q;
	}
	if (mods & MOD_QUOTEREGEX) {
		char *q = quote_chars(val, "\\^$.[]|()?*+{}");

		free(val);
		val = q;
	}
	if (mods & MOD_LENGTH) {
		char *q = xasprintf("%zu", utf8_length(val));

		free(val);
		val = q;
	}
	sieve_var_set(run, n->cmd.pos[0]->strs[0].s, val, strlen(val));
	free(val);
	return 0;
}

static const struct sieve_cmd_def set = {
    .name = "set",
    .kind = DEF_COMMAND,
    .pos = "SS",
    .tags = set_tags,
    .validate = set_validate,
    .exec = set_exec,
};

static const struct sieve_tag_def *const string_tags[] = {sieve_tags_match,
							  NULL};

static int
string_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return sieve_validate_match(v, n, 1);
}

static int
string_test(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist src = {0}, vals = {0};
	bool count =
	    n->cmd.has[SLOT_MATCH] && n->cmd.value[SLOT_MATCH] == MATCH_COUNT;
	int r;

	sieve_expand_list(run, n->cmd.pos[0], &src);
	for (size_t i = 0; i < src.n; i++)
		if (!count || *src.v[i] != '\0')
			strlist_add(&vals, src.v[i]);
	r = sieve_match_values(run, n, &vals, 1);
	strlist_free(&src);
	strlist_free(&vals);
	return r;
}

static const struct sieve_cmd_def string = {
    .name = "string",
    .kind = DEF_TEST,
    .octet_default = true,
    .pos = "LL",
    .tags = string_tags,
    .validate = string_validate,
    .test = string_test,
};

static const struct sieve_cmd_def *const defs[] = {&set, &string, NULL};

const struct sieve_extension sieve_ext_variables = {
    .name = "variables",
    .defs = defs,
};
