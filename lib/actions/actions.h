/*
 * actions.h - how each action of a result is carried out: one file per
 * action (act-*.c), gathered in the table the engine executes with.
 */
#ifndef ACKMAIL_ACTIONS_H
#define ACKMAIL_ACTIONS_H

#include "engine.h"

/* The table indexed by enum action_kind; a NULL entry means the kind
   needs nothing done at delivery time (discard). */
extern const struct action_def *const action_defs[ACTION_KIND_COUNT];

extern const struct action_def act_store;
extern const struct action_def act_discard;
extern const struct action_def act_redirect;
extern const struct action_def act_reject;
extern const struct action_def act_ereject;
extern const struct action_def act_pipe;
extern const struct action_def act_vacation;
extern const struct action_def act_duplicate_mark;

#endif
