/*
 * fuzz-sieve-lexer.c - libFuzzer target: the Sieve lexer on arbitrary
 * bytes must always reach the end without crashing or looping.
 */
#include <stddef.h>
#include <stdint.h>

#include "sieve-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sieve_lexer lx;
	struct sieve_token tok = {0};

	str_init(&tok.text);
	sieve_lexer_init(&lx, (const char *)data, size);
	for (size_t n = 0; n <= size + 1; n++) {
		sieve_lexer_next(&lx, &tok);
		if (tok.type == TOK_EOF)
			break;
		if (tok.type == TOK_ERROR && lx.p >= lx.end)
			break;
	}
	str_free(&tok.text);
	return 0;
}
