/* alert.h: one alert with everything the detail view and `vsoc alert show`
 * need: its fields, asset, incident, notes and history. */
#ifndef VSOC_ALERT_H
#define VSOC_ALERT_H

#include <time.h>

#include <jansson.h>

#include "model.h"

struct db;

struct alert {
	long long	 id;
	char		*rule_id;
	char		*rule_name;
	char		*title;
	int		 severity;
	enum alert_status status;
	enum disposition disposition;
	char		*disposition_reason;	/* NULL unless closed */
	long long	 asset_id;
	char		*asset_ref;		/* external id */
	char		*asset_kind;
	char		*asset_name;
	time_t		 first_seen;
	time_t		 last_seen;
	time_t		 created_at;
	time_t		 updated_at;
	time_t		 closed_at;		/* 0 when open */
	int		 occurrences;
	char		*dedup_key;		/* may be NULL */
	char		*assignee;		/* analyst name, NULL if none */
	long long	 incident_id;		/* 0 when none */
	char		*incident_title;
	char		*evidence;		/* jsonb as text */
	int		 version;
};

struct alert_note {
	time_t	 at;
	char	*author;
	char	*body;
};

struct alert_event {
	long long id;
	time_t	 at;
	char	*actor;
	char	*action;
	char	*details;	/* jsonb as text */
};

/* 0 found, 1 no such alert, -1 error (db->errmsg). */
int	 alert_get(struct db *db, long long id, struct alert *out);
void	 alert_free(struct alert *a);
/* The stable JSON form used by `--json` (see README). */
json_t	*alert_to_json(const struct alert *a);

/* Notes, oldest first.  Returns the count or -1; free with alert_notes_free. */
int	 alert_notes(struct db *db, long long id, struct alert_note **out);
void	 alert_notes_free(struct alert_note *notes, int n);
/* The alert's audit history, oldest first, at most max records. */
int	 alert_history(struct db *db, long long id, int max, struct alert_event **out);
void	 alert_history_free(struct alert_event *ev, int n);

/* Parse an alert id as typed by a human ("42" or "#42"); 0 if malformed. */
long long alert_id_parse(const char *s);

#endif
