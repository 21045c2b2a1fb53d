/* PLACEHOLDER */
#include "cmd.h"
static int ph(struct cmd_ctx *c, int argc, char **argv) { return cmd_error(1, "not built yet"); }
const struct cmd_entry cmd_db_migrate_entry = { "db migrate", "", "placeholder", "", 0, ph };
const struct cmd_entry cmd_db_status_entry = { "db status", "", "placeholder", "", 0, ph };
