/*
 * ext-subaddress.c - the subaddress extension: RFC 5233; :user and :detail live
 * in the shared address-part table. Requiring it enables what it names; it has
 * no commands of its own.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_subaddress = {
    .name = "subaddress",
};
