/*
 * ext-fileinto.c - the fileinto extension (RFC 5228 4.1): store the
 * message in a folder, named as the script wrote it. A folder that does
 * not exist is not created (unless :create, or [sieve]
 * mailbox_autocreate = yes): the store fails at delivery and the message
 * falls back to the default mailbox, as Pigeonhole does with its default
 * lda_mailbox_autocreate = no.
 */
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

static int
fileinto_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *s = &n->cmd.pos[0]->strs[0];

	(void)s; /* Pigeonhole accepts any name here, even "" */
	return 0;
}

static bool
utf8_valid(const unsigned char *s)
{
	while (*s != '\0') {
		int n = *s < 0x80	      ? 0
			: (*s & 0xe0) == 0xc0 ? 1
			: (*s & 0xf0) == 0xe0 ? 2
			: (*s & 0xf8) == 0xf0 ? 3
					      : -1;

		if (n < 0)
			return false;
		for (s++; n > 0; n--, s++)
			if ((*s & 0xc0) != 0x80)
				return false;
	}
	return true;
}

static int
fileinto_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct action *a = action_new(ACTION_STORE);

	a->folder = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	if (!utf8_valid((const unsigned char *)a->folder)) {
		/* Pigeonhole refuses such a mailbox name at run time */
		sieve_runtime_error(run, n, "invalid folder name '%s'",
				    a->folder);
		action_free(&a);
		return -1;
	}
	a->copy = n->cmd.has[SLOT_COPY];
	a->create = n->cmd.has[SLOT_CREATE];
	if (!a->create) {
		bool autocreate = false;

		config_get_bool(run->config, "sieve", "mailbox_autocreate",
				false, &autocreate);
		a->need_folder = !autocreate;
	}
	sieve_flags_current(run, n, &a->flags);
	return sieve_add_action(run, n, a);
}

static const struct sieve_cmd_def fileinto = {
    .name = "fileinto",
    .kind = DEF_COMMAND,
    .pos = "S",
    .validate = fileinto_validate,
    .exec = fileinto_exec,
};

static const struct sieve_cmd_def *const defs[] = {&fileinto, NULL};

const struct sieve_extension sieve_ext_fileinto = {
    .name = "fileinto",
    .defs = defs,
};
