/*
 * cmd-check.c - ackmail check: compile a rule file and report every
 * error; with messages, run the rules on each and print the actions as
 * JSON lines (the implicit keep included), one block per message.
 *
 *   ackmail check -r RULES [-c CONFIG] [-f SENDER] [-a RECIPIENT] [MSG...]
 *
 * Exit 0 when the rules are clean, 65 (EX_DATAERR) on errors, 64 on a
 * usage error, 66 when a message cannot be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "engine.h"
#include "msg.h"
#include "sieve.h"
#include "util.h"
#include "commands.h"

/* The rule languages, tried in order by detect(); the first is the
   default when none recognises the file. */
static const struct rule_lang *const langs[] = {
    &sieve_lang,
};

static const struct rule_lang *
pick_lang(const char *path, const char *forced)
{
	char *text = NULL;
	size_t len = 0;
	const struct rule_lang *l = langs[0];

	for (size_t i = 0; forced != NULL && i < N_ELEMENTS(langs); i++)
		if (strcmp(langs[i]->name, forced) == 0)
			return langs[i];
	if (path_read_file(path, 1 << 20, &text, &len) < 0)
		return l;
	for (size_t i = 0; i < N_ELEMENTS(langs); i++)
		if (langs[i]->detect(text, len) > 0) {
			l = langs[i];
			break;
		}
	free(text);
	return l;
}

static void
usage(void)
{
	fprintf(stderr, "usage: ackmail check [-c CONFIG] -r RULES "
			"[-l sieve|procmail] [-f SENDER] [-a RECIPIENT] "
			"[MESSAGE...]\n");
}

int
cmd_check(int argc, char **argv)
{
	const char *rules = NULL, *sender = NULL, *rcpt = NULL;
	const char *conf_path = NULL, *forced = NULL;
	struct config *config = NULL;
	struct rule_program *prog = NULL;
	struct diag diag = {0};
	struct str out = STR_INIT;
	const struct rule_lang *lang;
	char *err = NULL;
	int c, status = EX_OK;

	optind = 1;
	while ((c = getopt(argc, argv, "a:c:f:l:r:")) != -1) {
		switch (c) {
		case 'a':
			rcpt = optarg;
			break;
		case 'c':
			conf_path = optarg;
			break;
		case 'f':
			sender = optarg;
			break;
		case 'l':
			forced = optarg;
			break;
		case 'r':
			rules = optarg;
			break;
		default:
			usage();
			return EX_USAGE;
		}
	}
	log_init("ackmail", true, 0);
	if (config_load(conf_path, &config, &err) < 0) {
		fprintf(stderr, "ackmail: %s\n", err);
		free(err);
		return EX_CONFIG;
	}
	if (rules == NULL)
		rules = config_get(config, "rules", NULL, "path");
	if (rules == NULL) {
		config_free(&config);
		usage();
		return EX_USAGE;
	}
	lang = pick_lang(rules, forced);
	if (lang->compile(rules, config, &prog, &diag) < 0) {
		diag_format(&diag, &out);
		fputs(str_c(&out), stderr);
		str_free(&out);
		diag_free(&diag);
		config_free(&config);
		return EX_DATAERR;
	}
	if (diag.n > 0) {
		diag_format(&diag, &out);
		fputs(str_c(&out), stderr);
		str_truncate(&out, 0);
	}
	diag_free(&diag);
	for (int i = optind; i < argc; i++) {
		struct msg *msg = NULL;
		struct result *result = result_new();
		struct rule_env env = {0};
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0 || msg_read_fd(fd, &msg) < 0) {
			fprintf(stderr, "ackmail: %s: %s\n", argv[i],
				strerror(errno));
			if (fd >= 0)
				close(fd);
			result_free(&result);
			status = EX_NOINPUT;
			continue;
		}
		close(fd);
		msg_set_envelope(msg, sender, rcpt);
		env.msg = msg;
		env.config = config;
		env.dry_run = true;
		if (lang->run(prog, &env, result, &diag) < 0 || diag.n > 0) {
			diag_format(&diag, &out);
			fputs(str_c(&out), stderr);
			str_truncate(&out, 0);
		}
		diag_free(&diag);
		result_to_json(result, &out);
		fputs(str_c(&out), stdout);
		str_truncate(&out, 0);
		result_free(&result);
		msg_free(&msg);
	}
	str_free(&out);
	lang->free(&prog);
	config_free(&config);
	return status;
}
