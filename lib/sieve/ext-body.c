/*
 * ext-body.c - the body extension.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_body = {
    .name = "body",
};
