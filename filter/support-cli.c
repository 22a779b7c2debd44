/*
 * support-cli.c - configuration and database for the support commands.
 */
#include <stdlib.h>
#include <sysexits.h>

#include "config-find.h"
#include "support-cli.h"

int
support_cli_open(struct support_cli *cli, const char *config_path,
		 const char *db)
{
	char *cerr = NULL, *dbdefault = NULL;
	const char *error;
	long busy = 30;

	cli->config = NULL;
	cli->store = NULL;
	log_init("ackmail", true, 0);
	if (config_find_load(config_path, &cli->config, &cerr) < 0) {
		fprintf(stderr, "ackmail: %s\n", cerr);
		free(cerr);
		return EX_CONFIG;
	}
	if (db == NULL)
		db = dbdefault = config_db_path(cli->config);
	config_get_duration(cli->config, "database", "busy_timeout", 30, &busy);
	if (store_open(db, busy * 1000, &cli->store, &error) < 0) {
		fprintf(stderr, "ackmail: %s\n", error);
		free(dbdefault);
		config_free(&cli->config);
		return EX_TEMPFAIL;
	}
	free(dbdefault);
	return 0;
}

void
support_cli_close(struct support_cli *cli)
{
	store_close(&cli->store);
	config_free(&cli->config);
}

const char *
support_cli_time(time_t t, char *buf, size_t size)
{
	if (t == 0) {
		buf[0] = '\0';
		return buf;
	}
	clock_iso8601(t, buf, size);
	return buf;
}

int
support_cli_store_error(struct support_cli *cli, const char *what,
			const char *error)
{
	fprintf(stderr, "ackmail: %s: %s\n", what, error);
	return store_error_transient(cli->store) ? EX_TEMPFAIL : EX_DATAERR;
}
