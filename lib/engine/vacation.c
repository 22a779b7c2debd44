/*
 * vacation.c - whether a vacation action (Sieve, RFC 5230) may answer the
 * message at all: the reply-or-not rules of RFC 5230 and Pigeonhole
 * (null and robot senders, auto-submitted, list and bulk mail, the
 * "addressed to me" check) and the per-sender record of the period. It
 * lives below the rule languages and the actions so that both the
 * delivery (lib/actions) and the Sieve testsuite use it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "msg.h"

/* Senders that are programs, never people (RFC 5230 4.6, Pigeonhole). */
static const char *const robot_locals[] = {
    "mailer-daemon", "listserv", "majordomo",	 "mailer",     "postmaster",
    "noreply",	     "no-reply", "do-not-reply", "donotreply",
};

static bool
robot_sender(const char *sender)
{
	const char *at = strrchr(sender, '@');
	size_t llen = at != NULL ? (size_t)(at - sender) : strlen(sender);
	char *local = xstrndup(sender, llen);
	bool robot = false;

	str_lower(local);
	for (size_t i = 0; i < N_ELEMENTS(robot_locals) && !robot; i++)
		robot = strcmp(local, robot_locals[i]) == 0;
	if (!robot)
		robot = str_has_prefix_case(local, "owner-") ||
			str_has_suffix_case(local, "-request") ||
			str_has_suffix_case(local, "-owner") ||
			str_has_prefix_case(local, "mailer-daemon");
	free(local);
	return robot;
}

static const char *const list_headers[] = {
    "list-id",		"list-owner", "list-subscribe", "list-post",
    "list-unsubscribe", "list-help",  "list-archive",
};

static bool
addressed_to(struct msg *msg, const struct strlist *mine)
{
	static const char *const hdrs[] = {
	    "to", "cc", "bcc", "resent-to", "resent-cc", "resent-bcc"};

	for (size_t h = 0; h < N_ELEMENTS(hdrs); h++) {
		struct msg_addrlist l = {0};
		bool found = false;

		msg_addr_header(msg, hdrs[h], &l);
		for (size_t i = 0; i < l.n && !found; i++) {
			char *a;

			if (l.v[i].domain == NULL)
				continue;
			a = xasprintf("%s@%s", l.v[i].local, l.v[i].domain);
			found = strlist_contains_case(mine, a);
			free(a);
		}
		msg_addrlist_free(&l);
		if (found)
			return true;
	}
	return false;
}

int
vacation_decide(struct msg *msg, const struct action *a, const char *recipient,
		const struct vacation_records *store, const char **reason_r)
{
	const char *sender = msg_envelope_from(msg);
	struct strlist mine = {0};
	char *v;
	int r;

	*reason_r = NULL;
	if (sender == NULL || *sender == '\0' || strcmp(sender, "<>") == 0) {
		*reason_r = "the sender is the null address";
		return 0;
	}
	if (robot_sender(sender)) {
		*reason_r = "the sender is a mail program";
		return 0;
	}
	v = msg_header_get(msg, "auto-submitted", false);
	if (v != NULL && strcasecmp(str_trim(v), "no") != 0) {
		free(v);
		*reason_r = "the message is auto-submitted";
		return 0;
	}
	free(v);
	for (size_t i = 0; i < N_ELEMENTS(list_headers); i++)
		if (msg_header_exists(msg, list_headers[i])) {
			*reason_r = "the message comes from a mailing list";
			return 0;
		}
	v = msg_header_get(msg, "precedence", false);
	if (v != NULL) {
		str_trim(v);
		if (strcasecmp(v, "bulk") == 0 || strcasecmp(v, "list") == 0 ||
		    strcasecmp(v, "junk") == 0) {
			free(v);
			*reason_r = "the message is bulk mail";
			return 0;
		}
		free(v);
	}
	if (recipient != NULL)
		strlist_add(&mine, recipient);
	for (size_t i = 0; i < a->args.n; i++)
		strlist_add(&mine, a->args.v[i]);
	if (strlist_contains_case(&mine, sender)) {
		strlist_free(&mine);
		*reason_r = "the sender is one of our addresses";
		return 0;
	}
	if (!addressed_to(msg, &mine)) {
		strlist_free(&mine);
		*reason_r = "the message is not addressed to us";
		return 0;
	}
	strlist_free(&mine);
	if (store == NULL)
		return 1;
	r = store->seen(store->ctx, sender,
			a->vac_handle != NULL ? a->vac_handle : "",
			clock_now() - a->vac_seconds);
	if (r < 0)
		return -1;
	if (r > 0) {
		*reason_r = "already replied to this sender in the period";
		return 0;
	}
	if (store->record(store->ctx, sender,
			  a->vac_handle != NULL ? a->vac_handle : "",
			  clock_now()) < 0)
		return -1;
	return 1;
}
