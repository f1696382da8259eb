/* store_sqlite.c — the SQLite backend of store.h. (Being written: every operation is still missing.) */
#include <stddef.h>

#include "store_internal.h"

const store_ops store_sqlite_ops = {.name = "sqlite"};
