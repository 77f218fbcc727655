#include "units.h"
#include "chain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *const lsim_bottleneck_name[LSIM_BOTTLENECK_COUNT] = {
    "none", "power", "mining", "refining", "fabrication", "launch", "assembly", "earth_parts"};

static const char *const lsim_unit_name[LSIM_UNIT_KINDS] = {"excavators", "plants", "lines", "drivers"};


lsim_status lsim_chain_register_params(lsim_params *params)
{
    struct {
        const lsim_param_def *defs;
        size_t count;
    } tables[] = {
        {lsim_run_param_defs, lsim_run_param_count},
        {lsim_power_param_defs, lsim_power_param_count},
        {lsim_regolith_param_defs, lsim_regolith_param_count},
        {lsim_refinery_param_defs, lsim_refinery_param_count},
        {lsim_fabrication_param_defs, lsim_fabrication_param_count},
        {lsim_massdriver_param_defs, lsim_massdriver_param_count},
        {lsim_orbit_param_defs, lsim_orbit_param_count},
        {lsim_chain_param_defs, lsim_chain_param_count},
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; ++i) {
        lsim_status st = lsim_params_register(params, tables[i].defs, tables[i].count);
        if (st != LSIM_OK) return st;
    }
    return LSIM_OK;
}

enum {
    ID_BUFFER, ID_SILICON, ID_ALUMINIUM, ID_METAL, ID_OXYGEN, ID_SLAG, ID_EARTH_PARTS, ID_PANELS_WAITING,
    ID_RADIATORS_WAITING, ID_SURFACE_PANEL_RATE, ID_BOTTLENECK, ID_YEAR_POWER, ID_YEAR_MASS, ID_EARTH_TOTAL,
    ID_MINED_TOTAL, ID_DEMAND_SHARE, ID_DRIVER_FUND, ID_SURFACE_BOTTLENECK, ID_STORAGE_ADDED, ID_EQUIPMENT, ID_UNIT_RATE_FIRST,
    ID_BOTTLENECK_FIRST = ID_UNIT_RATE_FIRST + LSIM_UNIT_KINDS,
    ID_COUNT = ID_BOTTLENECK_FIRST + LSIM_BOTTLENECK_COUNT
};

static void lsim_chain_register_series(lsim_chain *chain)
{
    lsim_series_registry *r = chain->series;
    const char *g = "chain";
    int *id = chain->ids;
    id[ID_BUFFER] = lsim_series_add(r, g, "regolith_buffer", "kg", "mined regolith waiting for the refinery", LSIM_SERIES_STOCK);
    id[ID_SILICON] = lsim_series_add(r, g, "silicon_stock", "kg", "refined silicon waiting for fabrication", LSIM_SERIES_STOCK);
    id[ID_ALUMINIUM] = lsim_series_add(r, g, "aluminium_stock", "kg", "aluminium waiting for fabrication", LSIM_SERIES_STOCK);
    id[ID_METAL] = lsim_series_add(r, g, "growth_metal_stock", "kg", "lunar structural metal waiting to become equipment", LSIM_SERIES_STOCK);
    id[ID_OXYGEN] = lsim_series_add(r, g, "oxygen_stock", "kg", "oxygen produced and stored", LSIM_SERIES_STOCK);
    id[ID_SLAG] = lsim_series_add(r, g, "slag_stock", "kg", "slag (glass feedstock) waiting", LSIM_SERIES_STOCK);
    id[ID_EARTH_PARTS] = lsim_series_add(r, g, "earth_parts_stock", "kg", "Earth-made parts for growth on the surface", LSIM_SERIES_STOCK);
    id[ID_PANELS_WAITING] = lsim_series_add(r, g, "panels_waiting_launch", "kg", "panels waiting for the mass driver", LSIM_SERIES_STOCK);
    id[ID_RADIATORS_WAITING] = lsim_series_add(r, g, "radiators_waiting_launch", "kg", "radiators waiting for the mass driver", LSIM_SERIES_STOCK);
    id[ID_SURFACE_PANEL_RATE] = lsim_series_add(r, g, "surface_array_growth_rate", "W s-1", "lunar panel rating added to the surface bus", LSIM_SERIES_FLOW);
    id[ID_BOTTLENECK] = lsim_series_add(r, g, "bottleneck", "1", "code of what limits delivery to orbit at the end of the interval (see the group attributes bottleneck_code_*)", LSIM_SERIES_STOCK);
    id[ID_YEAR_POWER] = lsim_series_add(r, g, "orbital_power_installed_last_year", "W", "orbital power assembled over the trailing year", LSIM_SERIES_STOCK);
    id[ID_YEAR_MASS] = lsim_series_add(r, g, "mass_delivered_last_year", "kg", "mass caught in orbit over the trailing year", LSIM_SERIES_STOCK);
    id[ID_EARTH_TOTAL] = lsim_series_add(r, g, "earth_mass_total", "kg", "all mass supplied from Earth so far (seed, resupply, orbital parts, reagents)", LSIM_SERIES_STOCK);
    id[ID_MINED_TOTAL] = lsim_series_add(r, g, "mined_total", "kg", "regolith mined so far", LSIM_SERIES_STOCK);
    id[ID_DRIVER_FUND] = lsim_series_add(r, g, "driver_fund", "kg", "growth metal saved for the next mass driver", LSIM_SERIES_STOCK);
    id[ID_SURFACE_BOTTLENECK] = lsim_series_add(r, g, "surface_bottleneck", "1", "code of what limits the surface industry itself (launch and orbit aside)", LSIM_SERIES_STOCK);
    id[ID_DEMAND_SHARE] = lsim_series_add(r, g, "power_served_fraction", "1", "power delivered over power demanded", LSIM_SERIES_FLOW);
    id[ID_STORAGE_ADDED] = lsim_series_add(r, g, "storage_growth_rate", "W", "surface storage capacity added (J per s)", LSIM_SERIES_FLOW);
    id[ID_EQUIPMENT] = lsim_series_add(r, g, "equipment_lunar_mass", "kg", "lunar-made mass built into equipment and storage", LSIM_SERIES_STOCK);
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        char name[64], long_name[128];
        snprintf(name, sizeof name, "%s_built_rate", lsim_unit_name[k]);
        snprintf(long_name, sizeof long_name, "new %s built per second from lunar metal and Earth parts", lsim_unit_name[k]);
        id[ID_UNIT_RATE_FIRST + k] = lsim_series_add(r, g, name, "s-1", long_name, LSIM_SERIES_FLOW);
    }
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b) {
        char name[64], long_name[128];
        snprintf(name, sizeof name, "bottleneck_%s", lsim_bottleneck_name[b]);
        snprintf(long_name, sizeof long_name, "share of time %s limited delivery to orbit", lsim_bottleneck_name[b]);
        id[ID_BOTTLENECK_FIRST + b] = lsim_series_add(r, g, name, "1", long_name, LSIM_SERIES_FLOW);
    }
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b) {
        char name[64];
        snprintf(name, sizeof name, "bottleneck_code_%s", lsim_bottleneck_name[b]);
        lsim_series_group_attr(r, g, name, (double)b, "1");
    }
}

static double lsim_unit_lunar_mass(const lsim_chain *c, int kind)
{
    switch (kind) {
    case LSIM_UNIT_EXCAVATOR: return c->regolith.unit_lunar_mass;
    case LSIM_UNIT_PLANT: return c->refinery.plant_mass_lunar;
    case LSIM_UNIT_LINE: return c->fabrication.line_mass_lunar;
    default: return lsim_massdriver_unit_lunar_mass(&c->massdriver);
    }
}

static double lsim_unit_earth_mass(const lsim_chain *c, int kind)
{
    switch (kind) {
    case LSIM_UNIT_EXCAVATOR: return c->regolith.unit_earth_mass;
    case LSIM_UNIT_PLANT: return c->refinery.plant_mass_earth;
    case LSIM_UNIT_LINE: return c->fabrication.line_mass_earth;
    default: return lsim_massdriver_unit_earth_mass(&c->massdriver);
    }
}

lsim_status lsim_chain_init(lsim_chain *chain, const lsim_params *params, lsim_series_registry *series)
{
    memset(chain, 0, sizeof *chain);
    chain->series = series;
    lsim_status st = lsim_clock_init(&chain->clock, params);
    if (st != LSIM_OK) return st;
    chain->seed = (uint64_t)lsim_param_int(params, "run", "seed");
    if ((st = lsim_power_init(&chain->power, params, series)) != LSIM_OK) return st;
    chain->initialised_modules = 1;
    if ((st = lsim_regolith_init(&chain->regolith, params, series, chain->seed)) != LSIM_OK) return st;
    chain->initialised_modules = 2;
    if ((st = lsim_refinery_init(&chain->refinery, params, series, chain->seed)) != LSIM_OK) return st;
    chain->initialised_modules = 3;
    if ((st = lsim_fabrication_init(&chain->fabrication, params, series, chain->seed)) != LSIM_OK) return st;
    chain->initialised_modules = 4;
    if ((st = lsim_massdriver_init(&chain->massdriver, params, series, chain->seed)) != LSIM_OK) return st;
    chain->initialised_modules = 5;
    /* The catcher sees the launcher's release errors: one source of truth. */
    lsim_orbit_config orbit_config;
    lsim_orbit_config_from_params(&orbit_config, params);
    orbit_config.release = (lsim_release_errors){chain->massdriver.exit_speed, chain->massdriver.launch_elevation,
                                                 chain->massdriver.speed_error_sigma,
                                                 chain->massdriver.pointing_error_sigma};
    if ((st = lsim_orbit_init_config(&chain->orbit, &orbit_config, chain->clock.dt, series, chain->seed)) != LSIM_OK)
        return st;
    chain->initialised_modules = 6;

    lsim_chain_state *s = &chain->s;
    s->panel_surface_share = lsim_param_real(params, "chain", "panel_surface_share");
    s->aluminium_growth_share = lsim_param_real(params, "chain", "aluminium_growth_share");
    s->power_limited_surface_share = lsim_param_real(params, "chain", "power_limited_surface_share");
    s->export_investment_share = lsim_param_real(params, "chain", "export_investment_share");
    s->growth_policy = strcmp(lsim_param_text(params, "chain", "growth_policy"), "fixed") == 0 ? LSIM_GROWTH_FIXED
                                                                                               : LSIM_GROWTH_BOTTLENECK;
    s->fixed_share[LSIM_UNIT_EXCAVATOR] = lsim_param_real(params, "chain", "share_excavators");
    s->fixed_share[LSIM_UNIT_PLANT] = lsim_param_real(params, "chain", "share_plants");
    s->fixed_share[LSIM_UNIT_LINE] = lsim_param_real(params, "chain", "share_lines");
    s->fixed_share[LSIM_UNIT_DRIVER] = lsim_param_real(params, "chain", "share_drivers");
    double share_sum = 0.0;
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) share_sum += s->fixed_share[k];
    if (s->growth_policy == LSIM_GROWTH_FIXED && !(share_sum > 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "chain.share_excavators + share_plants + share_lines + share_drivers is 0; "
                                         "the fixed growth policy needs a positive total");
    for (int k = 0; share_sum > 0.0 && k < LSIM_UNIT_KINDS; ++k) s->fixed_share[k] /= share_sum;
    s->earth_resupply_rate = lsim_param_real(params, "chain", "earth_resupply_rate");
    s->earth_parts_stock = lsim_param_real(params, "chain", "initial_earth_parts");
    s->regolith_buffer_limit = lsim_param_real(params, "chain", "regolith_buffer_limit");
    s->storage_per_surface_power = lsim_param_real(params, "chain", "storage_per_surface_power");
    s->storage_specific_mass = lsim_param_real(params, "chain", "storage_specific_mass");
    s->storage_metal_share = lsim_param_real(params, "chain", "storage_metal_share");
    s->power_margin = lsim_param_real(params, "chain", "power_margin");
    s->orbital_growth_interval = lsim_param_real(params, "chain", "orbital_growth_interval");
    s->orbital_growth_fraction = lsim_param_real(params, "chain", "orbital_growth_fraction");
    s->last_assembly_growth = -INFINITY;
    s->last_catcher_growth = -INFINITY;
    s->mean_illumination = lsim_illumination_mean(&chain->power.light, 0.0, chain->power.light.synodic_period);
    s->seed_array_specific_power = lsim_param_real(params, "chain", "seed_array_specific_power");
    s->seed_storage_specific_energy = lsim_param_real(params, "chain", "seed_storage_specific_energy");
    s->proportional_grants = strcmp(lsim_param_text(params, "chain", "power_allocation"), "proportional") == 0;

    /* Everything at t = 0 was landed from Earth. */
    const double units_at_start[LSIM_UNIT_KINDS] = {(double)lsim_regolith_alive(&chain->regolith),
                                                    chain->refinery.plants, chain->fabrication.lines,
                                                    chain->massdriver.drivers};
    s->seed_mass = chain->power.array_rated_power / s->seed_array_specific_power +
                   chain->power.storage_capacity / s->seed_storage_specific_energy + s->earth_parts_stock;
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k)
        s->seed_mass += units_at_start[k] * (lsim_unit_lunar_mass(chain, k) + lsim_unit_earth_mass(chain, k));
    s->earth_mass_total = s->seed_mass;

    s->year_slots = (int64_t)floor(LSIM_JULIAN_YEAR / chain->clock.dt + 0.5);
    if (s->year_slots < 1) s->year_slots = 1;
    s->year_installed_power = calloc((size_t)s->year_slots, sizeof(double));
    s->year_caught_mass = calloc((size_t)s->year_slots, sizeof(double));
    if (!s->year_installed_power || !s->year_caught_mass) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    for (int i = 0; i < 3; ++i) s->milestone_time[i] = NAN;
    s->energy_stored_initial = chain->power.stored_energy;
    s->min_state_of_charge = 1.0;

    lsim_chain_register_series(chain);
    lsim_series_group_attr(series, "chain", "seed_mass", s->seed_mass, "kg");
    return LSIM_OK;
}

/* Walks upstream from orbital assembly to the stage that set the pace. A
 * stage's own "power" limit counts only when the bus granted it less than it
 * asked for: stocks grow within a step after demands were taken, so a stage
 * fully served may still report power as its tightest input. */
typedef struct {
    int orbit_limit, driver_limit, fabrication_limit;
    int launch_power_short, fabrication_power_short, refinery_power_short, mining_power_short;
    int refinery_feed_short;
    int no_drivers; /* nothing can launch until the first track is complete */
} lsim_stage_limits;

static lsim_bottleneck lsim_chain_find_bottleneck(const lsim_stage_limits *l)
{
    if (l->orbit_limit == LSIM_ORBIT_LIMIT_CHIPS) return LSIM_BOTTLENECK_EARTH_PARTS;
    if (l->orbit_limit == LSIM_ORBIT_LIMIT_ASSEMBLY) return LSIM_BOTTLENECK_ASSEMBLY;
    if (l->no_drivers || l->driver_limit == LSIM_MASSDRIVER_LIMIT_RATE) return LSIM_BOTTLENECK_LAUNCH;
    if (l->driver_limit == LSIM_MASSDRIVER_LIMIT_POWER && l->launch_power_short) return LSIM_BOTTLENECK_POWER;
    if (l->fabrication_limit == LSIM_FABRICATION_LIMIT_LINES) return LSIM_BOTTLENECK_FABRICATION;
    if (l->fabrication_limit == LSIM_FABRICATION_LIMIT_POWER && l->fabrication_power_short) return LSIM_BOTTLENECK_POWER;
    if (l->refinery_power_short) return LSIM_BOTTLENECK_POWER;
    if (!l->refinery_feed_short) return LSIM_BOTTLENECK_REFINING;
    if (l->mining_power_short) return LSIM_BOTTLENECK_POWER;
    return LSIM_BOTTLENECK_MINING;
}

/* The same walk started at the refinery: what limits the growth engine
 * (mining, refining and the power they need), which makes all new metal. */
static lsim_bottleneck lsim_chain_find_surface_bottleneck(const lsim_stage_limits *l)
{
    lsim_stage_limits engine = *l;
    engine.orbit_limit = LSIM_ORBIT_LIMIT_PANELS;
    engine.driver_limit = LSIM_MASSDRIVER_LIMIT_PAYLOAD;
    engine.no_drivers = 0;
    engine.fabrication_limit = LSIM_FABRICATION_LIMIT_ALUMINIUM;
    return lsim_chain_find_bottleneck(&engine);
}

/* Spends growth metal and Earth parts on new units of `kind`. */
static void lsim_chain_build(lsim_chain *c, int kind, double metal_budget, double *built_count)
{
    lsim_chain_state *s = &c->s;
    double lunar = lsim_unit_lunar_mass(c, kind), earth = lsim_unit_earth_mass(c, kind);
    double by_metal = lunar > 0.0 ? metal_budget / lunar : INFINITY;
    double by_earth = earth > 0.0 ? s->earth_parts_stock / earth : INFINITY;
    double count = fmin(by_metal, by_earth);
    if (!(count > 0.0) || !isfinite(count)) return;
    if (kind == LSIM_UNIT_DRIVER) {
        /* A track is useless until complete: drivers come whole. */
        count = floor(count);
        if (count < 1.0) return;
    }
    lsim_status st = LSIM_OK;
    switch (kind) {
    case LSIM_UNIT_EXCAVATOR: st = lsim_regolith_add_excavators(&c->regolith, count, &c->clock); break;
    case LSIM_UNIT_PLANT: st = lsim_refinery_add_plants(&c->refinery, count, &c->clock); break;
    case LSIM_UNIT_LINE: st = lsim_fabrication_add_lines(&c->fabrication, count, &c->clock); break;
    default: st = lsim_massdriver_add_drivers(&c->massdriver, count, &c->clock); break;
    }
    if (st != LSIM_OK) {
        /* Growth runs deep inside the step: keep the first failure for lsim_chain_step to return. */
        if (c->failure == LSIM_OK) c->failure = st;
        return;
    }
    s->metal_stock -= count * lunar;
    if (s->metal_stock < 0.0) s->metal_stock = 0.0;
    s->earth_parts_stock -= count * earth;
    if (s->earth_parts_stock < 0.0) s->earth_parts_stock = 0.0;
    s->equipment_lunar_total += count * lunar;
    s->units_built[kind] += count;
    *built_count = count;
}

static void lsim_chain_grow(lsim_chain *c, lsim_bottleneck overall, lsim_bottleneck surface, double new_metal,
                            double built[LSIM_UNIT_KINDS])
{
    lsim_chain_state *s = &c->s;
    if (s->growth_policy == LSIM_GROWTH_FIXED)
        s->driver_fund += new_metal * s->fixed_share[LSIM_UNIT_DRIVER]; /* shares normalised at init */
    else if (overall == LSIM_BOTTLENECK_LAUNCH)
        /* Export capacity (the next driver) is saved for while launch limits
         * delivery; the rest compounds the growth engine at its bottleneck. */
        s->driver_fund += new_metal * s->export_investment_share;
    else if (c->massdriver.drivers >= 1.0)
        /* Launch no longer limits: the savings go back to work. */
        s->driver_fund = 0.0;
    if (s->driver_fund > s->metal_stock) s->driver_fund = s->metal_stock;

    /* A driver whose metal is saved gets the Earth parts first. */
    double driver_lunar = lsim_unit_lunar_mass(c, LSIM_UNIT_DRIVER);
    double driver_earth = lsim_unit_earth_mass(c, LSIM_UNIT_DRIVER);
    int driver_waiting_for_parts = driver_lunar > 0.0 && s->driver_fund >= driver_lunar;
    if (driver_waiting_for_parts) {
        double before = s->metal_stock;
        lsim_chain_build(c, LSIM_UNIT_DRIVER, s->driver_fund, &built[LSIM_UNIT_DRIVER]);
        s->driver_fund = fmax(0.0, s->driver_fund - (before - s->metal_stock));
        driver_waiting_for_parts = s->driver_fund >= driver_lunar && s->earth_parts_stock < driver_earth;
    }
    double reserved_parts = driver_waiting_for_parts ? s->earth_parts_stock : 0.0;
    double budget = fmax(0.0, s->metal_stock - s->driver_fund);
    double parts_before = s->earth_parts_stock;
    s->earth_parts_stock -= reserved_parts;

    if (s->growth_policy == LSIM_GROWTH_FIXED) {
        double surface_total = 1.0 - s->fixed_share[LSIM_UNIT_DRIVER];
        for (int k = 0; k < LSIM_UNIT_DRIVER && surface_total > 0.0; ++k)
            if (s->fixed_share[k] > 0.0) lsim_chain_build(c, k, budget * s->fixed_share[k] / surface_total, &built[k]);
    } else {
        int kind = -1;
        switch (surface) {
        case LSIM_BOTTLENECK_MINING: kind = LSIM_UNIT_EXCAVATOR; break;
        case LSIM_BOTTLENECK_REFINING: kind = LSIM_UNIT_PLANT; break;
        case LSIM_BOTTLENECK_FABRICATION: kind = LSIM_UNIT_LINE; break;
        case LSIM_BOTTLENECK_POWER: {
            /* Dark-spell shortfalls are not fixed by more panels: storage grows
             * with the array; the metal waits for daylight. */
            if (c->power.illumination <= 0.5) break;
            /* More panels is how surface power grows, but only lines that have
             * material to work; starved lines call for plants, or for nothing
             * when the route makes no silicon or aluminium. */
            int fabrication_limit = c->fabrication.last_limit;
            const lsim_refinery_route *route = &c->refinery.route;
            if (fabrication_limit == LSIM_FABRICATION_LIMIT_LINES || fabrication_limit == LSIM_FABRICATION_LIMIT_POWER ||
                fabrication_limit == LSIM_FABRICATION_LIMIT_NONE)
                kind = LSIM_UNIT_LINE;
            else if (route->extract[LSIM_EL_SI] > 0.0 && route->extract[LSIM_EL_AL] > 0.0)
                kind = LSIM_UNIT_PLANT;
            break;
        }
        default: break;
        }
        double engine_budget = budget;
        if (overall == LSIM_BOTTLENECK_FABRICATION && surface != LSIM_BOTTLENECK_POWER) {
            /* Export capacity on the surface: lines for the panels bound for orbit. */
            double export_budget = fmin(budget, new_metal * s->export_investment_share);
            lsim_chain_build(c, LSIM_UNIT_LINE, export_budget, &built[LSIM_UNIT_LINE]);
            engine_budget = fmax(0.0, s->metal_stock - s->driver_fund);
        }
        if (kind >= 0) lsim_chain_build(c, kind, engine_budget, &built[kind]);
    }
    s->earth_parts_stock += reserved_parts;
    s->growth_parts_limited = s->metal_stock - s->driver_fund > 0.0 &&
                              ( s->earth_parts_stock < 1e-9 * parts_before + 1e-9 || driver_waiting_for_parts);
}

/* Orbital capacity grows from Earth (assembly robots) and lunar metal plus
 * Earth parts (catchers) when it limits delivery, at most once per interval. */
static void lsim_chain_grow_orbit(lsim_chain *c, lsim_bottleneck bottleneck, int catchers_overflowed, double now)
{
    lsim_chain_state *s = &c->s;
    lsim_orbit *o = &c->orbit;
    /* Robots are flown up only for a backlog that the units in place would not
     * clear within one growth interval. */
    double assemblable = fmin(o->parts.panel_watts, o->parts.radiator_watts / fmax(o->cfg.radiator_heat_per_watt, 1e-300));
    double capacity_per_interval = o->assembly_units * o->cfg.assembly_rate_per_unit * s->orbital_growth_interval;
    /* ...or when assembly limited delivery for a quarter of the last interval. */
    if (bottleneck == LSIM_BOTTLENECK_ASSEMBLY) s->assembly_limited_time += c->clock.dt;
    int window_done = now - s->assembly_window_start >= s->orbital_growth_interval;
    int often_limited = window_done && s->assembly_limited_time >= 0.25 * (now - s->assembly_window_start);
    if (window_done) {
        s->assembly_window_start = now;
        s->assembly_limited_time = 0.0;
    }
    if (bottleneck == LSIM_BOTTLENECK_ASSEMBLY && (assemblable > capacity_per_interval || often_limited) &&
        now - s->last_assembly_growth >= s->orbital_growth_interval) {
        double count = fmax(1.0, ceil(o->assembly_units * s->orbital_growth_fraction));
        lsim_status st = lsim_orbit_add_assembly_units(o, count, &c->clock);
        if (st != LSIM_OK && c->failure == LSIM_OK) c->failure = st;
        if (st == LSIM_OK) {
            s->earth_mass_total += count * o->cfg.assembly_unit_earth_mass;
            s->orbital_units_built[0] += count;
            s->last_assembly_growth = now;
        }
    }
    if (catchers_overflowed && now - s->last_catcher_growth >= s->orbital_growth_interval) {
        double count = fmax(1.0, ceil(o->catcher_count * s->orbital_growth_fraction));
        double lunar = o->cfg.catcher_lunar_mass, earth = o->cfg.catcher_earth_mass;
        double affordable = fmin(lunar > 0.0 ? (s->metal_stock - s->driver_fund) / lunar : count,
                                 earth > 0.0 ? s->earth_parts_stock / earth : count);
        count = fmin(count, floor(affordable));
        lsim_status st = count >= 1.0 ? lsim_orbit_add_catchers(o, count, &c->clock) : LSIM_ERR_INPUT;
        if (count >= 1.0 && st != LSIM_OK && c->failure == LSIM_OK) c->failure = st;
        if (st == LSIM_OK) {
            s->metal_stock -= count * lunar;
            s->earth_parts_stock -= count * earth;
            s->equipment_lunar_total += count * lunar;
            s->orbital_units_built[1] += count;
            s->last_catcher_growth = now;
        }
    }
}

static double lsim_sum_elements(const double x[LSIM_EL_COUNT])
{
    double total = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) total += x[e];
    return total;
}

lsim_status lsim_chain_step(lsim_chain *chain)
{
    lsim_clock *clock = &chain->clock;
    lsim_chain_state *s = &chain->s;
    const double dt = clock->dt;
    const double t_end = lsim_clock_time(clock) + dt;

    /* 1. Demands, with the stocks as they stand at the start of the step. */
    double buffer_total = lsim_sum_elements(s->regolith_buffer);
    double mining_cap = fmax(0.0, s->regolith_buffer_limit - buffer_total);
    double demand[4];
    demand[0] = lsim_regolith_power_demand(&chain->regolith, clock, mining_cap);
    demand[1] = lsim_refinery_power_demand(&chain->refinery, clock, s->regolith_buffer);
    /* Radiators only as far as the panels bound for orbit need them: the
     * stations idle rather than eat aluminium the surface could use. */
    lsim_fabrication *fab = &chain->fabrication;
    double surface_share_now = s->panel_surface_share;
    if (s->growth_policy == LSIM_GROWTH_BOTTLENECK) {
        /* Keep panels on the surface while the array's mean output does not
         * cover the last step's demand with the chosen margin. */
        double mean_output = chain->power.array_rated_power * s->mean_illumination;
        /* Shortfalls in the dark are for storage, not more array. */
        int short_of_power = mean_output < s->last_demand * (1.0 + s->power_margin) ||
                             (s->last_surface_bottleneck == LSIM_BOTTLENECK_POWER && chain->power.illumination > 0.5);
        surface_share_now = short_of_power ? s->power_limited_surface_share : 0.0;
    }
    double heat_wanted = fab->panel_line_rate * fab->panel_specific_power * (1.0 - surface_share_now) *
                         chain->orbit.cfg.radiator_heat_per_watt;
    double heat_per_line = fab->radiator_line_rate * fab->radiator_flux;
    fab->radiator_duty = heat_per_line > 0.0 ? fmin(1.0, heat_wanted / heat_per_line) : 0.0;
    /* Stocks grow within the step before downstream stages run, so their
     * demands are taken on what they hold plus what arrived last step. */
    const lsim_refinery *ref = &chain->refinery;
    demand[2] = lsim_fabrication_power_demand(
        fab, clock, s->products.silicon + ref->last_product[0],
        s->products.aluminium + ref->last_product[1] * (1.0 - s->aluminium_growth_share), s->products.slag_by_element);
    double payload = s->launch_panel_mass + s->launch_radiator_mass;
    demand[3] = lsim_massdriver_power_demand(&chain->massdriver, clock,
                                             payload + fab->last_panel_mass + fab->last_radiator_mass);
    double base = chain->power.base_load;
    double total_demand = base + demand[0] + demand[1] + demand[2] + demand[3];

    /* 2. The bus serves what it can; grants follow the policy. */
    double delivered = lsim_power_step(&chain->power, clock, total_demand);
    s->last_demand = total_demand;
    double grant_base = fmin(base, delivered);
    double left = delivered - grant_base;
    double grant[4];
    double stage_demand = demand[0] + demand[1] + demand[2] + demand[3];
    if (s->proportional_grants) {
        double fraction = stage_demand > 0.0 ? fmin(1.0, left / stage_demand) : 0.0;
        for (int i = 0; i < 4; ++i) grant[i] = demand[i] * fraction;
    } else {
        for (int i = 0; i < 4; ++i) {
            grant[i] = fmin(demand[i], left);
            left -= grant[i];
        }
    }

    /* 3. Stages in chain order. */
    double mined = 0.0, mining_energy = 0.0;
    double used_mining = lsim_regolith_step(&chain->regolith, clock, grant[0], mining_cap, &mined, &mining_energy);
    for (int e = 0; e < LSIM_EL_COUNT; ++e) s->regolith_buffer[e] += mined * chain->regolith.element_fraction[e];
    s->mined_total += mined;

    double metal_before_step = s->metal_stock;
    double aluminium_before = s->products.aluminium, iron_before = s->products.iron,
           titanium_before = s->products.titanium;
    double used_refinery = lsim_refinery_step(&chain->refinery, clock, grant[1], s->regolith_buffer, &s->products);
    /* Growth metal: a share of new aluminium, all new iron and titanium. */
    double new_aluminium = s->products.aluminium - aluminium_before;
    double to_growth = new_aluminium * s->aluminium_growth_share;
    s->products.aluminium -= to_growth;
    s->metal_stock += to_growth + (s->products.iron - iron_before) + (s->products.titanium - titanium_before);
    s->products.iron = iron_before;
    s->products.titanium = titanium_before;
    double earth_reagent = chain->refinery.last_earth_supply;
    s->earth_mass_total += earth_reagent;

    lsim_fabrication_products made;
    memset(&made, 0, sizeof made);
    double used_fabrication = lsim_fabrication_step(&chain->fabrication, clock, grant[2], &s->products.silicon,
                                                    &s->products.aluminium, s->products.slag_by_element, &made);
    double surface_share = surface_share_now;
    double surface_power = made.panel_power * surface_share;
    double surface_mass = made.panel_mass * surface_share;
    lsim_power_add_array(&chain->power, surface_power);
    s->surface_panel_mass_total += surface_mass;
    s->launch_panel_mass += made.panel_mass - surface_mass;
    s->launch_panel_power += made.panel_power - surface_power;
    s->launch_radiator_mass += made.radiator_mass;
    s->launch_radiator_rejection += made.radiator_area * chain->fabrication.radiator_flux;

    /* Storage grows with the surface array, from a capped share of the metal
     * made this step (it must not starve the equipment that compounds). */
    double storage_energy = surface_power * s->storage_per_surface_power;
    double storage_mass = storage_energy * s->storage_specific_mass;
    double storage_budget = fmin(fmax(0.0, s->metal_stock - s->driver_fund),
                                 s->storage_metal_share * fmax(0.0, s->metal_stock - metal_before_step));
    if (storage_mass > storage_budget) {
        storage_mass = storage_budget;
        storage_energy = s->storage_specific_mass > 0.0 ? storage_mass / s->storage_specific_mass : storage_energy;
    }
    if (storage_energy > 0.0) {
        double limits_fraction = surface_power > 0.0 ? storage_energy / (surface_power * s->storage_per_surface_power) : 0.0;
        lsim_power_add_storage(&chain->power, storage_energy, surface_power * limits_fraction,
                               0.5 * surface_power * limits_fraction);
        s->metal_stock -= storage_mass;
        s->storage_lunar_total += storage_mass;
    }

    payload = s->launch_panel_mass + s->launch_radiator_mass;
    double payload_before = payload;
    lsim_massdriver_step_result launch;
    double used_launch = lsim_massdriver_step(&chain->massdriver, clock, grant[3], &payload, &launch);
    double launched = payload_before - payload;
    double panel_fraction = payload_before > 0.0 ? s->launch_panel_mass / payload_before : 0.0;
    double launched_panel_mass = launched * panel_fraction;
    double launched_radiator_mass = launched - launched_panel_mass;
    double panel_power_fraction = s->launch_panel_mass > 0.0 ? launched_panel_mass / s->launch_panel_mass : 0.0;
    double radiator_fraction = s->launch_radiator_mass > 0.0 ? launched_radiator_mass / s->launch_radiator_mass : 0.0;
    lsim_orbit_inputs orbit_in = {launched_panel_mass, s->launch_panel_power * panel_power_fraction,
                                  launched_radiator_mass, s->launch_radiator_rejection * radiator_fraction};
    s->launch_panel_mass -= launched_panel_mass;
    s->launch_radiator_mass -= launched_radiator_mass;
    s->launch_panel_power -= orbit_in.panel_watts_launched;
    s->launch_radiator_rejection -= orbit_in.radiator_rejection_watts_launched;
    if (s->launch_panel_mass < 0.0) s->launch_panel_mass = 0.0;
    if (s->launch_radiator_mass < 0.0) s->launch_radiator_mass = 0.0;
    s->launched_total += launched;

    lsim_orbit_outputs orbit_out;
    lsim_orbit_step(&chain->orbit, clock, 0.0, &orbit_in, &orbit_out);
    s->caught_total += orbit_out.caught_mass;
    /* Earth mass counts when it is launched, needed or not. */
    s->earth_mass_total += orbit_out.earth_mass_supplied;

    /* 4. What limited delivery, then growth aimed at it. */
    const double served = 1.0 - 1e-12;
    double buffer_after = lsim_sum_elements(s->regolith_buffer);
    double refinery_consumed = lsim_sum_elements(chain->refinery.last_consumed);
    double refinery_capacity = chain->refinery.plants * chain->refinery.route.throughput * dt;
    lsim_stage_limits limits = {orbit_out.limit, (int)launch.limit, chain->fabrication.last_limit,
                                grant[3] < demand[3] * served, grant[2] < demand[2] * served,
                                grant[1] < demand[1] * served, grant[0] < demand[0] * served,
                                refinery_consumed < refinery_capacity * (1.0 - 1e-9),
                                chain->massdriver.drivers < 1.0};
    lsim_bottleneck bottleneck = lsim_chain_find_bottleneck(&limits);
    lsim_bottleneck surface_bottleneck = lsim_chain_find_surface_bottleneck(&limits);
    s->last_bottleneck = bottleneck;
    s->last_surface_bottleneck = surface_bottleneck;
    s->bottleneck_time[bottleneck] += dt;

    double resupply = s->earth_resupply_rate * dt;
    s->earth_parts_stock += resupply;
    s->earth_mass_total += resupply;
    double built[LSIM_UNIT_KINDS] = {0};
    lsim_chain_grow(chain, bottleneck, surface_bottleneck, s->metal_stock - metal_before_step, built);
    if (s->growth_parts_limited) s->growth_parts_limited_time += dt;
    lsim_chain_grow_orbit(chain, bottleneck, orbit_out.lost_mass > orbit_out.arrived_mass * (1.0 - chain->orbit.flight.capture_fraction) * (1.0 + 1e-9) + 1e-12, t_end);
    if (chain->failure != LSIM_OK) return chain->failure;

    /* 5. Accounting. */
    const lsim_power_bus *bus = &chain->power;
    s->energy_generated += bus->generated * dt;
    s->energy_delivered += bus->delivered * dt;
    s->energy_curtailed += bus->curtailed * dt;
    s->energy_unmet += bus->unmet * dt;
    s->energy_losses += bus->losses * dt;
    s->energy_by_stage[0] += used_mining * dt;
    s->energy_by_stage[1] += used_refinery * dt;
    s->energy_by_stage[2] += used_fabrication * dt;
    s->energy_by_stage[3] += used_launch * dt;
    s->energy_by_stage[4] += grant_base * dt;
    if (bus->storage_capacity > 0.0) {
        double soc = bus->stored_energy / bus->storage_capacity;
        if (soc < s->min_state_of_charge) s->min_state_of_charge = soc;
    }

    int64_t slot = clock->step % s->year_slots;
    s->year_installed_sum += orbit_out.assembled_power - s->year_installed_power[slot];
    s->year_caught_sum += orbit_out.caught_mass - s->year_caught_mass[slot];
    s->year_installed_power[slot] = orbit_out.assembled_power;
    s->year_caught_mass[slot] = orbit_out.caught_mass;
    if (s->year_installed_sum < 0.0) s->year_installed_sum = 0.0;
    if (s->year_caught_sum < 0.0) s->year_caught_sum = 0.0;
    if (s->year_installed_sum > s->peak_year_installed) s->peak_year_installed = s->year_installed_sum;
    if (s->year_caught_sum > s->peak_year_caught) s->peak_year_caught = s->year_caught_sum;
    static const double thresholds[3] = {1e9, 1e11, 1e12};
    for (int i = 0; i < 3; ++i)
        if (isnan(s->milestone_time[i]) && s->year_installed_sum >= thresholds[i]) s->milestone_time[i] = t_end;

    int *id = chain->ids;
    lsim_series_registry *r = chain->series;
    lsim_series_put(r, id[ID_BUFFER], buffer_after);
    lsim_series_put(r, id[ID_SILICON], s->products.silicon);
    lsim_series_put(r, id[ID_ALUMINIUM], s->products.aluminium);
    lsim_series_put(r, id[ID_METAL], s->metal_stock);
    lsim_series_put(r, id[ID_OXYGEN], s->products.oxygen);
    lsim_series_put(r, id[ID_SLAG], lsim_sum_elements(s->products.slag_by_element));
    lsim_series_put(r, id[ID_EARTH_PARTS], s->earth_parts_stock);
    lsim_series_put(r, id[ID_PANELS_WAITING], s->launch_panel_mass);
    lsim_series_put(r, id[ID_RADIATORS_WAITING], s->launch_radiator_mass);
    lsim_series_put(r, id[ID_SURFACE_PANEL_RATE], surface_power / dt);
    lsim_series_put(r, id[ID_BOTTLENECK], (double)bottleneck);
    lsim_series_put(r, id[ID_SURFACE_BOTTLENECK], (double)surface_bottleneck);
    lsim_series_put(r, id[ID_DRIVER_FUND], s->driver_fund);
    lsim_series_put(r, id[ID_YEAR_POWER], s->year_installed_sum);
    lsim_series_put(r, id[ID_YEAR_MASS], s->year_caught_sum);
    lsim_series_put(r, id[ID_EARTH_TOTAL], s->earth_mass_total);
    lsim_series_put(r, id[ID_MINED_TOTAL], s->mined_total);
    lsim_series_put(r, id[ID_DEMAND_SHARE], total_demand > 0.0 ? delivered / total_demand : 1.0);
    lsim_series_put(r, id[ID_STORAGE_ADDED], storage_energy / dt);
    lsim_series_put(r, id[ID_EQUIPMENT], s->equipment_lunar_total + s->storage_lunar_total);
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) lsim_series_put(r, id[ID_UNIT_RATE_FIRST + k], built[k] / dt);
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b)
        lsim_series_put(r, id[ID_BOTTLENECK_FIRST + b], b == (int)bottleneck ? 1.0 : 0.0);

    clock->step++;
    return LSIM_OK;
}

double lsim_chain_mass_residual(const lsim_chain *chain)
{
    const lsim_chain_state *s = &chain->s;
    const lsim_refinery_products *p = &s->products;
    double held = lsim_sum_elements(s->regolith_buffer) + p->silicon + p->aluminium + p->iron + p->titanium +
                  p->oxygen + lsim_sum_elements(p->slag_by_element) + s->metal_stock + s->equipment_lunar_total +
                  s->storage_lunar_total + s->surface_panel_mass_total + s->launch_panel_mass +
                  s->launch_radiator_mass + s->launched_total;
    return s->mined_total - held;
}

void lsim_chain_summarise(lsim_chain *chain)
{
    lsim_series_registry *r = chain->series;
    lsim_chain_state *s = &chain->s;
    const lsim_orbit *o = &chain->orbit;
    double seconds = lsim_clock_time(&chain->clock);
    double stage_energy = s->energy_by_stage[0] + s->energy_by_stage[1] + s->energy_by_stage[2] + s->energy_by_stage[3];

    lsim_summary_set(r, "simulated_time", seconds, "s", "simulated time span");
    lsim_summary_set(r, "seed_mass", s->seed_mass, "kg", "mass landed from Earth at the start");
    lsim_summary_set(r, "installed_orbital_power", o->installed_power, "W", "orbital power installed at the end");
    lsim_summary_set(r, "orbital_compute_power", o->installed_power * (1.0 - o->cfg.housekeeping_fraction), "W",
                     "power feeding compute in orbit at the end");
    lsim_summary_set(r, "orbital_compute", o->installed_power * (1.0 - o->cfg.housekeeping_fraction) * o->cfg.flops_per_watt,
                     "s-1", "compute in orbit at the end, FLOP per second");
    lsim_summary_set(r, "peak_delivery_rate", s->peak_year_caught / LSIM_JULIAN_YEAR, "kg s-1",
                     "highest trailing-year mean of mass caught in orbit");
    lsim_summary_set(r, "peak_delivery_per_year", s->peak_year_caught, "kg",
                     "highest mass caught in orbit over any trailing year");
    lsim_summary_set(r, "peak_power_installed_per_year", s->peak_year_installed, "W",
                     "highest orbital power assembled over any trailing year");
    lsim_summary_set(r, "time_to_1_GW_per_year", s->milestone_time[0], "s",
                     "first time a trailing year installed 1 GW in orbit (NaN: not reached)");
    lsim_summary_set(r, "time_to_100_GW_per_year", s->milestone_time[1], "s",
                     "first time a trailing year installed 100 GW in orbit (NaN: not reached)");
    lsim_summary_set(r, "time_to_1_TW_per_year", s->milestone_time[2], "s",
                     "first time a trailing year installed 1 TW in orbit (NaN: not reached)");
    lsim_summary_set(r, "mass_delivered", s->caught_total, "kg", "mass caught in orbit");
    lsim_summary_set(r, "energy_per_kg_delivered", s->caught_total > 0.0 ? stage_energy / s->caught_total : NAN,
                     "J kg-1", "surface energy of mining, refining, fabrication and launch per kg caught in orbit");
    static const char *const stage_names[4] = {"mining", "refining", "fabrication", "launch"};
    for (int k = 0; k < 4; ++k) {
        char name[64], long_name[128];
        snprintf(name, sizeof name, "energy_per_kg_delivered_%s", stage_names[k]);
        snprintf(long_name, sizeof long_name, "surface energy of %s per kg caught in orbit", stage_names[k]);
        lsim_summary_set(r, name, s->caught_total > 0.0 ? s->energy_by_stage[k] / s->caught_total : NAN, "J kg-1",
                         long_name);
    }
    /* The code list is built from the names, so it cannot drift from them. */
    char codes[256] = "what limited delivery in the last step:";
    for (int b = 1; b < LSIM_BOTTLENECK_COUNT; ++b) {
        size_t used = strlen(codes);
        snprintf(codes + used, sizeof codes - used, "%s %d %s", b > 1 ? "," : "", b, lsim_bottleneck_name[b]);
    }
    lsim_summary_set(r, "final_bottleneck", (double)s->last_bottleneck, "1", codes);
    lsim_summary_set(r, "surface_array_power", chain->power.array_rated_power, "W",
                     "surface array rating at the end (degraded)");
    lsim_summary_set(r, "surface_storage", chain->power.storage_capacity, "J", "surface storage at the end");
    lsim_summary_set(r, "earth_mass_total", s->earth_mass_total, "kg",
                     "all mass from Earth: seed, resupply, orbital parts, reagents");
    double earth_only_mass = o->assembled_total * o->cfg.earth_specific_mass;
    lsim_summary_set(r, "earth_only_mass", earth_only_mass, "kg",
                     "mass Earth would launch to install the same orbital power alone");
    lsim_summary_set(r, "earth_only_launches", earth_only_mass / o->cfg.earth_payload_per_launch, "1",
                     "Earth launches for the same orbital power (at orbit.earth_payload_per_launch)");
    lsim_summary_set(r, "earth_mass_leverage", s->earth_mass_total > 0.0 ? earth_only_mass / s->earth_mass_total : NAN,
                     "1", "Earth-only mass over the mass this chain took from Earth");
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b) {
        char name[64], long_name[128];
        snprintf(name, sizeof name, "bottleneck_share_%s", lsim_bottleneck_name[b]);
        snprintf(long_name, sizeof long_name, "share of time %s limited delivery to orbit", lsim_bottleneck_name[b]);
        lsim_summary_set(r, name, seconds > 0.0 ? s->bottleneck_time[b] / seconds : 0.0, "1", long_name);
    }
    lsim_summary_set(r, "growth_limited_by_earth_parts_share", seconds > 0.0 ? s->growth_parts_limited_time / seconds : 0.0,
                     "1", "share of time lunar metal waited for Earth-made parts to become equipment");
    lsim_summary_set(r, "growth_metal_unused", s->metal_stock, "kg", "lunar growth metal left unbuilt at the end");
    lsim_summary_set(r, "assembly_units_added", s->orbital_units_built[0], "1",
                     "orbital assembly units launched from Earth during the run");
    lsim_summary_set(r, "catchers_added", s->orbital_units_built[1], "1", "catchers added during the run");
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        char name[64], long_name[128];
        snprintf(name, sizeof name, "%s_built", lsim_unit_name[k]);
        snprintf(long_name, sizeof long_name, "%s built on the Moon during the run", lsim_unit_name[k]);
        lsim_summary_set(r, name, s->units_built[k], "1", long_name);
    }
    lsim_summary_set(r, "surface_energy_generated", s->energy_generated, "J", "surface array energy generated");
    lsim_summary_set(r, "surface_energy_unmet", s->energy_unmet, "J", "surface demand not served");
    lsim_summary_set(r, "surface_energy_curtailed", s->energy_curtailed, "J", "surface array energy curtailed");
    lsim_summary_set(r, "storage_min_state_of_charge", s->min_state_of_charge, "1", "lowest state of charge of surface storage");
    lsim_summary_set(r, "energy_balance_residual",
                     s->energy_generated - s->energy_delivered - s->energy_curtailed - s->energy_losses -
                         (chain->power.stored_energy - s->energy_stored_initial),
                     "J", "generated - delivered - curtailed - losses - change in storage (round-off only)");
    lsim_summary_set(r, "mass_balance_residual", lsim_chain_mass_residual(chain), "kg",
                     "mined - everything it became (round-off only)");
}

void lsim_chain_free(lsim_chain *chain)
{
    if (chain->initialised_modules >= 6) lsim_orbit_free(&chain->orbit);
    if (chain->initialised_modules >= 5) lsim_massdriver_free(&chain->massdriver);
    if (chain->initialised_modules >= 4) lsim_fabrication_free(&chain->fabrication);
    if (chain->initialised_modules >= 3) lsim_refinery_free(&chain->refinery);
    if (chain->initialised_modules >= 2) lsim_regolith_free(&chain->regolith);
    if (chain->initialised_modules >= 1) lsim_power_free(&chain->power);
    free(chain->s.year_installed_power);
    free(chain->s.year_caught_mass);
    chain->s.year_installed_power = chain->s.year_caught_mass = NULL;
    chain->initialised_modules = 0;
}

lsim_status lsim_chain_state_visit(lsim_chain *chain, lsim_state *state)
{
    lsim_chain_state *s = &chain->s;
    lsim_status st = lsim_state_i64(state, "chain.clock_step", &chain->clock.step, 1);
    /* Every evolving scalar of the chain, by name; the policy fields are
     * rebuilt from the deck. */
    struct {
        const char *name;
        double *values;
        size_t count;
    } fields[] = {
        {"chain.regolith_buffer", s->regolith_buffer, LSIM_EL_COUNT},
        {"chain.silicon", &s->products.silicon, 1},
        {"chain.aluminium", &s->products.aluminium, 1},
        {"chain.iron", &s->products.iron, 1},
        {"chain.titanium", &s->products.titanium, 1},
        {"chain.oxygen", &s->products.oxygen, 1},
        {"chain.slag", s->products.slag_by_element, LSIM_EL_COUNT},
        {"chain.metal_stock", &s->metal_stock, 1},
        {"chain.driver_fund", &s->driver_fund, 1},
        {"chain.earth_parts_stock", &s->earth_parts_stock, 1},
        {"chain.launch_panel_mass", &s->launch_panel_mass, 1},
        {"chain.launch_panel_power", &s->launch_panel_power, 1},
        {"chain.launch_radiator_mass", &s->launch_radiator_mass, 1},
        {"chain.launch_radiator_rejection", &s->launch_radiator_rejection, 1},
        {"chain.mined_total", &s->mined_total, 1},
        {"chain.surface_panel_mass_total", &s->surface_panel_mass_total, 1},
        {"chain.launched_total", &s->launched_total, 1},
        {"chain.equipment_lunar_total", &s->equipment_lunar_total, 1},
        {"chain.storage_lunar_total", &s->storage_lunar_total, 1},
        {"chain.earth_mass_total", &s->earth_mass_total, 1},
        {"chain.units_built", s->units_built, LSIM_UNIT_KINDS},
        {"chain.energy_by_stage", s->energy_by_stage, 5},
        {"chain.caught_total", &s->caught_total, 1},
        {"chain.bottleneck_time", s->bottleneck_time, LSIM_BOTTLENECK_COUNT},
        {"chain.energy_generated", &s->energy_generated, 1},
        {"chain.energy_delivered", &s->energy_delivered, 1},
        {"chain.energy_curtailed", &s->energy_curtailed, 1},
        {"chain.energy_unmet", &s->energy_unmet, 1},
        {"chain.energy_losses", &s->energy_losses, 1},
        {"chain.energy_stored_initial", &s->energy_stored_initial, 1},
        {"chain.min_state_of_charge", &s->min_state_of_charge, 1},
        {"chain.year_installed_sum", &s->year_installed_sum, 1},
        {"chain.year_caught_sum", &s->year_caught_sum, 1},
        {"chain.peak_year_installed", &s->peak_year_installed, 1},
        {"chain.peak_year_caught", &s->peak_year_caught, 1},
        {"chain.milestone_time", s->milestone_time, 3},
        {"chain.last_demand", &s->last_demand, 1},
        {"chain.growth_parts_limited_time", &s->growth_parts_limited_time, 1},
        {"chain.orbital_units_built", s->orbital_units_built, 2},
        {"chain.last_assembly_growth", &s->last_assembly_growth, 1},
        {"chain.last_catcher_growth", &s->last_catcher_growth, 1},
        {"chain.assembly_window_start", &s->assembly_window_start, 1},
        {"chain.assembly_limited_time", &s->assembly_limited_time, 1},
    };
    for (size_t i = 0; st == LSIM_OK && i < sizeof fields / sizeof fields[0]; ++i)
        st = lsim_state_f64(state, fields[i].name, fields[i].values, fields[i].count);
    if (st == LSIM_OK) st = lsim_state_f64(state, "chain.year_installed_power", s->year_installed_power, (size_t)s->year_slots);
    if (st == LSIM_OK) st = lsim_state_f64(state, "chain.year_caught_mass", s->year_caught_mass, (size_t)s->year_slots);
    int32_t codes[3] = {(int32_t)s->last_bottleneck, (int32_t)s->last_surface_bottleneck, (int32_t)s->growth_parts_limited};
    if (st == LSIM_OK) st = lsim_state_i32(state, "chain.codes", codes, 3);
    s->last_bottleneck = (lsim_bottleneck)codes[0];
    s->last_surface_bottleneck = (lsim_bottleneck)codes[1];
    s->growth_parts_limited = codes[2];
    if (st == LSIM_OK) st = lsim_power_state(&chain->power, state);
    if (st == LSIM_OK) st = lsim_regolith_state(&chain->regolith, state);
    if (st == LSIM_OK) st = lsim_refinery_state(&chain->refinery, state);
    if (st == LSIM_OK) st = lsim_fabrication_state(&chain->fabrication, state);
    if (st == LSIM_OK) st = lsim_massdriver_state(&chain->massdriver, state);
    if (st == LSIM_OK) st = lsim_orbit_state(&chain->orbit, state);
    return st;
}
