/*
 * cmd-check.c - ackmail check: validate the configuration and rules.
 */
#include "util.h"
#include "commands.h"

int
cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}
