#include "units.h"
#include "datapath.h"
#include "power_bus.h"

#include <math.h>
#include <string.h>

#define LSIM_SYNODIC_MONTH (29.530589 * 86400.0)
#define LSIM_PI 3.14159265358979323846

const lsim_param_def lsim_power_param_defs[] = {
    {"power", "site", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0, "polar|equatorial", "polar",
     "illumination regime of the surface array",
     "docs/REFERENCES.md [Bussey2010]: best polar point lit 86% of the year (polar); "
     "docs/REFERENCES.md [MoonFactSheet]: synodic day 29.53 d (equatorial)"},
    {"power", "synodic_period", LSIM_PARAM_REAL, "s", "d", LSIM_SYNODIC_MONTH, 86400.0, 60.0 * 86400.0, NULL, NULL,
     "length of the lunar solar day", "docs/REFERENCES.md [MoonFactSheet]: synodic period 29.53 d"},
    {"power", "phase_offset", LSIM_PARAM_REAL, "1", NULL, 0.0, 0.0, 1.0, NULL, NULL,
     "phase of the solar day at t = 0 (0: start of the lit spell at a pole, local noon at the equator)",
     "design choice: the start of a lit spell, so the seed charges before the first dark one"},
    {"power", "lit_fraction", LSIM_PARAM_REAL, "1", NULL, 0.86, 0.0, 1.0, NULL, NULL,
     "polar site with power.illumination_curve = none: fraction of time the array is lit, at any array size "
     "(with a curve the curve decides and this is not used)",
     "docs/REFERENCES.md [Bussey2010]: best polar point lit 86% of the year"},
    {"power", "illumination_curve", LSIM_PARAM_TEXT, NULL, NULL, 0, 0, 0, NULL, "sites/polar_illumination.csv",
     "polar site: CSV of cumulative ground area against mean illumination (ground_area_m2,illumination,basis), "
     "best-lit ground first; the array's lit share is the curve's mean over the ground it covers; none: the "
     "fixed power.lit_fraction. Relative paths are looked up as regolith.site_table's",
     "docs/REFERENCES.md [Glaser2014]: best point lit 95.65% 10 m above ground; docs/REFERENCES.md [Ross2021]: "
     "~6 MW from ground lit >90% and ~55 MW from ground lit >70% with towers up to 20 m"},
    {"power", "array_ground_cover", LSIM_PARAM_REAL, "1", NULL, 1.0, 0.1, 100.0, NULL, NULL,
     "polar site with a curve: curve ground area the array takes per m2 of panel (spacing so panels do not shade "
     "each other)",
     "design choice: 1 because the curve's areas are array areas at the tower spacing of docs/REFERENCES.md "
     "[Ross2021]; it also stands for the curve's area uncertainty (2 halves every area); worth sweeping"},
    {"power", "outages_per_period", LSIM_PARAM_INT, "1", NULL, 1.0, 1.0, 30.0, NULL, NULL,
     "polar site: dark spells per synodic period (the dark time is split evenly among them)",
     "design choice: one spell per lunation is the worst case for storage"},
    {"power", "equatorial_mount", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0, "tracking|fixed", "tracking",
     "equatorial site: single-axis sun tracking or fixed horizontal array",
     "design choice: tracking gives normal incidence whenever the sun is up"},
    {"power", "solar_constant", LSIM_PARAM_REAL, "W m-2", NULL, 1360.8, 1300.0, 1420.0, NULL, NULL,
     "solar irradiance at 1 AU", "docs/REFERENCES.md [Kopp2011]: 1360.8 W/m2 at 1 AU"},
    {"power", "array_area", LSIM_PARAM_REAL, "m2", NULL, 2500.0, 0.0, 1e12, NULL, NULL,
     "area of the Earth-supplied seed array",
     "design choice: ~1 MW seed, ~7-17 t between the 150 W/kg of docs/REFERENCES.md [UltraFlex] and the ~59 W/kg "
     "of an ISS roll-out array (docs/REFERENCES.md [NASAiROSA])"},
    {"power", "array_efficiency", LSIM_PARAM_REAL, "1", NULL, 0.298, 0.01, 0.5, NULL, NULL,
     "conversion efficiency of the seed array at AM0",
     "docs/REFERENCES.md [Fetzer2008]: triple-junction space cells average 29.8% at AM0"},
    {"power", "degradation_per_year", LSIM_PARAM_REAL, "1", NULL, 0.01, 0.0, 0.5, NULL, NULL,
     "fraction of array power lost per year (exponential)",
     "design choice: ~11% loss at 5e14 1-MeV e/cm2 (docs/REFERENCES.md [Fetzer2008]) spread over a decade of "
     "surface exposure"},
    {"power", "storage_capacity", LSIM_PARAM_REAL, "J", "MWh", 20.0 * 3.6e9, 0.0, 1e20, NULL, NULL,
     "usable energy storage capacity",
     "design choice: regenerative fuel cells; reactants and tanks are 64% of their mass "
     "(docs/REFERENCES.md [Nelson1996])"},
    {"power", "initial_charge", LSIM_PARAM_REAL, "1", NULL, 1.0, 0.0, 1.0, NULL, NULL,
     "state of charge at t = 0", "design choice: landed charged"},
    {"power", "charge_limit", LSIM_PARAM_REAL, "W", "kW", 1e6, 0.0, 1e18, NULL, NULL,
     "maximum power into storage", "design choice: electrolyser sized to the seed array"},
    {"power", "discharge_limit", LSIM_PARAM_REAL, "W", "kW", 5e5, 0.0, 1e18, NULL, NULL,
     "maximum power out of storage", "design choice: fuel-cell stack sized to half the seed array"},
    {"power", "round_trip_efficiency", LSIM_PARAM_REAL, "1", NULL, 0.5, 0.05, 1.0, NULL, NULL,
     "energy out per energy in over a charge-discharge cycle",
     "design choice: regenerative H2/O2 fuel cells are ~0.5 round trip"},
    {"power", "base_load", LSIM_PARAM_REAL, "W", "kW", 5e4, 0.0, 1e18, NULL, NULL,
     "load always demanded (habitat, communications, thermal control), served first",
     "design choice: ~50 kW for a small crewed or tele-operated outpost"},
};
const size_t lsim_power_param_count = sizeof lsim_power_param_defs / sizeof lsim_power_param_defs[0];

/* The array takes the best-lit ground first, so its mean lit share is the
 * curve's mean over the ground it covers (illumination_curve.h).
 *
 * The time pattern keeps the polar square wave and sets its lit share to
 * that mean: the dark spell lengthens as the array spreads. A spread array
 * is really a mix of sites whose dark spells only partly overlap (two points
 * 10 km apart are together lit 94% where each is lit ~86%, docs/REFERENCES.md
 * [Bussey2010]), so the truth lies between a longer common dark spell and a
 * dimmer output with the best site's dark spell. The longer dark spell is
 * the harder case for storage (the same worst-case choice as
 * power.outages_per_period) and keeps the step means exact closed forms.
 * The mean over a synodic period, the energy the array gives, is the same
 * either way. */
static void lsim_power_follow_curve(lsim_power_bus *bus)
{
    if (bus->has_curve)
        bus->light.lit_fraction = lsim_illumination_curve_mean(&bus->curve, bus->array_area * bus->ground_cover);
}

lsim_status lsim_power_init(lsim_power_bus *bus, const lsim_params *params, lsim_series_registry *series)
{
    memset(bus, 0, sizeof *bus);
    bus->series = series;
    const char *site = lsim_param_text(params, "power", "site");
    bus->light.site = strcmp(site, "polar") == 0 ? LSIM_SITE_POLAR : LSIM_SITE_EQUATORIAL;
    bus->light.synodic_period = lsim_param_real(params, "power", "synodic_period");
    bus->light.phase_offset = lsim_param_real(params, "power", "phase_offset");
    bus->light.lit_fraction = lsim_param_real(params, "power", "lit_fraction");
    bus->light.outages_per_period = lsim_param_int(params, "power", "outages_per_period");
    bus->light.tracking = strcmp(lsim_param_text(params, "power", "equatorial_mount"), "tracking") == 0;
    bus->solar_constant = lsim_param_real(params, "power", "solar_constant");
    bus->array_area = lsim_param_real(params, "power", "array_area");
    bus->seed_areal_power = lsim_param_real(params, "power", "array_efficiency") * bus->solar_constant;
    bus->array_rated_power = bus->array_area * bus->seed_areal_power;
    bus->ground_cover = lsim_param_real(params, "power", "array_ground_cover");
    const char *curve_path = lsim_param_text(params, "power", "illumination_curve");
    bus->has_curve = bus->light.site == LSIM_SITE_POLAR && strcmp(curve_path, "none") != 0;
    if (bus->has_curve) {
        char resolved[1024];
        lsim_status st = lsim_data_path(curve_path, lsim_param_where(params, "power", "illumination_curve"), resolved,
                                        sizeof resolved);
        if (st == LSIM_OK) st = lsim_illumination_curve_read(resolved, &bus->curve);
        if (st != LSIM_OK) return st;
    }
    lsim_power_follow_curve(bus);
    double loss_per_year = lsim_param_real(params, "power", "degradation_per_year");
    if (loss_per_year >= 1.0)
        return lsim_fail(LSIM_ERR_INPUT, "power.degradation_per_year: %g must be below 1", loss_per_year);
    bus->degradation_rate = -log1p(-loss_per_year) / LSIM_JULIAN_YEAR;
    bus->storage_capacity = lsim_param_real(params, "power", "storage_capacity");
    bus->stored_energy = bus->storage_capacity * lsim_param_real(params, "power", "initial_charge");
    bus->charge_limit = lsim_param_real(params, "power", "charge_limit");
    bus->discharge_limit = lsim_param_real(params, "power", "discharge_limit");
    double round_trip = lsim_param_real(params, "power", "round_trip_efficiency");
    bus->charge_efficiency = sqrt(round_trip);
    bus->discharge_efficiency = sqrt(round_trip);
    bus->base_load = lsim_param_real(params, "power", "base_load");

    const char *g = "power";
    bus->id_generated = lsim_series_add(series, g, "generated", "W", "solar array output", LSIM_SERIES_FLOW);
    bus->id_demand = lsim_series_add(series, g, "demand", "W", "power demanded by all loads", LSIM_SERIES_FLOW);
    bus->id_delivered = lsim_series_add(series, g, "delivered", "W", "power delivered to loads", LSIM_SERIES_FLOW);
    bus->id_stored = lsim_series_add(series, g, "stored_energy", "J", "energy in storage", LSIM_SERIES_STOCK);
    bus->id_soc = lsim_series_add(series, g, "state_of_charge", "1", "stored energy over capacity", LSIM_SERIES_STOCK);
    bus->id_charged = lsim_series_add(series, g, "charge", "W", "power drawn into storage", LSIM_SERIES_FLOW);
    bus->id_discharged = lsim_series_add(series, g, "discharge", "W", "power delivered from storage", LSIM_SERIES_FLOW);
    bus->id_curtailed = lsim_series_add(series, g, "curtailed", "W", "array output neither used nor stored", LSIM_SERIES_FLOW);
    bus->id_unmet = lsim_series_add(series, g, "unmet_demand", "W", "demand not served", LSIM_SERIES_FLOW);
    bus->id_losses = lsim_series_add(series, g, "storage_losses", "W", "charge and discharge conversion losses", LSIM_SERIES_FLOW);
    bus->id_illumination = lsim_series_add(series, g, "illumination", "1", "mean illumination factor of the array", LSIM_SERIES_FLOW);
    bus->id_rated = lsim_series_add(series, g, "array_rated_power", "W", "array rating at normal incidence, degraded", LSIM_SERIES_STOCK);
    bus->id_capacity = lsim_series_add(series, g, "storage_capacity", "J", "usable storage capacity", LSIM_SERIES_STOCK);
    bus->id_ground_area = lsim_series_add(series, g, "array_ground_area", "m2",
                                          "ground the array takes (panel area times power.array_ground_cover)",
                                          LSIM_SERIES_STOCK);
    bus->id_mean_illumination = lsim_series_add(series, g, "array_mean_illumination", "1",
                                                "array output over rating averaged over a synodic period",
                                                LSIM_SERIES_STOCK);
    return LSIM_OK;
}

/* Lit time accumulated from phase 0 to x (in units of dark+lit sub-periods). */
static double lsim_polar_lit_cumulative(double x, double lit_fraction)
{
    double whole = floor(x);
    double part = x - whole;
    return whole * lit_fraction + fmin(part, lit_fraction);
}

/* Integral of max(0, cos u) du from 0 to theta. */
static double lsim_cos_positive_cumulative(double theta)
{
    double cycles = floor(theta / (2.0 * LSIM_PI));
    double r = theta - cycles * 2.0 * LSIM_PI;
    double partial;
    if (r < 0.5 * LSIM_PI) partial = sin(r);
    else if (r < 1.5 * LSIM_PI) partial = 1.0;
    else partial = 2.0 + sin(r);
    return cycles * 2.0 + partial;
}

/* Measure of {u in [0, theta] : cos u > 0}. */
static double lsim_sun_up_cumulative(double theta)
{
    double cycles = floor(theta / (2.0 * LSIM_PI));
    double r = theta - cycles * 2.0 * LSIM_PI;
    return cycles * LSIM_PI + fmin(r, 0.5 * LSIM_PI) + fmax(0.0, r - 1.5 * LSIM_PI);
}

double lsim_illumination_mean(const lsim_illumination *light, double t0, double t1)
{
    if (!(t1 > t0)) return 0.0;
    double x0 = t0 / light->synodic_period + light->phase_offset;
    double x1 = t1 / light->synodic_period + light->phase_offset;
    if (light->site == LSIM_SITE_POLAR) {
        double n = (double)light->outages_per_period;
        return (lsim_polar_lit_cumulative(n * x1, light->lit_fraction) -
                lsim_polar_lit_cumulative(n * x0, light->lit_fraction)) / (n * (x1 - x0));
    }
    double theta0 = 2.0 * LSIM_PI * x0, theta1 = 2.0 * LSIM_PI * x1;
    if (light->tracking)
        return (lsim_sun_up_cumulative(theta1) - lsim_sun_up_cumulative(theta0)) / (theta1 - theta0);
    return (lsim_cos_positive_cumulative(theta1) - lsim_cos_positive_cumulative(theta0)) / (theta1 - theta0);
}

double lsim_power_available(const lsim_power_bus *bus, const lsim_clock *clock)
{
    double t0 = lsim_clock_time(clock);
    return bus->array_rated_power * lsim_illumination_mean(&bus->light, t0, t0 + clock->dt);
}

static void lsim_power_put_series(lsim_power_bus *bus, lsim_series_registry *series)
{
    lsim_series_put(series, bus->id_generated, bus->generated);
    lsim_series_put(series, bus->id_demand, bus->demand);
    lsim_series_put(series, bus->id_delivered, bus->delivered);
    lsim_series_put(series, bus->id_stored, bus->stored_energy);
    lsim_series_put(series, bus->id_soc, bus->storage_capacity > 0.0 ? bus->stored_energy / bus->storage_capacity : 0.0);
    lsim_series_put(series, bus->id_charged, bus->charged);
    lsim_series_put(series, bus->id_discharged, bus->discharged);
    lsim_series_put(series, bus->id_curtailed, bus->curtailed);
    lsim_series_put(series, bus->id_unmet, bus->unmet);
    lsim_series_put(series, bus->id_losses, bus->losses);
    lsim_series_put(series, bus->id_illumination, bus->illumination);
    lsim_series_put(series, bus->id_rated, bus->array_rated_power);
    lsim_series_put(series, bus->id_capacity, bus->storage_capacity);
    lsim_series_put(series, bus->id_ground_area, bus->array_area * bus->ground_cover);
    lsim_series_put(series, bus->id_mean_illumination, lsim_power_mean_illumination(bus));
}

double lsim_power_step(lsim_power_bus *bus, const lsim_clock *clock, double demand)
{
    double dt = clock->dt;
    double t0 = lsim_clock_time(clock);
    double illumination = lsim_illumination_mean(&bus->light, t0, t0 + dt);
    double generated = bus->array_rated_power * illumination;
    if (demand < 0.0) demand = 0.0;

    double direct = fmin(generated, demand);
    double surplus = generated - direct;
    double deficit = demand - direct;

    double room = (bus->storage_capacity - bus->stored_energy) / (bus->charge_efficiency * dt);
    double charged = fmax(0.0, fmin(surplus, fmin(bus->charge_limit, room)));
    double curtailed = surplus - charged;

    double available_out = bus->stored_energy * bus->discharge_efficiency / dt;
    double discharged = fmax(0.0, fmin(deficit, fmin(bus->discharge_limit, available_out)));
    double unmet = deficit - discharged;

    double energy_in = charged * bus->charge_efficiency * dt;
    double energy_out = discharged / bus->discharge_efficiency * dt;
    bus->stored_energy = fmin(bus->storage_capacity, fmax(0.0, bus->stored_energy + energy_in - energy_out));

    bus->generated = generated;
    bus->demand = demand;
    bus->delivered = direct + discharged;
    bus->charged = charged;
    bus->discharged = discharged;
    bus->curtailed = curtailed;
    bus->unmet = unmet;
    bus->losses = charged * (1.0 - bus->charge_efficiency) + discharged * (1.0 / bus->discharge_efficiency - 1.0);
    bus->illumination = illumination;

    /* Exponential degradation applied at the end of the step (exact for the
     * stock), before the stocks are reported as end-of-step values. */
    bus->array_rated_power *= exp(-bus->degradation_rate * dt);
    lsim_power_put_series(bus, bus->series);
    return bus->delivered;
}

void lsim_power_add_array_area(lsim_power_bus *bus, double rated_power, double area)
{
    bus->array_rated_power += rated_power;
    if (area > 0.0) {
        bus->array_area += area;
        lsim_power_follow_curve(bus);
    }
}

void lsim_power_add_array(lsim_power_bus *bus, double rated_power)
{
    lsim_power_add_array_area(bus, rated_power, bus->seed_areal_power > 0.0 ? rated_power / bus->seed_areal_power : 0.0);
}

void lsim_power_add_storage(lsim_power_bus *bus, double capacity, double charge_limit, double discharge_limit)
{
    bus->storage_capacity += capacity;
    bus->charge_limit += charge_limit;
    bus->discharge_limit += discharge_limit;
}

void lsim_power_free(lsim_power_bus *bus) { (void)bus; }

void lsim_power_status(const lsim_power_bus *bus, lsim_power_status_view *view)
{
    *view = (lsim_power_status_view){
        .array_rated_power = bus->array_rated_power,
        .storage_capacity = bus->storage_capacity,
        .stored_energy = bus->stored_energy,
        .base_load = bus->base_load,
        .illumination = bus->illumination,
        .array_area = bus->array_area,
        .ground_area = bus->array_area * bus->ground_cover,
        .generated = bus->generated,
        .delivered = bus->delivered,
        .curtailed = bus->curtailed,
        .unmet = bus->unmet,
        .losses = bus->losses,
    };
}

double lsim_power_mean_illumination(const lsim_power_bus *bus)
{
    return lsim_illumination_mean(&bus->light, 0.0, bus->light.synodic_period);
}
