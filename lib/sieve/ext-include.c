/*
 * ext-include.c - the include extension (RFC 6609): include with
 * :personal / :global, :once and :optional, the return command and
 * global variables. Included scripts are loaded and validated with the
 * including one, so their errors are reported at compile time.
 * Personal scripts live in [rules] personal_dir (default: the directory
 * of the including script), global ones in [rules] global_dir (default
 * /etc/ackmail/sieve).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sieve-private.h"

#define INCLUDE_MAX_DEPTH 10

static const struct sieve_tag_def include_tag_table[] = {
    {"personal", NULL, SLOT_PERSONAL, 0, 0},
    {"global", NULL, SLOT_GLOBAL, 0, 0},
    {"once", NULL, SLOT_ONCE, 0, 0},
    {"optional", NULL, SLOT_OPTIONAL, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const include_tags[] = {include_tag_table,
							   NULL};

static void
script_free(void *data)
{
	struct sieve_script *s = data;

	sieve_script_free(&s);
}

static char *
script_dir(struct sieve_valid *v, bool global)
{
	const char *d = v->config != NULL
			    ? config_get(v->config, "rules", NULL,
					 global ? "global_dir" : "personal_dir")
			    : NULL;
	const char *slash;

	if (d != NULL)
		return xstrdup(d);
	if (global)
		return xstrdup("/etc/ackmail/sieve");
	slash = strrchr(v->script->path, '/');
	return slash != NULL ? xstrndup(v->script->path,
					(size_t)(slash - v->script->path))
			     : xstrdup(".");
}

static int
include_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *name = &n->cmd.pos[0]->strs[0];
	struct sieve_script *inc = NULL;
	struct stat st;
	char *dir, *path;
	int r = 0;

	if (n->cmd.has[SLOT_PERSONAL] && n->cmd.has[SLOT_GLOBAL]) {
		sieve_error(v, n,
			    "include: :personal and :global cannot be "
			    "combined");
		return -1;
	}
	if (name->dynamic || strchr(name->s, '/') != NULL || name->len == 0) {
		sieve_error(v, n, "include: invalid script name '%s'", name->s);
		return -1;
	}
	if (v->include_depth + 1 > INCLUDE_MAX_DEPTH) {
		sieve_error(v, n, "include: nested too deeply (more than %d)",
			    INCLUDE_MAX_DEPTH);
		return -1;
	}
	dir = script_dir(v, n->cmd.has[SLOT_GLOBAL]);
	path = str_has_suffix_case(name->s, ".sieve")
		   ? xasprintf("%s/%s", dir, name->s)
		   : xasprintf("%s/%s.sieve", dir, name->s);
	free(dir);
	if (stat(path, &st) < 0) {
		if (!n->cmd.has[SLOT_OPTIONAL]) {
			sieve_error(v, n, "include: script '%s' not found",
				    name->s);
			r = -1;
		}
		free(path);
		return r;
	}
	/* a script including itself (directly or not) is cut by depth */
	if (sieve_load(path, v->config, v->testsuite, v->include_depth + 1,
		       &inc, v->diag) < 0) {
		sieve_error(v, n, "include: failed to compile '%s'", name->s);
		r = -1;
	}
	free(path);
	if (r < 0) {
		sieve_script_free(&inc);
		return -1;
	}
	n->cmd.data = inc;
	n->cmd.data_free = script_free;
	n->cmd.sub = inc->ir; /* lowered by sieve_load: an IR CALL */
	return 0;
}

static int
include_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct sieve_script *inc = n->cmd.data;
	struct sieve_vars vars = {0}, *saved = run->vars;
	struct match_captures caps = {0};
	int r;

	if (inc == NULL)
		return 0; /* :optional and missing */
	if (n->cmd.has[SLOT_ONCE]) {
		if (strlist_contains_case(run->once_included, inc->path))
			return 0;
		strlist_add(run->once_included, inc->path);
	}
	if (++run->include_depth > INCLUDE_MAX_DEPTH) {
		run->include_depth--;
		return sieve_runtime_error(run, n,
					   "include: nested too deeply");
	}
	match_captures_move(&caps, &run->caps);
	run->vars = &vars;
	r = sieve_run_script(run, inc);
	run->vars = saved;
	match_captures_move(&run->caps, &caps);
	sieve_vars_free(&vars);
	run->include_depth--;
	return r; /* 1: a stop in the included script ends the run */
}

static const struct sieve_cmd_def include = {
    .name = "include",
    .kind = DEF_COMMAND,
    .pos = "S",
    .tags = include_tags,
    .validate = include_validate,
    .exec = include_exec,
};

static const struct sieve_cmd_def return_cmd = {
    .name = "return",
    .kind = DEF_COMMAND,
    .pos = "",
    .lower = LOWER_RETURN,
};

static int
global_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_arg *a = n->cmd.pos[0];

	if (!v->script->variables) {
		sieve_error(v, n,
			    "the global command requires the variables "
			    "extension");
		return -1;
	}
	for (size_t i = 0; i < a->nstrs; i++) {
		if (a->strs[i].dynamic ||
		    !sieve_variable_name_valid(a->strs[i].s, a->strs[i].len)) {
			sieve_error(v, n, "global: invalid variable name '%s'",
				    a->strs[i].s);
			return -1;
		}
		if (!strlist_contains_case(&v->script->global_vars,
					   a->strs[i].s))
			strlist_add(&v->script->global_vars, a->strs[i].s);
	}
	return 0;
}

static const struct sieve_cmd_def global = {
    .name = "global",
    .kind = DEF_COMMAND,
    .pos = "L",
    .validate = global_validate,
};

static const struct sieve_cmd_def *const defs[] = {&include, &return_cmd,
						   &global, NULL};

const struct sieve_extension sieve_ext_include = {
    .name = "include",
    .defs = defs,
};
