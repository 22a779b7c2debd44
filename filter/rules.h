/*
 * rules.h - finding and compiling the user's rule file with the right
 * language (shared by deliver, check and poll).
 */
#ifndef ACKMAIL_RULES_H
#define ACKMAIL_RULES_H

#include "engine.h"

/* The rule languages ackmail knows, NULL-terminated. */
extern const struct rule_lang *const rule_langs[];

/* Finds a language by name ("sieve", "procmail"), or NULL. */
const struct rule_lang *rules_lang_by_name(const char *name);
/* Picks the language of path: forced by lang (may be NULL or "auto"),
   else detected from the content. Returns NULL with *error_r set. */
const struct rule_lang *rules_lang_for(const char *path, const char *lang,
				       const char **error_r);

#endif
