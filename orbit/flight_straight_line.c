/* The straight_line flight model: release errors carried along a straight
 * line to the catcher (a Monte Carlo at init), one arrival step. */
#include "flight_straight_line.h"

#include <math.h>

#include "orbit.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

/* Blocks whose partial sums are held at once; larger runs loop over chunks. */
#define LSIM_ORBIT_DISPERSION_CHUNK_BLOCKS 256

typedef struct {
    uint64_t inside;
    double miss_sum;
    double miss_sq_sum;
} dispersion_partial;

static dispersion_partial dispersion_block(const lsim_orbit_dispersion_case *c, uint64_t first, uint64_t end)
{
    dispersion_partial p = {0, 0.0, 0.0};
    const double v = c->release.exit_speed;
    for (uint64_t i = first; i < end; ++i) {
        double speed_error, in_plane, cross;
        lsim_release_draw(c->seed, i, &c->release, &speed_error, &in_plane, &cross);
        double cross_1 = v * in_plane;
        double cross_2 = v * cross;
        double miss = c->transit_time * sqrt(speed_error * speed_error + cross_1 * cross_1 + cross_2 * cross_2);
        if (miss <= c->catcher_radius) ++p.inside;
        p.miss_sum += miss;
        p.miss_sq_sum += miss * miss;
    }
    return p;
}

lsim_status lsim_orbit_dispersion_run(const lsim_orbit_dispersion_case *c, lsim_orbit_dispersion_result *result)
{
    if (c->samples == 0) return lsim_fail(LSIM_ERR_INPUT, "orbit.dispersion_samples: must be at least 1");
    if (!(c->transit_time >= 0.0) || !(c->release.sigma_speed >= 0.0) || !(c->release.sigma_angle >= 0.0) ||
        !(c->catcher_radius >= 0.0) || !(c->release.exit_speed >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT,
                         "orbit dispersion: transit_time, exit speed, speed and pointing errors and "
                         "catcher_radius must be >= 0");

    const uint64_t block = LSIM_ORBIT_DISPERSION_BLOCK;
    const uint64_t block_count = (c->samples + block - 1) / block;
    dispersion_partial partial[LSIM_ORBIT_DISPERSION_CHUNK_BLOCKS];
    uint64_t inside = 0;
    double miss_sum = 0.0, miss_sq_sum = 0.0;

    for (uint64_t chunk_first = 0; chunk_first < block_count; chunk_first += LSIM_ORBIT_DISPERSION_CHUNK_BLOCKS) {
        uint64_t chunk_end = chunk_first + LSIM_ORBIT_DISPERSION_CHUNK_BLOCKS;
        if (chunk_end > block_count) chunk_end = block_count;
        long chunk_blocks = (long)(chunk_end - chunk_first);
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (chunk_blocks > 1)
#endif
        for (long b = 0; b < chunk_blocks; ++b) {
            uint64_t first = (chunk_first + (uint64_t)b) * block;
            uint64_t end = first + block;
            if (end > c->samples) end = c->samples;
            partial[b] = dispersion_block(c, first, end);
        }
        for (long b = 0; b < chunk_blocks; ++b) {
            inside += partial[b].inside;
            miss_sum += partial[b].miss_sum;
            miss_sq_sum += partial[b].miss_sq_sum;
        }
    }

    result->samples = c->samples;
    result->inside = inside;
    result->capture_fraction = (double)inside / (double)c->samples;
    result->miss_mean = miss_sum / (double)c->samples;
    result->miss_rms = sqrt(miss_sq_sum / (double)c->samples);
    return LSIM_OK;
}

/* Arrival times: on the straight line the distance is v T, so a speed error
 * dv changes the flight time by -T dv / v; its spread T sigma_v / v (0.11 s
 * with the defaults: 3 d, 1 mm/s, 2.4 km/s) is far below any time step, so
 * all of a batch arrives in the step ceil(T / dt) after launch, as in fixed. */
lsim_status lsim_orbit_flight_straight_line_design(const lsim_orbit_config *cfg, const lsim_release_errors *release,
                                                   double dt, uint64_t seed, lsim_orbit_flight_schedule *schedule,
                                                   void **model_state)
{
    *model_state = NULL;
    if (!(cfg->transit_time >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.transit_time: must be >= 0 s (got %g)", cfg->transit_time);
    if (!(cfg->dispersion_samples >= 1.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.dispersion_samples: must be at least 1 (got %g)",
                         cfg->dispersion_samples);
    lsim_orbit_dispersion_case c = {cfg->transit_time, *release, cfg->catcher_radius,
                                    (uint64_t)cfg->dispersion_samples, seed};
    lsim_orbit_dispersion_result r;
    lsim_status st = lsim_orbit_dispersion_run(&c, &r);
    if (st == LSIM_OK) st = lsim_orbit_flight_schedule_alloc(schedule, 1);
    if (st != LSIM_OK) return st;
    schedule->weights[0] = 1.0;
    schedule->first_step = lsim_orbit_transit_steps(cfg->transit_time, dt);
    schedule->captured_share = r.capture_fraction;
    schedule->miss_rms = r.miss_rms;
    schedule->flight_time_mean = cfg->transit_time;
    schedule->flight_time_spread =
        release->exit_speed > 0.0 ? cfg->transit_time * release->sigma_speed / release->exit_speed : 0.0;
    return LSIM_OK;
}

LSIM_ORBIT_FLIGHT_STATELESS(straight_line)
