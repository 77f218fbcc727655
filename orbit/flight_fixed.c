/* The fixed flight model: the deck's transit time and capture efficiency. */
#include <math.h>

#include "orbit.h"

lsim_status lsim_orbit_flight_fixed_design(const lsim_orbit_config *cfg, const lsim_release_errors *release,
                                           double dt, uint64_t seed, lsim_orbit_flight_schedule *schedule,
                                           void **model_state)
{
    (void)release;
    (void)seed;
    *model_state = NULL;
    if (!(cfg->transit_time >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.transit_time: must be >= 0 s (got %g)", cfg->transit_time);
    if (!(cfg->capture_efficiency >= 0.0 && cfg->capture_efficiency <= 1.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.capture_efficiency: must be within 0..1 (got %g)",
                         cfg->capture_efficiency);
    lsim_status st = lsim_orbit_flight_schedule_alloc(schedule, 1);
    if (st != LSIM_OK) return st;
    schedule->weights[0] = 1.0;
    schedule->first_step = lsim_orbit_transit_steps(cfg->transit_time, dt);
    schedule->captured_share = cfg->capture_efficiency;
    schedule->miss_rms = NAN;
    schedule->flight_time_mean = cfg->transit_time;
    schedule->flight_time_spread = 0.0;
    return LSIM_OK;
}

LSIM_ORBIT_FLIGHT_STATELESS(fixed)
