/* The regolith site table reader (CSV of oxide wt% per site). The reader
 * checks every row and then looks up one site, so both paths run. */
#include "fuzz_util.h"
#include "regolith.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = lsim_fuzz_file(".csv", data, size);
    lsim_regolith_site site;
    (void)lsim_regolith_read_site(path, "apollo11", &site);
    return 0;
}
