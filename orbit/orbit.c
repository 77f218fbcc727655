/* The orbit stage's face: init, step, growth hooks, series. */
#include "orbit.h"

#include <math.h>
#include <string.h>

/* The delay line holds 4 doubles per step; beyond this it is a typo. */
#define LSIM_ORBIT_MAX_TRANSIT_STEPS 50000000u

typedef struct {
    const char *name;
    const char *units;
    const char *long_name;
    lsim_series_kind kind;
} series_row;

/* Order matches the LSIM_ORBIT_S_* enum. */
static const series_row orbit_series[LSIM_ORBIT_SERIES_COUNT] = {
    {"launch_rate", "kg s-1", "mass entering the flight to the catcher", LSIM_SERIES_FLOW},
    {"arrival_rate", "kg s-1", "mass arriving at the catcher", LSIM_SERIES_FLOW},
    {"capture_rate", "kg s-1", "mass caught", LSIM_SERIES_FLOW},
    {"loss_rate", "kg s-1", "mass lost: outside the aperture or over catcher capacity", LSIM_SERIES_FLOW},
    {"overflow_rate", "kg s-1", "part of loss_rate over catcher capacity", LSIM_SERIES_FLOW},
    {"in_transit", "kg", "mass in flight to the catcher", LSIM_SERIES_STOCK},
    {"panels_waiting", "kg", "caught panels waiting for assembly", LSIM_SERIES_STOCK},
    {"panel_power_waiting", "W", "rated power of caught panels waiting", LSIM_SERIES_STOCK},
    {"radiators_waiting", "kg", "caught radiators waiting for assembly", LSIM_SERIES_STOCK},
    {"radiator_rejection_waiting", "W", "heat rejection of caught radiators waiting", LSIM_SERIES_STOCK},
    {"earth_parts_stock", "kg", "Earth-launched chips and structure waiting", LSIM_SERIES_STOCK},
    {"installed_power", "W", "installed orbital power after degradation", LSIM_SERIES_STOCK},
    {"installed_mass", "kg", "hardware mass assembled in orbit", LSIM_SERIES_STOCK},
    {"compute_power", "W", "power fed to compute", LSIM_SERIES_STOCK},
    {"compute_flops", "s-1", "compute performance, FLOP per second", LSIM_SERIES_STOCK},
    {"assembly_rate", "W s-1", "installed power added per second", LSIM_SERIES_FLOW},
    {"degradation_rate", "W s-1", "installed power lost to degradation per second", LSIM_SERIES_FLOW},
    {"limit", "1", "binding assembly input at the interval end: 0 none, 1 panels, 2 radiators, 3 chips, 4 assembly",
     LSIM_SERIES_STOCK},
    {"limit_none", "1", "time share with no lunar parts to assemble", LSIM_SERIES_FLOW},
    {"limit_panels", "1", "time share with assembly limited by panels", LSIM_SERIES_FLOW},
    {"limit_radiators", "1", "time share with assembly limited by radiators", LSIM_SERIES_FLOW},
    {"limit_chips", "1", "time share with assembly limited by Earth-launched parts", LSIM_SERIES_FLOW},
    {"limit_assembly", "1", "time share with assembly limited by robot capacity", LSIM_SERIES_FLOW},
    {"earth_launch_rate", "s-1", "Earth launches delivering parts", LSIM_SERIES_FLOW},
    {"earth_supply_rate", "kg s-1", "Earth-launched parts arriving", LSIM_SERIES_FLOW},
    {"earth_launches", "1", "Earth launches so far", LSIM_SERIES_STOCK},
    {"earth_equivalent_mass", "kg", "Earth-only comparator: mass to launch for the power assembled so far",
     LSIM_SERIES_STOCK},
    {"earth_equivalent_launches", "1", "Earth-only comparator: launches for the power assembled so far",
     LSIM_SERIES_STOCK},
    {"earth_equivalent_mass_rate", "kg s-1", "Earth-only comparator: mass rate", LSIM_SERIES_FLOW},
    {"earth_equivalent_launch_rate", "s-1", "Earth-only comparator: launch rate", LSIM_SERIES_FLOW},
    {"catchers", "1", "catchers in service", LSIM_SERIES_STOCK},
    {"assembly_units", "1", "assembly robot units in service", LSIM_SERIES_STOCK},
};

static void put(lsim_orbit *m, int which, double value)
{
    if (m->series) lsim_series_put(m->series, m->series_id[which], value);
}

lsim_status lsim_orbit_init(lsim_orbit *m, const lsim_params *params, lsim_series_registry *series, uint64_t seed)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_from_params(&cfg, params);
    double dt = lsim_param_real(params, "run", "time_step");
    return lsim_orbit_init_config(m, &cfg, dt, series, seed);
}

lsim_status lsim_orbit_init_config(lsim_orbit *m, const lsim_orbit_config *cfg, double dt,
                                   lsim_series_registry *series, uint64_t seed)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    m->dt = dt;
    m->seed = seed;
    if (!(dt > 0.0)) return lsim_fail(LSIM_ERR_INPUT, "run.time_step: must be > 0 s for the orbit stage");

    double steps_real = cfg->transit_time / dt;
    if (steps_real > (double)LSIM_ORBIT_MAX_TRANSIT_STEPS)
        return lsim_fail(LSIM_ERR_INPUT,
                         "orbit.transit_time / run.time_step = %.3g steps exceeds %u: the flight delay line "
                         "would not fit; lengthen run.time_step or shorten orbit.transit_time",
                         steps_real, LSIM_ORBIT_MAX_TRANSIT_STEPS);
    lsim_status status;
    if (cfg->capture_model == LSIM_ORBIT_CAPTURE_DISPERSION) {
        lsim_orbit_dispersion_case c = {cfg->transit_time, cfg->release_speed, cfg->sigma_speed,
                                        cfg->sigma_angle, cfg->catcher_radius,
                                        (uint64_t)cfg->dispersion_samples, seed};
        status = lsim_orbit_flight_dispersion(&m->flight, &c);
    } else {
        status = lsim_orbit_flight_fixed(&m->flight, cfg->transit_time, cfg->capture_efficiency);
    }
    if (status != LSIM_OK) return status;

    status = lsim_orbit_transit_init(&m->transit, lsim_orbit_transit_steps(m->flight.transit_time, dt));
    if (status != LSIM_OK) return status;

    m->catcher_count = cfg->catcher_count;
    m->assembly_units = cfg->assembly_units;
    m->degradation_factor = exp(-cfg->degradation_rate * dt);
    m->earth_mass_per_watt =
        cfg->chip_specific_mass * (1.0 - cfg->housekeeping_fraction) + cfg->earth_structure_specific_mass;

    m->series = series;
    for (int i = 0; i < LSIM_ORBIT_SERIES_COUNT; ++i) m->series_id[i] = -1;
    if (series) {
        for (int i = 0; i < LSIM_ORBIT_SERIES_COUNT; ++i)
            m->series_id[i] = lsim_series_add(series, "orbit", orbit_series[i].name, orbit_series[i].units,
                                              orbit_series[i].long_name, orbit_series[i].kind);
        lsim_series_group_attr(series, "orbit", "transit_time", m->flight.transit_time, "s");
        lsim_series_group_attr(series, "orbit", "transit_steps", (double)m->transit.steps, "1");
        lsim_series_group_attr(series, "orbit", "capture_fraction", m->flight.capture_fraction, "1");
        if (!isnan(m->flight.miss_rms))
            lsim_series_group_attr(series, "orbit", "dispersion_miss_rms", m->flight.miss_rms, "m");
        lsim_series_group_attr(series, "orbit", "earth_parts_per_installed_watt", m->earth_mass_per_watt,
                               "kg W-1");
        lsim_series_group_attr(series, "orbit", "earth_specific_mass", cfg->earth_specific_mass, "kg W-1");
    }
    return LSIM_OK;
}

double lsim_orbit_power_demand(const lsim_orbit *m, const lsim_clock *clock)
{
    (void)m;
    (void)clock;
    return 0.0;
}

void lsim_orbit_step(lsim_orbit *m, const lsim_clock *clock, double power_granted_W, const lsim_orbit_inputs *in,
                     lsim_orbit_outputs *out)
{
    (void)power_granted_W; /* the orbit stage runs on orbital power */
    const double dt = m->dt;
    static const lsim_orbit_inputs nothing = {0.0, 0.0, 0.0, 0.0};
    if (!in) in = &nothing;

    /* Flight. */
    double launched[LSIM_ORBIT_STREAM_COUNT] = {in->panel_mass_launched, in->panel_watts_launched,
                                                in->radiator_mass_launched, in->radiator_rejection_watts_launched};
    double arrived[LSIM_ORBIT_STREAM_COUNT];
    lsim_orbit_transit_advance(&m->transit, launched, arrived);
    double launched_mass = launched[LSIM_ORBIT_PANEL_MASS] + launched[LSIM_ORBIT_RADIATOR_MASS];
    double arrived_mass = arrived[LSIM_ORBIT_PANEL_MASS] + arrived[LSIM_ORBIT_RADIATOR_MASS];
    m->launched_total += launched_mass;

    /* Capture: the aperture share first, then the catchers' capacity. */
    double inside = arrived_mass * m->flight.capture_fraction;
    double capacity = m->catcher_count * m->cfg.catcher_capacity * dt;
    double caught_target = fmin(inside, capacity);
    double share = arrived_mass > 0.0 ? caught_target / arrived_mass : 0.0;
    double caught_panel = share >= 1.0 ? arrived[LSIM_ORBIT_PANEL_MASS] : arrived[LSIM_ORBIT_PANEL_MASS] * share;
    double caught_radiator =
        share >= 1.0 ? arrived[LSIM_ORBIT_RADIATOR_MASS] : arrived[LSIM_ORBIT_RADIATOR_MASS] * share;
    double caught = caught_panel + caught_radiator;
    /* Loss is what arrived and was not put in a stock, so the mass balance closes. */
    double lost = arrived_mass - caught;
    double overflow = inside > capacity ? inside - capacity : 0.0;
    m->caught_total += caught;
    m->lost_total += lost;
    m->overflow_total += overflow;
    m->parts.panel_mass += caught_panel;
    m->parts.panel_watts += share >= 1.0 ? arrived[LSIM_ORBIT_PANEL_WATTS] : arrived[LSIM_ORBIT_PANEL_WATTS] * share;
    m->parts.radiator_mass += caught_radiator;
    m->parts.radiator_watts +=
        share >= 1.0 ? arrived[LSIM_ORBIT_RADIATOR_WATTS] : arrived[LSIM_ORBIT_RADIATOR_WATTS] * share;

    int64_t launches_now;
    if (m->cfg.earth_launch_on_demand) {
        /* Whole launches for the Earth parts that the panels waiting here or
         * in flight will need, within a ceiling of earth_launch_rate that
         * banks at most a month of unused launches. */
        double allowance_cap = fmax(1.0, m->cfg.earth_launch_rate * 30.0 * 86400.0);
        m->earth_launch_allowance = fmin(allowance_cap, m->earth_launch_allowance + m->cfg.earth_launch_rate * dt);
        double watts_coming = m->parts.panel_watts + m->transit.in_transit[LSIM_ORBIT_PANEL_WATTS];
        double parts_short = watts_coming * m->earth_mass_per_watt - m->parts.earth_parts;
        double wanted = parts_short > 0.0 && m->cfg.earth_payload_per_launch > 0.0
                            ? ceil(parts_short / m->cfg.earth_payload_per_launch)
                            : 0.0;
        double flown = fmin(wanted, floor(m->earth_launch_allowance));
        m->earth_launch_allowance -= flown;
        launches_now = (int64_t)flown;
    } else {
        /* A steady cadence: whole launches due by the end of this step. */
        double step_end = (double)(clock->step + 1) * dt;
        double launches_real = step_end * m->cfg.earth_launch_rate;
        double launches_floor = floor(launches_real);
        /* A launch due exactly at the step end must not slip a step through rounding of t*rate. */
        if (launches_real - launches_floor > 1.0 - 1e-9) launches_floor += 1.0;
        int64_t launches_due = (int64_t)launches_floor;
        launches_now = launches_due > m->earth_launches_done ? launches_due - m->earth_launches_done : 0;
    }
    m->earth_launches_done += launches_now;
    double earth_supply = (double)launches_now * m->cfg.earth_payload_per_launch;
    m->parts.earth_parts += earth_supply;
    m->earth_supplied_total += earth_supply;

    /* Degradation of what was installed before this step, by the exact factor. */
    double before = m->installed_power;
    m->installed_power = before * m->degradation_factor;
    double degraded = before - m->installed_power;
    m->degraded_total += degraded;

    /* Assembly. */
    lsim_orbit_assembly_spec spec = {m->cfg.radiator_heat_per_watt, m->earth_mass_per_watt};
    lsim_orbit_assembly_result a =
        lsim_orbit_assemble(&m->parts, &spec, m->assembly_units * m->cfg.assembly_rate_per_unit * dt);
    m->installed_power += a.power;
    m->installed_mass += a.panel_mass + a.radiator_mass + a.earth_mass;
    m->assembled_total += a.power;

    double compute_power = m->installed_power * (1.0 - m->cfg.housekeeping_fraction);
    double compute_flops = compute_power * m->cfg.flops_per_watt;
    lsim_orbit_earth_equivalent total = lsim_orbit_earth_equivalent_of(
        m->assembled_total, m->cfg.earth_specific_mass, m->cfg.earth_payload_per_launch);
    lsim_orbit_earth_equivalent now =
        lsim_orbit_earth_equivalent_of(a.power, m->cfg.earth_specific_mass, m->cfg.earth_payload_per_launch);

    if (m->series) {
        put(m, LSIM_ORBIT_S_LAUNCH_RATE, launched_mass / dt);
        put(m, LSIM_ORBIT_S_ARRIVAL_RATE, arrived_mass / dt);
        put(m, LSIM_ORBIT_S_CAPTURE_RATE, caught / dt);
        put(m, LSIM_ORBIT_S_LOSS_RATE, lost / dt);
        put(m, LSIM_ORBIT_S_OVERFLOW_RATE, overflow / dt);
        put(m, LSIM_ORBIT_S_IN_TRANSIT, lsim_orbit_in_transit_mass(m));
        put(m, LSIM_ORBIT_S_PANELS_WAITING, m->parts.panel_mass);
        put(m, LSIM_ORBIT_S_PANEL_POWER_WAITING, m->parts.panel_watts);
        put(m, LSIM_ORBIT_S_RADIATORS_WAITING, m->parts.radiator_mass);
        put(m, LSIM_ORBIT_S_RADIATOR_REJECTION_WAITING, m->parts.radiator_watts);
        put(m, LSIM_ORBIT_S_EARTH_PARTS_STOCK, m->parts.earth_parts);
        put(m, LSIM_ORBIT_S_INSTALLED_POWER, m->installed_power);
        put(m, LSIM_ORBIT_S_INSTALLED_MASS, m->installed_mass);
        put(m, LSIM_ORBIT_S_COMPUTE_POWER, compute_power);
        put(m, LSIM_ORBIT_S_COMPUTE_FLOPS, compute_flops);
        put(m, LSIM_ORBIT_S_ASSEMBLY_RATE, a.power / dt);
        put(m, LSIM_ORBIT_S_DEGRADATION_RATE, degraded / dt);
        put(m, LSIM_ORBIT_S_LIMIT, (double)a.limit);
        put(m, LSIM_ORBIT_S_LIMIT_NONE, a.limit == LSIM_ORBIT_LIMIT_NONE ? 1.0 : 0.0);
        put(m, LSIM_ORBIT_S_LIMIT_PANELS, a.limit == LSIM_ORBIT_LIMIT_PANELS ? 1.0 : 0.0);
        put(m, LSIM_ORBIT_S_LIMIT_RADIATORS, a.limit == LSIM_ORBIT_LIMIT_RADIATORS ? 1.0 : 0.0);
        put(m, LSIM_ORBIT_S_LIMIT_CHIPS, a.limit == LSIM_ORBIT_LIMIT_CHIPS ? 1.0 : 0.0);
        put(m, LSIM_ORBIT_S_LIMIT_ASSEMBLY, a.limit == LSIM_ORBIT_LIMIT_ASSEMBLY ? 1.0 : 0.0);
        put(m, LSIM_ORBIT_S_EARTH_LAUNCH_RATE, (double)launches_now / dt);
        put(m, LSIM_ORBIT_S_EARTH_SUPPLY_RATE, earth_supply / dt);
        put(m, LSIM_ORBIT_S_EARTH_LAUNCHES, (double)m->earth_launches_done);
        put(m, LSIM_ORBIT_S_EARTH_EQUIVALENT_MASS, total.mass);
        put(m, LSIM_ORBIT_S_EARTH_EQUIVALENT_LAUNCHES, total.launches);
        put(m, LSIM_ORBIT_S_EARTH_EQUIVALENT_MASS_RATE, now.mass / dt);
        put(m, LSIM_ORBIT_S_EARTH_EQUIVALENT_LAUNCH_RATE, now.launches / dt);
        put(m, LSIM_ORBIT_S_CATCHERS, m->catcher_count);
        put(m, LSIM_ORBIT_S_ASSEMBLY_UNITS, m->assembly_units);
    }

    if (out) {
        out->arrived_mass = arrived_mass;
        out->caught_mass = caught;
        out->lost_mass = lost;
        out->assembled_power = a.power;
        out->installed_power = m->installed_power;
        out->compute_power = compute_power;
        out->compute_flops = compute_flops;
        out->earth_mass_supplied = earth_supply;
        out->limit = (int)a.limit;
        out->power_used = 0.0;
    }
}

lsim_status lsim_orbit_add_catchers(lsim_orbit *m, double count, const lsim_clock *clock)
{
    (void)clock;
    if (!(count >= 0.0)) return lsim_fail(LSIM_ERR_INPUT, "orbit: catchers to add must be >= 0 (got %g)", count);
    m->catcher_count += count;
    return LSIM_OK;
}

lsim_status lsim_orbit_add_assembly_units(lsim_orbit *m, double count, const lsim_clock *clock)
{
    (void)clock;
    if (!(count >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit: assembly units to add must be >= 0 (got %g)", count);
    m->assembly_units += count;
    return LSIM_OK;
}

lsim_status lsim_orbit_add_earth_parts(lsim_orbit *m, double mass)
{
    if (!(mass >= 0.0)) return lsim_fail(LSIM_ERR_INPUT, "orbit: Earth parts to add must be >= 0 kg (got %g)", mass);
    m->parts.earth_parts += mass;
    m->earth_supplied_total += mass;
    return LSIM_OK;
}

double lsim_orbit_in_transit_mass(const lsim_orbit *m)
{
    return m->transit.in_transit[LSIM_ORBIT_PANEL_MASS] + m->transit.in_transit[LSIM_ORBIT_RADIATOR_MASS];
}

double lsim_orbit_mass_balance(const lsim_orbit *m)
{
    return m->launched_total - lsim_orbit_in_transit_mass(m) - m->caught_total - m->lost_total;
}

void lsim_orbit_free(lsim_orbit *m) { lsim_orbit_transit_free(&m->transit); }
