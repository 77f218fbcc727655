/* The module's step: which cause limits the rate, power never above the
 * grant, exact mass conservation of the stock, scheduled downtime, growth. */
#include <stdint.h>

#include "lsim_test.h"
#include "massdriver.h"
#include "rng.h"

static lsim_params *new_params(void)
{
    lsim_params *params = lsim_params_new();
    if (!params || lsim_params_register(params, lsim_massdriver_param_defs, lsim_massdriver_param_count) != LSIM_OK) {
        fprintf(stderr, "cannot register massdriver parameters: %s\n", lsim_last_error());
        exit(1);
    }
    /* These cases are about one driver's physics; the deck default is none (built later from lunar metal). */
    lsim_param_set_text(params, "massdriver", "drivers", "1", "test");
    /* The first-order launcher, whose figures these cases check by hand (the coil launcher, the default, has
     * its own case below and tests/massdriver/test_massdriver_coil_design.c). */
    lsim_param_set_text(params, "massdriver", "launcher_model", "first_order", "test");
    lsim_param_set_text(params, "massdriver", "release_model", "gaussian", "test");
    return params;
}

static lsim_clock hourly_clock(int64_t step);

/* The coil launcher's rate is its own design's: at plenty of power and payload the step is limited by coil
 * heat with the default radiators (the `limit` series says 4, not the deck's cap), and by bank recharge
 * when the chargers are small. Issue 9: a thermally limited launcher shows it in the limit series. */
static void test_coil_rate_causes(void)
{
    for (int recharge = 0; recharge < 2; ++recharge) {
        lsim_params *params = new_params();
        lsim_param_set_text(params, "massdriver", "launcher_model", "coil", "test");
        lsim_param_set_text(params, "massdriver", "maintenance_duration", "0 s", "test");
        if (recharge) lsim_param_set_text(params, "massdriver", "coil_charger_power", "20 MW", "test");
        lsim_massdriver m;
        LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, 1u) == LSIM_OK, "%s", lsim_last_error());
        lsim_clock clock = hourly_clock(10);
        const lsim_launcher_design *d = lsim_massdriver_design_view(&m);
        double stock = 1.0e6; /* > 10^5 kg launched in the hour, not so large that the stock's rounding shows */
        lsim_massdriver_step_result r;
        lsim_massdriver_step(&m, &clock, 1.0e15, &stock, &r);
        lsim_massdriver_limit want = recharge ? LSIM_MASSDRIVER_LIMIT_RECHARGE : LSIM_MASSDRIVER_LIMIT_HEAT;
        LSIM_CHECK(r.limit == want, "coil launcher%s: limit %d, expected %d", recharge ? " (20 MW chargers)" : "",
                   (int)r.limit, (int)want);
        /* The rate is the design's sustained rate: launches = rate x dt, re-derived from the stock drawn down
         * (a cancellation of stock / launched mass ~ 10 times the rounding: 1e-13). */
        LSIM_CHECK_CLOSE(r.launches, d->max_launch_rate * 3600.0, 1e-13, 0.0, "launches at the design's rate");
        LSIM_CHECK(d->max_launch_rate < 10.0, "below the deck's 10/s cap: %g", d->max_launch_rate);
        lsim_massdriver_free(&m);
        lsim_params_free(params);
    }
}

static lsim_clock hourly_clock(int64_t step)
{
    lsim_clock clock;
    memset(&clock, 0, sizeof clock);
    clock.dt = 3600.0;
    clock.duration = 3600.0 * 24 * 365;
    clock.step_count = 24 * 365;
    clock.steps_per_output = 24;
    clock.step = step;
    return clock;
}

/* Defaults but always available (no maintenance), one driver. */
static void test_limits(void)
{
    lsim_params *params = new_params();
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "maintenance_duration", "0 s", "test") == LSIM_OK, "%s",
               lsim_last_error());
    lsim_massdriver m;
    LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, 1u) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock = hourly_clock(10);
    const double e_launch = 60.0e6; /* 67.2 MJ drawn − 7.2 MJ returned: see test_massdriver_physics */
    const lsim_launcher_design *d = lsim_massdriver_design_view(&m);
    LSIM_CHECK_CLOSE(d->energy_per_launch, e_launch, 1e-14, 0.0, "hand arithmetic");
    LSIM_CHECK_CLOSE(d->track_length, 10.0e3, 1e-15, 0.0, "v²/2a for the defaults");
    LSIM_CHECK(memcmp(&m.energy_per_launch, &d->energy_per_launch, sizeof(double)) == 0 &&
                   memcmp(&m.exit_speed, &d->exit_speed, sizeof(double)) == 0 &&
                   memcmp(&m.speed_error_sigma, &d->release.sigma_speed, sizeof(double)) == 0 &&
                   memcmp(&m.pointing_error_sigma, &d->release.sigma_angle, sizeof(double)) == 0,
               "legacy fields mirror the design bit for bit");
    LSIM_CHECK(lsim_massdriver_driver_count(&m) == 1.0, "one driver from the deck");

    /* Rate cap: plenty of payload and power → 10 launches/s for an hour. */
    double stock = 1.0e9;
    lsim_massdriver_step_result r;
    double demand = lsim_massdriver_power_demand(&m, &clock, stock);
    LSIM_CHECK_CLOSE(demand, 10.0 * e_launch, 1e-14, 0.0, "600 MW at the rate cap");
    double used = lsim_massdriver_step(&m, &clock, 1.0e12, &stock, &r);
    LSIM_CHECK(r.limit == LSIM_MASSDRIVER_LIMIT_RATE, "limit %d, expected rate cap", (int)r.limit);
    LSIM_CHECK_CLOSE(r.launches, 36000.0, 1e-14, 0.0, "10/s for 3600 s");
    LSIM_CHECK_CLOSE(r.mass_launched, 324000.0, 1e-14, 0.0, "36000 launches of 9 kg");
    LSIM_CHECK_CLOSE(used, demand, 1e-14, 0.0, "uses what it demanded");
    LSIM_CHECK_CLOSE(r.energy_used, used * 3600.0, 1e-15, 0.0, "energy = power · dt");
    LSIM_CHECK_CLOSE(r.first_launch_index, 0.0, 0.0, 0.0, "first step starts at launch 0");

    /* Power: 100 MW < 600 MW → rate 100e6 / 60e6 per second, all of the grant. */
    stock = 1.0e9;
    used = lsim_massdriver_step(&m, &clock, 100.0e6, &stock, &r);
    LSIM_CHECK(r.limit == LSIM_MASSDRIVER_LIMIT_POWER, "limit %d, expected power", (int)r.limit);
    LSIM_CHECK(used <= 100.0e6, "used %.17g W > granted 1e8 W", used);
    /* The launched mass is re-derived from the new stock (so the books close
     * exactly), which quantises it to the ulp of the 1e9 kg stock: ~2.4e-7 kg. */
    const double stock_ulp_kg = 2.0 * 2.220446049250313e-16 * 1.0e9;
    LSIM_CHECK_CLOSE(used, 100.0e6, 1e-14, d->energy_per_kg * stock_ulp_kg / 3600.0,
                     "power-limited: the whole grant, to the stock's ulp");
    LSIM_CHECK_CLOSE(r.mass_launched, 100.0e6 / e_launch * 9.0 * 3600.0, 1e-14, stock_ulp_kg,
                     "rate · payload · dt, to the stock's ulp");
    LSIM_CHECK_CLOSE(r.first_launch_index, 36000.0, 1e-14, 0.0, "launch count carried over");

    /* Payload: 1000 kg waiting → all of it, nothing more, stock to exactly zero. */
    stock = 1000.0;
    used = lsim_massdriver_step(&m, &clock, 1.0e12, &stock, &r);
    LSIM_CHECK(r.limit == LSIM_MASSDRIVER_LIMIT_PAYLOAD, "limit %d, expected payload", (int)r.limit);
    LSIM_CHECK(r.mass_launched == 1000.0 && stock == 0.0, "launched %.17g, left %.17g", r.mass_launched, stock);
    LSIM_CHECK_CLOSE(used, d->energy_per_kg * 1000.0 / 3600.0, 1e-14, 0.0, "energy per kg · mass / dt");

    /* Empty stock and no power: nothing moves, nothing drawn. */
    stock = 0.0;
    used = lsim_massdriver_step(&m, &clock, 0.0, &stock, &r);
    LSIM_CHECK(used == 0.0 && r.mass_launched == 0.0 && stock == 0.0, "idle step moved something");

    /* No drivers: the cap (zero) limits. */
    lsim_massdriver none;
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "drivers", "0", "test") == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_massdriver_init(&none, params, NULL, 1u) == LSIM_OK, "%s", lsim_last_error());
    stock = 5000.0;
    used = lsim_massdriver_step(&none, &clock, 1.0e9, &stock, &r);
    LSIM_CHECK(r.limit == LSIM_MASSDRIVER_LIMIT_RATE && used == 0.0 && stock == 5000.0, "no drivers launched");

    /* Growth: 2.5 more drivers → 2.5× the rate cap; unit masses from 10 km. */
    LSIM_CHECK(lsim_massdriver_add_drivers(&none, 2.5, &clock) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_massdriver_add_drivers(&none, -1.0, &clock) != LSIM_OK, "negative count accepted");
    LSIM_CHECK_CLOSE(lsim_massdriver_operable_drivers(&none, &clock), 2.5, 1e-15, 0.0, "always available here");
    stock = 1.0e9;
    lsim_massdriver_step(&none, &clock, 1.0e12, &stock, &r);
    LSIM_CHECK_CLOSE(r.launches, 2.5 * 36000.0, 1e-14, 0.0, "2.5 drivers at 10/s for an hour");
    LSIM_CHECK(lsim_massdriver_driver_count(&none) == 2.5, "0 + 2.5 drivers, exact in binary");
    LSIM_CHECK_CLOSE(lsim_massdriver_unit_lunar_mass(&none), 10.0e3 * 300.0, 1e-15, 0.0, "10 km · 300 kg/m");
    LSIM_CHECK_CLOSE(lsim_massdriver_unit_earth_mass(&none), 10.0e3 * 20.0, 1e-15, 0.0, "10 km · 20 kg/m");
    lsim_massdriver_free(&none);
    lsim_massdriver_free(&m);
    lsim_params_free(params);
}

/* Random stocks and grants: never more power than granted, never more mass
 * than available, and the stock's books close exactly in floating point. */
static void test_conservation(void)
{
    lsim_params *params = new_params();
    lsim_massdriver m;
    LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, 7u) == LSIM_OK, "%s", lsim_last_error());
    int over_power = 0, over_mass = 0, books = 0;
    for (uint32_t i = 0; i < 20000; ++i) {
        lsim_clock clock = hourly_clock(i);
        double stock = pow(10.0, 8.0 * lsim_rng_uniform(99u, LSIM_STREAM_TEST, i, 0, 0)) - 1.0;
        double granted = pow(10.0, 10.0 * lsim_rng_uniform(99u, LSIM_STREAM_TEST, i, 0, 1)) - 1.0;
        double before = stock;
        lsim_massdriver_step_result r;
        double used = lsim_massdriver_step(&m, &clock, granted, &stock, &r);
        if (used > granted) ++over_power;
        if (r.mass_launched > before || stock < 0.0) ++over_mass;
        if (before != stock + r.mass_launched) ++books;
    }
    LSIM_CHECK(over_power == 0, "%d steps drew more power than granted", over_power);
    LSIM_CHECK(over_mass == 0, "%d steps launched more than available", over_mass);
    LSIM_CHECK(books == 0, "%d steps where before != after + launched", books);
    lsim_params_free(params);
}

/* Scheduled downtime: over whole periods the mean operable fraction is
 * exactly 1 − d/P (0.9 by default), for one driver and for a staggered fleet. */
static void test_availability(void)
{
    lsim_params *params = new_params();
    lsim_massdriver m;
    LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, 1u) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK_CLOSE(m.availability, 0.9, 1e-15, 0.0, "1 - 3 d / 30 d");
    const int64_t steps = 2 * 30 * 24; /* two periods of hourly steps */
    double sum = 0.0, min_fleet = 1e9, max_fleet = 0.0;
    for (int64_t s = 0; s < steps; ++s) {
        lsim_clock clock = hourly_clock(s);
        sum += lsim_massdriver_operable_drivers(&m, &clock);
    }
    LSIM_CHECK_CLOSE(sum / (double)steps, 0.9, 1e-12, 0.0, "exact windows; rounding of 1440 sums");
    /* 16 drivers, one per phase: windows 3 d long, 1.875 d apart, so 1 or 2
     * are down at any time and the mean is 14.4. */
    LSIM_CHECK(lsim_massdriver_add_drivers(&m, 15.0, NULL) == LSIM_OK, "%s", lsim_last_error());
    sum = 0.0;
    for (int64_t s = 0; s < steps; ++s) {
        lsim_clock clock = hourly_clock(s);
        double operable = lsim_massdriver_operable_drivers(&m, &clock);
        sum += operable;
        min_fleet = fmin(min_fleet, operable);
        max_fleet = fmax(max_fleet, operable);
    }
    LSIM_CHECK_CLOSE(sum / (double)steps, 14.4, 1e-12, 0.0, "16 · 0.9");
    LSIM_CHECK(min_fleet >= 14.0 - 1e-12 && max_fleet <= 15.0 + 1e-12, "staggering: %g..%g operable", min_fleet,
               max_fleet);
    lsim_params_free(params);
}

int main(void)
{
    test_limits();
    test_conservation();
    test_availability();
    test_coil_rate_causes();
    LSIM_TEST_MAIN_END();
}
