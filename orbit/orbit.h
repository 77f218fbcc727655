/* The orbit stage: flight from the mass driver to the catcher (default at
 * Earth–Moon L2, Heppenheimer 1977), capture, orbital assembly of power and
 * compute modules from lunar panels and radiators plus Earth-launched chips,
 * degradation of installed power, and the Earth-only launch comparator.
 *
 * Power: the orbit stage draws nothing from the surface bus. Catcher and
 * assembly robots run on orbital power, modelled as the housekeeping share
 * of installed power (orbit.housekeeping_fraction) that is not fed to
 * compute; lsim_orbit_power_demand returns 0 and power_granted_W is unused. */
#ifndef LSIM_ORBIT_H
#define LSIM_ORBIT_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "cohort.h"
#include "params.h"
#include "series.h"
#include "state.h"
#include "status.h"

#include "assembly.h"
#include "earth_compare.h"
#include "flight.h"
#include "transit.h"

extern const lsim_param_def lsim_orbit_param_defs[];
extern const size_t lsim_orbit_param_count;

/* Release errors when the module runs on its own (massdriver defaults:
 * NASA SP-413 App. F 2.4 km/s along the local horizontal and < 1e-3 m/s;
 * pointing 4.2e-7 rad). In the chain they come from the massdriver section. */
#define LSIM_ORBIT_STANDALONE_RELEASE_SPEED 2400.0
#define LSIM_ORBIT_STANDALONE_ELEVATION 0.0
#define LSIM_ORBIT_STANDALONE_SIGMA_SPEED 1.0e-3
#define LSIM_ORBIT_STANDALONE_SIGMA_ANGLE 4.2e-7

/* Every orbit.* parameter in SI, read once at init. */
struct lsim_orbit_config {
    double transit_time;              /* s */
    const lsim_orbit_flight_model *flight_model; /* row of orbit.flight_model (flight.h) */
    double capture_efficiency;        /* 1 */
    double catcher_count;             /* 1 */
    double catcher_capacity;          /* kg s-1 per catcher */
    double catcher_lunar_mass;        /* kg per catcher */
    double catcher_earth_mass;        /* kg per catcher */
    lsim_release_errors release;      /* the launcher's; standalone: LSIM_ORBIT_STANDALONE_* */
    double catcher_radius;            /* m */
    double dispersion_samples;        /* 1 */
    double launch_latitude;           /* rad, selenographic (three_body) */
    double launch_longitude;          /* rad, selenographic east, 0 at the sub-Earth point (three_body) */
    double track_azimuth_min, track_azimuth_max;     /* rad from north towards east (three_body) */
    double track_elevation_min, track_elevation_max; /* rad above the local horizontal (three_body) */
    double catcher_offset[3];         /* m, catcher point minus L2, rotating frame (three_body) */
    double correction_count;          /* 1, mid-course corrections per flight (three_body) */
    double correction_first_fraction; /* 1, of the nominal transit time */
    double correction_last_fraction;  /* 1, of the nominal transit time */
    double tracking_position_error;   /* m, 1 sigma per axis */
    double tracking_velocity_error;   /* m s-1, 1 sigma per axis */
    double correction_execution_error; /* 1, proportional 1 sigma */
    double correction_exhaust_speed;  /* m s-1, payload correction thrusters */
    double catcher_exhaust_speed;     /* m s-1, the catcher's station-keeping engine */
    double radiator_heat_per_watt;    /* W rejected per W installed */
    double chip_specific_mass;        /* kg W-1 of compute power */
    double earth_structure_specific_mass; /* kg W-1 of installed power */
    double housekeeping_fraction;     /* 1 */
    double flops_per_watt;            /* FLOP s-1 W-1 = J-1 */
    double degradation_rate;          /* s-1 */
    double assembly_units;            /* 1 */
    double assembly_rate_per_unit;    /* W s-1 per unit */
    double assembly_unit_earth_mass;  /* kg per unit */
    int earth_launch_on_demand;       /* 1: launches follow the parts needed (rate is a ceiling) */
    double earth_launch_rate;         /* s-1 */
    double earth_payload_per_launch;  /* kg */
    double earth_specific_mass;       /* kg W-1, Earth-only comparator */
    /* Earth's chips and the wear of orbital compute (compute_hardware.c). */
    double earth_compute_supply;      /* W s-1: Earth's production of space-grade compute hardware at t = 0 */
    double earth_compute_growth;      /* s-1: production grows as exp(growth t) */
    double programme_compute_share;   /* 1: share of that production this programme gets */
    double compute_module_power;      /* W of compute per module (the unit that fails and is replaced) */
    double chip_burn_in_time;         /* s of operation on the ground before launch */
    lsim_bathtub compute_hazard;      /* per module, on its operating age */
    double compute_spare_share;       /* 1: spare modules kept in orbit per module in service */
    double compute_wear_interval;     /* s between wear draws */
    double compute_cohort_interval;   /* s: modules installed within one interval share a cohort */
};

/* What bound the Earth supply of parts when it fell short of the need. */
typedef enum {
    LSIM_ORBIT_EARTH_BOUND_NONE = 0,
    LSIM_ORBIT_EARTH_BOUND_LAUNCH = 1, /* launch cadence or ceiling (orbit.earth_launch_rate) */
    LSIM_ORBIT_EARTH_BOUND_CHIPS = 2,  /* Earth's chip production (the programme's burnt-in chip stock) */
    LSIM_ORBIT_EARTH_BOUND_COUNT
} lsim_orbit_earth_bound;

/* This step's deliveries from the mass driver (amounts, not rates): panels
 * and radiators. lsim_orbit_launch adds the catcher hardware. */
typedef struct {
    double panel_mass_launched;               /* kg */
    double panel_watts_launched;              /* W rated */
    double radiator_mass_launched;            /* kg */
    double radiator_rejection_watts_launched; /* W of heat rejection */
} lsim_orbit_inputs;

/* Everything the mass driver launches in a step, all five streams. */
typedef struct {
    double panel_mass_launched;               /* kg */
    double panel_watts_launched;              /* W rated */
    double radiator_mass_launched;            /* kg */
    double radiator_rejection_watts_launched; /* W of heat rejection */
    double catcher_mass_launched;             /* kg of lunar-made catcher hardware */
} lsim_orbit_launch;

typedef struct {
    double arrived_mass;    /* kg at the catcher this step (all streams) */
    double caught_mass;     /* kg (all streams) */
    double lost_mass;       /* kg: missed the aperture or over catcher capacity */
    double assembled_power; /* W installed this step */
    double installed_power; /* W at the end of the step */
    double compute_power;   /* W */
    double compute_flops;   /* FLOP s-1 */
    double earth_mass_supplied; /* kg arriving by Earth launch this step */
    int limit;              /* lsim_orbit_limit */
    double power_used;      /* W drawn from the surface bus: always 0 */
    double catcher_mass_caught; /* kg of lunar catcher hardware caught this step (part of caught_mass) */
    double catchers_added;  /* 1: catchers that hardware makes (catcher_mass_caught / catcher_lunar_mass) */
    double correction_propellant; /* kg of launched mass burnt by mid-course corrections this step */
    double reaction_mass;   /* kg of caught mass the catchers spent holding station this step */
    /* With limit LSIM_ORBIT_LIMIT_CHIPS, what held the Earth parts back
     * (lsim_orbit_earth_bound; the last bound seen); NONE otherwise. */
    int earth_limit;
    double module_failures; /* compute modules failed in orbit this step */
} lsim_orbit_outputs;

/* Read-only design figures, fixed at init (lsim_orbit_design_view). */
typedef struct {
    const char *flight_model;         /* deck word of orbit.flight_model */
    double captured_share;            /* 1: share of arriving mass inside the catcher aperture */
    double flight_time_mean;          /* s, release to catcher as modelled */
    double flight_time_spread;        /* s, 1 sigma */
    double miss_rms;                  /* m; NaN if the flight model gives none */
    double correction_propellant_share; /* 1: share of launched mass burnt by mid-course corrections */
    double catcher_reaction_share;    /* 1: share of caught mass spent as the catchers' reaction mass */
    double arrival_speed;             /* m s-1 relative to the catcher; NaN if the flight model gives none */
    size_t first_arrival_step;        /* steps from launch to the first arrival */
    size_t arrival_bins;              /* arrival steps of one launch */
    double catcher_capacity;          /* kg s-1 per catcher */
    double catcher_lunar_mass;        /* kg per catcher, lunar-made share */
    double catcher_earth_mass;        /* kg per catcher, Earth-made share */
    double assembly_rate_per_unit;    /* W s-1 per assembly unit */
    double assembly_unit_earth_mass;  /* kg per assembly unit */
    double radiator_heat_per_watt;    /* W rejected per W installed */
    double earth_mass_per_watt;       /* kg of Earth parts per W installed */
    double chip_mass_per_watt;        /* kg of Earth-made chips per W installed (part of earth_mass_per_watt) */
    double housekeeping_fraction;     /* 1 */
    double flops_per_watt;            /* J-1 */
    double earth_specific_mass;       /* kg W-1, Earth-only comparator */
    double earth_payload_per_launch;  /* kg */
    /* Orbital hardware in place at t = 0, which no ledger has paid for: it
     * was all made on Earth (a lunar-made catcher cannot exist yet). */
    double initial_catchers;          /* 1, orbit.catcher_count */
    double initial_assembly_units;    /* 1, orbit.assembly_units */
    double initial_hardware_earth_mass; /* kg: initial_catchers (catcher_lunar_mass + catcher_earth_mass)
                                           + initial_assembly_units assembly_unit_earth_mass */
} lsim_orbit_design;

/* Read-only state of the stage at the end of the last step (lsim_orbit_status). */
typedef struct {
    double installed_power;        /* W, after degradation */
    double assembled_total;        /* W, gross since the start */
    double catcher_count;          /* 1 */
    double assembly_units;         /* 1 */
    double panel_watts_waiting;    /* W rated, caught and not yet assembled */
    double radiator_watts_waiting; /* W of heat rejection, caught and not yet assembled */
    double earth_parts_waiting;    /* kg */
    double panel_watts_in_transit; /* W rated, launched and not yet arrived */
    double in_transit_mass;        /* kg, all streams */
    double catchers_from_hardware; /* 1, catchers made so far from caught lunar hardware */
    double compute_power;          /* W fed to compute: min(panel share, working modules) */
    double chip_stock;             /* W of burnt-in compute hardware on Earth waiting for launch */
    double chips_produced;         /* W: the programme's share of Earth's production so far */
    double modules_in_service;     /* 1 */
    double modules_vacant;         /* 1: failed in orbit and waiting for a spare */
    double module_failures;        /* 1: failed in orbit so far */
    double modules_scrapped_burn_in; /* 1: failed in burn-in on the ground so far */
    double module_replacements;    /* 1: spares installed in place of failed modules so far */
    /* Time assembly waited for Earth parts that launch (LSIM_ORBIT_EARTH_BOUND_LAUNCH) or chip production
     * (..._CHIPS) held back, and the first time each did (NaN: never); index by lsim_orbit_earth_bound. */
    double earth_limit_time[LSIM_ORBIT_EARTH_BOUND_COUNT];  /* s */
    double earth_limit_first[LSIM_ORBIT_EARTH_BOUND_COUNT]; /* s */
} lsim_orbit_status_view;

enum {
    LSIM_ORBIT_S_LAUNCH_RATE, LSIM_ORBIT_S_ARRIVAL_RATE, LSIM_ORBIT_S_CAPTURE_RATE, LSIM_ORBIT_S_LOSS_RATE,
    LSIM_ORBIT_S_OVERFLOW_RATE, LSIM_ORBIT_S_IN_TRANSIT, LSIM_ORBIT_S_PANELS_WAITING,
    LSIM_ORBIT_S_PANEL_POWER_WAITING, LSIM_ORBIT_S_RADIATORS_WAITING, LSIM_ORBIT_S_RADIATOR_REJECTION_WAITING,
    LSIM_ORBIT_S_EARTH_PARTS_STOCK, LSIM_ORBIT_S_INSTALLED_POWER, LSIM_ORBIT_S_INSTALLED_MASS,
    LSIM_ORBIT_S_COMPUTE_POWER, LSIM_ORBIT_S_COMPUTE_FLOPS, LSIM_ORBIT_S_ASSEMBLY_RATE,
    LSIM_ORBIT_S_DEGRADATION_RATE, LSIM_ORBIT_S_LIMIT, LSIM_ORBIT_S_LIMIT_NONE, LSIM_ORBIT_S_LIMIT_PANELS,
    LSIM_ORBIT_S_LIMIT_RADIATORS, LSIM_ORBIT_S_LIMIT_CHIPS, LSIM_ORBIT_S_LIMIT_ASSEMBLY,
    LSIM_ORBIT_S_EARTH_LAUNCH_RATE, LSIM_ORBIT_S_EARTH_SUPPLY_RATE, LSIM_ORBIT_S_EARTH_LAUNCHES,
    LSIM_ORBIT_S_EARTH_EQUIVALENT_MASS, LSIM_ORBIT_S_EARTH_EQUIVALENT_LAUNCHES,
    LSIM_ORBIT_S_EARTH_EQUIVALENT_MASS_RATE, LSIM_ORBIT_S_EARTH_EQUIVALENT_LAUNCH_RATE,
    LSIM_ORBIT_S_CATCHERS, LSIM_ORBIT_S_ASSEMBLY_UNITS,
    LSIM_ORBIT_S_CORRECTION_PROPELLANT_RATE, LSIM_ORBIT_S_REACTION_MASS_RATE, LSIM_ORBIT_S_CATCHER_FORCE,
    LSIM_ORBIT_S_CATCHER_HEAT,
    LSIM_ORBIT_S_CHIP_SUPPLY_RATE, LSIM_ORBIT_S_CHIP_STOCK, LSIM_ORBIT_S_CHIPS_IN_BURN_IN,
    LSIM_ORBIT_S_BURN_IN_FAILURE_RATE, LSIM_ORBIT_S_CHIP_LAUNCH_RATE, LSIM_ORBIT_S_SPARE_CHIPS,
    LSIM_ORBIT_S_MODULES_IN_SERVICE, LSIM_ORBIT_S_MODULES_VACANT, LSIM_ORBIT_S_MODULE_FAILURE_RATE,
    LSIM_ORBIT_S_MODULE_REPLACEMENT_RATE, LSIM_ORBIT_S_EARTH_BOUND, LSIM_ORBIT_S_LIMIT_EARTH_LAUNCH,
    LSIM_ORBIT_S_LIMIT_CHIP_PRODUCTION,
    LSIM_ORBIT_SERIES_COUNT
};

typedef struct {
    lsim_orbit_config cfg;
    lsim_orbit_design design;   /* filled at init */
    lsim_orbit_flight flight;
    lsim_orbit_transit transit;
    double dt;                  /* s, fixed at init (the arrival ring depends on it) */
    uint64_t seed;

    double catcher_count;       /* grows by lsim_orbit_add_catchers and caught catcher hardware */
    double assembly_units;      /* grows by lsim_orbit_add_assembly_units */
    lsim_orbit_parts parts;     /* waiting at the assembly site */
    double installed_power;     /* W */
    double installed_mass;      /* kg of hardware assembled (not reduced by degradation) */
    double degradation_factor;  /* exp(-degradation_rate*dt), exact per step */
    double earth_mass_per_watt; /* kg of Earth parts per W installed */
    double correction_share;    /* 1: launched mass burnt by mid-course corrections */
    double reaction_share;      /* 1: caught mass spent as the catchers' reaction mass */
    double arrival_speed;       /* m s-1 relative to the catcher (0 when the flight model gives none) */

    /* Running totals for conservation and the comparator. */
    double launched_total, caught_total, lost_total, overflow_total; /* kg */
    double correction_propellant_total; /* kg burnt by mid-course corrections */
    double reaction_mass_total; /* kg of caught mass spent by the catchers holding station */
    double assembled_total;     /* W, gross (before degradation) */
    double degraded_total;      /* W */
    double earth_supplied_total; /* kg */
    double catcher_hardware_total; /* kg of lunar catcher hardware caught */
    double catchers_from_hardware; /* catchers it made */
    int64_t earth_launches_done;
    double earth_launch_allowance; /* on_demand: launches the rate ceiling allows now (token bucket) */

    /* Earth's chips and orbital compute wear (compute_hardware.c). Chip
     * quantities are W of compute hardware (module power x modules). */
    lsim_cohort_fleet chip_burn_in;    /* modules in burn-in on the ground (max_life = burn-in time) */
    lsim_cohort_fleet compute_modules; /* modules in orbit, aged from the start of their burn-in */
    double chip_stock;          /* W burnt in on Earth, waiting for launch */
    double spare_chips;         /* W of spare modules in orbit */
    double modules_vacant;      /* failed modules waiting for a spare */
    double compute_slots;       /* W of compute the assembled power was built to feed */
    double chips_produced_total, chips_flown_total, spares_flown_total; /* W */
    double chips_scrapped_total;  /* modules failed in burn-in */
    double module_replacements_total; /* modules */
    double earth_parts_used_total; /* kg of Earth parts assembled (kits and spares installed) */
    int earth_bound_last;       /* lsim_orbit_earth_bound of the last step the Earth supply fell short */
    double earth_limit_time[LSIM_ORBIT_EARTH_BOUND_COUNT];  /* s */
    double earth_limit_first[LSIM_ORBIT_EARTH_BOUND_COUNT]; /* s, NaN: never */

    lsim_series_registry *series; /* NULL: no series output (tests) */
    int series_id[LSIM_ORBIT_SERIES_COUNT];
} lsim_orbit;

/* Reads the orbit.* parameters. */
void lsim_orbit_config_from_params(lsim_orbit_config *cfg, const lsim_params *params);
/* The table defaults, without a registry. */
void lsim_orbit_config_defaults(lsim_orbit_config *cfg);

/* Module face: reads orbit.* and run.time_step (the arrival ring is sized from it). */
lsim_status lsim_orbit_init(lsim_orbit *m, const lsim_params *params, lsim_series_registry *series, uint64_t seed);
/* Same from a filled config and the step length; `series` may be NULL. */
lsim_status lsim_orbit_init_config(lsim_orbit *m, const lsim_orbit_config *cfg, double dt,
                                   lsim_series_registry *series, uint64_t seed);

/* Always 0 W: see the file comment. */
double lsim_orbit_power_demand(const lsim_orbit *m, const lsim_clock *clock);

/* One step of clock->dt: flight, capture, Earth parts, degradation,
 * assembly. `in` NULL means nothing launched; `out` may be NULL. Caught
 * catcher hardware becomes catchers at once (caught / catcher_lunar_mass;
 * their Earth-made share is the caller's to fly and count), serving from
 * the next step. */
void lsim_orbit_step_launch(lsim_orbit *m, const lsim_clock *clock, double power_granted_W,
                            const lsim_orbit_launch *in, lsim_orbit_outputs *out);
/* The same with panels and radiators only (no catcher hardware launched). */
void lsim_orbit_step(lsim_orbit *m, const lsim_clock *clock, double power_granted_W, const lsim_orbit_inputs *in,
                     lsim_orbit_outputs *out);

/* Read-only faces: design figures fixed at init, and the state after the last step. */
const lsim_orbit_design *lsim_orbit_design_view(const lsim_orbit *m);
void lsim_orbit_status(const lsim_orbit *m, lsim_orbit_status_view *view);

/* Growth hooks (count may be fractional: capacity is linear in it).
 * lsim_orbit_add_catchers adds Earth-supplied whole catchers, at once and
 * delivered in place: the caller pays and counts their whole mass
 * (orbit.catcher_lunar_mass + catcher_earth_mass) and its trip. Lunar-made
 * catchers instead fly as catcher_mass_launched (lsim_orbit_step_launch).
 * An assembly unit costs orbit.assembly_unit_earth_mass; the caller pays it. */
lsim_status lsim_orbit_add_catchers(lsim_orbit *m, double count, const lsim_clock *clock);
/* Sets the catchers and assembly units that work (the chain's wear fleets
 * decide: failed, in repair and retired units do not). */
lsim_status lsim_orbit_set_units_in_service(lsim_orbit *m, double catchers, double assembly_units);
lsim_status lsim_orbit_add_assembly_units(lsim_orbit *m, double count, const lsim_clock *clock);
/* Earth parts delivered outside the launch cadence (kg). */
lsim_status lsim_orbit_add_earth_parts(lsim_orbit *m, double mass);

/* launched - in transit - caught - lost - correction propellant - reaction
 * mass, kg, over the three mass streams (panels, radiators, catcher
 * hardware): zero up to round-off. caught is net of reaction mass. */
double lsim_orbit_mass_balance(const lsim_orbit *m);
double lsim_orbit_in_transit_mass(const lsim_orbit *m);
/* Earth parts supplied - waiting - assembled - spares waiting, kg: zero up to round-off. */
double lsim_orbit_earth_parts_balance(const lsim_orbit *m);
/* Chips produced - in burn-in - scrapped - on the ground - flown, W: zero up to round-off (and the
 * fraction of a module the burn-in fleet carries to its next add). */
double lsim_orbit_chip_balance(const lsim_orbit *m);

/* Saves or loads the stage's evolving state (entries "orbit.*"; see
 * core/state.h), including every slot of the arrival ring and its head and
 * the flight model's own state. Load into a stage freshly initialised from
 * the same deck; a checkpoint whose ring has another length (other flight
 * model, transit_time or time_step) is refused with LSIM_ERR_INPUT. */
lsim_status lsim_orbit_state(lsim_orbit *m, lsim_state *s);

void lsim_orbit_free(lsim_orbit *m);

#endif
