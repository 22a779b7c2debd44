/*
 * pipeline.h - what happens to one message, the same for `ackmail
 * deliver` and `ackmail poll`: parse -> rules -> result -> execute, with
 * the store records in the caller's transaction.
 */
#ifndef ACKMAIL_PIPELINE_H
#define ACKMAIL_PIPELINE_H

#include <stdbool.h>

#include "util.h"

struct msg;
struct store;

struct pipeline_opts {
	const struct config *config;
	struct store *store; /* open; the caller owns the transaction */
	/* poll: keep/fileinto are carried out on the IMAP server by the
	   caller; the pipeline only reports them in the outcome */
	bool remote;
	const char *local_maildir; /* a local Maildir copy, or NULL */
};

struct pipeline_outcome {
	enum outcome outcome;
	bool keep;		/* stays in the default mailbox */
	struct strlist folders; /* fileinto targets, as the rules wrote
				   them, without INBOX */
	struct strlist flags;	/* IMAP flags the rules set */
	struct str summary;	/* "keep; fileinto Support" */
};

/* Runs msg through the rules and executes the result. Returns 0 with
   out filled (out->outcome says whether the message is safely handled),
   or -1 on an error that leaves nothing done (reason in *error_r).
   Free out with pipeline_outcome_free. */
int pipeline_run(struct msg *msg, const struct pipeline_opts *opts,
		 struct pipeline_outcome *out, const char **error_r);
void pipeline_outcome_free(struct pipeline_outcome *out);

#endif
