/*
 * outbound-cli.h - outgoing mail for the commands (outbound-cli.c).
 */
#ifndef ACKMAIL_OUTBOUND_CLI_H
#define ACKMAIL_OUTBOUND_CLI_H

#include "util.h"

struct ack_settings;
struct store;
struct support;

/* Queues template (default "resolved") for the customer who opened issue
   number, with note as {{note}}, records it on the issue as our message
   and marks the customer told. Inside the caller's transaction. Returns
   1 queued, 0 not (logged: nobody to tell, template broken), -1 store
   error. */
int outbound_notice_issue(struct support *support, struct store *store,
			  const struct ack_settings *ack, int64_t number,
			  const char *template, const char *note,
			  const char *lang, const char **error_r);

/* Installs the closed hook: a resolved or closed issue sends its
   customer the "resolved" template with note ({{note}}) in lang. */
void outbound_cli_close_hook(struct support *support, struct store *store,
			     const struct config *config, const char *note,
			     const char *lang);
/* After the commit: sends what the hook queued, within flush_budget. */
void outbound_cli_flush(struct store *store, const struct config *config);
/* `ackmail check`: the [ack] and [outbound] settings and, when support
   work is configured, every acknowledgement template. Appends one line
   per problem to errors; returns the number of problems. */
int outbound_cli_check(const struct config *config, struct str *errors);

#endif
