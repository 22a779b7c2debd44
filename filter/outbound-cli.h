/*
 * outbound-cli.h - outgoing mail for the commands (outbound-cli.c).
 */
#ifndef ACKMAIL_OUTBOUND_CLI_H
#define ACKMAIL_OUTBOUND_CLI_H

#include "util.h"

struct store;
struct support;

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
