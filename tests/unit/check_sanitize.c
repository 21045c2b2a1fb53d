/* check_sanitize.c: the sanitizer against hostile strings. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "strbuf.h"

static char *
san(const char *in, size_t len, int flags, size_t *escapes)
{
	struct strbuf sb;
	size_t e;

	strbuf_init(&sb);
	e = sanitize(&sb, in, len, flags);
	if (escapes != NULL)
		*escapes = e;
	return strbuf_detach(&sb);
}

/* No byte a terminal would act on may survive: C0, DEL, ESC, C1 (as UTF-8
 * U+0080..U+009F or raw 0x80..0x9f bytes). */
static void
assert_inert(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x in '%s'", *p, s);
		if (*p == 0xc2)
			ck_assert_msg(p[1] < 0x80 || p[1] > 0x9f, "C1 control in '%s'", s);
	}
}

START_TEST(test_plain_ascii_untouched)
{
	size_t e;
	char *o = san("Firmware from 203.0.113.7 on CS-0042", 36, 0, &e);

	ck_assert_str_eq(o, "Firmware from 203.0.113.7 on CS-0042");
	ck_assert_uint_eq(e, 0);
	free(o);
}
END_TEST

START_TEST(test_csi_escaped)
{
	const char in[] = "vendor\x1b[2J\x1b[31mRED";
	size_t e;
	char *o = san(in, sizeof in - 1, 0, &e);

	ck_assert_str_eq(o, "vendor\\e[2J\\e[31mRED");
	ck_assert_uint_eq(e, 2);
	assert_inert(o);
	free(o);
}
END_TEST

START_TEST(test_osc_title_and_bel)
{
	const char in[] = "\x1b]0;pwned\x07 and \x1b]52;c;ZXZpbA==\x1b\\";
	char *o = san(in, sizeof in - 1, 0, NULL);

	ck_assert_str_eq(o, "\\e]0;pwned\\x07 and \\e]52;c;ZXZpbA==\\e\\");
	assert_inert(o);
	free(o);
}
END_TEST

START_TEST(test_dcs_and_c1_bytes)
{
	/* 8-bit CSI as raw byte, as UTF-8 U+009B, and a DCS via ESC P. */
	const char in[] = "a\x9b" "31mb\xc2\x9b" "2Jc\x1bPq#0;2;0;0;0\x1b\\";
	char *o = san(in, sizeof in - 1, 0, NULL);

	ck_assert_str_eq(o, "a\\x9b31mb\\u{009B}2Jc\\ePq#0;2;0;0;0\\e\\");
	assert_inert(o);
	free(o);
}
END_TEST

START_TEST(test_bidi_and_invisible)
{
	/* Trojan Source: RLO, LRI, PDI; zero-width space; BOM; tag char. */
	const char in[] = "admin\xe2\x80\xae" "txt.exe\xe2\x81\xa6x\xe2\x81\xa9"
	    "\xe2\x80\x8b\xef\xbb\xbf\xf3\xa0\x80\x81";
	char *o = san(in, sizeof in - 1, 0, NULL);

	ck_assert_str_eq(o, "admin\\u{202E}txt.exe\\u{2066}x\\u{2069}"
	    "\\u{200B}\\u{FEFF}\\u{E0001}");
	free(o);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	/* Overlong '/', a lone continuation, a truncated sequence, a UTF-16
	 * surrogate encoded in UTF-8, and a byte past U+10FFFF. */
	const char in[] = "\xc0\xaf|\x80|\xe2\x82|\xed\xa0\x80|\xf5\x80\x80\x80";
	char *o = san(in, sizeof in - 1, 0, NULL);

	ck_assert_str_eq(o, "\\xc0\\xaf|\\x80|\\xe2\\x82|\\xed\\xa0\\x80|\\xf5\\x80\\x80\\x80");
	assert_inert(o);
	free(o);
}
END_TEST

START_TEST(test_valid_unicode_kept)
{
	const char in[] = "Ladesäule München \xe5\x85\x85\xe7\x94\xb5 \xf0\x9f\x94\x8c";
	size_t e;
	char *o = san(in, sizeof in - 1, 0, &e);

	ck_assert_str_eq(o, in);
	ck_assert_uint_eq(e, 0);
	free(o);
}
END_TEST

START_TEST(test_ascii_mode)
{
	const char in[] = "S\xc3\xa4ule";
	char *o = san(in, sizeof in - 1, SAN_ASCII, NULL);

	ck_assert_str_eq(o, "S\\u{00E4}ule");
	free(o);
}
END_TEST

START_TEST(test_newlines)
{
	const char in[] = "line1\nline2\r\n\tx";
	char *o = san(in, sizeof in - 1, 0, NULL);
	char *k = san(in, sizeof in - 1, SAN_NEWLINES, NULL);

	ck_assert_str_eq(o, "line1\\nline2\\r\\n\\tx");
	ck_assert_str_eq(k, "line1\nline2\\r\n\\tx");
	free(o);
	free(k);
}
END_TEST

START_TEST(test_embedded_nul_and_null)
{
	const char in[] = "a\0b";
	char *o = san(in, 3, 0, NULL);
	char *n = sanitize_dup(NULL, 0);

	ck_assert_str_eq(o, "a\\x00b");
	ck_assert_str_eq(n, "");
	free(o);
	free(n);
}
END_TEST

/* Every single byte and every 2-byte pair: the output is always inert. */
START_TEST(test_exhaustive_pairs)
{
	char in[2];
	int a, b;

	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b++) {
			char *o;
			in[0] = (char)a;
			in[1] = (char)b;
			o = san(in, 2, 0, NULL);
			assert_inert(o);
			free(o);
		}
}
END_TEST

START_TEST(test_decode)
{
	unsigned int cp;

	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x20ac);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xe0\x80\xaf", 3, &cp), 0);
}
END_TEST

START_TEST(test_utf8_valid)
{
	ck_assert(utf8_valid(""));
	ck_assert(utf8_valid("plain"));
	ck_assert(utf8_valid("caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x9a\x97"));
	ck_assert(!utf8_valid("\xff"));
	ck_assert(!utf8_valid("caf\xc3"));		/* truncated */
	ck_assert(!utf8_valid("\xc0\xaf"));		/* overlong / */
	ck_assert(!utf8_valid("\xed\xa0\x80"));	/* a surrogate */
	ck_assert(!utf8_valid("\xf4\x90\x80\x80"));	/* past U+10FFFF */
}
END_TEST

static Suite *
sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_plain_ascii_untouched);
	tcase_add_test(tc, test_csi_escaped);
	tcase_add_test(tc, test_osc_title_and_bel);
	tcase_add_test(tc, test_dcs_and_c1_bytes);
	tcase_add_test(tc, test_bidi_and_invisible);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_valid_unicode_kept);
	tcase_add_test(tc, test_ascii_mode);
	tcase_add_test(tc, test_newlines);
	tcase_add_test(tc, test_embedded_nul_and_null);
	tcase_add_test(tc, test_exhaustive_pairs);
	tcase_add_test(tc, test_decode);
	tcase_add_test(tc, test_utf8_valid);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sanitize_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
