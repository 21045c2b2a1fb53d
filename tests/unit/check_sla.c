/* check_sla.c: the SLA clock (core/sla.c), table-driven: each case is a
 * row's targets and times and "now", and the state, phase, time left,
 * breaches and column text it must give. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sla.h"

#define T0	1796000000LL	/* a fixed created_at */
#define M	60LL
#define H	3600LL
#define D	86400LL

/* The shipped targets of sql/005_severity.sql, in seconds. */
static const struct sla_target CRIT = { 15 * M, 4 * H };
static const struct sla_target HIGH = { 1 * H, 24 * H };
static const struct sla_target MED = { 4 * H, 3 * D };
static const struct sla_target INFO = { 0, 0 };
/* Only a resolve target: the ack phase runs to it. */
static const struct sla_target RES_ONLY = { 0, 2 * H };

struct tcase {
	const char		*name;
	const struct sla_target	*t;
	/* Offsets from T0; acked_at -1: acknowledged, time unknown. */
	bool			 acked;
	long long		 acked_at;
	bool			 closed;
	long long		 closed_at;
	long long		 now;
	enum sla_state		 state;
	enum sla_phase		 phase;
	long long		 left;		/* checked while running */
	bool			 ack_breached, resolve_breached;
	const char		*cell;
};

static const struct tcase cases[] = {
	{ "critical just in", &CRIT, false, 0, false, 0, 0,
	  SLA_DUE_SOON, SLA_PHASE_ACK, 15 * M, false, false, "15m" },
	{ "critical 14m59s in", &CRIT, false, 0, false, 0, 15 * M - 1,
	  SLA_DUE_SOON, SLA_PHASE_ACK, 1, false, false, "0m" },
	{ "critical at the deadline", &CRIT, false, 0, false, 0, 15 * M,
	  SLA_DUE_SOON, SLA_PHASE_ACK, 0, false, false, "0m" },
	{ "critical 1s late", &CRIT, false, 0, false, 0, 15 * M + 1,
	  SLA_BREACHED, SLA_PHASE_ACK, -1, true, false, "-1m" },
	{ "critical 25m late to ack", &CRIT, false, 0, false, 0, 40 * M,
	  SLA_BREACHED, SLA_PHASE_ACK, -25 * M, true, false, "-25m" },
	{ "critical 3h05 late to ack", &CRIT, false, 0, false, 0, 15 * M + 3 * H + 5 * M,
	  SLA_BREACHED, SLA_PHASE_ACK, -(3 * H + 5 * M), true, false, "-3h05" },
	{ "critical unacked past resolve too", &CRIT, false, 0, false, 0, 5 * H,
	  SLA_BREACHED, SLA_PHASE_ACK, -(4 * H + 45 * M), true, true, "-4h45" },
	{ "critical acked in time, resolving", &CRIT, true, 10 * M, false, 0, 1 * H,
	  SLA_RUNNING, SLA_PHASE_RESOLVE, 3 * H, false, false, "3h00" },
	{ "critical acked, 3h05 left", &CRIT, true, 10 * M, false, 0, 55 * M,
	  SLA_RUNNING, SLA_PHASE_RESOLVE, 3 * H + 5 * M, false, false, "3h05" },
	{ "critical acked late, still in resolve time", &CRIT, true, 20 * M, false, 0, 30 * M,
	  SLA_RUNNING, SLA_PHASE_RESOLVE, 3 * H + 30 * M, true, false, "3h30" },
	{ "critical acked, resolve 13h late", &CRIT, true, 5 * M, false, 0, 17 * H + 10 * M,
	  SLA_BREACHED, SLA_PHASE_RESOLVE, -(13 * H + 10 * M), false, true, "-13h" },
	{ "critical acked, resolve 2d late", &CRIT, true, 5 * M, false, 0, 4 * H + 2 * D + 3 * H,
	  SLA_BREACHED, SLA_PHASE_RESOLVE, -(2 * D + 3 * H), false, true, "-2d" },
	{ "critical closed in time", &CRIT, true, 5 * M, true, 2 * H, 10 * D,
	  SLA_MET, SLA_PHASE_DONE, 0, false, false, "met" },
	{ "critical closed late", &CRIT, true, 5 * M, true, 5 * H, 10 * D,
	  SLA_MISSED, SLA_PHASE_DONE, 0, false, true, "miss" },
	{ "critical closed in time, acked late", &CRIT, true, 30 * M, true, 1 * H, 10 * D,
	  SLA_MISSED, SLA_PHASE_DONE, 0, true, false, "miss" },
	{ "critical closed unacked in time", &CRIT, false, 0, true, 10 * M, 10 * D,
	  SLA_MET, SLA_PHASE_DONE, 0, false, false, "met" },
	{ "critical closed unacked after the ack target", &CRIT, false, 0, true, 20 * M, 10 * D,
	  SLA_MISSED, SLA_PHASE_DONE, 0, true, false, "miss" },
	{ "acked at an unknown time: no ack breach", &CRIT, true, -1, false, 0, 1 * H,
	  SLA_RUNNING, SLA_PHASE_RESOLVE, 3 * H, false, false, "3h00" },
	{ "high, 12m left to ack", &HIGH, false, 0, false, 0, 48 * M,
	  SLA_DUE_SOON, SLA_PHASE_ACK, 12 * M, false, false, "12m" },
	{ "high acked, 23h left", &HIGH, true, 10 * M, false, 0, 30 * M,
	  SLA_RUNNING, SLA_PHASE_RESOLVE, 23 * H + 30 * M, false, false, "23h" },
	{ "high acked, 1h01 left: not due yet", &HIGH, true, 10 * M, false, 0, 22 * H + 59 * M,
	  SLA_RUNNING, SLA_PHASE_RESOLVE, 1 * H + 1 * M, false, false, "1h01" },
	{ "high acked, exactly 1h left: due", &HIGH, true, 10 * M, false, 0, 23 * H,
	  SLA_DUE_SOON, SLA_PHASE_RESOLVE, 1 * H, false, false, "1h00" },
	{ "medium acked, 2d23h left", &MED, true, 1 * H, false, 0, 1 * H,
	  SLA_RUNNING, SLA_PHASE_RESOLVE, 2 * D + 23 * H, false, false, "2d" },
	{ "medium acked, 47h59 left", &MED, true, 1 * H, false, 0, 1 * D + 1 * M,
	  SLA_RUNNING, SLA_PHASE_RESOLVE, 2 * D - 1 * M, false, false, "47h" },
	{ "medium new, 200 days late", &MED, false, 0, false, 0, 200 * D,
	  SLA_BREACHED, SLA_PHASE_ACK, 4 * H - 200 * D, true, true, "-99d+" },
	{ "info: no target", &INFO, false, 0, false, 0, 30 * D,
	  SLA_NONE, SLA_PHASE_ACK, 0, false, false, "-" },
	{ "info closed: no target", &INFO, true, 1 * H, true, 2 * H, 30 * D,
	  SLA_NONE, SLA_PHASE_DONE, 0, false, false, "-" },
	{ "resolve target only: ack phase runs to it", &RES_ONLY, false, 0, false, 0, 90 * M,
	  SLA_DUE_SOON, SLA_PHASE_ACK, 30 * M, false, false, "30m" },
	{ "resolve target only: never an ack breach", &RES_ONLY, true, 3 * H, false, 0, 3 * H,
	  SLA_BREACHED, SLA_PHASE_RESOLVE, -1 * H, false, true, "-1h00" },
	{ "clock skew: now before created", &HIGH, false, 0, false, 0, -5 * M,
	  SLA_RUNNING, SLA_PHASE_ACK, 1 * H + 5 * M, false, false, "1h05" },
};

#define NCASES ((int)(sizeof cases / sizeof cases[0]))

START_TEST(test_case)
{
	const struct tcase *c = &cases[_i];
	struct sla_clock clk;
	struct sla_status s;
	char cell[16];

	memset(&clk, 0, sizeof clk);
	clk.created = (time_t)T0;
	clk.acked = c->acked;
	clk.acked_at = c->acked_at < 0 ? 0 : c->acked ? (time_t)(T0 + c->acked_at) : 0;
	clk.closed = c->closed;
	clk.closed_at = c->closed ? (time_t)(T0 + c->closed_at) : 0;
	sla_evaluate(c->t, &clk, (time_t)(T0 + c->now), &s);
	ck_assert_msg(s.state == c->state, "%s: state %s, want %s", c->name,
	    sla_state_name(s.state), sla_state_name(c->state));
	ck_assert_msg(s.phase == c->phase, "%s: phase %d, want %d", c->name, s.phase, c->phase);
	if (c->state == SLA_RUNNING || c->state == SLA_DUE_SOON || c->state == SLA_BREACHED) {
		ck_assert_msg(s.left == c->left, "%s: left %lld, want %lld", c->name,
		    s.left, c->left);
		ck_assert_msg(s.deadline == (time_t)(T0 + c->now + c->left),
		    "%s: deadline", c->name);
	} else {
		ck_assert_msg(s.deadline == 0, "%s: a deadline without a running clock", c->name);
	}
	ck_assert_msg(s.ack_breached == c->ack_breached, "%s: ack_breached %d", c->name,
	    s.ack_breached);
	ck_assert_msg(s.resolve_breached == c->resolve_breached, "%s: resolve_breached %d",
	    c->name, s.resolve_breached);
	sla_cell(cell, sizeof cell, &s);
	ck_assert_msg(strlen(cell) <= SLA_CELL_MAX, "%s: '%s' is wider than the column",
	    c->name, cell);
	if (c->cell != NULL)
		ck_assert_msg(strcmp(cell, c->cell) == 0, "%s: cell '%s', want '%s'", c->name,
		    cell, c->cell);
}
END_TEST

/* Every time left or overdue, second by second over the first two hours
 * and then hour by hour over a year, fits the column, and the text never
 * claims more time left than there is. */
START_TEST(test_cell_width)
{
	struct sla_status s;
	char cell[16];
	long long left, step;
	int sign;

	memset(&s, 0, sizeof s);
	for (sign = -1; sign <= 1; sign += 2)
		for (left = 0; left < 366 * D; left += step) {
			step = left < 2 * H ? 1 : H;
			s.left = sign * left;
			s.state = s.left < 0 ? SLA_BREACHED : SLA_RUNNING;
			sla_cell(cell, sizeof cell, &s);
			ck_assert_msg(strlen(cell) >= 2 && strlen(cell) <= SLA_CELL_MAX,
			    "%lld s: '%s'", s.left, cell);
			ck_assert_msg((cell[0] == '-') == (s.left < 0), "%lld s: '%s'",
			    s.left, cell);
			if (s.left >= 0 && s.left < H)
				ck_assert_int_eq(atoll(cell), s.left / 60);
		}
}
END_TEST

START_TEST(test_duration)
{
	static const struct { double secs; const char *text; } d[] = {
		{ 0, "0m00s" }, { 252, "4m12s" }, { 3599.4, "59m59s" }, { 3600, "1h00m" },
		{ 11100, "3h05m" }, { 86400 + 4 * 3600, "1d04h" }, { -1, "-" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof d / sizeof d[0]; i++) {
		sla_duration(buf, sizeof buf, d[i].secs);
		ck_assert_msg(strcmp(buf, d[i].text) == 0, "%g: '%s', want '%s'", d[i].secs,
		    buf, d[i].text);
	}
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(sla_state_name(SLA_BREACHED), "breached");
	ck_assert_str_eq(sla_state_name(SLA_DUE_SOON), "due");
	ck_assert(sla_state_alarm(SLA_BREACHED));
	ck_assert(sla_state_alarm(SLA_MISSED));
	ck_assert(!sla_state_alarm(SLA_DUE_SOON));
	ck_assert(!sla_state_alarm(SLA_MET));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sla");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_case, 0, NCASES);
	tcase_add_test(tc, test_cell_width);
	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
