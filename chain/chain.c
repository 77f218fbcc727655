/* The chain's step and its life cycle: init, the phases of a step, the one
 * stepping loop, checkpoints and free. Policies are in chain_growth.c and
 * chain_grants.c, the bottleneck walk in chain_bottleneck.c, ledgers and
 * output in chain_ledger.c. */
#include "chain_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

const char *const lsim_stage_name[LSIM_STAGE_COUNT] = {"mining", "refining", "fabrication", "launch",
                                                            "manufacturing"};
const char *const lsim_bottleneck_name[LSIM_BOTTLENECK_COUNT] = {
    "none", "power", "mining", "refining", "fabrication", "launch", "assembly", "earth_parts", "manufacturing"};
const char *const lsim_unit_name[LSIM_UNIT_KINDS] = {"excavators", "plants", "lines", "drivers", "factories"};

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

lsim_status lsim_chain_check_params(const lsim_params *params)
{
    return lsim_refinery_route_validate(params);
}

double lsim_sum_elements(const double x[LSIM_EL_COUNT])
{
    double total = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) total += x[e];
    return total;
}

/* The Earth-made share of a unit falls with the lunar equipment made so far:
 * by a constant factor per tenfold production (the generations of the
 * bootstrapping studies, docs/REFERENCES.md [Metzger2013]), down to a floor.
 * What Earth no longer supplies is made on the Moon, kilogram for kilogram. */
double lsim_chain_earth_share_factor(const lsim_chain *c)
{
    const lsim_chain_policy *p = &c->policy;
    double made = c->s.equipment_lunar_total;
    if (!(made > p->earth_share_start_mass) || !(p->earth_share_start_mass > 0.0)) return 1.0;
    /* Asked for several times a step by every unit kind's mass, with the same inputs until lunar equipment
     * is next made (a pow and a log10 each time were 5% of a run): the last answer is kept per thread, keyed
     * by every input, so any chain on any thread gets exactly what the formula gives. */
    static _Thread_local double key[4] = {NAN, NAN, NAN, NAN}, value = NAN;
    if (made == key[0] && p->earth_share_start_mass == key[1] && p->earth_share_decade_factor == key[2] &&
        p->earth_share_floor == key[3])
        return value;
    value = fmax(p->earth_share_floor, pow(p->earth_share_decade_factor, log10(made / p->earth_share_start_mass)));
    key[0] = made;
    key[1] = p->earth_share_start_mass;
    key[2] = p->earth_share_decade_factor;
    key[3] = p->earth_share_floor;
    return value;
}

static void lsim_chain_unit_design_mass(const lsim_chain *c, lsim_unit_kind kind, double *lunar, double *earth)
{
    switch (kind) {
    case LSIM_UNIT_EXCAVATOR:
        *lunar = lsim_regolith_design_view(&c->regolith)->unit_lunar_mass;
        *earth = lsim_regolith_design_view(&c->regolith)->unit_earth_mass;
        return;
    case LSIM_UNIT_PLANT:
        *lunar = lsim_refinery_design_view(&c->refinery)->plant_mass_lunar;
        *earth = lsim_refinery_design_view(&c->refinery)->plant_mass_earth;
        return;
    case LSIM_UNIT_LINE:
        *lunar = lsim_fabrication_design_view(&c->fabrication)->line_mass_lunar;
        *earth = lsim_fabrication_design_view(&c->fabrication)->line_mass_earth;
        return;
    case LSIM_UNIT_DRIVER:
        *lunar = lsim_massdriver_design_view(&c->massdriver)->driver_lunar_mass;
        *earth = lsim_massdriver_design_view(&c->massdriver)->driver_earth_mass;
        return;
    case LSIM_UNIT_FACTORY:
        *lunar = c->manufacturing.design.unit_lunar_mass;
        *earth = c->manufacturing.design.unit_earth_mass;
        return;
    default: LSIM_ASSERT(0, "unknown unit kind %d", (int)kind); *lunar = *earth = NAN; return;
    }
}

double lsim_chain_unit_lunar_mass(const lsim_chain *c, lsim_unit_kind kind)
{
    double lunar, earth;
    lsim_chain_unit_design_mass(c, kind, &lunar, &earth);
    return lunar + earth * (1.0 - lsim_chain_earth_share_factor(c));
}

double lsim_chain_unit_earth_mass(const lsim_chain *c, lsim_unit_kind kind)
{
    double lunar, earth;
    lsim_chain_unit_design_mass(c, kind, &lunar, &earth);
    return earth * lsim_chain_earth_share_factor(c);
}

int lsim_chain_unit_idle(const lsim_chain *c, lsim_unit_kind kind)
{
    double count = lsim_chain_unit_count(c, kind);
    return kind == LSIM_UNIT_DRIVER ? count < 1.0 : !(count > 0.0);
}

double lsim_chain_unit_count(const lsim_chain *c, lsim_unit_kind kind)
{
    switch (kind) {
    case LSIM_UNIT_EXCAVATOR: return (double)lsim_regolith_alive(&c->regolith);
    case LSIM_UNIT_PLANT: return lsim_refinery_plant_count(&c->refinery);
    case LSIM_UNIT_LINE: return lsim_fabrication_line_count(&c->fabrication);
    case LSIM_UNIT_DRIVER: return lsim_massdriver_driver_count(&c->massdriver);
    case LSIM_UNIT_FACTORY: return c->manufacturing.units;
    default: LSIM_ASSERT(0, "unknown unit kind %d", (int)kind); return NAN;
    }
}

static lsim_status lsim_chain_read_policy(lsim_chain_policy *p, const lsim_params *params)
{
    p->growth = lsim_growth_policy_find(lsim_param_text(params, "chain", "growth_policy"));
    p->grants = lsim_grant_policy_find(lsim_param_text(params, "chain", "power_allocation"));
    /* The registry accepts only the words of the families' lists. */
    LSIM_ASSERT(p->growth != NULL && p->grants != NULL, "a policy word outside its family's list");
    p->panel_surface_share = lsim_param_real(params, "chain", "panel_surface_share");
    p->aluminium_growth_share = lsim_param_real(params, "chain", "aluminium_growth_share");
    p->power_limited_surface_share = lsim_param_real(params, "chain", "power_limited_surface_share");
    p->export_investment_share = lsim_param_real(params, "chain", "export_investment_share");
    p->power_margin = lsim_param_real(params, "chain", "power_margin");
    static const char *const share_keys[LSIM_UNIT_KINDS] = {"share_excavators", "share_plants", "share_lines",
                                                            "share_drivers", "share_factories"};
    double share_sum = 0.0;
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) share_sum += p->fixed_share[k] = lsim_param_real(params, "chain", share_keys[k]);
    if (strcmp(p->growth->head.name, "fixed") == 0 && !(share_sum > 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "chain.share_excavators + share_plants + share_lines + share_drivers + "
                                         "share_factories is 0; "
                                         "the fixed growth policy needs a positive total");
    for (int k = 0; share_sum > 0.0 && k < LSIM_UNIT_KINDS; ++k) p->fixed_share[k] /= share_sum;
    p->balance_horizon = lsim_param_real(params, "chain", "balance_horizon");
    p->earth_resupply_rate = lsim_param_real(params, "chain", "earth_resupply_rate");
    p->regolith_buffer_limit = lsim_param_real(params, "chain", "regolith_buffer_limit");
    p->storage_per_surface_power = lsim_param_real(params, "chain", "storage_per_surface_power");
    p->storage_specific_mass = lsim_param_real(params, "chain", "storage_specific_mass");
    p->storage_metal_share = lsim_param_real(params, "chain", "storage_metal_share");
    p->orbital_growth_interval = lsim_param_real(params, "chain", "orbital_growth_interval");
    p->orbital_growth_fraction = lsim_param_real(params, "chain", "orbital_growth_fraction");
    p->seed_array_specific_power = lsim_param_real(params, "chain", "seed_array_specific_power");
    p->seed_storage_specific_energy = lsim_param_real(params, "chain", "seed_storage_specific_energy");
    p->earth_share_start_mass = lsim_param_real(params, "chain", "earth_share_start_mass");
    p->earth_share_decade_factor = lsim_param_real(params, "chain", "earth_share_decade_factor");
    p->earth_share_floor = lsim_param_real(params, "chain", "earth_share_floor");
    return LSIM_OK;
}

/* Everything that exists at t = 0 was made on Earth and flown in: the surface
 * units, array, storage and parts, and the orbital catchers and assembly
 * robots (whatever share of a catcher later units make on the Moon). */
static double lsim_chain_seed_mass(const lsim_chain *c, double initial_parts)
{
    lsim_power_status_view bus;
    lsim_power_status(&c->power, &bus);
    double mass = bus.array_rated_power / c->policy.seed_array_specific_power +
                  bus.storage_capacity / c->policy.seed_storage_specific_energy + initial_parts;
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k)
        mass += lsim_chain_unit_count(c, (lsim_unit_kind)k) *
                (lsim_chain_unit_lunar_mass(c, (lsim_unit_kind)k) + lsim_chain_unit_earth_mass(c, (lsim_unit_kind)k));
    return mass + lsim_orbit_design_view(&c->orbit)->initial_hardware_earth_mass;
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
    orbit_config.release = lsim_massdriver_design_view(&chain->massdriver)->release;
    if ((st = lsim_orbit_init_config(&chain->orbit, &orbit_config, chain->clock.dt, series, chain->seed)) != LSIM_OK)
        return st;
    chain->initialised_modules = 6;

    lsim_manufacturing_design make = {
        .rate_per_unit = lsim_param_real(params, "chain", "manufacturing_rate"),
        .specific_energy = lsim_param_real(params, "chain", "manufacturing_specific_energy"),
        .unit_lunar_mass = lsim_param_real(params, "chain", "factory_lunar_mass"),
        .unit_earth_mass = lsim_param_real(params, "chain", "factory_earth_mass"),
        .lead_time = lsim_param_real(params, "chain", "manufacturing_lead_time"),
    };
    if ((st = lsim_manufacturing_init(&chain->manufacturing, &make, lsim_param_real(params, "chain", "factories"))) != LSIM_OK)
        return st;
    chain->initialised_modules = 7;
    if ((st = lsim_chain_read_policy(&chain->policy, params)) != LSIM_OK) return st;
    if ((st = lsim_chain_wear_init(chain, params)) != LSIM_OK) return st;
    chain->policy.mean_illumination = lsim_power_mean_illumination(&chain->power);

    lsim_chain_state *s = &chain->s;
    s->earth_parts_stock = lsim_param_real(params, "chain", "initial_earth_parts");
    s->last_assembly_growth = -INFINITY;
    s->last_catcher_growth = -INFINITY;
    s->seed_mass = lsim_chain_seed_mass(chain, s->earth_parts_stock);
    s->earth_mass_total = s->seed_mass;
    s->year_slots = (int64_t)floor(LSIM_JULIAN_YEAR / chain->clock.dt + 0.5);
    if (s->year_slots < 1) s->year_slots = 1;
    s->year_installed_power = calloc((size_t)s->year_slots, sizeof(double));
    s->year_caught_mass = calloc((size_t)s->year_slots, sizeof(double));
    if (!s->year_installed_power || !s->year_caught_mass) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    for (int i = 0; i < 3; ++i) s->milestone_time[i] = NAN;
    lsim_power_status_view bus;
    lsim_power_status(&chain->power, &bus);
    s->energy_stored_initial = bus.stored_energy;
    s->min_state_of_charge = 1.0;
    return lsim_chain_register_series(chain);
}

/* A step, phase by phase. Each phase reads what the earlier ones left in
 * `w` and the stocks; only the stages change module state, only growth adds
 * units, only accounting writes output. */
lsim_status lsim_chain_step(lsim_chain *chain)
{
    lsim_chain_step_work w;
    memset(&w, 0, sizeof w);
    w.dt = chain->clock.dt;
    w.t_end = lsim_clock_time(&chain->clock) + w.dt;

    lsim_chain_take_demands(chain, &w); /* every stage states its power for the stocks it will see */
    lsim_chain_grant_power(chain, &w);  /* the bus serves what it can; the grant policy shares it */
    lsim_status st = lsim_chain_run_stages(chain, &w); /* mining .. launch, flight, assembly, manufacturing */
    if (st != LSIM_OK) return st;
    lsim_chain_find_limits(chain, &w);  /* what held delivery back, and what held the growth engine */
    st = lsim_chain_grow(chain, &w);    /* metal and parts are ordered as units where the policy aims */
    if (st != LSIM_OK) return st;
    lsim_chain_account(chain, &w);      /* energy and mass ledgers, trailing-year metrics, series */

    chain->clock.step++;
    return LSIM_OK;
}

lsim_status lsim_chain_advance(lsim_chain *chain, int *rows_ready)
{
    *rows_ready = 0;
    lsim_status st = lsim_chain_step(chain);
    if (st != LSIM_OK || chain->series == NULL) return st;
    lsim_series_end_step(chain->series, chain->clock.dt);
    if (lsim_clock_output_due(&chain->clock))
        *rows_ready = lsim_series_end_interval(chain->series, lsim_clock_time(&chain->clock));
    return LSIM_OK;
}

/* Share of new panels the surface keeps: the growth policy decides. */
/* Radiators only as far as the panels bound for orbit need them (W of
 * rejection made per second): the stations idle rather than eat aluminium
 * the surface could use. */
static double lsim_chain_radiator_rejection_wanted(const lsim_chain *c, double surface_share)
{
    const lsim_fabrication_design *fab = lsim_fabrication_design_view(&c->fabrication);
    return lsim_fabrication_line_count(&c->fabrication) * fab->panel_line_rate * fab->panel_specific_power *
           (1.0 - surface_share) * lsim_orbit_design_view(&c->orbit)->radiator_heat_per_watt;
}

/* kg of feed the refinery plants can take in over a step at full power. */
static double lsim_chain_refinery_intake(const lsim_chain *c, double dt)
{
    return lsim_refinery_plant_count(&c->refinery) * lsim_refinery_design_view(&c->refinery)->plant_throughput * dt;
}

void lsim_chain_take_demands(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    const lsim_clock *clock = &c->clock;

    /* A stockpile limits what is stored, not what flows: mining may fill the
     * room left plus what the refinery can take in this same step, so
     * throughput does not depend on the step length or the stockpile size. */
    w->mining_room = fmax(0.0, c->policy.regolith_buffer_limit - lsim_sum_elements(s->regolith_buffer));
    w->refinery_intake = lsim_chain_refinery_intake(c, w->dt);
    double mining_cap = w->mining_room + w->refinery_intake;
    w->demand[LSIM_STAGE_MINING] = lsim_regolith_power_demand(&c->regolith, clock, mining_cap);
    double mined_expected = fmin(mining_cap, lsim_regolith_capacity(&c->regolith, clock));
    const double *fraction = lsim_regolith_design_view(&c->regolith)->element_fraction;
    double feed[LSIM_EL_COUNT];
    for (int e = 0; e < LSIM_EL_COUNT; ++e) feed[e] = s->regolith_buffer[e] + mined_expected * fraction[e];
    w->demand[LSIM_STAGE_REFINING] = lsim_refinery_power_demand(&c->refinery, clock, feed);

    w->surface_share = c->policy.growth->surface_share(c);
    w->radiator_rejection_wanted = lsim_chain_radiator_rejection_wanted(c, w->surface_share);
    /* Stocks grow within the step before downstream stages run, so their
     * demands are taken on what they hold plus what arrived last step. */
    const lsim_refinery_step_result *refined = lsim_refinery_last_result(&c->refinery);
    w->demand[LSIM_STAGE_FABRICATION] = lsim_fabrication_power_demand_for(
        &c->fabrication, clock, s->products.silicon + refined->silicon,
        s->products.aluminium + refined->aluminium * (1.0 - c->policy.aluminium_growth_share),
        s->products.slag_by_element, w->radiator_rejection_wanted);
    const lsim_fabrication_step_result *made = lsim_fabrication_last_result(&c->fabrication);
    double payload = s->launch_panel_mass + s->launch_radiator_mass + s->launch_catcher_mass;
    w->demand[LSIM_STAGE_LAUNCH] =
        lsim_massdriver_power_demand(&c->massdriver, clock, payload + made->panel_mass + made->radiator_mass);
    w->demand[LSIM_STAGE_MANUFACTURING] = lsim_manufacturing_power_demand(&c->manufacturing, w->dt);
    lsim_power_status_view bus;
    lsim_power_status(&c->power, &bus);
    w->base_demand = bus.base_load;
    w->total_demand = w->base_demand;
    for (int i = 0; i < LSIM_STAGE_COUNT; ++i) w->total_demand += w->demand[i];
}

void lsim_chain_grant_power(lsim_chain *c, lsim_chain_step_work *w)
{
    w->delivered = lsim_power_step(&c->power, &c->clock, w->total_demand);
    c->s.last_demand = w->total_demand;
    w->grant_base = fmin(w->base_demand, w->delivered);
    c->policy.grants->grant(w->demand, w->delivered - w->grant_base, w->grant);
}

/* A stage asked for more than it got. The tolerance covers the round-off of
 * a grant computed as demand times a fraction that is 1 in exact arithmetic. */
static int lsim_power_short(double grant, double demand)
{
    return grant < demand * (1.0 - 1e-12);
}

static void lsim_chain_run_mining(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    const double served = w->demand[LSIM_STAGE_REFINING] > 0.0
                              ? fmin(1.0, w->grant[LSIM_STAGE_REFINING] / w->demand[LSIM_STAGE_REFINING])
                              : 1.0;
    lsim_regolith_step_result mining;
    w->used[LSIM_STAGE_MINING] =
        lsim_regolith_advance(&c->regolith, &c->clock, w->grant[LSIM_STAGE_MINING],
                              w->mining_room + w->refinery_intake * served, &mining);
    const double *fraction = lsim_regolith_design_view(&c->regolith)->element_fraction;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) s->regolith_buffer[e] += mining.mined_mass * fraction[e];
    s->mined_total += mining.mined_mass;
    w->use[LSIM_STAGE_MINING] =
        (lsim_stage_use){mining.mined_mass, mining.capacity_mass,
                         lsim_power_short(w->grant[LSIM_STAGE_MINING], w->demand[LSIM_STAGE_MINING])};
}

static void lsim_chain_run_refining(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    double aluminium_before = s->products.aluminium, iron_before = s->products.iron,
           titanium_before = s->products.titanium;
    lsim_refinery_step_result refined;
    w->used[LSIM_STAGE_REFINING] = lsim_refinery_advance(&c->refinery, &c->clock, w->grant[LSIM_STAGE_REFINING],
                                                         s->regolith_buffer, &s->products, &refined);
    /* Growth metal: a share of new aluminium, all new iron and titanium. */
    double to_growth = (s->products.aluminium - aluminium_before) * c->policy.aluminium_growth_share;
    s->products.aluminium -= to_growth;
    w->new_metal = to_growth + (s->products.iron - iron_before) + (s->products.titanium - titanium_before);
    s->metal_stock += w->new_metal;
    s->products.iron = iron_before;
    s->products.titanium = titanium_before;
    s->earth_mass_total += refined.earth_supply;
    w->use[LSIM_STAGE_REFINING] =
        (lsim_stage_use){refined.feed, refined.capacity,
                         lsim_power_short(w->grant[LSIM_STAGE_REFINING], w->demand[LSIM_STAGE_REFINING])};
}

/* Storage grows with the surface array, from a capped share of the metal
 * made this step (it must not starve the equipment that compounds). */
static void lsim_chain_add_storage(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    const lsim_chain_policy *p = &c->policy;
    double surface_power = w->surface_power_added;
    double storage_energy = surface_power * p->storage_per_surface_power;
    double storage_mass = storage_energy * p->storage_specific_mass;
    double storage_budget = fmin(fmax(0.0, s->metal_stock - s->driver_fund), p->storage_metal_share * w->new_metal);
    if (storage_mass > storage_budget) {
        storage_mass = storage_budget;
        storage_energy = p->storage_specific_mass > 0.0 ? storage_mass / p->storage_specific_mass : storage_energy;
    }
    if (!(storage_energy > 0.0)) return;
    double limits_fraction = surface_power > 0.0 ? storage_energy / (surface_power * p->storage_per_surface_power) : 0.0;
    lsim_power_add_storage(&c->power, storage_energy, surface_power * limits_fraction,
                           0.5 * surface_power * limits_fraction);
    s->metal_stock -= storage_mass;
    s->storage_lunar_total += storage_mass;
    w->new_metal -= storage_mass; /* what growth may still spend of this step's metal */
    w->storage_energy_added = storage_energy;
}

static void lsim_chain_run_fabrication(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    lsim_fabrication_products made;
    lsim_fabrication_step_result result;
    memset(&made, 0, sizeof made);
    w->used[LSIM_STAGE_FABRICATION] = lsim_fabrication_advance(
        &c->fabrication, &c->clock, w->grant[LSIM_STAGE_FABRICATION], w->radiator_rejection_wanted,
        &s->products.silicon, &s->products.aluminium, s->products.slag_by_element, &made, &result);
    double surface_power = made.panel_power * w->surface_share;
    double surface_mass = made.panel_mass * w->surface_share;
    lsim_power_add_array_area(&c->power, surface_power, made.panel_area * w->surface_share);
    /* A polar array's lit share falls as it spreads: the policy's copy follows. */
    c->policy.mean_illumination = lsim_power_mean_illumination(&c->power);
    s->surface_panel_mass_total += surface_mass;
    s->launch_panel_mass += made.panel_mass - surface_mass;
    s->launch_panel_power += made.panel_power - surface_power;
    s->launch_radiator_mass += made.radiator_mass;
    /* The heat pipes' working fluid is made on Earth: it rides with the
     * radiators (its 1.6% of their mass is left out of the launched stream)
     * and counts where Earth's supply is counted. */
    s->earth_mass_total += result.radiator_area * lsim_fabrication_design_view(&c->fabrication)->radiator_earth_areal_mass;
    s->launch_radiator_rejection += result.radiator_rejection;
    w->surface_power_added = surface_power;
    double line_capacity = lsim_fabrication_line_count(&c->fabrication) *
                           lsim_fabrication_design_view(&c->fabrication)->panel_line_rate * w->dt;
    w->use[LSIM_STAGE_FABRICATION] =
        (lsim_stage_use){result.panel_area, line_capacity,
                         lsim_power_short(w->grant[LSIM_STAGE_FABRICATION], w->demand[LSIM_STAGE_FABRICATION])};
    lsim_chain_add_storage(c, w);
}

/* Takes `share` of a waiting stock (mass and the rating it carries). */
static double lsim_take_share(double *stock, double share)
{
    double taken = *stock * share;
    *stock -= taken;
    if (*stock < 0.0) *stock = 0.0;
    return taken;
}

static void lsim_chain_run_launch(lsim_chain *c, lsim_chain_step_work *w, lsim_orbit_launch *orbit_in)
{
    lsim_chain_state *s = &c->s;
    double payload_before = s->launch_panel_mass + s->launch_radiator_mass + s->launch_catcher_mass;
    double payload = payload_before;
    w->no_drivers = lsim_massdriver_driver_count(&c->massdriver) < 1.0;
    w->used[LSIM_STAGE_LAUNCH] =
        lsim_massdriver_step(&c->massdriver, &c->clock, w->grant[LSIM_STAGE_LAUNCH], &payload, &w->launch);
    /* Every waiting kind leaves in proportion to what waits, with the rating
     * it carries; the books count what each stock gave up. */
    double share = payload_before > 0.0 ? (payload_before - payload) / payload_before : 0.0;
    double panel_mass = lsim_take_share(&s->launch_panel_mass, share);
    double radiator_mass = lsim_take_share(&s->launch_radiator_mass, share);
    double catcher_mass = lsim_take_share(&s->launch_catcher_mass, share);
    *orbit_in = (lsim_orbit_launch){.panel_mass_launched = panel_mass,
                                    .panel_watts_launched = lsim_take_share(&s->launch_panel_power, share),
                                    .radiator_mass_launched = radiator_mass,
                                    .radiator_rejection_watts_launched = lsim_take_share(&s->launch_radiator_rejection, share),
                                    .catcher_mass_launched = catcher_mass};
    s->launched_total += panel_mass + radiator_mass + catcher_mass;
    double launch_capacity = lsim_massdriver_design_view(&c->massdriver)->max_launch_rate * w->launch.operable_drivers * w->dt;
    w->use[LSIM_STAGE_LAUNCH] = (lsim_stage_use){w->launch.launches, launch_capacity,
                                                 lsim_power_short(w->grant[LSIM_STAGE_LAUNCH], w->demand[LSIM_STAGE_LAUNCH])};
}

static void lsim_chain_run_orbit(lsim_chain *c, lsim_chain_step_work *w, const lsim_orbit_launch *orbit_in)
{
    lsim_chain_state *s = &c->s;
    lsim_orbit_step_launch(&c->orbit, &c->clock, 0.0, orbit_in, &w->orbit);
    s->caught_total += w->orbit.caught_mass;
    /* Earth mass counts when it is launched, needed or not. */
    s->earth_mass_total += w->orbit.earth_mass_supplied;
    /* Mass lost beyond what the aperture misses is mass the catchers had no room for. */
    double missed = w->orbit.arrived_mass * (1.0 - lsim_orbit_design_view(&c->orbit)->captured_share);
    w->catchers_overflowed = w->orbit.lost_mass > missed * (1.0 + 1e-9) + 1e-12;
}

/* Manufacturing works its queue with the power granted; finished units
 * join their stages at the end of the step (they work from the next). */
static lsim_status lsim_chain_run_manufacturing(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_chain_delivery delivery = {c, w};
    lsim_status st = lsim_manufacturing_step(&c->manufacturing, w->dt, w->grant[LSIM_STAGE_MANUFACTURING],
                                             lsim_chain_deliver_units, &delivery, &w->manufacturing);
    w->used[LSIM_STAGE_MANUFACTURING] = c->manufacturing.last_power;
    w->use[LSIM_STAGE_MANUFACTURING] =
        (lsim_stage_use){w->manufacturing.mass_made, w->manufacturing.capacity,
                         lsim_power_short(w->grant[LSIM_STAGE_MANUFACTURING], w->demand[LSIM_STAGE_MANUFACTURING])};
    return st;
}

lsim_status lsim_chain_run_stages(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_orbit_launch orbit_in;
    lsim_chain_run_mining(c, w);
    lsim_chain_run_refining(c, w);
    lsim_chain_run_fabrication(c, w);
    lsim_chain_run_launch(c, w, &orbit_in);
    lsim_chain_run_orbit(c, w, &orbit_in);
    return lsim_chain_run_manufacturing(c, w);
}

double lsim_chain_mass_residual(const lsim_chain *chain)
{
    const lsim_chain_state *s = &chain->s;
    const lsim_refinery_products *p = &s->products;
    double held = lsim_sum_elements(s->regolith_buffer) + p->silicon + p->aluminium + p->iron + p->titanium +
                  p->oxygen + lsim_sum_elements(p->slag_by_element) + s->metal_stock + s->equipment_lunar_total +
                  s->storage_lunar_total + s->surface_panel_mass_total + s->launch_panel_mass +
                  s->launch_radiator_mass + s->launch_catcher_mass + s->launched_total;
    double on_order_lunar, on_order_earth;
    lsim_manufacturing_committed(&chain->manufacturing, &on_order_lunar, &on_order_earth);
    return s->mined_total - held - on_order_lunar;
}

void lsim_chain_free(lsim_chain *chain)
{
    lsim_chain_wear_free(chain);
    if (chain->initialised_modules >= 7) lsim_manufacturing_free(&chain->manufacturing);
    if (chain->initialised_modules >= 6) lsim_orbit_free(&chain->orbit);
    if (chain->initialised_modules >= 5) lsim_massdriver_free(&chain->massdriver);
    if (chain->initialised_modules >= 4) lsim_fabrication_free(&chain->fabrication);
    if (chain->initialised_modules >= 3) lsim_refinery_free(&chain->refinery);
    if (chain->initialised_modules >= 2) lsim_regolith_free(&chain->regolith);
    if (chain->initialised_modules >= 1) lsim_power_free(&chain->power);
    free(chain->s.year_installed_power);
    free(chain->s.year_caught_mass);
    free(chain->series_ids);
    chain->s.year_installed_power = chain->s.year_caught_mass = NULL;
    chain->series_ids = NULL;
    chain->initialised_modules = 0;
}

lsim_status lsim_chain_state_visit(lsim_chain *chain, lsim_state *state)
{
    lsim_chain_state *s = &chain->s;
    lsim_status st = lsim_state_i64(state, "chain.clock_step", &chain->clock.step, 1);
    /* Every evolving scalar of the chain, by name; the policy is rebuilt from the deck. */
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
        {"chain.launch_catcher_mass", &s->launch_catcher_mass, 1},
        {"chain.mined_total", &s->mined_total, 1},
        {"chain.surface_panel_mass_total", &s->surface_panel_mass_total, 1},
        {"chain.launched_total", &s->launched_total, 1},
        {"chain.equipment_lunar_total", &s->equipment_lunar_total, 1},
        {"chain.storage_lunar_total", &s->storage_lunar_total, 1},
        {"chain.earth_mass_total", &s->earth_mass_total, 1},
        {"chain.units_built", s->units_built, LSIM_UNIT_KINDS},
        {"chain.energy_by_stage", s->energy_by_stage, LSIM_STAGE_COUNT},
        {"chain.energy_base_load", &s->energy_base_load, 1},
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
        {"chain.orbital_units_built", s->orbital_units_built, LSIM_ORBITAL_KINDS},
        {"chain.last_assembly_growth", &s->last_assembly_growth, 1},
        {"chain.last_catcher_growth", &s->last_catcher_growth, 1},
        {"chain.assembly_window_start", &s->assembly_window_start, 1},
        {"chain.assembly_limited_time", &s->assembly_limited_time, 1},
        {"chain.manufacturing_limited_time", &s->manufacturing_limited_time, 1},
        {"chain.catcher_metal_wanted", &s->catcher_metal_wanted, 1},
        {"chain.spares_lunar_total", &s->spares_lunar_total, 1},
        {"chain.spares_earth_total", &s->spares_earth_total, 1},
        {"chain.spares_owed_lunar", &s->spares_owed_lunar, 1},
        {"chain.spares_owed_earth", &s->spares_owed_earth, 1},
    };
    for (size_t i = 0; st == LSIM_OK && i < sizeof fields / sizeof fields[0]; ++i)
        st = lsim_state_f64(state, fields[i].name, fields[i].values, fields[i].count);
    if (st == LSIM_OK) st = lsim_state_f64(state, "chain.year_installed_power", s->year_installed_power, (size_t)s->year_slots);
    if (st == LSIM_OK) st = lsim_state_f64(state, "chain.year_caught_mass", s->year_caught_mass, (size_t)s->year_slots);
    int32_t codes[4] = {(int32_t)s->last_bottleneck, (int32_t)s->last_surface_bottleneck, (int32_t)s->growth_parts_limited,
                        (int32_t)s->manufacturing_short};
    if (st == LSIM_OK) st = lsim_state_i32(state, "chain.codes", codes, 4);
    s->last_bottleneck = (lsim_bottleneck)codes[0];
    s->last_surface_bottleneck = (lsim_bottleneck)codes[1];
    s->growth_parts_limited = codes[2];
    s->manufacturing_short = codes[3];
    if (st == LSIM_OK) st = lsim_manufacturing_state(&chain->manufacturing, state);
    if (st == LSIM_OK) st = lsim_chain_wear_state(chain, state);
    if (st == LSIM_OK) st = lsim_power_state(&chain->power, state);
    if (st == LSIM_OK) chain->policy.mean_illumination = lsim_power_mean_illumination(&chain->power);
    if (st == LSIM_OK) st = lsim_regolith_state(&chain->regolith, state);
    if (st == LSIM_OK) st = lsim_refinery_state(&chain->refinery, state);
    if (st == LSIM_OK) st = lsim_fabrication_state(&chain->fabrication, state);
    if (st == LSIM_OK) st = lsim_massdriver_state(&chain->massdriver, state);
    if (st == LSIM_OK) st = lsim_orbit_state(&chain->orbit, state);
    return st;
}
