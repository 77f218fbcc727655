/* The orchestrator: owns the stocks between stages and the surface power
 * bus, steps the modules in chain order and keeps the run-level accounting
 * that answers "how fast, and what limits it".
 *
 * The chain meets each module only through its face: the power demand it
 * states, the step result it returns and its read-only design view. The
 * policies (how power is shared out, how growth metal is spent) are variant
 * families chosen by deck word (core/variant.h), and they are fixed after
 * init; everything that evolves lives in lsim_chain_state and is
 * checkpointed. */
#ifndef LSIM_CHAIN_H
#define LSIM_CHAIN_H

#include <stdint.h>
#include "clock.h"
#include "cohort.h"
#include "elements.h"
#include "fabrication.h"
#include "manufacturing.h"
#include "massdriver.h"
#include "orbit.h"
#include "params.h"
#include "power_bus.h"
#include "refinery.h"
#include "regolith.h"
#include "series.h"
#include "state.h"

extern const lsim_param_def lsim_chain_param_defs[];
extern const size_t lsim_chain_param_count;

/* The surface stages that draw power from the bus, in chain order. */
typedef enum {
    LSIM_STAGE_MINING,
    LSIM_STAGE_REFINING,
    LSIM_STAGE_FABRICATION,
    LSIM_STAGE_LAUNCH,
    LSIM_STAGE_MANUFACTURING, /* off the delivery path: it makes the units that grow the chain */
    LSIM_STAGE_COUNT
} lsim_stage;

extern const char *const lsim_stage_name[LSIM_STAGE_COUNT];

/* What held the chain's delivery to orbit back in a step, found by walking
 * upstream from orbital assembly through each stage (chain_bottleneck.c). */
typedef enum {
    LSIM_BOTTLENECK_NONE = 0,
    LSIM_BOTTLENECK_POWER,       /* surface power (array or storage) */
    LSIM_BOTTLENECK_MINING,      /* excavator fleet capacity */
    LSIM_BOTTLENECK_REFINING,    /* refinery plant capacity */
    LSIM_BOTTLENECK_FABRICATION, /* panel and radiator line capacity */
    LSIM_BOTTLENECK_LAUNCH,      /* mass-driver rate */
    LSIM_BOTTLENECK_ASSEMBLY,    /* orbital assembly capacity */
    LSIM_BOTTLENECK_EARTH_PARTS, /* chips and parts launched from Earth */
    LSIM_BOTTLENECK_MANUFACTURING, /* growth only: metal waits for the manufacturing queue */
    LSIM_BOTTLENECK_COUNT
} lsim_bottleneck;

extern const char *const lsim_bottleneck_name[LSIM_BOTTLENECK_COUNT];

/* The kinds of surface unit the chain builds from lunar metal and Earth parts. */
typedef enum {
    LSIM_UNIT_EXCAVATOR,
    LSIM_UNIT_PLANT,
    LSIM_UNIT_LINE,
    LSIM_UNIT_DRIVER,
    LSIM_UNIT_FACTORY, /* manufacturing units: they make every unit, themselves included */
    LSIM_UNIT_KINDS
} lsim_unit_kind;

extern const char *const lsim_unit_name[LSIM_UNIT_KINDS];

/* The kinds the chain's wear fleets track (excavators wear in regolith/). */
enum {
    LSIM_WEAR_PLANT,
    LSIM_WEAR_LINE,
    LSIM_WEAR_DRIVER,
    LSIM_WEAR_FACTORY,
    LSIM_WEAR_CATCHER,
    LSIM_WEAR_ASSEMBLY,
    LSIM_WEAR_KINDS
};
extern const char *const lsim_wear_name[LSIM_WEAR_KINDS];

/* The orbital units the chain adds: assembly robots (from Earth) and catchers
 * (lunar metal launched by the mass driver, Earth parts flown up). */
enum { LSIM_ORBITAL_ASSEMBLY, LSIM_ORBITAL_CATCHER, LSIM_ORBITAL_KINDS };

typedef struct lsim_growth_policy lsim_growth_policy; /* chain_growth.c */
typedef struct lsim_grant_policy lsim_grant_policy;   /* chain_grants.c */

/* Everything the deck fixes about how the chain is run (SI). Read once at init. */
typedef struct {
    const lsim_growth_policy *growth;
    const lsim_grant_policy *grants;
    double panel_surface_share;         /* fixed growth: share of panels kept on the surface */
    double power_limited_surface_share; /* bottleneck growth: surface share while power runs short */
    double power_margin;
    double export_investment_share;
    double aluminium_growth_share;
    double fixed_share[LSIM_UNIT_KINDS]; /* normalised to sum 1 */
    double balance_horizon;              /* s: balanced growth looks this far ahead */
    double earth_resupply_rate;          /* kg s-1 of Earth-made parts for growth */
    double regolith_buffer_limit;        /* kg */
    double storage_per_surface_power;    /* J of storage added per W of surface array added */
    double storage_specific_mass;        /* kg of lunar-made storage per J */
    double storage_metal_share;
    double orbital_growth_interval;      /* s */
    double orbital_growth_fraction;
    double mean_illumination;            /* array output over rating, averaged over a synodic period */
    double seed_array_specific_power;    /* W kg-1 of the Earth-supplied seed array */
    double seed_storage_specific_energy; /* J kg-1 of the Earth-supplied seed storage */
    /* Earth-made share of every unit, falling with cumulative lunar production */
    double earth_share_start_mass;      /* kg of lunar-made equipment before local content begins to grow */
    double earth_share_decade_factor;   /* Earth share multiplies by this per tenfold lunar production */
    double earth_share_floor;           /* the share never falls below this fraction of its design value */
    double spares_share;                /* kg of spares per repair, as a share of the unit's mass */
    double spares_stock_share;          /* largest share of each stock owed spares take in a step */
} lsim_chain_policy;

/* Everything that evolves (checkpointed by lsim_chain_state_visit). */
typedef struct {
    /* stocks between stages, kg (and W for panel ratings) */
    double regolith_buffer[LSIM_EL_COUNT];
    lsim_refinery_products products; /* silicon, aluminium (for fabrication), iron, titanium, oxygen, slag */
    double metal_stock;              /* lunar structural metal set aside for growth */
    double driver_fund;              /* part of metal_stock saved for the next mass driver */
    double earth_parts_stock;        /* Earth-made parts for growth on the surface */
    double launch_panel_mass, launch_panel_power, launch_radiator_mass, launch_radiator_rejection;
    double launch_catcher_mass;      /* lunar-made catcher hardware waiting for the mass driver */
    double last_demand;              /* W, all stages and base load, last step */

    /* accumulators since t = 0 */
    double mined_total, surface_panel_mass_total, launched_total;
    double equipment_lunar_total, storage_lunar_total;
    double earth_mass_total; /* kg: seed, resupply, orbital hardware and parts, reagents */
    double seed_mass;        /* kg landed or flown from Earth before t = 0 */
    double units_built[LSIM_UNIT_KINDS];
    double orbital_units_built[LSIM_ORBITAL_KINDS];
    double energy_by_stage[LSIM_STAGE_COUNT]; /* J */
    double energy_base_load;                  /* J */
    double caught_total;
    double bottleneck_time[LSIM_BOTTLENECK_COUNT];
    double energy_generated, energy_delivered, energy_curtailed, energy_unmet, energy_losses, energy_stored_initial;
    double min_state_of_charge;

    /* trailing-year windows, one slot per step (sized once at init) */
    double *year_installed_power; /* W assembled in each step */
    double *year_caught_mass;     /* kg caught in each step */
    int64_t year_slots;
    double year_installed_sum, year_caught_sum;
    double peak_year_installed, peak_year_caught;
    double milestone_time[3]; /* s when 1 GW/yr, 100 GW/yr, 1 TW/yr were first reached; NaN if never */

    lsim_bottleneck last_bottleneck, last_surface_bottleneck;
    int growth_parts_limited;         /* growth this step stopped for want of Earth parts */
    double growth_parts_limited_time; /* s */
    double last_assembly_growth, last_catcher_growth;    /* s, -inf before the first */
    double catcher_metal_wanted;      /* kg of growth metal reserved for catchers the overflow asked for */
    int manufacturing_short;          /* an order was cut for want of room in the manufacturing queue this step */
    double manufacturing_limited_time; /* s */
    double spares_lunar_total, spares_earth_total; /* kg of spares used by repairs */
    double spares_owed_lunar, spares_owed_earth;   /* kg repairs started need and the stocks have not yet paid */
    double assembly_window_start, assembly_limited_time; /* s: how often assembly limited lately */
} lsim_chain_state;

typedef struct {
    lsim_clock clock;
    uint64_t seed;
    lsim_series_registry *series;
    lsim_power_bus power;
    lsim_regolith regolith;
    lsim_refinery refinery;
    lsim_fabrication fabrication;
    lsim_manufacturing manufacturing;
    lsim_massdriver massdriver;
    lsim_orbit orbit;
    lsim_chain_policy policy;
    lsim_chain_state s;
    lsim_cohort_fleet wear[LSIM_WEAR_KINDS]; /* the truth about which units work (chain_wear.c) */
    int wear_ready;                          /* fleets initialised, for free */
    int initialised_modules;
    int *series_ids; /* the chain's own output series (chain_ledger.c) */
} lsim_chain;

/* Registers every parameter table (run, power, each module, chain) in order. */
lsim_status lsim_chain_register_params(lsim_params *params);

/* Checks what the parameter registry cannot: values that name entries of
 * data files (the refinery route in the routes file). Cheap; no module is
 * built. The same one-line error init would give. */
lsim_status lsim_chain_check_params(const lsim_params *params);

/* Builds every module from the effective parameters. `series` may be NULL
 * (no output): every module and the chain then skip their series. */
lsim_status lsim_chain_init(lsim_chain *chain, const lsim_params *params, lsim_series_registry *series);

/* One step of length clock.dt; advances the clock. */
lsim_status lsim_chain_step(lsim_chain *chain);

/* The one stepping loop's body, shared by `run`, `sweep`, the benchmark and
 * the tests: a step, then the series' end of step, then the end of the
 * output interval when one is due. Returns the step's status; sets
 * *rows_ready when the series registry holds a finished row block. */
lsim_status lsim_chain_advance(lsim_chain *chain, int *rows_ready);

/* Total lunar mass mined minus everything it became (should be ~0), kg. */
double lsim_chain_mass_residual(const lsim_chain *chain);

/* Puts the run's results into the registry's summary. */
void lsim_chain_summarise(lsim_chain *chain);

/* Saves or restores everything that evolves (chain, bus, modules, clock). */
lsim_status lsim_chain_state_visit(lsim_chain *chain, lsim_state *state);

void lsim_chain_free(lsim_chain *chain);

#endif
