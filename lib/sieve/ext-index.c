/*
 * ext-index.c - the index extension: RFC 5260 section 6; :index and :last live
 * in sieve_tags_index. Requiring it enables what it names; it has no commands
 * of its own.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_index = {
    .name = "index",
};
