/* Earth's chips and the wear of orbital compute (compute_hardware.h). */
#include "compute_hardware.h"

#include <math.h>

#include "rng.h"

/* Burn-in draws come at least this many times per burn-in, so a module's
 * burn-in is cut short by merging into a cohort by at most 1/16 of it. */
#define LSIM_ORBIT_BURN_IN_TICKS 16.0

lsim_status lsim_orbit_compute_init(lsim_orbit *m)
{
    const lsim_orbit_config *c = &m->cfg;
    const double burn_in = c->chip_burn_in_time;
    /* On the ground: modules live exactly their burn-in; those that reach
     * its end leave the fleet as the yield (retired at max_life), those that
     * fail in it are scrapped. */
    double ground_tick = burn_in > 0.0 ? fmin(c->compute_wear_interval, burn_in / LSIM_ORBIT_BURN_IN_TICKS)
                                       : c->compute_wear_interval;
    lsim_cohort_config ground = {.hazard = c->compute_hazard,
                                 .burn_in_time = burn_in,
                                 .repair_share = 0.0,
                                 .repair_mean_time = 0.0,
                                 .max_life = burn_in,
                                 .cohort_interval = ground_tick,
                                 .wear_interval = ground_tick,
                                 .seed = m->seed,
                                 .stream = LSIM_STREAM_ORBIT_WEAR + 0x10};
    lsim_status st = lsim_cohort_init(&m->chip_burn_in, &ground, "orbit.chip_burn_in_time (modules in burn-in)", 0.0);
    if (st != LSIM_OK) return st;
    /* In orbit: failures are retired (repair_share 0); a spare comes back as a new unit. */
    lsim_cohort_config orbit = {.hazard = c->compute_hazard,
                                .burn_in_time = 0.0,
                                .repair_share = 0.0,
                                .repair_mean_time = 0.0,
                                .max_life = 0.0,
                                .cohort_interval = c->compute_cohort_interval,
                                .wear_interval = c->compute_wear_interval,
                                .seed = m->seed,
                                .stream = LSIM_STREAM_ORBIT_WEAR};
    st = lsim_cohort_init(&m->compute_modules, &orbit, "orbit.compute_* (modules in orbit)", 0.0);
    if (st != LSIM_OK) return st;
    if (!(c->compute_module_power > 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.compute_module_power = %g W, expected a power > 0 W",
                         c->compute_module_power);
    m->earth_bound_last = LSIM_ORBIT_EARTH_BOUND_NONE;
    for (int k = 0; k < LSIM_ORBIT_EARTH_BOUND_COUNT; ++k) {
        m->earth_limit_time[k] = 0.0;
        m->earth_limit_first[k] = NAN;
    }
    return LSIM_OK;
}

void lsim_orbit_compute_free(lsim_orbit *m)
{
    lsim_cohort_free(&m->chip_burn_in);
    lsim_cohort_free(&m->compute_modules);
}

/* Production over [t0, t1]: the integral of share x S0 exp(g t), exact for
 * any step (S0 e^{g t0} expm1(g dt) / g, and S0 dt at g = 0). */
static double chips_made(const lsim_orbit_config *c, double t0, double t1)
{
    const double rate = c->programme_compute_share * c->earth_compute_supply;
    const double g = c->earth_compute_growth;
    if (g == 0.0) return rate * (t1 - t0);
    return rate * exp(g * t0) * expm1(g * (t1 - t0)) / g;
}

lsim_status lsim_orbit_produce_chips(lsim_orbit *m, double t0, double t1, lsim_orbit_compute_step *out)
{
    const double module = m->cfg.compute_module_power;
    const double made = chips_made(&m->cfg, t0, t1);
    out->chips_produced = made;
    m->chips_produced_total += made;
    if (!(m->cfg.chip_burn_in_time > 0.0)) {
        m->chip_stock += made;
        out->chips_burnt_in = made;
        return LSIM_OK;
    }
    lsim_status st = lsim_cohort_add(&m->chip_burn_in, made / module, t1, 0.0);
    if (st != LSIM_OK) return st;
    lsim_cohort_step_result wear;
    lsim_cohort_step(&m->chip_burn_in, t1, 0.0, &wear);
    out->chips_scrapped = wear.failed_burn_in;
    out->chips_burnt_in = wear.retired_age * module;
    m->chips_scrapped_total += wear.failed_burn_in;
    m->chip_stock += out->chips_burnt_in;
    return LSIM_OK;
}

double lsim_orbit_spares_wanted(const lsim_orbit *m)
{
    const double module = m->cfg.compute_module_power;
    double target = (m->cfg.compute_spare_share * m->compute_modules.total_in_service + m->modules_vacant) * module;
    return fmax(0.0, target - m->spare_chips);
}

lsim_orbit_cargo lsim_orbit_plan_cargo(const lsim_orbit *m, double launch_mass, double kits_wanted,
                                       double spares_wanted)
{
    lsim_orbit_cargo cargo = {0.0, 0.0, 0.0, 0.0, 0};
    const double spare_mass_per_watt = m->cfg.chip_specific_mass;
    const double stock = fmax(m->chip_stock, 0.0);

    double spares = fmin(spares_wanted, stock);
    if (spare_mass_per_watt > 0.0) spares = fmin(spares, launch_mass / spare_mass_per_watt);
    cargo.spare_watts = spares;
    cargo.spare_mass = spares * spare_mass_per_watt;
    cargo.chips_ran_out = spares_wanted > stock;

    /* A kit for one installed W carries (1 - housekeeping) W of chips in earth_mass_per_watt kg. */
    const double stock_left = stock - spares;
    const double kit_mass_per_watt = m->earth_mass_per_watt;
    const double chips_per_kit_kg = kit_mass_per_watt > 0.0 ? (1.0 - m->cfg.housekeeping_fraction) / kit_mass_per_watt : 0.0;
    double room = fmin(launch_mass - cargo.spare_mass, kits_wanted);
    if (chips_per_kit_kg > 0.0 && room > 0.0) {
        double kits_by_chips = stock_left / chips_per_kit_kg;
        if (kits_by_chips < room) {
            cargo.kits_mass = kits_by_chips;
            cargo.chips_used = stock;
            cargo.chips_ran_out = 1;
            return cargo;
        }
        cargo.kits_mass = room;
    }
    cargo.chips_used = spares + cargo.kits_mass * chips_per_kit_kg;
    return cargo;
}

void lsim_orbit_load_cargo(lsim_orbit *m, const lsim_orbit_cargo *cargo)
{
    /* A cargo the stock ended takes all of it, not all but round-off. */
    double before = m->chip_stock;
    m->chip_stock = cargo->chips_used >= before ? 0.0 : before - cargo->chips_used;
    m->chips_flown_total += before - m->chip_stock;
    m->spares_flown_total += cargo->spare_watts;
    m->spare_chips += cargo->spare_watts;
    m->parts.earth_parts += cargo->kits_mass;
}

/* Vacant slots take whole spare modules while any are in orbit. A spare
 * stock a hair under a whole module through round-off still counts it. */
static lsim_status fill_vacancies(lsim_orbit *m, double now, lsim_orbit_compute_step *out)
{
    const double module = m->cfg.compute_module_power;
    if (!(m->modules_vacant > 0.0) || !(m->spare_chips > 0.0)) return LSIM_OK;
    double spares = floor(m->spare_chips / module * (1.0 + 1e-12));
    double replaced = fmin(m->modules_vacant, spares);
    if (!(replaced > 0.0)) return LSIM_OK;
    lsim_status st = lsim_cohort_add(&m->compute_modules, replaced, now, m->cfg.chip_burn_in_time);
    if (st != LSIM_OK) return st;
    m->modules_vacant -= replaced;
    m->spare_chips = fmax(0.0, m->spare_chips - replaced * module);
    m->module_replacements_total += replaced;
    double mass = replaced * module * m->cfg.chip_specific_mass;
    m->installed_mass += mass;
    m->earth_parts_used_total += mass;
    out->module_replacements += replaced;
    return LSIM_OK;
}

lsim_status lsim_orbit_wear_compute(lsim_orbit *m, double now, lsim_orbit_compute_step *out)
{
    lsim_cohort_step_result wear;
    lsim_cohort_step(&m->compute_modules, now, 0.0, &wear);
    double failed = wear.failed_service + wear.retired_age;
    out->module_failures += failed;
    m->modules_vacant += failed;
    return fill_vacancies(m, now, out);
}

lsim_status lsim_orbit_install_compute(lsim_orbit *m, double power, double now)
{
    if (!(power > 0.0)) return LSIM_OK;
    double compute = power * (1.0 - m->cfg.housekeeping_fraction);
    m->compute_slots += compute;
    return lsim_cohort_add(&m->compute_modules, compute / m->cfg.compute_module_power, now, m->cfg.chip_burn_in_time);
}

/* With every slot filled the panels decide: the slots were sized to the
 * undegraded panels, so their rating is never below the panels' share. */
double lsim_orbit_compute_power(const lsim_orbit *m)
{
    double fed = m->installed_power * (1.0 - m->cfg.housekeeping_fraction);
    if (!(m->modules_vacant > 0.0)) return fed;
    double working = m->compute_slots - m->modules_vacant * m->cfg.compute_module_power;
    return fmax(0.0, fmin(fed, working));
}

lsim_status lsim_orbit_compute_state(lsim_orbit *m, lsim_state *s)
{
    lsim_status st = lsim_cohort_state(&m->chip_burn_in, s, "orbit.chip_burn_in");
    if (st == LSIM_OK) st = lsim_cohort_state(&m->compute_modules, s, "orbit.compute_modules");
    double scalars[11] = {m->chip_stock,          m->spare_chips,          m->modules_vacant,
                          m->compute_slots,       m->chips_produced_total, m->chips_flown_total,
                          m->spares_flown_total,  m->chips_scrapped_total, m->module_replacements_total,
                          m->earth_parts_used_total, (double)m->earth_bound_last};
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.compute_scalars", scalars, 11);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.earth_limit_time", m->earth_limit_time, LSIM_ORBIT_EARTH_BOUND_COUNT);
    if (st == LSIM_OK)
        st = lsim_state_f64(s, "orbit.earth_limit_first", m->earth_limit_first, LSIM_ORBIT_EARTH_BOUND_COUNT);
    if (st != LSIM_OK) return st;
    if (lsim_state_is_loading(s)) {
        int bound = (int)scalars[10];
        if (!(scalars[10] == (double)bound && bound >= 0 && bound < LSIM_ORBIT_EARTH_BOUND_COUNT))
            return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry 'orbit.compute_scalars'[10] = %g is not an Earth bound code",
                             scalars[10]);
        m->chip_stock = scalars[0];
        m->spare_chips = scalars[1];
        m->modules_vacant = scalars[2];
        m->compute_slots = scalars[3];
        m->chips_produced_total = scalars[4];
        m->chips_flown_total = scalars[5];
        m->spares_flown_total = scalars[6];
        m->chips_scrapped_total = scalars[7];
        m->module_replacements_total = scalars[8];
        m->earth_parts_used_total = scalars[9];
        m->earth_bound_last = bound;
    }
    return LSIM_OK;
}
