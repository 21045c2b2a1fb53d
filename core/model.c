/* model.c: names, labels and parsers for the model's enumerations. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"

static const char *const severity_names[SEV__COUNT] = {
	"none", "info", "low", "medium", "high", "critical"
};
static const char *const severity_labels[SEV__COUNT] = {
	"-", "INFO", "LOW", "MED", "HIGH", "CRIT"
};
static const char *const status_names[ST__COUNT] = {
	"new", "acknowledged", "escalated", "closed", "suppressed"
};
static const char *const status_labels[ST__COUNT] = {
	"new", "ack", "escal", "closed", "suppr"
};
static const char *const disposition_names[DISP__COUNT] = {
	"", "true_positive", "false_positive", "benign", "duplicate"
};
static const char *const disposition_labels[DISP__COUNT] = {
	"", "TP", "FP", "benign", "dup"
};
static const char *const asset_kind_names[AK__COUNT] = {
	"site", "station", "connector", "vehicle", "ecu", "app_user",
	"backend_service", "ota_rollout"
};

const char *
severity_name(int sev)
{
	return sev >= 0 && sev < SEV__COUNT ? severity_names[sev] : "unknown";
}

const char *
severity_label(int sev)
{
	return sev >= 0 && sev < SEV__COUNT ? severity_labels[sev] : "?";
}

const char *
status_name(enum alert_status st)
{
	return st >= 0 && st < ST__COUNT ? status_names[st] : "unknown";
}

const char *
status_label(enum alert_status st)
{
	return st >= 0 && st < ST__COUNT ? status_labels[st] : "?";
}

const char *
disposition_name(enum disposition d)
{
	return d >= 0 && d < DISP__COUNT ? disposition_names[d] : "unknown";
}

const char *
disposition_label(enum disposition d)
{
	return d >= 0 && d < DISP__COUNT ? disposition_labels[d] : "?";
}

const char *
asset_kind_name(enum asset_kind k)
{
	return k >= 0 && k < AK__COUNT ? asset_kind_names[k] : "unknown";
}

/* Exact match on a name or label, else a unique prefix of a name. */
static int
table_parse(const char *s, const char *const *names, const char *const *labels,
    int first, int count)
{
	size_t len;
	int i, found = -1;

	if (s == NULL || *s == '\0')
		return -1;
	for (i = first; i < count; i++) {
		if (strcasecmp(s, names[i]) == 0 ||
		    (labels != NULL && strcasecmp(s, labels[i]) == 0))
			return i;
	}
	len = strlen(s);
	for (i = first; i < count; i++) {
		if (strncasecmp(s, names[i], len) == 0) {
			if (found >= 0)
				return -1;	/* ambiguous */
			found = i;
		}
	}
	return found;
}

int
severity_parse(const char *s)
{
	int v;

	if (s == NULL)
		return SEV_NONE;
	if (s[0] >= '1' && s[0] <= '5' && s[1] == '\0')
		return s[0] - '0';
	if (strcasecmp(s, "crit") == 0)
		return SEV_CRITICAL;
	if (strcasecmp(s, "med") == 0)
		return SEV_MEDIUM;
	if (strcasecmp(s, "informational") == 0)
		return SEV_INFO;
	v = table_parse(s, severity_names, severity_labels, SEV_INFO, SEV__COUNT);
	return v < 0 ? SEV_NONE : v;
}

enum alert_status
status_parse(const char *s)
{
	int v;

	if (s != NULL && (strcasecmp(s, "ack") == 0 || strcasecmp(s, "acked") == 0))
		return ST_ACKNOWLEDGED;
	v = table_parse(s, status_names, status_labels, 0, ST__COUNT);
	return v < 0 ? ST_UNKNOWN : (enum alert_status)v;
}

enum disposition
disposition_parse(const char *s)
{
	static const struct { const char *alias; enum disposition d; } aliases[] = {
		{ "tp", DISP_TRUE_POSITIVE }, { "true-positive", DISP_TRUE_POSITIVE },
		{ "fp", DISP_FALSE_POSITIVE }, { "false-positive", DISP_FALSE_POSITIVE },
		{ "dup", DISP_DUPLICATE },
	};
	size_t i;
	int v;

	if (s == NULL)
		return DISP_UNKNOWN;
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcasecmp(s, aliases[i].alias) == 0)
			return aliases[i].d;
	v = table_parse(s, disposition_names, disposition_labels, DISP_TRUE_POSITIVE,
	    DISP__COUNT);
	return v < 0 ? DISP_UNKNOWN : (enum disposition)v;
}

enum asset_kind
asset_kind_parse(const char *s)
{
	int v = table_parse(s, asset_kind_names, NULL, 0, AK__COUNT);

	return v < 0 ? AK_UNKNOWN : (enum asset_kind)v;
}

bool
status_is_open(enum alert_status st)
{
	return st == ST_NEW || st == ST_ACKNOWLEDGED;
}
