/* The YAML deck loader with every module's parameter table registered, as
 * `lunarsim run DECK` sees it. A deck that loads must also survive being
 * written out (the effective deck `lunarsim check` prints and every output
 * file carries): emit -> load -> emit gives the same text, or the harness
 * aborts (issue 13 item 17, which a fuzzer found). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "deck.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Made once and reset to the defaults for each input: a clone per input
     * (index rebuilt) cost an eighth of the time. */
    static lsim_params *registered, *params, *reloaded;
    if (!registered) {
        registered = lsim_params_new();
        if (!registered || lsim_chain_register_params(registered) != LSIM_OK) abort();
        params = lsim_params_clone(registered);
        reloaded = lsim_params_clone(registered);
        if (!params || !reloaded) abort();
    }
    lsim_params_copy_values(params, registered);
    /* The loader takes a length: no terminating NUL, so an over-read shows. */
    if (lsim_deck_load_string(params, (const char *)data, size, "fuzz.yaml") == LSIM_OK) {
        char *emitted = lsim_params_to_yaml(params, NULL, 0);
        if (!emitted) abort();
        lsim_params_copy_values(reloaded, registered);
        if (lsim_deck_load_string(reloaded, emitted, strlen(emitted), "effective.yaml") != LSIM_OK) {
            fprintf(stderr, "the effective deck does not load: %s\n", lsim_last_error());
            abort();
        }
        char *again = lsim_params_to_yaml(reloaded, NULL, 0);
        if (!again) abort();
        if (strcmp(emitted, again) != 0) {
            fprintf(stderr, "the effective deck reloads to other values:\n%s\n----\n%s\n", emitted, again);
            abort();
        }
        free(again);
        free(emitted);
    }
    return 0;
}
