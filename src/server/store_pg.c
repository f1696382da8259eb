/* store_pg.c — the PostgreSQL backend of store.h. (Being written: every operation is still missing.) */
#include <stddef.h>

#include "store_internal.h"

const store_ops store_pg_ops = {.name = "postgresql"};
