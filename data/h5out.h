/* HDF5 output of the series registry (README "Output", docs/OUTPUT.md).
 *
 * Layout: root attributes (lunarsim_version, git_commit, creation_time, seed,
 * deck (effective deck, YAML text), Conventions, and the CF attributes
 * source, history and references); /time at the root and a
 * `time` dimension scale in every group (so xarray.open_dataset(path,
 * group=G) decodes a time coordinate on its own); one group per module with
 * float64 1-D series attached to that scale, each with `units` and
 * `long_name` (code series, lsim_series_add_code: int32 with CF flag_values,
 * flag_meanings and _FillValue -1); design-time tables (lsim_series_group_table) as fixed 2-D
 * float64 datasets /GROUP/NAME (rows x cols) with string attributes
 * `columns`, `column_units` and `long_name` and no `units` (mixed units),
 * written once at creation and left as they are on resume; /summary with
 * scalar float64 datasets (int32 codes as the series). Chunked along an
 * unlimited time axis, shuffle + deflate, link and attribute creation order
 * tracked for netCDF-4. The file is written as NAME.partial and renamed to
 * NAME only by lsim_h5_finish. */
#ifndef LSIM_H5OUT_H
#define LSIM_H5OUT_H

#include <stdint.h>
#include "series.h"
#include "status.h"

typedef struct {
    const char *version;
    const char *git_commit;
    uint64_t seed;
    const char *deck_yaml;   /* the effective deck */
    const char *epoch;       /* "YYYY-MM-DD hh:mm:ss" -> units "seconds since <epoch>" */
    const char *title;       /* e.g. "lunarsim run" */
    int swmr;                /* write in SWMR mode so readers can follow the run live */
    const char *run_id;      /* identity of the run writing the file (root attribute run_id); NULL: none */
    /* The command that writes the file, as main() received it, for the CF
     * `history` attribute (one line per command: a --restart adds one);
     * argc 0: not recorded (the line says so). */
    int argc;
    char *const *argv;
    /* Write only what HDF5 1.8 (and the netCDF libraries built on it) reads:
     * superblock version 0, no 1.10 chunk indexes. SWMR needs the 1.10
     * format, so hdf5_1_8 with swmr is refused (LSIM_ERR_INPUT). */
    int hdf5_1_8;
} lsim_run_metadata;

typedef struct lsim_h5_output lsim_h5_output;

/* Creates `final_path`.partial with every group and dataset of the registry
 * (its series must all be registered). Fails with LSIM_ERR_INPUT when the
 * output directory does not exist or is not writable. */
lsim_status lsim_h5_create(lsim_h5_output **out, const char *final_path, const lsim_run_metadata *meta,
                           const lsim_series_registry *reg);

/* Reopens `final_path`.partial left by a checkpointed run (refused, untouched,
 * unless its root attribute run_id is meta->run_id; NULL skips that check), keeps its first
 * `rows` rows (later ones were written after the checkpoint and are
 * recomputed), adds this command to its `history` and continues appending
 * (in SWMR mode if meta->swmr). Of `meta` only swmr, run_id, argc/argv and
 * hdf5_1_8 are used: the rest is the file's already. Missing or mismatched
 * files are LSIM_ERR_INPUT with a one-line reason. */
lsim_status lsim_h5_resume(lsim_h5_output **out, const char *final_path, const lsim_series_registry *reg,
                           size_t rows, const lsim_run_metadata *meta, const char *checkpoint_path);

/* Appends the registry's pending rows and drains them. */
lsim_status lsim_h5_write_rows(lsim_h5_output *out, lsim_series_registry *reg);

/* Makes everything written so far durable on disk (H5Fflush). */
lsim_status lsim_h5_flush(lsim_h5_output *out);

/* Writes remaining rows, group attributes and /summary, closes the file and
 * renames NAME.partial to NAME. Frees `out` whatever the outcome. */
lsim_status lsim_h5_finish(lsim_h5_output *out, lsim_series_registry *reg);

/* Closes and removes NAME.partial (a failed run leaves no file behind). */
void lsim_h5_abort(lsim_h5_output *out);

/* 1 if a file failed to close (write error, full disk): HDF5's own exit-time
 * cleanup would then crash (SIGSEGV in H5_term_library), so the program
 * should end with _exit after flushing its streams. */
int lsim_h5_left_unclean(void);
extern int lsim_h5_unclean; /* set by the run and sweep writers */

/* keep = 1: if lsim_h5_finish fails, NAME.partial stays (closed) for a
 * --restart from a checkpoint, instead of being removed. */
void lsim_h5_keep_partial_on_failure(lsim_h5_output *out, int keep);

/* Writes pending rows, flushes and closes, but keeps NAME.partial (for an
 * interrupted run: rows already computed are kept, the file is not passed
 * off as complete). Frees `out`. */
void lsim_h5_close_partial(lsim_h5_output *out, lsim_series_registry *reg);

/* Silences HDF5's own error-stack printing (we report one line ourselves). */
void lsim_h5_quiet_errors(void);

/* Refuses (LSIM_ERR_INPUT, one line) an output path whose folder is missing
 * or not writable, that is a directory, or that exists and is not a regular
 * file (device, pipe, socket). Called before anything is written. */
lsim_status lsim_h5_check_directory_writable(const char *final_path);

#endif
