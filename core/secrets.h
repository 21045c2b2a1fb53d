/* secrets.h: tokens for backends (later: ingest, ticketing), kept out of
 * the settings file in ${XDG_CONFIG_HOME:-$HOME/.config}/vsoc/secrets:
 *
 *   # name = value, one a line
 *   ticketing_token = 3f9c...
 *
 * The file is refused unless it is a regular file owned by the user with
 * no permission for group or others (0600 or stricter), as ssh does with
 * private keys.  No value is ever printed: messages name the file, the
 * line and the secret's name only, and values are wiped when freed. */
#ifndef VSOC_SECRETS_H
#define VSOC_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

#define SECRETS_FILE_MAX	(64 * 1024)
#define SECRETS_NAME_MAX	64

struct secrets {
	size_t		 n;
	char		**names;
	char		**values;
	char		*path;		/* the file read, or NULL */
};

void	 secrets_init(struct secrets *s);
/* Frees and wipes every value. */
void	 secrets_free(struct secrets *s);
/* ${XDG_CONFIG_HOME:-$HOME/.config}/vsoc/secrets; false with no home. */
bool	 secrets_path(struct strbuf *out);
/* Read path (NULL: secrets_path).  A missing file is no error (no secrets);
 * a file others may read or write, or that another user owns, is refused.
 * Returns the number of errors, described in err; with any, no secret is
 * kept. */
int	 secrets_load(struct secrets *s, const char *path, struct strbuf *err);
/* Parse text[0..len) of a file called name; the same contract. */
int	 secrets_parse(struct secrets *s, const char *name, const char *text,
	    size_t len, struct strbuf *err);
/* The value of a secret, or NULL. */
const char *secrets_get(const struct secrets *s, const char *name);
/* A secret by name as the channels reference it: the environment variable
 * VSOC_SECRET_NAME (upper case, '.' and '-' as '_') wins over the file,
 * as the environment wins over the settings file.  NULL when neither
 * has it.  *from (may be NULL) gets "env" or "file". */
const char *secrets_lookup(const struct secrets *s, const char *name,
	    const char **from);
/* The environment variable secrets_lookup reads for name. */
void	 secrets_env_name(const char *name, char *buf, size_t len);

#endif
