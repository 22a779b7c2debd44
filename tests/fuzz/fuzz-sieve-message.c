/*
 * fuzz-sieve-message.c - libFuzzer target: a fixed Sieve script whose
 * tests read every part of a message (address lists with their syntax
 * errors, raw 8-bit and encoded header text, MIME parts, variables at
 * their size limit) run on arbitrary bytes as the message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "msg.h"
#include "sieve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char script[] =
    "require [\"fileinto\", \"variables\", \"regex\", \"body\", "
    "\"relational\", \"comparator-i;ascii-numeric\", \"subaddress\"];\n"
    "if address :localpart :matches [\"from\", \"to\", \"cc\"] \"*\" "
    "{ set \"l\" \"${1}\"; }\n"
    "if address :detail :is \"to\" \"\" { set \"d\" \"x\"; }\n"
    "if address :count \"gt\" :comparator \"i;ascii-numeric\" "
    "[\"to\", \"cc\"] \"1\" { set \"c\" \"y\"; }\n"
    "if header :regex \"subject\" \"^(.)(.*)$\" "
    "{ set :quotewildcard :length \"n\" \"${2}${2}${2}\"; }\n"
    "if body :content \"text/html\" :contains \"<\" { set \"h\" \"1\"; }\n"
    "if body :text :contains \"a\" { set \"t\" \"1\"; }\n"
    "fileinto \"F${l}\";\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rule_program *prog;
	struct diag diag = {0};
	struct msg *msg;
	struct result *result;
	struct rule_env env = {0};

	if (prog == NULL &&
	    sieve_compile_text("fuzz.sieve", script, strlen(script), NULL,
			       &prog, &diag) < 0)
		__builtin_trap();
	diag_free(&diag);
	msg = msg_new_copy(data, size);
	result = result_new();
	msg_set_envelope(msg, "s@example.com", "c@example.org");
	env.msg = msg;
	env.dry_run = true;
	sieve_lang.run(prog, &env, result, &diag);
	diag_free(&diag);
	result_free(&result);
	msg_free(&msg);
	return 0;
}
