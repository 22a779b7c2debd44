/*
 * sieve-validate.c - checks a parsed script against the require
 * registry: known commands and tests, their tagged and positional
 * arguments, if/elsif/else order, and each definition's own checks.
 * Constant strings are prepared here (encoded-character decoding,
 * variable detection) and regular expressions compiled once.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

void
sieve_error_at(struct sieve_valid *v, int line, int col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(v->diag, DIAG_ERROR, v->script->path, line, col, "%s", msg);
	free(msg);
}

void
sieve_error(struct sieve_valid *v, const struct sieve_node *node,
	    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(v->diag, DIAG_ERROR, v->script->path, node->line, node->col,
		 "%s", msg);
	free(msg);
}

bool
sieve_requires(const struct sieve_script *script, const char *ext)
{
	for (size_t i = 0; i < script->required.n; i++)
		if (strcasecmp(script->required.v[i], ext) == 0)
			return true;
	return false;
}

bool
sieve_string_is_constant(const struct sieve_string *s)
{
	return !s->dynamic;
}

bool
sieve_variable_name_valid(const char *name, size_t len)
{
	size_t i = 0;

	if (len == 0)
		return false;
	if (name[0] >= '0' && name[0] <= '9') {
		for (; i < len; i++)
			if (name[i] < '0' || name[i] > '9')
				return false;
		return true;
	}
	for (; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || c == '.' || (i > 0 && c >= '0' && c <= '9')))
			return false;
		if (c == '.' && (i == 0 || i + 1 == len))
			return false;
	}
	return true;
}

/* Address syntax as redirect needs it: local@domain, no spaces. */
int
sieve_validate_address(const char *addr)
{
	const char *at = strrchr(addr, '@');
	const char *s = addr;

	if (*s == '<') {
		size_t n = strlen(s);

		if (n < 2 || s[n - 1] != '>')
			return -1;
	}
	if (at == NULL || at == addr || at[1] == '\0')
		return -1;
	for (; *s != '\0'; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == ',' ||
		    *s == ';')
			return -1;
	for (s = at + 1; *s != '\0' && *s != '>'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ||
		      *s == '[' || *s == ']' || *s == ':' || *s == '_'))
			return -1;
	if (at[1] == '.' || s[-1] == '.')
		return -1;
	return 0;
}

/* ---- encoded-character (RFC 5228 2.4.2.4) ---- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one "${hex:...}" / "${unicode:...}" body at s (after the
   colon) up to '}'; returns the length consumed including '}', or 0
   when it is not a valid encoding (left as written). */
static size_t
decode_encoded(const char *s, size_t len, bool unicode, struct str *out,
	       bool *bad_r)
{
	size_t i = 0;
	struct str tmp = STR_INIT;
	int n = 0;

	str_append(&tmp, "");
	for (;;) {
		unsigned long v = 0;
		int digits = 0;

		while (i < len && (s[i] == ' ' || s[i] == '\t' ||
				   s[i] == '\r' || s[i] == '\n'))
			i++;
		if (i < len && s[i] == '}')
			break;
		while (i < len && hexval((unsigned char)s[i]) >= 0) {
			if (digits < 9)
				v = v * 16 +
				    (unsigned long)hexval((unsigned char)s[i]);
			digits++;
			i++;
		}
		if (digits == 0 || (!unicode && digits > 2) ||
		    (unicode && digits > 8)) {
			str_free(&tmp);
			return 0;
		}
		if (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '}' &&
		    s[i] != '\r' && s[i] != '\n') {
			str_free(&tmp);
			return 0;
		}
		if (unicode) {
			if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff) {
				*bad_r = true;
				str_free(&tmp);
				return 0;
			}
			str_append_utf8(&tmp, v);
		} else {
			str_appendc(&tmp, (char)v);
		}
		n++;
	}
	if (i >= len) {
		str_free(&tmp);
		return 0;
	}
	str_append_n(out, tmp.s, tmp.len);
	str_free(&tmp);
	(void)n;
	return i + 1;
}

static int
prepare_string(struct sieve_valid *v, struct sieve_arg *a,
	       struct sieve_string *s)
{
	if (sieve_requires(v->script, "encoded-character") &&
	    memmem(s->s, s->len, "${", 2) != NULL) {
		struct str out = STR_INIT;
		bool bad = false;

		str_append(&out, "");
		for (size_t i = 0; i < s->len;) {
			size_t used = 0;

			if (s->s[i] == '$' && i + 1 < s->len &&
			    s->s[i + 1] == '{') {
				size_t j = i + 2;

				if (s->len - j >= 4 &&
				    strncasecmp(s->s + j, "hex:", 4) == 0)
					used = decode_encoded(
					    s->s + j + 4, s->len - j - 4, false,
					    &out, &bad);
				else if (s->len - j >= 8 &&
					 strncasecmp(s->s + j, "unicode:", 8) ==
					     0) {
					used = decode_encoded(s->s + j + 8,
							      s->len - j - 8,
							      true, &out, &bad);
					if (used > 0)
						used += 4;
				}
				if (used > 0) {
					i = j + 4 + used;
					continue;
				}
			}
			str_appendc(&out, s->s[i]);
			i++;
		}
		if (bad) {
			sieve_error_at(v, a->line, a->col,
				       "invalid unicode character in "
				       "encoded-character string");
			str_free(&out);
			return -1;
		}
		free(s->s);
		s->len = out.len;
		s->s = str_steal(&out);
	}
	if (v->script->variables && memmem(s->s, s->len, "${", 2) != NULL)
		s->dynamic = true;
	return 0;
}

static bool
arg_fits(const struct sieve_arg *a, char want)
{
	switch (want) {
	case 'S':
	case 's':
		return a->type == ARG_STRING;
	case 'L':
	case 'l':
		return a->type == ARG_STRING || a->type == ARG_STRLIST;
	case 'N':
	case 'n':
		return a->type == ARG_NUMBER;
	}
	return false;
}

static const char *
want_name(char want)
{
	switch (want) {
	case 'S':
	case 's':
		return "a string";
	case 'L':
	case 'l':
		return "a string list";
	case 'N':
	case 'n':
		return "a number";
	}
	return "nothing";
}

static const char *
def_kind(const struct sieve_node *n)
{
	return n->is_test ? "test" : "command";
}

static int validate_nodes(struct sieve_valid *v, struct sieve_node **nodes,
			  size_t n, bool top);

static int
validate_args(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_cmd_def *def = n->def;
	struct sieve_cmd *c = &n->cmd;
	size_t i = 0, npos_max = strlen(def->pos), npos_min = 0;
	int ret = 0;

	for (size_t k = 0; k < npos_max; k++)
		if (def->pos[k] >= 'A' && def->pos[k] <= 'Z')
			npos_min = k + 1;
	c->pos = xcalloc(n->nargs + 1, sizeof(*c->pos));
	for (; i < n->nargs; i++) {
		struct sieve_arg *a = &n->args[i];
		const struct sieve_tag_def *t;

		if (a->type != ARG_TAG) {
			if (c->npos >= npos_max) {
				sieve_error_at(v, a->line, a->col,
					       "too many arguments for the %s "
					       "%s",
					       n->name, def_kind(n));
				return -1;
			}
			if (!arg_fits(a, def->pos[c->npos])) {
				sieve_error_at(v, a->line, a->col,
					       "the %s %s expects %s as "
					       "argument %zu",
					       n->name, def_kind(n),
					       want_name(def->pos[c->npos]),
					       c->npos + 1);
				ret = -1;
			}
			c->pos[c->npos++] = a;
			continue;
		}
		if (c->npos > 0) {
			sieve_error_at(v, a->line, a->col,
				       "tagged argument ':%s' of the %s %s "
				       "comes after a positional argument",
				       a->tag, n->name, def_kind(n));
			return -1;
		}
		t = sieve_tag_find(def, a->tag, NULL);
		if (t == NULL ||
		    (t->ext != NULL && !sieve_requires(v->script, t->ext))) {
			sieve_error_at(
			    v, a->line, a->col,
			    "unknown tagged argument ':%s' for the "
			    "%s %s%s%s%s",
			    a->tag, n->name, def_kind(n),
			    t != NULL ? " (requires the extension '" : "",
			    t != NULL ? t->ext : "", t != NULL ? "')" : "");
			ret = -1;
			if (t == NULL)
				continue;
		}
		if (c->has[t->slot] && (t->slot != SLOT_MODIFIER ||
					(c->value[t->slot] & t->value) != 0)) {
			sieve_error_at(v, a->line, a->col,
				       "the %s %s has more than one %s",
				       n->name, def_kind(n),
				       t->slot == SLOT_MATCH ? "match type"
				       : t->slot == SLOT_ADDRPART
					   ? "address part"
				       : t->slot == SLOT_COMPARATOR
					   ? ":comparator"
					   : "such tagged argument");
			ret = -1;
		}
		c->has[t->slot] = true;
		if (t->slot == SLOT_MODIFIER)
			c->value[t->slot] |= t->value;
		else
			c->value[t->slot] = t->value;
		if (t->arg != 0) {
			if (i + 1 >= n->nargs ||
			    !arg_fits(&n->args[i + 1], t->arg)) {
				sieve_error_at(v, a->line, a->col,
					       "the :%s tag of the %s %s "
					       "expects %s",
					       a->tag, n->name, def_kind(n),
					       want_name(t->arg));
				return -1;
			}
			c->tag[t->slot] = &n->args[++i];
		}
	}
	if (c->npos < npos_min) {
		sieve_error(v, n,
			    "the %s %s expects %s as argument %zu, but it is "
			    "missing",
			    n->name, def_kind(n), want_name(def->pos[c->npos]),
			    c->npos + 1);
		ret = -1;
	}
	return ret;
}

/* For if/elsif whose test is ihave (with the ihave extension): returns
   0 when a capability is unknown (skip the block), 1 when there is no
   such guard, or 2 + the previous number of required extensions after
   requiring the known ones for the block. */
static int
ihave_guard(struct sieve_valid *v, const struct sieve_node *n)
{
	const struct sieve_node *t;
	size_t before = v->script->required.n;

	if (n->ntests != 1 || !sieve_requires(v->script, "ihave"))
		return 1;
	t = n->tests[0];
	if (strcasecmp(t->name, "ihave") != 0 || t->nargs != 1)
		return 1;
	for (size_t i = 0; i < t->args[0].nstrs; i++) {
		const struct sieve_extension *e =
		    sieve_ext_find(t->args[0].strs[i].s);

		if (e == NULL || e->testsuite_only)
			return 0;
	}
	for (size_t i = 0; i < t->args[0].nstrs; i++) {
		const struct sieve_extension *e =
		    sieve_ext_find(t->args[0].strs[i].s);

		if (!sieve_requires(v->script, e->name))
			strlist_add(&v->script->required, e->name);
		if (e->implies != NULL &&
		    !sieve_requires(v->script, e->implies))
			strlist_add(&v->script->required, e->implies);
	}
	v->script->variables = sieve_requires(v->script, "variables");
	return 2 + (int)before;
}

static int
validate_node(struct sieve_valid *v, struct sieve_node *n)
{
	const char *ext = NULL;
	const struct sieve_cmd_def *def;
	int ret = 0;

	def =
	    sieve_def_find(n->name, n->is_test ? DEF_TEST : DEF_COMMAND, &ext);
	if (def != NULL && ext != NULL && !sieve_requires(v->script, ext)) {
		const struct sieve_extension *e = sieve_ext_find(ext);

		if (e == NULL || !e->testsuite_only || !v->testsuite) {
			sieve_error(v, n,
				    "unknown %s '%s' (the extension '%s' is "
				    "not required)",
				    def_kind(n), n->name, ext);
			return -1;
		}
	}
	if (def == NULL) {
		const struct sieve_cmd_def *other = sieve_def_find(
		    n->name, n->is_test ? DEF_COMMAND : DEF_TEST, NULL);

		if (other != NULL)
			sieve_error(v, n, "'%s' is a %s, not a %s", n->name,
				    n->is_test ? "command" : "test",
				    def_kind(n));
		else
			sieve_error(v, n, "unknown %s '%s'", def_kind(n),
				    n->name);
		return -1;
	}
	n->def = def;
	for (size_t i = 0; i < n->nargs; i++)
		for (size_t j = 0; j < n->args[i].nstrs; j++)
			if (prepare_string(v, &n->args[i],
					   &n->args[i].strs[j]) < 0)
				ret = -1;
	if (validate_args(v, n) < 0)
		return -1;
	if (def->tests == 0 && n->ntests > 0) {
		sieve_error(v, n, "the %s %s takes no tests", n->name,
			    def_kind(n));
		ret = -1;
	} else if (def->tests == 1 && (n->ntests != 1 || n->test_list)) {
		sieve_error(v, n, "the %s %s expects one test", n->name,
			    def_kind(n));
		ret = -1;
	} else if (def->tests == 2 && !n->test_list) {
		sieve_error(v, n, "the %s %s expects a test list", n->name,
			    def_kind(n));
		ret = -1;
	}
	if (def->block == 1 && !n->has_block) {
		sieve_error(v, n, "the %s command expects a block", n->name);
		ret = -1;
	} else if (def->block == 0 && n->has_block) {
		sieve_error(v, n, "the %s command takes no block", n->name);
		ret = -1;
	}
	if (ret == 0 && def->validate != NULL && def->validate(v, n) < 0)
		ret = -1;
	for (size_t i = 0; i < n->ntests; i++)
		if (validate_node(v, n->tests[i]) < 0)
			ret = -1;
	if (n->has_block) {
		int ih = ihave_guard(v, n);

		if (ih == 0) {
			/* RFC 5463: a block guarded by ihave of an unknown
			   capability is never run and not checked */
			return ret;
		}
		if (validate_nodes(v, n->block, n->nblock, false) < 0)
			ret = -1;
		if (ih > 1) {
			/* drop what ihave required for the block only */
			while (v->script->required.n > (size_t)(ih - 2)) {
				/* xfree() evaluates its argument twice */
				size_t last = --v->script->required.n;

				xfree(v->script->required.v[last]);
			}
			v->script->variables =
			    sieve_requires(v->script, "variables");
		}
	}
	return ret;
}

static int
validate_nodes(struct sieve_valid *v, struct sieve_node **nodes, size_t n,
	       bool top)
{
	bool requires_allowed = top;
	const char *prev = NULL;
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		struct sieve_node *node = nodes[i];

		if (strcasecmp(node->name, "require") == 0) {
			if (!requires_allowed) {
				sieve_error(v, node,
					    "require commands can only be "
					    "placed at top level at the "
					    "beginning of the file");
				ret = -1;
				continue;
			}
		} else {
			requires_allowed = false;
		}
		if ((strcasecmp(node->name, "elsif") == 0 ||
		     strcasecmp(node->name, "else") == 0) &&
		    (prev == NULL || (strcasecmp(prev, "if") != 0 &&
				      strcasecmp(prev, "elsif") != 0))) {
			sieve_error(v, node,
				    "the %s command must follow an if or "
				    "elsif command",
				    node->name);
			ret = -1;
		}
		prev = node->name;
		if (validate_node(v, node) < 0)
			ret = -1;
	}
	return ret;
}

/* The require commands first: they decide what the rest may use. */
static int
collect_requires(struct sieve_valid *v)
{
	int ret = 0;

	for (size_t i = 0; i < v->script->ncmds; i++) {
		struct sieve_node *n = v->script->cmds[i];

		if (strcasecmp(n->name, "require") != 0)
			break;
		for (size_t a = 0; a < n->nargs; a++)
			for (size_t s = 0; s < n->args[a].nstrs; s++) {
				const char *name = n->args[a].strs[s].s;
				const struct sieve_extension *e =
				    sieve_ext_find(name);

				if (e == NULL ||
				    (e->testsuite_only && !v->testsuite)) {
					sieve_error_at(v, n->args[a].line,
						       n->args[a].col,
						       "require: unknown Sieve "
						       "capability '%s'",
						       name);
					ret = -1;
					continue;
				}
				if (!sieve_requires(v->script, e->name))
					strlist_add(&v->script->required,
						    e->name);
				if (e->implies != NULL &&
				    !sieve_requires(v->script, e->implies))
					strlist_add(&v->script->required,
						    e->implies);
			}
	}
	v->script->variables = sieve_requires(v->script, "variables");
	return ret;
}

int
sieve_validate(struct sieve_valid *v)
{
	int ret = collect_requires(v);

	if (validate_nodes(v, v->script->cmds, v->script->ncmds, true) < 0)
		ret = -1;
	return ret;
}

/* ---- matching arguments ---- */

int
sieve_validate_match(struct sieve_valid *v, struct sieve_node *n,
		     size_t key_pos)
{
	struct sieve_cmd *c = &n->cmd;
	int mtype = c->has[SLOT_MATCH] ? c->value[SLOT_MATCH] : MATCH_IS;

	c->comparator = n->def->octet_default ? &match_comparator_octet
					      : &match_comparator_casemap;
	if (c->has[SLOT_COMPARATOR]) {
		const char *name = c->tag[SLOT_COMPARATOR]->strs[0].s;

		c->comparator = match_comparator_find(name);
		if (c->comparator == NULL ||
		    (c->comparator == &match_comparator_numeric &&
		     !sieve_requires(v->script,
				     "comparator-i;ascii-numeric"))) {
			sieve_error_at(v, c->tag[SLOT_COMPARATOR]->line,
				       c->tag[SLOT_COMPARATOR]->col,
				       "unknown comparator '%s'", name);
			return -1;
		}
	}
	if (mtype == MATCH_VALUE || mtype == MATCH_COUNT) {
		const struct sieve_arg *op = c->tag[SLOT_MATCH];

		if (match_rel_parse(op->strs[0].s, &c->rel) < 0) {
			sieve_error_at(v, op->line, op->col,
				       "invalid relational match operator "
				       "'%s'",
				       op->strs[0].s);
			return -1;
		}
	}
	if (!c->comparator->substring &&
	    (mtype == MATCH_CONTAINS || mtype == MATCH_MATCHES ||
	     mtype == MATCH_REGEX)) {
		sieve_error(v, n,
			    "the comparator '%s' does not support the chosen "
			    "match type",
			    c->comparator->name);
		return -1;
	}
	if (mtype == MATCH_REGEX && key_pos < c->npos) {
		struct sieve_arg *keys = c->pos[key_pos];

		c->regex = xcalloc(keys->nstrs, sizeof(*c->regex));
		c->nregex = keys->nstrs;
		for (size_t i = 0; i < keys->nstrs; i++) {
			char *err = NULL;

			if (keys->strs[i].dynamic)
				continue;
			if (match_regex_compile(keys->strs[i].s,
						c->comparator ==
						    &match_comparator_casemap,
						&c->regex[i], &err) < 0) {
				sieve_error_at(v, keys->line, keys->col, "%s",
					       err);
				free(err);
				return -1;
			}
		}
	}
	return 0;
}
