/* cmd_config.c: `vsoc config show`, and the settings loading the console
 * shares with it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_config.h"
#include "settings.h"
#include "model.h"
#include "channel.h"
#include "output.h"
#include "secrets.h"
#include "strbuf.h"

static int	config_show_exec(struct cmd_ctx *, int, char **);
static int	config_check_exec(struct cmd_ctx *, int, char **);

#define HELP_CHANNELS \
	"\nOn-call channels are [channel NAME] sections (any number):\n" \
	"\n" \
	"  [channel oncall]\n" \
	"  type = pagerduty    # pagerduty, opsgenie, slack or webhook\n" \
	"  url = https://events.pagerduty.com/v2/enqueue\n" \
	"  secret = pd_key     # the NAME of the routing key / API key / token\n" \
	"  severities = high+  # which incident severities page it (default high+)\n" \
	"  ca_bundle = FILE    # default: the system's CA certificates\n" \
	"  connect_timeout = 10s\n" \
	"  timeout = 30s       # the whole exchange, up to 5m\n" \
	"\n" \
	"A Slack webhook's URL is a secret: url_secret = NAME instead of url.\n" \
	"Secrets are read from $VSOC_SECRET_NAME (upper case, . and - as _) or\n" \
	"the secrets file, never from this file.  Delivery retries:\n" \
	"\n" \
	"  [outbox]\n" \
	"  max_attempts = 10   # then the page is failed\n" \
	"  backoff = 30s       # before the first retry, doubling, with jitter\n" \
	"  backoff_max = 1h\n"

const struct cmd_entry cmd_config_show_entry = {
	"config show", "[--config FILE] [--idle-lock DURATION] [--view NAME] [--read-only] [--json]",
	"the effective settings, where each came from, and the secrets' names",
	"Settings come from, highest first: the command line, the environment,\n"
	"the user file, the system file, the default.  The user file is --config\n"
	"FILE, else $VSOC_CONFIG, else ${XDG_CONFIG_HOME:-~/.config}/vsoc/config;\n"
	"the system file is /etc/vsoc/config (or $VSOC_SYSTEM_CONFIG).  The\n"
	"console's options given here are shown as the console would take them.\n"
	"A channel\n"
	"the user file defines replaces the system file's of that name.  Both\n"
	"files have the same syntax:\n"
	"\n"
	"  # a comment (whole lines only)\n"
	"  [console]\n"
	"  idle_lock = 15m     # duration up to 7d, 0 never (VSOC_IDLE_LOCK, --idle-lock)\n"
	"  read_only = no      # yes: every action off (--read-only)\n"
	"  view = open         # the view the console opens in (--view)\n"
	"  colour = auto       # or never (NO_COLOR)\n"
	"  deliver = yes       # send due pages from the console, for a\n"
	"                      # vsoc_deliverer member (VSOC_DELIVER)\n"
	HELP_CHANNELS
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

const struct cmd_entry cmd_config_check_entry = {
	"config check", "[--config FILE] [--json]",
	"check the settings file, the secrets file and the channels' secrets",
	"Reads the system file (/etc/vsoc/config or $VSOC_SYSTEM_CONFIG) and the\n"
	"user file over it, and names every bad line of either as FILE:LINE:\n"
	"malformed lines and values, channels\n"
	"missing a type, a URL or a secret, secrets a channel names that are not\n"
	"set, and a secrets file others may read (with the chmod that fixes it).\n"
	"Unknown keys and sections are warnings.  No secret's value is shown.\n"
	HELP_CHANNELS
	"\nExit codes: 0 all good, 1 the secrets file is refused or a channel's\n"
	"secret is missing, 2 a malformed settings file.\n",
	0, config_check_exec
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

/* A channel's secrets by name and whether they are set: never a value. */
static json_t *
secret_ref(const char *name, const struct secrets *s)
{
	const char *from = NULL;
	bool set;

	if (name == NULL)
		return json_null();
	set = secrets_lookup(s, name, &from) != NULL;
	return json_pack("{s:s, s:b, s:s?}", "name", name, "set", set, "from",
	    set ? from : NULL);
}

static json_t *
channels_json(const struct settings *c, const struct secrets *s)
{
	json_t *arr = json_array(), *o, *sev;
	const struct channel_conf *ch;
	struct strbuf from;
	size_t i;
	int k;

	strbuf_init(&from);

	for (i = 0; i < c->channels.n; i++) {
		ch = &c->channels.v[i];
		o = json_object();
		json_object_set_new(o, "name", json_string(ch->name));
		json_object_set_new(o, "type", json_string(channel_type_name(ch->type)));
		json_object_set_new(o, "url", ch->url ? output_json_text(ch->url) : json_null());
		json_object_set_new(o, "url_secret", secret_ref(ch->url_secret, s));
		json_object_set_new(o, "secret", secret_ref(ch->secret, s));
		sev = json_array();
		for (k = SEV_CRITICAL; k >= SEV_INFO; k--)
			if (ch->severities & (1u << k))
				json_array_append_new(sev, json_string(severity_name(k)));
		json_object_set_new(o, "severities", sev);
		json_object_set_new(o, "ca_bundle", ch->ca_bundle ?
		    output_json_text(ch->ca_bundle) : json_null());
		json_object_set_new(o, "connect_timeout", json_integer(ch->connect_timeout));
		json_object_set_new(o, "timeout", json_integer(ch->timeout));
		strbuf_reset(&from);
		settings_channel_origin(c, i, &from);
		json_object_set_new(o, "from", output_json_text(from.buf));
		json_array_append_new(arr, o);
	}
	strbuf_free(&from);
	return arr;
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
	json_object_set_new(doc, "system_config_file", c->sys_path ?
	    output_json_text(c->sys_path) : json_null());
	strbuf_init(&sb);
	for (i = 0; i < SETTINGS_NKEYS; i++) {
		o = json_object();
		strbuf_reset(&sb);
		strbuf_appendf(&sb, "%s.%s", settings_keys[i].section, settings_keys[i].name);
		json_object_set_new(o, "key", json_string(sb.buf));
		json_object_set_new(o, "value", output_json_text(c->value[i]));
		json_object_set_new(o, "source",
		    json_string(settings_source_name(c->source[i])));
		strbuf_reset(&sb);
		settings_origin(c, i, &sb);
		json_object_set_new(o, "from", output_json_text(sb.buf));
		json_array_append_new(arr, o);
	}
	strbuf_free(&sb);
	json_object_set_new(doc, "settings", arr);
	json_object_set_new(doc, "channels", channels_json(c, s));
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

	strbuf_init(&sb);
	settings_system_path(&sb);
	printf("system file:   ");
	output_text(stdout, sb.buf);
	printf(c->sys_path ? "\n" : " (not found)\n");
	printf("settings file: ");
	output_text(stdout, cpath ? cpath : "(no home)");
	printf(c->path ? "\n" : c->sys_path ? " (not found)\n" : " (not found: defaults)\n");
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
	for (k = 0; k < c->channels.n; k++) {
		const struct channel_conf *ch = &c->channels.v[k];
		int j;

		printf("channel %s  from ", ch->name);
		strbuf_reset(&sb);
		settings_channel_origin(c, k, &sb);
		output_text(stdout, sb.buf);
		putchar('\n');
		for (j = 0; j < CK__COUNT; j++) {
			strbuf_reset(&sb);
			channel_show_value(ch, (enum channel_key)j, s, &sb);
			if (sb.len == 0)
				continue;
			printf("  %-18s ", channel_key_names[j]);
			output_text(stdout, sb.buf);
			putchar('\n');
		}
	}
	strbuf_free(&sb);
	printf("secrets file: ");
	output_text(stdout, spath ? spath : "(no home)");
	printf(refused ? " (refused)\n" : s->path ? "\n" : " (not found: none)\n");
	/* Names only: a value never reaches a terminal, a log or a pipe. */
	for (k = 0; k < s->n; k++)
		printf("  %-18s (set)\n", s->names[k]);
}

/* The console's options over the loaded settings, as `vsoc console` applies
 * them: the top of the precedence. */
static int
apply_options(struct cmd_ctx *ctx, struct settings *c, const char *lock,
    const char *view)
{
	struct strbuf err;
	int rc = EXIT_OK;

	strbuf_init(&err);
	if ((lock != NULL && *lock != '\0' &&
	    settings_set_flag(c, "console", "idle_lock", lock, &err) < 0) ||
	    (view != NULL && settings_set_flag(c, "console", "view", view, &err) < 0) ||
	    (ctx->read_only && settings_set_flag(c, "console", "read_only", "yes", &err) < 0))
		rc = cmd_usage_error(&cmd_config_show_entry, "%s", err.buf);
	strbuf_free(&err);
	return rc;
}

static int
config_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "idle-lock", required_argument, NULL, 'i' },
		{ "view", required_argument, NULL, 'v' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e = &cmd_config_show_entry;
	const char *path = NULL, *lock = NULL, *view = NULL;
	struct strbuf cpath, spath, err;
	struct settings c;
	struct secrets s;
	bool explicit;
	int ch, rc, srefused;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, ch, optarg))
			continue;
		if (ch == 'i')
			lock = optarg;
		else if (ch == 'v')
			view = optarg;
		else if (ch == 'c')
			path = optarg;
		else
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
	}
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if ((rc = cmd_config_load(&c, path)) != EXIT_OK ||
	    (rc = apply_options(ctx, &c, lock, view)) != EXIT_OK) {
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

/* Each "FILE:LINE: ..." line of text into arr (JSON) or to stderr. */
static int
each_line(const char *text, json_t *arr, const char *prefix)
{
	const char *p, *nl;
	struct strbuf line;
	int n = 0;

	strbuf_init(&line);
	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		strbuf_reset(&line);
		strbuf_appendn(&line, p, (size_t)(nl - p));
		if (arr != NULL) {
			json_array_append_new(arr, output_json_text(line.buf));
		} else {
			fprintf(stderr, "vsoc: %s", prefix);
			output_text(stderr, line.buf);
			fputc('\n', stderr);
		}
		n++;
		if (*nl == '\0')
			break;
	}
	strbuf_free(&line);
	return n;
}

static int
config_check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e = &cmd_config_check_entry;
	const char *path = NULL;
	struct strbuf err, warn, serr, cpath, spath, syspath;
	struct settings c;
	struct secrets s;
	json_t *doc = NULL, *errs = NULL, *warns = NULL;
	size_t k;
	bool explicit;
	int ch, nerr, nsec = 0, rc;

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
	strbuf_init(&err);
	strbuf_init(&warn);
	strbuf_init(&serr);
	strbuf_init(&cpath);
	strbuf_init(&spath);
	strbuf_init(&syspath);
	settings_init(&c);
	secrets_init(&s);
	settings_system_path(&syspath);
	settings_path(&cpath, path, &explicit);
	secrets_path(&spath);
	nerr = settings_load(&c, path, &err, &warn);
	nerr += settings_apply_env(&c, &err);
	nsec = secrets_load(&s, NULL, &serr);
	/* The channels' references, once both files read well. */
	if (nerr == 0 && nsec == 0)
		for (k = 0; k < c.channels.n; k++) {
			const struct channel_conf *chn = &c.channels.v[k];
			/* Named in the file that defined the channel. */
			const char *file = k < c.channels_user ? c.path : c.sys_path;

			nsec += channel_check_secrets(chn, &s, file, &serr);
			if (chn->ca_bundle != NULL && access(chn->ca_bundle, R_OK) != 0) {
				strbuf_appendf(&serr, "%s:%d: channel %s: ca_bundle %s: %s\n",
				    file, chn->line[CK_CA_BUNDLE], chn->name,
				    chn->ca_bundle, strerror(errno));
				nsec++;
			}
		}
	rc = nerr > 0 ? EXIT_USAGE : nsec > 0 ? EXIT_FAIL : EXIT_OK;
	if (ctx->json) {
		doc = json_object();
		errs = json_array();
		warns = json_array();
	}
	each_line(err.buf, errs, "");
	each_line(serr.buf, errs, "");
	each_line(warn.buf, warns, "warning: ");
	if (ctx->json) {
		json_object_set_new(doc, "ok", json_boolean(rc == EXIT_OK));
		if (rc != EXIT_OK) {
			json_object_set_new(doc, "result", json_string(rc == EXIT_USAGE ?
			    "usage" : "error"));
			json_object_set(doc, "error", json_array_get(errs, 0));
		}
		json_object_set_new(doc, "config_file", cpath.len ?
		    output_json_text(cpath.buf) : json_null());
		json_object_set_new(doc, "config_found", json_boolean(c.path != NULL));
		json_object_set_new(doc, "system_config_file", output_json_text(syspath.buf));
		json_object_set_new(doc, "system_config_found",
		    json_boolean(c.sys_path != NULL));
		json_object_set_new(doc, "secrets_file", spath.len ?
		    output_json_text(spath.buf) : json_null());
		json_object_set_new(doc, "channels", json_integer((json_int_t)c.channels.n));
		json_object_set_new(doc, "errors", errs);
		json_object_set_new(doc, "warnings", warns);
		if (output_json(stdout, doc) < 0 && rc == EXIT_OK)
			rc = EXIT_FAIL;
	} else if (rc == EXIT_OK) {
		printf("ok: ");
		output_text(stdout, cpath.len ? cpath.buf : "(no settings file)");
		printf("%s, system ", c.path ? "" : " (not found)");
		output_text(stdout, syspath.buf);
		printf("%s, %zu channel%s, ", c.sys_path ? "" : " (not found)",
		    c.channels.n, c.channels.n == 1 ? "" : "s");
		printf("%zu secret%s\n", s.n, s.n == 1 ? "" : "s");
	}
	settings_free(&c);
	secrets_free(&s);
	strbuf_free(&err);
	strbuf_free(&warn);
	strbuf_free(&serr);
	strbuf_free(&cpath);
	strbuf_free(&spath);
	strbuf_free(&syspath);
	return rc;
}
