/*
 * act-table.c - the action table handed to result_execute().
 */
#include "actions.h"

const struct action_def *const action_defs[ACTION_KIND_COUNT] = {
    [ACTION_STORE] = &act_store,
    [ACTION_DISCARD] = &act_discard,
    [ACTION_REDIRECT] = &act_redirect,
    [ACTION_REJECT] = &act_reject,
    [ACTION_EREJECT] = &act_ereject,
    [ACTION_PIPE] = &act_pipe,
    [ACTION_VACATION] = &act_vacation,
    [ACTION_DUPLICATE_MARK] = &act_duplicate_mark,
};
