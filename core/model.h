/* model.h: the vocabulary of vsoc: severities, statuses, dispositions and
 * asset kinds, with their database names and display labels.  Each table
 * is the single place a value is spelled; the schema's CHECK constraints
 * list the same names. */
#ifndef VSOC_MODEL_H
#define VSOC_MODEL_H

#include <stdbool.h>

enum severity {
	SEV_NONE = 0,
	SEV_INFO = 1,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
	SEV__COUNT
};

enum alert_status {
	ST_NEW,
	ST_ACKNOWLEDGED,
	ST_ESCALATED,
	ST_CLOSED,
	ST_SUPPRESSED,
	ST__COUNT,
	ST_UNKNOWN = -1
};

enum disposition {
	DISP_NONE,
	DISP_TRUE_POSITIVE,
	DISP_FALSE_POSITIVE,
	DISP_BENIGN,
	DISP_DUPLICATE,
	DISP__COUNT,
	DISP_UNKNOWN = -1
};

enum asset_kind {
	AK_SITE,
	AK_STATION,
	AK_CONNECTOR,
	AK_VEHICLE,
	AK_ECU,
	AK_APP_USER,
	AK_BACKEND_SERVICE,
	AK_OTA_ROLLOUT,
	AK__COUNT,
	AK_UNKNOWN = -1
};

/* Database names ("critical", "acknowledged", "true_positive", ...). */
const char	*severity_name(int sev);
const char	*status_name(enum alert_status st);
const char	*disposition_name(enum disposition d);
const char	*asset_kind_name(enum asset_kind k);

/* Short labels for narrow columns ("CRIT", "HIGH", "ack", "TP", ...). */
const char	*severity_label(int sev);
const char	*status_label(enum alert_status st);
const char	*disposition_label(enum disposition d);

/* Parse a name, case-insensitively; accepts unique prefixes and the short
 * labels and, for severity, digits 1-5 and aliases (crit, med, info).
 * Returns SEV_NONE / *_UNKNOWN when nothing matches. */
int		 severity_parse(const char *s);
enum alert_status status_parse(const char *s);
enum disposition disposition_parse(const char *s);
enum asset_kind	 asset_kind_parse(const char *s);

/* Open statuses are the ones an analyst still has to act on. */
bool		 status_is_open(enum alert_status st);

#endif
