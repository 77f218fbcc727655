/* The time-series registry.
 *
 * Modules register their output series once at init (group, name, UDUNITS
 * unit, long name, kind) and put one value per step. The chain closes each
 * output interval: flows become the time mean over the interval (the integral
 * divided by its length, so nothing is lost between samples), stocks the value
 * at its end. Closed rows wait in a column-major block buffer until data/
 * writes them. The row buffer is allocated once, at the first close; nothing
 * allocates per step.
 *
 * One contract for a missing registry: a NULL registry means "no output".
 * Registering on it returns -1, and putting, attributes, summaries and
 * interval bookkeeping on it do nothing, so a module built without output
 * (tests, sweep probes) runs the same code as one with it. */
#ifndef LSIM_SERIES_H
#define LSIM_SERIES_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

typedef enum {
    LSIM_SERIES_FLOW, /* a rate (kg s-1, W): written as the interval mean */
    LSIM_SERIES_STOCK /* a level (kg, J, W installed): written as the end value */
} lsim_series_kind;

/* The categories of a code: a series or summary entry whose value names one
 * of a fixed list of causes (what limited a stage, say) rather than a
 * quantity. It is kept as a double like every other value (nothing changes
 * per step) and written as an int32 variable with the CF attributes
 * flag_values (these codes) and flag_meanings (these words, space-separated),
 * and _FillValue LSIM_SERIES_CODE_MISSING where no category applies. */
typedef struct {
    size_t count;           /* categories; 0: a quantity, not a code */
    const int32_t *values;  /* the codes, ascending (flag_values) */
    const char *meanings;   /* one word per code, same order, space-separated (flag_meanings) */
} lsim_series_flags;

/* What a code reads as where no category applies: NaN in the registry,
 * -1 in the file (its _FillValue; readers that mask fill values get NaN). */
#define LSIM_SERIES_CODE_MISSING (-1)

typedef struct {
    const char *group;
    const char *name;
    const char *units;     /* UDUNITS spelling: "kg s-1", "W", "m2", "1" */
    const char *long_name;
    lsim_series_kind kind;
    lsim_series_flags flags; /* count 0 unless registered with lsim_series_add_code */
} lsim_series_info;

typedef struct {
    const char *group;
    const char *name;
    const char *units;
    double value;
} lsim_series_attr;

typedef struct {
    const char *name;
    const char *units;
    const char *long_name;
    double value;
    lsim_series_flags flags; /* count 0 unless set with lsim_summary_set_code */
} lsim_summary_entry;

/* A small 2-D design-time table (e.g. a trajectory: one row per point). */
typedef struct {
    const char *group;
    const char *name;
    size_t rows, cols;
    const double *data;       /* row-major, rows x cols; NULL when rows == 0 */
    const char *columns;      /* comma-separated, `cols` names: "sample,t,x" */
    const char *column_units; /* comma-separated, `cols` UDUNITS spellings: "1,s,m" */
    const char *long_name;
} lsim_series_table;

typedef struct lsim_series_registry lsim_series_registry;

/* `rows_per_block`: how many closed rows are buffered before a write. */
lsim_series_registry *lsim_series_new(size_t rows_per_block);
void lsim_series_free(lsim_series_registry *reg);

/* Returns the series id (>= 0). Registering the same group/name twice aborts:
 * it is a programming error, not an input error. */
int lsim_series_add(lsim_series_registry *reg, const char *group, const char *name, const char *units,
                    const char *long_name, lsim_series_kind kind);

/* A code series (see lsim_series_flags): a stock (the code of the last step
 * of the interval; a mean of codes means nothing) with units "1". Code k
 * means meanings[k] for k < code_count; a NULL entry is not a code (so a
 * list may start at 1). Each meaning is one CF word (letters, digits and
 * _ . + - @); a bad list is a programming error and aborts. Put the code as
 * a double (NaN: no category). */
int lsim_series_add_code(lsim_series_registry *reg, const char *group, const char *name, const char *long_name,
                         const char *const *meanings, size_t code_count);

/* The registry's first member (core/series.c): the values put for the step
 * in progress, one per series, so that a put is one store inlined where the
 * model is rather than a call (a chain step makes ~200 of them). */
typedef struct {
    double *current;
} lsim_series_values_;

/* The value of series `id` for the current step. */
static inline void lsim_series_put(lsim_series_registry *reg, int id, double value)
{
    if (reg != NULL) ((lsim_series_values_ *)(void *)reg)->current[id] = value;
}

/* A derived design figure stored as an attribute of the group (e.g. track length). */
void lsim_series_group_attr(lsim_series_registry *reg, const char *group, const char *name, double value,
                            const char *units);

/* A table computed at init (design time), written once as the 2-D dataset
 * /GROUP/NAME when the output file is created. `data` (row-major, rows x
 * cols) and the strings are copied. `columns` and `column_units` are
 * comma-separated lists of exactly `cols` entries. Setting the same
 * group/name again replaces the table; call before the output is created.
 * Tables are not part of checkpoints: a restart recomputes them from the
 * same deck. A bad call (cols == 0, a list of the wrong length, rows > 0
 * with NULL data) is a programming error and aborts. */
void lsim_series_group_table(lsim_series_registry *reg, const char *group, const char *name, size_t rows,
                             size_t cols, const double *data, const char *columns, const char *column_units,
                             const char *long_name);

/* A scalar result written under /summary and printed in the run summary.
 * Setting the same name again replaces the value. */
void lsim_summary_set(lsim_series_registry *reg, const char *name, double value, const char *units,
                      const char *long_name);
/* A summary entry that is a code (units "1", categories as for
 * lsim_series_add_code); `code` NaN: no category applies. */
void lsim_summary_set_code(lsim_series_registry *reg, const char *name, double code, const char *long_name,
                           const char *const *meanings, size_t code_count);
/* NaN when never set. */
double lsim_summary_get(const lsim_series_registry *reg, const char *name);

/* --- chain side --- */
void lsim_series_end_step(lsim_series_registry *reg, double dt);
/* Closes the interval ending at t_end (seconds since the epoch); returns 1
 * when the buffer is full and must be drained before the next close. */
int lsim_series_end_interval(lsim_series_registry *reg, double t_end);

/* --- writer side --- */
size_t lsim_series_count(const lsim_series_registry *reg);
const lsim_series_info *lsim_series_info_at(const lsim_series_registry *reg, size_t id);
size_t lsim_series_group_count(const lsim_series_registry *reg);
const char *lsim_series_group_name(const lsim_series_registry *reg, size_t index);
size_t lsim_series_attr_count(const lsim_series_registry *reg);
const lsim_series_attr *lsim_series_attr_at(const lsim_series_registry *reg, size_t index);
size_t lsim_series_table_count(const lsim_series_registry *reg);
const lsim_series_table *lsim_series_table_at(const lsim_series_registry *reg, size_t index);
size_t lsim_summary_count(const lsim_series_registry *reg);
const lsim_summary_entry *lsim_summary_at(const lsim_series_registry *reg, size_t index);

/* The int32 a code is written as: `value` when it is one of flags->values,
 * LSIM_SERIES_CODE_MISSING for NaN or for LSIM_SERIES_CODE_MISSING itself
 * (a row read back from a file). Any other value is a programming error (a
 * module put something that is not one of its codes): aborts naming `what`. */
int32_t lsim_series_code_of(const lsim_series_flags *flags, double value, const char *what);

size_t lsim_series_pending_rows(const lsim_series_registry *reg);
const double *lsim_series_pending_times(const lsim_series_registry *reg);
const double *lsim_series_pending_values(const lsim_series_registry *reg, size_t id);
size_t lsim_series_rows_written(const lsim_series_registry *reg); /* rows drained so far */
void lsim_series_drain(lsim_series_registry *reg);                 /* after the writer took them */

/* Saves or restores the open interval's accumulators and the row count
 * (checkpoints). Pending rows must have been drained first. */
struct lsim_state;
lsim_status lsim_series_state(lsim_series_registry *reg, struct lsim_state *state);

/* The most recently closed value of a series (for summaries); NaN if none. */
double lsim_series_last_value(const lsim_series_registry *reg, int id);

#endif
