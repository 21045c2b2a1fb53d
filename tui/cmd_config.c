/* cmd_config.c: `vsoc config show`, and the settings loading the console
 * shares with it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_config.h"
#include "settings.h"
#include "output.h"
#include "secrets.h"
#include "strbuf.h"

static int	config_show_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_config_show_entry = {
	"config show", "[--config FILE] [--json]",
	"the effective settings, where each came from, and the secrets' names",
	"Settings come from, highest first: the command line, the environment,\n"
	"the settings file, the default.  The file is --config FILE, else\n"
	"$VSOC_CONFIG, else ${XDG_CONFIG_HOME:-~/.config}/vsoc/config:\n"
	"\n"
	"  # a comment (whole lines only)\n"
	"  [console]\n"
	"  idle_lock = 15m     # duration up to 7d, 0 never (VSOC_IDLE_LOCK, --idle-lock)\n"
	"  read_only = no      # yes: every action off (--read-only)\n"
	"  view = open         # the view the console opens in (--view)\n"
	"  colour = auto       # or never (NO_COLOR)\n"
	"\n"
	"A malformed line is an error naming the file and line; an unknown key\n"
	"or section is a warning.  Backend tokens go in the secrets file,\n"
	"${XDG_CONFIG_HOME:-~/.config}/vsoc/secrets (`name = value` lines),\n"
	"which is refused unless it is yours with mode 0600 or stricter; this\n"
	"command shows the secrets' names only, never their values.\n"
	"\nExit codes: 0 ok, 1 the secrets file is refused or unreadable,\n"
	"2 a malformed settings file or value.\n",
	0, config_show_exec
};

/* Join "FILE:N: ...\n" lines into one message: cmd_error prints one line
 * (or one JSON document). */
static int
report_errors(int code, const char *text)
{
	struct strbuf msg;
	const char *p;
	int rc;

	strbuf_init(&msg);
	for (p = text; *p != '\0'; p++)
		if (*p != '\n')
			strbuf_appendc(&msg, *p);
		else if (p[1] != '\0')
			strbuf_append(&msg, "; ");
	rc = cmd_error(code, "%s", msg.buf);
	strbuf_free(&msg);
	return rc;
}

int
cmd_config_load(struct settings *c, const char *path)
{
	struct strbuf err, warn;
	const char *p, *nl;
	int n;

	settings_init(c);
	strbuf_init(&err);
	strbuf_init(&warn);
	n = settings_load(c, path, &err, &warn);
	n += settings_apply_env(c, &err);
	for (p = warn.buf; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		fprintf(stderr, "vsoc: warning: %.*s\n", (int)(nl - p), p);
	}
	n = n > 0 ? report_errors(EXIT_USAGE, err.buf) : EXIT_OK;
	strbuf_free(&err);
	strbuf_free(&warn);
	return n;
}

static json_t *
show_json(const struct settings *c, const char *cpath, const struct secrets *s,
    const char *spath)
{
	json_t *doc = json_object(), *arr = json_array(), *o;
	struct strbuf sb;
	size_t k;
	int i;

	json_object_set_new(doc, "config_file", c->path ? output_json_text(cpath) :
	    json_null());
	strbuf_init(&sb);
	for (i = 0; i < SETTINGS_NKEYS; i++) {
		o = json_object();
		strbuf_reset(&sb);
		strbuf_appendf(&sb, "%s.%s", settings_keys[i].section, settings_keys[i].name);
		json_object_set_new(o, "key", json_string(sb.buf));
		json_object_set_new(o, "value", output_json_text(c->value[i]));
		strbuf_reset(&sb);
		settings_origin(c, i, &sb);
		json_object_set_new(o, "from", output_json_text(sb.buf));
		json_array_append_new(arr, o);
	}
	strbuf_free(&sb);
	json_object_set_new(doc, "settings", arr);
	json_object_set_new(doc, "secrets_file", s->path ? output_json_text(spath) :
	    json_null());
	arr = json_array();
	for (k = 0; k < s->n; k++)
		json_array_append_new(arr, json_string(s->names[k]));
	json_object_set_new(doc, "secrets", arr);
	return doc;
}

static void
show_human(const struct settings *c, const char *cpath, const struct secrets *s,
    const char *spath, bool refused)
{
	struct strbuf sb;
	size_t k;
	int i;

	printf("settings file: ");
	output_text(stdout, cpath ? cpath : "(no home)");
	printf(c->path ? "\n" : " (not found: defaults)\n");
	strbuf_init(&sb);
	for (i = 0; i < SETTINGS_NKEYS; i++) {
		strbuf_reset(&sb);
		strbuf_appendf(&sb, "%s.%s", settings_keys[i].section, settings_keys[i].name);
		printf("  %-18s ", sb.buf);
		output_text(stdout, c->value[i]);
		printf("%*s", (int)(8 - (strlen(c->value[i]) < 8 ? strlen(c->value[i]) : 8)), "");
		strbuf_reset(&sb);
		settings_origin(c, i, &sb);
		printf("  from ");
		output_text(stdout, sb.buf);
		putchar('\n');
	}
	strbuf_free(&sb);
	printf("secrets file: ");
	output_text(stdout, spath ? spath : "(no home)");
	printf(refused ? " (refused)\n" : s->path ? "\n" : " (not found: none)\n");
	/* Names only: a value never reaches a terminal, a log or a pipe. */
	for (k = 0; k < s->n; k++)
		printf("  %-18s (set)\n", s->names[k]);
}

static int
config_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e = &cmd_config_show_entry;
	const char *path = NULL;
	struct strbuf cpath, spath, err;
	struct settings c;
	struct secrets s;
	bool explicit;
	int ch, rc, srefused;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, ch, optarg))
			continue;
		if (ch != 'c')
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		path = optarg;
	}
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if ((rc = cmd_config_load(&c, path)) != EXIT_OK) {
		settings_free(&c);
		return rc;
	}
	strbuf_init(&cpath);
	strbuf_init(&spath);
	strbuf_init(&err);
	settings_path(&cpath, path, &explicit);
	secrets_path(&spath);
	secrets_init(&s);
	srefused = secrets_load(&s, NULL, &err);
	if (ctx->json && srefused == 0) {
		if (output_json(stdout, show_json(&c, cpath.buf, &s, spath.buf)) < 0)
			rc = EXIT_FAIL;
	} else if (!ctx->json) {
		show_human(&c, cpath.len ? cpath.buf : NULL, &s,
		    spath.len ? spath.buf : NULL, srefused > 0);
	}
	if (srefused > 0)
		rc = report_errors(EXIT_FAIL, err.buf);
	secrets_free(&s);
	settings_free(&c);
	strbuf_free(&cpath);
	strbuf_free(&spath);
	strbuf_free(&err);
	return rc;
}
