/* The mining stage: site composition and an excavator fleet.
 *
 * The site's bulk chemistry (oxide wt%, Lunar Sourcebook Table 7.15) is read
 * from a CSV table at init and turned into element mass fractions by
 * stoichiometry. The fleet is a struct of arrays of excavators, each failing
 * by a bathtub hazard (three Weibull pieces), repaired after a random time
 * and retired at the end of its life; availability is what emerges. Mining
 * takes power from the chain's bus and never draws more than it was granted. */
#ifndef LSIM_REGOLITH_H
#define LSIM_REGOLITH_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "cohort.h"
#include "elements.h"
#include "params.h"
#include "series.h"
#include "state.h"
#include "status.h"

extern const lsim_param_def lsim_regolith_param_defs[];
extern const size_t lsim_regolith_param_count;

/* The oxides of the site table, in its column order. */
enum {
    LSIM_REGOLITH_SIO2,
    LSIM_REGOLITH_TIO2,
    LSIM_REGOLITH_AL2O3,
    LSIM_REGOLITH_FEO,
    LSIM_REGOLITH_MGO,
    LSIM_REGOLITH_CAO,
    LSIM_REGOLITH_NA2O,
    LSIM_REGOLITH_OXIDE_COUNT
};
extern const char *const lsim_regolith_oxide_name[LSIM_REGOLITH_OXIDE_COUNT];

/* How the part of a row the table leaves out (100 - sum of listed oxides) is carried. */
typedef enum {
    LSIM_REGOLITH_REMAINDER_OTHER,      /* as LSIM_EL_OTHER bulk mass (Cr2O3, MnO, K2O, P2O5, ...) */
    LSIM_REGOLITH_REMAINDER_RENORMALISE /* listed oxides scaled to 100% */
} lsim_regolith_remainder;

typedef struct {
    char id[32];
    char description[128];
    double oxide_wt_percent[LSIM_REGOLITH_OXIDE_COUNT];
    char source[128];
} lsim_regolith_site;

/* Excavator states (one byte per agent). */
enum {
    LSIM_REGOLITH_OPERATING = 0,
    LSIM_REGOLITH_FAILED = 1,       /* broken, waiting for repair to start (logistics delay) */
    LSIM_REGOLITH_UNDER_REPAIR = 2, /* being repaired */
    LSIM_REGOLITH_RETIRED = 3       /* end of life; its slot is freed at the next compaction */
};

/* Bathtub hazard pieces. */
enum { LSIM_REGOLITH_INFANT, LSIM_REGOLITH_RANDOM, LSIM_REGOLITH_WEAROUT, LSIM_REGOLITH_HAZARD_PIECES };

typedef enum { LSIM_REGOLITH_REPAIR_EXPONENTIAL, LSIM_REGOLITH_REPAIR_LOGNORMAL } lsim_regolith_repair_law;

/* What the digging-energy model (regolith.dig_energy_model, dig_energy.h)
 * derived at init. */
typedef struct {
    double specific_energy; /* J kg-1: electrical energy to dig one kg (haul not included) */
    /* The cutting sub-model's own figures; NaN for a model that has none (rassor). */
    double cutting_draft_force;      /* N m-1: mean horizontal force on the blade per metre of width */
    double cutting_specific_energy;  /* J kg-1: work at the cutting edge per kg cut */
    double cutting_packing_fraction; /* 1: areal solid fraction of the settled (2-D) bed */
} lsim_regolith_dig_design;

typedef struct lsim_regolith_dig_model lsim_regolith_dig_model; /* a row of the model table (dig_energy.h) */
typedef struct lsim_regolith_fleet_model lsim_regolith_fleet_model; /* a row of the fleet table (fleet_model.h) */

/* The mining stage's design figures: fixed at init from the deck and the
 * site table, the same for every step. What the chain may read of the design. */
typedef struct {
    /* site */
    char site_id[32];                       /* row of the site table (regolith.site) */
    double element_fraction[LSIM_EL_COUNT]; /* 1: kg of each element per kg mined; LSIM_EL_OTHER closes the sum to 1 */
    double bulk_density;                    /* kg m-3: in place, turns mined mass into excavated volume */

    /* one excavator */
    double capacity_per_unit;    /* kg s-1: what one operating excavator mines at full power */
    double power_per_unit;       /* W: what it draws doing so, capacity_per_unit * specific_energy */
    double dig_specific_energy;  /* J kg-1: from the digging-energy model (= dig.specific_energy) */
    double haul_specific_energy; /* J kg-1: driving to the hopper and back, from rolling resistance */
    double specific_energy;      /* J kg-1: dig + haul; a step's energy is exactly mined mass times this */
    double unit_mass;            /* kg: one excavator */
    double unit_lunar_mass;      /* kg of a new excavator made from lunar material */
    double unit_earth_mass;      /* kg of a new excavator supplied from Earth; lunar + Earth = unit_mass */
    long initial_excavators;     /* 1: landed at the start (regolith.initial_excavators) */

    /* digging-energy model */
    const char *dig_model;        /* its deck word (regolith.dig_energy_model) */
    lsim_regolith_dig_design dig; /* its figures */
} lsim_regolith_design;

/* What set a step's mined mass. */
typedef enum {
    LSIM_REGOLITH_LIMIT_FLEET = 1,    /* every operating excavator at full rate (or none could dig) */
    LSIM_REGOLITH_LIMIT_POWER = 2,    /* the power granted */
    LSIM_REGOLITH_LIMIT_STOCKPILE = 3 /* the room the chain's stockpile had left (max_mass_kg) */
} lsim_regolith_limit;

/* What one step did (every field set by lsim_regolith_advance). */
typedef struct {
    double mined_mass;          /* kg delivered to the chain's stockpile */
    double energy_used;         /* J: exactly mined_mass * specific_energy */
    double power_used;          /* W: energy_used / dt, never above the grant */
    double capacity_mass;       /* kg: what the operable excavators could mine in the step at full rate */
    double duty;                /* 1: the share of full rate every operable excavator ran at */
    long operable_excavators;   /* excavators operating at the start of the step (those that dug) */
    long alive;                 /* after the step: operating + failed + under repair */
    size_t agent_slots;         /* agents (or cohorts) the update walked, retired awaiting compaction included: its work */
    lsim_regolith_limit limit;  /* which cause set mined_mass */
} lsim_regolith_step_result;

typedef struct {
    /* The design figures (lsim_regolith_design_view), and the model that made
     * the digging energy. The fleet's code reads these. */
    lsim_regolith_design design;
    const lsim_regolith_dig_model *dig_model;
    void *dig_state; /* the model's own memory, if it keeps any */

    /* Copies of design figures, set once at init, kept for callers written
     * before the design view (the chain reads element_fraction,
     * unit_lunar_mass, unit_earth_mass and specific_energy). Read the view. */
    char site_id[32];
    double element_fraction[LSIM_EL_COUNT]; /* = design.element_fraction */
    double bulk_density;                    /* = design.bulk_density */
    double rate_per_unit;                   /* = design.capacity_per_unit */
    double dig_specific_energy;             /* = design.dig_specific_energy */
    double haul_specific_energy;            /* = design.haul_specific_energy */
    double specific_energy;                 /* = design.specific_energy */
    double unit_mass, unit_lunar_mass, unit_earth_mass; /* = design.unit_* */

    /* reliability */
    double hazard_shape[LSIM_REGOLITH_HAZARD_PIECES];
    double hazard_scale[LSIM_REGOLITH_HAZARD_PIECES]; /* s; 0 disables a piece */
    int repair_law;                                   /* lsim_regolith_repair_law */
    double repair_mean;                               /* s */
    double repair_log_sigma;                          /* lognormal only */
    double repair_delay;                              /* s between failure and start of repair */
    double repair_age_restoration;                    /* 0 minimal repair .. 1 as good as new */
    double max_life;                                  /* s of operation; 0: no limit */
    long max_repairs;                                 /* 0: no limit */
    uint64_t seed;

    /* the fleet model (regolith.fleet_model, fleet_model.h) */
    const lsim_regolith_fleet_model *fleet_model;
    lsim_cohort_fleet cohorts; /* the cohorts model's fleet (unused by agents) */

    /* agents, struct of arrays, slots [0, count) */
    size_t count, capacity;
    uint64_t next_unit_id;      /* serial number of the next unit built: the RNG entity */
    double pending_units;       /* fractional unit count carried between add calls */
    uint8_t *state;
    double *age;                /* s of operation since built */
    double *virtual_age;        /* s; the hazard clock, rolled back by imperfect repair */
    double *cumulative_hazard;  /* H(virtual_age), cached so a step evaluates H once */
    double *repair_remaining;   /* s left in the FAILED wait or in the repair */
    uint32_t *repair_count;     /* repairs started */
    uint64_t *unit_id;

    /* fleet census after the last step */
    long n_operating, n_failed, n_under_repair, n_retired_in_place;
    long last_failures, last_retirements;
    long total_built, total_retired;

    /* series (the registry pointer is not state: a checkpoint restores it from the new run) */
    lsim_series_registry *series;
    int sid_mining_rate, sid_volume_rate, sid_power, sid_total, sid_operating, sid_failed, sid_under_repair,
        sid_availability, sid_failures, sid_retirements, sid_specific_energy;
} lsim_regolith;

/* --- composition (pure functions, usable without a fleet) --- */

/* Oxide wt% to element mass fractions by stoichiometry: oxide MxOy gives
 * metal wt * x M_M / (x M_M + y M_O) and oxygen the rest. With OTHER the
 * unlisted remainder becomes LSIM_EL_OTHER = 1 - (sum of the others); with
 * RENORMALISE (or when a row sums above 100, analytical closure) the listed
 * oxides are scaled to 100% and OTHER is 0. */
void lsim_regolith_oxides_to_elements(const double oxide_wt_percent[LSIM_REGOLITH_OXIDE_COUNT],
                                      lsim_regolith_remainder remainder, double out[LSIM_EL_COUNT]);

/* Reads the whole site table (every row is checked) and returns the row `site_id`.
 * A malformed table is LSIM_ERR_INPUT with "file:line: ..."; an unknown site
 * is LSIM_ERR_INPUT naming the sites the table holds. */
lsim_status lsim_regolith_read_site(const char *table_path, const char *site_id, lsim_regolith_site *site);

/* Finds a data file: an absolute path as is; a relative one under $LSIM_DATA_DIR
 * if set, else under the source tree's data/ then the installed share/lunarsim,
 * and last relative to the working directory. */
lsim_status lsim_regolith_resolve_data_path(const char *path, char *resolved, size_t size);

/* --- reliability --- */

/* H(t) = sum over pieces of (t / scale)^shape (pieces with scale 0 left out). */
double lsim_regolith_cumulative_hazard(const double shape[LSIM_REGOLITH_HAZARD_PIECES],
                                       const double scale[LSIM_REGOLITH_HAZARD_PIECES], double t);

/* --- the module face --- */

lsim_status lsim_regolith_init(lsim_regolith *m, const lsim_params *params, lsim_series_registry *series,
                               uint64_t seed);

void lsim_regolith_element_fractions(const lsim_regolith *m, double out[LSIM_EL_COUNT]);

/* The design figures (units in lsim_regolith_design), valid from init to free. */
const lsim_regolith_design *lsim_regolith_design_view(const lsim_regolith *m);

/* W it would draw this step with every operating excavator at full rate,
 * capped by `max_mass_kg` (what the chain can take this step; INFINITY for no cap). */
double lsim_regolith_power_demand(const lsim_regolith *m, const lsim_clock *clock, double max_mass_kg);

/* One step of clock->dt. Excavators operating at the start of the step dig;
 * with a grant below demand (or a mass cap: the room left in the stockpile
 * the mined regolith goes to, INFINITY for none) all run at the same reduced
 * duty. Ages the fleet (failures, repairs, retirements) and puts every
 * series. Returns the power used (W, never above the grant); `result` (may
 * be NULL) receives what the step did and what limited it. */
double lsim_regolith_advance(lsim_regolith *m, const lsim_clock *clock, double power_granted_W, double max_mass_kg,
                             lsim_regolith_step_result *result);

/* The same step with the older face: energy_used_J is exactly
 * mined_mass_kg * specific_energy. Either out-pointer may be NULL. */
double lsim_regolith_step(lsim_regolith *m, const lsim_clock *clock, double power_granted_W, double max_mass_kg,
                          double *mined_mass_kg, double *energy_used_J);

/* Builds `count` new excavators (fractions are carried to the next call).
 * Arrays grow by doubling only when capacity is exceeded. Each new unit
 * costs unit_lunar_mass of lunar-made and unit_earth_mass of Earth-supplied mass. */
lsim_status lsim_regolith_add_excavators(lsim_regolith *m, double count, const lsim_clock *clock);

/* Grows the agent arrays (by doubling) to hold at least `needed` agents;
 * growth and checkpoint loading share it so capacity is the same either way. */
lsim_status lsim_regolith_reserve(lsim_regolith *m, size_t needed);

long lsim_regolith_alive(const lsim_regolith *m); /* operating + failed + under repair */
/* kg the excavators operating now can dig over the coming step at full rate. */
double lsim_regolith_capacity(const lsim_regolith *m, const lsim_clock *clock);

/* Saves or loads the fleet's evolving state (entries "regolith.*"; see
 * core/state.h): the agent arrays over [0, count), the census, the unit
 * serial counter and the carried fractional unit. Load into a fleet freshly
 * initialised from the same deck; the arrays grow to the saved count. */
lsim_status lsim_regolith_state(lsim_regolith *m, lsim_state *s);

void lsim_regolith_free(lsim_regolith *m);

#endif
