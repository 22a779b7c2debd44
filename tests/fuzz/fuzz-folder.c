/*
 * fuzz-folder.c - folder names from rules: a name that passes
 * folder_name_check must map to a directory directly inside the Maildir
 * root, never outside it.
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
	char *name = xstrndup((const char *)data, size);
	const char *err = NULL;
	char *path;

	if (folder_name_check(name, &err) < 0) {
		if (err == NULL)
			abort();
		free(name);
		return 0;
	}
	path = maildir_folder_path("/r", name);
	/* "/r" itself, or "/r/." + one component without a slash */
	if (strcmp(path, "/r") != 0 &&
	    (strncmp(path, "/r/.", 4) != 0 || strchr(path + 3, '/') != NULL ||
	     strcmp(path, "/r/..") == 0))
		abort();
	free(path);
	free(name);
	return 0;
}
