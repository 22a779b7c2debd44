/*
 * ext-relational.c - the relational extension: RFC 5231; :value and :count live
 * in the shared tag table. Requiring it enables what it names; it has no
 * commands of its own.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_relational = {
    .name = "relational",
};
