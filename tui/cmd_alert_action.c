/* PLACEHOLDER: replaced by the triage helper. */
#include "cmd.h"
static int ph(struct cmd_ctx *c, int argc, char **argv) { return cmd_error(1, "not built yet"); }
const struct cmd_entry cmd_alert_take_entry = { "alert take", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_alert_assign_entry = { "alert assign", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_alert_ack_entry = { "alert ack", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_alert_note_entry = { "alert note", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_alert_close_entry = { "alert close", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_alert_reopen_entry = { "alert reopen", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_alert_suppress_entry = { "alert suppress", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_alert_escalate_entry = { "alert escalate", "", "placeholder", "", 0, ph };
