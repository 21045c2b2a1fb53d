/* twin_query.h: finding an asset by what an analyst types, and paging its
 * timeline (newest first, keyset on (occurred_at, id)). */
#ifndef VSOC_TWIN_QUERY_H
#define VSOC_TWIN_QUERY_H

#include <stdbool.h>

#include <jansson.h>

struct db;

struct twin_asset {
	long long	 id;
	char		 kind[16];
	char		*external_id;
	char		*name;		/* NULL if none */
};

enum twin_resolve {
	TWIN_RESOLVE_ERROR = -1,	/* db->errmsg */
	TWIN_RESOLVE_OK = 0,
	TWIN_RESOLVE_NONE = 1,		/* no such asset */
	TWIN_RESOLVE_AMBIGUOUS = 2	/* an external id of several kinds; kinds lists them */
};

/* "kind:external-id", or an external id alone when one asset has it. */
enum twin_resolve twin_asset_resolve(struct db *db, const char *spec, struct twin_asset *out,
		    char *kinds, size_t kinds_size);
void		 twin_asset_free(struct twin_asset *a);
/* The asset as JSON: id, kind, external_id, name. */
json_t		*twin_asset_json(const struct twin_asset *a);

struct twin_page_query {
	long long	 asset_id;
	bool		 has_since, has_until, has_after;
	long long	 since_us, until_us;	/* inclusive bounds */
	long long	 after_at, after_id;	/* the cursor: rows older than it */
	const char	*type;			/* NULL: every type */
	int		 limit;
};

/* One page: an array of {id, at, at_us, type, source, data}, newest
 * first, in *events; *next gets the cursor of the page after ("" at the
 * end).  0, or -1 with db->errmsg. */
int		 twin_timeline_page(struct db *db, const struct twin_page_query *q,
		    json_t **events, char *next, size_t next_size);
/* "AT_US:ID" to a cursor; -1 if malformed. */
int		 twin_cursor_parse(const char *s, long long *at, long long *id);

#endif
