/* PLACEHOLDER: replaced by the demo helper. */
#include "cmd.h"
static int ph(struct cmd_ctx *c, int argc, char **argv) { return cmd_error(1, "not built yet"); }
const struct cmd_entry cmd_demo_seed_entry = { "demo seed", "", "placeholder", "", 0, ph };
