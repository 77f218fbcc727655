/* A program outside the project, built only with `pkg-config --cflags --libs lunarsim` against an
 * installed prefix (tests/packaging/packaging_test.sh). It prints the parameter count and a parsed
 * quantity, and with an output path runs a 30-day simulation: that pulls in every library and every
 * dependency the .pc file must name (libyaml for the deck, HDF5 and hdf5_hl for the file, Chipmunk2D
 * for the granular and release variants, OpenMP, libm). Exit 0 on success, 1 otherwise. */
#include <stdio.h>

#include "chain.h"
#include "deck.h"
#include "params.h"
#include "run.h"
#include "series.h"
#include "units.h"

int main(int argc, char **argv)
{
    lsim_params *params = lsim_params_new();
    if (!params || lsim_chain_register_params(params) != LSIM_OK) {
        fprintf(stderr, "consumer: registering parameters: %s\n", lsim_last_error());
        return 1;
    }
    printf("parameters %zu\n", lsim_params_count(params));

    double mass = 0.0;
    lsim_dimension dimension;
    if (lsim_quantity_parse("150 t", &mass, &dimension) != LSIM_OK) {
        fprintf(stderr, "consumer: parsing '150 t': %s\n", lsim_last_error());
        return 1;
    }
    printf("150 t = %.17g kg\n", mass);

    int status = 0;
    if (argc > 1) {
        static const char deck[] = "run:\n  duration: 30 d\n";
        lsim_run_options options;
        lsim_run_options_default(&options);
        options.output_path = argv[1];
        options.title = "packaging consumer";
        lsim_series_registry *summary = NULL;
        if (lsim_deck_load_string(params, deck, sizeof deck - 1, "consumer deck") != LSIM_OK ||
            lsim_run_simulation(params, &options, &summary) != LSIM_OK) {
            fprintf(stderr, "consumer: run: %s\n", lsim_last_error());
            status = 1;
        } else {
            printf("run written to %s\n", argv[1]);
        }
        if (summary) lsim_series_free(summary);
    }
    lsim_params_free(params);
    return status;
}
