/* settings.h: the settings files, in two layers:
 *
 *   the system file  /etc/vsoc/config (or $VSOC_SYSTEM_CONFIG), the
 *                    administrator's defaults for every user;
 *   the user file    ${XDG_CONFIG_HOME:-$HOME/.config}/vsoc/config (or
 *                    --config FILE, or $VSOC_CONFIG), over it.
 *
 *   # comments take a whole line
 *   [console]
 *   idle_lock = 15m
 *   [outbox]
 *   max_attempts = 10
 *   [channel oncall]
 *   type = pagerduty
 *
 * Channels (any number of named sections, see channel.h) come from the
 * files only; their secrets are referenced by name.  A channel the user
 * file names replaces the system file's channel of that name whole (half
 * of one channel and half of another would page nobody knows where).
 *
 * Every setting is known here, with its type, default, environment
 * variable and option, so that one place decides precedence (command line
 * > environment > user file > system file > default) and `vsoc config
 * show` can say where each value came from. */
#ifndef VSOC_SETTINGS_H
#define VSOC_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "channel.h"

struct strbuf;

enum settings_type { SETTINGS_DURATION, SETTINGS_BOOL, SETTINGS_COLOUR, SETTINGS_NAME,
	SETTINGS_COUNT };

/* Lowest first: a source overrides the ones before it.  SETTINGS_FILE is
 * the user file. */
enum settings_source { SETTINGS_DEFAULT, SETTINGS_SYSTEM, SETTINGS_FILE, SETTINGS_ENV,
	SETTINGS_FLAG };

struct settings_key {
	const char	*section;
	const char	*name;
	enum settings_type type;
	const char	*def;		/* the default, in file syntax */
	const char	*env;		/* environment variable, or NULL */
	const char	*flag;		/* command-line option, or NULL */
	const char	*help;
};

#define SETTINGS_NKEYS	8
#define SETTINGS_FILE_MAX	(256 * 1024)	/* a bigger file is refused */
#define SETTINGS_SYSTEM_PATH	"/etc/vsoc/config"

struct settings {
	char		*value[SETTINGS_NKEYS];	/* normalised text */
	enum settings_source source[SETTINGS_NKEYS];
	int		 line[SETTINGS_NKEYS];	/* SETTINGS_SYSTEM, _FILE: where */
	char		*path;			/* the user file read, or NULL */
	char		*sys_path;		/* the system file read, or NULL */
	struct channel_set channels;		/* [channel NAME] sections */
	/* channels.v[0 .. channels_user) are the user file's, the rest the
	 * system file's (those the user file does not replace). */
	size_t		 channels_user;
};

extern const struct settings_key settings_keys[SETTINGS_NKEYS];

/* Every setting at its default. */
void	 settings_init(struct settings *c);
void	 settings_free(struct settings *c);
/* The file to read: path (from --config) if given, else $VSOC_CONFIG, else
 * the XDG default.  Sets *explicit when it was named (then it must exist).
 * False when there is neither a name nor a home to look in. */
bool	 settings_path(struct strbuf *out, const char *path, bool *explicit);
/* The system file: $VSOC_SYSTEM_CONFIG if set (tests, a packaged
 * layout), else SETTINGS_SYSTEM_PATH. */
void	 settings_system_path(struct strbuf *out);
/* Read the system file, then the user file settings_path picks, over it.
 * A missing system file or default user file is no error.  Errors
 * ("FILE:LINE: ...", one a line, both files' together) go to err and
 * warnings (unknown sections and keys, which are ignored) to warn.
 * Returns the number of errors; a file with any keeps no setting. */
int	 settings_load(struct settings *c, const char *path, struct strbuf *err,
	    struct strbuf *warn);
/* Parse text[0..len), a user file called name; the same contract. */
int	 settings_parse(struct settings *c, const char *name, const char *text,
	    size_t len, struct strbuf *err, struct strbuf *warn);
/* The same for one layer: SETTINGS_SYSTEM (parse it first) or
 * SETTINGS_FILE. */
int	 settings_parse_layer(struct settings *c, enum settings_source layer,
	    const char *name, const char *text, size_t len, struct strbuf *err,
	    struct strbuf *warn);
/* Apply the environment variables over the file; returns the number of
 * errors (a variable with a bad value), described in err. */
int	 settings_apply_env(struct settings *c, struct strbuf *err);
/* Set a key from a command-line option; -1 with a message on a bad value. */
int	 settings_set_flag(struct settings *c, const char *section, const char *name,
	    const char *value, struct strbuf *err);

/* The index of section.name in settings_keys, or -1. */
int	 settings_find(const char *section, const char *name);
/* The effective value of section.name (abort()s on an unknown key: that is
 * a programming error, not input). */
const char *settings_get(const struct settings *c, const char *section,
	    const char *name);
long	 settings_get_count(const struct settings *c, const char *section,
	    const char *name);
long	 settings_get_duration(const struct settings *c, const char *section,
	    const char *name);
bool	 settings_get_bool(const struct settings *c, const char *section,
	    const char *name);
/* Where key i's value came from: "default", "system file FILE:LINE",
 * "user file FILE:LINE", "env NAME" or "option --NAME". */
void	 settings_origin(const struct settings *c, int i, struct strbuf *out);
/* The layer's name: "default", "system", "user", "env" or "option". */
const char *settings_source_name(enum settings_source s);
/* Where channel k (of c->channels) was defined: "user file FILE:LINE" or
 * "system file FILE:LINE". */
void	 settings_channel_origin(const struct settings *c, size_t k, struct strbuf *out);

/* Check and normalise a value of a type ("yes"/"no" for booleans);
 * returns NULL and a reason in why (a static string) when it is bad. */
char	*settings_value_check(enum settings_type t, const char *v, const char **why);

#endif
