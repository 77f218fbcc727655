/* Dispersion Monte Carlo: the analytic 1-D case and thread-count determinism. */
#include <stdint.h>

#include "lsim_test.h"
#include "orbit.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

static void test_analytic(void)
{
    /* With no pointing error the miss is T*|sigma_v*z|, so
     * P(miss <= R) = erf(R / (sqrt(2) T sigma_v)) and rms miss = T sigma_v. */
    const double T = 1.0e5, sigma_v = 1.0e-3;
    const double radii[] = {30.0, 100.0, 250.0};
    for (size_t i = 0; i < sizeof radii / sizeof radii[0]; ++i) {
        lsim_orbit_dispersion_case c = {T, 2400.0, sigma_v, 0.0, radii[i], 200000u, 12345u};
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
    lsim_orbit_dispersion_case c = {T, 2400.0, 0.0, 1e-7, 30.0, 200000u, 777u};
    lsim_orbit_dispersion_result r;
    LSIM_CHECK(lsim_orbit_dispersion_run(&c, &r) == LSIM_OK, "%s", lsim_last_error());
    double s = T * 2400.0 * 1e-7;
    double p = 1.0 - exp(-c.catcher_radius * c.catcher_radius / (2.0 * s * s));
    LSIM_CHECK_CLOSE(r.capture_fraction, p, 0.0, 5.0 * sqrt(p * (1.0 - p) / (double)c.samples),
                     "Rayleigh law of two cross-track errors, binomial 5 sigma");
}

static void test_threads_bitwise(void)
{
    /* An odd sample count leaves a partial last block and more than one chunk of blocks. */
    lsim_orbit_dispersion_case c = {259200.0, 2400.0, 1e-3, 1e-8, 50.0, 1100001u, 99u};
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

static void test_module_dispersion_mode(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.capture_model = LSIM_ORBIT_CAPTURE_DISPERSION;
    cfg.transit_time = 1e5;
    cfg.sigma_speed = 1e-3;
    cfg.sigma_angle = 0.0;
    cfg.catcher_radius = 100.0;
    cfg.dispersion_samples = 100000;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 5) == LSIM_OK, "%s", lsim_last_error());
    double p = erf(1.0 / sqrt(2.0));
    LSIM_CHECK_CLOSE(m.flight.capture_fraction, p, 0.0, 5.0 * sqrt(p * (1.0 - p) / 1e5),
                     "module uses the Monte Carlo share, binomial 5 sigma");
    LSIM_CHECK(m.transit.steps == 28, "1e5 s / 3600 s = 27.8 -> 28 steps (got %zu)", m.transit.steps);
    lsim_orbit_free(&m);

    cfg.capture_model = LSIM_ORBIT_CAPTURE_FIXED;
    cfg.capture_efficiency = 0.9;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 5) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(m.flight.capture_fraction == 0.9, "fixed mode uses capture_efficiency");
    lsim_orbit_free(&m);
}

int main(void)
{
    test_analytic();
    test_threads_bitwise();
    test_module_dispersion_mode();
    LSIM_TEST_MAIN_END();
}
