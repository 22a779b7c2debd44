/*
 * ext-environment.c - the environment extension (RFC 5183): facts about
 * the place the script runs in.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sieve-private.h"

static char *
env_item(struct sieve_run *run, const char *name)
{
	char host[256];

	if (strcasecmp(name, "domain") == 0 || strcasecmp(name, "host") == 0) {
		if (gethostname(host, sizeof(host)) < 0)
			return NULL;
		host[sizeof(host) - 1] = '\0';
		if (strcasecmp(name, "domain") == 0 && strchr(host, '.'))
			return xstrdup(strchr(host, '.') + 1);
		return xstrdup(host);
	}
	if (strcasecmp(name, "location") == 0)
		return xstrdup("MS");
	if (strcasecmp(name, "phase") == 0)
		return xstrdup("post");
	if (strcasecmp(name, "name") == 0)
		return xstrdup("ackmail");
	if (strcasecmp(name, "version") == 0)
		return xstrdup(ACKMAIL_VERSION);
	return NULL;
}

static const struct sieve_tag_def *const env_tags[] = {sieve_tags_match, NULL};

static int
environment_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return sieve_validate_match(v, n, 1);
}

static int
environment_test(struct sieve_run *run, struct sieve_node *n)
{
	char *name = sieve_expand(run, &n->cmd.pos[0]->strs[0]);
	char *val = env_item(run, name);
	struct strlist vals = {0};
	int r = 0;

	if (val != NULL) {
		strlist_add_owned(&vals, val);
		r = sieve_match_values(run, n, &vals, 1);
	}
	free(name);
	strlist_free(&vals);
	return r;
}

static const struct sieve_cmd_def environment = {
    .name = "environment",
    .kind = DEF_TEST,
    .pos = "SL",
    .tags = env_tags,
    .validate = environment_validate,
    .test = environment_test,
};

static const struct sieve_cmd_def *const defs[] = {&environment, NULL};

const struct sieve_extension sieve_ext_environment = {
    .name = "environment",
    .defs = defs,
};
