/*
 * folder.c - folder names from rules: checking them and mapping them to
 * Maildir++ directories.
 */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "deliver-private.h"

int
folder_name_check(const char *folder, const char **error_r)
{
	const char *p, *comp;
	size_t len;

	if (folder == NULL || *folder == '\0') {
		*error_r = "empty folder name";
		return -1;
	}
	if (*folder == '/') {
		*error_r = deliver_error(false,
					 "folder name \"%s\" is an "
					 "absolute path",
					 folder);
		return -1;
	}
	for (p = folder; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f) {
			*error_r = "folder name contains a control character";
			return -1;
		}
	}
	/* every /-separated component must be a real name: no "", "."
	   or ".." (which would leave the Maildir root) */
	for (comp = folder;; comp = p + 1) {
		p = strchr(comp, '/');
		len = p != NULL ? (size_t)(p - comp) : strlen(comp);
		if (len == 0 || (len == 1 && comp[0] == '.') ||
		    (len == 2 && comp[0] == '.' && comp[1] == '.')) {
			*error_r = deliver_error(
			    false,
			    "folder name \"%s\" has an empty, \".\" "
			    "or \"..\" component",
			    folder);
			return -1;
		}
		if (p == NULL)
			break;
	}
	/* the Maildir++ directory name is "." + name: it must fit */
	if (strlen(folder) + 1 > NAME_MAX) {
		*error_r = "folder name too long";
		return -1;
	}
	return 0;
}

char *
maildir_folder_path(const char *root, const char *folder)
{
	size_t rlen = strlen(root);
	struct str s = STR_INIT;

	/* "dir/" and "dir" are the same Maildir */
	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	str_append_n(&s, root, rlen);
	if (folder == NULL || *folder == '\0' ||
	    strcasecmp(folder, "INBOX") == 0)
		return str_steal(&s);
	str_append(&s, "/.");
	for (const char *p = folder; *p != '\0'; p++)
		str_appendc(&s, *p == '/' ? '.' : *p);
	return str_steal(&s);
}
