/* The straight_line flight model's Monte Carlo, exposed for its tests and
 * the throughput bench. */
#ifndef LSIM_ORBIT_FLIGHT_STRAIGHT_LINE_H
#define LSIM_ORBIT_FLIGHT_STRAIGHT_LINE_H

#include <stdint.h>

#include "release.h"
#include "status.h"

/* One dispersion case. */
typedef struct {
    double transit_time;         /* s */
    lsim_release_errors release; /* the launcher's nominal speed and 1-sigma errors */
    double catcher_radius;       /* m */
    uint64_t samples;
    uint64_t seed;
} lsim_orbit_dispersion_case;

typedef struct {
    uint64_t samples;
    uint64_t inside;         /* samples with miss <= catcher_radius */
    double capture_fraction; /* inside / samples */
    double miss_mean;        /* m */
    double miss_rms;         /* m */
} lsim_orbit_dispersion_result;

/* Samples processed per reduction block: partial sums are made per block and
 * added in block order, so results do not depend on the thread count. */
#define LSIM_ORBIT_DISPERSION_BLOCK 4096

/* Sample i is launch i of core/release.h (lsim_release_draw(seed, i, ...)):
 * speed error dv and angle errors dth1 (in the launch plane) and dth2 (across
 * it). The velocity error at release is (dv, v dth1, v dth2), v the nominal
 * exit speed, and carried along a straight line for transit_time T it misses
 * the aim point by
 *
 *     miss = T |(dv, v dth1, v dth2)|.
 *
 * This ignores gravity's focusing or defocusing (and Heppenheimer's
 * achromatic trajectories, which cancel the speed term to first order), so it
 * is a bound for the three-body model to refine. OpenMP over blocks; bitwise
 * identical for any thread count. No allocation. */
lsim_status lsim_orbit_dispersion_run(const lsim_orbit_dispersion_case *c, lsim_orbit_dispersion_result *result);

#endif
