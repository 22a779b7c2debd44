/*
 * ext-vacation-seconds.c - the vacation-seconds extension: RFC 6131; the
 * :seconds tag of vacation (ext-vacation.c). Requiring it enables what it
 * names; it has no commands of its own.
 */
#include "sieve-private.h"

const struct sieve_extension sieve_ext_vacation_seconds = {
    .name = "vacation-seconds",
};
