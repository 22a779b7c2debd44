/*
 * ext-editheader.c - the editheader extension (RFC 5293): addheader and
 * deleteheader. Later tests see the edited header (sieve-interp.c keeps
 * an editable copy); the edits also go into the result as actions so
 * delivery writes the edited message.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

struct strlist *sieve_hdrs_names(struct sieve_run *run);
struct strlist *sieve_hdrs_values(struct sieve_run *run);

/* Fields a script may not touch (RFC 5293 section 7, Pigeonhole). */
static const char *const protected_fields[] = {"received", "auto-submitted"};

static bool
field_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 32 || (unsigned char)*s >= 127 ||
		    *s == ':')
			return false;
	return true;
}

static bool
is_protected(const char *s)
{
	for (size_t i = 0; i < N_ELEMENTS(protected_fields); i++)
		if (strcasecmp(s, protected_fields[i]) == 0)
			return true;
	return false;
}

static int
check_field(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *f = &n->cmd.pos[0]->strs[0];

	if (f->dynamic)
		return 0;
	if (!field_name_ok(f->s)) {
		sieve_error(v, n, "%s: invalid header field name '%s'", n->name,
			    f->s);
		return -1;
	}
	return 0;
}

static const struct sieve_tag_def last_tag_table[] = {
    {"last", NULL, SLOT_LAST, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const addheader_tags[] = {last_tag_table,
							     NULL};

static int
addheader_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return check_field(v, n);
}

static int
addheader_exec(struct sieve_run *run, struct sieve_node *n)
{
	char *name = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	char *value = sieve_expand(run, &n->cmd.pos[1]->strs[0]);
	struct strlist *names, *values;
	struct action *a;

	if (!field_name_ok(name)) {
		sieve_runtime_error(run, n,
				    "addheader: invalid field name '%s'", name);
		free(name);
		free(value);
		return -1;
	}
	if (is_protected(name)) {
		/* silently ignored, as Pigeonhole does */
		free(name);
		free(value);
		return 0;
	}
	names = sieve_hdrs_names(run);
	values = sieve_hdrs_values(run);
	if (n->cmd.has[SLOT_LAST]) {
		strlist_add(names, name);
		strlist_add(values, value);
	} else {
		char *nn, *nv;

		strlist_add(names, name);
		strlist_add(values, value);
		nn = names->v[names->n - 1];
		nv = values->v[values->n - 1];
		memmove(names->v + 1, names->v,
			(names->n - 1) * sizeof(char *));
		memmove(values->v + 1, values->v,
			(values->n - 1) * sizeof(char *));
		names->v[0] = nn;
		values->v[0] = nv;
	}
	a = action_new(ACTION_ADDHEADER);
	a->hdr_name = name;
	a->hdr_value = value;
	a->hdr_last = n->cmd.has[SLOT_LAST];
	result_add(run->result, a);
	return 0;
}

static const struct sieve_cmd_def addheader = {
    .name = "addheader",
    .kind = DEF_COMMAND,
    .pos = "SS",
    .tags = addheader_tags,
    .validate = addheader_validate,
    .exec = addheader_exec,
};

static const struct sieve_tag_def index_tag_table[] = {
    {"index", NULL, SLOT_INDEX, 'N', 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};
static const struct sieve_tag_def *const deleteheader_tags2[] = {
    sieve_tags_match, last_tag_table, index_tag_table, NULL};

static int
deleteheader_validate(struct sieve_valid *v, struct sieve_node *n)
{
	if (n->cmd.has[SLOT_LAST] && !n->cmd.has[SLOT_INDEX]) {
		sieve_error(v, n, "deleteheader: :last requires :index");
		return -1;
	}
	if (check_field(v, n) < 0)
		return -1;
	return sieve_validate_match(v, n, 1);
}

static int
deleteheader_exec(struct sieve_run *run, struct sieve_node *n)
{
	char *name = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	struct strlist *names, *values;
	size_t count = 0, seen = 0, want = 0;
	struct action *a;

	if (is_protected(name)) {
		free(name);
		return 0;
	}
	names = sieve_hdrs_names(run);
	values = sieve_hdrs_values(run);
	for (size_t i = 0; i < names->n; i++)
		if (strcasecmp(names->v[i], name) == 0)
			count++;
	if (n->cmd.has[SLOT_INDEX]) {
		want = (size_t)n->cmd.tag[SLOT_INDEX]->number;
		if (n->cmd.has[SLOT_LAST])
			want = want <= count ? count - want + 1 : 0;
		if (want == 0 || want > count) {
			free(name);
			return 0;
		}
	}
	for (size_t i = 0; i < names->n;) {
		bool del;

		if (strcasecmp(names->v[i], name) != 0) {
			i++;
			continue;
		}
		seen++;
		del = want == 0 || seen == want;
		if (del && n->cmd.npos > 1) {
			struct strlist one = {0};

			strlist_add_owned(&one,
					  msg_header_decode(values->v[i]));
			del = sieve_match_values(run, n, &one, 1) > 0;
			strlist_free(&one);
		}
		if (!del) {
			i++;
			continue;
		}
		free(names->v[i]);
		free(values->v[i]);
		memmove(names->v + i, names->v + i + 1,
			(names->n - i) * sizeof(char *));
		memmove(values->v + i, values->v + i + 1,
			(values->n - i) * sizeof(char *));
		names->n--;
		values->n--;
	}
	a = action_new(ACTION_DELETEHEADER);
	a->hdr_name = name;
	a->hdr_index = (int)want;
	a->hdr_last = n->cmd.has[SLOT_LAST];
	result_add(run->result, a);
	return 0;
}

static const struct sieve_cmd_def deleteheader = {
    .name = "deleteheader",
    .kind = DEF_COMMAND,
    .pos = "Sl",
    .tags = deleteheader_tags2,
    .validate = deleteheader_validate,
    .exec = deleteheader_exec,
};

static const struct sieve_cmd_def *const defs[] = {&addheader, &deleteheader,
						   NULL};

const struct sieve_extension sieve_ext_editheader = {
    .name = "editheader",
    .defs = defs,
};
