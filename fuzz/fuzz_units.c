/* The units parser: "<number> [unit]" and bare unit expressions. */
#include <stdlib.h>

#include "fuzz_util.h"
#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = lsim_fuzz_string(data, size);
    double value = 0.0, scale = 0.0;
    lsim_dimension dim;
    char spelled[128];
    if (lsim_quantity_parse(text, &value, &dim) == LSIM_OK) lsim_dimension_format(dim, spelled, sizeof spelled);
    if (lsim_unit_parse(text, &scale, &dim) == LSIM_OK) lsim_dimension_format(dim, spelled, sizeof spelled);
    free(text);
    return 0;
}
