/*
 * pipeline.h - what happens to one message: rules, then the result
 * executed inside a store transaction, then the log line. Shared by
 * ackmail deliver and ackmail poll.
 */
#ifndef ACKMAIL_PIPELINE_H
#define ACKMAIL_PIPELINE_H

#include <stdbool.h>

#include "engine.h"
#include "msg.h"
#include "util.h"

struct store;
struct support;
struct pipeline_outbound;
struct pipeline_notices;
struct ack_settings;

struct pipeline_opts {
	const struct config *config;
	const char *rules_path; /* NULL: [rules] path, else no rules */
	const char *lang;	/* NULL/"auto", "sieve", "procmail" */
	const char *maildir;	/* default mailbox root */
	const char *mbox;	/* or an mbox file */
	const char *db_path;	/* NULL: no state database */
	bool dry_run;
	/* for ackmail poll: its own action table (NULL: action_defs, the
	   local delivery), reachable context for it (exec_ctx.defs_ctx),
	   a step run inside the store transaction after the actions
	   succeeded and before the commit (0, or -1: TEMPFAIL, rolled
	   back), and a prefix for the log line ("imap acct/INBOX uid 7:") */
	const struct action_def *const *defs;
	void *defs_ctx;
	int (*before_commit)(struct exec_ctx *ctx, struct store *store,
			     const char **error_r);
	const char *log_prefix;
};

struct pipeline {
	struct pipeline_opts opts;
	const struct rule_lang *lang;
	struct rule_program *prog;
	bool rules_broken;
	char *default_rules; /* where the standard flow came from, or NULL */
	struct store *store;
	long busy_timeout_ms;
	struct support *support; /* NULL: no support work (yet) */
	bool support_off;	 /* no [support] address: plain LDA */
	struct pipeline_outbound *outbound; /* acks and the outbox */
	struct pipeline_notices *notices;   /* change notices */
};

/* Compiles the rules (errors are logged; mail still goes to the default
   mailbox). Returns 0, or -1 on a configuration error (*error_r). */
int pipeline_init(struct pipeline *p, const struct pipeline_opts *opts,
		  const char **error_r);
void pipeline_deinit(struct pipeline *p);
/* Opens the state database when one is configured (once). 0/-1. */
int pipeline_store(struct pipeline *p, struct store **store_r,
		   const char **error_r);
/* Runs one message through the rules and delivers it. In dry-run mode
   the actions are appended to dry_out as JSON lines and nothing is
   done. Returns the outcome; *reject_r gets a rejection reason (caller
   frees) when the rules refused the message. */
enum outcome pipeline_run(struct pipeline *p, struct msg *msg,
			  struct str *dry_out, char **reject_r);

/* ---- the support core's steps (pipeline-support.c) ----
   Each returns 0, or -1 with an error (the message is then deferred:
   the store's errors are transient). */
/* Opens the support core on first use and analyses msg (before rules).
   With no rule program (none configured, or it does not compile) it
   loads the standard flow, rules/default.sieve. */
int pipeline_support_analyze(struct pipeline *p, struct msg *msg,
			     const char **error_r);
/* Applies the result's ACTION_SUPPORT actions. */
int pipeline_support_plan(struct pipeline *p, struct result *result,
			  const char **error_r);
/* Records the message on its issue; inside the store transaction. */
int pipeline_support_record(struct pipeline *p, const char **error_r);
void pipeline_support_done(struct pipeline *p);
/* Compiles the standard flow: rules/default.sieve of the source tree
   this binary was built in, else DATADIR/rules/default.sieve, else the
   copy built into the binary. *from_r (caller frees) says which. 0, or
   -1 when not even the built-in copy compiles. */
int pipeline_support_default_rules(const struct config *config,
				   struct rule_program **prog_r, char **from_r);

/* ---- change notices (pipeline-notices.c) ---- */
/* Installs the notices hooks on the support core (once), chained after
   the ones already there: mail to the tracking address records notices,
   every recorded message may end some. */
void pipeline_notices_attach(struct pipeline *p);
void pipeline_notices_free(struct pipeline *p);

/* ---- outgoing mail (pipeline-outbound.c) ---- */
/* Installs the acknowledgement hook on the support core (once). */
void pipeline_outbound_attach(struct pipeline *p);
/* After the commit: sends what is due for at most [outbound]
   flush_budget (in a child process, killed when the time is up). */
void pipeline_outbound_flush(struct pipeline *p);
void pipeline_outbound_free(struct pipeline *p);

#endif
