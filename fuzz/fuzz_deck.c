/* The YAML deck loader with every module's parameter table registered, as
 * `lunarsim run DECK` sees it. A deck that loads is also written back out
 * (the effective deck every output file carries). */
#include <stdlib.h>

#include "chain.h"
#include "deck.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lsim_params *registered;
    if (!registered) {
        registered = lsim_params_new();
        if (!registered || lsim_chain_register_params(registered) != LSIM_OK) abort();
    }
    lsim_params *params = lsim_params_clone(registered);
    if (!params) abort();
    /* The loader takes a length: no terminating NUL, so an over-read shows. */
    if (lsim_deck_load_string(params, (const char *)data, size, "fuzz.yaml") == LSIM_OK) {
        char *yaml = lsim_params_to_yaml(params, NULL, 0);
        free(yaml);
    }
    lsim_params_free(params);
    return 0;
}
