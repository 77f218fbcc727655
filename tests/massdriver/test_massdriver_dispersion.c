/* Release dispersion: sampled statistics and determinism of the sampler. */
#include <stdint.h>

#include "lsim_test.h"
#include "release_dispersion.h"

enum { DRAWS = 100000 };

int main(void)
{
    const lsim_massdriver_release_model model = {2400.0, 0.1, 0.5, 1.0e-3};
    const uint64_t seed = 20240601u;
    double sum_dv = 0.0, sum_dv2 = 0.0, sum_dth = 0.0, sum_dth2 = 0.0, sum_cross = 0.0;
    double sum_x = 0.0, sum_y = 0.0, sum_xx = 0.0, sum_yy = 0.0, sum_xy = 0.0;
    double nominal[2];
    lsim_massdriver_release_nominal(&model, nominal);
    for (uint64_t i = 0; i < DRAWS; ++i) {
        double v[2];
        lsim_massdriver_sample_release(seed, i, &model, v);
        double dv = hypot(v[0], v[1]) - model.exit_speed;
        double dth = atan2(v[1], v[0]) - model.elevation;
        sum_dv += dv;
        sum_dv2 += dv * dv;
        sum_dth += dth;
        sum_dth2 += dth * dth;
        sum_cross += (dv / model.sigma_speed) * (dth / model.sigma_angle);
        double x = v[0] - nominal[0], y = v[1] - nominal[1];
        sum_x += x;
        sum_y += y;
        sum_xx += x * x;
        sum_yy += y * y;
        sum_xy += x * y;
    }
    const double n = DRAWS;
    /* Statistical tolerances: the sample mean of N normals has standard error
     * σ/√N and the sample standard deviation σ/√(2N); 5 standard errors is
     * exceeded with probability < 1e-6 by a correct sampler, while a wrong σ
     * (even by 2%) or a bias of 0.02σ fails. The seed is fixed, so the test is
     * reproducible, not flaky. */
    double mean_dv = sum_dv / n, sd_dv = sqrt(sum_dv2 / n - mean_dv * mean_dv);
    double mean_dth = sum_dth / n, sd_dth = sqrt(sum_dth2 / n - mean_dth * mean_dth);
    LSIM_CHECK_CLOSE(mean_dv, 0.0, 0.0, 5.0 * model.sigma_speed / sqrt(n), "5 standard errors of a mean");
    LSIM_CHECK_CLOSE(sd_dv, model.sigma_speed, 5.0 / sqrt(2.0 * n), 0.0, "5 standard errors of a std");
    LSIM_CHECK_CLOSE(mean_dth, 0.0, 0.0, 5.0 * model.sigma_angle / sqrt(n), "5 standard errors of a mean");
    LSIM_CHECK_CLOSE(sd_dth, model.sigma_angle, 5.0 / sqrt(2.0 * n), 0.0, "5 standard errors of a std");
    LSIM_CHECK_CLOSE(sum_cross / n, 0.0, 0.0, 5.0 / sqrt(n), "independent errors: correlation within 5/√N");

    /* Linearised covariance against the sample covariance of the components.
     * Standard error of a sample variance is var·√(2/N); of a covariance
     * √(var_x·var_y/N) at most. Linearisation error is ~σ_θ² ≈ 1e-6 relative. */
    double cov[2][2];
    lsim_massdriver_release_covariance(&model, cov);
    double mx = sum_x / n, my = sum_y / n;
    double sxx = sum_xx / n - mx * mx, syy = sum_yy / n - my * my, sxy = sum_xy / n - mx * my;
    LSIM_CHECK_CLOSE(sxx, cov[0][0], 5.0 * sqrt(2.0 / n), 0.0, "5 standard errors of a variance");
    LSIM_CHECK_CLOSE(syy, cov[1][1], 5.0 * sqrt(2.0 / n), 0.0, "5 standard errors of a variance");
    LSIM_CHECK_CLOSE(sxy, cov[0][1], 0.0, 5.0 * sqrt(cov[0][0] * cov[1][1] / n), "5 standard errors of a covariance");
    /* Independent arithmetic for the horizontal-launch case: x along the
     * speed error, y across it. */
    const lsim_massdriver_release_model level = {2400.0, 0.0, 1.0e-3, 4.2e-7};
    lsim_massdriver_release_covariance(&level, cov);
    LSIM_CHECK_CLOSE(cov[0][0], 1.0e-6, 1e-15, 0.0, "σ_v² along the track");
    LSIM_CHECK_CLOSE(cov[1][1], (2400.0 * 4.2e-7) * (2400.0 * 4.2e-7), 1e-14, 0.0, "(v σ_θ)² across");
    LSIM_CHECK_CLOSE(cov[0][1], 0.0, 0.0, 0.0, "no correlation on a level track");

    /* Determinism: the same arguments give the same bits; another index or
     * seed gives another draw; zero σ gives the nominal vector bit for bit. */
    double a[2], b[2], c[2], d[2];
    lsim_massdriver_sample_release(seed, 123456789u, &model, a);
    lsim_massdriver_sample_release(seed, 123456789u, &model, b);
    LSIM_CHECK(memcmp(a, b, sizeof a) == 0, "same inputs, same bits");
    lsim_massdriver_sample_release(seed, 123456790u, &model, c);
    LSIM_CHECK(memcmp(a, c, sizeof a) != 0, "next launch index differs");
    lsim_massdriver_sample_release(seed + 1u, 123456789u, &model, d);
    LSIM_CHECK(memcmp(a, d, sizeof a) != 0, "other seed differs");
    const lsim_massdriver_release_model exact = {2400.0, 0.1, 0.0, 0.0};
    lsim_massdriver_release_nominal(&exact, a);
    lsim_massdriver_sample_release(seed, 7u, &exact, b);
    LSIM_CHECK(memcmp(a, b, sizeof a) == 0, "zero σ: nominal bits");
    LSIM_TEST_MAIN_END();
}
