/* incident.h: one incident's summary, for the console's incident panel
 * (the incident workflow itself is roadmap 3). */
#ifndef VSOC_INCIDENT_H
#define VSOC_INCIDENT_H

#include <time.h>

struct db;

struct incident {
	long long	 id;
	char		*title;
	char		*status;
	int		 severity;
	char		*scope;
	char		*owner;		/* analyst name, NULL if none */
	char		*summary;
	char		*impact;	/* jsonb as text */
	long long	 alerts;	/* alerts linked to it */
	long long	 open_alerts;
	time_t		 created_at;
	time_t		 updated_at;
};

/* 0 found, 1 no such incident, -1 error (db->errmsg). */
int	 incident_get(struct db *db, long long id, struct incident *out);
void	 incident_free(struct incident *i);

#endif
