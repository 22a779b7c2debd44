/*
 * config-schema.h - the known configuration keys (private to util/).
 */
#ifndef ACKMAIL_CONFIG_SCHEMA_H
#define ACKMAIL_CONFIG_SCHEMA_H

#include <stdbool.h>

enum config_type {
	CONFIG_STRING,
	CONFIG_BOOL,
	CONFIG_INT,
	CONFIG_DURATION,
	CONFIG_TIME,
	CONFIG_ENUM,
};

struct config_key {
	const char *section;
	const char *key;
	enum config_type type;
	const char *values; /* CONFIG_ENUM: "a|b|c" */
	bool needs_subsection;
};

extern const struct config_key config_schema[];

#endif
