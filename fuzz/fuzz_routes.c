/* The refinery process-routes reader (route,quantity,value,unit,source),
 * which also checks each route against its energy floors. */
#include <stdlib.h>

#include "fuzz_util.h"
#include "refinery.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = lsim_fuzz_file(".csv", data, size);
    static lsim_refinery_route_table table; /* large: kept off the stack */
    if (lsim_refinery_routes_load(path, &table) == LSIM_OK && table.route_count > 0)
        (void)lsim_refinery_route_find(&table, table.routes[0].name);
    return 0;
}
