/* PLACEHOLDER */
#include "cmd.h"
static int ph(struct cmd_ctx *c, int argc, char **argv) { return cmd_error(1, "not built yet"); }
const struct cmd_entry cmd_alerts_list_entry = { "alerts list", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_alert_show_entry = { "alert show", "", "placeholder", "", 0, ph };
