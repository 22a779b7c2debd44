/*
 * ext-regex.c - the regex extension: draft-ietf-sieve-regex; the :regex match
 * type lives in the shared tag table (sieve-ext.c) and lib/match. Requiring it
 * enables what it names; it has no commands of its own.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_regex = {
    .name = "regex",
};
