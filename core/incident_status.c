/* incident_status.c: the phases and the transition rules (see
 * incident_status.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "incident_status.h"

static const char *const names[IS__COUNT] = {
	"open", "triage", "containment", "eradication", "recovery",
	"post_incident", "closed"
};

const char *
incident_status_name(enum incident_status s)
{
	return s >= 0 && s < IS__COUNT ? names[s] : "unknown";
}

enum incident_status
incident_status_parse(const char *s)
{
	enum incident_status found = IS_UNKNOWN;
	size_t len;
	int i;

	if (s == NULL || *s == '\0')
		return IS_UNKNOWN;
	if (strcasecmp(s, "post-incident") == 0)
		return IS_POST_INCIDENT;
	len = strlen(s);
	for (i = 0; i < IS__COUNT; i++) {
		if (strcasecmp(s, names[i]) == 0)
			return (enum incident_status)i;
		if (strncasecmp(s, names[i], len) == 0) {
			if (found != IS_UNKNOWN)
				return IS_UNKNOWN;	/* ambiguous */
			found = (enum incident_status)i;
		}
	}
	return found;
}

enum incident_move
incident_move_of(enum incident_status from, enum incident_status to)
{
	if (from == to)
		return IM_SAME;
	if (from == IS_CLOSED)
		return IM_REOPEN;
	if (to == IS_CLOSED)
		return IM_CLOSE;
	return to > from ? IM_FORWARD : IM_BACK;
}

static enum incident_verdict __attribute__((format(printf, 4, 5)))
verdict(enum incident_verdict v, char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (msg != NULL && len > 0) {
		va_start(ap, fmt);
		vsnprintf(msg, len, fmt, ap);
		va_end(ap);
	}
	return v;
}

enum incident_verdict
incident_transition_check(const struct incident_transition *t, char *msg, size_t len)
{
	const char *from = incident_status_name(t->from), *to = incident_status_name(t->to);

	if (msg != NULL && len > 0)
		*msg = '\0';
	if (t->from < 0 || t->from >= IS__COUNT || t->to < 0 || t->to >= IS__COUNT)
		return verdict(IV_INVALID, msg, len, "unknown incident status");
	switch (incident_move_of(t->from, t->to)) {
	case IM_SAME:
		return verdict(IV_SAME, msg, len, "the incident is already %s", to);
	case IM_FORWARD:
		return IV_OK;
	case IM_BACK:
		if (!t->reason)
			return verdict(IV_NEEDS_REASON, msg, len, "moving back from %s to"
			    " %s needs a reason (--reason)", from, to);
		return IV_OK;
	case IM_REOPEN:
		if (t->merged)
			return verdict(IV_MERGED, msg, len, "the incident was merged into"
			    " another; it stays closed");
		if (!t->reason)
			return verdict(IV_NEEDS_REASON, msg, len, "reopening a closed"
			    " incident needs a reason (--reason)");
		return IV_OK;
	case IM_CLOSE:
		if (!t->resolution)
			return verdict(IV_NEEDS_RESOLUTION, msg, len, "closing needs a"
			    " resolution summary (--resolution)");
		if (t->open_alerts > 0 && !t->force)
			return verdict(IV_OPEN_ALERTS, msg, len, "%lld alert%s in the"
			    " incident %s still open; close %s with it: --force"
			    " --disposition D", t->open_alerts, t->open_alerts == 1 ?
			    "" : "s", t->open_alerts == 1 ? "is" : "are",
			    t->open_alerts == 1 ? "it" : "them");
		if (t->open_alerts > 0 && !t->disposition)
			return verdict(IV_NEEDS_DISPOSITION, msg, len, "closing open"
			    " alerts with the incident needs a disposition"
			    " (--disposition tp|fp|benign|duplicate)");
		return IV_OK;
	}
	return verdict(IV_INVALID, msg, len, "unknown incident status");
}
