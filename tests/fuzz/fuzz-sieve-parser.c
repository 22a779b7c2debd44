/*
 * fuzz-sieve-parser.c - libFuzzer target: parse and validate arbitrary
 * bytes as a Sieve script (with error recovery), then run it on a small
 * message when it compiles.
 */
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "msg.h"
#include "sieve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char message[] = "From: a+b@example.com\nTo: c@example.org\n"
			      "Subject: =?utf-8?q?h=C3=A9llo?=\n"
			      "Date: Mon, 23 Nov 2026 10:00:00 +0100\n\nbody\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag diag = {0};
	struct rule_program *prog = NULL;

	if (sieve_compile_text("fuzz.sieve", (const char *)data, size, NULL,
			       &prog, &diag) == 0) {
		struct msg *msg = msg_new_copy(message, sizeof(message) - 1);
		struct result *result = result_new();
		struct rule_env env = {0};

		msg_set_envelope(msg, "s@example.com", "c@example.org");
		env.msg = msg;
		sieve_lang.run(prog, &env, result, &diag);
		result_free(&result);
		msg_free(&msg);
		sieve_lang.free(&prog);
	}
	diag_free(&diag);
	return 0;
}
