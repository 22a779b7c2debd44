/*
 * ext-duplicate.c - the duplicate extension.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_duplicate = {
    .name = "duplicate",
};
