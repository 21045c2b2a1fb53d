/* view_asset.c: the asset panel and the incident panel, reached from an
 * alert's detail (@ and i).  Each is a pager over one small query; the
 * full digital-twin and incident views build on these later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "asset.h"
#include "console.h"
#include "incident.h"
#include "model.h"
#include "pager.h"
#include "strbuf.h"

#define PANEL_LABEL_W	14

struct panel {
	struct console	*con;
	long long	 id;
	bool		 incident;
	struct asset	 a;
	struct incident	 i;
	struct pager	 pg;
};

static const struct view_hint panel_hints[] = {
	{ REQ_BACK, "back" },
	{ REQ_REFRESH, "reload" },
	{ REQ_HELP, "help" },
	{ REQ_NONE, NULL }
};

static void
panel_json(struct pager *p, const char *text)
{
	json_t *j = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	char *pretty = j ? json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;

	pager_untrusted(p, ROLE_NORMAL, pretty ? pretty : text ? text : "(none)", 2);
	free(pretty);
	json_decref(j);
}

static void
build_asset(struct panel *pn, int width)
{
	struct pager *p = &pn->pg;
	struct asset *a = &pn->a;
	char buf[64];

	pager_clear(p, width);
	pager_text(p, ROLE_SECTION, "Asset");
	pager_field(p, "Kind", a->kind);
	pager_field(p, "External id", a->external_id);
	pager_field(p, "Name", a->name ? a->name : "-");
	snprintf(buf, sizeof buf, "%d of 5", a->criticality);
	pager_field(p, "Criticality", buf);
	pager_field(p, "Parent", a->parent_ref ? a->parent_ref : "-");
	snprintf(buf, sizeof buf, "%lld%s", a->open_alerts,
	    a->open_alerts >= 1000 ? "+" : "");
	pager_field(p, "Open alerts", buf);
	pager_field_time(p, "Created", a->created_at);
	pager_field_time(p, "Updated", a->updated_at);
	pager_section(p, "Attributes");
	panel_json(p, a->attributes);
	pager_section(p, "Last known state");
	if (a->state == NULL) {
		pager_text(p, ROLE_DIM, "  (no state recorded)");
	} else {
		pager_field_time(p, "As of", a->state_as_of);
		panel_json(p, a->state);
	}
}

static void
build_incident(struct panel *pn, int width)
{
	struct pager *p = &pn->pg;
	struct incident *i = &pn->i;
	char buf[128];

	pager_clear(p, width);
	snprintf(buf, sizeof buf, "Incident %lld", i->id);
	pager_text(p, ROLE_SECTION, buf);
	pager_field(p, "Title", i->title);
	pager_field(p, "Status", i->status);
	pager_field(p, "Severity", severity_name(i->severity));
	pager_field(p, "Scope", i->scope);
	pager_field(p, "Owner", i->owner ? i->owner : "(nobody)");
	snprintf(buf, sizeof buf, "%lld (%lld open)", i->alerts, i->open_alerts);
	pager_field(p, "Alerts", buf);
	pager_field_time(p, "Created", i->created_at);
	pager_field_time(p, "Updated", i->updated_at);
	pager_section(p, "Summary");
	pager_untrusted(p, ROLE_NORMAL, i->summary && *i->summary ? i->summary :
	    "(none)", 2);
	pager_section(p, "Impact");
	panel_json(p, i->impact);
	snprintf(buf, sizeof buf, "  (:filter incident=%lld lists its alerts)", i->id);
	pager_blank(p);
	pager_text(p, ROLE_DIM, buf);
}

static int
panel_load(struct panel *pn)
{
	int rc;

	if (!console_db_ready(pn->con))
		return -1;
	if (pn->incident) {
		incident_free(&pn->i);
		rc = incident_get(pn->con->db, pn->id, &pn->i);
	} else {
		asset_free(&pn->a);
		rc = asset_get(pn->con->db, pn->id, &pn->a);
	}
	if (rc < 0) {
		console_db_error(pn->con, pn->incident ? "loading the incident" :
		    "loading the asset");
		return -1;
	}
	if (rc > 0) {
		console_error(pn->con, "%s %lld no longer exists",
		    pn->incident ? "incident" : "asset", pn->id);
		return -1;
	}
	pn->pg.width = 0;
	return 0;
}

static int
panel_open(struct view *v, const void *arg, bool incident)
{
	struct panel *pn = xcalloc(1, sizeof *pn);

	pn->con = v->con;
	pn->id = *(const long long *)arg;
	pn->incident = incident;
	pager_init(&pn->pg, 0, PANEL_LABEL_W);
	if (panel_load(pn) < 0) {
		asset_free(&pn->a);
		incident_free(&pn->i);
		pager_free(&pn->pg);
		free(pn);
		return -1;
	}
	v->priv = pn;
	return 0;
}

static int
asset_open(struct view *v, const void *arg)
{
	return panel_open(v, arg, false);
}

static int
incident_open(struct view *v, const void *arg)
{
	return panel_open(v, arg, true);
}

static void
panel_close(struct view *v)
{
	struct panel *pn = v->priv;

	asset_free(&pn->a);
	incident_free(&pn->i);
	pager_free(&pn->pg);
	free(pn);
}

static void
panel_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct panel *pn = v->priv;

	if (pn->pg.width != width) {
		if (pn->incident)
			build_incident(pn, width);
		else
			build_asset(pn, width);
	}
	pager_draw(&pn->pg, w, h, width);
}

static enum request
panel_request(struct view *v, enum request req)
{
	struct panel *pn = v->priv;

	if (req == REQ_REFRESH) {
		panel_load(pn);
		return REQ_NONE;
	}
	return pager_request(&pn->pg, req, v->h);
}

static void
panel_position(struct view *v, char *buf, size_t len)
{
	struct panel *pn = v->priv;

	pager_position(&pn->pg, v->h, buf, len);
}

const struct view_ops view_asset_ops = {
	.name = "asset",
	.scope = KS_DETAIL,
	.open = asset_open,
	.close = panel_close,
	.draw = panel_draw,
	.request = panel_request,
	.position = panel_position,
	.hints = panel_hints,
};

const struct view_ops view_incident_ops = {
	.name = "incident",
	.scope = KS_DETAIL,
	.open = incident_open,
	.close = panel_close,
	.draw = panel_draw,
	.request = panel_request,
	.position = panel_position,
	.hints = panel_hints,
};
