/* Running one simulation from effective parameters to a finished HDF5 file,
 * with live (SWMR) output, checkpoints and restart. */
#ifndef LSIM_RUN_H
#define LSIM_RUN_H

#include <stdio.h>
#include "clock.h"
#include "params.h"
#include "series.h"

/* s of wall time: the shortest interval between flushes of the output (see
 * lsim_run_simulation); a shorter --flush-every is raised to it, with a warning. */
#define LSIM_RUN_FLUSH_FLOOR 1.0

typedef struct {
    const char *output_path;
    const char *title;          /* root attribute */
    int swmr;                   /* live-readable output */
    int hdf5_1_8;               /* the HDF5 1.8 file format (data/h5out.h); needs swmr 0 */
    int argc;                   /* the command line, for the file's history (0: not recorded) */
    char *const *argv;
    double flush_every_wall;    /* s of wall time between flushes (0: only at blocks); raised to LSIM_RUN_FLUSH_FLOOR */
    const char *checkpoint_path;   /* where checkpoints go (NULL: none, not even on signals) */
    double checkpoint_every_sim;   /* s of simulated time between checkpoints (0: off) */
    double checkpoint_every_wall;  /* s of wall time between checkpoints (0: off) */
    const char *restart_path;      /* checkpoint to resume from (NULL: fresh run) */
    const char *deck_path;         /* the deck file, never to be overwritten (NULL: none) */
    int64_t stop_after_steps;      /* testing aid: behave as if signalled after this many steps (0: off) */
    /* Called every 64 steps and at the last one; NULL: none. The library
     * never prints: the front end draws progress (chain/report.c). */
    void (*on_progress)(const lsim_clock *clock, int final, void *context);
    void *progress_context;
} lsim_run_options;

void lsim_run_options_default(lsim_run_options *options);

/* Refuses, with one line and LSIM_ERR_INPUT, a checkpoint path that would
 * destroy something: the output, its .partial, the deck, or an existing file
 * that is not a lunarsim checkpoint; or one whose folder is not writable.
 * lsim_run_simulation calls it before anything is written. */
lsim_status lsim_run_check_checkpoint_path(const lsim_run_options *options);

/* Runs the chain; on success the file exists complete at output_path and the
 * summary is in *summary_out (caller frees with lsim_series_free). On
 * failure no file is left at output_path. After a stop signal it writes a
 * checkpoint, keeps NAME.partial and returns LSIM_CHECKPOINTED. */
lsim_status lsim_run_simulation(const lsim_params *params, const lsim_run_options *options,
                                lsim_series_registry **summary_out);

/* Set by SIGINT/SIGTERM/SIGUSR1 handlers: the run stops at the next step boundary. */
void lsim_run_request_stop(int signal_number);

#endif
