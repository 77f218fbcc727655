/* The bathtub hazard: the cumulative hazard against its closed form, and
 * simulated failure fractions of large fleets against the survival function. */
#include <math.h>

#include "lsim_test.h"
#include "regolith.h"
#include "regolith_test_util.h"

/* Runs `steps` steps at full power and returns the fraction of the fleet that
 * has failed at least once (repairs made never to start, so a failed unit
 * stays failed). */
static double fraction_failed(lsim_params *p, long fleet, double dt, long steps, uint64_t seed)
{
    regolith_test_set(p, "initial_excavators", (double)fleet);
    regolith_test_set(p, "repair_delay", 1.0e30);
    lsim_series_registry *s = lsim_series_new(16);
    lsim_regolith m;
    regolith_test_init(&m, p, s, seed);
    lsim_clock c = regolith_test_clock(dt);
    for (long k = 0; k < steps; ++k) {
        double demand = lsim_regolith_power_demand(&m, &c, INFINITY);
        lsim_regolith_step(&m, &c, demand, INFINITY, NULL, NULL);
        lsim_series_end_step(s, dt);
        c.step++;
    }
    double failed = (double)(fleet - m.n_operating) / (double)fleet;
    lsim_regolith_free(&m);
    lsim_series_free(s);
    return failed;
}

/* A binomial proportion of n trials sits within 5 sigma of its mean except
 * with probability 6e-7; the draws are fixed by the seed, so the test is
 * deterministic, and it fails only if the hazard law is wrong by more than
 * about 5 sigma. */
static double five_sigma(double p, long n) { return 5.0 * sqrt(p * (1.0 - p) / (double)n); }

int main(void)
{
    /* --- H(t) against the closed form, piece by piece and summed --- */
    {
        const double shape[3] = {0.5, 1.0, 3.0};
        const double scale[3] = {9.0e8, 7.2e6, 1.6e8};
        const double t[] = {0.0, 1.0, 3600.0, 1.0e5, 7.2e6, 1.0e8, 2.5e8};
        for (size_t i = 0; i < sizeof t / sizeof t[0]; ++i) {
            double expected = sqrt(t[i] / 9.0e8) + t[i] / 7.2e6 + (t[i] / 1.6e8) * (t[i] / 1.6e8) * (t[i] / 1.6e8);
            LSIM_CHECK_CLOSE(lsim_regolith_cumulative_hazard(shape, scale, t[i]), expected, 1e-14, 0,
                             "pow() vs sqrt and repeated product: a few ulp");
        }
        /* A general shape takes the pow() path: compare with exp(k ln x). */
        const double shape_general[3] = {0.37, 1.0, 2.7};
        const double scale_general[3] = {3.0e9, 0.0, 1.1e8};
        for (size_t i = 1; i < sizeof t / sizeof t[0]; ++i) {
            double expected = exp(0.37 * log(t[i] / 3.0e9)) + exp(2.7 * log(t[i] / 1.1e8));
            LSIM_CHECK_CLOSE(lsim_regolith_cumulative_hazard(shape_general, scale_general, t[i]), expected, 1e-13, 0,
                             "pow vs exp(k ln x): error of exp amplified by k |ln x| < 60, ~1e-14");
        }
        /* Disabled pieces (scale 0) contribute nothing. */
        const double only_random[3] = {0.0, 7.2e6, 0.0};
        LSIM_CHECK_CLOSE(lsim_regolith_cumulative_hazard(shape, only_random, 3.6e6), 0.5, 1e-15, 0,
                         "t/eta exactly representable up to one division");
        /* Weibull with shape 2: H(eta) = 1 for any eta. */
        const double shape2[3] = {0.5, 1.0, 2.0}, wear_only[3] = {0.0, 0.0, 1234.5};
        LSIM_CHECK_CLOSE(lsim_regolith_cumulative_hazard(shape2, wear_only, 1234.5), 1.0, 1e-15, 0, "(1)^k = 1");
    }

    const long fleet = 100000;

    /* --- pure exponential piece: F(T) = 1 - exp(-T/eta) --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        const double eta = 1000.0 * 3600.0, dt = 10.0 * 3600.0;
        regolith_test_set(p, "random_scale", eta);
        const long steps = 50;
        double got = fraction_failed(p, fleet, dt, steps, 7);
        double expected = 1.0 - exp(-(double)steps * dt / eta);
        LSIM_CHECK_CLOSE(got, expected, 0, five_sigma(expected, fleet), "binomial 5 sigma over 1e5 agents");
        lsim_params_free(p);
    }

    /* --- wear-out Weibull (shape 3) with coarse steps: the per-step
     *     probability 1 - exp(-(H(a+dt) - H(a))) is exact for any dt --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        const double eta = 1.0e7;
        regolith_test_set(p, "wearout_shape", 3.0);
        regolith_test_set(p, "wearout_scale", eta);
        const double dt = 1.0e6; /* a tenth of eta: a hazard-rate x dt scheme would be far off */
        const long steps = 9;
        double got = fraction_failed(p, fleet, dt, steps, 11);
        double x = (double)steps * dt / eta;
        double expected = 1.0 - exp(-x * x * x);
        LSIM_CHECK_CLOSE(got, expected, 0, five_sigma(expected, fleet), "binomial 5 sigma over 1e5 agents");
        lsim_params_free(p);
    }

    /* --- infant mortality (shape 0.5): the early steep part of the bathtub --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        const double eta = 1.0e9;
        regolith_test_set(p, "infant_shape", 0.5);
        regolith_test_set(p, "infant_scale", eta);
        regolith_test_set(p, "wearout_scale", 0.0);
        const double dt = 10.0 * 3600.0;
        const long steps = 20;
        double got = fraction_failed(p, fleet, dt, steps, 13);
        double expected = 1.0 - exp(-sqrt((double)steps * dt / eta));
        LSIM_CHECK_CLOSE(got, expected, 0, five_sigma(expected, fleet), "binomial 5 sigma over 1e5 agents");
        lsim_params_free(p);
    }

    /* --- half power: age accrues as operating time, so the failed fraction
     *     after 2T at half duty equals that after T at full duty --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        const double eta = 1000.0 * 3600.0, dt = 10.0 * 3600.0;
        regolith_test_set(p, "random_scale", eta);
        regolith_test_set(p, "initial_excavators", (double)fleet);
        regolith_test_set(p, "repair_delay", 1.0e30);
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 17);
        lsim_clock c = regolith_test_clock(dt);
        const long steps = 60;
        for (long k = 0; k < steps; ++k) {
            double demand = lsim_regolith_power_demand(&m, &c, INFINITY);
            lsim_regolith_step(&m, &c, 0.5 * demand, INFINITY, NULL, NULL);
            lsim_series_end_step(s, dt);
            c.step++;
        }
        double got = (double)(fleet - m.n_operating) / (double)fleet;
        double expected = 1.0 - exp(-0.5 * (double)steps * dt / eta);
        LSIM_CHECK_CLOSE(got, expected, 0, five_sigma(expected, fleet), "binomial 5 sigma over 1e5 agents");
        lsim_regolith_free(&m);
        lsim_series_free(s);
        lsim_params_free(p);
    }
    LSIM_TEST_MAIN_END();
}
