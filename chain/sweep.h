/* Parameter sweeps: a grid, Latin-hypercube, Sobol' (Saltelli scheme) or
 * Morris plan over deck parameters, or an external design read from CSV;
 * members run in parallel (OpenMP threads, MPI ranks), one HDF5 file. A
 * Sobol' or Morris sweep also writes the sensitivity indices of every
 * summary metric (core/sensitivity.h) into /sensitivity. */
#ifndef LSIM_SWEEP_H
#define LSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "params.h"
#include "series.h"


/* How the members are chosen. */
typedef enum {
    LSIM_SWEEP_GRID = 0, /* every combination of the --vary values */
    LSIM_SWEEP_LHS,      /* --samples N Latin-hypercube points */
    LSIM_SWEEP_SOBOL,    /* --samples N base rows of the Saltelli scheme: N (d + 2) members */
    LSIM_SWEEP_MORRIS,   /* --samples R trajectories on a p-level grid: R (d + 1) members */
    LSIM_SWEEP_DESIGN    /* --design FILE.csv: one member per row */
} lsim_sweep_method;

typedef struct {
    char name[128];          /* section.key */
    char cf_name[136];       /* section__key: the CF-valid variable name in the file */
    long def_index;
    int is_choice;           /* a choice or text parameter: levels are codes into `words` */
    char *words;             /* "a|b|c": the choice list, or for a text parameter the words given */
    size_t level_count;      /* grid/list levels; LHS: 0 for numeric ranges */
    double *levels;          /* SI values, or choice codes */
    double lo, hi;           /* LHS, Sobol' or Morris numeric range, SI */
} lsim_sweep_axis;

typedef struct {
    size_t runs, axis_count;
    lsim_sweep_axis *axes;
    double *values; /* [runs][axis_count]: SI value or choice code */
    char *spec;     /* the options as given ("--vary ... --samples N --method M", "--design FILE"), for the file */
    lsim_sweep_method method;
    size_t base_samples; /* Sobol': N base rows; Morris: R trajectories; else 0 */
    unsigned levels;     /* Morris: grid levels p */
} lsim_sweep_plan;

/* What to sweep, as the command line gives it. */
typedef struct {
    lsim_sweep_method method;
    const char *const *varies; /* "section.key=SPEC" */
    size_t vary_count;
    size_t samples;          /* LHS points, Sobol' base rows N, Morris trajectories R */
    unsigned levels;         /* Morris grid levels p (0: LSIM_MORRIS_LEVELS) */
    const char *design_path; /* LSIM_SWEEP_DESIGN: the CSV file */
} lsim_sweep_request;

/* The members' headline results, handed to the front end to show. */
typedef struct {
    const lsim_sweep_plan *plan;
    const lsim_params *base;
    const double *values;        /* [runs][metric_count] */
    const char *const *metrics;  /* summary names */
    size_t metric_count;
    const lsim_series_registry *units_from; /* a registry whose summary names the metrics' units */
} lsim_sweep_table;

/* Progress of the members, for the front end to show. */
typedef struct {
    int rank, ranks;
    long long member;        /* the member just written */
    size_t done_on_rank;     /* members this rank wrote in this session */
    size_t to_run_on_rank;   /* members this rank has to run in this session */
    double elapsed;          /* wall seconds since the members started */
} lsim_sweep_progress;

/* What a sweep will cost, from the base deck's init and a short stepping
 * of it: shown before anything runs, and the ground for a refusal. */
typedef struct {
    size_t members, to_run;  /* all, and those this session runs (a restart skips the done) */
    size_t rows, series;
    double bytes;            /* the file before compression (an upper bound with it) */
    double free_bytes;       /* free space where the file goes (NaN if unknown) */
    double seconds;          /* wall time on the threads and ranks given */
    double init_seconds, step_seconds; /* one member's init, and one step, measured */
    int threads, ranks;
} lsim_sweep_estimate;

/* A sweep is refused beyond these unless forced (--force): an estimated
 * file over the free space or over this many bytes, or a run longer than
 * this many wall seconds. */
#define LSIM_SWEEP_MAX_BYTES 1e12
#define LSIM_SWEEP_MAX_SECONDS (7.0 * 86400.0)

typedef struct {
    const char *output_path;
    const char *const *varies; /* "section.key=SPEC" */
    size_t vary_count;
    size_t samples; /* LHS points, Sobol' base rows N, Morris trajectories R */
    int lhs;        /* with method LSIM_SWEEP_GRID: a Latin hypercube (older callers) */
    lsim_sweep_method method;
    unsigned levels;         /* Morris grid levels (0: 4) */
    const char *design_path; /* LSIM_SWEEP_DESIGN */
    /* The command line, for the file's CF `history` (argc 0: not recorded); a --restart adds a line. */
    int argc;
    char *const *argv;
    int restart; /* resume OUT.partial: run only the members not in it */
    int force;   /* run even beyond the size and time limits */
    /* What the front end shows (the library never prints); NULL: nothing. */
    void (*on_estimate)(const lsim_sweep_estimate *estimate, void *context);
    void (*on_member_done)(const lsim_sweep_progress *progress, void *context);
    void (*on_table)(const lsim_sweep_table *table, void *context); /* rank 0, after the file is complete */
    void *context;
} lsim_sweep_options;

/* Builds the plan: a full grid over the axes (last axis fastest) or, with
 * `lhs`, `samples` Latin-hypercube points seeded by `seed`. Errors name the
 * --vary option. */
lsim_status lsim_sweep_plan_build(const lsim_params *base, const char *const *varies, size_t vary_count, size_t samples,
                                  int lhs, uint64_t seed, lsim_sweep_plan *plan);

/* Builds the plan of any method. Sobol': ranges 'a:b' (or value lists, drawn
 * uniformly) scaled from a scrambled Sobol' sequence seeded by `seed`, the
 * members of each base row as core/sensitivity.h orders them. Morris:
 * ranges only. A design: the CSV's header names the parameters
 * ("section.key", "section.key [unit]" or "section.key (unit)"; no unit: SI),
 * each row a member, words for choice and text parameters; a first column
 * headed "" or "index" (a pandas index) is skipped. Errors name
 * file:line:column, the key, the value and what was expected. */
lsim_status lsim_sweep_plan_make(const lsim_params *base, const lsim_sweep_request *request, uint64_t seed,
                                 lsim_sweep_plan *plan);
void lsim_sweep_plan_free(lsim_sweep_plan *plan);

/* Applies member `run`'s values to `params` (a clone of the base). */
lsim_status lsim_sweep_apply(const lsim_sweep_plan *plan, size_t run, lsim_params *params);

/* Runs every member and writes the sweep file. Every member is checked
 * (its whole init) before any runs: the first bad one is reported, with its
 * values, and nothing is written. After lsim_sweep_request_stop the members
 * in flight finish (at a second request they are abandoned), OUT.partial is
 * closed whole and LSIM_CHECKPOINTED is returned: resume with `restart`,
 * which runs only the missing members; the file is then bitwise the one an
 * uninterrupted sweep writes. */
lsim_status lsim_sweep_run(const lsim_params *base, const lsim_sweep_options *options);

/* For SIGINT/SIGTERM/SIGUSR1 handlers (async-signal-safe): the first call
 * stops starting members, the second abandons those in flight, a third
 * ends the process at once. */
void lsim_sweep_request_stop(int signal_number);

#endif
