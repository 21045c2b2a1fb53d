/* triage_validate.c: what an alert action's request must hold before
 * anything is sent to the database (triage_validate), and the actions'
 * names.  Pure: no database. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "sanitize.h"
#include "triage.h"
#include "triage_int.h"

const char *
triage_action_name(enum triage_action a)
{
	return a >= 0 && a < TA__COUNT ? triage_specs[a].name : "unknown";
}

enum triage_action
triage_action_parse(const char *s)
{
	int a;

	if (s == NULL)
		return TA__COUNT;
	if (strcmp(s, "acknowledge") == 0)
		return TA_ACK;
	for (a = 0; a < TA__COUNT; a++)
		if (strcmp(s, triage_specs[a].name) == 0)
			return (enum triage_action)a;
	return TA__COUNT;
}

static bool
text_blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* PostgreSQL would reject it anyway, but with a message about encodings
 * rather than about the analyst's text. */
static bool
text_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), k;
	unsigned int cp;

	while (len > 0) {
		if ((k = utf8_decode(p, len, &cp)) == 0)
			return false;
		p += k;
		len -= k;
	}
	return true;
}

/* An evidence path a.b.c: no empty segment, no control characters. */
static bool
evidence_key_valid(const char *k)
{
	const char *p;

	if (k == NULL || *k == '\0' || *k == '.' ||
	    strlen(k) > TRIAGE_EVIDENCE_KEY_MAX || !text_utf8(k))
		return false;
	for (p = k; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
		if (*p == '.' && (p[1] == '.' || p[1] == '\0'))
			return false;
	}
	return true;
}

/* --- validation ---------------------------------------------------------- */

enum triage_result
triage_validate(const struct triage_req *req, struct triage_outcome *out)
{
	const struct tspec *spec;
	size_t i, max;

	memset(out, 0, sizeof *out);
	if (req->action < 0 || req->action >= TA__COUNT)
		return triage_usage(out, 0, "unknown triage action");
	spec = &triage_specs[req->action];
	if (req->n == 0 || req->ids == NULL)
		return triage_usage(out, 0, "%s: no alert given", spec->name);
	for (i = 0; i < req->n; i++)
		if (req->ids[i] <= 0)
			return triage_usage(out, 0, "%lld is not an alert id", req->ids[i]);

	if (spec->text != TEXT_NONE) {
		const char *what = spec->text == TEXT_BODY ? "note" : "reason";

		max = spec->text == TEXT_BODY ? TRIAGE_NOTE_MAX : TRIAGE_REASON_MAX;
		if (text_blank(req->text)) {
			if (spec->text == TEXT_BODY)
				return triage_usage(out, 0, "a note needs text");
			return triage_usage(out, 0, "a reason is required to %s", spec->name);
		}
		if (strlen(req->text) > max)
			return triage_usage(out, 0, "the %s is longer than %zu bytes", what, max);
		if (!text_utf8(req->text))
			return triage_usage(out, 0, "the %s is not valid UTF-8", what);
	}

	switch (req->action) {
	case TA_ASSIGN:
		if (text_blank(req->assignee))
			return triage_usage(out, 0, "assign needs an analyst name");
		break;
	case TA_CLOSE:
		if (req->disposition <= DISP_NONE || req->disposition >= DISP__COUNT)
			return triage_usage(out, 0, "a disposition is required to close: "
			    "true_positive (tp), false_positive (fp), benign or duplicate");
		break;
	case TA_SUPPRESS:
		if (req->duration <= 0)
			return triage_usage(out, 0, "a duration is required to suppress "
			    "(for example 4h or 7d)");
		if (req->duration > TRIAGE_SUPPRESS_MAX)
			return triage_usage(out, 0, "a suppression lasts at most 90 days");
		if (req->scope != SUPPRESS_ASSET && req->scope != SUPPRESS_EVIDENCE)
			return triage_usage(out, 0, "unknown suppression scope");
		if (req->scope == SUPPRESS_EVIDENCE &&
		    !evidence_key_valid(req->evidence_key))
			return triage_usage(out, 0, "'%s' is not an evidence key "
			    "(use a dotted path such as src.ip)",
			    req->evidence_key ? req->evidence_key : "");
		break;
	case TA_ESCALATE:
		if (req->incident_id < 0)
			return triage_usage(out, 0, "%lld is not an incident id", req->incident_id);
		if (req->incident_title != NULL && req->incident_id > 0)
			return triage_usage(out, 0, "a title only applies to a new incident");
		if (req->incident_title != NULL) {
			if (text_blank(req->incident_title))
				return triage_usage(out, 0, "the incident title is empty");
			if (strlen(req->incident_title) > TRIAGE_TITLE_MAX)
				return triage_usage(out, 0, "the incident title is longer "
				    "than %d bytes", TRIAGE_TITLE_MAX);
			if (!text_utf8(req->incident_title))
				return triage_usage(out, 0, "the incident title is not valid UTF-8");
		}
		break;
	default:
		break;
	}
	return TRIAGE_OK;
}
