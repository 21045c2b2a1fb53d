/* candidates.h: incident candidates, proposed from open alerts that are in
 * no incident, and never merged without an analyst's decision.
 *
 * The database computes them (vsoc_candidate_groups() in
 * sql/009_candidates.sql), from windows and thresholds that are data
 * (correlation_settings, rule_families): the same asset, its parent
 * station or its site with rules of one family in a window; one rule on
 * many assets in a window (a campaign); one indicator in the evidence
 * (source address, idTag, operator principal, firmware host) across
 * assets.  Windows are tumbling and epoch-aligned, so a candidate's key,
 * KIND:GROUP@YYYYMMDDTHHMMZ, stays the same while its alerts do.
 *
 * Reading is a page at a time (after a row, keyset, or at an offset, over
 * a stable order, with the total), so a console view can page it like the
 * queue; each
 * candidate carries a bounded list of its alert ids.  Accepting creates an
 * incident from the candidate's alerts minus those split out, through the
 * escalation of triage.h (one transaction, one audit record
 * "candidate.accept").  Dismissing hides a candidate until a time, with a
 * reason (one transaction, one audit record "candidate.dismiss"); viewers
 * can do neither, and the database refuses them too. */
#ifndef VSOC_CANDIDATES_H
#define VSOC_CANDIDATES_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "triage.h"

struct db;
struct analyst;

enum cand_kind {
	CK_ASSET,		/* one asset, one family */
	CK_PARENT,		/* a station and its connectors (vehicle, ECUs) */
	CK_SITE,		/* a site's stations and connectors */
	CK_CAMPAIGN,		/* one rule, many assets */
	CK_SOURCE_IP,
	CK_ID_TAG,
	CK_PRINCIPAL,
	CK_FIRMWARE_HOST,
	CK__COUNT
};

#define CAND_KEY_MAX		128	/* bytes in a key (the database's limit) */
#define CAND_IDS_DEFAULT	20	/* alert ids carried per listed candidate */
#define CAND_ACCEPT_MAX		10000	/* alerts one accept takes at most */
#define CAND_DISMISS_MAX	(90L * 86400)	/* longest dismissal, seconds */

struct candidate {
	char		*key;
	enum cand_kind	 kind;
	char		*subject;	/* untrusted: an asset's external id, a
					   rule id or an indicator value */
	char		*subject_name;	/* the asset's or rule's name, or NULL */
	char		*family;	/* asset, parent, site; else NULL */
	char		*rules;		/* "R7,R11": the rules of its alerts */
	time_t		 window_start;
	long		 window_secs;
	long long	 alerts, assets;
	int		 max_severity;
	time_t		 first_seen, last_seen;
	time_t		 dismissed_until;	/* 0: not dismissed */
	long long	*ids;		/* most recent first */
	size_t		 nids;		/* at most the page's ids_max */
	char		*reason;	/* one line, raw: sanitize to show */
};

struct cand_page {
	size_t		 offset;
	size_t		 limit;		/* 0: every candidate */
	size_t		 ids_max;	/* ids per candidate, 0: none */
	bool		 dismissed;	/* include dismissed candidates */
	/* Keyset: the rows after this one in the order (its severity,
	 * assets, alerts, window and key are read); NULL from the start. */
	const struct candidate *after;
};

struct cand_list {
	struct candidate *items;
	size_t		 n;
	size_t		 total;		/* candidates in the whole list */
};

const char	*cand_kind_name(enum cand_kind k);
enum cand_kind	 cand_kind_parse(const char *s);	/* CK__COUNT if unknown */

/* The reason shown for a candidate, from its fields: "3 integrity alerts
 * (R7, R11) on CS-0042 within 1h".  Raw text: sanitize it to show. */
void		 cand_reason(const struct candidate *c, char *buf, size_t len);
/* A key's shape, checked without the database: printable ASCII without
 * blanks, KIND:...@YYYYMMDDTHHMMZ, at most CAND_KEY_MAX bytes. */
bool		 cand_key_valid(const char *key);

/* One page in the order: most severe first, then most assets, most
 * alerts, latest window, key (descending).  First and last seen are read
 * from the page's alerts.  0, or -1 with db->errmsg. */
int		 candidates_list(struct db *db, const struct cand_page *page,
		    struct cand_list *out);
void		 cand_list_free(struct cand_list *l);
/* One candidate by key, with up to ids_max alert ids (dismissed or not).
 * 0 found, 1 no such candidate now, -1 error (a malformed key is SQLSTATE
 * 22023). */
int		 candidates_get(struct db *db, const char *key, size_t ids_max,
		    struct candidate *out);
void		 candidate_free(struct candidate *c);

/* An alert of a candidate, as a list of them shows it. */
struct cand_alert {
	long long	 id;
	int		 severity;
	char		*rule_id;
	char		*asset_ref;	/* untrusted: sanitize to show */
	char		*title;		/* untrusted */
	char		*status;
	time_t		 last_seen;
};

/* The candidate's alerts now (open, in no incident, in its window), most
 * recent first, at most max.  The count, or -1 with db->errmsg (a
 * malformed key is SQLSTATE 22023).  Free with cand_alerts_free. */
long		 candidates_alerts(struct db *db, const char *key, size_t max,
		    struct cand_alert **out);
void		 cand_alerts_free(struct cand_alert *a, long n);

struct cand_outcome {
	enum triage_result result;
	char		 message[512];
	long long	 incident_id;
	long long	 audit_id;
	long long	 dismissal_id;
	size_t		 alerts;	/* accepted into the incident */
	time_t		 until;		/* dismissed until */
};

/* Create an incident from the candidate's alerts, minus except[] (which
 * must be alerts of it), titled title (default: the reason). */
enum triage_result candidates_accept(struct db *db, const struct analyst *actor,
		    const char *key, const long long *except, size_t nexcept,
		    const char *title, struct cand_outcome *out);
/* Hide the candidate for secs seconds (1 s to 90 days), reason required. */
enum triage_result candidates_dismiss(struct db *db, const struct analyst *actor,
		    const char *key, long secs, const char *reason,
		    struct cand_outcome *out);

#endif
