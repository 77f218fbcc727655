#include "flight.h"

#include <math.h>

#include "rng.h"

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
    for (uint64_t i = first; i < end; ++i) {
        double speed_error = c->sigma_speed * lsim_rng_normal(c->seed, LSIM_STREAM_ORBIT_DISPERSION + 0, i, 0);
        double angle_1 = c->sigma_angle * lsim_rng_normal(c->seed, LSIM_STREAM_ORBIT_DISPERSION + 1, i, 0);
        double angle_2 = c->sigma_angle * lsim_rng_normal(c->seed, LSIM_STREAM_ORBIT_DISPERSION + 2, i, 0);
        double cross_1 = c->release_speed * angle_1;
        double cross_2 = c->release_speed * angle_2;
        double velocity_error = sqrt(speed_error * speed_error + cross_1 * cross_1 + cross_2 * cross_2);
        double miss = c->transit_time * velocity_error;
        if (miss <= c->catcher_radius) ++p.inside;
        p.miss_sum += miss;
        p.miss_sq_sum += miss * miss;
    }
    return p;
}

lsim_status lsim_orbit_dispersion_run(const lsim_orbit_dispersion_case *c, lsim_orbit_dispersion_result *result)
{
    if (c->samples == 0)
        return lsim_fail(LSIM_ERR_INPUT, "orbit.dispersion_samples: must be at least 1");
    if (!(c->transit_time >= 0.0) || !(c->sigma_speed >= 0.0) || !(c->sigma_angle >= 0.0) ||
        !(c->catcher_radius >= 0.0) || !(c->release_speed >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT,
                         "orbit dispersion: transit_time, release_speed, sigma_speed, sigma_angle and "
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

lsim_status lsim_orbit_flight_fixed(lsim_orbit_flight *flight, double transit_time, double capture_efficiency)
{
    if (!(transit_time >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.transit_time: must be >= 0 s (got %g)", transit_time);
    if (!(capture_efficiency >= 0.0 && capture_efficiency <= 1.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.capture_efficiency: must be within 0..1 (got %g)",
                         capture_efficiency);
    flight->transit_time = transit_time;
    flight->capture_fraction = capture_efficiency;
    flight->miss_rms = NAN;
    return LSIM_OK;
}

lsim_status lsim_orbit_flight_dispersion(lsim_orbit_flight *flight, const lsim_orbit_dispersion_case *c)
{
    lsim_orbit_dispersion_result r;
    lsim_status status = lsim_orbit_dispersion_run(c, &r);
    if (status != LSIM_OK) return status;
    flight->transit_time = c->transit_time;
    flight->capture_fraction = r.capture_fraction;
    flight->miss_rms = r.miss_rms;
    return LSIM_OK;
}
