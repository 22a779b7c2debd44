/*
 * notices-cli.h - what the notice, escalate and digest commands share:
 * the configuration, the store, the notices engine with the outbox as its
 * mailer, --now, and the notices step of the delivery pipeline.
 */
#ifndef ACKMAIL_NOTICES_CLI_H
#define ACKMAIL_NOTICES_CLI_H

#include <stdbool.h>

#include "msg.h"
#include "notice.h"
#include "store.h"
#include "support.h"
#include "util.h"

/* What the outbox as a notices mailer works with: the store to queue
   in, and the support core that signs our Message-IDs (NULL: unsigned,
   when [support] has no address). */
struct notices_mailer_ctx {
	struct store *store;
	struct support *support;
};

struct notices_cli {
	struct config *config;
	struct store *store;
	struct notices *notices;
	struct support *support; /* signed Message-IDs; NULL without one */
	char *db_path;
	time_t now;
	struct notices_mailer_ctx mailer_ctx;
};

/* Takes -c/--config FILE and --now TIME out of argv (anywhere), loads
   the configuration, opens the store and the notices engine, sets the
   clock. Returns a sysexits code: EX_OK, or the failure (printed). */
int notices_cli_open(struct notices_cli *cli, int *argc, char **argv);
void notices_cli_close(struct notices_cli *cli);
/* Sends what the outbox has due, within [outbound] flush_budget. */
void notices_cli_flush(struct notices_cli *cli);
/* The outbox as a notices mailer (ctx: a struct notices_mailer_ctx);
   its Message-IDs are the support core's signed ones, as those of
   acknowledgements, so that replies to reminders, on-duty mails and
   digests are recognised as answers to our mail. */
extern const struct notice_mailer notices_cli_mailer_template;
/* A new Message-ID for mail we send: the support core's signed one when
   [support] is configured. Caller frees. */
char *notices_cli_message_id(struct notices_cli *cli, int64_t issue,
			     const char *kind);
/* Prints a notice as one JSON object (no newline). */
void notices_cli_json(struct str *out, const struct store_notice *n);
/* An RFC 5322 date or ISO time in the desk's zone: "Mon 23 Nov 17:00". */
void notices_cli_when(const struct notices_cli *cli, time_t t, char *buf,
		      size_t size);

#endif
