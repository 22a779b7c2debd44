/*
 * ext-mailbox.c - the mailbox extension (RFC 5490): the mailboxexists
 * test and :create on fileinto. Mailboxes are Maildir++ folders under
 * rule_env->maildir ("INBOX" is the root).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sieve-private.h"

/* Whether folder exists under root (Maildir++: ".a.b"). The testsuite
   keeps its own list (test_mailbox_create). */
int sieve_mailbox_exists(struct sieve_run *run, const char *folder);

static int
mailboxexists_test(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist names = {0};
	int r = 1;

	sieve_expand_list(run, n->cmd.pos[0], &names);
	for (size_t i = 0; i < names.n && r == 1; i++)
		r = sieve_mailbox_exists(run, names.v[i]);
	strlist_free(&names);
	return r;
}

static const struct sieve_cmd_def mailboxexists = {
    .name = "mailboxexists",
    .kind = DEF_TEST,
    .pos = "L",
    .test = mailboxexists_test,
};

static const struct sieve_cmd_def *const defs[] = {&mailboxexists, NULL};

static const struct sieve_tag_def create_tag[] = {
    {"create", "mailbox", SLOT_CREATE, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};

static const struct sieve_tag_addition additions[] = {
    {"fileinto", create_tag},
    {NULL, NULL},
};

const struct sieve_extension sieve_ext_mailbox = {
    .name = "mailbox",
    .defs = defs,
    .tag_additions = additions,
};

/* The testsuite's own mailbox list (sieve-testsuite.c). */
int sieve_testsuite_mailbox_exists(struct sieve_testsuite *ts,
				   const char *folder);

int
sieve_mailbox_exists(struct sieve_run *run, const char *folder)
{
	const char *root = run->env != NULL ? run->env->maildir : NULL;
	char *path;
	struct stat st;
	int r;

	if (strcasecmp(folder, "INBOX") == 0)
		return 1;
	if (run->ts != NULL)
		return sieve_testsuite_mailbox_exists(run->ts, folder);
	if (root == NULL)
		return 0;
	path = xasprintf("%s/.%s", root, folder);
	for (char *p = path + strlen(root) + 2; *p != '\0'; p++)
		if (*p == '/')
			*p = '.';
	r = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return r;
}
