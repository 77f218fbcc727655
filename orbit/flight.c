/* The flight-model table and the checks every schedule passes. */
#include "flight.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LSIM_ORBIT_FLIGHT_ROW_(name, doc)                                                                    \
    {LSIM_VARIANT_HEAD(name, doc), lsim_orbit_flight_##name##_design, lsim_orbit_flight_##name##_state,      \
     lsim_orbit_flight_##name##_free},

static const lsim_orbit_flight_model flight_models[] = {LSIM_ORBIT_FLIGHT_MODELS(LSIM_ORBIT_FLIGHT_ROW_)};

const lsim_orbit_flight_model *lsim_orbit_flight_model_find(const char *name)
{
    return LSIM_VARIANT_FIND(flight_models, name);
}

lsim_status lsim_orbit_flight_schedule_alloc(lsim_orbit_flight_schedule *schedule, size_t bins)
{
    free(schedule->weights);
    schedule->weights = NULL;
    schedule->bins = 0;
    if (bins == 0) return lsim_fail(LSIM_ERR_INPUT, "orbit flight schedule: needs at least one arrival step");
    schedule->weights = calloc(bins, sizeof *schedule->weights);
    if (!schedule->weights)
        return lsim_fail(LSIM_ERR_RUN, "orbit: cannot allocate a flight schedule of %zu arrival steps", bins);
    schedule->bins = bins;
    return LSIM_OK;
}

static lsim_status check_and_normalise(lsim_orbit_flight_schedule *s, const char *model)
{
    if (s->bins == 0 || !s->weights)
        return lsim_fail(LSIM_ERR_INPUT, "orbit.flight_model %s: the schedule has no arrival steps", model);
    double sum = 0.0;
    for (size_t j = 0; j < s->bins; ++j) {
        if (!(s->weights[j] >= 0.0) || !isfinite(s->weights[j]))
            return lsim_fail(LSIM_ERR_INPUT, "orbit.flight_model %s: arrival weight %zu is %g (must be finite, >= 0)",
                             model, j, s->weights[j]);
        sum += s->weights[j];
    }
    if (!(sum > 0.0) || !isfinite(sum))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.flight_model %s: arrival weights sum to %g", model, sum);
    if (!(s->captured_share >= 0.0 && s->captured_share <= 1.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.flight_model %s: captured share %g is outside 0..1", model,
                         s->captured_share);
    for (size_t j = 0; j < s->bins; ++j) s->weights[j] /= sum; /* exact when the sum is 1 */
    return LSIM_OK;
}

lsim_status lsim_orbit_flight_init(lsim_orbit_flight *flight, const lsim_orbit_flight_model *model,
                                   const lsim_orbit_config *cfg, const lsim_release_errors *release, double dt,
                                   uint64_t seed)
{
    memset(flight, 0, sizeof *flight);
    flight->schedule.miss_rms = NAN;
    flight->schedule.nominal_transit_time = NAN;
    flight->schedule.release_jacobi = NAN;
    flight->schedule.jacobi_l2 = NAN;
    flight->schedule.arrival_speed = NAN;
    flight->schedule.miss_rms_linear = NAN;
    flight->schedule.track_azimuth = NAN;
    flight->schedule.track_elevation = NAN;
    flight->schedule.targeting_iterations = -1;
    flight->schedule.correction_dv_mean = NAN;
    flight->schedule.correction_dv_rms = NAN;
    flight->schedule.miss_rms_linear_corrected = NAN;
    flight->schedule.arrival_speed_mean = NAN;
    for (int k = 0; k < 8; ++k) flight->schedule.geometry[k] = NAN;
    if (!model) return lsim_fail(LSIM_ERR_INPUT, "orbit.flight_model: no flight model chosen");
    flight->model = model;
    lsim_status st = model->design(cfg, release, dt, seed, &flight->schedule, &flight->model_state);
    if (st == LSIM_OK) st = check_and_normalise(&flight->schedule, model->head.name);
    if (st != LSIM_OK) {
        lsim_orbit_flight_free(flight); /* a failed design holds nothing */
        return st;
    }
    flight->capture_fraction = flight->schedule.captured_share;
    return LSIM_OK;
}

lsim_status lsim_orbit_flight_state(lsim_orbit_flight *flight, lsim_state *s)
{
    return flight->model ? flight->model->state(flight->model_state, s) : LSIM_OK;
}

void lsim_orbit_flight_free(lsim_orbit_flight *flight)
{
    if (flight->model) flight->model->free(flight->model_state);
    flight->model_state = NULL;
    free(flight->schedule.weights);
    flight->schedule.weights = NULL;
    free(flight->schedule.trajectory);
    free(flight->schedule.arrivals);
    flight->schedule.trajectory = flight->schedule.arrivals = NULL;
    flight->schedule.trajectory_rows = flight->schedule.arrival_rows = 0;
    flight->schedule.bins = 0;
}
