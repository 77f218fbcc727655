/* Running one simulation from effective parameters to a finished HDF5 file. */
#ifndef LSIM_RUN_H
#define LSIM_RUN_H

#include <stdio.h>
#include "params.h"
#include "series.h"

typedef struct {
    const char *output_path;
    int quiet;          /* no progress lines on stderr */
    const char *title;  /* root attribute */
} lsim_run_options;

/* Runs the chain; on success the file exists complete at output_path and the
 * summary is in *summary_out (caller frees with lsim_series_free). On failure
 * no file is left at output_path. */
lsim_status lsim_run_simulation(const lsim_params *params, const lsim_run_options *options,
                                lsim_series_registry **summary_out);

/* Set by SIGINT/SIGTERM handlers: the run stops at the next step boundary. */
void lsim_run_request_stop(int signal_number);

/* Prints the summary table (human units). */
void lsim_print_summary(FILE *out, const lsim_series_registry *series);

#endif
