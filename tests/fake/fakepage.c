/* fakepage.c: a local stand-in for PagerDuty, Opsgenie, Slack and a JSON
 * webhook, for the outbox tests.  Bound to 127.0.0.1 only, one request at
 * a time, each recorded as a JSON line, with injected faults.
 *
 *   fakepage --port-file F --log F [--pd-key K] [--genie-key K]
 *            [--slack-path /services/T/B/X] [--token T] [--plan ROUTE=FAULTS]...
 *
 * Routes are the first path segment: /pagerduty/v2/enqueue,
 * /opsgenie/v2/alerts[/ALIAS/acknowledge|close], /slack/services/...,
 * /webhook/....  FAULTS is a comma list used one per request to that
 * route, then "ok" for ever: ok (check the contract and answer as the
 * service does), 400, 500, 429:SECONDS (with Retry-After), drop (close
 * without a reply), hang:SECONDS (say nothing, then close).
 *
 * Each request is one line in the log: {"n", "route", "path", "fault",
 * "status", "auth", "body", "valid", "why"}; status 0 for drop and hang. */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <jansson.h>

#define REQ_MAX		(1024 * 1024)
#define ROUTES		4
#define PLAN_MAX	64

static const char *const route_names[ROUTES] = { "pagerduty", "opsgenie", "slack", "webhook" };

struct plan {
	char	*tok[PLAN_MAX];
	int	 n, next;
};

static struct plan plans[ROUTES];
static const char *pd_key, *genie_key, *slack_path, *token;
static FILE *reclog;
static long seq;

struct req {
	char	 method[16];
	char	 path[2048];
	char	 auth[1024];
	char	 ctype[256];
	char	*body;
	size_t	 blen;
};

static int
route_of(const char *path)
{
	int i;
	size_t n;

	for (i = 0; i < ROUTES; i++) {
		n = strlen(route_names[i]);
		if (path[0] == '/' && strncmp(path + 1, route_names[i], n) == 0 &&
		    (path[n + 1] == '/' || path[n + 1] == '\0' || path[n + 1] == '?'))
			return i;
	}
	return -1;
}

/* Read one request: headers, then Content-Length bytes of body. */
static int
read_req(int fd, struct req *r)
{
	char *buf = malloc(REQ_MAX + 1), *hend, *line, *next, *p;
	size_t len = 0, clen = 0, need;
	ssize_t n;

	if (buf == NULL)
		return -1;
	memset(r, 0, sizeof *r);
	for (;;) {
		if (len == REQ_MAX || (n = read(fd, buf + len, REQ_MAX - len)) <= 0)
			goto bad;
		len += (size_t)n;
		buf[len] = '\0';
		if ((hend = strstr(buf, "\r\n\r\n")) != NULL)
			break;
	}
	*hend = '\0';
	if (sscanf(buf, "%15s %2047s", r->method, r->path) != 2)
		goto bad;
	for (line = strstr(buf, "\r\n"); line != NULL; line = next) {
		line += 2;
		next = strstr(line, "\r\n");
		if (next != NULL)
			*next = '\0';
		if ((p = strchr(line, ':')) == NULL)
			continue;
		*p++ = '\0';
		while (*p == ' ')
			p++;
		if (strcasecmp(line, "Content-Length") == 0)
			clen = strtoul(p, NULL, 10);
		else if (strcasecmp(line, "Authorization") == 0)
			snprintf(r->auth, sizeof r->auth, "%s", p);
		else if (strcasecmp(line, "Content-Type") == 0)
			snprintf(r->ctype, sizeof r->ctype, "%s", p);
	}
	need = (size_t)(hend + 4 - buf) + clen;
	if (need > REQ_MAX)
		goto bad;
	while (len < need) {
		if ((n = read(fd, buf + len, need - len)) <= 0)
			goto bad;
		len += (size_t)n;
	}
	r->body = malloc(clen + 1);
	memcpy(r->body, hend + 4, clen);
	r->body[clen] = '\0';
	r->blen = clen;
	free(buf);
	return 0;
bad:
	free(buf);
	return -1;
}

static void
reply(int fd, int code, const char *extra, const char *ctype, const char *body)
{
	char head[512];
	const char *reason = code == 200 ? "OK" : code == 202 ? "Accepted" :
	    code == 400 ? "Bad Request" : code == 401 ? "Unauthorized" :
	    code == 404 ? "Not Found" : code == 422 ? "Unprocessable Entity" :
	    code == 429 ? "Too Many Requests" : "Internal Server Error";
	int n;

	n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n%sConnection: close\r\n\r\n", code, reason, ctype,
	    strlen(body), extra ? extra : "");
	if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0)
		perror("fakepage: write");
}

static bool
str_in(json_t *o, const char *key, size_t min, size_t max)
{
	json_t *v = json_object_get(o, key);
	size_t n;

	if (!json_is_string(v))
		return false;
	n = strlen(json_string_value(v));
	return n >= min && n <= max;
}

static bool
one_of(json_t *o, const char *key, const char *const *set)
{
	const char *v = json_string_value(json_object_get(o, key));

	for (; v != NULL && *set != NULL; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

/* Check the contract; fill the reply; return whether the request was valid. */
static bool
serve_ok(int route, const struct req *r, json_t *body, int *code, const char **why,
    char *out, size_t outlen, const char **ctype)
{
	static const char *const actions[] = { "trigger", "acknowledge", "resolve", NULL };
	static const char *const pdsev[] = { "critical", "error", "warning", "info", NULL };
	static const char *const prios[] = { "P1", "P2", "P3", "P4", "P5", NULL };
	char want[512];
	json_t *p;

	*ctype = "application/json";
	*why = NULL;
	if (strcmp(r->method, "POST") != 0)
		*why = "not a POST";
	else if (strncasecmp(r->ctype, "application/json", 16) != 0)
		*why = "Content-Type is not application/json";
	else if (!json_is_object(body))
		*why = "the body is not a JSON object";
	switch (route) {
	case 0:	/* PagerDuty Events API v2 */
		if (*why == NULL && strcmp(r->path, "/pagerduty/v2/enqueue") != 0)
			*why = "unknown path";
		if (*why == NULL && !str_in(body, "routing_key", 32, 32))
			*why = "routing_key missing or not 32 characters";
		if (*why == NULL && pd_key != NULL &&
		    strcmp(json_string_value(json_object_get(body, "routing_key")), pd_key) != 0)
			*why = "Invalid routing key";
		if (*why == NULL && !one_of(body, "event_action", actions))
			*why = "event_action is not trigger, acknowledge or resolve";
		if (*why == NULL && !str_in(body, "dedup_key", 1, 255))
			*why = "dedup_key missing";
		if (*why == NULL && strcmp(json_string_value(json_object_get(body,
		    "event_action")), "trigger") == 0) {
			p = json_object_get(body, "payload");
			if (!str_in(p, "summary", 1, 1024) || !str_in(p, "source", 1, 255) ||
			    !one_of(p, "severity", pdsev))
				*why = "payload needs summary, source and severity";
		}
		if (*why != NULL) {
			*code = 400;
			snprintf(out, outlen, "{\"status\":\"invalid event\",\"message\":"
			    "\"Event object is invalid\",\"errors\":[\"%s\"]}", *why);
			return false;
		}
		*code = 202;
		snprintf(out, outlen, "{\"status\":\"success\",\"message\":\"Event processed\","
		    "\"dedup_key\":\"%s\"}", json_string_value(json_object_get(body, "dedup_key")));
		return true;
	case 1:	/* Opsgenie */
		snprintf(want, sizeof want, "GenieKey %s", genie_key ? genie_key : "");
		if (*why == NULL && (genie_key == NULL || strcmp(r->auth, want) != 0)) {
			*code = 401;
			snprintf(out, outlen, "{\"message\":\"Could not authenticate\","
			    "\"took\":0.0,\"requestId\":\"r-%ld\"}", seq);
			*why = "bad GenieKey";
			return false;
		}
		if (*why == NULL && strcmp(r->path, "/opsgenie/v2/alerts") == 0) {
			if (!str_in(body, "message", 1, 130))
				*why = "message is mandatory (at most 130 characters)";
			else if (json_object_get(body, "alias") && !str_in(body, "alias", 1, 512))
				*why = "alias longer than 512";
			else if (json_object_get(body, "priority") && !one_of(body, "priority", prios))
				*why = "priority is not P1-P5";
		} else if (*why == NULL && (strncmp(r->path, "/opsgenie/v2/alerts/", 20) != 0 ||
		    (strstr(r->path, "/acknowledge?identifierType=alias") == NULL &&
		    strstr(r->path, "/close?identifierType=alias") == NULL))) {
			*why = "unknown path";
		}
		if (*why != NULL) {
			*code = 422;
			snprintf(out, outlen, "{\"message\":\"%s\",\"took\":0.0,"
			    "\"requestId\":\"r-%ld\"}", *why, seq);
			return false;
		}
		*code = 202;
		snprintf(out, outlen, "{\"result\":\"Request will be processed\","
		    "\"took\":0.1,\"requestId\":\"r-%ld\"}", seq);
		return true;
	case 2:	/* Slack incoming webhook: the path is the secret */
		*ctype = "text/plain";
		snprintf(want, sizeof want, "/slack%s", slack_path ? slack_path : "");
		if (*why == NULL && (slack_path == NULL || strcmp(r->path, want) != 0)) {
			*code = 404;
			snprintf(out, outlen, "no_service");
			*why = "no_service";
			return false;
		}
		if (*why == NULL && !str_in(body, "text", 1, 40000))
			*why = "invalid_payload";
		if (*why != NULL) {
			*code = 400;
			snprintf(out, outlen, "invalid_payload");
			return false;
		}
		*code = 200;
		snprintf(out, outlen, "ok");
		return true;
	default:	/* webhook */
		snprintf(want, sizeof want, "Bearer %s", token ? token : "");
		if (*why == NULL && token != NULL && strcmp(r->auth, want) != 0) {
			*code = 401;
			snprintf(out, outlen, "{\"error\":\"unauthorized\"}");
			*why = "bad bearer token";
			return false;
		}
		if (*why == NULL && (!str_in(body, "event", 1, 32) ||
		    !str_in(body, "dedup_key", 1, 255) ||
		    !json_is_integer(json_object_get(json_object_get(body, "incident"), "id"))))
			*why = "needs event, dedup_key and incident.id";
		if (*why != NULL) {
			*code = 400;
			snprintf(out, outlen, "{\"error\":\"%s\"}", *why);
			return false;
		}
		*code = 200;
		snprintf(out, outlen, "{\"ok\":true}");
		return true;
	}
}

static void
serve(int fd)
{
	struct req r;
	json_t *body, *rec;
	const char *fault, *why = NULL, *ctype = "application/json";
	char out[1024], extra[64] = "";
	int route, code = 0, secs;
	bool valid = false;

	if (read_req(fd, &r) < 0)
		return;
	seq++;
	route = route_of(r.path);
	body = json_loadb(r.body, r.blen, 0, NULL);
	fault = "ok";
	if (route >= 0 && plans[route].next < plans[route].n)
		fault = plans[route].tok[plans[route].next++];
	if (route < 0) {
		code = 404;
		snprintf(out, sizeof out, "{\"error\":\"no such route\"}");
		reply(fd, code, NULL, ctype, out);
	} else if (strcmp(fault, "ok") == 0) {
		valid = serve_ok(route, &r, body, &code, &why, out, sizeof out, &ctype);
		reply(fd, code, NULL, ctype, out);
	} else if (strcmp(fault, "400") == 0) {
		code = 400;
		snprintf(out, sizeof out, route == 2 ? "invalid_payload" :
		    "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
		    "\"errors\":[\"injected fault\"]}");
		reply(fd, code, NULL, route == 2 ? "text/plain" : ctype, out);
	} else if (strcmp(fault, "500") == 0) {
		code = 500;
		reply(fd, code, NULL, "text/plain", "rollup_error");
	} else if (sscanf(fault, "429:%d", &secs) == 1) {
		code = 429;
		snprintf(extra, sizeof extra, "Retry-After: %d\r\n", secs);
		reply(fd, code, extra, ctype, "{\"status\":\"throttle event\"}");
	} else if (sscanf(fault, "hang:%d", &secs) == 1) {
		sleep((unsigned)secs);
	}	/* drop: close at once */
	rec = json_pack("{s:I, s:s?, s:s, s:s, s:i, s:s?, s:o, s:b, s:s?}",
	    "n", (json_int_t)seq, "route", route >= 0 ? route_names[route] : NULL,
	    "path", r.path, "fault", fault, "status", code,
	    "auth", r.auth[0] ? r.auth : NULL,
	    "body", body ? body : json_stringn_nocheck(r.body, r.blen),
	    "valid", valid, "why", why);
	if (rec != NULL) {
		json_dumpf(rec, reclog, JSON_COMPACT);
		fputc('\n', reclog);
		fflush(reclog);
		json_decref(rec);
	}
	free(r.body);
}

static void
add_plan(const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *list, *tok, *save = NULL;
	int i;

	for (i = 0; eq != NULL && i < ROUTES; i++)
		if (strlen(route_names[i]) == (size_t)(eq - arg) &&
		    strncmp(arg, route_names[i], (size_t)(eq - arg)) == 0)
			break;
	if (eq == NULL || i == ROUTES) {
		fprintf(stderr, "fakepage: --plan ROUTE=FAULTS, ROUTE one of pagerduty,"
		    " opsgenie, slack, webhook\n");
		exit(2);
	}
	list = strdup(eq + 1);
	for (tok = strtok_r(list, ",", &save); tok != NULL && plans[i].n < PLAN_MAX;
	    tok = strtok_r(NULL, ",", &save))
		plans[i].tok[plans[i].n++] = tok;
}

int
main(int argc, char **argv)
{
	const char *port_file = NULL, *log_file = NULL;
	struct sockaddr_in sa;
	socklen_t salen = sizeof sa;
	struct timeval tv = { 10, 0 };
	FILE *pf;
	int s, c, i, one = 1;

	signal(SIGPIPE, SIG_IGN);
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port-file") == 0)
			port_file = argv[i + 1];
		else if (strcmp(argv[i], "--log") == 0)
			log_file = argv[i + 1];
		else if (strcmp(argv[i], "--pd-key") == 0)
			pd_key = argv[i + 1];
		else if (strcmp(argv[i], "--genie-key") == 0)
			genie_key = argv[i + 1];
		else if (strcmp(argv[i], "--slack-path") == 0)
			slack_path = argv[i + 1];
		else if (strcmp(argv[i], "--token") == 0)
			token = argv[i + 1];
		else if (strcmp(argv[i], "--plan") == 0)
			add_plan(argv[i + 1]);
		else
			break;
	}
	if (i != argc || port_file == NULL || log_file == NULL) {
		fprintf(stderr, "usage: fakepage --port-file F --log F [--pd-key K]"
		    " [--genie-key K] [--slack-path P] [--token T] [--plan ROUTE=FAULTS]...\n");
		return 2;
	}
	if ((reclog = fopen(log_file, "a")) == NULL) {
		perror(log_file);
		return 1;
	}
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* 127.0.0.1 only */
	sa.sin_port = 0;
	if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &salen) < 0) {
		perror("bind");
		return 1;
	}
	/* Written whole then renamed: the test never reads half a number. */
	{
		char tmp[4096];

		snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
		if ((pf = fopen(tmp, "w")) == NULL) {
			perror(tmp);
			return 1;
		}
		fprintf(pf, "%d\n", ntohs(sa.sin_port));
		fclose(pf);
		rename(tmp, port_file);
	}
	for (;;) {
		if ((c = accept(s, NULL, NULL)) < 0) {
			if (errno == EINTR)
				continue;
			perror("accept");
			return 1;
		}
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		serve(c);
		close(c);
	}
}
