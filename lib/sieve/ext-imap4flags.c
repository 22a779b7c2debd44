/*
 * ext-imap4flags.c - the imap4flags extension (RFC 5232): setflag,
 * addflag, removeflag, the hasflag test and :flags on keep and
 * fileinto. Flags live in the internal variable (run->flags) or in a
 * named variable as a space-separated list.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

enum flag_op { FLAG_SET, FLAG_ADD, FLAG_REMOVE };

static void
list_to_string(const struct strlist *l, struct str *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0)
			str_appendc(out, ' ');
		str_append(out, l->v[i]);
	}
}

/* The target variable's flags (or the internal variable's). */
static void
flags_get(struct sieve_run *run, const char *var, struct strlist *out)
{
	if (var == NULL) {
		for (size_t i = 0; i < run->flags.n; i++)
			strlist_add(out, run->flags.v[i]);
		return;
	}
	sieve_flags_add(out, sieve_var_get(run, var));
}

static void
flags_put(struct sieve_run *run, const char *var, const struct strlist *l)
{
	struct str s = STR_INIT;

	if (var == NULL) {
		strlist_free(&run->flags);
		for (size_t i = 0; i < l->n; i++)
			strlist_add(&run->flags, l->v[i]);
		return;
	}
	str_append(&s, "");
	list_to_string(l, &s);
	sieve_var_set(run, var, str_c(&s), s.len);
	str_free(&s);
}

static int
flag_op(struct sieve_run *run, struct sieve_node *n, enum flag_op op)
{
	const char *var = NULL;
	struct sieve_arg *list = n->cmd.pos[0];
	struct strlist cur = {0}, given = {0}, args = {0};

	if (n->cmd.npos == 2) {
		var = n->cmd.pos[0]->strs[0].s;
		list = n->cmd.pos[1];
	}
	sieve_expand_list(run, list, &args);
	for (size_t i = 0; i < args.n; i++)
		sieve_flags_add(&given, args.v[i]);
	if (op != FLAG_SET)
		flags_get(run, var, &cur);
	if (op == FLAG_REMOVE) {
		struct strlist keep = {0};

		for (size_t i = 0; i < cur.n; i++)
			if (!strlist_contains_case(&given, cur.v[i]))
				strlist_add(&keep, cur.v[i]);
		flags_put(run, var, &keep);
		strlist_free(&keep);
	} else {
		for (size_t i = 0; i < given.n; i++)
			if (!strlist_contains_case(&cur, given.v[i]))
				strlist_add(&cur, given.v[i]);
		flags_put(run, var, &cur);
	}
	strlist_free(&cur);
	strlist_free(&given);
	strlist_free(&args);
	return 0;
}

static int
flag_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.npos == 2) {
		const struct sieve_arg *a = n->cmd.pos[0];

		if (!v->script->variables) {
			sieve_error(v, n,
				    "the %s command takes a variable name only "
				    "with the variables extension",
				    n->name);
			return -1;
		}
		if (a->type != ARG_STRING ||
		    !sieve_variable_name_valid(a->strs[0].s, a->strs[0].len)) {
			sieve_error(v, n, "invalid variable name");
			return -1;
		}
	}
	return 0;
}

static int
setflag_exec(struct sieve_run *run, struct sieve_node *n)
{
	return flag_op(run, n, FLAG_SET);
}

static int
addflag_exec(struct sieve_run *run, struct sieve_node *n)
{
	return flag_op(run, n, FLAG_ADD);
}

static int
removeflag_exec(struct sieve_run *run, struct sieve_node *n)
{
	return flag_op(run, n, FLAG_REMOVE);
}

static const struct sieve_cmd_def setflag = {
    .name = "setflag",
    .kind = DEF_COMMAND,
    .pos = "Ll",
    .validate = flag_validate,
    .exec = setflag_exec,
};
static const struct sieve_cmd_def addflag = {
    .name = "addflag",
    .kind = DEF_COMMAND,
    .pos = "Ll",
    .validate = flag_validate,
    .exec = addflag_exec,
};
static const struct sieve_cmd_def removeflag = {
    .name = "removeflag",
    .kind = DEF_COMMAND,
    .pos = "Ll",
    .validate = flag_validate,
    .exec = removeflag_exec,
};

static const struct sieve_tag_def *const hasflag_tags[] = {sieve_tags_match,
							   NULL};

static int
hasflag_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return sieve_validate_match(v, n, n->cmd.npos - 1);
}

static int
hasflag_test(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist cur = {0};
	int r;

	if (n->cmd.npos == 2) {
		struct strlist vars = {0};

		sieve_expand_list(run, n->cmd.pos[0], &vars);
		for (size_t i = 0; i < vars.n; i++)
			flags_get(run, vars.v[i], &cur);
		strlist_free(&vars);
	} else {
		flags_get(run, NULL, &cur);
	}
	r = sieve_match_values(run, n, &cur, n->cmd.npos - 1);
	strlist_free(&cur);
	return r;
}

static const struct sieve_cmd_def hasflag = {
    .name = "hasflag",
    .kind = DEF_TEST,
    .pos = "Ll",
    .tags = hasflag_tags,
    .validate = hasflag_validate,
    .test = hasflag_test,
};

static const struct sieve_cmd_def *const defs[] = {&setflag, &addflag,
						   &removeflag, &hasflag, NULL};

static const struct sieve_tag_def flags_tag[] = {
    {"flags", "imap4flags", SLOT_FLAGS, 'L', 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};

static const struct sieve_tag_addition additions[] = {
    {"keep", flags_tag},
    {"fileinto", flags_tag},
    {NULL, NULL},
};

const struct sieve_extension sieve_ext_imap4flags = {
    .name = "imap4flags",
    .defs = defs,
    .tag_additions = additions,
};

/* The legacy imapflags draft (what SOGo emits): the same flag commands
   plus mark and unmark for \Flagged. */
static int
mark_exec(struct sieve_run *run, struct sieve_node *n)
{
	if (!strlist_contains_case(&run->flags, "\\Flagged"))
		strlist_add(&run->flags, "\\Flagged");
	return 0;
}

static int
unmark_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist keep = {0};

	for (size_t i = 0; i < run->flags.n; i++)
		if (strcasecmp(run->flags.v[i], "\\Flagged") != 0)
			strlist_add(&keep, run->flags.v[i]);
	strlist_free(&run->flags);
	run->flags = keep;
	return 0;
}

static const struct sieve_cmd_def mark = {
    .name = "mark",
    .kind = DEF_COMMAND,
    .pos = "",
    .exec = mark_exec,
};
static const struct sieve_cmd_def unmark = {
    .name = "unmark",
    .kind = DEF_COMMAND,
    .pos = "",
    .exec = unmark_exec,
};

static const struct sieve_cmd_def *const legacy_defs[] = {&mark, &unmark, NULL};

const struct sieve_extension sieve_ext_imapflags = {
    .name = "imapflags",
    .defs = legacy_defs,
    .implies = "imap4flags",
};
