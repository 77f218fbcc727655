/* The three_body flight model: payloads released from a lunar site fly the
 * Earth–Moon circular restricted three-body problem (cr3bp.h) to a catcher
 * at L2 (or offset from it); the track's azimuth and elevation are targeted
 * at init, and the launcher's release errors are dispersed by Monte Carlo
 * through the full nonlinear dynamics and by the STM's linear covariance.
 *
 * Site frame. The Moon is tidally locked and at rest in the rotating frame,
 * with no libration and its spin axis along +z. Selenographic longitude 0 is
 * the sub-Earth point (direction -x from the Moon's centre), east longitude
 * +90 deg faces -y (the trailing side: the Moon moves along +y, so the
 * leading apex is at 90 deg W), latitude is from the equator, north +z:
 *     up    u = (-cos(lat) cos(lon), -cos(lat) sin(lon), sin(lat))
 *     east  e = ( sin(lon),          -cos(lon),          0)
 *     north n = ( sin(lat) cos(lon),  sin(lat) sin(lon), cos(lat))
 * The release point is the Moon's centre plus R_moon u (the track's height
 * is neglected); the release velocity, relative to the rotating frame (the
 * ground is at rest in it), is v d with the track direction
 *     d(A, E) = cos E (cos A n + sin A e) + sin E u,
 * A the azimuth from north towards east and E the elevation. A release error
 * (lsim_release_draw: dv, th1, th2) flies at v + dv along
 *     cos(th2) d(A, E + th1) + sin(th2) h,   h = cos A e - sin A n,
 * h the horizontal unit vector across the track. */
#ifndef LSIM_ORBIT_FLIGHT_THREE_BODY_H
#define LSIM_ORBIT_FLIGHT_THREE_BODY_H

#include <stdint.h>

#include "cr3bp.h"
#include "release.h"
#include "status.h"

typedef struct lsim_orbit_config lsim_orbit_config; /* orbit.h */

#define LSIM_ORBIT_MAX_CORRECTIONS 8

/* The fixed geometry of one design: system, site, catcher, ranges. */
typedef struct {
    lsim_cr3bp_system sys;
    double site[3];        /* release point, non-dimensional */
    double up[3], east[3], north[3];
    double catcher[3];     /* catcher point, non-dimensional */
    double jacobi_l2;      /* C(L2) */
    double jacobi_need;    /* largest release Jacobi constant that can reach the catcher: min(C(L2), 2 Omega(catcher)) */
    double azimuth_min, azimuth_max, elevation_min, elevation_max; /* rad */
    double guard;          /* non-dimensional distance from the Moon before closest approaches count */
    double t_max;          /* non-dimensional flight-time bound */
    double escape_radius;  /* non-dimensional */
    /* Mid-course corrections (orbit.correction_*, tracking_*), SI. */
    int correction_count;
    double correction_first_fraction, correction_last_fraction;
    double tracking_position_error, tracking_velocity_error; /* m, m s-1, 1 sigma per axis */
    double correction_execution_error;                       /* 1, proportional 1 sigma */
} lsim_orbit_three_body_geometry;

/* The corrections of a targeted design. At t[k] the payload's tracked state
 * (true state plus tracking errors) is compared with the nominal's, and the
 * velocity change dv = -gain[k] dx is fired: the least-norm dv that nulls
 * the miss across the nominal arrival velocity predicted by the nominal's
 * STM from t[k] to arrival (B = P Phi_rv, C = P Phi_rr, P the 2x3 projection
 * across the arrival velocity: gain = B^T (B B^T)^-1 [C B]). Applied with a
 * proportional execution error. The guidance law is linear; the flights
 * through it are not. */
typedef struct {
    int count;
    double t[LSIM_ORBIT_MAX_CORRECTIONS];           /* non-dimensional time after release */
    double nominal[LSIM_ORBIT_MAX_CORRECTIONS][6];  /* nominal state at t[k], non-dimensional */
    double gain[LSIM_ORBIT_MAX_CORRECTIONS][18];    /* 3x6 row-major, non-dimensional */
    double residual_cov[4];  /* m2: linear miss covariance left by the last correction's tracking errors */
} lsim_orbit_three_body_plan;

/* One Monte Carlo sample, as the arrivals table reports it. */
typedef struct {
    double t;             /* s, release to closest approach; NaN if it never approached */
    double miss[2];       /* m, across the nominal arrival velocity (e1, e2 of the nominal); NaN if not */
    double speed;         /* m s-1 relative to the catcher at closest approach; NaN if not */
    int captured;         /* inside the aperture */
    double correction_dv; /* m s-1, sum of the magnitudes of its corrections */
} lsim_orbit_three_body_sample;

/* One flight from the site to its first closest approach to the catcher
 * (after leaving `guard` from the Moon). */
typedef struct {
    int approached;        /* reached a closest approach (no impact, escape or time-out first) */
    double t;              /* s, release to closest approach */
    double miss;           /* m, distance from the catcher there (NaN if not approached) */
    double miss_vec[3];    /* m, position minus catcher (rotating frame) */
    double state[6];       /* SI state at closest approach (rotating frame, barycentric) */
    double jacobi;         /* release Jacobi constant */
    double t_leave;        /* non-dimensional time it left `guard` from the Moon (NaN if never) */
    double stm[36];        /* Phi(t, 0), row-major, when asked for */
} lsim_orbit_three_body_flight;

/* Targeting and dispersion figures of one design. */
typedef struct {
    double azimuth, elevation;   /* rad, targeted */
    int iterations;              /* Newton iterations of the differential correction */
    double miss_nominal;         /* m, of the targeted nominal flight */
    double transit_time;         /* s, nominal */
    double t_leave;              /* non-dimensional time the nominal leaves `guard` from the Moon */
    double release_jacobi;       /* 1, nominal release */
    double jacobi_l2;            /* 1, C(L2) */
    double least_speed;          /* m s-1, the speed whose release Jacobi constant equals jacobi_need */
    double arrival_speed;        /* m s-1, nominal, relative to the catcher point (at rest in the rotating frame) */
    double arrival_state[6];     /* nominal state at the catcher, SI */
    double miss_rms_linear;      /* m, sqrt(trace) of the STM's linear miss covariance */
    double miss_cov_linear[4];   /* m2, 2x2 covariance in the plane across the arrival velocity */
    uint64_t samples, arrived, inside;
    double captured_share;       /* inside / samples */
    double miss_rms;             /* m, Monte Carlo over arrived samples */
    double time_mean, time_spread; /* s, Monte Carlo over arrived samples */
    lsim_orbit_three_body_plan plan; /* count 0 until lsim_orbit_three_body_plan_corrections */
    double across_e1[3], across_e2[3]; /* unit vectors across the nominal arrival velocity */
    double miss_rms_linear_corrected;  /* m, sqrt(trace(plan.residual_cov)); NaN without corrections */
    double correction_dv_mean;   /* m s-1 per payload, Monte Carlo over all samples */
    double correction_dv_rms;    /* m s-1 */
} lsim_orbit_three_body_result;

/* Fills the geometry from the config (site, catcher, ranges). */
lsim_status lsim_orbit_three_body_geometry_init(const lsim_orbit_config *cfg, lsim_orbit_three_body_geometry *g);

/* Flies one release: exit speed v (m s-1), azimuth, elevation, cross angle
 * (rad), at tolerance rtol = atol, with the STM if with_stm. */
lsim_status lsim_orbit_three_body_fly(const lsim_orbit_three_body_geometry *g, double v, double azimuth,
                                      double elevation, double cross, double tol, int with_stm,
                                      lsim_orbit_three_body_flight *f);

/* Targeting: azimuth and elevation within the ranges that carry a release
 * at v through the catcher (miss below 1 mm), by a coarse search and
 * differential correction with the STM. LSIM_ERR_INPUT with a one-line
 * message naming the parameter and the least exit speed or elevation that
 * would reach it. Fills azimuth, elevation, iterations, miss_nominal,
 * transit_time, release_jacobi, jacobi_l2, least_speed, arrival_speed,
 * arrival_state and the linear covariance for `release`. */
lsim_status lsim_orbit_three_body_target(const lsim_orbit_three_body_geometry *g, const lsim_release_errors *release,
                                         lsim_orbit_three_body_result *r);

/* Plans g->correction_count corrections about the targeted nominal in r:
 * times, nominal states and gains, and the residual linear covariance.
 * LSIM_ERR_INPUT with one line when a correction would fall before the
 * nominal flight leaves the Moon's vicinity (g->guard) or at or after its
 * arrival, or a gain is singular. */
lsim_status lsim_orbit_three_body_plan_corrections(const lsim_orbit_three_body_geometry *g,
                                                   const lsim_release_errors *release,
                                                   lsim_orbit_three_body_result *r);

/* Flies launch `index` of lsim_release_draw through the planned corrections
 * (tracking errors from stream LSIM_STREAM_TRACKING, entity index), to its
 * closest approach. `record`, if not NULL, receives `record_count` states
 * (SI, rows t x y z vx vy vz) at evenly spaced times from release to
 * record_until (s), for the trajectory table; a flight that ends early
 * fills the rest with NaN. */
lsim_status lsim_orbit_three_body_fly_sample(const lsim_orbit_three_body_geometry *g,
                                             const lsim_release_errors *release,
                                             const lsim_orbit_three_body_result *r, uint64_t seed,
                                             uint64_t index, double tol, lsim_orbit_three_body_flight *f,
                                             double *correction_dv, double *record, int record_count,
                                             double record_until);

/* Monte Carlo of `samples` releases (launch i of lsim_release_draw) about
 * the targeted nominal in r, each flown through r->plan's corrections to its
 * closest approach; fills samples, arrived, inside, captured_share,
 * miss_rms, time_mean, time_spread, correction_dv_mean and _rms, and, if
 * out is not NULL, out[i]. OpenMP over blocks summed in fixed order: bitwise the same
 * for any thread count. */
lsim_status lsim_orbit_three_body_disperse(const lsim_orbit_three_body_geometry *g,
                                           const lsim_release_errors *release, double catcher_radius,
                                           uint64_t samples, uint64_t seed, lsim_orbit_three_body_sample *out,
                                           lsim_orbit_three_body_result *r);

/* The design (lsim_orbit_flight_three_body_design) keeps its last few
 * results in this process, keyed by every input it reads; a repeated design
 * is a copy. Clear empties it (tests); counts gives the hits and the misses
 * (designs computed and kept) since the last clear. Thread-safe. */
void lsim_orbit_three_body_memo_clear(void);
void lsim_orbit_three_body_memo_counts(unsigned long long *hits, unsigned long long *misses);

#endif
