/* candidates.c: reading incident candidates, a page at a time.
 *
 * The grouping is the database's (candidate_groups, kept current by
 * triggers on alerts, sql/010, read through vsoc_candidate_groups); this
 * file pages it,
 * hides what is dismissed, names the subjects, fetches a bounded list of
 * alert ids for the page only, and words the reason.  Accepting and
 * dismissing are in candidates_act.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "candidates.h"
#include "db.h"
#include "model.h"
#include "strbuf.h"

static const char *const kind_names[CK__COUNT] = {
	[CK_ASSET] = "asset",
	[CK_PARENT] = "parent",
	[CK_SITE] = "site",
	[CK_CAMPAIGN] = "campaign",
	[CK_SOURCE_IP] = "source_ip",
	[CK_ID_TAG] = "id_tag",
	[CK_PRINCIPAL] = "principal",
	[CK_FIRMWARE_HOST] = "firmware_host",
};

/* How the reason names an indicator. */
static const char *const indicator_words[CK__COUNT] = {
	[CK_SOURCE_IP] = "source address",
	[CK_ID_TAG] = "idTag",
	[CK_PRINCIPAL] = "operator principal",
	[CK_FIRMWARE_HOST] = "firmware host",
};

const char *
cand_kind_name(enum cand_kind k)
{
	return k < CK__COUNT ? kind_names[k] : "?";
}

enum cand_kind
cand_kind_parse(const char *s)
{
	int k;

	for (k = 0; s != NULL && k < CK__COUNT; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return (enum cand_kind)k;
	return CK__COUNT;
}

bool
cand_key_valid(const char *key)
{
	const char *colon, *at, *p;
	size_t len, i;

	if (key == NULL || (len = strlen(key)) == 0 || len > CAND_KEY_MAX)
		return false;
	for (p = key; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~')
			return false;
	colon = strchr(key, ':');
	at = strrchr(key, '@');
	if (colon == NULL || at == NULL || at <= colon + 1 || colon == key)
		return false;
	for (p = key; p < colon; p++)
		if ((*p < 'a' || *p > 'z') && *p != '_')
			return false;
	/* @YYYYMMDDTHHMMZ */
	if (strlen(at) != 15 || at[9] != 'T' || at[14] != 'Z')
		return false;
	for (i = 1; i < 14; i++)
		if (i != 9 && (at[i] < '0' || at[i] > '9'))
			return false;
	return true;
}

static void
window_text(char *buf, size_t len, long secs)
{
	if (secs > 0 && secs % 86400 == 0)
		snprintf(buf, len, "%ldd", secs / 86400);
	else if (secs > 0 && secs % 3600 == 0)
		snprintf(buf, len, "%ldh", secs / 3600);
	else
		snprintf(buf, len, "%ldm", secs / 60);
}

void
cand_reason(const struct candidate *c, char *buf, size_t len)
{
	const char *subj = c->subject ? c->subject : "?";
	char win[32], rules[160] = "";
	struct strbuf sb;

	window_text(win, sizeof win, c->window_secs);
	if (c->rules != NULL && *c->rules != '\0') {
		const char *p;
		size_t k = 0;

		/* "R7,R11" -> " (R7, R11)" */
		k += (size_t)snprintf(rules, sizeof rules, " (");
		for (p = c->rules; *p != '\0' && k + 4 < sizeof rules; p++) {
			rules[k++] = *p;
			if (*p == ',')
				rules[k++] = ' ';
		}
		rules[k++] = ')';
		rules[k] = '\0';
	}
	strbuf_init(&sb);
	switch (c->kind) {
	case CK_ASSET:
		strbuf_appendf(&sb, "%lld %s alerts%s on %s within %s", c->alerts,
		    c->family ? c->family : "?", rules, subj, win);
		break;
	case CK_PARENT:
		strbuf_appendf(&sb, "%lld %s alerts%s on %s and its parts (%lld assets)"
		    " within %s", c->alerts, c->family ? c->family : "?", rules, subj,
		    c->assets, win);
		break;
	case CK_SITE:
		strbuf_appendf(&sb, "%lld %s alerts%s on %lld assets at site %s within %s",
		    c->alerts, c->family ? c->family : "?", rules, c->assets,
		    c->subject_name ? c->subject_name : subj, win);
		break;
	case CK_CAMPAIGN:
		strbuf_appendf(&sb, "campaign: %s%s%s%s on %lld assets (%lld alerts) within %s",
		    subj, c->subject_name ? " (" : "", c->subject_name ? c->subject_name : "",
		    c->subject_name ? ")" : "", c->assets, c->alerts, win);
		break;
	case CK_SOURCE_IP:
	case CK_ID_TAG:
	case CK_PRINCIPAL:
	case CK_FIRMWARE_HOST:
		strbuf_appendf(&sb, "%s %s in %lld alerts%s on %lld assets within %s",
		    indicator_words[c->kind], subj, c->alerts, rules, c->assets, win);
		break;
	case CK__COUNT:
		strbuf_appendf(&sb, "%lld alerts on %lld assets", c->alerts, c->assets);
		break;
	}
	snprintf(buf, len, "%s", sb.buf);
	strbuf_free(&sb);
}

/* A dismissal in force, looked up by key (candidate_dismissals_key_idx),
 * so the list keeps its index order. */
#define DISMISSED_UNTIL(g) \
	"(SELECT max(d.until) FROM candidate_dismissals d" \
	" WHERE d.candidate_key = " g ".key AND d.until > now())"
#define NOT_DISMISSED(g) \
	"NOT EXISTS (SELECT 1 FROM candidate_dismissals d" \
	" WHERE d.candidate_key = " g ".key AND d.until > now())"
/* The subject named, for the rows read only (a page, not the list). */
#define NAMED_COLS \
	"p.key, p.kind, p.family, p.rule_id, p.window_start, p.window_secs," \
	" p.alerts, p.assets, p.max_severity, p.dismissed_until," \
	" coalesce(x.external_id, p.rule_id, p.indicator) AS subject," \
	" coalesce(x.name, r.name) AS subject_name"
#define NAMED_JOINS \
	" LEFT JOIN assets x ON x.id = p.subject LEFT JOIN rules r ON r.id = p.rule_id"
/* The list's order: candidate_groups_order_idx backwards (sql/010). */
#define LIST_ORDER(g) \
	" ORDER BY " g ".max_severity DESC, " g ".assets DESC, " g ".alerts DESC," \
	" " g ".window_start DESC, " g ".key DESC"

static void
row_read(const PGresult *res, int row, struct candidate *c)
{
	memset(c, 0, sizeof *c);
	c->key = db_dup(res, row, "key");
	c->kind = cand_kind_parse(db_value(res, row, "kind"));
	c->subject = db_dup(res, row, "subject");
	c->subject_name = db_dup(res, row, "subject_name");
	c->family = db_dup(res, row, "family");
	c->window_start = db_time(res, row, "window_start");
	c->window_secs = (long)db_ll(res, row, "window_secs");
	c->alerts = db_ll(res, row, "alerts");
	c->assets = db_ll(res, row, "assets");
	c->max_severity = db_int(res, row, "max_severity");
	c->dismissed_until = db_time(res, row, "dismissed_until");
}

/* "{3,2,1}" -> ids */
static void
ids_parse(struct candidate *c, const char *arr)
{
	const char *p;
	size_t n = 0;

	if (arr == NULL)
		return;
	for (p = arr; *p != '\0'; p++)
		if (*p == ',')
			n++;
	c->ids = xcalloc(n + 1, sizeof *c->ids);
	for (p = arr; *p != '\0'; ) {
		char *end;
		long long v;

		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		v = strtoll(p, &end, 10);
		c->ids[c->nids++] = v;
		p = end;
	}
}

/* "{\"k1\",\"k2\"}": keys are printable ASCII, quoted for the array. */
static void
keys_array(struct strbuf *sb, const struct candidate *items, size_t n)
{
	size_t i;
	const char *p;

	strbuf_appendc(sb, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_appendc(sb, ',');
		strbuf_appendc(sb, '"');
		for (p = items[i].key; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_appendc(sb, '\\');
			strbuf_appendc(sb, *p);
		}
		strbuf_appendc(sb, '"');
	}
	strbuf_appendc(sb, '}');
}

/* The page's alerts: ids (most recent first, bounded) and rules, one
 * statement for the whole page. */
static int
members_fill(struct db *db, struct candidate *items, size_t n, size_t ids_max)
{
	struct strbuf keys;
	char max[32];
	const char *p[2];
	PGresult *res;
	int row;
	char reason[512];
	size_t i;

	if (n > 0) {
		strbuf_init(&keys);
		keys_array(&keys, items, n);
		snprintf(max, sizeof max, "%zu", ids_max);
		p[0] = keys.buf;
		p[1] = max;
		res = db_query(db, "SELECT k.n,"
		    " (array_agg(a.id ORDER BY a.last_seen DESC, a.id DESC))[1:$2::int] AS ids,"
		    " string_agg(DISTINCT a.rule_id, ',' ORDER BY a.rule_id) AS rules,"
		    " min(a.first_seen) AS first_seen, max(a.last_seen) AS last_seen"
		    " FROM unnest($1::text[]) WITH ORDINALITY k (key, n)"
		    " CROSS JOIN LATERAL vsoc_candidate_alerts(k.key) a GROUP BY k.n", 2, p);
		strbuf_free(&keys);
		if (res == NULL)
			return -1;
		for (row = 0; row < PQntuples(res); row++) {
			long long k = db_ll(res, row, "n");

			if (k < 1 || (size_t)k > n)
				continue;
			if (ids_max > 0)
				ids_parse(&items[k - 1], db_value(res, row, "ids"));
			items[k - 1].rules = db_dup(res, row, "rules");
			items[k - 1].first_seen = db_time(res, row, "first_seen");
			items[k - 1].last_seen = db_time(res, row, "last_seen");
		}
		PQclear(res);
	}
	for (i = 0; i < n; i++) {
		cand_reason(&items[i], reason, sizeof reason);
		items[i].reason = xstrdup(reason);
	}
	return 0;
}

static int
list_read(struct db *db, const struct cand_page *page, struct cand_list *out)
{
	char limit[32], offset[32], sev[16], assets[32], alerts[32], ws[32];
	const char *p[8];
	const struct candidate *after = page->after;
	PGresult *res;
	int row, n;

	memset(out, 0, sizeof *out);
	snprintf(limit, sizeof limit, "%zu", page->limit);
	snprintf(offset, sizeof offset, "%zu", page->offset);
	p[0] = page->dismissed ? "true" : "false";
	p[1] = page->limit > 0 ? limit : NULL;
	p[2] = offset;
	p[3] = after != NULL ? after->key : NULL;
	if (after != NULL) {
		snprintf(sev, sizeof sev, "%d", after->max_severity);
		snprintf(assets, sizeof assets, "%lld", after->assets);
		snprintf(alerts, sizeof alerts, "%lld", after->alerts);
		snprintf(ws, sizeof ws, "%lld", (long long)after->window_start);
	}
	p[4] = after != NULL ? sev : NULL;
	p[5] = after != NULL ? assets : NULL;
	p[6] = after != NULL ? alerts : NULL;
	p[7] = after != NULL ? ws : NULL;
	/* The candidates are the groups kept by sql/010: the page is the
	 * next rows of an index after a row (keyset) or an offset, named
	 * alone; the total counts the listed groups of the lookback. */
	res = db_query(db, "SELECT " NAMED_COLS ", (SELECT count(*) FROM"
	    " vsoc_candidate_groups() g WHERE $1::boolean OR " NOT_DISMISSED("g") ") AS total"
	    " FROM (SELECT g.*, " DISMISSED_UNTIL("g") " AS dismissed_until"
	    " FROM vsoc_candidate_groups() g"
	    " WHERE ($1::boolean OR " NOT_DISMISSED("g") ")"
	    " AND ($4::text IS NULL OR (g.max_severity, g.assets, g.alerts, g.window_start,"
	    " g.key) < ($5::integer, $6::bigint, $7::bigint, to_timestamp($8::bigint), $4::text))"
	    LIST_ORDER("g") " LIMIT $2::bigint OFFSET $3::bigint) p" NAMED_JOINS
	    LIST_ORDER("p"), 8, p);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	out->items = xcalloc((size_t)n + 1, sizeof *out->items);
	for (row = 0; row < n; row++)
		row_read(res, row, &out->items[row]);
	out->n = (size_t)n;
	/* Past the end a page is empty and says nothing of the total. */
	out->total = n > 0 ? (size_t)db_ll(res, 0, "total") : 0;
	PQclear(res);
	if (n == 0 && (page->offset > 0 || after != NULL)) {
		/* Only the total: what a view needs to place itself. */
		res = db_query(db, "SELECT count(*) AS total FROM vsoc_candidate_groups() g"
		    " WHERE $1::boolean OR " NOT_DISMISSED("g"), 1, p);
		if (res == NULL)
			return -1;
		out->total = (size_t)db_ll(res, 0, "total");
		PQclear(res);
	}
	if (members_fill(db, out->items, out->n, page->ids_max) < 0) {
		cand_list_free(out);
		return -1;
	}
	return 0;
}

int
candidates_list(struct db *db, const struct cand_page *page, struct cand_list *out)
{
	int rc;

	/* The planner's estimate for the count is high enough to compile
	 * it (100+ ms) though it reads a few thousand index entries: no JIT
	 * for these statements only. */
	if (db_begin(db) < 0)
		return -1;
	if (db_command(db, "SET LOCAL jit = off", 0, NULL) < 0) {
		db_rollback(db);
		return -1;
	}
	if ((rc = list_read(db, page, out)) < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) < 0) {
		cand_list_free(out);
		return -1;
	}
	return rc;
}

int
candidates_get(struct db *db, const char *key, size_t ids_max, struct candidate *out)
{
	const char *p[1] = { key };
	PGresult *res;

	memset(out, 0, sizeof *out);
	/* Only the key's kind and window are read. */
	res = db_query(db, "SELECT " NAMED_COLS " FROM (SELECT g.*, " DISMISSED_UNTIL("g")
	    " AS dismissed_until FROM vsoc_candidate_key_parse($1) k,"
	    " vsoc_candidate_groups(k.kind, k.window_start) g WHERE g.key = $1) p"
	    NAMED_JOINS, 1, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	row_read(res, 0, out);
	PQclear(res);
	if (members_fill(db, out, 1, ids_max) < 0) {
		candidate_free(out);
		return -1;
	}
	return 0;
}

long
candidates_alerts(struct db *db, const char *key, size_t max, struct cand_alert **out)
{
	char lim[32];
	const char *p[2] = { key, lim };
	PGresult *res;
	int row, n;

	*out = NULL;
	snprintf(lim, sizeof lim, "%zu", max);
	res = db_query(db, "SELECT a.id, a.severity, a.rule_id, x.asset_ref, x.title,"
	    " x.status, a.last_seen FROM vsoc_candidate_alerts($1) a"
	    " JOIN alerts x ON x.id = a.id"
	    " ORDER BY a.last_seen DESC, a.id DESC LIMIT $2::bigint", 2, p);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	*out = xcalloc((size_t)n + 1, sizeof **out);
	for (row = 0; row < n; row++) {
		struct cand_alert *a = &(*out)[row];

		a->id = db_ll(res, row, "id");
		a->severity = db_int(res, row, "severity");
		a->rule_id = db_dup(res, row, "rule_id");
		a->asset_ref = db_dup(res, row, "asset_ref");
		a->title = db_dup(res, row, "title");
		a->status = db_dup(res, row, "status");
		a->last_seen = db_time(res, row, "last_seen");
	}
	PQclear(res);
	return n;
}

void
cand_alerts_free(struct cand_alert *a, long n)
{
	long i;

	for (i = 0; a != NULL && i < n; i++) {
		free(a[i].rule_id);
		free(a[i].asset_ref);
		free(a[i].title);
		free(a[i].status);
	}
	free(a);
}

void
candidate_free(struct candidate *c)
{
	if (c == NULL)
		return;
	free(c->key);
	free(c->subject);
	free(c->subject_name);
	free(c->family);
	free(c->rules);
	free(c->ids);
	free(c->reason);
	memset(c, 0, sizeof *c);
}

void
cand_list_free(struct cand_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		candidate_free(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}
