/* check_config.c: the settings file (core/settings.c), the secrets file
 * (core/secrets.c) and the evidence printer (core/evidence.c). */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence.h"
#include "sanitize.h"
#include "secrets.h"
#include "settings.h"
#include "strbuf.h"

static int
parse(struct settings *c, const char *text, struct strbuf *err, struct strbuf *warn)
{
	strbuf_reset(err);
	strbuf_reset(warn);
	return settings_parse(c, "cfg", text, strlen(text), err, warn);
}

START_TEST(test_settings_ok)
{
	struct settings c;
	struct strbuf err, warn, o;

	strbuf_init(&err);
	strbuf_init(&warn);
	strbuf_init(&o);
	settings_init(&c);
	ck_assert_int_eq(settings_get_duration(&c, "console", "idle_lock"), 900);
	ck_assert(!settings_get_bool(&c, "console", "read_only"));
	ck_assert_int_eq(parse(&c, "# x\n\n[console]\r\n  idle_lock = 2m\n"
	    "read_only=On\nview = \"my view\"\ncolor = never\n", &err, &warn), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_str_eq(warn.buf, "");
	ck_assert_int_eq(settings_get_duration(&c, "console", "idle_lock"), 120);
	ck_assert(settings_get_bool(&c, "console", "read_only"));
	ck_assert_str_eq(settings_get(&c, "console", "view"), "my view");
	ck_assert_str_eq(settings_get(&c, "console", "colour"), "never");
	settings_origin(&c, settings_find("console", "idle_lock"), &o);
	ck_assert_str_eq(o.buf, "user file cfg:4");
	/* Precedence: environment over the file, the option over both. */
	setenv("VSOC_IDLE_LOCK", "30s", 1);
	ck_assert_int_eq(settings_apply_env(&c, &err), 0);
	ck_assert_int_eq(settings_get_duration(&c, "console", "idle_lock"), 30);
	ck_assert_int_eq(settings_set_flag(&c, "console", "idle_lock", "0", &err), 0);
	ck_assert_int_eq(settings_get_duration(&c, "console", "idle_lock"), 0);
	strbuf_reset(&o);
	settings_origin(&c, settings_find("console", "idle_lock"), &o);
	ck_assert_str_eq(o.buf, "option --idle-lock");
	setenv("VSOC_IDLE_LOCK", "8d", 1);
	ck_assert_int_eq(settings_apply_env(&c, &err), 1);
	ck_assert_ptr_nonnull(strstr(err.buf, "VSOC_IDLE_LOCK takes a duration"));
	unsetenv("VSOC_IDLE_LOCK");
	settings_free(&c);
	strbuf_free(&err);
	strbuf_free(&warn);
	strbuf_free(&o);
}
END_TEST

/* The system file under the user file: the user's keys win, the others
 * stay the system's; a user channel replaces the system's of its name. */
START_TEST(test_settings_layers)
{
	static const char sys[] =
	    "[console]\nidle_lock = 10m\nview = escalated\n"
	    "[channel oncall]\ntype = webhook\nurl = https://s.example.invalid/a\n"
	    "[channel audit]\ntype = webhook\nurl = https://s.example.invalid/b\n";
	static const char user[] =
	    "[console]\nidle_lock = 5m\n"
	    "[channel oncall]\ntype = webhook\nurl = https://u.example.invalid/a\n";
	static const char bad[] = "[console]\nview = x\nidle_lock = forever\n";
	struct settings c;
	struct strbuf err, warn, o;

	strbuf_init(&err);
	strbuf_init(&warn);
	strbuf_init(&o);
	settings_init(&c);
	ck_assert_int_eq(settings_parse_layer(&c, SETTINGS_SYSTEM, "/etc/vsoc/config", sys,
	    strlen(sys), &err, &warn), 0);
	ck_assert_int_eq(settings_parse_layer(&c, SETTINGS_FILE, "u", user, strlen(user),
	    &err, &warn), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_str_eq(settings_get(&c, "console", "idle_lock"), "5m");
	ck_assert_str_eq(settings_get(&c, "console", "view"), "escalated");
	settings_origin(&c, settings_find("console", "idle_lock"), &o);
	ck_assert_str_eq(o.buf, "user file u:2");
	strbuf_reset(&o);
	settings_origin(&c, settings_find("console", "view"), &o);
	ck_assert_str_eq(o.buf, "system file /etc/vsoc/config:3");
	ck_assert_str_eq(settings_source_name(c.source[settings_find("console", "view")]),
	    "system");
	ck_assert_uint_eq(c.channels.n, 2);
	ck_assert_uint_eq(c.channels_user, 1);
	ck_assert_str_eq(c.channels.v[0].name, "oncall");
	ck_assert_str_eq(c.channels.v[0].url, "https://u.example.invalid/a");
	ck_assert_str_eq(c.channels.v[1].name, "audit");
	strbuf_reset(&o);
	settings_channel_origin(&c, 1, &o);
	ck_assert_str_eq(o.buf, "system file /etc/vsoc/config:7");
	/* A system file read after the user's never overrides it. */
	ck_assert_int_eq(settings_parse_layer(&c, SETTINGS_SYSTEM, "s2", sys, strlen(sys),
	    &err, &warn), 0);
	ck_assert_str_eq(settings_get(&c, "console", "idle_lock"), "5m");
	ck_assert_str_eq(c.channels.v[0].url, "https://u.example.invalid/a");
	ck_assert_uint_eq(c.channels.n, 2);
	/* A bad system file keeps nothing; the user's values stand. */
	ck_assert_int_eq(settings_parse_layer(&c, SETTINGS_SYSTEM, "s3", bad,
	    strlen(bad), &err, &warn), 1);
	ck_assert_ptr_nonnull(strstr(err.buf, "s3:3: idle_lock takes"));
	ck_assert_str_eq(settings_get(&c, "console", "view"), "escalated");
	settings_free(&c);
	strbuf_free(&err);
	strbuf_free(&warn);
	strbuf_free(&o);
}
END_TEST

START_TEST(test_settings_errors)
{
	struct settings c;
	struct strbuf err, warn;

	strbuf_init(&err);
	strbuf_init(&warn);
	settings_init(&c);
	/* Every malformed line is reported with its number, and a file with
	 * errors changes nothing (read_only = yes on line 2 is not kept). */
	ck_assert_int_eq(parse(&c, "[console]\nread_only = yes\nidle_lock = 9d\n"
	    "no equals here\n[bad section\nkey\x1b[2J = 1\n", &err, &warn), 4);
	ck_assert_ptr_nonnull(strstr(err.buf, "cfg:3: idle_lock takes a duration"));
	ck_assert_ptr_nonnull(strstr(err.buf, "cfg:4: expected 'key = value'"));
	ck_assert_ptr_nonnull(strstr(err.buf, "cfg:5: bad section header"));
	ck_assert_ptr_nonnull(strstr(err.buf, "cfg:6: bad key 'key\\e[2J'"));
	ck_assert(!settings_get_bool(&c, "console", "read_only"));
	ck_assert_int_eq(parse(&c, "idle_lock = 1m\n", &err, &warn), 1);
	ck_assert_ptr_nonnull(strstr(err.buf, "cfg:1: 'idle_lock' is outside any [section]"));
	/* Unknown keys and sections: warnings, the rest applies. */
	ck_assert_int_eq(parse(&c, "[console]\nfoo = 1\n[web]\nport = 8\n"
	    "[console]\nread_only = yes\n", &err, &warn), 0);
	ck_assert_ptr_nonnull(strstr(warn.buf, "cfg:2: unknown key 'foo' in [console]"));
	ck_assert_ptr_nonnull(strstr(warn.buf, "cfg:3: unknown section [web]"));
	ck_assert_ptr_null(strstr(warn.buf, "port"));
	ck_assert(settings_get_bool(&c, "console", "read_only"));
	settings_free(&c);
	strbuf_free(&err);
	strbuf_free(&warn);
}
END_TEST

START_TEST(test_secrets_parse)
{
	struct secrets s;
	struct strbuf err;
	const char *bad = "a = 1\na = TOPSECRET2\njust TOPSECRET3 pasted\nb c = x\nd =\n";
	const char *good = "# c\ntok = abc def \nx.y-z=1\n";

	secrets_init(&s);
	strbuf_init(&err);
	ck_assert_int_eq(secrets_parse(&s, "sec", good, strlen(good), &err), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(secrets_get(&s, "tok"), "abc def");
	ck_assert_str_eq(secrets_get(&s, "x.y-z"), "1");
	ck_assert_ptr_null(secrets_get(&s, "nope"));
	/* Errors name the line, never the value; nothing is kept. */
	ck_assert_int_eq(secrets_parse(&s, "sec", bad, strlen(bad), &err), 4);
	ck_assert_ptr_null(strstr(err.buf, "TOPSECRET"));
	ck_assert_ptr_nonnull(strstr(err.buf, "sec:2: 'a' is set twice"));
	ck_assert_ptr_nonnull(strstr(err.buf, "sec:3: expected 'name = value'"));
	ck_assert_ptr_nonnull(strstr(err.buf, "sec:5: 'd' has no value"));
	ck_assert_str_eq(secrets_get(&s, "tok"), "abc def");	/* the old set stays */
	secrets_free(&s);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_secrets_mode)
{
	char dir[] = "/tmp/vsoc-secrets.XXXXXX", path[64], link[80];
	struct secrets s;
	struct strbuf err;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/secrets", dir);
	snprintf(link, sizeof link, "%s/link", dir);
	secrets_init(&s);
	strbuf_init(&err);
	/* Missing: no secrets, no error. */
	ck_assert_int_eq(secrets_load(&s, path, &err), 0);
	ck_assert_uint_eq(s.n, 0);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_eq(write(fd, "tok = v4lue\n", 12), 12);
	close(fd);
	chmod(path, 0644);
	ck_assert_int_eq(secrets_load(&s, path, &err), 1);
	ck_assert_ptr_nonnull(strstr(err.buf, "mode 0644 lets others at it: refused"));
	ck_assert_ptr_null(strstr(err.buf, "v4lue"));
	ck_assert_uint_eq(s.n, 0);
	chmod(path, 0640);
	strbuf_reset(&err);
	ck_assert_int_eq(secrets_load(&s, path, &err), 1);
	chmod(path, 0600);
	strbuf_reset(&err);
	ck_assert_int_eq(secrets_load(&s, path, &err), 0);
	ck_assert_str_eq(secrets_get(&s, "tok"), "v4lue");
	/* A symlink is not followed. */
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(secrets_load(&s, link, &err), 1);
	/* Owned by someone else (only root can arrange that here). */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 1, 1), 0);
		strbuf_reset(&err);
		ck_assert_int_eq(secrets_load(&s, path, &err), 1);
		ck_assert_ptr_nonnull(strstr(err.buf, "not you"));
	}
	unlink(link);
	unlink(path);
	rmdir(dir);
	secrets_free(&s);
	strbuf_free(&err);
}
END_TEST

static char *
pretty(const char *text, int flags, int depth, size_t bytes, int *cut)
{
	struct strbuf sb;

	strbuf_init(&sb);
	*cut = evidence_pretty(&sb, text, strlen(text), flags, depth, bytes);
	return strbuf_detach(&sb);
}

START_TEST(test_evidence_pretty)
{
	struct strbuf deep;
	char *s;
	int cut, i, d;

	s = pretty("{\"a\": [1, {}], \"b\": \"\\u001b[2J\", \"c\": []}", 0, 64, 4096, &cut);
	ck_assert_int_eq(cut, 0);
	ck_assert_str_eq(s, "{\n  \"a\": [\n    1,\n    {}\n  ],\n"
	    "  \"b\": \"\\u001B[2J\",\n  \"c\": []\n}");
	free(s);
	/* Raw bidi override and C1 in a string: escaped. */
	s = pretty("[\"\xe2\x80\xae" "abc\xc2\x9b\"]", 0, 64, 4096, &cut);
	ck_assert_str_eq(s, "[\n  \"\\u{202E}abc\\u{009B}\"\n]");
	free(s);
	/* 3,000 levels: cut at 64, said so. */
	strbuf_init(&deep);
	for (i = 0; i < 3000; i++)
		strbuf_append(&deep, "{\"k\":");
	strbuf_append(&deep, "1");
	for (i = 0; i < 3000; i++)
		strbuf_appendc(&deep, '}');
	ck_assert_int_eq(evidence_check(deep.buf, deep.len, &d), 0);
	ck_assert_int_eq(d, 3000);
	s = pretty(deep.buf, SAN_ASCII, 64, EVIDENCE_BYTES_MAX, &cut);
	ck_assert_int_eq(cut, EVIDENCE_CUT_DEPTH);
	ck_assert_ptr_nonnull(strstr(s, "\"k\": {...}"));
	ck_assert_ptr_nonnull(strstr(s, "... (nested deeper than 64 levels: cut)"));
	free(s);
	/* Size: cut, said so, within the bound. */
	s = pretty(deep.buf, 0, 5000, 1000, &cut);
	ck_assert_int_eq(cut, EVIDENCE_CUT_SIZE);
	ck_assert_uint_le(strlen(s), 1000 + EVIDENCE_NOTE_MAX);
	ck_assert_ptr_nonnull(strstr(s, "(cut at 1000 bytes of"));
	free(s);
	strbuf_free(&deep);
	/* Not JSON: the text, sanitized. */
	s = pretty("{\"a\": \x1b]0;x\x07", 0, 64, 4096, &cut);
	ck_assert_int_eq(cut, EVIDENCE_INVALID);
	ck_assert_ptr_nonnull(strstr(s, "\\e]0;x\\x07"));
	free(s);
	s = pretty("", 0, 64, 4096, &cut);
	ck_assert_str_eq(s, "(none)");
	free(s);
}
END_TEST

START_TEST(test_evidence_ascii)
{
	struct strbuf sb;
	const char *bad[] = { "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\ud800\"",
	    "\"\\x\"", "\"a\nb\"", "[1] 2", "nul", "\"\xff\"", "{\"a\":1,}" };
	size_t i;
	const char *ok = "{ \"\xc3\xa9\xf0\x9f\x98\x80\" : "
	    "123456789012345678901234567890 , \"x\": [true,null,-1.5e-3] }";

	strbuf_init(&sb);
	ck_assert_int_eq(evidence_json_ascii(&sb, ok, strlen(ok)), 0);
	ck_assert_str_eq(sb.buf, "{\"\\u00e9\\ud83d\\ude00\":"
	    "123456789012345678901234567890,\"x\":[true,null,-1.5e-3]}");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strbuf_reset(&sb);
		ck_assert_msg(evidence_json_ascii(&sb, bad[i], strlen(bad[i])) == -1,
		    "accepted %s", bad[i]);
		ck_assert_str_eq(sb.buf, "");
	}
	strbuf_free(&sb);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_settings_ok);
	tcase_add_test(tc, test_settings_errors);
	tcase_add_test(tc, test_settings_layers);
	tcase_add_test(tc, test_secrets_parse);
	tcase_add_test(tc, test_secrets_mode);
	tcase_add_test(tc, test_evidence_pretty);
	tcase_add_test(tc, test_evidence_ascii);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
