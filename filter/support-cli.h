/*
 * support-cli.h - what the support commands (customer, issue, message)
 * share: the configuration and the state database, and small printers.
 */
#ifndef ACKMAIL_SUPPORT_CLI_H
#define ACKMAIL_SUPPORT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store.h"
#include "util.h"

struct support_cli {
	struct config *config;
	struct store *store;
};

/* Loads the configuration (config_path or the usual places) and opens
   the database (db, else [database] path, else the default). Prints the
   error and returns a sysexits code on failure, 0 on success. */
int support_cli_open(struct support_cli *cli, const char *config_path,
		     const char *db);
void support_cli_close(struct support_cli *cli);
/* Formats t as ISO 8601 UTC, "" for 0, into buf. */
const char *support_cli_time(time_t t, char *buf, size_t size);
/* The exit code for a store error (75 when transient), after printing. */
int support_cli_store_error(struct support_cli *cli, const char *what,
			    const char *error);

#endif
