/* view_incident_marks.c: marks on the incident view's alert list (see
 * view_incident_marks.h). */
#include <stdlib.h>

#include "action_incident_alerts.h"
#include "console.h"
#include "display.h"
#include "marks.h"
#include "pager.h"
#include "strbuf.h"
#include "theme.h"
#include "view_incident_marks.h"

bool
incident_marks_toggle(struct console *c, struct marks *m, const struct incident_rows *rows)
{
	if (rows->sel < 0 || rows->sel >= rows->n) {
		console_error(c, "no alert in this incident to mark");
		return false;
	}
	/* With the version shown, as the queue's marks. */
	marks_toggle(m, rows->ids[rows->sel], (int)json_integer_value(json_object_get(
	    json_array_get(rows->alerts, (size_t)rows->sel), "version")));
	return true;
}

void
incident_marks_keep(struct marks *m, const struct incident_rows *rows)
{
	size_t i = 0;
	long long id;
	int k;

	while (i < marks_count(m)) {
		id = marks_at(m, i)->id;
		for (k = 0; k < rows->n && rows->ids[k] != id; k++)
			;
		if (k < rows->n)
			i++;
		else
			marks_remove(m, id);
	}
}

void
incident_marks_draw(const struct marks *m, const struct incident_rows *rows,
    const struct pager *pg, WINDOW *w, int h, int width)
{
	const struct pager_line *ln;
	attr_t a;
	int k, y;

	for (k = 0; k < rows->n; k++) {
		if (!marks_has(m, rows->ids[k]))
			continue;
		y = rows->lines[k] - pg->top;
		if (y < 0 || y >= h)
			continue;
		ln = &pg->lines[rows->lines[k]];
		a = theme_attr(k == rows->sel ? ROLE_SELECTED : ROLE_MARKED);
		display_fill(w, y, 0, width, a);
		display_put(w, y, 0, width, ln->text, a, k == rows->sel);
		display_put(w, y, 0, 1, theme_sym(SYM_MARK), a, false);
	}
}

bool
incident_marks_act(struct console *c, enum request req, const struct incident_target *t,
    struct marks *m, const struct incident_rows *rows)
{
	size_t n = marks_count(m);
	long long *ids = xcalloc(n + 1, sizeof *ids);
	int *versions = xcalloc(n + 1, sizeof *versions);
	bool changed;

	if (n > 0)
		marks_copy(m, ids, versions);
	else if (rows->sel >= 0 && rows->sel < rows->n)
		ids[n++] = rows->ids[rows->sel];
	changed = action_incident_alerts_run(c, req, t, ids, n) >= 0;
	if (changed)
		marks_clear(m);
	free(ids);
	free(versions);
	return changed;
}
