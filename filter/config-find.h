/*
 * config-find.h - where the configuration file is: -c, $ACKMAIL_CONFIG,
 * ~/.config/ackmail/ackmail.conf, /etc/ackmail.conf.
 */
#ifndef ACKMAIL_CONFIG_FIND_H
#define ACKMAIL_CONFIG_FIND_H

#include "util.h"

/* Loads the file given, or the first that exists of the usual places, or
   an empty configuration. Returns 0, or -1 with *error_r (caller frees). */
int config_find_load(const char *path, struct config **config_r,
		     char **error_r);

/* The state database: [database] path, or
   ~/.local/share/ackmail/ackmail.db. Caller frees. */
char *config_db_path(const struct config *config);

#endif
