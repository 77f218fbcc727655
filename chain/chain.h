/* The orchestrator: owns the stocks between stages and the surface power
 * bus, runs the step loop (demands, grants, steps, growth) and keeps the
 * run-level accounting that answers "how fast, and what limits it". */
#ifndef LSIM_CHAIN_H
#define LSIM_CHAIN_H

#include <stdint.h>
#include "clock.h"
#include "elements.h"
#include "fabrication.h"
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

/* What held the chain's delivery to orbit back in a step, found by walking
 * upstream from orbital assembly through each stage's own limit. */
typedef enum {
    LSIM_BOTTLENECK_NONE = 0,
    LSIM_BOTTLENECK_POWER,       /* surface power (array or storage) */
    LSIM_BOTTLENECK_MINING,      /* excavator fleet capacity */
    LSIM_BOTTLENECK_REFINING,    /* refinery plant capacity */
    LSIM_BOTTLENECK_FABRICATION, /* panel and radiator line capacity */
    LSIM_BOTTLENECK_LAUNCH,      /* mass-driver rate */
    LSIM_BOTTLENECK_ASSEMBLY,    /* orbital assembly capacity */
    LSIM_BOTTLENECK_EARTH_PARTS, /* chips and parts launched from Earth */
    LSIM_BOTTLENECK_COUNT
} lsim_bottleneck;

extern const char *const lsim_bottleneck_name[LSIM_BOTTLENECK_COUNT];

typedef enum { LSIM_GROWTH_BOTTLENECK, LSIM_GROWTH_FIXED } lsim_growth_policy;
enum { LSIM_UNIT_EXCAVATOR, LSIM_UNIT_PLANT, LSIM_UNIT_LINE, LSIM_UNIT_DRIVER, LSIM_UNIT_KINDS };

typedef struct {
    /* policy (SI) */
    double panel_surface_share;
    double power_limited_surface_share;
    double export_investment_share;
    double aluminium_growth_share;
    lsim_growth_policy growth_policy;
    double fixed_share[LSIM_UNIT_KINDS];
    double earth_resupply_rate;        /* kg s-1 of Earth-made parts for growth */
    double regolith_buffer_limit;      /* kg */
    double storage_per_surface_power;  /* J of storage added per W of surface array added */
    double storage_specific_mass;      /* kg of lunar-made storage per J */
    double storage_metal_share;
    double power_margin;
    double orbital_growth_interval; /* s */
    double orbital_growth_fraction;
    double mean_illumination; /* array output over rating, averaged over a synodic period */
    double last_demand;       /* W */
    double seed_array_specific_power;  /* W kg-1 of the Earth-supplied seed array */
    double seed_storage_specific_energy; /* J kg-1 of the Earth-supplied seed storage */
    int proportional_grants;

    /* stocks between stages, kg (and W for panel ratings) */
    double regolith_buffer[LSIM_EL_COUNT];
    lsim_refinery_products products; /* silicon, aluminium (for fabrication), iron, titanium, oxygen, slag */
    double metal_stock;              /* lunar structural metal set aside for growth */
    double driver_fund;              /* part of metal_stock saved for the next mass driver */
    double earth_parts_stock;        /* Earth-made parts for growth */
    double launch_panel_mass, launch_panel_power, launch_radiator_mass, launch_radiator_rejection;

    /* accumulators since t = 0 */
    double mined_total, surface_panel_mass_total, launched_total;
    double equipment_lunar_total, storage_lunar_total, earth_mass_total, seed_mass;
    double units_built[LSIM_UNIT_KINDS];
    double energy_by_stage[5]; /* regolith, refinery, fabrication, massdriver, base load: J */
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
    int growth_parts_limited;     /* growth this step stopped for want of Earth parts */
    double growth_parts_limited_time; /* s */
    double orbital_units_built[2];     /* assembly units, catchers */
    double last_assembly_growth, last_catcher_growth; /* s, -inf before the first */
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
    lsim_massdriver massdriver;
    lsim_orbit orbit;
    lsim_chain_state s;
    int initialised_modules;
    lsim_status failure; /* first error inside growth (set deep in a step, returned by it) */
    int ids[64];
} lsim_chain;

/* Registers every parameter table (run, power, each module, chain) in order. */
lsim_status lsim_chain_register_params(lsim_params *params);

lsim_status lsim_chain_init(lsim_chain *chain, const lsim_params *params, lsim_series_registry *series);

/* One step of length clock.dt; advances the clock. */
lsim_status lsim_chain_step(lsim_chain *chain);

/* Total lunar mass mined minus everything it became (should be ~0), kg. */
double lsim_chain_mass_residual(const lsim_chain *chain);

/* Puts the run's results into the registry's summary. */
void lsim_chain_summarise(lsim_chain *chain);

/* Saves or restores everything that evolves (chain, bus, modules, clock). */
lsim_status lsim_chain_state_visit(lsim_chain *chain, lsim_state *state);

void lsim_chain_free(lsim_chain *chain);

#endif
