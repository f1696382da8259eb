/* script.h — the headless harness (docs/harness.md): runs a script of input steps against the real client,
 * through the same loop and handlers a patient's touches go through. */
#ifndef MS_SCRIPT_H
#define MS_SCRIPT_H

#include "app.h"

int script_run(app *a, const char *path); /* the exit status: 0 passed, 1 a step failed, 2 unreadable */

#endif
