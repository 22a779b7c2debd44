/*
 * ext-envelope.c - the envelope test (RFC 5228 5.4): the SMTP MAIL FROM
 * and RCPT TO addresses, with address parts.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sieve-private.h"

void sieve_address_part_add(struct sieve_run *run, struct sieve_node *n,
			    const char *addr, struct strlist *vals);

static const struct sieve_tag_def *const envelope_tags[] = {
    sieve_tags_match, sieve_tags_addrpart, NULL};

static const char *const parts[] = {"from", "to", "orig_to", "auth"};

static int
envelope_validate(struct sieve_valid *v, struct sieve_node *n)
{
	const struct sieve_arg *a = n->cmd.pos[0];

	for (size_t i = 0; i < a->nstrs; i++) {
		bool ok = a->strs[i].dynamic;

		for (size_t j = 0; j < N_ELEMENTS(parts) && !ok; j++)
			ok = strcasecmp(a->strs[i].s, parts[j]) == 0;
		if (!ok) {
			sieve_error_at(v, a->line, a->col,
				       "envelope test: unknown envelope part "
				       "'%s'",
				       a->strs[i].s);
			return -1;
		}
	}
	return sieve_validate_match(v, n, 1);
}

static int
envelope_test(struct sieve_run *run, struct sieve_node *n)
{
	struct strlist names = {0}, vals = {0};
	int r;

	sieve_expand_list(run, n->cmd.pos[0], &names);
	for (size_t i = 0; i < names.n; i++) {
		const char *addr = NULL;
		char *bare;
		size_t len;

		if (strcasecmp(names.v[i], "from") == 0)
			addr = msg_envelope_from(run->msg);
		else if (strcasecmp(names.v[i], "to") == 0 ||
			 strcasecmp(names.v[i], "orig_to") == 0)
			addr = msg_envelope_to(run->msg);
		if (addr == NULL)
			continue;
		len = strlen(addr);
		bare = len >= 2 && addr[0] == '<' && addr[len - 1] == '>'
			   ? xstrndup(addr + 1, len - 2)
			   : xstrdup(addr);
		if (*bare == '\0') {
			/* the null reverse-path: only :all sees "" */
			if (!n->cmd.has[SLOT_ADDRPART] ||
			    n->cmd.value[SLOT_ADDRPART] == MATCH_ADDR_ALL)
				strlist_add(&vals, "");
		} else {
			sieve_address_part_add(run, n, bare, &vals);
		}
		free(bare);
	}
	r = sieve_match_values(run, n, &vals, 1);
	strlist_free(&names);
	strlist_free(&vals);
	return r;
}

static const struct sieve_cmd_def envelope = {
    .name = "envelope",
    .kind = DEF_TEST,
    .pos = "LL",
    .tags = envelope_tags,
    .validate = envelope_validate,
    .test = envelope_test,
};

static const struct sieve_cmd_def *const defs[] = {&envelope, NULL};

const struct sieve_extension sieve_ext_envelope = {
    .name = "envelope",
    .defs = defs,
};
