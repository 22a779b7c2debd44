/*
 * main.c - the ackmail program: dispatches to one subcommand.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "util.h"
#include "commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"deliver", cmd_deliver, "deliver one message from standard input"},
    {"check", cmd_check, "check the configuration and rules, try messages"},
    {"outbox", cmd_outbox, "list, send or drop outgoing mail"},
    {"notice", cmd_notice, "send and track change notices"},
    {"escalate", cmd_escalate, "move unanswered notices to call-them"},
    {"digest", cmd_digest, "what the technicians should do today"},
    {"customer", cmd_customer,
     "the customer register: add, edit, list, "
     "show, import"},
    {"issue", cmd_issue, "issues: list, show, set, close, reopen"},
    {"message", cmd_message, "list the recorded messages"},
    {"testsuite", cmd_testsuite, "run Sieve test files (.svtest)"},
    {"procmail", cmd_procmail, "run procmailrc files as procmail(1) does"},
    {"formail", cmd_formail, "the formail(1) operations procmail recipes use"},
    {"poll", cmd_poll, "fetch and filter new mail from IMAP mailboxes"},
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ackmail COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < N_ELEMENTS(commands); i++)
		fprintf(fp, "  %-12s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(fp, "\nackmail COMMAND --help shows the options of a "
		    "command.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EX_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("ackmail %s\n", ACKMAIL_VERSION);
		return EX_OK;
	}
	for (size_t i = 0; i < N_ELEMENTS(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "ackmail: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EX_USAGE;
}
