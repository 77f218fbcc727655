/* What the lunarsim command shows: progress, the run summary, the sweep
 * table (chain/report.c, linked into the command, not the library). */
#ifndef LSIM_REPORT_H
#define LSIM_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "clock.h"
#include "series.h"
#include "sweep.h"

/* Progress of one run: a bar on a terminal, a line every 5% in batch logs. */
typedef struct {
    int tty;
    double start_wall, last_draw;
    int64_t start_step; /* -1 until the first call */
    int next_percent;
} lsim_progress;

/* An lsim_run_options.on_progress callback; `context` is an lsim_progress. */
void lsim_report_progress(const lsim_clock *clock, int final, void *context);

/* A value in SI with an SI prefix for reading (years for long times, tonnes
 * for large masses; NaN is "not reached" for a time, "n/a" otherwise). */
void lsim_format_quantity(char *buf, size_t size, double value, const char *units);

/* Prints the summary table (human units): the headline figures, or with
 * `full` every entry of /summary under headings. */
void lsim_print_summary(FILE *out, const lsim_series_registry *series, int full);

/* lsim_sweep_options callbacks: the members' table on stdout; on stderr the
 * estimate before the members run and a line per member with the time left. */
void lsim_report_sweep_table(const lsim_sweep_table *table, void *context);
void lsim_report_member_done(const lsim_sweep_progress *progress, void *context);
void lsim_report_sweep_estimate(const lsim_sweep_estimate *estimate, void *context);

#endif
