/* Flight models: how what the mass driver releases in one step reaches the
 * catcher. Chosen by name (orbit.flight_model) from the X-macro list below,
 * as core/variant.h describes; the deck's choice list, the parameter's doc
 * and the table of operations all come from that list.
 *
 * A model runs once at init (deep physics at design time, not per step) and
 * hands the stage a schedule: for a batch launched in step k, the share of
 * it arriving in each of the steps k+n0 ... k+n0+bins-1 and the share of
 * what arrives that lies inside the catcher's aperture. The rest of the
 * stage sees only the schedule (transit.c spreads launches by its weights).
 *
 * Adding a model: one
 * file orbit/flight_NAME.c defining lsim_orbit_flight_NAME_design, _state
 * and _free (LSIM_ORBIT_FLIGHT_STATELESS(NAME) writes the last two for a
 * model that keeps nothing between steps), one line in
 * LSIM_ORBIT_FLIGHT_MODELS, its tests and its docs. */
#ifndef LSIM_ORBIT_FLIGHT_H
#define LSIM_ORBIT_FLIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "release.h"
#include "state.h"
#include "status.h"
#include "variant.h"

/* name, one-line doc: what the model does and what it leaves out. */
#define LSIM_ORBIT_FLIGHT_MODELS(X)                                                                          \
    X(fixed, "transit_time and capture_efficiency as given; every launch arrives ceil(transit_time/"         \
             "time_step) steps later")                                                                        \
    X(straight_line, "capture share from a Monte Carlo of the launcher's release errors carried along a "     \
                     "straight line for transit_time to a catcher of catcher_radius (no gravity); one "       \
                     "arrival step as in fixed, since the speed error spreads arrivals by well under a second")   \
    X(three_body, "Earth-Moon restricted three-body flight from the launch site to the catcher at L2: track "    \
                  "azimuth and elevation targeted at init, release errors dispersed by Monte Carlo through the "  \
                  "nonlinear dynamics (capture share, arrival steps) and by the STM's linear covariance")

typedef struct lsim_orbit_config lsim_orbit_config; /* orbit.h */

/* What a flight model hands the stage. Arrival steps are counted from the
 * launch step: a batch launched in step k arrives, share weights[j], in step
 * k + first_step + j (first_step 0: part of it arrives in the step it is
 * launched). */
typedef struct {
    size_t first_step;         /* n0, steps */
    size_t bins;               /* >= 1 */
    double *weights;           /* [bins], >= 0; normalised to sum 1 at init (lsim_orbit_flight_init) */
    double captured_share;     /* share of arriving mass inside the catcher aperture, 0..1 */
    double miss_rms;           /* m, rms miss distance at the catcher; NaN if the model gives none */
    double flight_time_mean;   /* s, release to catcher, as modelled (before binning into steps) */
    double flight_time_spread; /* s, 1 sigma of the flight time */
    /* Figures of a model that flies real trajectories (three_body); NaN
     * (targeting_iterations -1) when the model gives none. */
    double nominal_transit_time; /* s, the targeted nominal flight */
    double release_jacobi;     /* 1, Jacobi constant of the nominal release (cr3bp.h units) */
    double jacobi_l2;          /* 1, Jacobi constant of L2 */
    double arrival_speed;      /* m s-1, nominal, relative to the catcher point (rotating frame) */
    double miss_rms_linear;    /* m, rms miss from the STM's linear covariance */
    double track_azimuth;      /* rad from north towards east, targeted */
    double track_elevation;    /* rad above the local horizontal, targeted */
    int targeting_iterations;  /* differential-correction iterations */
    /* Mid-course corrections (three_body; 0 and NaN otherwise). */
    int correction_count;
    double correction_dv_mean;         /* m s-1 per payload, over all samples */
    double correction_dv_rms;          /* m s-1 */
    double correction_propellant_share; /* 1: share of each launched payload spent as correction propellant */
    double miss_rms_linear_corrected;  /* m, left by the last correction's tracking errors (linear) */
    double arrival_speed_mean;         /* m s-1, Monte Carlo mean over arrived samples */
    /* Design-time tables for the run file (three_body; NULL otherwise),
     * row-major, owned by the schedule: trajectory rows (sample, t, x, y, z,
     * vx, vy, vz) with sample 0 the nominal and sample i+1 launch i;
     * arrival rows (sample, t, miss_1, miss_2, speed, captured,
     * correction_dv) for the first launches of the Monte Carlo. */
    double *trajectory;
    size_t trajectory_rows;
    double *arrivals;
    size_t arrival_rows;
    double geometry[8]; /* m: moon_x, moon_radius, l1_x, l2_x, catcher_x, catcher_y, catcher_z (rotating, barycentric); [7] unused */
} lsim_orbit_flight_schedule;

/* A row of the flight-model table. `design` fills `schedule` (allocating its
 * weights with lsim_orbit_flight_schedule_alloc) for steps of `dt` and may
 * keep state of its own in *model_state (NULL if none); `release` are the
 * launcher's release errors (cfg->release in the stage; passed apart so a
 * model can be re-designed when the launcher changes). `state` saves or
 * loads that state for checkpoints (entries "orbit.flight.*"); `free`
 * releases it. */
typedef struct {
    lsim_variant_head head;
    lsim_status (*design)(const lsim_orbit_config *cfg, const lsim_release_errors *release, double dt,
                          uint64_t seed, lsim_orbit_flight_schedule *schedule, void **model_state);
    lsim_status (*state)(void *model_state, lsim_state *s);
    void (*free)(void *model_state);
} lsim_orbit_flight_model;

/* Declarations of every model's three functions, from the list. */
#define LSIM_ORBIT_FLIGHT_DECLARE_(name, doc)                                                                \
    lsim_status lsim_orbit_flight_##name##_design(const lsim_orbit_config *cfg,                              \
                                                  const lsim_release_errors *release, double dt,             \
                                                  uint64_t seed, lsim_orbit_flight_schedule *schedule,       \
                                                  void **model_state);                                       \
    lsim_status lsim_orbit_flight_##name##_state(void *model_state, lsim_state *s);                          \
    void lsim_orbit_flight_##name##_free(void *model_state);
LSIM_ORBIT_FLIGHT_MODELS(LSIM_ORBIT_FLIGHT_DECLARE_)

/* For a model that keeps nothing between steps: no-op state and free. */
#define LSIM_ORBIT_FLIGHT_STATELESS(name)                                                                    \
    lsim_status lsim_orbit_flight_##name##_state(void *model_state, lsim_state *s)                           \
    {                                                                                                        \
        (void)model_state;                                                                                   \
        (void)s;                                                                                             \
        return LSIM_OK;                                                                                      \
    }                                                                                                        \
    void lsim_orbit_flight_##name##_free(void *model_state) { (void)model_state; }

/* The row named `name`, or NULL. */
const lsim_orbit_flight_model *lsim_orbit_flight_model_find(const char *name);

/* Allocates `bins` zero weights (replacing any held). */
lsim_status lsim_orbit_flight_schedule_alloc(lsim_orbit_flight_schedule *schedule, size_t bins);

/* The stage's flight: the chosen model, its schedule and its state. */
typedef struct {
    const lsim_orbit_flight_model *model;
    lsim_orbit_flight_schedule schedule;
    void *model_state;
    /* = schedule.captured_share, kept while chain/chain.c reads it; new code
     * reads lsim_orbit_design_view()->captured_share. */
    double capture_fraction;
} lsim_orbit_flight;

/* Runs model->design and checks the schedule it returns: at least one bin,
 * weights finite, >= 0 and with a positive sum, captured share within 0..1.
 * The weights are then divided by their sum (added in bin order), so they
 * sum to 1 up to one rounding each; transit.c makes the arrivals of every
 * batch add up to the batch whatever that rounding. */
lsim_status lsim_orbit_flight_init(lsim_orbit_flight *flight, const lsim_orbit_flight_model *model,
                                   const lsim_orbit_config *cfg, const lsim_release_errors *release, double dt,
                                   uint64_t seed);
/* Saves or loads the model's own state (nothing for fixed and straight_line). */
lsim_status lsim_orbit_flight_state(lsim_orbit_flight *flight, lsim_state *s);
void lsim_orbit_flight_free(lsim_orbit_flight *flight);

#endif
