/* check_keymap.c: the console's pure parts, without a terminal: key names,
 * default bindings, the keys file, request names, line editing, history,
 * completion prefixes, and the layout at 80x24, 60x20 and wider. */
#include <check.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "keymap.h"
#include "layout.h"
#include "prompt.h"
#include "request.h"
#include "sanitize.h"
#include "strbuf.h"

START_TEST(test_key_names)
{
	int key;
	char buf[32];

	ck_assert_int_eq(keymap_parse_key("j", &key), 0);
	ck_assert_int_eq(key, 'j');
	ck_assert_int_eq(keymap_parse_key("^F", &key), 0);
	ck_assert_int_eq(key, 6);
	ck_assert_int_eq(keymap_parse_key("<PgDn>", &key), 0);
	ck_assert_int_eq(key, KEYMAP_FKEY | KEY_NPAGE);
	ck_assert_int_eq(keymap_parse_key("<enter>", &key), 0);
	ck_assert_int_eq(key, '\n');
	ck_assert_int_eq(keymap_parse_key("<F5>", &key), 0);
	keymap_key_name(key, buf, sizeof buf);
	ck_assert_str_eq(buf, "<F5>");
	keymap_key_name(' ', buf, sizeof buf);
	ck_assert_str_eq(buf, "<Space>");
	keymap_key_name(2, buf, sizeof buf);
	ck_assert_str_eq(buf, "^B");
	ck_assert_int_eq(keymap_parse_key("", &key), -1);
	ck_assert_int_eq(keymap_parse_key("<Nope>", &key), -1);
	ck_assert_int_eq(keymap_parse_key("jj", &key), -1);
	ck_assert_int_eq(keymap_parse_key(NULL, &key), -1);
	ck_assert_int_eq(keymap_parse_key("<F13>", &key), -1);
}
END_TEST

START_TEST(test_defaults)
{
	struct keymap km;
	char buf[128];

	keymap_init(&km);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'j'), REQ_MOVE_DOWN);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, KEYMAP_FKEY | KEY_DOWN), REQ_MOVE_DOWN);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'q'), REQ_BACK);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, ' '), REQ_MARK);
	/* The same key means something else in the detail view. */
	ck_assert_int_eq(keymap_lookup(&km, KS_DETAIL, ' '), REQ_PAGE_DOWN);
	ck_assert_int_eq(keymap_lookup(&km, KS_DETAIL, '/'), REQ_NONE);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'Z'), REQ_NONE);
	ck_assert_int_eq(keymap_keys_for(&km, KS_QUEUE, REQ_MOVE_DOWN, buf, sizeof buf), 2);
	ck_assert_str_eq(buf, "j, <Down>");
	keymap_keys_for(&km, KS_DETAIL, REQ_PAGE_DOWN, buf, sizeof buf);
	ck_assert_str_eq(buf, "<Space>, <PgDn>, ^F");
	/* Every request but the help-only ones has a default key. */
	ck_assert_int_gt(keymap_keys_for(&km, KS_QUEUE, REQ_CLOSE, buf, sizeof buf), 0);
	keymap_free(&km);
}
END_TEST

START_TEST(test_rebind)
{
	struct keymap km;
	char err[256], buf[128];

	keymap_init(&km);
	ck_assert_int_eq(keymap_parse_line(&km, "bind x close", err, sizeof err), 0);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'x'), REQ_CLOSE);
	ck_assert_int_eq(keymap_parse_line(&km, "  # a comment", err, sizeof err), 0);
	ck_assert_int_eq(keymap_parse_line(&km, "", err, sizeof err), 0);
	ck_assert_int_eq(keymap_parse_line(&km, "bind queue J page-down\n", err, sizeof err), 0);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'J'), REQ_PAGE_DOWN);
	ck_assert_int_eq(keymap_lookup(&km, KS_DETAIL, 'J'), REQ_NONE);
	ck_assert_int_eq(keymap_parse_line(&km, "unbind c", err, sizeof err), 0);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'c'), REQ_NONE);
	keymap_keys_for(&km, KS_QUEUE, REQ_CLOSE, buf, sizeof buf);
	ck_assert_str_eq(buf, "x");
	/* A scope binding shadows the generic one. */
	ck_assert_int_eq(keymap_parse_line(&km, "bind detail t ack", err, sizeof err), 0);
	ck_assert_int_eq(keymap_lookup(&km, KS_DETAIL, 't'), REQ_ACK);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 't'), REQ_TAKE);
	keymap_keys_for(&km, KS_DETAIL, REQ_TAKE, buf, sizeof buf);
	ck_assert_str_eq(buf, "");

	ck_assert_int_eq(keymap_parse_line(&km, "bind x frobnicate", err, sizeof err), -1);
	ck_assert_str_eq(err, "unknown request 'frobnicate'");
	ck_assert_int_eq(keymap_parse_line(&km, "bind <Bogus> quit", err, sizeof err), -1);
	ck_assert_str_eq(err, "unknown key '<Bogus>'");
	ck_assert_int_eq(keymap_parse_line(&km, "bind nowhere x quit", err, sizeof err), -1);
	ck_assert_int_eq(keymap_parse_line(&km, "bind x", err, sizeof err), -1);
	ck_assert_int_eq(keymap_parse_line(&km, "map x quit", err, sizeof err), -1);
	keymap_free(&km);
}
END_TEST

START_TEST(test_keys_file)
{
	struct keymap km;
	char path[] = "/tmp/check_keymap.XXXXXX", err[512], want[600];
	int fd;
	FILE *f;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("# my keys\nbind x quit\n\nbind y nothing-here\nbind z <bad\n", f);
	fclose(f);
	keymap_init(&km);
	ck_assert_int_eq(keymap_load_file(&km, path, err, sizeof err), 2);
	snprintf(want, sizeof want, "%s:4: unknown request 'nothing-here'", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'x'), REQ_QUIT);
	unlink(path);
	ck_assert_int_eq(keymap_load_file(&km, "/nonexistent/keys", err, sizeof err), 0);
	ck_assert_str_eq(err, "");
	keymap_free(&km);
}
END_TEST

START_TEST(test_requests)
{
	int r;

	ck_assert_str_eq(request_name(REQ_MOVE_DOWN), "move-down");
	ck_assert_int_eq(request_parse("close"), REQ_CLOSE);
	ck_assert_int_eq(request_parse("nope"), REQ_NONE);
	ck_assert_ptr_null(request_name(REQ_NONE));
	ck_assert_str_eq(request_group(REQ_MOVE_DOWN), "Moving");
	ck_assert_str_eq(request_group(REQ_CLOSE),
	    "Triage (marked alerts, else the selected one)");
	/* Names are unique and round-trip: help and keys file agree. */
	for (r = REQ_NONE + 1; r < REQ__COUNT; r++) {
		ck_assert_ptr_nonnull(request_name((enum request)r));
		ck_assert_int_eq(request_parse(request_name((enum request)r)), r);
		ck_assert_ptr_nonnull(request_help((enum request)r));
	}
}
END_TEST

START_TEST(test_edit)
{
	struct line_edit e;

	edit_set(&e, "close fp");
	ck_assert_int_eq(edit_key(&e, ' '), EDIT_CHANGED);
	ck_assert_str_eq(e.buf, "close fp ");
	ck_assert_int_eq(edit_key(&e, 23), EDIT_CHANGED);	/* ^W */
	ck_assert_str_eq(e.buf, "close ");
	edit_key(&e, 0xe4);	/* a-umlaut, as a code point */
	ck_assert_str_eq(e.buf, "close \xc3\xa4");
	ck_assert_int_eq(edit_cursor_col(&e, 0), 7);
	ck_assert_int_eq(edit_key(&e, KEYMAP_FKEY | KEY_LEFT), EDIT_MOVED);
	ck_assert_uint_eq(e.cur, 6);
	ck_assert_int_eq(edit_key(&e, KEYMAP_FKEY | KEY_DC), EDIT_CHANGED);
	ck_assert_str_eq(e.buf, "close ");
	ck_assert_int_eq(edit_key(&e, 127), EDIT_CHANGED);
	ck_assert_str_eq(e.buf, "close");
	ck_assert_int_eq(edit_key(&e, 1), EDIT_MOVED);	/* ^A */
	ck_assert_int_eq(edit_key(&e, 11), EDIT_CHANGED);	/* ^K */
	ck_assert_str_eq(e.buf, "");
	ck_assert_int_eq(edit_key(&e, 27), EDIT_CANCEL);
	ck_assert_int_eq(edit_key(&e, '\n'), EDIT_ENTER);
	ck_assert_int_eq(edit_key(&e, '\t'), EDIT_TAB);
	ck_assert_int_eq(edit_key(&e, KEYMAP_FKEY | KEY_UP), EDIT_HIST_PREV);
	/* Control characters and C1 never enter the line. */
	ck_assert_int_eq(edit_key(&e, 0x9b), EDIT_NONE);
	ck_assert_int_eq(edit_key(&e, 3), EDIT_NONE);
	edit_set(&e, "sort ti");
	ck_assert_uint_eq(edit_word_start(&e), 5);
	edit_replace_word(&e, 5, "title");
	ck_assert_str_eq(e.buf, "sort title");
}
END_TEST

/* Tab at the end of a full line: a completion that does not fit leaves
 * the line as it was instead of deleting the word being completed. */
START_TEST(test_edit_full_line)
{
	static char full[PROMPT_MAX];
	struct line_edit e;
	size_t len;

	memset(full, 'x', PROMPT_MAX - 8);
	memcpy(full + PROMPT_MAX - 8, " ab", 4);
	edit_set(&e, full);
	len = e.len;
	ck_assert_uint_eq(len, PROMPT_MAX - 5);
	edit_replace_word(&e, edit_word_start(&e), "abcdefghijkl");
	ck_assert_uint_eq(e.len, len);
	ck_assert_uint_eq(e.cur, len);
	ck_assert_str_eq(e.buf + len - 3, " ab");
	/* What fits still goes in. */
	edit_replace_word(&e, edit_word_start(&e), "abc");
	ck_assert_str_eq(e.buf + len - 3, " abc");
	/* A 3-byte character: one key, one backspace, at the limit too. */
	ck_assert_int_eq(edit_key(&e, 0x20ac), EDIT_CHANGED);
	ck_assert_uint_eq(e.len, PROMPT_MAX - 1);
	ck_assert_int_eq(edit_key(&e, 0x20ac), EDIT_NONE);	/* no room */
	ck_assert_int_eq(edit_key(&e, 'z'), EDIT_NONE);
	edit_set(&e, "a");
	ck_assert_int_eq(edit_key(&e, 0x20ac), EDIT_CHANGED);
	ck_assert_str_eq(e.buf, "a\xe2\x82\xac");
	ck_assert_int_eq(edit_cursor_col(&e, 0), 2);
	ck_assert_int_eq(edit_key(&e, 127), EDIT_CHANGED);
	ck_assert_str_eq(e.buf, "a");
}
END_TEST

START_TEST(test_history_completion)
{
	struct prompt_history h;
	char *c1[] = { (char *)"assign", (char *)"ack" };
	char *c2[] = { (char *)"sort", (char *)"save", (char *)"suppress" };
	char *c3[] = { (char *)"false_positive" };
	int i;

	memset(&h, 0, sizeof h);
	prompt_history_add(&h, "sort title");
	prompt_history_add(&h, "sort title");
	prompt_history_add(&h, "");
	ck_assert_int_eq(h.n, 1);
	for (i = 0; i < PROMPT_HISTORY + 5; i++) {
		char line[32];
		snprintf(line, sizeof line, "note %d", i);
		prompt_history_add(&h, line);
	}
	ck_assert_int_eq(h.n, PROMPT_HISTORY);
	ck_assert_str_eq(h.item[h.n - 1], "note 68");
	prompt_history_free(&h);
	ck_assert_uint_eq(prompt_common_prefix(c1, 2), 1);
	ck_assert_uint_eq(prompt_common_prefix(c2, 3), 1);
	ck_assert_uint_eq(prompt_common_prefix(c3, 1), 14);
	ck_assert_uint_eq(prompt_common_prefix(c3, 0), 0);
}
END_TEST

static int
title_width(int width, int *ncols, bool *has_owner, bool *has_id)
{
	struct qcol_layout l[QC__COUNT];
	int n = layout_queue(width, l), i, tw = 0, end = 0;

	*has_owner = *has_id = false;
	for (i = 0; i < n; i++) {
		if (l[i].col == QC_TITLE)
			tw = l[i].w;
		if (l[i].col == QC_ASSIGNEE)
			*has_owner = true;
		if (l[i].col == QC_ID)
			*has_id = true;
		if (i > 0)
			ck_assert_int_ge(l[i].x, l[i - 1].x + l[i - 1].w);
		end = l[i].x + l[i].w;
	}
	/* Columns fill the line exactly. */
	ck_assert_int_eq(end, width);
	*ncols = n;
	return tw;
}

START_TEST(test_layout_columns)
{
	int n80, n60, n120;
	bool owner, id;

	ck_assert_int_ge(title_width(80, &n80, &owner, &id), 30);
	ck_assert(owner);
	ck_assert(!id);
	ck_assert_int_ge(title_width(60, &n60, &owner, &id), 20);
	ck_assert(!owner);
	ck_assert_int_ge(title_width(120, &n120, &owner, &id), 35);
	ck_assert(owner && id);
	ck_assert_int_gt(n120, n80);
	ck_assert_int_gt(n80, n60);
	ck_assert_int_eq(layout_qcol_sort(QC_TITLE), QS_TITLE);
	ck_assert_int_eq(layout_qcol_sort(QC_MARK), QS__COUNT);
	/* The SLA column at every width, 60 to 120. */
	{
		static const int widths[] = { 60, 80, 120 };
		struct qcol_layout l[QC__COUNT];
		int w, i, n, found;

		for (w = 0; w < 3; w++) {
			n = layout_queue(widths[w], l);
			for (i = found = 0; i < n; i++)
				found += l[i].col == QC_SLA && l[i].w >= SLA_CELL_MAX;
			ck_assert_msg(found == 1, "no SLA column at %d columns", widths[w]);
		}
	}
}
END_TEST

START_TEST(test_layout_screen)
{
	struct screen_layout l;

	layout_screen(24, 80, &l);
	ck_assert(!l.too_small);
	ck_assert_int_eq(l.status_y, 23);
	ck_assert_int_eq(l.body_y + l.body_h, l.status_y);
	/* 20 alert rows at 80x24: header 2, column header 1, status 1. */
	ck_assert_int_eq(l.body_h - 1, 20);
	layout_screen(20, 60, &l);
	ck_assert(!l.too_small);
	ck_assert_int_eq(l.body_h - 1, 16);
	layout_screen(6, 30, &l);
	ck_assert(l.too_small);
}
END_TEST

START_TEST(test_layout_row)
{
	struct qcol_layout l[QC__COUNT];
	struct queue_row r;
	struct strbuf sb;
	int n;
	time_t now = 1800000000;

	memset(&r, 0, sizeof r);
	r.id = 42;
	r.severity = 5;
	r.status = ST_NEW;
	r.rule_id = (char *)"R7";
	r.asset_ref = (char *)"CS-0042";
	/* Hostile text: ESC sequences and a bidi override are escaped. */
	r.title = (char *)"evil\x1b[2J title \xe2\x80\xae";
	r.occurrences = 12345;
	r.first_seen = now - 7200;
	r.last_seen = now - 60;
	/* Critical, new for two hours: 1h45 past its 15 minutes to ack. */
	r.created_at = now - 7200;
	r.sla_ack = 900;
	r.sla_resolve = 4 * 3600;
	n = layout_queue(80, l);
	strbuf_init(&sb);
	layout_queue_row(&sb, &r, l, n, now, true, "*", 0, 0);
	ck_assert_int_eq(format_width(sb.buf), 80);
	ck_assert_msg(strstr(sb.buf, "*CRIT   2h -1h45 new    -        CS-0042") != NULL,
	    "row: %s", sb.buf);
	ck_assert_ptr_nonnull(strstr(sb.buf, "evil\\e[2J title \\u{202E}"));
	ck_assert_msg(strstr(sb.buf, "12,345") != NULL, "row: %s", sb.buf);
	ck_assert_ptr_null(strchr(sb.buf, '\x1b'));
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_position)
{
	char buf[64];

	layout_position(buf, sizeof buf, 3, 120, true);
	ck_assert_str_eq(buf, "row 3 of 120");
	layout_position(buf, sizeof buf, 12, 10000, false);
	ck_assert_str_eq(buf, "row 12 of 10,000+");
	layout_position(buf, sizeof buf, 0, 0, true);
	ck_assert_str_eq(buf, "no rows");
}
END_TEST

START_TEST(test_edit_view)
{
	struct line_edit e;
	struct strbuf clean;
	size_t skip;
	int skipped, col, i;

	/* Without UTF-8 the prompt draws e-acute as \u{00E9} (8 columns):
	 * the cursor after it is at column 11, not 4. */
	edit_set(&e, "caf\xc3\xa9");
	ck_assert_int_eq(edit_cursor_col(&e, 0), 4);
	ck_assert_int_eq(edit_cursor_col(&e, SAN_ASCII), 11);

	/* Ten double-width characters (20 columns) in a 10-column field:
	 * scroll by columns, not characters, so the cursor stays on text. */
	edit_set(&e, "");
	for (i = 0; i < 10; i++)
		edit_key(&e, 0x6f22);
	strbuf_init(&clean);
	sanitize(&clean, e.buf, e.len, 0);
	col = edit_cursor_col(&e, 0);
	ck_assert_int_eq(col, 20);
	skip = edit_scroll(clean.buf, col, 10, &skipped);
	ck_assert_int_eq(skipped, 10);
	ck_assert_uint_eq(skip, 15);
	ck_assert_int_le(col - skipped, 10);
	ck_assert_int_eq(format_width(clean.buf + skip), col - skipped);
	/* Nothing to scroll when it fits. */
	ck_assert_uint_eq(edit_scroll(clean.buf, col, 20, &skipped), 0);
	ck_assert_int_eq(skipped, 0);
	strbuf_free(&clean);
}
END_TEST

START_TEST(test_keys_file_edges)
{
	char path[] = "/tmp/vsoc-keysXXXXXX", err[512], want[600];
	struct keymap km;
	FILE *f;
	int fd, i;

	/* CRLF lines work; a long comment line is one line, its tail is not
	 * read as a binding, and later line numbers stay right. */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("bind x quit\r\n#", f);
	for (i = 0; i < 600; i++)
		fputc('-', f);
	fputs(" bind y quit\r\nbind z nothing-here\n", f);
	fclose(f);
	keymap_init(&km);
	ck_assert_int_eq(keymap_load_file(&km, path, err, sizeof err), 1);
	snprintf(want, sizeof want, "%s:3: unknown request 'nothing-here'", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'x'), REQ_QUIT);
	ck_assert_int_ne(keymap_lookup(&km, KS_QUEUE, 'y'), REQ_QUIT);
	keymap_free(&km);

	/* A binding longer than a line may be is an error, once. */
	f = fopen(path, "w");
	fputs("bind x ", f);
	for (i = 0; i < 600; i++)
		fputc('q', f);
	fputs("\nbind y quit\n", f);
	fclose(f);
	keymap_init(&km);
	ck_assert_int_eq(keymap_load_file(&km, path, err, sizeof err), 1);
	snprintf(want, sizeof want, "%s:1: line too long", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(keymap_lookup(&km, KS_QUEUE, 'y'), REQ_QUIT);
	keymap_free(&km);

	/* A NUL byte is reported, not silently cut at. */
	f = fopen(path, "w");
	fwrite("bind x quit\0bind q nothing\n", 1, 27, f);
	fclose(f);
	keymap_init(&km);
	ck_assert_int_eq(keymap_load_file(&km, path, err, sizeof err), 1);
	snprintf(want, sizeof want, "%s:1: NUL byte in the line", path);
	ck_assert_str_eq(err, want);
	keymap_free(&km);

	/* A file that is there but cannot be read is reported; a missing one
	 * is fine. */
	if (geteuid() != 0) {
		chmod(path, 0);
		keymap_init(&km);
		ck_assert_int_eq(keymap_load_file(&km, path, err, sizeof err), 1);
		ck_assert_ptr_nonnull(strstr(err, "Permission denied"));
		keymap_free(&km);
	}
	unlink(path);
	keymap_init(&km);
	ck_assert_int_eq(keymap_load_file(&km, "/tmp", err, sizeof err), 1);
	ck_assert_ptr_nonnull(strstr(err, "/tmp"));
	keymap_free(&km);
}
END_TEST

static Suite *
keymap_suite(void)
{
	Suite *s = suite_create("console");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, test_key_names);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_rebind);
	tcase_add_test(tc, test_keys_file);
	tcase_add_test(tc, test_requests);
	tcase_add_test(tc, test_edit);
	tcase_add_test(tc, test_edit_full_line);
	tcase_add_test(tc, test_edit_view);
	tcase_add_test(tc, test_keys_file_edges);
	tcase_add_test(tc, test_history_completion);
	tcase_add_test(tc, test_layout_columns);
	tcase_add_test(tc, test_layout_screen);
	tcase_add_test(tc, test_layout_row);
	tcase_add_test(tc, test_position);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* Widths of non-ASCII text need a UTF-8 LC_CTYPE. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	sr = srunner_create(keymap_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
