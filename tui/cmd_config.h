/* cmd_config.h: the settings every command that reads them loads the same
 * way (file, then environment), with the same messages. */
#ifndef VSOC_CMD_CONFIG_H
#define VSOC_CMD_CONFIG_H

struct settings;

/* settings_init, then the settings file (path from --config, or NULL) and the
 * environment over it.  Warnings go to stderr; errors are reported (one
 * message, or one JSON document under --json) and give EXIT_USAGE. */
int	 cmd_config_load(struct settings *c, const char *path);

#endif
