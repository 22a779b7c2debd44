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
	return sieve_add_action(run, n, action_new(ACTION_DISCARD));
}

const struct sieve_cmd_def sieve_cmd_discard = {
    .name = "discard",
    .kind = DEF_COMMAND,
    .pos = "",
    .exec = discard_exec,
};

/* The bare address of a redirect target: "a@b", "<a@b>" or
   "Name <a@b>" (Pigeonhole accepts the last too). Caller frees; NULL
   when it is not one valid address. */
static char *
redirect_address(const char *s)
{
	struct msg_addrlist l = {0};
	char *addr = NULL;

	if (strchr(s, '<') == NULL || s[0] == '<') {
		size_t len = strlen(s);

		if (sieve_validate_address(s) < 0)
			return NULL;
		if (s[0] == '<' && len >= 2)
			return xstrndup(s + 1, len - 2);
		return xstrdup(s);
	}
	if (msg_addr_parse(s, &l) == 1 && l.v[0].domain != NULL)
		addr = xasprintf("%s@%s", l.v[0].local, l.v[0].domain);
	msg_addrlist_free(&l);
	if (addr != NULL && sieve_validate_address(addr) < 0)
		xfree(addr);
	return addr;
}

static int
redirect_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_string *s = &n->cmd.pos[0]->strs[0];

	char *addr = s->dynamic ? NULL : redirect_address(s->s);

	if (!s->dynamic && addr == NULL) {
		sieve_error(v, n, "specified redirect address '%s' is invalid",
			    s->s);
		return -1;
	}
	free(addr);
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
	char *given = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	char *addr = redirect_address(given);
	struct action *a;

	if (addr == NULL) {
		sieve_runtime_error(run, n,
				    "specified redirect address '%s' is "
				    "invalid",
				    given);
		free(given);
		return -1;
	}
	free(given);
	if (++run->redirects > max_redirects(run->config)) {
		free(addr);
		return sieve_runtime_error(run, n,
					   "number of redirect actions exceeds "
					   "policy limit");
	}
	a = action_new(ACTION_REDIRECT);
	a->address = addr;
	a->copy = n->cmd.has[SLOT_COPY];
	return sieve_add_action(run, n, a);
}

const struct sieve_cmd_def sieve_cmd_redirect = {
    .name = "redirect",
    .kind = DEF_COMMAND,
    .pos = "S",
    .validate = redirect_validate,
    .exec = redirect_exec,
};
