/*
 * cmd-deliver.c - ackmail deliver: the local delivery agent. Reads one
 * message on standard input and delivers it; exit 0 only when it is safely
 * stored, 75 when the MTA should retry.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "commands.h"
#include "config-find.h"
#include "pipeline.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: ackmail deliver [-nv] [-c config] [-r rules] "
		"[--lang sieve|procmail]\n"
		"                       [-m maildir | --mbox file] [-f sender] "
		"[-a recipient]\n"
		"                       [--db file] < message\n"
		"\n"
		"  -c, --config FILE     configuration file\n"
		"  -r, --rules FILE      Sieve script or procmailrc\n"
		"      --lang LANG       force the rule language\n"
		"  -m, --maildir DIR     default mailbox (Maildir), default "
		"~/Maildir\n"
		"      --mbox FILE       deliver to an mbox file instead\n"
		"  -f, --from ADDR       envelope sender ('' or <> for "
		"bounces)\n"
		"  -a, --recipient ADDR  envelope recipient\n"
		"      --db FILE         state database\n"
		"  -n, --dry-run         print the actions, do nothing\n"
		"  -v, --verbose         log to standard error too\n");
}

/* "<a@b>" -> "a@b"; "<>" -> "". Caller frees. */
static char *
strip_brackets(const char *addr)
{
	size_t n = strlen(addr);

	if (n >= 2 && addr[0] == '<' && addr[n - 1] == '>')
		return xstrndup(addr + 1, n - 2);
	return xstrdup(addr);
}

int
cmd_deliver(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"rules", required_argument, NULL, 'r'},
	    {"lang", required_argument, NULL, 'L'},
	    {"maildir", required_argument, NULL, 'm'},
	    {"mbox", required_argument, NULL, 'M'},
	    {"from", required_argument, NULL, 'f'},
	    {"recipient", required_argument, NULL, 'a'},
	    {"db", required_argument, NULL, 'D'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct pipeline_opts opts = {0};
	struct pipeline p;
	struct config *config = NULL;
	const char *config_path = NULL, *from = NULL, *to = NULL;
	const char *db = NULL, *error;
	char *maildir = NULL, *dbdefault = NULL, *reject = NULL, *cerr = NULL;
	struct msg *msg;
	struct str out = STR_INIT;
	enum outcome outcome;
	int ch, verbose = 0;

	memset(&p, 0, sizeof(p));
	while ((ch = getopt_long(argc, argv, "c:r:m:f:a:nvh", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'r':
			opts.rules_path = optarg;
			break;
		case 'L':
			opts.lang = optarg;
			break;
		case 'm':
			maildir = xstrdup(optarg);
			break;
		case 'M':
			opts.mbox = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'a':
			to = optarg;
			break;
		case 'D':
			db = optarg;
			break;
		case 'n':
			opts.dry_run = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		case 'V':
			printf("ackmail %s\n", ACKMAIL_VERSION);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	log_init("ackmail", verbose > 0 || isatty(STDERR_FILENO), verbose - 1);

	if (config_find_load(config_path, &config, &cerr) < 0) {
		log_warnx("%s", cerr);
		free(cerr);
		free(maildir);
		return outcome_exit_code(OUTCOME_CONFIG);
	}
	opts.config = config;
	if (maildir == NULL) {
		const char *m = config_get(config, "deliver", NULL, "maildir");

		maildir = m != NULL ? xstrdup(m) : path_home("Maildir");
	}
	opts.maildir = maildir;
	if (opts.mbox == NULL)
		opts.mbox = config_get(config, "deliver", NULL, "mbox");
	/* the state database costs milliseconds to open: a plain delivery
	   (no --db, no [database] path, no support work) does without it */
	if (db == NULL)
		db = config_get(config, "database", NULL, "path");
	if (db == NULL && config_get(config, "support", NULL, "address"))
		db = dbdefault = config_db_path(config);
	opts.db_path = db;
	if (from == NULL)
		from = getenv("SENDER"); /* Postfix mailbox_command */
	if (to == NULL)
		to = getenv("RECIPIENT");

	if (pipeline_init(&p, &opts, &error) < 0) {
		log_warnx("%s", error);
		outcome = OUTCOME_CONFIG;
		goto out;
	}
	if (msg_read_fd(STDIN_FILENO, &msg) < 0) {
		log_warn("reading the message");
		outcome = OUTCOME_TEMPFAIL;
		goto out;
	}
	if (from != NULL) {
		char *f = strip_brackets(from), *t = NULL;

		if (to != NULL)
			t = strip_brackets(to);
		msg_set_envelope(msg, f, t);
		free(f);
		free(t);
	} else if (to != NULL) {
		char *t = strip_brackets(to);

		msg_set_envelope(msg, NULL, t);
		free(t);
	}
	outcome = pipeline_run(&p, msg, &out, &reject);
	if (opts.dry_run)
		fputs(str_c(&out), stdout);
	if (reject != NULL) {
		/* the MTA puts this in its bounce */
		fprintf(stderr, "%s\n", reject);
		free(reject);
	}
	msg_free(&msg);
out:
	pipeline_deinit(&p);
	str_free(&out);
	config_free(&config);
	free(maildir);
	free(dbdefault);
	return outcome_exit_code(outcome);
}
