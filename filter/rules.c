/*
 * rules.c - the table of rule languages and language detection.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "rules.h"
#include "procmail.h"
#include "sieve.h"

/* procmail first: its detection is strict (recipes, assignments, no
   "require"), Sieve's takes any script that starts like a command */
const struct rule_lang *const rule_langs[] = {
    &procmail_lang,
    &sieve_lang,
    NULL,
};

const struct rule_lang *
rules_lang_by_name(const char *name)
{
	for (size_t i = 0; rule_langs[i] != NULL; i++)
		if (strcmp(rule_langs[i]->name, name) == 0)
			return rule_langs[i];
	return NULL;
}

const struct rule_lang *
rules_lang_for(const char *path, const char *lang, const char **error_r)
{
	static char buf[512];
	char *text;
	size_t len;
	const struct rule_lang *found = NULL;

	if (lang != NULL && strcmp(lang, "auto") != 0) {
		found = rules_lang_by_name(lang);
		if (found == NULL) {
			snprintf(buf, sizeof(buf), "unknown rule language '%s'",
				 lang);
			*error_r = buf;
		}
		return found;
	}
	if (path_read_file(path, 16 << 20, &text, &len) < 0) {
		snprintf(buf, sizeof(buf), "%s: %s", path, strerror(errno));
		*error_r = buf;
		return NULL;
	}
	for (size_t i = 0; rule_langs[i] != NULL && found == NULL; i++)
		if (rule_langs[i]->detect(text, len) > 0)
			found = rule_langs[i];
	free(text);
	if (found == NULL) {
		snprintf(buf, sizeof(buf),
			 "%s: cannot tell the rule language (use --lang)",
			 path);
		*error_r = buf;
	}
	return found;
}
