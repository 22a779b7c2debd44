/*
 * config-find.c - the configuration file lookup order.
 */
#include <stdlib.h>
#include <unistd.h>

#include "config-find.h"

int
config_find_load(const char *path, struct config **config_r, char **error_r)
{
	const char *env = getenv("ACKMAIL_CONFIG");
	char *home;
	int r;

	if (path != NULL)
		return config_load(path, config_r, error_r);
	if (env != NULL && *env != '\0')
		return config_load(env, config_r, error_r);
	home = path_home(".config/ackmail/ackmail.conf");
	if (access(home, F_OK) == 0) {
		r = config_load(home, config_r, error_r);
		free(home);
		return r;
	}
	free(home);
	if (access("/etc/ackmail.conf", F_OK) == 0)
		return config_load("/etc/ackmail.conf", config_r, error_r);
	return config_load(NULL, config_r, error_r);
}

char *
config_db_path(const struct config *config)
{
	const char *p = config_get(config, "database", NULL, "path");

	return p != NULL ? xstrdup(p)
			 : path_home(".local/share/ackmail/ackmail.db");
}
