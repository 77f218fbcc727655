/* HDF5 output of a parameter sweep: one file, series as (run, time).
 *
 * Layout: root attributes as a run's plus `sweep_spec` and `run_count`;
 * every module group holds its series as float64 (run, time) datasets with
 * its own `run` (int64) and `time` dimension scales, and the varied
 * parameters as (run) datasets named CF-validly "section__key" (the deck
 * key "section.key" in their attribute `deck_key`) listed in each series'
 * `coordinates` attribute, so xarray.open_dataset(path, group=G) gives a
 * (run, time) dataset with the parameters as coordinates; /parameters
 * holds the same columns; /summary one (run) float64 dataset per metric.
 *
 * A Sobol' or Morris sweep adds /sensitivity: (metric, parameter) float64
 * datasets (S1, ST and their confidence bounds; or mu_star, mu, sigma and
 * the bounds of mu_star) over the int32 dimension scales `metric` and
 * `parameter`, whose CF flag_values / flag_meanings name the summary
 * metrics and the deck keys (names as data would be variable-length
 * strings, which parallel HDF5 cannot write); `metric` also carries
 * `metric_units`, one per metric. `reason` (metric) int32 flags say why a
 * metric's indices are NaN. Group attributes: the method, estimators,
 * sample counts, confidence level and bootstrap resamples.
 * Choice parameters are int32 codes with CF flag_values / flag_meanings
 * (netCDF-4 cannot read fixed-length string datasets, and parallel HDF5
 * cannot write variable-length ones).
 *
 * With MPI every rank calls create and finish (collective); each rank
 * writes only its own members' rows (independent).
 *
 * Until the finish the file (NAME.partial) also holds /sweep_progress:
 * `member_done` (run) uint8 and `design` (attribute, run) float64, the
 * members written so far and their design figures, from which a --restart
 * resumes; root attribute `sweep_identity` (a hash of the build, effective
 * deck and plan) tells whether a .partial is this sweep's. */
#ifndef LSIM_H5SWEEP_H
#define LSIM_H5SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "h5out.h"
#include "series.h"

typedef struct {
    const char *name;      /* the variable's name, "section__key" */
    const char *deck_key;  /* "section.key" (attribute deck_key) */
    const char *units;     /* UDUNITS; "1" for codes */
    const char *long_name; /* the parameter's doc */
    const double *values;  /* [runs], SI; for choices the code (index into choices) */
    const char *choices;   /* NULL, or "a|b|c" for a choice parameter */
} lsim_sweep_column;

typedef struct lsim_h5_sweep lsim_h5_sweep;

/* `template_reg` supplies the series (groups, names, units) and summary
 * names; `times` the `rows` end-of-interval times shared by every member.
 * `mpi_comm` points to an MPI_Comm for parallel HDF5, or is NULL. */
lsim_status lsim_h5_sweep_create(lsim_h5_sweep **out, const char *final_path, const lsim_run_metadata *meta,
                                 const lsim_series_registry *template_reg, size_t runs, size_t rows,
                                 const double *times, const lsim_sweep_column *columns, size_t column_count,
                                 const char *sweep_spec, uint64_t identity, void *mpi_comm);

/* Opens NAME.partial of an interrupted sweep with the same `identity` and
 * `runs` (LSIM_ERR_INPUT otherwise, the file untouched) and reads which
 * members are done (`done`, [runs]) and their design figures (`design`,
 * [attribute][run] for the template's attributes). A file that cannot be
 * resumed is kept. `history`'s command is added to the file's CF history. */
lsim_status lsim_h5_sweep_reopen(lsim_h5_sweep **out, const char *final_path, const lsim_series_registry *template_reg,
                                 size_t runs, size_t rows, uint64_t identity, void *mpi_comm, unsigned char *done,
                                 double *design, const lsim_run_metadata *history);

/* The summary metric `index` (the template's order) of every member. */
lsim_status lsim_h5_sweep_read_summary(lsim_h5_sweep *out, size_t index, double *values);

/* Records member `run` as written, with its design figures (the template's
 * attributes in order): called after lsim_h5_sweep_write_member. */
lsim_status lsim_h5_sweep_mark_done(lsim_h5_sweep *out, size_t run, const double *design);

/* Makes what is written so far durable (one process only; a no-op under MPI). */
lsim_status lsim_h5_sweep_flush(lsim_h5_sweep *out);

/* Closes and keeps NAME.partial for a --restart (after a stop signal). */
lsim_status lsim_h5_sweep_close_kept(lsim_h5_sweep *out);

/* Writes member `run`: its registry holds all `rows` rows pending, and its summary. */
lsim_status lsim_h5_sweep_write_member(lsim_h5_sweep *out, size_t run, const lsim_series_registry *member);

/* The members' design figures, values[a * runs + r] for the template's
 * attribute a (collective; every rank passes the same values): a figure
 * equal in every member stays a group attribute (with the members' value);
 * one that differs becomes a (run) float64 variable of its group, named as
 * the attribute (or NAME_design if a series has that name), with units and
 * long_name, and the attribute is removed. NaN marks a member whose model
 * has no such figure. */
lsim_status lsim_h5_sweep_write_design(lsim_h5_sweep *out, const lsim_series_registry *template_reg,
                                       const double *values);
/* Sensitivity indices (see the layout above). */
typedef struct {
    const char *name, *long_name;
    const char *units;    /* NULL: each metric's own (the `metric` scale's metric_units) */
    const double *values; /* [metric][parameter]; only rank 0's are written */
} lsim_sweep_index_field;

typedef struct {
    const char *name;
    const char *text; /* NULL: the number */
    double number;
} lsim_sweep_index_attribute;

typedef struct {
    size_t metric_count, parameter_count;
    const char *const *metric_names, *const *metric_units;
    const char *const *parameter_keys;  /* deck keys */
    const char *const *parameter_names; /* the /parameters variables */
    const lsim_sweep_index_field *fields;
    size_t field_count;
    const int32_t *reason; /* [metric]: index into reason_words; rank 0's written */
    const char *const *reason_words;
    size_t reason_count;
    const lsim_sweep_index_attribute *attributes; /* of the group */
    size_t attribute_count;
} lsim_sweep_indices;

/* Writes /sensitivity (collective; after lsim_h5_sweep_write_design). */
lsim_status lsim_h5_sweep_write_indices(lsim_h5_sweep *out, const lsim_sweep_indices *indices);

/* Closes (collectively) and renames NAME.partial to NAME (rank 0). */
lsim_status lsim_h5_sweep_finish(lsim_h5_sweep *out);

/* Closes and removes NAME.partial. */
void lsim_h5_sweep_abort(lsim_h5_sweep *out);

#endif
