/* view_asset.c: the asset panel, reached from an alert's detail (@): a
 * pager over one small query; the full digital-twin view builds on it
 * later.  (The incident, i, is view_incident.c.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "asset.h"
#include "console.h"
#include "model.h"
#include "pager.h"
#include "strbuf.h"

#define PANEL_LABEL_W	14

struct panel {
	struct console	*con;
	long long	 id;
	struct asset	 a;
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

static int
panel_load(struct panel *pn)
{
	int rc;

	if (!console_db_ready(pn->con))
		return -1;
	asset_free(&pn->a);
	rc = asset_get(pn->con->db, pn->id, &pn->a);
	if (rc < 0) {
		console_db_error(pn->con, "loading the asset");
		return -1;
	}
	if (rc > 0) {
		console_error(pn->con, "asset %lld no longer exists", pn->id);
		return -1;
	}
	pn->pg.width = 0;
	return 0;
}

static int
asset_open(struct view *v, const void *arg)
{
	struct panel *pn = xcalloc(1, sizeof *pn);

	pn->con = v->con;
	pn->id = *(const long long *)arg;
	pager_init(&pn->pg, 0, PANEL_LABEL_W);
	if (panel_load(pn) < 0) {
		asset_free(&pn->a);
		pager_free(&pn->pg);
		free(pn);
		return -1;
	}
	v->priv = pn;
	return 0;
}

static void
panel_close(struct view *v)
{
	struct panel *pn = v->priv;

	asset_free(&pn->a);
	pager_free(&pn->pg);
	free(pn);
}

static void
panel_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct panel *pn = v->priv;

	if (pn->pg.width != width)
		build_asset(pn, width);
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

