/* A flight model for tests: the schedule set in orbit_test_schedule (any
 * number of arrival steps, weights not yet normalised), handed to the stage
 * through lsim_orbit_config.flight_model like any row of the table. It lets
 * the tests drive the arrival ring with spreads no shipped model gives yet. */
#ifndef ORBIT_TEST_FLIGHT_H
#define ORBIT_TEST_FLIGHT_H

#include <math.h>
#include <string.h>

#include "orbit.h"

#define ORBIT_TEST_MAX_BINS 8

static struct {
    size_t first_step;
    size_t bins;
    double weights[ORBIT_TEST_MAX_BINS];
    double captured_share;
} orbit_test_schedule = {2, 3, {1.0, 2.0, 1.0}, 1.0};

static inline lsim_status orbit_test_design(const lsim_orbit_config *cfg, const lsim_release_errors *release,
                                            double dt, uint64_t seed, lsim_orbit_flight_schedule *schedule,
                                            void **model_state)
{
    (void)cfg;
    (void)release;
    (void)seed;
    *model_state = NULL;
    lsim_status st = lsim_orbit_flight_schedule_alloc(schedule, orbit_test_schedule.bins);
    if (st != LSIM_OK) return st;
    memcpy(schedule->weights, orbit_test_schedule.weights, orbit_test_schedule.bins * sizeof(double));
    schedule->first_step = orbit_test_schedule.first_step;
    schedule->captured_share = orbit_test_schedule.captured_share;
    schedule->miss_rms = NAN;
    schedule->flight_time_mean = dt * (double)orbit_test_schedule.first_step;
    schedule->flight_time_spread = 0.0;
    return LSIM_OK;
}

static inline lsim_status orbit_test_state(void *model_state, lsim_state *s)
{
    (void)model_state;
    (void)s;
    return LSIM_OK;
}

static inline void orbit_test_free(void *model_state) { (void)model_state; }

static const lsim_orbit_flight_model orbit_test_flight_model = {
    {"test_spread", "the schedule in orbit_test_schedule"}, orbit_test_design, orbit_test_state, orbit_test_free};

#endif
