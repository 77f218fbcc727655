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

#endif
