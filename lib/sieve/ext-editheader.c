/*
 * ext-editheader.c - the editheader extension.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_editheader = {
    .name = "editheader",
};
