/* The lunar mass driver (first order): a fleet of identical coilgun tracks
 * that launch payload from the chain's launch-ready stock at the exit speed.
 *
 * Rate over a step = min(rate cap of the operable drivers, granted power /
 * energy per launch, stock / (payload per launch · dt)). Launches are a mean
 * rate over the step and may be fractional: with hourly steps and ~10 launches
 * per second a step holds ~3.6e4 launches, so the rounding a whole-launch count
 * would add is far below everything else this model leaves out.
 *
 * Scheduled downtime (re-alignment of a track aligned to < 0.01 cm, coil and
 * bucket maintenance) is deterministic: every driver is down for
 * maintenance_duration at the start of every maintenance_period, with drivers
 * staggered over 16 phases (van der Corput order, so the first two are half a
 * period apart), and the overlap of each step with the windows is exact.
 *
 * The launcher itself is a variant chosen by massdriver.launcher_model
 * (launcher.h): at init it turns the deck into an lsim_launcher_design, and
 * everything here (driver count, maintenance phases, rate over a step, power)
 * reads only that design. To every launcher's design the fleet adds the power
 * line from the power site to the launch site (power_line.h): its loss joins
 * the bus energy per launch and its conductor the driver's lunar mass.
 * Callers read it through lsim_massdriver_design_view and
 * lsim_massdriver_driver_count. */
#ifndef LSIM_MASSDRIVER_H
#define LSIM_MASSDRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "launcher.h"
#include "launcher_physics.h"
#include "params.h"
#include "release_dispersion.h"
#include "series.h"
#include "state.h"
#include "status.h"

extern const lsim_param_def lsim_massdriver_param_defs[];
extern const size_t lsim_massdriver_param_count;

enum { LSIM_MASSDRIVER_MAINTENANCE_PHASES = 16 };

typedef struct {
    /* the launcher: its variant, private data and design (read it with lsim_massdriver_design_view) */
    const lsim_launcher_variant *launcher;
    void *launcher_model;
    lsim_launcher_design design;

    /* fleet parameters (SI) */
    double maintenance_period;       /* s */
    double maintenance_duration;     /* s */
    uint64_t seed;
    double availability;             /* 1, long-run fraction of time operable */

    /* Legacy mirrors, filled at init for callers not yet moved to the design
     * view (chain.c reads exit_speed, speed_error_sigma, pointing_error_sigma;
     * tests/chain the energy inputs). The module itself reads `design`; these
     * go when the last reader has moved. Parameters as in the deck (SI): */
    double exit_speed;               /* m s-1 */
    double acceleration;             /* m s-2 */
    double payload_per_launch;       /* kg */
    double bucket_mass;              /* kg */
    double bucket_energy_recovery;   /* 1 */
    double electrical_efficiency;    /* 1 */
    double max_launch_rate;          /* s-1 per driver */
    double launch_elevation;         /* rad */
    double speed_error_sigma;        /* m s-1 */
    double pointing_error_sigma;     /* rad */
    double lunar_mass_per_length;    /* kg m-1 */
    double earth_mass_per_length;    /* kg m-1 */
    /* ... and design figures (copies of `design`, plus the mean power at the rate cap): */
    double track_length;             /* m */
    double acceleration_time;        /* s */
    double kinetic_energy_per_kg;    /* J kg-1 */
    double energy_per_kg;            /* J kg-1 of payload, electrical */
    double energy_per_launch;        /* J per bucket, electrical */
    double peak_power_per_launch;    /* W per bucket at the muzzle */
    double mean_power_at_max_rate;   /* W per driver */
    double driver_lunar_mass;        /* kg per driver, made on the Moon */
    double driver_earth_mass;        /* kg per driver, supplied from Earth */

    /* state */
    double drivers;                                          /* built (may be fractional) */
    double phase_drivers[LSIM_MASSDRIVER_MAINTENANCE_PHASES]; /* drivers in each maintenance phase */
    double launches_total;                                   /* launches so far (mean-rate count) */
    double mass_launched_total;                              /* kg */

    /* series ids */
    lsim_series_registry *series;
    int id_launch_rate, id_mass_launch_rate, id_power_draw, id_energy_per_kg, id_drivers, id_operable_drivers,
        id_limit, id_exit_speed, id_mass_launched;
} lsim_massdriver;

/* What one step did (all fields set by lsim_massdriver_step). */
typedef struct {
    double mass_launched;        /* kg, taken from the stock */
    double energy_used;          /* J, = power_used · dt */
    double power_used;           /* W, <= power granted */
    double launches;             /* launches this step (mean rate · dt) */
    double first_launch_index;   /* launches_total before the step (for dispersion sampling) */
    double operable_drivers;     /* time-mean over the step */
    lsim_massdriver_limit limit; /* which cause set the rate */
} lsim_massdriver_step_result;

/* Reads section "massdriver", builds the design with the launcher variant
 * named by massdriver.launcher_model, registers series and group attributes in
 * group "massdriver". `series` may be NULL (no output; for tests and sweeps'
 * probes). */
lsim_status lsim_massdriver_init(lsim_massdriver *m, const lsim_params *params, lsim_series_registry *series,
                                 uint64_t seed);

/* Drivers operable on average over the coming step [t, t + dt). */
double lsim_massdriver_operable_drivers(const lsim_massdriver *m, const lsim_clock *clock);

/* Power (W) the fleet would draw this step at full capacity with
 * `payload_available_kg` waiting. */
double lsim_massdriver_power_demand(const lsim_massdriver *m, const lsim_clock *clock, double payload_available_kg);

/* One step: launches from *payload_stock_kg (decremented by exactly what is
 * launched: before == after + mass_launched), never uses more than
 * `power_granted_W`, puts every series. Returns the power used (W).
 * `result` may be NULL. */
double lsim_massdriver_step(lsim_massdriver *m, const lsim_clock *clock, double power_granted_W,
                            double *payload_stock_kg, lsim_massdriver_step_result *result);

/* Growth: `count` more drivers (fractional allowed: partial capacity).
 * Each costs driver_lunar_mass + driver_earth_mass (see the unit-mass getters). */
lsim_status lsim_massdriver_add_drivers(lsim_massdriver *m, double count, const lsim_clock *clock);
/* Sets the drivers that work (the chain's wear fleet decides which do). */
lsim_status lsim_massdriver_set_drivers(lsim_massdriver *m, double count);
double lsim_massdriver_unit_lunar_mass(const lsim_massdriver *m); /* kg per driver */
double lsim_massdriver_unit_earth_mass(const lsim_massdriver *m); /* kg per driver */

/* The design of one driver, as the launcher variant computed it at init
 * (read-only; valid until lsim_massdriver_free). Units in launcher.h: exit
 * speed m s-1, energies J per launch and J kg-1, rate s-1 per driver, track m,
 * masses kg per driver, release errors m s-1 and rad. */
const lsim_launcher_design *lsim_massdriver_design_view(const lsim_massdriver *m);

/* Drivers built (1; fractional when a partial driver has been added). */
double lsim_massdriver_driver_count(const lsim_massdriver *m);

/* The release-error model of this fleet (= lsim_massdriver_design_view(m)->release),
 * for lsim_massdriver_sample_release. */
lsim_massdriver_release_model lsim_massdriver_release_model_of(const lsim_massdriver *m);

/* Saves or loads the fleet's evolving state (entries "massdriver.*"; see
 * core/state.h): drivers, their maintenance-phase spread and the launch
 * totals. Load into a fleet freshly initialised from the same deck. */
lsim_status lsim_massdriver_state(lsim_massdriver *m, lsim_state *s);

void lsim_massdriver_free(lsim_massdriver *m);

#endif
