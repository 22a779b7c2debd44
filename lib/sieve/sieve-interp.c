/*
 * sieve-interp.c - runs a lowered script (sieve-lower.c) on the
 * engine's IR evaluator, and what its handlers share: variables
 * expansion, match-type evaluation, header access (with editheader's
 * edits) and the hand-off of actions to the engine's result with the
 * duplicate and conflict rules Pigeonhole applies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

int
sieve_runtime_error(struct sieve_run *run, const struct sieve_node *node,
		    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (run->diag != NULL)
		diag_add(run->diag, DIAG_ERROR, run->script->path,
			 node != NULL ? node->line : 0,
			 node != NULL ? node->col : 0, "%s", msg);
	free(msg);
	return -1;
}

/* ---- variables ---- */

static struct sieve_var *
var_find(struct sieve_vars *vars, const char *name, size_t len)
{
	for (size_t i = 0; vars != NULL && i < vars->n; i++)
		if (strlen(vars->v[i].name) == len &&
		    strncasecmp(vars->v[i].name, name, len) == 0)
			return &vars->v[i];
	return NULL;
}

static bool
is_global_name(const struct sieve_run *run, const char *name, size_t len,
	       size_t *skip_r)
{
	*skip_r = 0;
	if (len > 7 && strncasecmp(name, "global.", 7) == 0) {
		*skip_r = 7;
		return true;
	}
	for (size_t i = 0; i < run->script->global_vars.n; i++)
		if (strlen(run->script->global_vars.v[i]) == len &&
		    strncasecmp(run->script->global_vars.v[i], name, len) == 0)
			return true;
	return false;
}

static const char *
var_lookup(struct sieve_run *run, const char *name, size_t len)
{
	struct sieve_var *v;
	size_t skip;

	if (name[0] >= '0' && name[0] <= '9') {
		int idx = 0;

		for (size_t i = 0; i < len && idx < 100; i++)
			idx = idx * 10 + (name[i] - '0');
		if (idx < MATCH_MAX_CAPTURES && run->caps.v[idx] != NULL)
			return run->caps.v[idx];
		return "";
	}
	if (len > 8 && strncasecmp(name, "ackmail.", 8) == 0 &&
	    sieve_requires(run->script, "vnd.ackmail"))
		return sieve_ackmail_var(run, name + 8, len - 8);
	if (is_global_name(run, name, len, &skip))
		v = var_find(run->globals, name + skip, len - skip);
	else
		v = var_find(run->vars, name, len);
	return v != NULL ? str_c(&v->value) : "";
}

const char *
sieve_var_get(struct sieve_run *run, const char *name)
{
	return var_lookup(run, name, strlen(name));
}

size_t
sieve_utf8_truncate(const char *s, size_t len, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;

	if (len <= max)
		return len;
	if (max == 0 || (p[max] & 0x80) == 0)
		return max;
	while (max > 0 && (p[max - 1] & 0xc0) == 0x80)
		max--;
	if (max > 0 && (p[max - 1] & 0xc0) == 0xc0)
		max--;
	return max;
}

void
sieve_var_set(struct sieve_run *run, const char *name, const char *value,
	      size_t len)
{
	struct sieve_vars *vars = run->vars;
	struct sieve_var *v;
	size_t skip;

	if (is_global_name(run, name, strlen(name), &skip)) {
		vars = run->globals;
		name += skip;
	}
	v = var_find(vars, name, strlen(name));
	if (v == NULL) {
		if (vars->n == vars->cap) {
			vars->cap = vars->cap == 0 ? 16 : vars->cap * 2;
			vars->v =
			    xreallocarray(vars->v, vars->cap, sizeof(*vars->v));
		}
		v = &vars->v[vars->n++];
		v->name = xstrdup(name);
		str_init(&v->value);
	}
	len = sieve_utf8_truncate(value, len, SIEVE_VAR_MAX_SIZE);
	str_truncate(&v->value, 0);
	str_append_n(&v->value, value, len);
}

void
sieve_vars_free(struct sieve_vars *vars)
{
	for (size_t i = 0; i < vars->n; i++) {
		free(vars->v[i].name);
		str_free(&vars->v[i].value);
	}
	free(vars->v);
	memset(vars, 0, sizeof(*vars));
}

char *
sieve_expand(struct sieve_run *run, const struct sieve_string *s)
{
	struct str out = STR_INIT;

	if (!s->dynamic)
		return xmemdup(s->s, s->len + 1);
	str_append(&out, "");
	for (size_t i = 0; i < s->len;) {
		if (s->s[i] == '$' && i + 1 < s->len && s->s[i + 1] == '{') {
			const char *name = s->s + i + 2;
			const char *end = memchr(name, '}', s->len - (i + 2));

			if (end != NULL && sieve_variable_name_valid(
					       name, (size_t)(end - name))) {
				str_append(&out,
					   var_lookup(run, name,
						      (size_t)(end - name)));
				i = (size_t)(end - s->s) + 1;
				continue;
			}
		}
		str_appendc(&out, s->s[i]);
		i++;
	}
	return str_steal(&out);
}

void
sieve_expand_list(struct sieve_run *run, const struct sieve_arg *arg,
		  struct strlist *out)
{
	for (size_t i = 0; arg != NULL && i < arg->nstrs; i++)
		strlist_add_owned(out, sieve_expand(run, &arg->strs[i]));
}

/* ---- headers ---- */

/* editheader keeps its own copy of the header once it changes it. */
struct sieve_hdrs {
	struct strlist names, values; /* values raw (unfolded) */
};

static char *
unfold(const char *s, size_t len)
{
	struct str out = STR_INIT;

	str_append(&out, "");
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r' || s[i] == '\n') {
			/* a fold's first blank reads as a space, as in
			   Pigeonhole ("a\n\t\tb" is "a \tb") */
			if (s[i] == '\n' && i + 1 < len && s[i + 1] == '\t') {
				str_appendc(&out, ' ');
				i++;
			}
			continue;
		}
		str_appendc(&out, s[i]);
	}
	str_trim(out.s);
	return str_steal(&out);
}

/* Octets of the valid UTF-8 character at p (left octets), 0 if none. */
static size_t
utf8_char_len(const unsigned char *p, size_t left)
{
	size_t n = p[0] < 0x80			  ? 1
		   : p[0] >= 0xc2 && p[0] <= 0xdf ? 2
		   : p[0] >= 0xe0 && p[0] <= 0xef ? 3
		   : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4
						  : 0;

	if (n == 0 || n > left)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/* A header value as the Sieve tests see it decoded. Raw 8-bit text
   (no encoded word) is read as UTF-8, as Pigeonhole reads it: each run
   of octets that are not UTF-8 becomes one U+FFFD (the rest of lib/msg
   reads such text as Windows-1252). */
static char *
header_decode(const char *raw)
{
	struct str out = STR_INIT;
	const unsigned char *p = (const unsigned char *)raw;
	size_t left = strlen(raw);

	if (strstr(raw, "=?") != NULL)
		return msg_header_decode(raw);
	str_append(&out, "");
	while (left > 0) {
		size_t n = utf8_char_len(p, left);

		if (n == 0) {
			if (out.len < 3 ||
			    memcmp(out.s + out.len - 3, "\xef\xbf\xbd", 3) != 0)
				str_append(&out, "\xef\xbf\xbd");
			n = 1;
		} else
			str_append_n(&out, p, n);
		p += n;
		left -= n;
	}
	return str_steal(&out);
}

void
sieve_header_values(struct sieve_run *run, const char *name, bool decoded,
		    struct strlist *out)
{
	struct sieve_hdrs *h = (struct sieve_hdrs *)run->edits;

	if (h == NULL) {
		struct strlist raw = {0};

		if (!decoded) {
			msg_header_get_all(run->msg, name, false, out);
			return;
		}
		msg_header_get_all(run->msg, name, false, &raw);
		for (size_t i = 0; i < raw.n; i++)
			strlist_add_owned(out, header_decode(raw.v[i]));
		strlist_free(&raw);
		return;
	}
	for (size_t i = 0; i < h->names.n; i++) {
		if (strcasecmp(h->names.v[i], name) != 0)
			continue;
		if (decoded)
			strlist_add_owned(out, header_decode(h->values.v[i]));
		else
			strlist_add(out, h->values.v[i]);
	}
}

/* The editable header copy (editheader), created on first use. */
struct strlist *sieve_hdrs_names(struct sieve_run *run);
struct strlist *sieve_hdrs_values(struct sieve_run *run);

static struct sieve_hdrs *
hdrs_get(struct sieve_run *run)
{
	struct sieve_hdrs *h = (struct sieve_hdrs *)run->edits;

	if (h == NULL) {
		size_t n = msg_header_count(run->msg);

		h = xcalloc(1, sizeof(*h));
		for (size_t i = 0; i < n; i++) {
			const struct msg_header *mh =
			    msg_header_at(run->msg, i);
			char *nm = xstrndup(mh->name, mh->name_len);
			char *v = unfold(mh->value, mh->value_len);

			strlist_add_owned(&h->names, nm);
			strlist_add_owned(&h->values, v);
		}
		run->edits = (struct sieve_hdr_edit *)h;
	}
	return h;
}

struct strlist *
sieve_hdrs_names(struct sieve_run *run)
{
	return &hdrs_get(run)->names;
}

struct strlist *
sieve_hdrs_values(struct sieve_run *run)
{
	return &hdrs_get(run)->values;
}

static void
hdrs_free(struct sieve_run *run)
{
	struct sieve_hdrs *h = (struct sieve_hdrs *)run->edits;

	if (h == NULL)
		return;
	strlist_free(&h->names);
	strlist_free(&h->values);
	free(h);
	run->edits = NULL;
}

void sieve_hdrs_reset(struct sieve_run *run);

/* Drops editheader's copy (a new message is under test). */
void
sieve_hdrs_reset(struct sieve_run *run)
{
	hdrs_free(run);
}

/* ---- matching ---- */

int
sieve_match_values(struct sieve_run *run, struct sieve_node *node,
		   const struct strlist *values, size_t key_pos)
{
	struct sieve_cmd *c = &node->cmd;
	int mtype = c->has[SLOT_MATCH] ? c->value[SLOT_MATCH] : MATCH_IS;
	const struct match_comparator *cmp = c->comparator;
	struct strlist keys = {0};
	struct match_captures caps = {0};
	bool want_caps = run->script->variables &&
			 (mtype == MATCH_MATCHES || mtype == MATCH_REGEX);
	int result = 0;

	if (cmp == NULL)
		cmp = &match_comparator_casemap;
	sieve_expand_list(run, c->pos[key_pos], &keys);
	if (mtype == MATCH_COUNT) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%zu", values->n);
		for (size_t k = 0; k < keys.n && result == 0; k++)
			if (match_rel_holds(c->rel,
					    cmp->compare(buf, strlen(buf),
							 keys.v[k],
							 strlen(keys.v[k]))))
				result = 1;
		strlist_free(&keys);
		return result;
	}
	for (size_t i = 0; i < values->n && result == 0; i++) {
		const char *val = values->v[i];
		size_t vlen = strlen(val);

		for (size_t k = 0; k < keys.n && result == 0; k++) {
			const char *key = keys.v[k];
			size_t klen = strlen(key);

			switch (mtype) {
			case MATCH_IS:
				result = match_is(cmp, val, vlen, key, klen);
				break;
			case MATCH_CONTAINS:
				result =
				    match_contains(cmp, val, vlen, key, klen);
				break;
			case MATCH_MATCHES:
				result = match_glob(cmp, val, vlen, key, klen,
						    want_caps ? &caps : NULL);
				break;
			case MATCH_VALUE:
				result = match_rel_holds(
				    c->rel, cmp->compare(val, vlen, key, klen));
				break;
			case MATCH_REGEX: {
				struct match_regex *re = NULL;
				char *err = NULL;
				int r;

				if (k < c->nregex && c->regex[k] != NULL) {
					r = match_regex_exec(
					    c->regex[k], val, vlen,
					    want_caps ? &caps : NULL);
				} else if (match_regex_compile(
					       key,
					       cmp == &match_comparator_casemap,
					       &re, &err) < 0) {
					/* a bad runtime pattern never
					   matches, as in Pigeonhole */
					free(err);
					r = 0;
				} else {
					r = match_regex_exec(re, val, vlen,
							     want_caps ? &caps
								       : NULL);
					match_regex_free(&re);
				}
				result = r > 0;
				break;
			}
			}
		}
	}
	if (result && want_caps)
		match_captures_move(&run->caps, &caps);
	match_captures_clear(&caps);
	strlist_free(&keys);
	return result;
}

/* ---- actions ---- */

int
sieve_add_action(struct sieve_run *run, const struct sieve_node *node,
		 struct action *a)
{
	bool cancels;

	a->file = run->script->path;
	a->line = node != NULL ? node->line : 0;
	switch (a->kind) {
	case ACTION_STORE:
		run->has_store = true;
		break;
	case ACTION_REDIRECT:
		run->has_redirect = true;
		break;
	case ACTION_REJECT:
	case ACTION_EREJECT:
		if (run->has_reject) {
			action_free(&a);
			return sieve_runtime_error(
			    run, node,
			    "duplicate reject/ereject action not allowed");
		}
		run->has_reject = true;
		break;
	case ACTION_VACATION:
		if (run->has_vacation) {
			action_free(&a);
			return sieve_runtime_error(
			    run, node, "duplicate vacation action not allowed");
		}
		run->has_vacation = true;
		break;
	case ACTION_DISCARD:
		run->has_discard = true;
		break;
	default:
		break;
	}
	cancels = (a->kind == ACTION_STORE || a->kind == ACTION_REDIRECT ||
		   a->kind == ACTION_DISCARD || a->kind == ACTION_REJECT ||
		   a->kind == ACTION_EREJECT) &&
		  !a->copy;
	/* as Pigeonhole: an action merged into an earlier duplicate does
	   nothing more, not even cancel the implicit keep */
	if (result_add(run->result, a) > 0 && cancels)
		result_cancel_implicit_keep(run->result);
	return 0;
}

const char *
sieve_subaddress_delimiter(const struct config *config)
{
	const char *d = config != NULL ? config_get(config, "sieve", NULL,
						    "subaddress_delimiter")
				       : NULL;

	return d != NULL && *d != '\0' ? d : "+";
}

void
sieve_flags_add(struct strlist *list, const char *s)
{
	struct strlist parts = {0};

	strlist_split(&parts, s, " \t\r\n");
	for (size_t i = 0; i < parts.n; i++)
		if (!strlist_contains_case(list, parts.v[i]))
			strlist_add(list, parts.v[i]);
	strlist_free(&parts);
}

void
sieve_flags_current(struct sieve_run *run, const struct sieve_node *node,
		    struct strlist *flags)
{
	if (node != NULL && node->cmd.has[SLOT_FLAGS]) {
		struct strlist l = {0};

		sieve_expand_list(run, node->cmd.tag[SLOT_FLAGS], &l);
		for (size_t i = 0; i < l.n; i++)
			sieve_flags_add(flags, l.v[i]);
		strlist_free(&l);
		return;
	}
	for (size_t i = 0; i < run->flags.n; i++)
		strlist_add(flags, run->flags.v[i]);
}

/* ---- running the IR ---- */

int
sieve_run_ir(struct sieve_run *run, const struct ir_program *prog)
{
	struct ir_ctx ctx = {.lang = run, .result = run->result};

	return ir_run(prog, &ctx);
}

int
sieve_run_finish(struct sieve_run *run)
{
	if (run->has_reject && (run->has_store || run->has_redirect))
		return sieve_runtime_error(run, NULL,
					   "reject/ereject action conflicts "
					   "with other action");
	if (run->script->variables || sieve_requires(run->script, "imap4flags"))
		result_set_keep_flags(run->result, &run->flags);
	return 0;
}

int
sieve_run_script(struct sieve_run *run, struct sieve_script *script)
{
	struct sieve_script *saved = run->script;
	int r;

	run->script = script;
	r = sieve_run_ir(run, script->ir);
	run->script = saved;
	return r;
}

/* ---- loading and the rule_lang ---- */

/* Puts the diagnostics from index start on in line/column order (the
   parser and the validator report in two passes). Only when they all
   belong to one file: included scripts keep their place. */
static void
diag_sort(struct diag *d, size_t start)
{
	for (size_t i = start; i < d->n; i++)
		if (strcmp(d->v[i].file, d->v[start].file) != 0)
			return;
	for (size_t i = start + 1; i < d->n; i++) {
		struct diag_item it = d->v[i];
		size_t j = i;

		while (j > start && (d->v[j - 1].line > it.line ||
				     (d->v[j - 1].line == it.line &&
				      d->v[j - 1].col > it.col))) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = it;
	}
}

int
sieve_load(const char *path, const struct config *config, bool testsuite,
	   int include_depth, struct sieve_script **script_r, struct diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	struct sieve_valid v;
	int errors = diag->errors;
	size_t start = diag->n;

	*script_r = NULL;
	if (path_read_file(path, 1 << 20, &text, &len) < 0) {
		diag_add(diag, DIAG_ERROR, path, 0, 0,
			 "cannot read script: %m");
		return -1;
	}
	memset(&v, 0, sizeof(v));
	v.script = sieve_parse(path, text, len, diag);
	free(text);
	v.diag = diag;
	v.config = config;
	v.testsuite = testsuite;
	v.include_depth = include_depth;
	sieve_validate(&v); /* on a partial tree too: every error at once */
	diag_sort(diag, start);
	*script_r = v.script;
	if (diag->errors > errors)
		return -1;
	sieve_lower(v.script);
	return 0;
}

/* A Sieve script starts (after white space and comments) with a
   command name not followed by '=' (procmailrc starts with VAR=value
   assignments or a ":0" recipe). An empty script is Sieve too. */
static int
sieve_detect(const char *text, size_t len)
{
	size_t i = 0;

	for (;;) {
		while (i < len && (text[i] == ' ' || text[i] == '\t' ||
				   text[i] == '\n' || text[i] == '\r'))
			i++;
		if (i < len && text[i] == '#') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		if (i + 1 < len && text[i] == '/' && text[i + 1] == '*') {
			const char *e =
			    memmem(text + i + 2, len - i - 2, "*/", 2);

			if (e == NULL)
				return 0;
			i = (size_t)(e - text) + 2;
			continue;
		}
		break;
	}
	if (i == len)
		return 1;
	if (!((text[i] >= 'a' && text[i] <= 'z') ||
	      (text[i] >= 'A' && text[i] <= 'Z') || text[i] == '_'))
		return 0;
	while (i < len &&
	       ((text[i] >= 'a' && text[i] <= 'z') ||
		(text[i] >= 'A' && text[i] <= 'Z') ||
		(text[i] >= '0' && text[i] <= '9') || text[i] == '_'))
		i++;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	return i < len && text[i] == '=' ? 0 : 1;
}

static void
program_free(struct rule_program **progp)
{
	struct sieve_program *p = (struct sieve_program *)*progp;

	if (p == NULL)
		return;
	sieve_script_free(&p->script);
	sieve_memstore_free(&p->vstore_owned);
	free(p);
	*progp = NULL;
}

static int
sieve_compile(const char *path, const struct config *config,
	      struct rule_program **prog_r, struct diag *diag)
{
	struct sieve_script *script;
	struct sieve_program *p;

	*prog_r = NULL;
	if (sieve_load(path, config, false, 0, &script, diag) < 0) {
		sieve_script_free(&script);
		return -1;
	}
	p = xcalloc(1, sizeof(*p));
	p->script = script;
	p->config = config;
	*prog_r = (struct rule_program *)p;
	return 0;
}

int
sieve_compile_text(const char *name, const char *text, size_t len,
		   const struct config *config, struct rule_program **prog_r,
		   struct diag *diag)
{
	struct sieve_valid v;
	struct sieve_program *p;

	*prog_r = NULL;
	memset(&v, 0, sizeof(v));
	v.script = sieve_parse(name, text, len, diag);
	v.diag = diag;
	v.config = config;
	sieve_validate(&v);
	diag_sort(diag, 0);
	if (diag->errors > 0) {
		sieve_script_free(&v.script);
		return -1;
	}
	sieve_lower(v.script);
	p = xcalloc(1, sizeof(*p));
	p->script = v.script;
	p->config = config;
	*prog_r = (struct rule_program *)p;
	return 0;
}

void sieve_run_init(struct sieve_run *run, struct sieve_program *p,
		    struct rule_env *env, struct result *result,
		    struct diag *diag);
void sieve_run_deinit(struct sieve_run *run);

void
sieve_run_init(struct sieve_run *run, struct sieve_program *p,
	       struct rule_env *env, struct result *result, struct diag *diag)
{
	memset(run, 0, sizeof(*run));
	run->prog = p;
	run->script = p->script;
	run->env = env;
	run->msg = env->msg;
	run->result = result;
	run->diag = diag;
	run->config = env->config != NULL ? env->config : p->config;
	run->vars = xcalloc(1, sizeof(*run->vars));
	run->globals = xcalloc(1, sizeof(*run->globals));
	run->once_included = xcalloc(1, sizeof(*run->once_included));
	if (env->store != NULL) {
		run->vstore_owned = sieve_records_from_store(env->store);
		run->vstore = run->vstore_owned;
	}
}

void
sieve_run_deinit(struct sieve_run *run)
{
	sieve_vars_free(run->vars);
	free(run->vars);
	sieve_vars_free(run->globals);
	free(run->globals);
	strlist_free(run->once_included);
	free(run->once_included);
	match_captures_clear(&run->caps);
	strlist_free(&run->flags);
	strlist_free(&run->dup_seen);
	hdrs_free(run);
	sieve_records_free(&run->vstore_owned);
}

static int
sieve_exec(struct rule_program *prog, struct rule_env *env,
	   struct result *result, struct diag *diag)
{
	struct sieve_program *p = (struct sieve_program *)prog;
	struct sieve_run run;
	int r;

	sieve_run_init(&run, p, env, result, diag);
	r = sieve_run_ir(&run, p->script->ir);
	if (r >= 0) /* ended or stopped */
		r = sieve_run_finish(&run);
	if (r < 0)
		result_reset(result); /* Pigeonhole: implicit keep only */
	sieve_run_deinit(&run);
	return r;
}

static const struct ir_program *
sieve_ir(const struct rule_program *prog)
{
	const struct sieve_program *p = (const struct sieve_program *)prog;

	return p->script->ir;
}

const struct rule_lang sieve_lang = {
    .name = "sieve",
    .detect = sieve_detect,
    .compile = sieve_compile,
    .run = sieve_exec,
    .free = program_free,
    .ir = sieve_ir,
};
