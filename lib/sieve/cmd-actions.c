/*
 * cmd-actions.c - the actions of RFC 5228 section 4: keep, discard and
 * redirect (fileinto is an extension: ext-fileinto.c).
 */
#include <stdlib.h>
#include <string.h>

#include "sieve-private.h"

static int
keep_exec(struct sieve_run *run, struct sieve_node *n)
{
	struct action *a = action_new(ACTION_STORE);

	sieve_flags_current(run, n, &a->flags);
	result_cancel_implicit_keep(run->result);
	return sieve_add_action(run, n, a);
}

const struct sieve_cmd_def sieve_cmd_keep = {
    .name = "keep",
    .kind = DEF_COMMAND,
    .pos = "",
    .exec = keep_exec,
};

static int
discard_exec(struct sieve_run *run, struct sieve_node *n)
{
	result_cancel_implicit_keep(run->result);
	return sieve_add_action(run, n, action_new(ACTION_DISCARD));
}

const struct sieve_cmd_def sieve_cmd_discard = {
    .name = "discard",
    .kind = DEF_COMMAND,
    .pos = "",
    .exec = discard_exec,
};

static int
redirect_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *s = &n->cmd.pos[0]->strs[0];

	if (!s->dynamic && sieve_validate_address(s->s) < 0) {
		sieve_error(v, n, "specified redirect address '%s' is invalid",
			    s->s);
		return -1;
	}
	return 0;
}

static long
max_redirects(const struct config *config)
{
	long n = 4;

	if (config != NULL)
		config_get_long(config, "sieve", "max_redirects", 4, &n);
	return n;
}

static int
redirect_exec(struct sieve_run *run, struct sieve_node *n)
{
	char *addr = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	struct action *a;
	size_t len;

	if (sieve_validate_address(addr) < 0) {
		sieve_runtime_error(run, n,
				    "specified redirect address '%s' is "
				    "invalid",
				    addr);
		free(addr);
		return -1;
	}
	if (++run->redirects > max_redirects(run->config)) {
		free(addr);
		return sieve_runtime_error(run, n,
					   "number of redirect actions exceeds "
					   "policy limit");
	}
	a = action_new(ACTION_REDIRECT);
	len = strlen(addr);
	if (addr[0] == '<' && len >= 2) {
		a->address = xstrndup(addr + 1, len - 2);
		free(addr);
	} else {
		a->address = addr;
	}
	a->copy = n->cmd.has[SLOT_COPY];
	if (!a->copy)
		result_cancel_implicit_keep(run->result);
	return sieve_add_action(run, n, a);
}

const struct sieve_cmd_def sieve_cmd_redirect = {
    .name = "redirect",
    .kind = DEF_COMMAND,
    .pos = "S",
    .validate = redirect_validate,
    .exec = redirect_exec,
};
