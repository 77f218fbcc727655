/* Physics validation of the surface power bus: exact illumination means,
 * published illumination figures, and the energy balance every step. */
#include <float.h>

#include "lsim_test.h"
#include "power_bus.h"
#include "rng.h"

#define DAY 86400.0
#define PI 3.14159265358979323846

static lsim_params *make_params(void)
{
    lsim_params *p = lsim_params_new();
    lsim_params_register(p, lsim_run_param_defs, lsim_run_param_count);
    lsim_params_register(p, lsim_power_param_defs, lsim_power_param_count);
    return p;
}

/* Midpoint-rule reference for the illumination mean, independent of the
 * closed forms in power_bus.c. */
static double reference_mean(const lsim_illumination *light, double t0, double t1, int samples)
{
    double sum = 0.0;
    for (int i = 0; i < samples; ++i) {
        double t = t0 + (t1 - t0) * (i + 0.5) / samples;
        double x = t / light->synodic_period + light->phase_offset;
        double value;
        if (light->site == LSIM_SITE_POLAR) {
            double sub = x * (double)light->outages_per_period;
            value = (sub - floor(sub)) < light->lit_fraction ? 1.0 : 0.0;
        } else {
            double c = cos(2.0 * PI * x);
            value = light->tracking ? (c > 0.0 ? 1.0 : 0.0) : fmax(0.0, c);
        }
        sum += value;
    }
    return sum / samples;
}

static void test_illumination(void)
{
    lsim_illumination polar = {LSIM_SITE_POLAR, 29.530589 * DAY, 0.0, 0.86, 1, 0};
    /* Over whole periods the mean is the lit fraction (Bussey et al. 2010: 86%) up to round-off. */
    LSIM_CHECK_CLOSE(lsim_illumination_mean(&polar, 0.0, 12 * polar.synodic_period), 0.86, 1e-12, 0,
                     "whole periods: exact up to round-off");
    polar.outages_per_period = 3;
    LSIM_CHECK_CLOSE(lsim_illumination_mean(&polar, 0.0, polar.synodic_period), 0.86, 1e-12, 0,
                     "split outages keep the lit fraction");

    lsim_illumination equator = {LSIM_SITE_EQUATORIAL, 29.530589 * DAY, 0.0, 0.0, 1, 1};
    /* A tracking array at the equator is lit half the synodic day: the ~14.77 d night of docs/REFERENCES.md [MoonFactSheet]. */
    double night = (1.0 - lsim_illumination_mean(&equator, 0.0, equator.synodic_period)) * equator.synodic_period;
    LSIM_CHECK_CLOSE(night / DAY, 14.77, 0.0, 0.01, "docs/REFERENCES.md gives the night to 0.01 d");
    equator.tracking = 0;
    /* Fixed horizontal: mean of max(0, cos) over a cycle is 1/pi. */
    LSIM_CHECK_CLOSE(lsim_illumination_mean(&equator, 0.0, equator.synodic_period), 1.0 / PI, 1e-12, 0,
                     "analytic 1/pi, round-off only");

    /* Arbitrary windows against a fine midpoint rule: its error is O(h^2) for
     * the smooth case and O(h) at the polar discontinuities, hence 1e-5 with 2e5 samples. */
    lsim_illumination cases[3] = {polar, equator, equator};
    cases[2].tracking = 1;
    cases[0].phase_offset = 0.37;
    for (int c = 0; c < 3; ++c) {
        for (int k = 0; k < 20; ++k) {
            double t0 = lsim_rng_uniform(7, LSIM_STREAM_TEST, (uint64_t)k, (uint32_t)c, 0) * 60.0 * DAY;
            double len = lsim_rng_uniform(7, LSIM_STREAM_TEST, (uint64_t)k, (uint32_t)c, 1) * 5.0 * DAY + 3600.0;
            LSIM_CHECK_CLOSE(lsim_illumination_mean(&cases[c], t0, t0 + len),
                             reference_mean(&cases[c], t0, t0 + len, 200000), 0.0, 1e-5,
                             "midpoint rule with 2e5 samples");
        }
    }
}

static void test_energy_balance(const char *site, const char *storage, double load)
{
    lsim_params *p = make_params();
    lsim_param_set_text(p, "power", "site", site, "test");
    lsim_param_set_text(p, "power", "storage_capacity", storage, "test");
    lsim_param_set_real(p, "power", "base_load", load, "test");
    lsim_param_set_text(p, "power", "initial_charge", "0.5", "test");
    lsim_clock clock;
    LSIM_CHECK(lsim_clock_init(&clock, p) == LSIM_OK, "%s", lsim_last_error());
    lsim_series_registry *reg = lsim_series_new(16);
    lsim_power_bus bus;
    LSIM_CHECK(lsim_power_init(&bus, p, reg) == LSIM_OK, "%s", lsim_last_error());

    double worst = 0.0, total_generated = 0.0, total_unmet = 0.0, total_curtailed = 0.0;
    for (int64_t step = 0; step < 24 * 365 * 2; ++step) {
        clock.step = step;
        double e0 = bus.stored_energy;
        double delivered = lsim_power_step(&bus, &clock, load);
        double e1 = bus.stored_energy;
        /* generated - delivered - curtailed - losses = d(stored)/dt, each step. */
        double residual = (bus.generated - bus.delivered - bus.curtailed - bus.losses) * clock.dt - (e1 - e0);
        double scale = (bus.generated + bus.delivered + bus.curtailed) * clock.dt + e0 + e1 + DBL_MIN;
        double rel = fabs(residual) / scale;
        if (rel > worst) worst = rel;
        LSIM_CHECK(delivered <= load * (1 + 1e-15), "never delivers more than demanded");
        LSIM_CHECK(bus.stored_energy >= 0.0 && bus.stored_energy <= bus.storage_capacity, "storage in bounds");
        LSIM_CHECK(bus.delivered + bus.unmet <= load * (1 + 1e-15) && bus.delivered + bus.unmet >= load * (1 - 1e-15),
                   "delivered + unmet = demand");
        total_generated += bus.generated;
        total_unmet += bus.unmet;
        total_curtailed += bus.curtailed;
    }
    /* Round-off: a handful of ulps of the largest term per step. */
    LSIM_CHECK(worst < 1e-14, "energy balance residual %.3g relative (%s, %s)", worst, site, storage);
    LSIM_CHECK(total_generated > 0.0, "array generated energy");
    if (load > 1e6) LSIM_CHECK(total_unmet > 0.0, "an oversized load is not met in the dark");
    lsim_series_free(reg);
    lsim_params_free(p);
}

static void test_degradation(void)
{
    lsim_params *p = make_params();
    lsim_param_set_text(p, "power", "degradation_per_year", "0.02", "test");
    /* A fixed, always-lit array: 'none' keeps lit_fraction as set (the curve would decide otherwise). */
    lsim_param_set_text(p, "power", "illumination_curve", "none", "test");
    lsim_param_set_text(p, "power", "lit_fraction", "1", "test");
    lsim_clock clock;
    lsim_clock_init(&clock, p);
    lsim_series_registry *reg = lsim_series_new(16);
    lsim_power_bus bus;
    lsim_power_init(&bus, p, reg);
    double rated0 = bus.array_rated_power;
    int64_t steps = (int64_t)(10 * 365.25 * 24);
    for (int64_t s = 0; s < steps; ++s) {
        clock.step = s;
        lsim_power_step(&bus, &clock, 0.0);
    }
    /* 2%/yr for 10 years: (0.98)^10 of the rating; exp per step is exact up to
     * round-off accumulated over 8.8e4 multiplications (~1e-11). */
    LSIM_CHECK_CLOSE(bus.array_rated_power, rated0 * pow(0.98, 10.0), 1e-10, 0, "exact exponential per step");
    /* Seed rating: area x efficiency x solar constant (Kopp & Lean 1360.8 W/m2, 29.8% AM0). */
    LSIM_CHECK_CLOSE(rated0, 2500.0 * 0.298 * 1360.8, 1e-15, 0, "definition");
    lsim_series_free(reg);
    lsim_params_free(p);
}

int main(void)
{
    test_illumination();
    test_energy_balance("polar", "20 MWh", 3e5);
    test_energy_balance("polar", "0 J", 3e5);
    test_energy_balance("equatorial", "200 MWh", 5e6);
    test_energy_balance("equatorial", "1 MWh", 1e3);
    test_degradation();
    LSIM_TEST_MAIN_END();
}
