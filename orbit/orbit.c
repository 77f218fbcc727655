/* The orbit stage's face: init, step, growth hooks, series. */
#include "orbit.h"

#include <math.h>

#include "compute_hardware.h"
#include <string.h>

/* The arrival ring holds 5 doubles per step; beyond this it is a typo. */
#define LSIM_ORBIT_MAX_TRANSIT_STEPS 50000000u
#define LSIM_ORBIT_YEAR 31557600.0 /* s, Julian */

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
    {"limit", "1", "binding assembly input at the interval end", LSIM_SERIES_STOCK},
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
    {"correction_propellant_rate", "kg s-1", "launched mass burnt by the payloads' mid-course corrections",
     LSIM_SERIES_FLOW},
    {"reaction_mass_rate", "kg s-1", "caught mass the catchers spend as reaction mass to hold station",
     LSIM_SERIES_FLOW},
    {"catcher_force", "N", "mean force of the caught stream's momentum on the catchers", LSIM_SERIES_FLOW},
    {"catcher_heat", "W", "kinetic energy of the caught stream the catchers absorb, per second", LSIM_SERIES_FLOW},
    {"chip_supply_rate", "W s-1", "this programme's share of Earth's production of compute hardware",
     LSIM_SERIES_FLOW},
    {"chip_stock", "W", "compute hardware burnt in on Earth and waiting for launch", LSIM_SERIES_STOCK},
    {"chips_in_burn_in", "W", "compute hardware in burn-in on Earth", LSIM_SERIES_STOCK},
    {"burn_in_failure_rate", "s-1", "compute modules failing in burn-in on Earth (made again)", LSIM_SERIES_FLOW},
    {"chip_launch_rate", "W s-1", "compute hardware flown from Earth (kits and spares)", LSIM_SERIES_FLOW},
    {"spare_chips", "W", "spare compute modules in orbit", LSIM_SERIES_STOCK},
    {"modules_in_service", "1", "compute modules working in orbit", LSIM_SERIES_STOCK},
    {"modules_vacant", "1", "failed compute modules waiting for a spare", LSIM_SERIES_STOCK},
    {"module_failure_rate", "s-1", "compute modules failing in orbit", LSIM_SERIES_FLOW},
    {"module_replacement_rate", "s-1", "spare modules installed in place of failed ones", LSIM_SERIES_FLOW},
    {"earth_bound", "1", "what held the Earth supply below its need at the interval end", LSIM_SERIES_STOCK},
    {"limit_earth_launch", "1",
     "time share with assembly limited by Earth parts that the launch cadence or ceiling held back", LSIM_SERIES_FLOW},
    {"limit_chip_production", "1",
     "time share with assembly limited by Earth parts that Earth's chip production held back", LSIM_SERIES_FLOW},
};

static void put(lsim_orbit *m, int which, double value)
{
    if (m->series) lsim_series_put(m->series, m->series_id[which], value);
}

static void fill_design(lsim_orbit *m)
{
    const lsim_orbit_config *c = &m->cfg;
    const lsim_orbit_flight_schedule *f = &m->flight.schedule;
    lsim_orbit_design *d = &m->design;
    d->flight_model = m->flight.model->head.name;
    d->captured_share = f->captured_share;
    d->flight_time_mean = f->flight_time_mean;
    d->flight_time_spread = f->flight_time_spread;
    d->miss_rms = f->miss_rms;
    d->correction_propellant_share = m->correction_share;
    d->catcher_reaction_share = m->reaction_share;
    d->arrival_speed = f->arrival_speed_mean;
    d->first_arrival_step = f->first_step;
    d->arrival_bins = f->bins;
    d->catcher_capacity = c->catcher_capacity;
    d->catcher_lunar_mass = c->catcher_lunar_mass;
    d->catcher_earth_mass = c->catcher_earth_mass;
    d->assembly_rate_per_unit = c->assembly_rate_per_unit;
    d->assembly_unit_earth_mass = c->assembly_unit_earth_mass;
    d->radiator_heat_per_watt = c->radiator_heat_per_watt;
    d->earth_mass_per_watt = m->earth_mass_per_watt;
    d->chip_mass_per_watt = m->cfg.chip_specific_mass * (1.0 - m->cfg.housekeeping_fraction);
    d->housekeeping_fraction = c->housekeeping_fraction;
    d->flops_per_watt = c->flops_per_watt;
    d->earth_specific_mass = c->earth_specific_mass;
    d->earth_payload_per_launch = c->earth_payload_per_launch;
    d->initial_catchers = c->catcher_count;
    d->initial_assembly_units = c->assembly_units;
    d->initial_hardware_earth_mass = c->catcher_count * (c->catcher_lunar_mass + c->catcher_earth_mass) +
                                     c->assembly_units * c->assembly_unit_earth_mass;
}

/* The code series among them: their words in lsim_orbit_limit and LSIM_ORBIT_EARTH_BOUND_* order. */
static const char *const orbit_limit_words[LSIM_ORBIT_LIMIT_COUNT] = {"none", "panels", "radiators", "chips",
                                                                      "assembly"};
static const char *const orbit_earth_bound_words[LSIM_ORBIT_EARTH_BOUND_COUNT] = {"none", "earth_launch",
                                                                                  "chip_production"};

static int lsim_orbit_add_series(lsim_series_registry *series, int i)
{
    const series_row *row = &orbit_series[i];
    if (i == LSIM_ORBIT_S_LIMIT)
        return lsim_series_add_code(series, "orbit", row->name, row->long_name, orbit_limit_words, LSIM_ORBIT_LIMIT_COUNT);
    if (i == LSIM_ORBIT_S_EARTH_BOUND)
        return lsim_series_add_code(series, "orbit", row->name, row->long_name, orbit_earth_bound_words,
                                    LSIM_ORBIT_EARTH_BOUND_COUNT);
    return lsim_series_add(series, "orbit", row->name, row->units, row->long_name, row->kind);
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

    lsim_status status = lsim_orbit_flight_init(&m->flight, cfg->flight_model, cfg, &cfg->release, dt, seed);
    if (status != LSIM_OK) return status;
    const lsim_orbit_flight_schedule *schedule = &m->flight.schedule;
    if (schedule->first_step > LSIM_ORBIT_MAX_TRANSIT_STEPS ||
        schedule->bins > LSIM_ORBIT_MAX_TRANSIT_STEPS - schedule->first_step)
        status = lsim_fail(LSIM_ERR_INPUT,
                         "orbit.flight_model %s: arrivals up to %zu + %zu steps after launch exceed %u steps: "
                         "the arrival ring would not fit; lengthen run.time_step or shorten orbit.transit_time",
                         cfg->flight_model->head.name, schedule->first_step, schedule->bins,
                         LSIM_ORBIT_MAX_TRANSIT_STEPS);
    else
        status = lsim_orbit_transit_init(&m->transit, schedule->first_step, schedule->bins, schedule->weights);
    if (status != LSIM_OK) {
        lsim_orbit_free(m); /* a failed init holds nothing */
        return status;
    }

    /* What flying and catching cost in mass: the payloads' correction
     * propellant, a share of what is launched; and the reaction mass that
     * holds the catchers against the momentum they take in (force = arrival
     * speed x capture rate), a share of what is caught: v_arrival / v_exhaust. */
    m->correction_share = schedule->correction_propellant_share;
    m->arrival_speed = isnan(schedule->arrival_speed_mean) ? 0.0 : schedule->arrival_speed_mean;
    m->reaction_share = 0.0;
    if (m->arrival_speed > 0.0) {
        if (!(cfg->catcher_exhaust_speed > m->arrival_speed)) {
            status = lsim_fail(LSIM_ERR_INPUT,
                               "orbit.catcher_exhaust_speed: %g m/s is not above the arrival speed %.1f m/s: the "
                               "catcher would spend more than it catches holding station",
                               cfg->catcher_exhaust_speed, m->arrival_speed);
            lsim_orbit_free(m);
            return status;
        }
        m->reaction_share = m->arrival_speed / cfg->catcher_exhaust_speed;
    }
    m->catcher_count = cfg->catcher_count;
    m->assembly_units = cfg->assembly_units;
    m->degradation_factor = exp(-cfg->degradation_rate * dt);
    m->earth_mass_per_watt =
        cfg->chip_specific_mass * (1.0 - cfg->housekeeping_fraction) + cfg->earth_structure_specific_mass;
    fill_design(m);
    status = lsim_orbit_compute_init(m);
    if (status != LSIM_OK) {
        lsim_orbit_free(m);
        return status;
    }

    m->series = series;
    for (int i = 0; i < LSIM_ORBIT_SERIES_COUNT; ++i) m->series_id[i] = -1;
    if (series) {
        for (int i = 0; i < LSIM_ORBIT_SERIES_COUNT; ++i)
            m->series_id[i] = lsim_orbit_add_series(series, i);
        const lsim_orbit_design *d = &m->design;
        lsim_series_group_attr(series, "orbit", "transit_time", d->flight_time_mean, "s");
        lsim_series_group_attr(series, "orbit", "transit_time_spread", d->flight_time_spread, "s");
        lsim_series_group_attr(series, "orbit", "transit_steps", (double)d->first_arrival_step, "1");
        lsim_series_group_attr(series, "orbit", "arrival_steps", (double)d->arrival_bins, "1");
        lsim_series_group_attr(series, "orbit", "capture_fraction", d->captured_share, "1");
        if (!isnan(d->miss_rms)) lsim_series_group_attr(series, "orbit", "dispersion_miss_rms", d->miss_rms, "m");
        /* Figures of a flight model that flies trajectories (three_body). */
        const lsim_orbit_flight_schedule *f = &m->flight.schedule;
        if (!isnan(f->nominal_transit_time)) {
            lsim_series_group_attr(series, "orbit", "nominal_transit_time", f->nominal_transit_time, "s");
            lsim_series_group_attr(series, "orbit", "release_jacobi_constant", f->release_jacobi, "1");
            lsim_series_group_attr(series, "orbit", "l2_jacobi_constant", f->jacobi_l2, "1");
            lsim_series_group_attr(series, "orbit", "arrival_speed", f->arrival_speed, "m s-1");
            lsim_series_group_attr(series, "orbit", "dispersion_miss_rms_linear", f->miss_rms_linear, "m");
            lsim_series_group_attr(series, "orbit", "track_azimuth", f->track_azimuth, "rad");
            lsim_series_group_attr(series, "orbit", "track_elevation", f->track_elevation, "rad");
            lsim_series_group_attr(series, "orbit", "targeting_iterations", (double)f->targeting_iterations, "1");
            lsim_series_group_attr(series, "orbit", "arrival_speed_mean", f->arrival_speed_mean, "m s-1");
            lsim_series_group_attr(series, "orbit", "correction_count", (double)f->correction_count, "1");
            lsim_series_group_attr(series, "orbit", "delta_v_corrections", f->correction_dv_mean, "m s-1");
            lsim_series_group_attr(series, "orbit", "delta_v_corrections_rms", f->correction_dv_rms, "m s-1");
            lsim_series_group_attr(series, "orbit", "delta_v_capture", f->arrival_speed_mean, "m s-1");
            lsim_series_group_attr(series, "orbit", "correction_propellant_share", f->correction_propellant_share,
                                   "1");
            if (!isnan(f->miss_rms_linear_corrected))
                lsim_series_group_attr(series, "orbit", "dispersion_miss_rms_linear_corrected",
                                       f->miss_rms_linear_corrected, "m");
            lsim_series_group_attr(series, "orbit", "catcher_reaction_share", m->reaction_share, "1");
            lsim_series_group_attr(series, "orbit", "catcher_force_per_capture_rate", m->arrival_speed,
                                   "N s kg-1");
            lsim_series_group_attr(series, "orbit", "catcher_heat_per_kg", 0.5 * m->arrival_speed * m->arrival_speed,
                                   "J kg-1");
            lsim_series_group_attr(series, "orbit", "catcher_jet_power_per_capture_rate",
                                   0.5 * m->arrival_speed * cfg->catcher_exhaust_speed, "W s kg-1");
            static const char *const geometry_names[7] = {"moon_x", "moon_radius", "l1_x", "l2_x",
                                                          "catcher_x", "catcher_y", "catcher_z"};
            for (int k = 0; k < 7; ++k) lsim_series_group_attr(series, "orbit", geometry_names[k], f->geometry[k], "m");
            lsim_series_group_attr(series, "orbit", "catcher_radius", cfg->catcher_radius, "m");
            if (f->trajectory)
                lsim_series_group_table(series, "orbit", "trajectory", f->trajectory_rows, 8, f->trajectory,
                                        "sample,t,x,y,z,vx,vy,vz", "1,s,m,m,m,m s-1,m s-1,m s-1",
                                        "flights from release in the rotating frame (origin at the Earth-Moon "
                                        "barycentre, x towards the Moon, z along its orbital pole): sample 0 the "
                                        "nominal, sample i+1 launch i of the Monte Carlo, corrections included");
            if (f->arrivals)
                lsim_series_group_table(series, "orbit", "arrivals", f->arrival_rows, 7, f->arrivals,
                                        "sample,t,miss_1,miss_2,speed,captured,correction_dv",
                                        "1,s,m,m,m s-1,1,m s-1",
                                        "Monte Carlo arrivals at the catcher: sample i is launch i-1; t from release "
                                        "to closest approach, miss across the nominal arrival velocity, speed "
                                        "relative to the catcher, captured 1 inside the aperture, correction_dv the "
                                        "sum of its corrections; NaN where it never approached");
        }
        lsim_series_group_attr(series, "orbit", "initial_hardware_earth_mass", d->initial_hardware_earth_mass, "kg");
        lsim_series_group_attr(series, "orbit", "earth_parts_per_installed_watt", m->earth_mass_per_watt,
                               "kg W-1");
        lsim_series_group_attr(series, "orbit", "earth_specific_mass", cfg->earth_specific_mass, "kg W-1");
        /* What burn-in buys at the defaults' hazard: the yield on the ground
         * and a module's chance to fail in its first year in orbit. */
        const lsim_bathtub *h = &cfg->compute_hazard;
        const double tau = cfg->chip_burn_in_time;
        lsim_series_group_attr(series, "orbit", "compute_module_power", cfg->compute_module_power, "W");
        lsim_series_group_attr(series, "orbit", "chip_burn_in_yield", exp(-lsim_bathtub_cumulative(h, tau)), "1");
        lsim_series_group_attr(series, "orbit", "module_first_year_failure_probability",
                               lsim_bathtub_failure_probability(h, tau, tau + LSIM_ORBIT_YEAR), "1");
        lsim_series_group_attr(series, "orbit", "module_first_year_failure_probability_unscreened",
                               lsim_bathtub_failure_probability(h, 0.0, LSIM_ORBIT_YEAR), "1");
        lsim_series_group_attr(series, "orbit", "chips_per_kit_mass",
                               m->earth_mass_per_watt > 0.0 ? (1.0 - cfg->housekeeping_fraction) / m->earth_mass_per_watt
                                                            : 0.0,
                               "W kg-1");
    }
    return LSIM_OK;
}

double lsim_orbit_power_demand(const lsim_orbit *m, const lsim_clock *clock)
{
    (void)m;
    (void)clock;
    return 0.0;
}

/* What one step moved, for the series and the outputs. */
typedef struct {
    double launched_mass, arrived_mass, caught_mass, lost_mass, overflow_mass; /* kg, all streams */
    double catcher_mass_caught; /* kg */
    double catchers_added;      /* 1 */
    double correction_propellant, gross_caught_mass, reaction_mass; /* kg */
    int64_t earth_launches;     /* this step */
    double earth_supply;        /* kg */
    double degraded;            /* W */
    lsim_orbit_assembly_result assembly;
    lsim_orbit_compute_step compute;
    double chips_launched;      /* W of compute hardware flown this step */
    int earth_bound;            /* lsim_orbit_earth_bound of this step's Earth supply */
    int earth_limit;            /* with assembly limited by Earth parts: what held them back */
} step_record;

/* Flight and capture: this step's arrivals from the ring, the aperture share
 * of them, then the catchers' intake for panels and radiators, which are
 * caught in one share so ratings stay with their mass. Loss is what arrived and was not
 * put in a stock, so the mass balance closes. */
static void fly_and_catch(lsim_orbit *m, const lsim_orbit_launch *in, step_record *r)
{
    double launched[LSIM_ORBIT_STREAM_COUNT] = {in->panel_mass_launched, in->panel_watts_launched,
                                                in->radiator_mass_launched, in->radiator_rejection_watts_launched,
                                                in->catcher_mass_launched};
    r->launched_mass = launched[LSIM_ORBIT_PANEL_MASS] + launched[LSIM_ORBIT_RADIATOR_MASS] +
                       launched[LSIM_ORBIT_CATCHER_MASS];
    /* The correction propellant flies in each payload's share of the bucket
     * and is gone before arrival; ratings go with the mass that remains. */
    if (m->correction_share > 0.0) {
        double flying[LSIM_ORBIT_STREAM_COUNT];
        double kept = 1.0 - m->correction_share;
        for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) flying[s] = launched[s] * kept;
        r->correction_propellant = r->launched_mass - (flying[LSIM_ORBIT_PANEL_MASS] + flying[LSIM_ORBIT_RADIATOR_MASS] +
                                                       flying[LSIM_ORBIT_CATCHER_MASS]);
        memcpy(launched, flying, sizeof launched);
    }
    double arrived[LSIM_ORBIT_STREAM_COUNT];
    lsim_orbit_transit_advance(&m->transit, launched, arrived);
    m->correction_propellant_total += r->correction_propellant;
    r->arrived_mass =
        arrived[LSIM_ORBIT_PANEL_MASS] + arrived[LSIM_ORBIT_RADIATOR_MASS] + arrived[LSIM_ORBIT_CATCHER_MASS];
    m->launched_total += r->launched_mass;

    /* Catcher hardware docks with the catchers rather than filling their
     * bag: it is caught at the aperture share and does not use the
     * catchers' intake (a 100 t unit arrives within a step or two, far above
     * any step's intake). Panels and radiators share the intake. */
    const double captured = m->flight.schedule.captured_share;
    double capacity = m->catcher_count * m->cfg.catcher_capacity * m->dt;
    double caught[LSIM_ORBIT_STREAM_COUNT];
    caught[LSIM_ORBIT_CATCHER_MASS] = arrived[LSIM_ORBIT_CATCHER_MASS] * captured;
    double capacity_left = capacity;
    double payload_arrived = arrived[LSIM_ORBIT_PANEL_MASS] + arrived[LSIM_ORBIT_RADIATOR_MASS];
    double payload_inside = payload_arrived * captured;
    double share = payload_arrived > 0.0 ? fmin(payload_inside, capacity_left) / payload_arrived : 0.0;
    for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s)
        if (s != LSIM_ORBIT_CATCHER_MASS) caught[s] = share >= 1.0 ? arrived[s] : arrived[s] * share;
    double inside = payload_inside;
    double gross = caught[LSIM_ORBIT_PANEL_MASS] + caught[LSIM_ORBIT_RADIATOR_MASS] + caught[LSIM_ORBIT_CATCHER_MASS];
    r->lost_mass = r->arrived_mass - gross;
    r->gross_caught_mass = gross;
    /* The catchers hold station against the caught stream's momentum by
     * spending a share of it as reaction mass; ratings go with the rest. */
    if (m->reaction_share > 0.0) {
        double kept = 1.0 - m->reaction_share;
        for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) caught[s] *= kept;
    }
    r->caught_mass =
        caught[LSIM_ORBIT_PANEL_MASS] + caught[LSIM_ORBIT_RADIATOR_MASS] + caught[LSIM_ORBIT_CATCHER_MASS];
    r->reaction_mass = gross - r->caught_mass;
    m->reaction_mass_total += r->reaction_mass;
    r->overflow_mass = inside > capacity ? inside - capacity : 0.0;
    r->catcher_mass_caught = caught[LSIM_ORBIT_CATCHER_MASS];
    m->caught_total += r->caught_mass;
    m->lost_total += r->lost_mass;
    m->overflow_total += r->overflow_mass;
    m->parts.panel_mass += caught[LSIM_ORBIT_PANEL_MASS];
    m->parts.panel_watts += caught[LSIM_ORBIT_PANEL_WATTS];
    m->parts.radiator_mass += caught[LSIM_ORBIT_RADIATOR_MASS];
    m->parts.radiator_watts += caught[LSIM_ORBIT_RADIATOR_WATTS];
}

/* Caught catcher hardware becomes catchers: catcher_lunar_mass of it makes
 * one (its Earth-made share is flown and counted by the caller). With
 * catcher_lunar_mass = 0 the hardware is kept on the books but makes none. */
static void build_catchers(lsim_orbit *m, step_record *r)
{
    if (!(r->catcher_mass_caught > 0.0)) return;
    m->catcher_hardware_total += r->catcher_mass_caught;
    if (m->cfg.catcher_lunar_mass > 0.0) r->catchers_added = r->catcher_mass_caught / m->cfg.catcher_lunar_mass;
    m->catcher_count += r->catchers_added;
    m->catchers_from_hardware += r->catchers_added;
}

/* Earth launches of chips and structure, by the earth_launch_policy. They
 * carry chips only from the programme's burnt-in chip stock: spares for the
 * compute fleet first, then assembly kits. When the supply falls short of
 * what is needed, the step records which bound it: the launch rate, or the
 * chips (what the stock could carry is below what the launches could). */
static void supply_earth_parts(lsim_orbit *m, const lsim_clock *clock, step_record *r)
{
    const double dt = m->dt;
    const double payload = m->cfg.earth_payload_per_launch;
    const double spares_wanted = lsim_orbit_spares_wanted(m);
    int64_t launches_now;
    lsim_orbit_cargo cargo;
    int bound = LSIM_ORBIT_EARTH_BOUND_NONE;
    if (m->cfg.earth_launch_on_demand) {
        /* Whole launches for the Earth parts that the panels waiting here or
         * in flight will need and for the spares wanted, within a ceiling of
         * earth_launch_rate that banks at most a month of unused launches. */
        double allowance_cap = fmax(1.0, m->cfg.earth_launch_rate * 30.0 * 86400.0);
        m->earth_launch_allowance = fmin(allowance_cap, m->earth_launch_allowance + m->cfg.earth_launch_rate * dt);
        double watts_coming = m->parts.panel_watts + m->transit.in_transit[LSIM_ORBIT_PANEL_WATTS];
        double kits_short = fmax(0.0, watts_coming * m->earth_mass_per_watt - m->parts.earth_parts);
        double need = kits_short + spares_wanted * m->cfg.chip_specific_mass;
        double wanted = need > 0.0 && payload > 0.0 ? ceil(need / payload) : 0.0;
        double ceiling = floor(m->earth_launch_allowance);
        double flown = fmin(wanted, ceiling);
        /* The launches fill with kits beyond the need, as far as the chips
         * go, but never beyond one payload ahead of the panels coming: a
         * launch flown for a few spares must not park 100 t of kits in orbit
         * each time (it left 58 kt idle in orbit over the default run).
         * Short of chips, only full launches fly (a part-empty one only if it
         * meets the whole need): the rest of the chips wait on Earth. */
        double kits_cap = fmax(0.0, watts_coming * m->earth_mass_per_watt + payload - m->parts.earth_parts);
        cargo = lsim_orbit_plan_cargo(m, flown * payload, kits_cap, spares_wanted);
        double carried = cargo.spare_mass + cargo.kits_mass;
        if (cargo.chips_ran_out && payload > 0.0 && carried < need * (1.0 - 1e-12)) {
            flown = fmin(flown, floor(carried / payload * (1.0 + 1e-12)));
            cargo = lsim_orbit_plan_cargo(m, flown * payload, kits_cap, spares_wanted);
            carried = cargo.spare_mass + cargo.kits_mass;
        } else if (cargo.chips_ran_out && payload > 0.0) {
            flown = fmin(flown, ceil(carried / payload * (1.0 - 1e-12)));
        }
        if (carried < need * (1.0 - 1e-12)) {
            lsim_orbit_cargo by_chips = lsim_orbit_plan_cargo(m, INFINITY, INFINITY, spares_wanted);
            bound = by_chips.spare_mass + by_chips.kits_mass < ceiling * payload ? LSIM_ORBIT_EARTH_BOUND_CHIPS
                                                                                 : LSIM_ORBIT_EARTH_BOUND_LAUNCH;
        }
        m->earth_launch_allowance -= flown;
        launches_now = (int64_t)flown;
    } else {
        /* A steady cadence: whole launches due by the end of this step, full
         * as far as the chips go. */
        double step_end = (double)(clock->step + 1) * dt;
        double launches_real = step_end * m->cfg.earth_launch_rate;
        double launches_floor = floor(launches_real);
        /* A launch due exactly at the step end must not slip a step through rounding of t*rate. */
        if (launches_real - launches_floor > 1.0 - 1e-9) launches_floor += 1.0;
        int64_t launches_due = (int64_t)launches_floor;
        launches_now = launches_due > m->earth_launches_done ? launches_due - m->earth_launches_done : 0;
        cargo = lsim_orbit_plan_cargo(m, (double)launches_now * payload, INFINITY, spares_wanted);
        if (launches_now > 0)
            bound = cargo.chips_ran_out ? LSIM_ORBIT_EARTH_BOUND_CHIPS : LSIM_ORBIT_EARTH_BOUND_LAUNCH;
    }
    lsim_orbit_load_cargo(m, &cargo);
    m->earth_launches_done += launches_now;
    r->earth_launches = launches_now;
    r->earth_supply = cargo.spare_mass + cargo.kits_mass;
    r->chips_launched = cargo.chips_used;
    r->earth_bound = bound;
    if (bound != LSIM_ORBIT_EARTH_BOUND_NONE) m->earth_bound_last = bound;
    m->earth_supplied_total += r->earth_supply;
}

/* Degradation of what was installed before this step, by the exact factor. */
static void degrade(lsim_orbit *m, step_record *r)
{
    double before = m->installed_power;
    m->installed_power = before * m->degradation_factor;
    r->degraded = before - m->installed_power;
    m->degraded_total += r->degraded;
}

static void assemble(lsim_orbit *m, step_record *r)
{
    lsim_orbit_assembly_spec spec = {m->cfg.radiator_heat_per_watt, m->earth_mass_per_watt};
    lsim_orbit_assembly_result a =
        lsim_orbit_assemble(&m->parts, &spec, m->assembly_units * m->cfg.assembly_rate_per_unit * m->dt);
    m->installed_power += a.power;
    m->installed_mass += a.panel_mass + a.radiator_mass + a.earth_mass;
    m->assembled_total += a.power;
    m->earth_parts_used_total += a.earth_mass;
    r->assembly = a;
}

/* With assembly short of Earth parts, what held them back: the last bound
 * the Earth supply met (the launch rate when it has met none). */
static void note_earth_limit(lsim_orbit *m, double t_end, step_record *r)
{
    r->earth_limit = LSIM_ORBIT_EARTH_BOUND_NONE;
    if (r->assembly.limit != LSIM_ORBIT_LIMIT_CHIPS) return;
    int cause = m->earth_bound_last != LSIM_ORBIT_EARTH_BOUND_NONE ? m->earth_bound_last : LSIM_ORBIT_EARTH_BOUND_LAUNCH;
    r->earth_limit = cause;
    m->earth_limit_time[cause] += m->dt;
    if (isnan(m->earth_limit_first[cause])) m->earth_limit_first[cause] = t_end;
}

static void write_series(lsim_orbit *m, const step_record *r, double compute_power, double compute_flops)
{
    const double dt = m->dt;
    const lsim_orbit_assembly_result *a = &r->assembly;
    lsim_orbit_earth_equivalent total = lsim_orbit_earth_equivalent_of(
        m->assembled_total, m->cfg.earth_specific_mass, m->cfg.earth_payload_per_launch);
    lsim_orbit_earth_equivalent now =
        lsim_orbit_earth_equivalent_of(a->power, m->cfg.earth_specific_mass, m->cfg.earth_payload_per_launch);
    put(m, LSIM_ORBIT_S_LAUNCH_RATE, r->launched_mass / dt);
    put(m, LSIM_ORBIT_S_ARRIVAL_RATE, r->arrived_mass / dt);
    put(m, LSIM_ORBIT_S_CAPTURE_RATE, r->caught_mass / dt);
    put(m, LSIM_ORBIT_S_LOSS_RATE, r->lost_mass / dt);
    put(m, LSIM_ORBIT_S_OVERFLOW_RATE, r->overflow_mass / dt);
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
    put(m, LSIM_ORBIT_S_ASSEMBLY_RATE, a->power / dt);
    put(m, LSIM_ORBIT_S_DEGRADATION_RATE, r->degraded / dt);
    put(m, LSIM_ORBIT_S_LIMIT, (double)a->limit);
    put(m, LSIM_ORBIT_S_LIMIT_NONE, a->limit == LSIM_ORBIT_LIMIT_NONE ? 1.0 : 0.0);
    put(m, LSIM_ORBIT_S_LIMIT_PANELS, a->limit == LSIM_ORBIT_LIMIT_PANELS ? 1.0 : 0.0);
    put(m, LSIM_ORBIT_S_LIMIT_RADIATORS, a->limit == LSIM_ORBIT_LIMIT_RADIATORS ? 1.0 : 0.0);
    put(m, LSIM_ORBIT_S_LIMIT_CHIPS, a->limit == LSIM_ORBIT_LIMIT_CHIPS ? 1.0 : 0.0);
    put(m, LSIM_ORBIT_S_LIMIT_ASSEMBLY, a->limit == LSIM_ORBIT_LIMIT_ASSEMBLY ? 1.0 : 0.0);
    put(m, LSIM_ORBIT_S_EARTH_LAUNCH_RATE, (double)r->earth_launches / dt);
    put(m, LSIM_ORBIT_S_EARTH_SUPPLY_RATE, r->earth_supply / dt);
    put(m, LSIM_ORBIT_S_EARTH_LAUNCHES, (double)m->earth_launches_done);
    put(m, LSIM_ORBIT_S_EARTH_EQUIVALENT_MASS, total.mass);
    put(m, LSIM_ORBIT_S_EARTH_EQUIVALENT_LAUNCHES, total.launches);
    put(m, LSIM_ORBIT_S_EARTH_EQUIVALENT_MASS_RATE, now.mass / dt);
    put(m, LSIM_ORBIT_S_EARTH_EQUIVALENT_LAUNCH_RATE, now.launches / dt);
    put(m, LSIM_ORBIT_S_CATCHERS, m->catcher_count);
    put(m, LSIM_ORBIT_S_ASSEMBLY_UNITS, m->assembly_units);
    put(m, LSIM_ORBIT_S_CORRECTION_PROPELLANT_RATE, r->correction_propellant / dt);
    put(m, LSIM_ORBIT_S_REACTION_MASS_RATE, r->reaction_mass / dt);
    put(m, LSIM_ORBIT_S_CATCHER_FORCE, r->gross_caught_mass * m->arrival_speed / dt);
    put(m, LSIM_ORBIT_S_CATCHER_HEAT, 0.5 * r->gross_caught_mass * m->arrival_speed * m->arrival_speed / dt);
    const lsim_orbit_compute_step *c = &r->compute;
    put(m, LSIM_ORBIT_S_CHIP_SUPPLY_RATE, c->chips_produced / dt);
    put(m, LSIM_ORBIT_S_CHIP_STOCK, m->chip_stock);
    put(m, LSIM_ORBIT_S_CHIPS_IN_BURN_IN, m->chip_burn_in.total_burn_in * m->cfg.compute_module_power);
    put(m, LSIM_ORBIT_S_BURN_IN_FAILURE_RATE, c->chips_scrapped / dt);
    put(m, LSIM_ORBIT_S_CHIP_LAUNCH_RATE, r->chips_launched / dt);
    put(m, LSIM_ORBIT_S_SPARE_CHIPS, m->spare_chips);
    put(m, LSIM_ORBIT_S_MODULES_IN_SERVICE, m->compute_modules.total_in_service);
    put(m, LSIM_ORBIT_S_MODULES_VACANT, m->modules_vacant);
    put(m, LSIM_ORBIT_S_MODULE_FAILURE_RATE, c->module_failures / dt);
    put(m, LSIM_ORBIT_S_MODULE_REPLACEMENT_RATE, c->module_replacements / dt);
    put(m, LSIM_ORBIT_S_EARTH_BOUND, (double)r->earth_bound);
    put(m, LSIM_ORBIT_S_LIMIT_EARTH_LAUNCH, r->earth_limit == LSIM_ORBIT_EARTH_BOUND_LAUNCH ? 1.0 : 0.0);
    put(m, LSIM_ORBIT_S_LIMIT_CHIP_PRODUCTION, r->earth_limit == LSIM_ORBIT_EARTH_BOUND_CHIPS ? 1.0 : 0.0);
}

void lsim_orbit_step_launch(lsim_orbit *m, const lsim_clock *clock, double power_granted_W,
                            const lsim_orbit_launch *in, lsim_orbit_outputs *out)
{
    (void)power_granted_W; /* the orbit stage runs on orbital power */
    static const lsim_orbit_launch nothing = {0.0, 0.0, 0.0, 0.0, 0.0};
    if (!in) in = &nothing;
    step_record r;
    memset(&r, 0, sizeof r);

    const double t_start = (double)clock->step * m->dt, t_end = t_start + m->dt;
    fly_and_catch(m, in, &r);           /* arrivals by the flight schedule; aperture, then capacity */
    build_catchers(m, &r);              /* caught catcher hardware joins the catchers */
    /* Earth's chips made and burnt in; a failing allocation of cohorts is the only way out. */
    lsim_status st = lsim_orbit_produce_chips(m, t_start, t_end, &r.compute);
    LSIM_ASSERT(st == LSIM_OK, "orbit chip burn-in: %s", lsim_last_error());
    supply_earth_parts(m, clock, &r);   /* Earth launches of chips (spares, kits) and structure */
    degrade(m, &r);                     /* panel wear of power installed before this step */
    st = lsim_orbit_wear_compute(m, t_end, &r.compute); /* module failures; spares fill the slots */
    LSIM_ASSERT(st == LSIM_OK, "orbit compute wear: %s", lsim_last_error());
    assemble(m, &r);                    /* panels + radiators + Earth parts, within robot capacity */
    st = lsim_orbit_install_compute(m, r.assembly.power, t_end); /* its modules join the fleet */
    LSIM_ASSERT(st == LSIM_OK, "orbit compute modules: %s", lsim_last_error());
    note_earth_limit(m, t_end, &r);     /* launch or chips, when assembly waited for Earth parts */

    double compute_power = lsim_orbit_compute_power(m);
    double compute_flops = compute_power * m->cfg.flops_per_watt;
    if (m->series) write_series(m, &r, compute_power, compute_flops);
    if (out) {
        out->arrived_mass = r.arrived_mass;
        out->caught_mass = r.caught_mass;
        out->lost_mass = r.lost_mass;
        out->assembled_power = r.assembly.power;
        out->installed_power = m->installed_power;
        out->compute_power = compute_power;
        out->compute_flops = compute_flops;
        out->earth_mass_supplied = r.earth_supply;
        out->limit = (int)r.assembly.limit;
        out->power_used = 0.0;
        out->catcher_mass_caught = r.catcher_mass_caught;
        out->catchers_added = r.catchers_added;
        out->correction_propellant = r.correction_propellant;
        out->reaction_mass = r.reaction_mass;
        out->earth_limit = r.earth_limit;
        out->module_failures = r.compute.module_failures;
    }
}

void lsim_orbit_step(lsim_orbit *m, const lsim_clock *clock, double power_granted_W, const lsim_orbit_inputs *in,
                     lsim_orbit_outputs *out)
{
    lsim_orbit_launch all = {0.0, 0.0, 0.0, 0.0, 0.0};
    if (in) {
        all.panel_mass_launched = in->panel_mass_launched;
        all.panel_watts_launched = in->panel_watts_launched;
        all.radiator_mass_launched = in->radiator_mass_launched;
        all.radiator_rejection_watts_launched = in->radiator_rejection_watts_launched;
    }
    lsim_orbit_step_launch(m, clock, power_granted_W, &all, out);
}

const lsim_orbit_design *lsim_orbit_design_view(const lsim_orbit *m) { return &m->design; }

void lsim_orbit_status(const lsim_orbit *m, lsim_orbit_status_view *view)
{
    view->installed_power = m->installed_power;
    view->assembled_total = m->assembled_total;
    view->catcher_count = m->catcher_count;
    view->assembly_units = m->assembly_units;
    view->panel_watts_waiting = m->parts.panel_watts;
    view->radiator_watts_waiting = m->parts.radiator_watts;
    view->earth_parts_waiting = m->parts.earth_parts;
    view->panel_watts_in_transit = m->transit.in_transit[LSIM_ORBIT_PANEL_WATTS];
    view->in_transit_mass = lsim_orbit_in_transit_mass(m);
    view->catchers_from_hardware = m->catchers_from_hardware;
    view->compute_power = lsim_orbit_compute_power(m);
    view->chip_stock = m->chip_stock;
    view->chips_produced = m->chips_produced_total;
    view->modules_in_service = m->compute_modules.total_in_service;
    view->modules_vacant = m->modules_vacant;
    view->module_failures = m->compute_modules.failed_service_total;
    view->modules_scrapped_burn_in = m->chips_scrapped_total;
    view->module_replacements = m->module_replacements_total;
    for (int k = 0; k < LSIM_ORBIT_EARTH_BOUND_COUNT; ++k) {
        view->earth_limit_time[k] = m->earth_limit_time[k];
        view->earth_limit_first[k] = m->earth_limit_first[k];
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

lsim_status lsim_orbit_set_units_in_service(lsim_orbit *m, double catchers, double assembly_units)
{
    if (!(catchers >= 0.0) || !(assembly_units >= 0.0))
        return lsim_fail(LSIM_ERR_RUN, "orbit: units in service must be >= 0 (got %g catchers, %g assembly units)",
                         catchers, assembly_units);
    m->catcher_count = catchers;
    m->assembly_units = assembly_units;
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
    return m->transit.in_transit[LSIM_ORBIT_PANEL_MASS] + m->transit.in_transit[LSIM_ORBIT_RADIATOR_MASS] +
           m->transit.in_transit[LSIM_ORBIT_CATCHER_MASS];
}

double lsim_orbit_mass_balance(const lsim_orbit *m)
{
    return m->launched_total - lsim_orbit_in_transit_mass(m) - m->caught_total - m->lost_total -
           m->correction_propellant_total - m->reaction_mass_total;
}

double lsim_orbit_earth_parts_balance(const lsim_orbit *m)
{
    return m->earth_supplied_total - m->parts.earth_parts - m->earth_parts_used_total -
           m->spare_chips * m->cfg.chip_specific_mass;
}

double lsim_orbit_chip_balance(const lsim_orbit *m)
{
    const lsim_cohort_fleet *b = &m->chip_burn_in;
    return m->chips_produced_total -
           (lsim_cohort_alive(b) + b->pending + m->chips_scrapped_total) * m->cfg.compute_module_power -
           m->chip_stock - m->chips_flown_total;
}

void lsim_orbit_free(lsim_orbit *m)
{
    lsim_orbit_compute_free(m);
    lsim_orbit_transit_free(&m->transit);
    lsim_orbit_flight_free(&m->flight);
}
