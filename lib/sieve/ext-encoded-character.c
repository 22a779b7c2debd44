/*
 * ext-encoded-character.c - the encoded-character extension: RFC 5228 2.4.2.4;
 * strings are decoded by the validator (sieve-validate.c). Requiring it enables
 * what it names; it has no commands of its own.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_encoded_character = {
    .name = "encoded-character",
};
