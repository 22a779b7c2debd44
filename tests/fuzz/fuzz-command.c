/*
 * fuzz-command.c - pipe commands from rules: splitting into words and
 * the shell decision, on arbitrary text. Words never contain the quotes
 * that delimited them unless escaped, and a split never crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deliver.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cmd = xstrndup((const char *)data, size);
	struct strlist argv = {NULL, 0, 0};
	const char *err = NULL;
	int r;

	(void)pipe_needs_shell(cmd);
	r = pipe_split(cmd, &argv, &err);
	if (r == 0) {
		if (argv.n == 0 || argv.v[argv.n] != NULL)
			abort();
		/* a command without quotes or backslashes splits into
		   exactly its blank-separated words */
		if (strpbrk(cmd, "'\"\\") == NULL) {
			struct strlist words = {NULL, 0, 0};

			strlist_split(&words, cmd, " \t\n");
			if (words.n != argv.n)
				abort();
			for (size_t i = 0; i < argv.n; i++)
				if (strcmp(words.v[i], argv.v[i]) != 0)
					abort();
			strlist_free(&words);
		}
	} else if (err == NULL) {
		abort();
	}
	strlist_free(&argv);
	free(cmd);
	return 0;
}
