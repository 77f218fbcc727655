/* The `--set section.key=value` parser. Each line of the input is one
 * --set, applied in order to the same parameters, as several --set do. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <stdlib.h>
#include <string.h>

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
    char *text = lsim_fuzz_string(data, size);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        (void)lsim_deck_apply_override(params, line);
    free(text);
    lsim_params_free(params);
    return 0;
}
