/*
 * cmd-deliver.c - ackmail deliver: the local delivery agent.
 */
#include "util.h"
#include "commands.h"

int
cmd_deliver(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}
