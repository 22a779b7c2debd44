/*
 * ext-include.c - the include extension.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_include = {
    .name = "include",
};
