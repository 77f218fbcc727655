/* Parameter sweeps: a grid or Latin-hypercube plan over deck parameters,
 * members run in parallel (OpenMP threads, MPI ranks), one HDF5 file. */
#ifndef LSIM_SWEEP_H
#define LSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "params.h"
#include "series.h"


typedef struct {
    char name[128];          /* section.key */
    long def_index;
    int is_choice;           /* a choice or text parameter: levels are codes into `words` */
    char *words;             /* "a|b|c": the choice list, or for a text parameter the words given */
    size_t level_count;      /* grid/list levels; LHS: 0 for numeric ranges */
    double *levels;          /* SI values, or choice codes */
    double lo, hi;           /* LHS numeric range, SI */
} lsim_sweep_axis;

typedef struct {
    size_t runs, axis_count;
    lsim_sweep_axis *axes;
    double *values; /* [runs][axis_count]: SI value or choice code */
    char *spec;     /* the --vary options as given, for the file */
} lsim_sweep_plan;

/* The members' headline results, handed to the front end to show. */
typedef struct {
    const lsim_sweep_plan *plan;
    const lsim_params *base;
    const double *values;        /* [runs][metric_count] */
    const char *const *metrics;  /* summary names */
    size_t metric_count;
    const lsim_series_registry *units_from; /* a registry whose summary names the metrics' units */
} lsim_sweep_table;

typedef struct {
    const char *output_path;
    const char *const *varies; /* "section.key=SPEC" */
    size_t vary_count;
    size_t samples; /* LHS sample count */
    int lhs;
    /* What the front end shows (the library never prints); NULL: nothing. */
    void (*on_member_done)(int rank, long long member, size_t done_on_rank, void *context);
    void (*on_table)(const lsim_sweep_table *table, void *context); /* rank 0, after the file is complete */
    void *context;
} lsim_sweep_options;

/* Builds the plan: a full grid over the axes (last axis fastest) or, with
 * `lhs`, `samples` Latin-hypercube points seeded by `seed`. Errors name the
 * --vary option. */
lsim_status lsim_sweep_plan_build(const lsim_params *base, const char *const *varies, size_t vary_count, size_t samples,
                                  int lhs, uint64_t seed, lsim_sweep_plan *plan);
void lsim_sweep_plan_free(lsim_sweep_plan *plan);

/* Applies member `run`'s values to `params` (a clone of the base). */
lsim_status lsim_sweep_apply(const lsim_sweep_plan *plan, size_t run, lsim_params *params);

/* Runs every member and writes the sweep file. */
lsim_status lsim_sweep_run(const lsim_params *base, const lsim_sweep_options *options);

#endif
