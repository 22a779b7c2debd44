/*
 * cmd-check.c - ackmail check: validate the configuration and the rules,
 * and show what the rules would do with some messages.
 *
 *   ackmail check [-c config]                      the configuration
 *   ackmail check -r RULES                         compile, report errors
 *   ackmail check -r RULES [-f S] [-a R] MSG...    actions as JSON lines
 *                                                  (with more than one MSG,
 *                                                  each line names its file
 *                                                  in a first member
 *                                                  "message")
 *   ackmail check --ir -r RULES                    the rules' IR listing
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "commands.h"
#include "outbound-cli.h"
#include "config-find.h"
#include "msg.h"
#include "rules.h"

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ackmail check [-c config] [-r rules] "
		    "[--lang sieve|procmail] [--ir]\n"
		    "                     [-f sender] [-a recipient] "
		    "[message ...]\n");
}

/* Prints the JSON lines in json, each object with a first member
   "message":tag when tag is not NULL. */
static void
print_json_lines(const char *json, const char *tag)
{
	struct str line = STR_INIT;

	while (*json != '\0') {
		const char *nl = strchr(json, '\n');
		size_t n = nl != NULL ? (size_t)(nl - json) : strlen(json);

		str_truncate(&line, 0);
		if (tag != NULL && n > 1 && json[0] == '{') {
			str_append(&line, "{\"message\":");
			str_append_json(&line, tag);
			if (json[1] != '}')
				str_appendc(&line, ',');
			str_append_n(&line, json + 1, n - 1);
		} else {
			str_append_n(&line, json, n);
		}
		str_appendc(&line, '\n');
		fputs(str_c(&line), stdout);
		json += nl != NULL ? n + 1 : n;
	}
	str_free(&line);
}

/* Evaluates one message file; prints its actions (each line tagged with
   the file name when tag). Returns 0/-1. */
static int
check_message(const struct rule_lang *lang, struct rule_program *prog,
	      const struct config *config, const char *file, const char *from,
	      const char *to, bool tag)
{
	struct result *result;
	struct rule_env env = {0};
	struct diag diag = {0};
	struct str out = STR_INIT;
	struct msg *msg;
	int fd = strcmp(file, "-") == 0 ? STDIN_FILENO : open(file, O_RDONLY);

	if (fd < 0 || msg_read_fd(fd, &msg) < 0) {
		fprintf(stderr, "ackmail: %s: cannot read\n", file);
		if (fd > STDIN_FILENO)
			close(fd);
		return -1;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	msg_set_envelope(msg, from, to);
	result = result_new();
	env.msg = msg;
	env.config = config;
	env.dry_run = true;
	if (lang->run(prog, &env, result, &diag) < 0) {
		/* runtime error: implicit keep, as Pigeonhole does */
		result_reset(result);
	}
	diag_format(&diag, &out);
	if (out.len > 0)
		fputs(str_c(&out), stderr);
	str_truncate(&out, 0);
	result_to_json(result, &out);
	print_json_lines(str_c(&out), tag ? file : NULL);
	str_free(&out);
	diag_free(&diag);
	result_free(&result);
	msg_free(&msg);
	return 0;
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"rules", required_argument, NULL, 'r'},
	    {"lang", required_argument, NULL, 'L'},
	    {"from", required_argument, NULL, 'f'},
	    {"recipient", required_argument, NULL, 'a'},
	    {"ir", no_argument, NULL, 'I'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config_path = NULL, *rules = NULL, *lang_name = NULL;
	const char *from = "sender@example.com", *to = "recipient@example.com";
	const struct rule_lang *lang;
	struct rule_program *prog = NULL;
	struct config *config = NULL;
	struct diag diag = {0};
	struct str errors = STR_INIT;
	const char *error;
	char *cerr = NULL;
	int ch, rc = EX_OK;
	bool dump_ir = false;

	while ((ch = getopt_long(argc, argv, "c:r:f:a:h", longopts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'r':
			rules = optarg;
			break;
		case 'L':
			lang_name = optarg;
			break;
		case 'I':
			dump_ir = true;
			break;
		case 'f':
			from = optarg;
			break;
		case 'a':
			to = optarg;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	log_init("ackmail", true, 0);
	if (config_find_load(config_path, &config, &cerr) < 0) {
		fprintf(stderr, "%s\n", cerr);
		free(cerr);
		return EX_CONFIG;
	}
	if (config_validate(config, &errors) > 0) {
		fputs(str_c(&errors), stderr);
		str_free(&errors);
		config_free(&config);
		return EX_CONFIG;
	}
	str_free(&errors);
	/* acknowledgement templates and outgoing mail settings */
	if (outbound_cli_check(config, &errors) > 0) {
		fputs(str_c(&errors), stderr);
		str_free(&errors);
		config_free(&config);
		return EX_CONFIG;
	}
	str_free(&errors);
	if (rules == NULL)
		rules = config_get(config, "rules", NULL, "path");
	if (rules == NULL) {
		if (optind < argc) {
			fprintf(stderr, "ackmail: messages given but no rules "
					"(-r)\n");
			config_free(&config);
			return EX_USAGE;
		}
		config_free(&config);
		return EX_OK;
	}
	if ((lang = rules_lang_for(rules, lang_name, &error)) == NULL) {
		fprintf(stderr, "ackmail: %s\n", error);
		config_free(&config);
		return EX_DATAERR;
	}
	if (lang->compile(rules, config, &prog, &diag) < 0) {
		diag_format(&diag, &errors);
		fputs(str_c(&errors), stderr);
		str_free(&errors);
		diag_free(&diag);
		config_free(&config);
		/* with messages, each gets the implicit keep the delivery
		   would give it, so the output stays comparable */
		for (int i = optind; i < argc; i++)
			print_json_lines(
			    "{\"action\":\"error\",\"reason\":\"compile\"}\n",
			    argc - optind > 1 ? argv[i] : NULL);
		return EX_DATAERR;
	}
	diag_format(&diag, &errors);
	if (errors.len > 0)
		fputs(str_c(&errors), stderr);
	str_free(&errors);
	diag_free(&diag);
	if (dump_ir) {
		const struct ir_program *ir =
		    lang->ir != NULL ? lang->ir(prog) : NULL;

		if (ir == NULL) {
			fprintf(stderr,
				"ackmail: %s rules are not lowered to the "
				"IR\n",
				lang->name);
			rc = EX_DATAERR;
		} else {
			ir_dump(ir, &errors);
			fputs(str_c(&errors), stdout);
			str_free(&errors);
		}
	}
	for (int i = optind; i < argc; i++)
		if (check_message(lang, prog, config, argv[i], from, to,
				  argc - optind > 1) < 0)
			rc = EX_NOINPUT;
	lang->free(&prog);
	config_free(&config);
	return rc;
}
