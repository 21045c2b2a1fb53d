/* console_stats.c: VSOC_DEBUG_STATS=FILE, what live updates cost a
 * console, for the tmux tests and bench/live_bench.sh.
 *
 * Counting from outside (screen captures, pg_stat_statements) cannot tell
 * a repaint from a quiet frame or one console's statements from another's,
 * so the console counts for itself: notices received, batches told to the
 * views, frames drawn, header counts read, view reloads, and statements
 * sent.  The file is rewritten whole (through a rename, so a reader never
 * sees half of it) after every frame, after every batch and on exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "console_int.h"

void
console_stats_open(struct console *c)
{
	const char *path = getenv("VSOC_DEBUG_STATS");

	if (path == NULL || *path == '\0' || strlen(path) >= sizeof c->stats.path)
		return;
	snprintf(c->stats.path, sizeof c->stats.path, "%s", path);
}

void
console_stats_write(struct console *c)
{
	char tmp[sizeof c->stats.path + 8];
	FILE *f;

	if (c->stats.path[0] == '\0')
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", c->stats.path);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	fprintf(f, "notices %lu\nbatches %lu\nframes %lu\n"
	    "counts %lu\nreloads %lu\nstatements %lu\ndeaf %lu\n",
	    c->stats.notices, c->stats.batches,
	    c->stats.frames, c->stats.counts, c->stats.reloads,
	    c->db->statements, c->stats.deaf);
	if (fclose(f) == 0)
		rename(tmp, c->stats.path);
	else
		remove(tmp);
}

void
console_stats_reload(struct console *c)
{
	c->stats.reloads++;
}
