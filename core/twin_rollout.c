/* twin_rollout.c: an OTA rollout's state (hawkBit): its status and how
 * many targets are in each action state.  Each target's last state is
 * kept so a target that moves is counted once, in its new state; the
 * counts move by one per event instead of a recount over the targets. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "twin.h"

static void
count_add(json_t *counts, const char *state, int by)
{
	json_int_t n = json_integer_value(json_object_get(counts, state)) + by;

	if (n > 0)
		json_object_set_new(counts, state, json_integer(n));
	else
		json_object_del(counts, state);
}

static void
action(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;
	json_t *targets = twin_obj(st, "_targets"), *counts = twin_obj(st, "target_counts");
	const char *status = twin_str(d, "status"), *old;
	char target[128], lower[32];
	size_t i;

	if (status == NULL || (!twin_text(d, "controllerId", target, sizeof target) &&
	    !twin_text(d, "target", target, sizeof target)))
		return;
	/* hawkBit writes action states in capitals (Action.java) in some
	 * places and lower case in others: one spelling. */
	for (i = 0; status[i] != '\0' && i < sizeof lower - 1; i++)
		lower[i] = (char)tolower((unsigned char)status[i]);
	lower[i] = '\0';
	old = twin_str(targets, target);
	if (old != NULL) {
		if (strcmp(old, lower) == 0)
			return;
		count_add(counts, old, -1);
	}
	count_add(counts, lower, 1);
	twin_set_str(targets, target, lower);
	json_object_set_new(st, "targets", json_integer((json_int_t)json_object_size(targets)));
}

void
twin_rollout_fold(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;

	if (strcmp(ev->type, "RolloutStatus") == 0) {
		if (twin_str(d, "status") != NULL)
			twin_set_str(st, "status", twin_str(d, "status"));
		if (json_is_integer(json_object_get(d, "totalTargets")))
			json_object_set(st, "total_targets", json_object_get(d, "totalTargets"));
		twin_set_time(st, "status_at", ev->at);
	} else if (strcmp(ev->type, "ActionStatus") == 0) {
		action(st, ev);
	}
}
