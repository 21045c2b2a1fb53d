/* demo_history.c: what analysts did before the demo starts: incidents
 * (one theme per rule that escalates) and notes on incidents and alerts.
 * Notes are held in memory until the alerts they point at are loaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "demo_int.h"
#include "rng.h"
#include "strbuf.h"

static const char *const note_bodies[] = {
	"Checked the source address against the partner allow-list: not ours.",
	"Asked the site operator to confirm on-site maintenance. Waiting for an answer.",
	"Pulled the station security log (GetLog SecurityLog); attached to the ticket.",
	"Same pattern as last week at another depot; linking to the incident.",
	"Rotated the AuthorizationKey and raised the security profile to 2.",
	"Vendor support says this firmware build is not one of theirs.",
	"Customer support reached the driver; they did not reset their password.",
	"Paused the rollout in hawkBit while we look at the error rate.",
};

/* Incident themes: escalated alerts of a rule join an incident of that
 * rule, so the groups make sense. */
struct incident_theme {
	const char	*rule;
	int		 severity;
	const char	*scope;
	const char	*status;
	const char	*title;		/* ${site}, ${rollout} */
	const char	*summary;
};

static const struct incident_theme themes[HISTORY_N_THEMES] = {
	{ "R7", 5, "site", "containment", "Firmware from untrusted hosts pushed to ${site} stations",
	  "UpdateFirmware calls pointing outside the firmware allow-list; rollout paused." },
	{ "R1", 4, "site", "triage", "Charging station identity hijack at ${site}",
	  "Duplicate WebSocket sessions for station identities from unknown addresses." },
	{ "A1", 4, "fleet", "open", "Driver app account takeover wave",
	  "Password resets followed by logins from new countries; MFA removed." },
	{ "R11", 5, "site", "eradication", "Physical tampering at ${site}",
	  "Tamper sensors and security-log wipes on several stations." },
	{ "O1", 4, "fleet", "containment", "OTA rollout anomaly: ${rollout}",
	  "Error rate above threshold and unexpected software versions." },
	{ "R2", 4, "fleet", "triage", "Credential brute force against the CSMS",
	  "Failed Basic-auth upgrades from documentation address ranges." },
	{ "R10", 5, "site", "recovery", "Meter value manipulation at ${site}",
	  "Energy registers going backwards; billing on hold for affected sessions." },
	{ "R8", 4, "fleet", "open", "Load-altering charging-profile campaign",
	  "SetChargingProfile bursts from one API principal." },
};


int
history_theme_of(const char *rule)
{
	int th;

	for (th = 0; th < HISTORY_N_THEMES; th++)
		if (strcmp(themes[th].rule, rule) == 0)
			return th;
	return -1;
}

void
history_note_add(struct gen *g, long long alert_id, long long incident_id, int author,
    const char *body, time_t at)
{
	struct copy *c = &g->notes;

	/* Held in memory until the alerts they point at are loaded. */
	copy_ll(c, g->note_base + ++g->nnotes);
	copy_id(c, alert_id);
	copy_id(c, incident_id);
	copy_ll(c, author);
	copy_str(c, body);
	copy_ts(c, at);
	c->buf[c->len - 1] = '\n';
	c->rows++;
}

/* The hostile alerts: the newest three, open, with attacker-controlled
 * text straight from a station in the title and the evidence. */

void
history_note_alert(struct gen *g, long long alert_id, int author, time_t at)
{
	history_note_add(g, alert_id, 0, author,
	    note_bodies[rng_below(&g->r, sizeof note_bodies / sizeof note_bodies[0])], at);
}

int
history_incidents_copy(struct gen *g, struct db *db)
{
	static const char *const levels[] = { "low", "medium", "high" };
	struct copy c;
	struct strbuf t, imp;
	struct vars v;
	struct compiled ct;
	char site[96];
	int k;

	if (copy_begin(&c, db, "COPY incidents (id, title, status, severity, impact, scope,"
	    " owner_id, summary, version, created_at, updated_at, acknowledged_at)"
	    " FROM STDIN") < 0)
		return -1;
	strbuf_init(&t);
	strbuf_init(&imp);
	for (k = 0; k < g->nincidents; k++) {
		const struct incident_theme *th = &themes[k % HISTORY_N_THEMES];
		time_t created = g->o->now - (time_t)(k + 1) * 7 * 3600;

		memset(v.s, 0, sizeof v.s);
		fleet_site_name(site, sizeof site, k % g->f->nsites);
		v.s[V_SITE] = site;
		v.s[V_ROLLOUT] = fleet_rollouts[k % FLEET_N_ROLLOUTS].name;
		tpl_compile(&ct, th->title);
		strbuf_reset(&t);
		tpl_expand(&t, &ct, &v, false);
		free(ct.seg);
		if (k >= HISTORY_N_THEMES)
			strbuf_appendf(&t, " (#%d)", k / HISTORY_N_THEMES + 1);
		strbuf_reset(&imp);
		strbuf_appendf(&imp, "{\"safety\": \"%s\", \"financial\": \"%s\","
		    " \"operational\": \"%s\", \"privacy\": \"%s\"}", levels[k % 2],
		    levels[(k + 1) % 3], levels[2 - k % 2], levels[th->rule[0] == 'A' ? 2 : 0]);
		copy_ll(&c, g->inc_base + k + 1);
		copy_strn(&c, t.buf, t.len);
		copy_str(&c, th->status);
		copy_ll(&c, th->severity);
		copy_strn(&c, imp.buf, imp.len);
		copy_str(&c, th->scope);
		copy_ll(&c, g->analysts[k % 2]);	/* alice or bob */
		copy_str(&c, th->summary);
		copy_ll(&c, 1);
		copy_ts(&c, created);
		copy_ts(&c, created);
		/* Every demo incident has an owner: acknowledged 5 to 60
		 * minutes in, some later than a critical's 15 minutes. */
		copy_ts(&c, created + 300 + (time_t)(k * 7 % 12) * 300);
		copy_row_end(&c);
	}
	strbuf_free(&t);
	strbuf_free(&imp);
	return copy_end(&c);
}

int
history_notes_copy(struct gen *g, struct db *db)
{
	struct copy c;
	int k;

	/* One note per incident from its owner, then the alerts' notes. */
	for (k = 0; k < g->nincidents; k++)
		history_note_add(g, 0, g->inc_base + k + 1, g->analysts[k % 2],
		    "Opened from the queue; scoping affected assets.",
		    g->o->now - (time_t)(k + 1) * 7 * 3600 + 300);
	if (copy_begin(&c, db, "COPY notes (id, alert_id, incident_id, author_id, body,"
	    " created_at) FROM STDIN") < 0)
		return -1;
	/* Hand the notes' rows to the writer; it sends them in one go. */
	free(c.buf);
	c.buf = g->notes.buf;
	c.len = g->notes.len;
	c.cap = g->notes.cap;
	memset(&g->notes, 0, sizeof g->notes);
	return copy_end(&c);
}
