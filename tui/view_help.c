/* view_help.c: help generated from the keymap and the command table, so
 * it always shows the keys actually bound (user rebinds included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "format.h"
#include "console.h"
#include "keymap.h"
#include "pager.h"
#include "strbuf.h"

#define HELP_INDENT	2
#define HELP_KEYS_MIN	10	/* "<PgUp>, ^B" */
#define HELP_KEYS_MAX	30
#define HELP_KEYS_LEN	300

struct help {
	struct console	*con;
	struct pager	 pg;
};

static const struct view_hint help_hints[] = {
	{ REQ_BACK, "back" },
	{ REQ_PAGE_DOWN, "page" },
	{ REQ_NONE, NULL }
};

/* A request's keys on the queue, plus those that only the alert view has
 * ("<PgDn>, ^F; <Space> (alert)"). */
static void
request_keys(const struct keymap *km, enum request r, char *buf, size_t len)
{
	char q[128], d[128], *tok, *save = NULL;
	struct strbuf extra;

	keymap_keys_for(km, KS_QUEUE, r, q, sizeof q);
	keymap_keys_for(km, KS_DETAIL, r, d, sizeof d);
	strbuf_init(&extra);
	for (tok = strtok_r(d, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char probe[140];

		tok += strspn(tok, " ");
		snprintf(probe, sizeof probe, ", %s,", tok);
		/* Whole-key match inside ", q-list,". */
		{
			char hay[140];
			snprintf(hay, sizeof hay, ", %s,", q);
			if (strstr(hay, probe) != NULL)
				continue;
		}
		strbuf_append(&extra, extra.len ? ", " : "");
		strbuf_append(&extra, tok);
	}
	if (extra.len == 0)
		snprintf(buf, len, "%s", q);
	else if (*q == '\0')
		snprintf(buf, len, "%s (alert)", extra.buf);
	else
		snprintf(buf, len, "%s; %s (alert)", q, extra.buf);
	strbuf_free(&extra);
}

static int
max_int(int a, int b)
{
	return a > b ? a : b;
}

static bool
help_allowed(const struct help *h, enum request r)
{
	int need = request_role(r);

	return need == REQUEST_ROLE_NONE ||
	    (!console_read_only(h->con) && (int)h->con->me->role >= need);
}

/* The key table: keys, request name, help.  The name and help columns are
 * as wide as their widest entry; the keys column too, unless that would
 * push the help text past the screen: then it is capped and the few longer
 * key lists stand on their own line above their row. */
static void
help_keys(struct help *h, struct pager *p, int width)
{
	char (*keys)[HELP_KEYS_LEN] = xcalloc(REQ__COUNT, sizeof *keys);
	const char *group = NULL, *cells[3];
	int r, w[3] = { 0, 0, 0 }, cap;

	for (r = REQ_NONE + 1; r < REQ__COUNT; r++) {
		request_keys(&h->con->km, (enum request)r, keys[r], sizeof keys[r]);
		if (keys[r][0] == '\0')
			snprintf(keys[r], sizeof keys[r], "(unbound)");
		w[0] = max_int(w[0], format_width(keys[r]));
		w[1] = max_int(w[1], format_width(request_name((enum request)r)));
		w[2] = max_int(w[2], format_width(request_help((enum request)r)));
	}
	cap = width - HELP_INDENT - w[1] - 2 - w[2];
	if (cap > HELP_KEYS_MAX)
		cap = HELP_KEYS_MAX;
	if (cap < HELP_KEYS_MIN)
		cap = HELP_KEYS_MIN;
	if (w[0] > cap)
		w[0] = cap;
	for (r = REQ_NONE + 1; r < REQ__COUNT; r++) {
		const char *g = request_group((enum request)r);

		if (group == NULL || strcmp(g, group) != 0) {
			pager_section(p, g);
			group = g;
		}
		cells[0] = keys[r];
		cells[1] = request_name((enum request)r);
		cells[2] = request_help((enum request)r);
		/* Unbound keys are dim; actions this analyst may not take are
		 * greyed out. */
		pager_row(p, !help_allowed(h, (enum request)r) ? ROLE_OFF :
		    strcmp(keys[r], "(unbound)") != 0 ? ROLE_NORMAL : ROLE_DIM,
		    HELP_INDENT, cells, w, 3);
	}
	free(keys);
}

static void
help_build(struct help *h, int width)
{
	struct pager *p = &h->pg;
	char line[512], path[512];
	struct strbuf sb;

	pager_clear(p, width);
	pager_text(p, ROLE_SECTION, "vsoc console: keys");
	if (console_read_only(h->con)) {
		snprintf(line, sizeof line, "  Read-only (%s): the greyed actions are off.",
		    h->con->read_only ? "--read-only" : "viewer role");
		pager_text(p, ROLE_ERROR, line);
	}
	help_keys(h, p, width);
	pager_section(p, "Commands (: then Tab completes)");
	strbuf_init(&sb);
	command_help(h->con, &sb);
	pager_text(p, ROLE_NORMAL, sb.buf);
	strbuf_free(&sb);
	pager_section(p, "Filter expressions (/ sets the free words)");
	pager_text(p, ROLE_NORMAL,
	    "  sev>=high status=new,ack rule=R7 asset=CS-0042 assignee=me|none\n"
	    "  kind=station incident=12 age<2h last<30m, plus free words matched\n"
	    "  against title, asset and rule.");
	pager_section(p, "Rebinding keys");
	if (!keymap_default_path(path, sizeof path))
		snprintf(path, sizeof path, "~/.config/vsoc/keys");
	snprintf(line, sizeof line, "  In %s, one per line:\n"
	    "    bind KEY REQUEST          e.g.  bind x close\n"
	    "    bind queue KEY REQUEST    only on the queue (or detail, generic)\n"
	    "    unbind KEY\n"
	    "  KEY: a character, ^X, or <Enter> <Esc> <Space> <Tab> <Up> <Down>\n"
	    "  <PgUp> <PgDn> <Home> <End> <F1>..<F12>.  REQUEST: a name from the\n"
	    "  second column above (none unbinds).", path);
	pager_untrusted(p, ROLE_NORMAL, line, 0);
}

static int
help_open(struct view *v, const void *arg)
{
	struct help *h = xcalloc(1, sizeof *h);

	h->con = v->con;
	pager_init(&h->pg, 0, 2);
	v->priv = h;
	return 0;
}

static void
help_close(struct view *v)
{
	struct help *h = v->priv;

	pager_free(&h->pg);
	free(h);
}

static void
help_draw(struct view *v, WINDOW *w, int hgt, int width)
{
	struct help *h = v->priv;

	if (h->pg.width != width)
		help_build(h, width);
	pager_draw(&h->pg, w, hgt, width);
}

static enum request
help_request(struct view *v, enum request req)
{
	struct help *h = v->priv;

	if (req == REQ_HELP)
		return REQ_NONE;	/* already here */
	if (req == REQ_MARK)
		req = REQ_PAGE_DOWN;
	return pager_request(&h->pg, req, v->h);
}

static void
help_position(struct view *v, char *buf, size_t len)
{
	struct help *h = v->priv;

	pager_position(&h->pg, v->h, buf, len);
}

const struct view_ops view_help_ops = {
	.name = "help",
	.scope = KS_GENERIC,
	.open = help_open,
	.close = help_close,
	.draw = help_draw,
	.request = help_request,
	.position = help_position,
	.hints = help_hints,
};
