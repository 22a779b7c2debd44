/*
 * cmd-testsuite.c - ackmail testsuite FILE.svtest...: runs Sieve test
 * files written with the vnd.dovecot.testsuite commands, prints each
 * test block's result and a final "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "sieve.h"
#include "util.h"
#include "commands.h"

int
cmd_testsuite(int argc, char **argv)
{
	struct sieve_testsuite_stats stats = {0, 0};
	struct str out = STR_INIT;

	if (argc == 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: ackmail testsuite FILE.svtest...\n");
		return EX_OK;
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: ackmail testsuite FILE.svtest...\n");
		return EX_USAGE;
	}
	log_init("ackmail", true, 0);
	for (int i = 1; i < argc; i++) {
		str_truncate(&out, 0);
		str_printf(&out, "# %s\n", argv[i]);
		sieve_testsuite_run(argv[i], &out, &stats);
		fputs(str_c(&out), stdout);
		fflush(stdout);
	}
	str_free(&out);
	printf("%d passed, %d failed\n", stats.passed, stats.failed);
	return stats.failed > 0 ? 1 : EX_OK;
}
