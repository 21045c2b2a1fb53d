/* PLACEHOLDER: replaced by the console helper. */
#include "cmd.h"
static int ph(struct cmd_ctx *c, int argc, char **argv) { return cmd_error(1, "not built yet"); }
const struct cmd_entry cmd_console_entry = { "console", "", "placeholder", "", 0, ph };
