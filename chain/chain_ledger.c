/* The chain's ledgers and what it reports: energy and mass accounts, the
 * trailing-year metrics and milestones, the chain's own series, and the run
 * summary. Nothing here changes a stock or a module. */
#include "chain_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

enum {
    ID_BUFFER, ID_SILICON, ID_ALUMINIUM, ID_METAL, ID_OXYGEN, ID_SLAG, ID_EARTH_PARTS, ID_PANELS_WAITING,
    ID_RADIATORS_WAITING, ID_CATCHERS_WAITING, ID_SURFACE_PANEL_RATE, ID_BOTTLENECK, ID_YEAR_POWER, ID_YEAR_MASS,
    ID_EARTH_TOTAL, ID_MINED_TOTAL, ID_DEMAND_SHARE, ID_DRIVER_FUND, ID_SURFACE_BOTTLENECK, ID_STORAGE_ADDED,
    ID_EQUIPMENT, ID_FACTORIES, ID_MANUFACTURING_QUEUE, ID_WEAR_FAILURES, ID_SPARES_OWED, ID_EARTH_SHARE,
    ID_IN_SERVICE_FIRST, ID_UNIT_RATE_FIRST = ID_IN_SERVICE_FIRST + LSIM_WEAR_KINDS,
    ID_BOTTLENECK_FIRST = ID_UNIT_RATE_FIRST + LSIM_UNIT_KINDS,
    ID_COUNT = ID_BOTTLENECK_FIRST + LSIM_BOTTLENECK_COUNT
};

lsim_status lsim_chain_register_series(lsim_chain *chain)
{
    lsim_series_registry *r = chain->series;
    const char *g = "chain";
    int *id = chain->series_ids = calloc(ID_COUNT, sizeof *chain->series_ids);
    if (id == NULL) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    id[ID_BUFFER] = lsim_series_add(r, g, "regolith_buffer", "kg", "mined regolith waiting for the refinery", LSIM_SERIES_STOCK);
    id[ID_SILICON] = lsim_series_add(r, g, "silicon_stock", "kg", "refined silicon waiting for fabrication", LSIM_SERIES_STOCK);
    id[ID_ALUMINIUM] = lsim_series_add(r, g, "aluminium_stock", "kg", "aluminium waiting for fabrication", LSIM_SERIES_STOCK);
    id[ID_METAL] = lsim_series_add(r, g, "growth_metal_stock", "kg", "lunar structural metal waiting to become equipment", LSIM_SERIES_STOCK);
    id[ID_OXYGEN] = lsim_series_add(r, g, "oxygen_stock", "kg", "oxygen produced and stored", LSIM_SERIES_STOCK);
    id[ID_SLAG] = lsim_series_add(r, g, "slag_stock", "kg", "slag (glass feedstock) waiting", LSIM_SERIES_STOCK);
    id[ID_EARTH_PARTS] = lsim_series_add(r, g, "earth_parts_stock", "kg", "Earth-made parts for growth on the surface", LSIM_SERIES_STOCK);
    id[ID_PANELS_WAITING] = lsim_series_add(r, g, "panels_waiting_launch", "kg", "panels waiting for the mass driver", LSIM_SERIES_STOCK);
    id[ID_RADIATORS_WAITING] = lsim_series_add(r, g, "radiators_waiting_launch", "kg", "radiators waiting for the mass driver", LSIM_SERIES_STOCK);
    id[ID_CATCHERS_WAITING] = lsim_series_add(r, g, "catchers_waiting_launch", "kg", "lunar-made catcher hardware waiting for the mass driver", LSIM_SERIES_STOCK);
    id[ID_SURFACE_PANEL_RATE] = lsim_series_add(r, g, "surface_array_growth_rate", "W s-1", "lunar panel rating added to the surface bus", LSIM_SERIES_FLOW);
    id[ID_BOTTLENECK] = lsim_series_add_code(r, g, "bottleneck", "what limits delivery to orbit at the end of the interval", lsim_bottleneck_name, LSIM_BOTTLENECK_COUNT);
    id[ID_YEAR_POWER] = lsim_series_add(r, g, "orbital_power_installed_last_year", "W", "orbital power assembled over the trailing year", LSIM_SERIES_STOCK);
    id[ID_YEAR_MASS] = lsim_series_add(r, g, "mass_delivered_last_year", "kg", "mass caught in orbit over the trailing year", LSIM_SERIES_STOCK);
    id[ID_EARTH_TOTAL] = lsim_series_add(r, g, "earth_mass_total", "kg", "all mass supplied from Earth so far (seed, resupply, orbital hardware and parts, reagents)", LSIM_SERIES_STOCK);
    id[ID_MINED_TOTAL] = lsim_series_add(r, g, "mined_total", "kg", "regolith mined so far", LSIM_SERIES_STOCK);
    id[ID_DRIVER_FUND] = lsim_series_add(r, g, "driver_fund", "kg", "growth metal saved for the next mass driver", LSIM_SERIES_STOCK);
    id[ID_SURFACE_BOTTLENECK] = lsim_series_add_code(r, g, "surface_bottleneck", "what limits the surface industry itself (launch and orbit aside)", lsim_bottleneck_name, LSIM_BOTTLENECK_COUNT);
    id[ID_DEMAND_SHARE] = lsim_series_add(r, g, "power_served_fraction", "1", "power delivered over power demanded", LSIM_SERIES_FLOW);
    id[ID_STORAGE_ADDED] = lsim_series_add(r, g, "storage_growth_rate", "W", "surface storage capacity added (J per s)", LSIM_SERIES_FLOW);
    id[ID_EQUIPMENT] = lsim_series_add(r, g, "equipment_lunar_mass", "kg", "lunar-made mass built into equipment and storage", LSIM_SERIES_STOCK);
    id[ID_FACTORIES] = lsim_series_add(r, g, "factories", "1", "manufacturing units in service", LSIM_SERIES_STOCK);
    id[ID_MANUFACTURING_QUEUE] = lsim_series_add(r, g, "manufacturing_queue", "kg", "hardware ordered and not yet finished", LSIM_SERIES_STOCK);
    id[ID_WEAR_FAILURES] = lsim_series_add(r, g, "unit_failure_rate", "s-1", "units of every kind the chain wears that failed (in service or in burn-in), per second", LSIM_SERIES_FLOW);
    id[ID_SPARES_OWED] = lsim_series_add(r, g, "spares_owed", "kg", "spares repairs under way still wait for (lunar and Earth-made)", LSIM_SERIES_STOCK);
    id[ID_EARTH_SHARE] = lsim_series_add(r, g, "earth_share_factor", "1", "Earth-made share of every new unit relative to its design value", LSIM_SERIES_STOCK);
    for (int k = 0; k < LSIM_WEAR_KINDS; ++k) {
        char name[64], long_name[160];
        snprintf(name, sizeof name, "%s_in_burn_in_or_repair", lsim_wear_name[k]);
        snprintf(long_name, sizeof long_name, "%s built but not working: in ground burn-in or out for repair", lsim_wear_name[k]);
        id[ID_IN_SERVICE_FIRST + k] = lsim_series_add(r, g, name, "1", long_name, LSIM_SERIES_STOCK);
    }
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
    lsim_series_group_attr(r, g, "seed_mass", chain->s.seed_mass, "kg");
    return LSIM_OK;
}

static void lsim_chain_energy_ledger(lsim_chain *c, const lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    lsim_power_status_view view;
    lsim_power_status(&c->power, &view);
    const lsim_power_status_view *bus = &view;
    s->energy_generated += bus->generated * w->dt;
    s->energy_delivered += bus->delivered * w->dt;
    s->energy_curtailed += bus->curtailed * w->dt;
    s->energy_unmet += bus->unmet * w->dt;
    s->energy_losses += bus->losses * w->dt;
    for (int i = 0; i < LSIM_STAGE_COUNT; ++i) s->energy_by_stage[i] += w->used[i] * w->dt;
    s->energy_base_load += w->grant_base * w->dt;
    if (bus->storage_capacity > 0.0) {
        double soc = bus->stored_energy / bus->storage_capacity;
        if (soc < s->min_state_of_charge) s->min_state_of_charge = soc;
    }
}

/* Trailing-year sums over a ring of one slot per step, and the milestones
 * (1 GW, 100 GW, 1 TW installed within a trailing year). */
static void lsim_chain_year_metrics(lsim_chain *c, const lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    int64_t slot = c->clock.step % s->year_slots;
    s->year_installed_sum += w->orbit.assembled_power - s->year_installed_power[slot];
    s->year_caught_sum += w->orbit.caught_mass - s->year_caught_mass[slot];
    s->year_installed_power[slot] = w->orbit.assembled_power;
    s->year_caught_mass[slot] = w->orbit.caught_mass;
    if (s->year_installed_sum < 0.0) s->year_installed_sum = 0.0;
    if (s->year_caught_sum < 0.0) s->year_caught_sum = 0.0;
    if (s->year_installed_sum > s->peak_year_installed) s->peak_year_installed = s->year_installed_sum;
    if (s->year_caught_sum > s->peak_year_caught) s->peak_year_caught = s->year_caught_sum;
    static const double thresholds[3] = {1e9, 1e11, 1e12};
    for (int i = 0; i < 3; ++i)
        if (isnan(s->milestone_time[i]) && s->year_installed_sum >= thresholds[i]) s->milestone_time[i] = w->t_end;
}

static void lsim_chain_put_series(lsim_chain *c, const lsim_chain_step_work *w)
{
    const lsim_chain_state *s = &c->s;
    const int *id = c->series_ids;
    lsim_series_registry *r = c->series;
    if (r == NULL) return;
    lsim_series_put(r, id[ID_BUFFER], lsim_sum_elements(s->regolith_buffer));
    lsim_series_put(r, id[ID_SILICON], s->products.silicon);
    lsim_series_put(r, id[ID_ALUMINIUM], s->products.aluminium);
    lsim_series_put(r, id[ID_METAL], s->metal_stock);
    lsim_series_put(r, id[ID_OXYGEN], s->products.oxygen);
    lsim_series_put(r, id[ID_SLAG], lsim_sum_elements(s->products.slag_by_element));
    lsim_series_put(r, id[ID_EARTH_PARTS], s->earth_parts_stock);
    lsim_series_put(r, id[ID_PANELS_WAITING], s->launch_panel_mass);
    lsim_series_put(r, id[ID_RADIATORS_WAITING], s->launch_radiator_mass);
    lsim_series_put(r, id[ID_CATCHERS_WAITING], s->launch_catcher_mass);
    lsim_series_put(r, id[ID_SURFACE_PANEL_RATE], w->surface_power_added / w->dt);
    lsim_series_put(r, id[ID_BOTTLENECK], (double)w->bottleneck);
    lsim_series_put(r, id[ID_SURFACE_BOTTLENECK], (double)w->surface_bottleneck);
    lsim_series_put(r, id[ID_DRIVER_FUND], s->driver_fund);
    lsim_series_put(r, id[ID_YEAR_POWER], s->year_installed_sum);
    lsim_series_put(r, id[ID_YEAR_MASS], s->year_caught_sum);
    lsim_series_put(r, id[ID_EARTH_TOTAL], s->earth_mass_total);
    lsim_series_put(r, id[ID_MINED_TOTAL], s->mined_total);
    lsim_series_put(r, id[ID_DEMAND_SHARE], w->total_demand > 0.0 ? w->delivered / w->total_demand : 1.0);
    lsim_series_put(r, id[ID_STORAGE_ADDED], w->storage_energy_added / w->dt);
    lsim_series_put(r, id[ID_EQUIPMENT], s->equipment_lunar_total + s->storage_lunar_total);
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) lsim_series_put(r, id[ID_UNIT_RATE_FIRST + k], w->built[k] / w->dt);
    lsim_series_put(r, id[ID_FACTORIES], c->manufacturing.units);
    lsim_series_put(r, id[ID_MANUFACTURING_QUEUE], c->manufacturing.queued_mass);
    lsim_series_put(r, id[ID_WEAR_FAILURES], w->wear_failures / w->dt);
    lsim_series_put(r, id[ID_SPARES_OWED], s->spares_owed_lunar + s->spares_owed_earth);
    lsim_series_put(r, id[ID_EARTH_SHARE], lsim_chain_earth_share_factor(c));
    for (int k = 0; k < LSIM_WEAR_KINDS; ++k)
        lsim_series_put(r, id[ID_IN_SERVICE_FIRST + k], c->wear[k].total_burn_in + c->wear[k].total_in_repair);
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b)
        lsim_series_put(r, id[ID_BOTTLENECK_FIRST + b], b == (int)w->bottleneck ? 1.0 : 0.0);
}

void lsim_chain_account(lsim_chain *c, const lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    s->last_bottleneck = w->bottleneck;
    s->last_surface_bottleneck = w->surface_bottleneck;
    s->bottleneck_time[w->bottleneck] += w->dt;
    lsim_chain_energy_ledger(c, w);
    lsim_chain_year_metrics(c, w);
    lsim_chain_put_series(c, w);
}

/* Earth's part in orbital growth: mass per watt, growth per Earth kilogram,
 * and which Earth supply bound assembly (launch or chip production) and when. */
static void lsim_chain_summarise_earth_supply(lsim_series_registry *r, const lsim_chain_state *s,
                                              const lsim_orbit_status_view *orbit, double seconds)
{
    lsim_summary_set(r, "earth_mass_per_installed_watt",
                     orbit->installed_power > 0.0 ? s->earth_mass_total / orbit->installed_power : NAN, "kg W-1",
                     "all mass from Earth over the orbital power installed at the end (NaN: none installed)");
    lsim_summary_set(r, "installed_watts_per_earth_kg",
                     s->earth_mass_total > 0.0 ? orbit->installed_power / s->earth_mass_total : NAN, "W kg-1",
                     "orbital power installed at the end per kg supplied from Earth");
    lsim_summary_set(r, "orbital_mass_per_earth_kg", s->earth_mass_total > 0.0 ? s->caught_total / s->earth_mass_total : NAN,
                     "1", "lunar mass caught in orbit per kg supplied from Earth");
    lsim_summary_set(r, "earth_supply_share_launch",
                     seconds > 0.0 ? orbit->earth_limit_time[LSIM_ORBIT_EARTH_BOUND_LAUNCH] / seconds : 0.0, "1",
                     "share of time assembly waited for Earth parts that the launch cadence or ceiling held back");
    lsim_summary_set(r, "earth_supply_share_chips",
                     seconds > 0.0 ? orbit->earth_limit_time[LSIM_ORBIT_EARTH_BOUND_CHIPS] / seconds : 0.0, "1",
                     "share of time assembly waited for Earth parts that Earth's chip production held back");
    lsim_summary_set(r, "time_earth_launch_first_bound", orbit->earth_limit_first[LSIM_ORBIT_EARTH_BOUND_LAUNCH], "s",
                     "first time Earth launch held orbital assembly back (NaN: never)");
    lsim_summary_set(r, "time_chip_production_first_bound", orbit->earth_limit_first[LSIM_ORBIT_EARTH_BOUND_CHIPS], "s",
                     "first time Earth's chip production held orbital assembly back (NaN: never)");
    lsim_summary_set(r, "chips_produced", orbit->chips_produced, "W",
                     "compute hardware Earth made for this programme (its share of production)");
    lsim_summary_set(r, "chip_stock_unflown", orbit->chip_stock, "W", "burnt-in compute hardware left on Earth at the end");
    lsim_summary_set(r, "compute_modules_in_service", orbit->modules_in_service, "1", "compute modules working in orbit at the end");
    lsim_summary_set(r, "compute_module_failures", orbit->module_failures, "1", "compute modules failed in orbit");
    lsim_summary_set(r, "compute_modules_vacant", orbit->modules_vacant, "1",
                     "failed compute modules still waiting for a spare at the end");
    lsim_summary_set(r, "compute_modules_scrapped_in_burn_in", orbit->modules_scrapped_burn_in, "1",
                     "compute modules that failed burn-in on Earth and were made again");
}

void lsim_chain_summarise(lsim_chain *chain)
{
    lsim_series_registry *r = chain->series;
    lsim_chain_state *s = &chain->s;
    const lsim_orbit_design *o = lsim_orbit_design_view(&chain->orbit);
    lsim_orbit_status_view orbit;
    lsim_orbit_status(&chain->orbit, &orbit);
    double seconds = lsim_clock_time(&chain->clock);
    double stage_energy = 0.0;
    for (int k = 0; k < LSIM_STAGE_COUNT; ++k) stage_energy += s->energy_by_stage[k];

    lsim_summary_set(r, "simulated_time", seconds, "s", "simulated time span");
    lsim_summary_set(r, "seed_mass", s->seed_mass, "kg",
                     "mass from Earth in place at the start (surface seed and the first orbital catchers and robots)");
    lsim_summary_set(r, "installed_orbital_power", orbit.installed_power, "W", "orbital power installed at the end");
    lsim_summary_set(r, "orbital_compute_power", orbit.compute_power, "W",
                     "power feeding working compute in orbit at the end (panels' share or working modules, the lesser)");
    lsim_summary_set(r, "orbital_compute", orbit.compute_power * o->flops_per_watt, "s-1",
                     "compute in orbit at the end, FLOP per second");
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
                     "J kg-1", "surface energy of mining, refining, fabrication, launch and manufacturing per kg caught in orbit");
    for (int k = 0; k < LSIM_STAGE_COUNT; ++k) {
        char name[64], long_name[128];
        snprintf(name, sizeof name, "energy_per_kg_delivered_%s", lsim_stage_name[k]);
        snprintf(long_name, sizeof long_name, "surface energy of %s per kg caught in orbit", lsim_stage_name[k]);
        lsim_summary_set(r, name, s->caught_total > 0.0 ? s->energy_by_stage[k] / s->caught_total : NAN, "J kg-1",
                         long_name);
    }
    lsim_summary_set_code(r, "final_bottleneck", (double)s->last_bottleneck, "what limited delivery in the last step",
                          lsim_bottleneck_name, LSIM_BOTTLENECK_COUNT);
    lsim_power_status_view bus;
    lsim_power_status(&chain->power, &bus);
    lsim_summary_set(r, "surface_array_power", bus.array_rated_power, "W",
                     "surface array rating at the end (degraded)");
    lsim_summary_set(r, "surface_storage", bus.storage_capacity, "J", "surface storage at the end");
    lsim_summary_set(r, "earth_mass_total", s->earth_mass_total, "kg",
                     "all mass from Earth: seed, resupply, orbital hardware and parts, reagents");
    /* The Earth-only path carries the same chips as the lunar one: only the
     * power system (panels, radiators, structure) is what the Moon replaces. */
    double chips = orbit.assembled_total * o->chip_mass_per_watt;
    double earth_only_mass = orbit.assembled_total * o->earth_specific_mass + chips;
    lsim_summary_set(r, "earth_only_mass", earth_only_mass, "kg",
                     "mass Earth would launch to install the same orbital power and chips alone");
    lsim_summary_set(r, "earth_only_launches", earth_only_mass / o->earth_payload_per_launch, "1",
                     "Earth launches for the same orbital power and chips (at orbit.earth_payload_per_launch)");
    lsim_summary_set(r, "earth_mass_leverage", s->earth_mass_total > 0.0 ? earth_only_mass / s->earth_mass_total : NAN,
                     "1", "Earth-only mass over the mass this chain took from Earth");
    /* Growth measured on what Earth supplied, not on the seed alone: lunar
     * equipment that makes things (storage excluded) per kg from Earth. */
    lsim_summary_set(r, "lunar_equipment_per_earth_mass",
                     s->earth_mass_total > 0.0 ? s->equipment_lunar_total / s->earth_mass_total : NAN, "1",
                     "lunar-made equipment (storage excluded) per kg supplied from Earth so far");
    lsim_summary_set(r, "growth_on_earth_mass",
                     s->earth_mass_total > 0.0 ? (s->earth_mass_total + s->equipment_lunar_total) / s->earth_mass_total
                                               : NAN,
                     "1", "all hardware mass in place (Earth-supplied plus lunar equipment, storage excluded) over Earth-supplied mass");
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b) {
        char name[64], long_name[128];
        snprintf(name, sizeof name, "bottleneck_share_%s", lsim_bottleneck_name[b]);
        snprintf(long_name, sizeof long_name, "share of time %s limited delivery to orbit", lsim_bottleneck_name[b]);
        lsim_summary_set(r, name, seconds > 0.0 ? s->bottleneck_time[b] / seconds : 0.0, "1", long_name);
    }
    lsim_summary_set(r, "growth_limited_by_earth_parts_share", seconds > 0.0 ? s->growth_parts_limited_time / seconds : 0.0,
                     "1", "share of time lunar metal waited for Earth-made parts to become equipment");
    lsim_summary_set(r, "growth_metal_unused", s->metal_stock, "kg", "lunar growth metal left unbuilt at the end");
    lsim_summary_set(r, "growth_limited_by_manufacturing_share", seconds > 0.0 ? s->manufacturing_limited_time / seconds : 0.0,
                     "1", "share of time an order waited for room in the manufacturing queue");
    /* Wear, from the fleets' own books (excavators: see /regolith). */
    double failed = 0.0, retired = 0.0, scrapped = 0.0;
    for (int k = 0; k < LSIM_WEAR_KINDS; ++k) {
        failed += chain->wear[k].failed_service_total;
        retired += chain->wear[k].retired_total;
        scrapped += chain->wear[k].failed_burn_in_total;
    }
    lsim_summary_set(r, "units_failed_in_service", failed, "1",
                     "plants, lines, drivers, factories, catchers and assembly robots that failed in service");
    lsim_summary_set(r, "units_retired", retired, "1", "of those kinds, retired (failed without repair, or at their design life)");
    lsim_summary_set(r, "units_scrapped_in_burn_in", scrapped, "1", "of those kinds, failed in ground burn-in and scrapped");
    lsim_summary_set(r, "spares_used", s->spares_lunar_total + s->spares_earth_total, "kg",
                     "spares paid for repairs (lunar metal and Earth parts)");
    lsim_summary_set(r, "assembly_units_added", s->orbital_units_built[LSIM_ORBITAL_ASSEMBLY], "1",
                     "orbital assembly units launched from Earth during the run");
    lsim_summary_set(r, "catchers_added", s->orbital_units_built[LSIM_ORBITAL_CATCHER], "1",
                     "catchers built during the run (lunar metal launched by the mass driver, Earth parts flown up)");
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
                         (bus.stored_energy - s->energy_stored_initial),
                     "J", "generated - delivered - curtailed - losses - change in storage (round-off only)");
    lsim_summary_set(r, "mass_balance_residual", lsim_chain_mass_residual(chain), "kg",
                     "mined - everything it became (round-off only)");
    lsim_chain_summarise_earth_supply(r, s, &orbit, seconds);
}
