/*
 * ext-editheader.c - the editheader extension (RFC 5293): addheader and
 * deleteheader. The edits are made on the result's editable header
 * (lib/engine header-edit.c), so that every store, redirect and pipe
 * carries the message as edited before it and the implicit keep the
 * message with every edit, as Pigeonhole does; later tests see the edited
 * header through sieve-interp.c's copy, which is refreshed after each
 * edit. The edits also go into the result as actions, for `ackmail
 * check`.
 *
 * Protected fields, as Pigeonhole: Received and Auto-Submitted can never
 * be deleted, X-Sieve-Redirected-From neither added nor deleted, Subject
 * always both; [sieve] editheader_protected, editheader_forbid_add and
 * editheader_forbid_delete name more (space-separated). A protected field
 * is left alone with a warning. A value longer than [sieve]
 * editheader_max_header_size (2048, at least 1024) is a runtime error.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

struct strlist *sieve_hdrs_names(struct sieve_run *run);
struct strlist *sieve_hdrs_values(struct sieve_run *run);

#define MAX_HEADER_SIZE_DEFAULT 2048
#define MAX_HEADER_SIZE_MIN	1024

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

/* Whether name is in the space-separated list of [sieve] key. */
static bool
config_lists(const struct config *config, const char *key, const char *name)
{
	const char *v = config_get(config, "sieve", NULL, key);
	struct strlist l = {0};
	bool r;

	if (v == NULL)
		return false;
	strlist_split(&l, v, " \t,");
	r = strlist_contains_case(&l, name);
	strlist_free(&l);
	return r;
}

static bool
may_add(const struct config *config, const char *name)
{
	if (strcasecmp(name, "subject") == 0)
		return true;
	if (strcasecmp(name, "x-sieve-redirected-from") == 0)
		return false;
	return !config_lists(config, "editheader_protected", name) &&
	       !config_lists(config, "editheader_forbid_add", name);
}

static bool
may_delete(const struct config *config, const char *name)
{
	if (strcasecmp(name, "received") == 0 ||
	    strcasecmp(name, "auto-submitted") == 0 ||
	    strcasecmp(name, "x-sieve-redirected-from") == 0)
		return false;
	if (strcasecmp(name, "subject") == 0)
		return true;
	return !config_lists(config, "editheader_protected", name) &&
	       !config_lists(config, "editheader_forbid_delete", name);
}

static void
warn(struct sieve_run *run, const struct sieve_node *n, const char *what,
     const char *name)
{
	if (run->diag != NULL)
		diag_add(run->diag, DIAG_WARNING, run->script->path, n->line,
			 n->col,
			 "%s: header field '%s' is protected; modification "
			 "denied",
			 what, name);
}

/* The result's editable header for the message under test. A new one
   when no edit was made yet to this message (sieve-interp.c has no copy:
   a new run, or the testsuite set another message); rebuilt from the
   copy the tests see when the result was reset meanwhile. */
static struct header_edit *
edit_begin(struct sieve_run *run)
{
	struct header_edit *he = result_header_edit(run->result);
	bool have_copy = run->edits != NULL;

	if (he != NULL && have_copy && header_edit_msg(he) == run->msg)
		return he;
	he = header_edit_new(run->msg);
	if (have_copy) {
		struct strlist *names = sieve_hdrs_names(run);
		struct strlist *values = sieve_hdrs_values(run);

		while (header_edit_count(he) > 0)
			header_edit_delete(he, 0);
		for (size_t i = 0; i < names->n; i++)
			header_edit_add(he, names->v[i], values->v[i], true);
	}
	result_set_header_edit(run->result, he);
	return he;
}

/* Refreshes the copy header tests see from the edited header. */
static void
edit_sync(struct sieve_run *run, const struct header_edit *he)
{
	struct strlist *names = sieve_hdrs_names(run);
	struct strlist *values = sieve_hdrs_values(run);

	strlist_free(names);
	strlist_free(values);
	for (size_t i = 0; i < header_edit_count(he); i++) {
		strlist_add(names, header_edit_name(he, i));
		strlist_add(values, header_edit_value(he, i));
	}
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
	long max = MAX_HEADER_SIZE_DEFAULT;
	struct header_edit *he;
	struct action *a;

	if (!field_name_ok(name)) {
		sieve_runtime_error(run, n,
				    "addheader: invalid field name '%s'", name);
		free(name);
		free(value);
		return -1;
	}
	if (!may_add(run->config, name)) {
		warn(run, n, "addheader", name);
		free(name);
		free(value);
		return 0;
	}
	config_get_long(run->config, "sieve", "editheader_max_header_size",
			MAX_HEADER_SIZE_DEFAULT, &max);
	if (max < MAX_HEADER_SIZE_MIN)
		max = MAX_HEADER_SIZE_MIN;
	if (strlen(value) > (size_t)max) {
		sieve_runtime_error(run, n,
				    "addheader: value of '%s' is too large "
				    "(%zu bytes)",
				    name, strlen(value));
		free(name);
		free(value);
		return -1;
	}
	he = edit_begin(run);
	header_edit_add(he, name, value, n->cmd.has[SLOT_LAST]);
	edit_sync(run, he);
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
	struct header_edit *he;
	size_t count = 0, seen = 0, want = 0, deleted = 0;
	struct action *a;

	if (!may_delete(run->config, name)) {
		warn(run, n, "deleteheader", name);
		free(name);
		return 0;
	}
	he = edit_begin(run);
	for (size_t i = 0; i < header_edit_count(he); i++)
		if (strcasecmp(header_edit_name(he, i), name) == 0)
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
	for (size_t i = 0; i < header_edit_count(he);) {
		bool del;

		if (strcasecmp(header_edit_name(he, i), name) != 0) {
			i++;
			continue;
		}
		seen++;
		del = want == 0 || seen == want;
		if (del && n->cmd.npos > 1) {
			struct strlist one = {0};

			strlist_add_owned(
			    &one, msg_header_decode(header_edit_value(he, i)));
			del = sieve_match_values(run, n, &one, 1) > 0;
			strlist_free(&one);
		}
		if (!del) {
			i++;
			continue;
		}
		header_edit_delete(he, i);
		deleted++;
	}
	if (deleted > 0)
		edit_sync(run, he);
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
