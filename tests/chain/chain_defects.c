/* Regression tests for defects that capped or biased every scenario. Each
 * case failed on the code before its fix (the failing figure is quoted) and
 * checks the property the fix restores, not a number it happens to give.
 *
 * 1. A mass driver at its rate cap, with all the power it asked for, is the
 *    step's limit, and growth answers it with more drivers.
 * 2. A stockpile limits what is stored, not what flows: refinery throughput
 *    does not depend on the step length or on the stockpile size.
 * 4. Growth never leaves a stage at zero capacity, unfunded, while lunar
 *    metal and Earth parts for its unit are in stock.
 * 5. Hardware that exists at t = 0 is in the Earth ledger, orbital hardware
 *    included; lunar-made catchers are launched like any other product. */
#include "chain_internal.h"
#include "chain_test_util.h"

/* ---- 1: launch at its cap is the limit ---- */
static void launch_cap_is_the_limit(void)
{
    /* One driver capped at 200 launches a day: the default chain's panel
     * output passes that within a few years (before the fix one driver sat
     * at its cap for 7,825 days of a scale-up run and no second was built). */
    /* Manufacturing enough for a second driver within the run (20 kt/yr):
     * the property is about what growth answers, not how fast it builds. */
    const char *overrides[] = {"run.duration=10 yr", "run.time_step=2 h", "run.output_interval=2 h",
                               /* the deck's rate cap is the first-order launcher's (the coil one derives its own) */
                               "massdriver.launcher_model=first_order", "massdriver.drivers=1",
                               "massdriver.max_launch_rate=200/d", "chain.factories=2000",
                               /* no wear: the spares of 2000 factories would eat the little metal 10 plants make */
                               "chain.infant_scale=0 s", "chain.factory_mtbf=0 s", "chain.factory_life=0 s", "chain.plant_mtbf=0 s",
                               "chain.plant_life=0 s", "chain.line_mtbf=0 s", "chain.line_life=0 s", "chain.driver_mtbf=0 s",
                               "chain.driver_life=0 s", NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return;
    lsim_chain *c = &fx.chain;
    const int id_rate = chain_series_id(fx.series, "massdriver", "launch_rate");
    const int id_operable = chain_series_id(fx.series, "massdriver", "operable_drivers");
    LSIM_CHECK(id_rate >= 0 && id_operable >= 0, "massdriver series missing");
    if (id_rate < 0 || id_operable < 0) return;
    const double cap_per_driver = c->massdriver.max_launch_rate;
    long capped_steps = 0, capped_named_launch = 0, capped_named_power = 0;
    double waiting_at_cap = 0.0;
    while (c->clock.step < c->clock.step_count) {
        if (chain_fixture_step(&fx)) return;
        /* At the cap: the step's launch rate within round-off of the rate cap
         * of the drivers operable over it, with payload left waiting. */
        double rate = lsim_series_last_value(fx.series, id_rate);
        double cap = cap_per_driver * lsim_series_last_value(fx.series, id_operable);
        double waiting = c->s.launch_panel_mass + c->s.launch_radiator_mass;
        int orbit_limits = c->s.last_bottleneck == LSIM_BOTTLENECK_ASSEMBLY ||
                           c->s.last_bottleneck == LSIM_BOTTLENECK_EARTH_PARTS;
        if (!orbit_limits && cap > 0.0 && rate >= cap * (1.0 - 1e-9) && waiting > 0.0) {
            ++capped_steps;
            waiting_at_cap = waiting;
            if (c->s.last_bottleneck == LSIM_BOTTLENECK_LAUNCH) ++capped_named_launch;
            if (c->s.last_bottleneck == LSIM_BOTTLENECK_POWER) ++capped_named_power;
        }
    }
    printf("launch cap: %ld steps with payload left waiting after launch (%.4g kg at the last), "
           "%ld named launch, %ld power; drivers at the end %.0f (built %.0f)\n",
           capped_steps, waiting_at_cap, capped_named_launch, capped_named_power, c->massdriver.drivers,
           c->s.units_built[LSIM_UNIT_DRIVER]);
    LSIM_CHECK(capped_steps > 100, "the scenario must bind at the driver's cap for a while (%ld steps)", capped_steps);
    /* A driver at its cap got all it asked for: nothing else may be named. */
    LSIM_CHECK(capped_named_launch == capped_steps,
               "launch named in %ld of %ld steps where payload waited behind a driver at its cap",
               capped_named_launch, capped_steps);
    LSIM_CHECK(c->massdriver.drivers > 1.0, "growth answered the launch limit with more drivers (%.0f)",
               c->massdriver.drivers);
    chain_fixture_close(&fx);
}

/* ---- 2: stockpile size is not a throughput cap ---- */
static double refinery_feed_rate(const char *time_step, const char *buffer)
{
    /* No growth (no Earth parts), so the plants in place set the pace; the
     * equatorial site at noon-centred start keeps the array lit throughout. */
    char step_text[64], buffer_text[64];
    snprintf(step_text, sizeof step_text, "run.time_step=%s", time_step);
    snprintf(buffer_text, sizeof buffer_text, "chain.regolith_buffer_limit=%s", buffer);
    const char *overrides[] = {"run.duration=8 d", step_text, buffer_text, "chain.initial_earth_parts=0 t",
                               "chain.earth_resupply_rate=0 t/yr", "regolith.initial_excavators=400", "refinery.plants=1000",
                               "power.array_area=60000 m2", "power.illumination_curve=none", "power.lit_fraction=1",
                               NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return NAN;
    lsim_chain *c = &fx.chain;
    double consumed = 0.0, seconds = 0.0;
    /* Skip the first day: the stockpile starts empty and fills at mining's pace. */
    while (c->clock.step < c->clock.step_count) {
        if (chain_fixture_step(&fx)) return NAN;
        if (lsim_clock_time(&c->clock) > 86400.0) {
            consumed += lsim_sum_elements(c->refinery.last_consumed);
            seconds += c->clock.dt;
        }
    }
    double capacity = c->refinery.plants * c->refinery.route.throughput;
    chain_fixture_close(&fx);
    printf("stockpile: dt %s, buffer %s: refinery feed %.6g kg/s (capacity %.6g kg/s)\n", time_step, buffer,
           consumed / seconds, capacity);
    return consumed / seconds;
}

static void stockpile_is_not_a_rate_cap(void)
{
    /* 1000 MRE plants take 0.39 kg/s, 2.8 t in 2 h; the buffer holds 1.2
     * steps of feed at 2 h. Before the fix the feed was held to
     * buffer / (2 dt): 0.6 of capacity at 2 h, all of it at 1 h. */
    double at_1h = refinery_feed_rate("1 h", "3.4 t"), at_2h = refinery_feed_rate("2 h", "3.4 t");
    double big_buffer = refinery_feed_rate("2 h", "340 t");
    /* Same plants, all lit, feed always available: equal up to the round-off
     * of summing a few hundred steps (1e-9 relative). */
    LSIM_CHECK_CLOSE(at_2h, at_1h, 1e-9, 0.0, "refinery feed does not depend on the step length");
    LSIM_CHECK_CLOSE(at_2h, big_buffer, 1e-9, 0.0, "refinery feed does not depend on the stockpile size");
}

/* ---- 4: no stage sits at zero capacity, unfunded ---- */
static void no_idle_stage_with_metal_and_parts(void)
{
    /* Random decks around the deadlock: few, short-lived excavators,
     * a launch-limited start that saves metal for a driver, and Earth parts
     * in stock. The property is checked after every step. */
    static const char *const lives[] = {"0.3 yr", "1 yr", "3 yr"};
    static const char *const excavators[] = {"1", "2", "4"};
    static const char *const resupply[] = {"0 t/yr", "50 t/yr", "400 t/yr"};
    long violations = 0, checked = 0, decks = 0;
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
            for (int r = 0; r < 3; ++r) {
                char life[64], count[64], parts[64];
                snprintf(life, sizeof life, "regolith.max_life=%s", lives[a]);
                snprintf(count, sizeof count, "regolith.initial_excavators=%s", excavators[b]);
                snprintf(parts, sizeof parts, "chain.earth_resupply_rate=%s", resupply[r]);
                const char *overrides[] = {"run.duration=3 yr", "run.time_step=6 h", life, count, parts, NULL};
                chain_fixture fx;
                if (chain_fixture_open(&fx, overrides)) return;
                lsim_chain *c = &fx.chain;
                ++decks;
                while (c->clock.step < c->clock.step_count) {
                    if (chain_fixture_step(&fx)) return;
                    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
                        lsim_unit_kind kind = (lsim_unit_kind)k;
                        if (!lsim_chain_unit_idle(c, kind)) continue;
                        ++checked;
                        /* A unit on order, in burn-in or in repair is funded: it comes. */
                        int affordable = c->s.metal_stock >= lsim_chain_unit_lunar_mass(c, kind) &&
                                         c->s.earth_parts_stock >= lsim_chain_unit_earth_mass(c, kind) &&
                                         !(lsim_manufacturing_on_order(&c->manufacturing, k) > 0.0) &&
                                         !(lsim_chain_wear_coming(c, kind) > 0.0);
                        if (affordable && violations++ < 5)
                            fprintf(stderr, "[%s %s %s] step %lld: no %s with %.4g kg metal and %.4g kg parts\n",
                                    lives[a], excavators[b], resupply[r], (long long)c->clock.step,
                                    lsim_unit_name[k], c->s.metal_stock, c->s.earth_parts_stock);
                    }
                }
                chain_fixture_close(&fx);
            }
    printf("idle stages: %ld decks, %ld idle unit-kind steps checked, %ld unfunded with metal and parts\n", decks,
           checked, violations);
    LSIM_CHECK(checked > 0, "the decks must retire their excavators at least once");
    LSIM_CHECK(violations == 0, "%ld steps left a stage idle with its unit affordable", violations);
}

/* ---- 5: every unit at t = 0 is in the Earth ledger; catchers are launched ---- */

static void hardware_is_paid_for(void)
{
    const char *overrides[] = {"run.duration=1 d", NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return;
    lsim_chain *c = &fx.chain;
    const lsim_orbit_config *o = &c->orbit.cfg;
    double orbital = c->orbit.catcher_count * (o->catcher_lunar_mass + o->catcher_earth_mass) +
                     c->orbit.assembly_units * o->assembly_unit_earth_mass;
    double surface = c->power.array_rated_power / c->policy.seed_array_specific_power +
                     c->power.storage_capacity / c->policy.seed_storage_specific_energy +
                     lsim_param_real(fx.params, "chain", "initial_earth_parts");
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k)
        surface += lsim_chain_unit_count(c, (lsim_unit_kind)k) *
                   (lsim_chain_unit_lunar_mass(c, (lsim_unit_kind)k) + lsim_chain_unit_earth_mass(c, (lsim_unit_kind)k));
    LSIM_CHECK(orbital > 0.0, "the default start has a catcher and an assembly robot in orbit");
    /* A sum of a dozen terms: 1e-12 relative. */
    printf("seed ledger: %.4g kg, of which %.4g kg orbital hardware\n", c->s.seed_mass, orbital);
    LSIM_CHECK_CLOSE(c->s.seed_mass, surface + orbital, 1e-12, 0.0,
                     "the seed ledger holds the surface seed and the orbital hardware");
    chain_fixture_close(&fx);
}

/* Catchers the chain builds are lunar metal the mass driver launches: they
 * wait in the launch queue, fly, and become catchers when caught. */
static void catchers_are_launched(void)
{
    const char *overrides[] = {"run.duration=4 yr", "run.time_step=2 h", "massdriver.drivers=1",
                               "orbit.catcher_capacity=100 t/yr", "orbit.catcher_lunar_mass=10 t", NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return;
    lsim_chain *c = &fx.chain;
    double queued_max = 0.0;
    while (c->clock.step < c->clock.step_count) {
        if (chain_fixture_step(&fx)) return;
        if (c->s.launch_catcher_mass > queued_max) queued_max = c->s.launch_catcher_mass;
    }
    lsim_orbit_status_view orbit;
    lsim_orbit_status(&c->orbit, &orbit);
    printf("catchers: %.0f built, %.4g kg queued at most, %.3f catchers made from caught hardware\n",
           c->s.orbital_units_built[LSIM_ORBITAL_CATCHER], queued_max, orbit.catchers_from_hardware);
    LSIM_CHECK(c->s.orbital_units_built[LSIM_ORBITAL_CATCHER] >= 1.0, "overflowing catchers call for more");
    LSIM_CHECK(queued_max > 0.0, "catcher hardware waits for the mass driver");
    /* Every catcher built and launched has arrived and been caught, but those
     * still queued or in flight, and the aperture's miss share. */
    double in_flight = c->s.launch_catcher_mass / lsim_orbit_design_view(&c->orbit)->catcher_lunar_mass + 1.0;
    /* The catchers spend a share of all they catch, their own hardware too, as reaction mass. */
    const double kept = 1.0 - lsim_orbit_design_view(&c->orbit)->catcher_reaction_share;
    LSIM_CHECK(orbit.catchers_from_hardware >=
                   0.9 * kept * (c->s.orbital_units_built[LSIM_ORBITAL_CATCHER] - in_flight),
               "caught hardware becomes catchers in orbit (%.3f of %.0f built)", orbit.catchers_from_hardware,
               c->s.orbital_units_built[LSIM_ORBITAL_CATCHER]);
    /* Mass held anywhere in the chain and the orbit stage: round-off of ~1e4 steps of sums. */
    LSIM_CHECK(fabs(lsim_chain_mass_residual(c)) <= 1e-9 * c->s.mined_total, "chain mass balance %.3g kg",
               lsim_chain_mass_residual(c));
    LSIM_CHECK(fabs(lsim_orbit_mass_balance(&c->orbit)) <= 1e-9 * c->s.launched_total + 1e-9,
               "orbit mass balance %.3g kg", lsim_orbit_mass_balance(&c->orbit));
    chain_fixture_close(&fx);
}

int main(void)
{
    launch_cap_is_the_limit();
    stockpile_is_not_a_rate_cap();
    no_idle_stage_with_metal_and_parts();
    hardware_is_paid_for();
    catchers_are_launched();
    LSIM_TEST_MAIN_END();
}
