/*
 * ext-numeric.c - the comparator-i;ascii-numeric extension: RFC 4790
 * i;ascii-numeric comparator, in lib/match. Requiring it enables what it names;
 * it has no commands of its own.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_numeric = {
    .name = "comparator-i;ascii-numeric",
};
