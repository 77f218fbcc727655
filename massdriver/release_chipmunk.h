/* The payload's release from the bucket, in Chipmunk2D: where the release
 * errors handed to the flight come from when massdriver.release_model =
 * chipmunk (docs/MODEL.md §6, "Release in Chipmunk2D").
 *
 * Frame. Everything runs in the inertial frame that moves at the nominal exit
 * speed v0 along the track (the bucket's co-moving frame at the end of the
 * acceleration section), so bodies move at mm/s to m/s: Chipmunk has no swept
 * collisions and must never see km/s bodies. x is along the track (forward).
 * Two 2-D planes are stepped in lockstep per case, each in its own cpSpace:
 *   launch plane: y = track normal (up); lunar gravity -y; guides are the
 *     floor the payload rests on and a top guide above it;
 *   cross plane:  y = cross-track (horizontal); no in-plane gravity; guides
 *     are two side walls; the floor's Coulomb friction across the track is a
 *     groove joint whose force is capped at mu times the floor's normal force
 *     of the launch plane's previous step (the coupling between the planes).
 * Both have a rear wall and a front latch. The three release components are
 * (dvx_launch + dvx_cross, dvy_launch, dvy_cross): the along-track change of
 * the cross plane comes only from side-guide contacts (the floor's
 * along-track friction is in the launch plane), so the sum counts each force
 * once (superposition of small perturbations). The two planes' track
 * profiles are independent draws, so the cross component correlates with the
 * other two only through the floor's normal force.
 *
 * Bodies. The bucket is a dynamic body on two suspension points (its ends),
 * each a spring-damper to the track profile under it (the magnetic
 * levitation and guidance), preloaded to carry bucket and payload at rest;
 * pitch and heave (launch plane), yaw and sway (cross plane) follow from the
 * profile, filtered by the suspension. The payload is a rounded box.
 *
 * Sequence. t = 0: end of the acceleration section, bucket following the
 * track rigidly, payload at rest in it against the rear wall. t_latch: the
 * latch opens. t_brake: the bucket enters the braking section and decelerates
 * (a force on the bucket), pulling away behind the payload, which slides out
 * over the floor's front edge. The error is the payload's velocity at its
 * last contact with the bucket (the ideal release has zero velocity in this
 * frame); after that only gravity acts, which the flight integrates.
 *
 * Track. A sum of sinusoids with random phases (counter-based, core/rng.h):
 * wavelengths log-spaced from wavelength_min (the stage pitch) to
 * wavelength_max (the track length), amplitude proportional to
 * wavelength^spectrum_exponent, scaled so the profile's rms is
 * track_amplitude. Each plane draws its own profile.
 *
 * Parallel cases. One workspace per thread holds the two spaces and their
 * bodies, built once and reset per case (bodies and shapes removed and
 * re-added in the same order, shape ids restarted): no allocation per case,
 * and a case gives the same bits whichever thread runs it and whatever ran
 * before. */
#ifndef LSIM_MASSDRIVER_RELEASE_CHIPMUNK_H
#define LSIM_MASSDRIVER_RELEASE_CHIPMUNK_H

#include <stddef.h>
#include <stdint.h>

#include "launcher.h"
#include "params.h"
#include "release.h"
#include "series.h"
#include "status.h"
#include "variant.h"

/* Most sinusoids a track profile may have. */
#define LSIM_RELEASE_CP_MAX_WAVES 32

typedef struct {
    /* bodies and guides */
    double payload_mass;      /* kg */
    double payload_length;    /* m along the track (rounded box, outer size) */
    double payload_width;     /* m, its square cross-section's side (both planes) */
    double bucket_mass;       /* kg */
    double bucket_length;     /* m, guide length = distance between the suspension points */
    double clearance;         /* m between payload and top guide (launch) or the side guides together (cross) */
    double latch_gap;         /* m between payload and latch */
    double guide_radius;      /* m, segment radius of the guides */
    double payload_rounding;  /* m, corner radius of the payload */
    double friction;          /* 1, Coulomb coefficient payload-guide (and floor) */
    double restitution;       /* 1, payload-guide */
    double gravity;           /* m s-2 */
    /* bucket suspension and release sequence */
    double exit_speed;           /* m s-1, speed at which the bucket runs over the profile */
    double suspension_frequency; /* Hz, heave/sway natural frequency of bucket + payload */
    double suspension_damping;   /* 1, damping ratio */
    double brake_deceleration;   /* m s-2 of the empty bucket in the braking section */
    double latch_time;           /* s after the end of the acceleration section */
    double brake_time;           /* s, >= latch_time */
    /* track profile */
    double track_amplitude;   /* m rms of each plane's profile (0: a perfect track) */
    double wavelength_min;    /* m */
    double wavelength_max;    /* m */
    int waves;                /* sinusoids, 1..LSIM_RELEASE_CP_MAX_WAVES */
    double spectrum_exponent; /* amplitude ~ wavelength^exponent */
    /* integration */
    double dt;                /* s */
    int iterations;           /* Chipmunk solver iterations */
    double t_max;             /* s; a payload still in the bucket then is an error */
    uint64_t seed;            /* track phases: stream LSIM_STREAM_MASSDRIVER + 0x40, entity = case */
} lsim_release_cp_config;

typedef struct {
    double dv[3];                 /* m s-1: along-track, normal (launch plane), cross-track */
    double release_time[2];       /* s of the last contact, launch and cross plane */
    double momentum_change[2][2]; /* kg m s-1: payload + bucket momentum at release minus at t = 0, per plane (x, y) */
    double external_impulse[2][2];/* N s: suspension, brake and gravity impulses over the same time, per plane */
    double impulse_scale[2];      /* N s: sum of |external impulse| per step (the round-off scale) */
    long steps;                   /* time steps until both planes released */
} lsim_release_cp_case;

typedef struct {
    size_t cases;
    double mean[3];      /* m s-1 (along, normal, cross) */
    double cov[3][3];    /* m2 s-2, sample covariance (n - 1) */
    double sigma[3];     /* m s-1 */
    double corr[3][3];   /* 1 (0 where a sigma is 0) */
    double mean_release_time; /* s */
    double max_momentum_residual; /* 1: max over cases and planes of |dP - J| / impulse_scale */
} lsim_release_cp_stats;

/* Opaque per-thread workspace: two cpSpaces with their bodies and shapes. */
typedef struct lsim_release_cp_workspace lsim_release_cp_workspace;

/* Defaults (design choices and sources in release_chipmunk.c and
 * docs/MODEL.md §6): a 9 kg payload of 0.25 m x 0.14 m x 0.14 m in a 5 kg
 * bucket, 0.5 m guides, 2 mm clearance, mu 0.1, restitution 0.2, lunar
 * gravity, 2.4 km/s, a 10 Hz suspension damped at 0.3, braking at 288 m/s2,
 * latch at 0.1 s and brake 1 ms later, a 1e-4 m rms track (SP-413's 0.01 cm
 * alignment) over 1 m to 10 km in 12 waves with amplitude ~ wavelength^0.5,
 * dt 1e-4 s, 10 iterations. */
void lsim_release_cp_default(lsim_release_cp_config *c);

/* LSIM_ERR_INPUT with a message when a field is out of its range. */
lsim_status lsim_release_cp_check(const lsim_release_cp_config *c);

/* Builds a workspace for `c`'s geometry (NULL when out of memory). Creating a
 * cpSpace makes Debian's debug build of Chipmunk 7.0.3 print a two-line
 * banner on stdout once per process; the library itself prints nothing. */
lsim_release_cp_workspace *lsim_release_cp_workspace_new(const lsim_release_cp_config *c);
void lsim_release_cp_workspace_free(lsim_release_cp_workspace *w);

/* Runs case `index` (its track profiles are drawn from seed and index) in a
 * workspace built for a config of the same geometry and masses (the other
 * fields are applied per case). No allocation. LSIM_ERR_RUN when the
 * payload is still in the bucket at t_max. */
lsim_status lsim_release_cp_run_case(lsim_release_cp_workspace *w, const lsim_release_cp_config *c, uint64_t index,
                                     lsim_release_cp_case *r);

/* For the benchmark: resets case `index` and calls cpSpaceStep `steps` times
 * on both planes with nothing else (no suspension, profile, latch, brake or
 * release logic): the raw cost of the same bodies. */
void lsim_release_cp_step_raw(lsim_release_cp_workspace *w, const lsim_release_cp_config *c, uint64_t index,
                              long steps);

/* Runs cases 0..n-1 (OpenMP over cases, one workspace per thread, built
 * before the parallel loop) and reduces them in index order: the same bits
 * for any thread count. `cases` (n entries) may be NULL. */
lsim_status lsim_release_cp_run(const lsim_release_cp_config *c, size_t n, lsim_release_cp_case *cases,
                                lsim_release_cp_stats *stats);

/* The statistics as release errors for the flight: speed error = along-track,
 * in-plane angle = normal / v0, cross angle = cross / v0; their covariance
 * goes in as a Cholesky factor (lsim_release_set_covariance). The means are
 * not: the launcher trims the exit speed and the aim for them. */
lsim_status lsim_release_cp_to_errors(const lsim_release_cp_stats *s, double exit_speed, lsim_release_errors *e);

/* ------------------------------------------------------------------------ */
/* massdriver.release_model: which model finalises design->release. */

#define LSIM_RELEASE_MODELS(X)                                                                                   \
    X(gaussian, "independent normal errors from massdriver.speed_error_sigma and pointing_error_sigma")        \
    X(chipmunk, "payload release from the bucket in Chipmunk2D (guides, friction, restitution, latch, brake, " \
                "suspension on a misaligned track), many cases at init; full 3x3 covariance")

typedef struct {
    lsim_variant_head head;
    /* Replaces design->release's errors (the launcher variant has set the
     * nominal exit speed and elevation and the gaussian sigmas) and fills
     * *stats (cases = 0 when the model runs none). */
    lsim_status (*finalise)(const lsim_params *params, lsim_launcher_design *design, lsim_release_cp_stats *stats);
} lsim_release_model;

/* The model named by the deck's massdriver.release_model, applied to
 * `design`: the one hook massdriver.c calls after the launcher's design. */
lsim_status lsim_massdriver_release_finalise(const lsim_params *params, lsim_launcher_design *design,
                                             lsim_release_cp_stats *stats);

/* /massdriver group attributes of the statistics (nothing when cases = 0). */
void lsim_massdriver_release_write(const lsim_release_cp_stats *stats, double exit_speed, lsim_series_registry *reg,
                                   const char *group);

#endif
