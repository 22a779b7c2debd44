/*
 * act-duplicate.c - the duplicate extension's record (RFC 7352): the
 * message's id is marked as seen only once the message was delivered as
 * the rules said, inside the delivery's state database transaction, so a
 * failed delivery (retried by the MTA) is not taken for a duplicate.
 */
#include "actions.h"
#include "store.h"

static int
duplicate_mark_commit(struct action *a, struct exec_ctx *ctx,
		      enum outcome *outcome_r, const char **error_r)
{
	if (ctx->store == NULL || a->dup_id == NULL)
		return 0;
	if (store_duplicate_record(ctx->store, a->dup_id, clock_now(),
				   a->dup_seconds, error_r) < 0) {
		*outcome_r = OUTCOME_TEMPFAIL;
		return -1;
	}
	return 0;
}

const struct action_def act_duplicate_mark = {
    .name = "duplicate_mark",
    .commit = duplicate_mark_commit,
};
