/*
 * cmd-control.c - the control commands of RFC 5228 section 3: require,
 * if/elsif/else and stop. if/elsif/else chains and stop are lowered to
 * jumps and STOP (sieve-lower.c).
 */
#include "sieve-private.h"

static int
require_validate(struct sieve_valid *v, struct sieve_node *n)
{
	return 0; /* handled before validation (collect_requires) */
}

const struct sieve_cmd_def sieve_cmd_require = {
    .name = "require",
    .kind = DEF_COMMAND,
    .pos = "L",
    .validate = require_validate,
};

const struct sieve_cmd_def sieve_cmd_if = {
    .name = "if",
    .kind = DEF_COMMAND,
    .pos = "",
    .lower = LOWER_IF,
    .tests = 1,
    .block = 1,
};

const struct sieve_cmd_def sieve_cmd_elsif = {
    .name = "elsif",
    .kind = DEF_COMMAND,
    .pos = "",
    .lower = LOWER_ELSIF,
    .tests = 1,
    .block = 1,
};

const struct sieve_cmd_def sieve_cmd_else = {
    .name = "else",
    .kind = DEF_COMMAND,
    .pos = "",
    .lower = LOWER_ELSE,
    .block = 1,
};

const struct sieve_cmd_def sieve_cmd_stop = {
    .name = "stop",
    .kind = DEF_COMMAND,
    .pos = "",
    .lower = LOWER_STOP,
};
