/* The straight_line flight model's Monte Carlo: it draws the launcher's
 * release errors (core/release.h), matches the analytic laws of the miss,
 * and is bitwise the same for any thread count. */
#include <stdint.h>

#include "flight_straight_line.h"
#include "lsim_test.h"
#include "orbit.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

static lsim_release_errors release(double exit_speed, double sigma_speed, double sigma_angle)
{
    lsim_release_errors e = {.exit_speed = exit_speed, .sigma_speed = sigma_speed, .sigma_angle = sigma_angle};
    return e;
}

/* Sample i is launch i of the one release model: its miss is recomputed here
 * from lsim_release_draw. With one sample inside a huge radius, the mean
 * miss is that sample's miss. */
static void test_draws_are_the_launchers(void)
{
    const double T = 259200.0;
    lsim_release_errors e = release(2400.0, 1e-3, 4.2e-7);
    for (uint64_t seed = 3; seed < 6; ++seed) {
        lsim_orbit_dispersion_case c = {T, e, 1e30, 1u, seed};
        lsim_orbit_dispersion_result r;
        LSIM_CHECK(lsim_orbit_dispersion_run(&c, &r) == LSIM_OK, "%s", lsim_last_error());
        double dv, a1, a2;
        lsim_release_draw(seed, 0, &e, &dv, &a1, &a2);
        double x = 2400.0 * a1, y = 2400.0 * a2;
        double miss = T * sqrt(dv * dv + x * x + y * y);
        LSIM_CHECK(r.miss_mean == miss, "seed %llu: miss of launch 0 = T |(dv, v a1, v a2)| bit for bit (%.17g vs %.17g)",
                   (unsigned long long)seed, r.miss_mean, miss);
    }
}

static void test_analytic(void)
{
    /* With no pointing error the miss is T*|sigma_v*z|, so
     * P(miss <= R) = erf(R / (sqrt(2) T sigma_v)) and rms miss = T sigma_v. */
    const double T = 1.0e5, sigma_v = 1.0e-3;
    const double radii[] = {30.0, 100.0, 250.0};
    for (size_t i = 0; i < sizeof radii / sizeof radii[0]; ++i) {
        lsim_orbit_dispersion_case c = {T, release(2400.0, sigma_v, 0.0), radii[i], 200000u, 12345u};
        lsim_orbit_dispersion_result r;
        LSIM_CHECK(lsim_orbit_dispersion_run(&c, &r) == LSIM_OK, "%s", lsim_last_error());
        double p = erf(radii[i] / (sqrt(2.0) * T * sigma_v));
        double binomial_sigma = sqrt(p * (1.0 - p) / (double)c.samples);
        LSIM_CHECK_CLOSE(r.capture_fraction, p, 0.0, 5.0 * binomial_sigma, "binomial 5 sigma over 2e5 samples");
        /* miss^2 = (T sigma_v)^2 z^2 has relative sd sqrt(2/N) in its mean; 5 sigma, halved for the sqrt. */
        LSIM_CHECK_CLOSE(r.miss_rms, T * sigma_v, 5.0 * sqrt(2.0 / (double)c.samples) / 2.0, 0.0,
                         "rms miss, 5 sigma of the sample second moment");
        LSIM_CHECK(r.samples == c.samples, "sample count");
    }
    /* Pointing error only: miss = T v sigma_theta * chi_2, P(miss <= R) = 1 - exp(-R^2 / (2 s^2)). */
    lsim_orbit_dispersion_case c = {T, release(2400.0, 0.0, 1e-7), 30.0, 200000u, 777u};
    lsim_orbit_dispersion_result r;
    LSIM_CHECK(lsim_orbit_dispersion_run(&c, &r) == LSIM_OK, "%s", lsim_last_error());
    double s = T * 2400.0 * 1e-7;
    double p = 1.0 - exp(-c.catcher_radius * c.catcher_radius / (2.0 * s * s));
    LSIM_CHECK_CLOSE(r.capture_fraction, p, 0.0, 5.0 * sqrt(p * (1.0 - p) / (double)c.samples),
                     "Rayleigh law of two cross-track errors, binomial 5 sigma");
    /* Equal errors on all three axes (v sigma_theta = sigma_v): miss = T sigma chi_3,
     * P(miss <= R) = erf(x/sqrt2) - sqrt(2/pi) x exp(-x^2/2), x = R / (T sigma); rms = sqrt3 T sigma. */
    const double sigma = 1e-3;
    lsim_orbit_dispersion_case c3 = {T, release(2400.0, sigma, sigma / 2400.0), 150.0, 200000u, 4242u};
    LSIM_CHECK(lsim_orbit_dispersion_run(&c3, &r) == LSIM_OK, "%s", lsim_last_error());
    double x = c3.catcher_radius / (T * sigma);
    double p3 = erf(x / sqrt(2.0)) - sqrt(2.0 / 3.14159265358979323846) * x * exp(-0.5 * x * x);
    LSIM_CHECK_CLOSE(r.capture_fraction, p3, 0.0, 5.0 * sqrt(p3 * (1.0 - p3) / (double)c3.samples),
                     "Maxwell (chi_3) law of three equal errors, binomial 5 sigma");
    /* miss^2 / (T sigma)^2 is chi^2_3 with variance 6 about its mean 3: relative sd sqrt(2/(3N)); 5 sigma, halved. */
    LSIM_CHECK_CLOSE(r.miss_rms, sqrt(3.0) * T * sigma, 5.0 * sqrt(2.0 / (3.0 * (double)c3.samples)) / 2.0, 0.0,
                     "rms miss sqrt(3) T sigma, 5 sigma of the sample second moment");
}

static void test_threads_bitwise(void)
{
    /* An odd sample count leaves a partial last block and more than one chunk of blocks. */
    lsim_orbit_dispersion_case c = {259200.0, release(2400.0, 1e-3, 1e-8), 50.0, 1100001u, 99u};
    lsim_orbit_dispersion_result one, two;
#if defined(_OPENMP)
    omp_set_num_threads(1);
#endif
    LSIM_CHECK(lsim_orbit_dispersion_run(&c, &one) == LSIM_OK, "%s", lsim_last_error());
#if defined(_OPENMP)
    omp_set_num_threads(2);
#endif
    LSIM_CHECK(lsim_orbit_dispersion_run(&c, &two) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(one.inside == two.inside, "inside counts %llu vs %llu", (unsigned long long)one.inside,
               (unsigned long long)two.inside);
    LSIM_CHECK(memcmp(&one.miss_mean, &two.miss_mean, sizeof(double)) == 0, "mean miss bits differ: %.17g vs %.17g",
               one.miss_mean, two.miss_mean);
    LSIM_CHECK(memcmp(&one.miss_rms, &two.miss_rms, sizeof(double)) == 0, "rms miss bits differ");
    LSIM_CHECK(memcmp(&one.capture_fraction, &two.capture_fraction, sizeof(double)) == 0, "fraction bits differ");
    /* Another seed gives other draws. */
    c.seed = 100u;
    LSIM_CHECK(lsim_orbit_dispersion_run(&c, &two) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(one.miss_mean != two.miss_mean, "seed changes the draws");
}

static void test_module_straight_line(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.flight_model = lsim_orbit_flight_model_find("straight_line");
    LSIM_CHECK(cfg.flight_model != NULL, "straight_line is in the table");
    cfg.transit_time = 1e5;
    cfg.release.sigma_speed = 1e-3;
    cfg.release.sigma_angle = 0.0;
    cfg.catcher_radius = 100.0;
    cfg.dispersion_samples = 100000;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 5) == LSIM_OK, "%s", lsim_last_error());
    const lsim_orbit_design *d = lsim_orbit_design_view(&m);
    double p = erf(1.0 / sqrt(2.0));
    LSIM_CHECK_CLOSE(d->captured_share, p, 0.0, 5.0 * sqrt(p * (1.0 - p) / 1e5),
                     "module uses the Monte Carlo share, binomial 5 sigma");
    LSIM_CHECK(strcmp(d->flight_model, "straight_line") == 0, "design view names the model");
    LSIM_CHECK(d->first_arrival_step == 28 && d->arrival_bins == 1 && m.transit.length == 28,
               "1e5 s / 3600 s = 27.8 -> 28 steps in one bin (got %zu, %zu)", d->first_arrival_step, d->arrival_bins);
    /* Straight line: flight time D / v with D = v T, so its spread is T sigma_v / v. */
    LSIM_CHECK_CLOSE(d->flight_time_spread, 1e5 * 1e-3 / 2400.0, 1e-15, 0.0, "T sigma_v / v, two roundings");
    LSIM_CHECK(!isnan(d->miss_rms), "the Monte Carlo gives an rms miss");
    LSIM_CHECK(m.flight.capture_fraction == d->captured_share, "the chain's old field still carries the share");
    /* The same seed and errors as a direct run give the same bits. */
    lsim_orbit_dispersion_case c = {1e5, cfg.release, 100.0, 100000u, 5u};
    lsim_orbit_dispersion_result r;
    LSIM_CHECK(lsim_orbit_dispersion_run(&c, &r) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(r.capture_fraction == d->captured_share && r.miss_rms == d->miss_rms,
               "the stage's share is the direct run's, bit for bit");
    lsim_orbit_free(&m);

    cfg.flight_model = lsim_orbit_flight_model_find("fixed");
    cfg.capture_efficiency = 0.9;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 5) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_orbit_design_view(&m)->captured_share == 0.9, "fixed uses capture_efficiency");
    LSIM_CHECK(isnan(lsim_orbit_design_view(&m)->miss_rms), "fixed gives no miss distance");
    lsim_orbit_free(&m);

    /* Bad input from a model's design is an input error, and the failed init holds nothing. */
    cfg.flight_model = lsim_orbit_flight_model_find("straight_line");
    cfg.release.sigma_speed = -1.0;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 5) == LSIM_ERR_INPUT, "negative error refused");
    LSIM_CHECK(m.flight.schedule.weights == NULL && m.transit.slots == NULL, "nothing held after a failed init");
    cfg.flight_model = NULL;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 5) == LSIM_ERR_INPUT, "no model chosen: input error");
}

int main(void)
{
    test_draws_are_the_launchers();
    test_analytic();
    test_threads_bitwise();
    test_module_straight_line();
    LSIM_TEST_MAIN_END();
}
