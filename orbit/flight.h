/* The flight model: how long a payload takes from the mass driver to the
 * catcher and what share of it arrives inside the catcher's aperture.
 *
 * Everything else in the orbit module sees only lsim_orbit_flight, so a later
 * Earth–Moon circular restricted three-body model can replace the first-order
 * one here by filling the same struct. */
#ifndef LSIM_ORBIT_FLIGHT_H
#define LSIM_ORBIT_FLIGHT_H

#include <stdint.h>
#include "status.h"

typedef struct {
    double transit_time;     /* s, release to catcher */
    double capture_fraction; /* share of arriving mass inside the catcher aperture, 0..1 */
    double miss_rms;         /* m, rms miss distance from the dispersion estimate; NaN if none */
} lsim_orbit_flight;

/* One dispersion case for the linearised ballistic estimate. */
typedef struct {
    double transit_time;   /* s */
    double release_speed;  /* m/s: converts pointing error to cross-track speed error */
    double sigma_speed;    /* m/s, 1-sigma along-track release speed error */
    double sigma_angle;    /* rad, 1-sigma pointing error about each of the two cross axes */
    double catcher_radius; /* m */
    uint64_t samples;
    uint64_t seed;
} lsim_orbit_dispersion_case;

typedef struct {
    uint64_t samples;
    uint64_t inside;          /* samples with miss <= catcher_radius */
    double capture_fraction;  /* inside / samples */
    double miss_mean;         /* m */
    double miss_rms;          /* m */
} lsim_orbit_dispersion_result;

/* Samples processed per reduction block: partial sums are made per block and
 * added in block order, so results do not depend on the thread count. */
#define LSIM_ORBIT_DISPERSION_BLOCK 4096

/* First-order Monte Carlo: each sample draws an along-track speed error
 * sigma_speed*z0 and two pointing errors sigma_angle*z1, sigma_angle*z2
 * (core/rng.h, streams LSIM_STREAM_ORBIT_DISPERSION+0..2, entity = sample
 * index, step 0); the velocity error is (dv, v*th1, v*th2) and the miss at
 * the catcher is transit_time * |velocity error|. This straight-line
 * propagation ignores gravity's focusing or defocusing (and Heppenheimer's
 * achromatic trajectories, which cancel the speed term to first order): it is
 * a bound for the three-body model to refine. OpenMP over blocks; bitwise
 * identical for any thread count. No allocation. */
lsim_status lsim_orbit_dispersion_run(const lsim_orbit_dispersion_case *c, lsim_orbit_dispersion_result *result);

/* The first-order flight: a fixed transit time and either a fixed capture
 * efficiency or the dispersion estimate's capture fraction. */
lsim_status lsim_orbit_flight_fixed(lsim_orbit_flight *flight, double transit_time, double capture_efficiency);
lsim_status lsim_orbit_flight_dispersion(lsim_orbit_flight *flight, const lsim_orbit_dispersion_case *c);

#endif
