/* The simulation clock: an integer step count times a fixed dt, so time never
 * drifts by accumulated rounding and a restart lands on the same bits. */
#ifndef LSIM_CLOCK_H
#define LSIM_CLOCK_H

#include <stdint.h>
#include "params.h"

typedef struct {
    double dt;                 /* s */
    double duration;           /* s */
    int64_t step_count;        /* total steps in the run */
    int64_t steps_per_output;  /* steps per output interval */
    int64_t step;              /* steps completed */
    char epoch[64];            /* "YYYY-MM-DD hh:mm:ss", UTC */
} lsim_clock;

extern const lsim_param_def lsim_run_param_defs[];
extern const size_t lsim_run_param_count;

/* Reads run.time_step, run.duration, run.output_interval, run.start_epoch;
 * checks that the interval is a whole number of steps. */
lsim_status lsim_clock_init(lsim_clock *clock, const lsim_params *params);

static inline double lsim_clock_time(const lsim_clock *clock) { return (double)clock->step * clock->dt; }

/* 1 when the step just completed closes an output row: every
 * steps_per_output steps, and at the end of the run (a shorter last row). */
static inline int lsim_clock_output_due(const lsim_clock *clock)
{
    return clock->step % clock->steps_per_output == 0 || clock->step == clock->step_count;
}

/* Rows a whole run writes, and the end time (s) of row `row`. */
static inline int64_t lsim_clock_output_rows(const lsim_clock *clock)
{
    return (clock->step_count + clock->steps_per_output - 1) / clock->steps_per_output;
}
static inline double lsim_clock_row_time(const lsim_clock *clock, int64_t row)
{
    int64_t step = (row + 1) * clock->steps_per_output;
    return (double)(step < clock->step_count ? step : clock->step_count) * clock->dt;
}

#endif
