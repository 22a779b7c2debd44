/*
 * ext-copy.c - the copy extension (RFC 3894): :copy on redirect and
 * fileinto keeps the implicit keep.
 */
#include "sieve-private.h"

static const struct sieve_tag_def copy_tag[] = {
    {"copy", "copy", SLOT_COPY, 0, 0},
    {NULL, NULL, SLOT_NONE, 0, 0},
};

static const struct sieve_tag_addition additions[] = {
    {"redirect", copy_tag},
    {"fileinto", copy_tag},
    {NULL, NULL},
};

const struct sieve_extension sieve_ext_copy = {
    .name = "copy",
    .tag_additions = additions,
};
