/* check_incident.c: the incident phases and their transition rules
 * (core/incident_status.c), and the request checks made before any
 * database (incident_validate), table-driven. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "incident_action.h"
#include "incident_status.h"

#define OPEN	IS_OPEN
#define TRI	IS_TRIAGE
#define CON	IS_CONTAINMENT
#define ERA	IS_ERADICATION
#define REC	IS_RECOVERY
#define POST	IS_POST_INCIDENT
#define CLOSED	IS_CLOSED

/* from, to, reason, resolution, open alerts, force, disposition, merged:
 * verdict, and a word the message must hold ("" for none). */
static const struct {
	struct incident_transition	t;
	enum incident_verdict		want;
	const char			*says;
} cases[] = {
	/* Forward moves are free, one phase or several. */
	{ { OPEN, TRI, 0, 0, 3, 0, 0, 0 }, IV_OK, "" },
	{ { TRI, CON, 0, 0, 0, 0, 0, 0 }, IV_OK, "" },
	{ { CON, ERA, 0, 0, 9, 0, 0, 0 }, IV_OK, "" },
	{ { ERA, REC, 0, 0, 0, 0, 0, 0 }, IV_OK, "" },
	{ { REC, POST, 0, 0, 0, 0, 0, 0 }, IV_OK, "" },
	{ { OPEN, POST, 0, 0, 0, 0, 0, 0 }, IV_OK, "" },
	{ { OPEN, CON, 1, 0, 0, 0, 0, 0 }, IV_OK, "" },
	/* Back needs a reason. */
	{ { TRI, OPEN, 0, 0, 0, 0, 0, 0 }, IV_NEEDS_REASON, "moving back from triage to open" },
	{ { POST, CON, 0, 0, 0, 0, 0, 0 }, IV_NEEDS_REASON, "needs a reason" },
	{ { REC, ERA, 1, 0, 0, 0, 0, 0 }, IV_OK, "" },
	{ { POST, OPEN, 1, 0, 4, 0, 0, 0 }, IV_OK, "" },
	/* Closing: a resolution, and no open alert unless forced with a
	 * disposition. */
	{ { POST, CLOSED, 0, 0, 0, 0, 0, 0 }, IV_NEEDS_RESOLUTION, "resolution" },
	{ { OPEN, CLOSED, 1, 0, 0, 0, 0, 0 }, IV_NEEDS_RESOLUTION, "resolution" },
	{ { POST, CLOSED, 0, 1, 0, 0, 0, 0 }, IV_OK, "" },
	{ { TRI, CLOSED, 0, 1, 0, 0, 0, 0 }, IV_OK, "" },
	{ { CON, CLOSED, 0, 1, 1, 0, 0, 0 }, IV_OPEN_ALERTS, "1 alert in the incident is still open" },
	{ { CON, CLOSED, 0, 1, 5, 0, 0, 0 }, IV_OPEN_ALERTS, "5 alerts" },
	{ { CON, CLOSED, 0, 1, 5, 1, 0, 0 }, IV_NEEDS_DISPOSITION, "disposition" },
	{ { CON, CLOSED, 0, 1, 5, 1, 1, 0 }, IV_OK, "" },
	{ { CON, CLOSED, 0, 1, 0, 1, 0, 0 }, IV_OK, "" },
	{ { CON, CLOSED, 0, 0, 5, 1, 1, 0 }, IV_NEEDS_RESOLUTION, "resolution" },
	/* Reopening needs a reason; a merged incident stays closed. */
	{ { CLOSED, OPEN, 0, 0, 0, 0, 0, 0 }, IV_NEEDS_REASON, "reopening" },
	{ { CLOSED, TRI, 1, 0, 0, 0, 0, 0 }, IV_OK, "" },
	{ { CLOSED, POST, 1, 0, 0, 0, 0, 0 }, IV_OK, "" },
	{ { CLOSED, OPEN, 1, 0, 0, 0, 0, 1 }, IV_MERGED, "merged" },
	{ { CLOSED, OPEN, 0, 0, 0, 0, 0, 1 }, IV_MERGED, "merged" },
	/* Nothing to do. */
	{ { CON, CON, 0, 0, 0, 0, 0, 0 }, IV_SAME, "already containment" },
	{ { CLOSED, CLOSED, 0, 1, 0, 0, 0, 0 }, IV_SAME, "already closed" },
	/* Out of range. */
	{ { IS_UNKNOWN, OPEN, 1, 1, 0, 0, 0, 0 }, IV_INVALID, "unknown" },
	{ { OPEN, IS__COUNT, 1, 1, 0, 0, 0, 0 }, IV_INVALID, "unknown" },
};

START_TEST(test_transition)
{
	char msg[256];
	enum incident_verdict v = incident_transition_check(&cases[_i].t, msg, sizeof msg);

	ck_assert_msg(v == cases[_i].want, "case %d: %s -> %s: verdict %d, want %d (%s)",
	    _i, incident_status_name(cases[_i].t.from), incident_status_name(cases[_i].t.to),
	    v, cases[_i].want, msg);
	ck_assert_msg(strstr(msg, cases[_i].says) != NULL, "case %d: '%s' lacks '%s'", _i,
	    msg, cases[_i].says);
	if (v == IV_OK)
		ck_assert_str_eq(msg, "");
	/* NULL message buffers are fine. */
	ck_assert_int_eq(incident_transition_check(&cases[_i].t, NULL, 0), v);
}
END_TEST

static const struct {
	enum incident_status	from, to;
	enum incident_move	want;
} moves[] = {
	{ OPEN, OPEN, IM_SAME }, { OPEN, TRI, IM_FORWARD }, { POST, OPEN, IM_BACK },
	{ OPEN, CLOSED, IM_CLOSE }, { POST, CLOSED, IM_CLOSE }, { CLOSED, OPEN, IM_REOPEN },
	{ CLOSED, POST, IM_REOPEN }, { ERA, CON, IM_BACK }, { CON, REC, IM_FORWARD },
};

START_TEST(test_move)
{
	ck_assert_int_eq(incident_move_of(moves[_i].from, moves[_i].to), moves[_i].want);
}
END_TEST

START_TEST(test_names)
{
	int s;

	for (s = 0; s < IS__COUNT; s++)
		ck_assert_int_eq(incident_status_parse(incident_status_name(s)), s);
	ck_assert_int_eq(incident_status_parse("CONTAIN"), IS_CONTAINMENT);
	ck_assert_int_eq(incident_status_parse("post-incident"), IS_POST_INCIDENT);
	ck_assert_int_eq(incident_status_parse("post"), IS_POST_INCIDENT);
	ck_assert_int_eq(incident_status_parse("c"), IS_UNKNOWN);	/* containment, closed */
	ck_assert_int_eq(incident_status_parse("e"), IS_ERADICATION);
	ck_assert_int_eq(incident_status_parse(""), IS_UNKNOWN);
	ck_assert_int_eq(incident_status_parse(NULL), IS_UNKNOWN);
	ck_assert_int_eq(incident_status_parse("closedx"), IS_UNKNOWN);
	ck_assert_str_eq(incident_status_name(IS_UNKNOWN), "unknown");
	ck_assert_str_eq(incident_action_name(IA_MERGE), "merge");
	ck_assert_str_eq(incident_action_name(IA__COUNT), "unknown");
}
END_TEST

/* Requests refused before the database: the message must say why. */
static const long long some_alerts[] = { 1, 2 };
static const long long bad_alerts[] = { 1, 0 };

static const struct {
	struct incident_req	req;
	enum triage_result	want;
	const char		*says;
} requests[] = {
	{ { .action = IA_CREATE }, TRIAGE_USAGE, "needs a title" },
	{ { .action = IA_CREATE, .title = "  " }, TRIAGE_USAGE, "needs a title" },
	{ { .action = IA_CREATE, .title = "t" }, TRIAGE_OK, "" },
	{ { .action = IA_CREATE, .alerts = some_alerts, .nalerts = 2 }, TRIAGE_OK, "" },
	{ { .action = IA_CREATE, .alerts = bad_alerts, .nalerts = 2 }, TRIAGE_USAGE,
	  "0 is not an alert id" },
	{ { .action = IA_CREATE, .title = "\xff" }, TRIAGE_USAGE, "UTF-8" },
	{ { .action = IA_RENAME, .title = "t" }, TRIAGE_USAGE, "no incident" },
	{ { .action = IA_RENAME, .id = 3 }, TRIAGE_USAGE, "needs a title" },
	{ { .action = IA_ASSIGN, .id = 3, .assignee = " " }, TRIAGE_USAGE, "analyst name" },
	{ { .action = IA_ASSIGN, .id = 3 }, TRIAGE_OK, "" },
	{ { .action = IA_STATUS, .id = 3, .status = IS_UNKNOWN }, TRIAGE_USAGE, "unknown status" },
	{ { .action = IA_STATUS, .id = 3, .status = TRI, .force = true,
	    .disposition = DISP_BENIGN }, TRIAGE_USAGE, "only applies to closing" },
	{ { .action = IA_STATUS, .id = 3, .status = CLOSED, .force = true },
	  TRIAGE_USAGE, "--disposition" },
	{ { .action = IA_STATUS, .id = 3, .status = TRI, .resolution = "r" },
	  TRIAGE_USAGE, "resolution only applies" },
	{ { .action = IA_STATUS, .id = 3, .status = CLOSED, .resolution = "r", .force = true,
	    .disposition = DISP_FALSE_POSITIVE }, TRIAGE_OK, "" },
	{ { .action = IA_NOTE, .id = 3, .text = "\n" }, TRIAGE_USAGE, "needs text" },
	{ { .action = IA_ADD, .id = 3 }, TRIAGE_USAGE, "no alert" },
	{ { .action = IA_REMOVE, .id = 3 }, TRIAGE_USAGE, "no alert" },
	{ { .action = IA_MOVE, .id = 3, .alerts = some_alerts, .nalerts = 2 },
	  TRIAGE_USAGE, "needs the other incident" },
	{ { .action = IA_MOVE, .id = 3, .target = 3, .alerts = some_alerts, .nalerts = 2 },
	  TRIAGE_USAGE, "into itself" },
	{ { .action = IA_MERGE, .id = 3, .target = 3 }, TRIAGE_USAGE, "into itself" },
	{ { .action = IA_MERGE, .id = 3, .target = 4 }, TRIAGE_OK, "" },
	{ { .action = IA_SEVERITY, .id = 3, .severity = 4 }, TRIAGE_USAGE, "needs a reason" },
	{ { .action = IA_SEVERITY, .id = 3, .severity = 9, .reason = "r" }, TRIAGE_USAGE,
	  "unknown severity" },
	{ { .action = IA_SEVERITY, .id = 3 }, TRIAGE_OK, "" },
};

START_TEST(test_validate)
{
	struct incident_outcome out;

	ck_assert_int_eq(incident_validate(&requests[_i].req, &out), requests[_i].want);
	ck_assert_msg(strstr(out.message, requests[_i].says) != NULL,
	    "request %d: '%s' lacks '%s'", _i, out.message, requests[_i].says);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("incident");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_transition, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_loop_test(tc, test_move, 0, (int)(sizeof moves / sizeof moves[0]));
	tcase_add_test(tc, test_names);
	tcase_add_loop_test(tc, test_validate, 0, (int)(sizeof requests / sizeof requests[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
