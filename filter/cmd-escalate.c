/*
 * cmd-escalate.c - ackmail escalate: every waiting notice past its
 * deadline becomes "call them"; due reminders go out; the on-duty
 * technician gets one mail about the notices escalated now. Idempotent:
 * cron, the systemd timer and the poll daemon may all run it.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "commands.h"
#include "notices-cli.h"

int
cmd_escalate(int argc, char **argv)
{
	struct notices_cli cli;
	struct store_notice_list l = {0};
	const char *error;
	bool json = false, quiet = false;
	int ret, n;

	if (argc == 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: ackmail escalate [-c CONFIG] [--now TIME] "
		       "[--json] [--quiet]\n");
		return EX_OK;
	}
	if ((ret = notices_cli_open(&cli, &argc, argv)) != EX_OK) {
		notices_cli_close(&cli);
		return ret;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "-q") == 0 ||
			 strcmp(argv[i], "--quiet") == 0)
			quiet = true;
		else {
			fprintf(stderr, "usage: ackmail escalate [-c CONFIG] "
					"[--now TIME] [--json] [--quiet]\n");
			notices_cli_close(&cli);
			return EX_USAGE;
		}
	}
	if (store_begin(cli.store, &error) < 0 ||
	    (n = notices_escalate(cli.notices, cli.now, &l, &error)) < 0 ||
	    store_commit(cli.store, &error) < 0) {
		store_rollback(cli.store);
		fprintf(stderr, "ackmail: escalate: %s\n", error);
		store_notice_list_free(&l);
		ret = store_error_transient(cli.store) ? EX_TEMPFAIL
						       : EX_SOFTWARE;
		notices_cli_close(&cli);
		return ret;
	}
	for (size_t i = 0; i < l.n; i++) {
		if (json) {
			struct str s = STR_INIT;

			notices_cli_json(&s, &l.v[i]);
			printf("%s\n", str_c(&s));
			str_free(&s);
		} else if (!quiet)
			printf("call them: notice %lld to %s: %s (%s)\n",
			       (long long)l.v[i].id, l.v[i].to, l.v[i].subject,
			       l.v[i].reason);
	}
	if (!json && !quiet)
		printf("%d notice%s escalated\n", n, n == 1 ? "" : "s");
	store_notice_list_free(&l);
	if (notices_queued(cli.notices) > 0)
		notices_cli_flush(&cli);
	notices_cli_close(&cli);
	return EX_OK;
}
