#include "massdriver.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "release_chipmunk.h"

static const char *const SECTION = "massdriver";
static const char *const GROUP = "massdriver";

/* Phase offset (fraction of the period) of maintenance slot `slot`: the 4-bit
 * van der Corput sequence, so drivers built in order spread their windows as
 * evenly as the count allows (0, 1/2, 1/4, 3/4, ...). */
static double phase_fraction(unsigned slot)
{
    unsigned reversed = 0;
    for (unsigned bit = 0; bit < 4; ++bit) {
        if (slot & (1u << bit)) reversed |= 1u << (3 - bit);
    }
    return (double)reversed / (double)LSIM_MASSDRIVER_MAINTENANCE_PHASES;
}

/* Driver k (in build order) goes to slot k mod 16; a fractional last driver
 * sits in the next slot. O(slots), whatever the count. */
static void spread_drivers(lsim_massdriver *m)
{
    const unsigned slots = LSIM_MASSDRIVER_MAINTENANCE_PHASES;
    double whole = floor(m->drivers);
    double per_slot = floor(whole / slots);
    unsigned remainder = (unsigned)(whole - per_slot * slots);
    for (unsigned s = 0; s < slots; ++s) m->phase_drivers[s] = per_slot + (s < remainder ? 1.0 : 0.0);
    m->phase_drivers[remainder % slots] += m->drivers - whole;
}

/* The power line from the power site (power_line.h), for any launcher: its
 * loss joins the bus energy per launch, its conductor the driver's lunar mass.
 * Sized at the rate cap, the driver's rated mean power. */
static lsim_status add_power_line(lsim_launcher_design *d, const lsim_params *params)
{
    lsim_status st = lsim_power_line_from_params(params, &d->power_line);
    if (st != LSIM_OK) return st;
    d->energy_per_launch = lsim_power_line_size(&d->power_line, d->energy_per_launch, d->max_launch_rate);
    d->energy_per_kg = d->energy_per_launch / d->payload_per_launch;
    d->driver_lunar_mass += d->power_line.conductor_mass;
    return LSIM_OK;
}

/* Builds the design with the deck's launcher variant. The registry has
 * already refused any word outside LSIM_LAUNCHER_VARIANTS, so an unknown name
 * here is a programming error. A design the fleet logic cannot use (a rate,
 * energy or mass that is not finite and positive) is refused as an input
 * error naming the variant. */
static lsim_status build_design(lsim_massdriver *m, const lsim_params *params)
{
    const char *name = lsim_param_text(params, SECTION, "launcher_model");
    m->launcher = lsim_launcher_variant_find(name);
    if (!m->launcher) {
        fprintf(stderr, "lunarsim: massdriver.launcher_model '%s' has no row in the launcher table\n", name);
        abort();
    }
    lsim_status st = m->launcher->design(params, &m->design, &m->launcher_model);
    if (st != LSIM_OK) return st;
    const lsim_launcher_design *d = &m->design;
    const double positive[] = {d->exit_speed, d->payload_per_launch, d->energy_per_launch, d->energy_per_kg,
                               d->max_launch_rate, d->track_length};
    const double non_negative[] = {d->bucket_mass, d->heat_per_launch, d->driver_lunar_mass, d->driver_earth_mass,
                                   d->peak_power_per_launch};
    int usable = 1;
    for (size_t i = 0; i < sizeof positive / sizeof positive[0]; ++i)
        usable &= isfinite(positive[i]) && positive[i] > 0.0;
    for (size_t i = 0; i < sizeof non_negative / sizeof non_negative[0]; ++i)
        usable &= isfinite(non_negative[i]) && non_negative[i] >= 0.0;
    if (!usable) {
        return lsim_fail(LSIM_ERR_INPUT,
                         "massdriver.launcher_model %s: the deck gives no usable launcher (energy per launch %g J, "
                         "rate %g s-1, track %g m)",
                         name, d->energy_per_launch, d->max_launch_rate, d->track_length);
    }
    return add_power_line(&m->design, params);
}

/* The legacy fields (see massdriver.h): deck values and copies of the design. */
static void fill_legacy_mirrors(lsim_massdriver *m, const lsim_params *params)
{
    const lsim_launcher_design *d = &m->design;
    m->exit_speed = d->exit_speed;
    m->acceleration = lsim_param_real(params, SECTION, "acceleration");
    m->payload_per_launch = d->payload_per_launch;
    m->bucket_mass = d->bucket_mass;
    m->bucket_energy_recovery = lsim_param_real(params, SECTION, "bucket_energy_recovery");
    m->electrical_efficiency = d->electrical_efficiency;
    m->max_launch_rate = d->max_launch_rate;
    m->launch_elevation = d->release.elevation;
    m->speed_error_sigma = d->release.sigma_speed;
    m->pointing_error_sigma = d->release.sigma_angle;
    m->lunar_mass_per_length = lsim_param_real(params, SECTION, "lunar_mass_per_length");
    m->earth_mass_per_length = lsim_param_real(params, SECTION, "earth_mass_per_length");
    m->track_length = d->track_length;
    m->acceleration_time = d->acceleration_time;
    m->kinetic_energy_per_kg = d->kinetic_energy_per_kg;
    m->energy_per_kg = d->energy_per_kg;
    m->energy_per_launch = d->energy_per_launch;
    m->peak_power_per_launch = d->peak_power_per_launch;
    m->mean_power_at_max_rate = lsim_massdriver_mean_power(d->max_launch_rate, d->energy_per_launch);
    m->driver_lunar_mass = d->driver_lunar_mass;
    m->driver_earth_mass = d->driver_earth_mass;
}

static void register_output(lsim_massdriver *m, lsim_series_registry *reg)
{
    m->series = reg;
    m->id_launch_rate = m->id_mass_launch_rate = m->id_power_draw = m->id_energy_per_kg = -1;
    m->id_drivers = m->id_operable_drivers = m->id_limit = m->id_exit_speed = m->id_mass_launched = -1;
    if (!reg) return;
    m->id_launch_rate = lsim_series_add(reg, GROUP, "launch_rate", "s-1", "mass driver launches per second",
                                        LSIM_SERIES_FLOW);
    m->id_mass_launch_rate = lsim_series_add(reg, GROUP, "mass_launch_rate", "kg s-1", "payload mass launched per second",
                                             LSIM_SERIES_FLOW);
    m->id_power_draw = lsim_series_add(reg, GROUP, "power_draw", "W", "electrical power drawn by the mass drivers",
                                       LSIM_SERIES_FLOW);
    m->id_energy_per_kg = lsim_series_add(reg, GROUP, "energy_per_kg", "J kg-1",
                                          "electrical energy per kg of payload launched", LSIM_SERIES_STOCK);
    m->id_drivers = lsim_series_add(reg, GROUP, "drivers", "1", "mass drivers built", LSIM_SERIES_STOCK);
    m->id_operable_drivers = lsim_series_add(reg, GROUP, "operable_drivers", "1",
                                             "mass drivers operable (not in scheduled maintenance)", LSIM_SERIES_FLOW);
    /* In lsim_massdriver_limit order (there is no code 0). */
    static const char *const limit_words[] = {NULL, "power", "rate_cap", "payload", "coil_heat", "bank_recharge"};
    m->id_limit = lsim_series_add_code(reg, GROUP, "limit", "what limited the launch rate", limit_words,
                                       sizeof limit_words / sizeof limit_words[0]);
    m->id_exit_speed = lsim_series_add(reg, GROUP, "exit_speed", "m s-1", "speed at release", LSIM_SERIES_STOCK);
    m->id_mass_launched = lsim_series_add(reg, GROUP, "mass_launched", "kg", "payload mass launched so far",
                                          LSIM_SERIES_STOCK);

    const lsim_launcher_design *d = &m->design;
    lsim_series_group_attr(reg, GROUP, "track_length", d->track_length, "m");
    lsim_series_group_attr(reg, GROUP, "acceleration_time", d->acceleration_time, "s");
    lsim_series_group_attr(reg, GROUP, "peak_force_per_kg",
                           d->peak_force_per_launch / (d->payload_per_launch + d->bucket_mass), "N kg-1");
    lsim_series_group_attr(reg, GROUP, "peak_force_per_launch", d->peak_force_per_launch, "N");
    lsim_series_group_attr(reg, GROUP, "kinetic_energy_per_kg", d->kinetic_energy_per_kg, "J kg-1");
    lsim_series_group_attr(reg, GROUP, "electrical_energy_per_kg", d->energy_per_kg, "J kg-1");
    lsim_series_group_attr(reg, GROUP, "energy_per_launch", d->energy_per_launch, "J");
    lsim_series_group_attr(reg, GROUP, "electrical_efficiency", d->electrical_efficiency, "1");
    lsim_series_group_attr(reg, GROUP, "heat_per_launch", d->heat_per_launch, "J");
    lsim_series_group_attr(reg, GROUP, "peak_power_per_launch", d->peak_power_per_launch, "W");
    lsim_series_group_attr(reg, GROUP, "mean_power_at_max_rate",
                           lsim_massdriver_mean_power(d->max_launch_rate, d->energy_per_launch), "W");
    lsim_series_group_attr(reg, GROUP, "max_mass_rate_per_driver", d->max_launch_rate * d->payload_per_launch,
                           "kg s-1");
    lsim_series_group_attr(reg, GROUP, "driver_lunar_mass", d->driver_lunar_mass, "kg");
    lsim_series_group_attr(reg, GROUP, "driver_earth_mass", d->driver_earth_mass, "kg");
    lsim_series_group_attr(reg, GROUP, "availability", m->availability, "1");
    lsim_series_group_attr(reg, GROUP, "power_line_length", d->power_line.length, "m");
    lsim_series_group_attr(reg, GROUP, "power_line_mass", d->power_line.conductor_mass, "kg");
    lsim_series_group_attr(reg, GROUP, "power_line_loss_power", d->power_line.loss_power, "W");
    lsim_series_group_attr(reg, GROUP, "power_line_conductor_area", d->power_line.conductor_area, "m2");
    if (m->launcher->write_profiles) m->launcher->write_profiles(m->launcher_model, reg, GROUP);
}

lsim_status lsim_massdriver_init(lsim_massdriver *m, const lsim_params *params, lsim_series_registry *series,
                                 uint64_t seed)
{
    memset(m, 0, sizeof *m);
    m->maintenance_period = lsim_param_real(params, SECTION, "maintenance_period");
    m->maintenance_duration = lsim_param_real(params, SECTION, "maintenance_duration");
    m->seed = seed;

    if (!(m->maintenance_duration < m->maintenance_period)) {
        return lsim_fail(LSIM_ERR_INPUT,
                         "massdriver.maintenance_duration (%g s) must be shorter than massdriver.maintenance_period "
                         "(%g s): the drivers would never operate",
                         m->maintenance_duration, m->maintenance_period);
    }

    lsim_status st = build_design(m, params);
    /* massdriver.release_model finalises the release errors (release_chipmunk.h). */
    lsim_release_cp_stats release_stats;
    if (st == LSIM_OK) st = lsim_massdriver_release_finalise(params, &m->design, &release_stats);
    if (st != LSIM_OK) {
        lsim_massdriver_free(m);
        return st;
    }
    m->availability = 1.0 - m->maintenance_duration / m->maintenance_period;
    fill_legacy_mirrors(m, params);
    m->drivers = (double)lsim_param_int(params, SECTION, "drivers");
    spread_drivers(m);
    register_output(m, series);
    lsim_massdriver_release_write(&release_stats, m->design.exit_speed, series, GROUP);
    const lsim_launcher_design *d = &m->design;
    lsim_log(LSIM_LOG_INFO,
             "massdriver (%s): track %.4g km, %.4g MJ/kg electrical, %.4g MW mean per driver at %.4g launches/s",
             m->launcher->head.name, d->track_length / 1e3, d->energy_per_kg / 1e6,
             lsim_massdriver_mean_power(d->max_launch_rate, d->energy_per_launch) / 1e6, d->max_launch_rate);
    lsim_log(LSIM_LOG_INFO, "massdriver: power line %.4g km, %.4g t and %.4g MW lost per driver at the rate cap",
             d->power_line.length / 1e3, d->power_line.conductor_mass / 1e3, d->power_line.loss_power / 1e6);
    return LSIM_OK;
}

double lsim_massdriver_operable_drivers(const lsim_massdriver *m, const lsim_clock *clock)
{
    double t = lsim_clock_time(clock);
    double operable = 0.0;
    for (unsigned s = 0; s < LSIM_MASSDRIVER_MAINTENANCE_PHASES; ++s) {
        if (m->phase_drivers[s] <= 0.0) continue;
        double phase = phase_fraction(s) * m->maintenance_period;
        operable += m->phase_drivers[s] * lsim_massdriver_uptime_fraction(t, clock->dt, m->maintenance_period,
                                                                           m->maintenance_duration, phase);
    }
    return operable;
}

/* Launches per second that `available` kg of payload can feed over the step. */
static double payload_limited_rate(const lsim_massdriver *m, double available, double dt)
{
    if (!(available > 0.0) || !(dt > 0.0)) return 0.0;
    return available / (m->design.payload_per_launch * dt);
}

double lsim_massdriver_power_demand(const lsim_massdriver *m, const lsim_clock *clock, double payload_available_kg)
{
    double rate_cap = m->design.max_launch_rate * lsim_massdriver_operable_drivers(m, clock);
    double rate = fmin(rate_cap, payload_limited_rate(m, payload_available_kg, clock->dt));
    return lsim_massdriver_mean_power(rate, m->design.energy_per_launch);
}

double lsim_massdriver_step(lsim_massdriver *m, const lsim_clock *clock, double power_granted_W,
                            double *payload_stock_kg, lsim_massdriver_step_result *result)
{
    const lsim_launcher_design *d = &m->design;
    double dt = clock->dt;
    double granted = power_granted_W > 0.0 ? power_granted_W : 0.0; /* also maps NaN to 0 */
    double available = *payload_stock_kg > 0.0 ? *payload_stock_kg : 0.0;

    double operable = lsim_massdriver_operable_drivers(m, clock);
    double rate_cap = d->max_launch_rate * operable;
    double power_rate = granted / d->energy_per_launch;
    double payload_rate = payload_limited_rate(m, available, dt);
    lsim_massdriver_limit limit;
    double rate = lsim_massdriver_limited_rate(rate_cap, power_rate, payload_rate, &limit);
    /* A rate the launcher's own design sets (coil heat, bank recharge) is named as such. */
    if (limit == LSIM_MASSDRIVER_LIMIT_RATE && d->max_rate_cause) limit = (lsim_massdriver_limit)d->max_rate_cause;

    double launched = limit == LSIM_MASSDRIVER_LIMIT_PAYLOAD ? available : rate * d->payload_per_launch * dt;
    if (launched > available) launched = available;
    if (!(launched > 0.0)) launched = 0.0;
    /* Re-derive what was launched from the new stock so that the chain's
     * books close exactly: before == after + launched in floating point. */
    double after = *payload_stock_kg - launched;
    launched = *payload_stock_kg - after;
    if (launched > 0.0) *payload_stock_kg = after;
    else launched = 0.0;

    double power_used = dt > 0.0 ? d->energy_per_kg * launched / dt : 0.0;
    if (power_used > granted) power_used = granted; /* rounding of granted/E·E */
    double launches = launched / d->payload_per_launch;

    double first_index = m->launches_total;
    m->launches_total += launches;
    m->mass_launched_total += launched;

    if (m->series) {
        lsim_series_registry *reg = m->series;
        double mass_rate = dt > 0.0 ? launched / dt : 0.0;
        lsim_series_put(reg, m->id_launch_rate, dt > 0.0 ? launches / dt : 0.0);
        lsim_series_put(reg, m->id_mass_launch_rate, mass_rate);
        lsim_series_put(reg, m->id_power_draw, power_used);
        lsim_series_put(reg, m->id_energy_per_kg, d->energy_per_kg);
        lsim_series_put(reg, m->id_drivers, m->drivers);
        lsim_series_put(reg, m->id_operable_drivers, operable);
        lsim_series_put(reg, m->id_limit, (double)limit);
        lsim_series_put(reg, m->id_exit_speed, d->exit_speed);
        lsim_series_put(reg, m->id_mass_launched, m->mass_launched_total);
    }
    if (result) {
        result->mass_launched = launched;
        result->energy_used = power_used * dt;
        result->power_used = power_used;
        result->launches = launches;
        result->first_launch_index = first_index;
        result->operable_drivers = operable;
        result->limit = limit;
    }
    return power_used;
}

lsim_status lsim_massdriver_add_drivers(lsim_massdriver *m, double count, const lsim_clock *clock)
{
    if (!(count >= 0.0) || !isfinite(count)) {
        return lsim_fail(LSIM_ERR_RUN, "massdriver: cannot add %g drivers (must be finite and >= 0)", count);
    }
    if (count == 0.0) return LSIM_OK;
    m->drivers += count;
    spread_drivers(m);
    lsim_log(LSIM_LOG_DEBUG, "massdriver: +%g drivers at t = %.0f s, now %g", count,
             clock ? lsim_clock_time(clock) : 0.0, m->drivers);
    return LSIM_OK;
}

lsim_status lsim_massdriver_set_drivers(lsim_massdriver *m, double count)
{
    if (!(count >= 0.0) || !isfinite(count))
        return lsim_fail(LSIM_ERR_RUN, "massdriver: cannot set %g drivers (must be finite and >= 0)", count);
    if (count == m->drivers) return LSIM_OK;
    m->drivers = count;
    spread_drivers(m);
    return LSIM_OK;
}

double lsim_massdriver_unit_lunar_mass(const lsim_massdriver *m) { return m->design.driver_lunar_mass; }

double lsim_massdriver_unit_earth_mass(const lsim_massdriver *m) { return m->design.driver_earth_mass; }

const lsim_launcher_design *lsim_massdriver_design_view(const lsim_massdriver *m) { return &m->design; }

double lsim_massdriver_driver_count(const lsim_massdriver *m) { return m->drivers; }

lsim_massdriver_release_model lsim_massdriver_release_model_of(const lsim_massdriver *m) { return m->design.release; }

void lsim_massdriver_free(lsim_massdriver *m)
{
    /* The fleet state is plain values (checkpointable); only the launcher
     * variant may hold memory. Dropping the registry pointer stops a stray
     * step writing series. */
    if (m->launcher && m->launcher->free) m->launcher->free(m->launcher_model);
    m->launcher_model = NULL;
    m->series = NULL;
}
