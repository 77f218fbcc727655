/* Release dispersion: the launcher's 2-D sampler is the one release model of
 * core/release.h (same draws, bit for bit), and its statistics, including the
 * cross-plane angle the 2-D vector leaves out, match the stated errors. */
#include <stdint.h>

#include "lsim_test.h"
#include "massdriver.h"
#include "release_dispersion.h"

enum { DRAWS = 100000 };

int main(void)
{
    const lsim_release_errors model = {.exit_speed = 2400.0, .elevation = 0.1, .sigma_speed = 0.5, .sigma_angle = 1.0e-3};
    const uint64_t seed = 20240601u;
    double sum_dv = 0.0, sum_dv2 = 0.0, sum_dth = 0.0, sum_dth2 = 0.0, sum_cross = 0.0;
    double sum_out = 0.0, sum_out2 = 0.0, sum_out_dv = 0.0, sum_out_in = 0.0;
    int same_draws = 1;
    double sum_x = 0.0, sum_y = 0.0, sum_xx = 0.0, sum_yy = 0.0, sum_xy = 0.0;
    double nominal[2];
    lsim_massdriver_release_nominal(&model, nominal);
    for (uint64_t i = 0; i < DRAWS; ++i) {
        double v[2];
        lsim_massdriver_sample_release(seed, i, &model, v);
        /* The one release model: the same draws give the same vector bit for bit. */
        double e_speed, e_in, e_out;
        lsim_release_draw(seed, i, &model, &e_speed, &e_in, &e_out);
        double expected[2] = {(model.exit_speed + e_speed) * cos(model.elevation + e_in),
                              (model.exit_speed + e_speed) * sin(model.elevation + e_in)};
        same_draws &= memcmp(v, expected, sizeof v) == 0;
        sum_out += e_out;
        sum_out2 += e_out * e_out;
        sum_out_dv += (e_out / model.sigma_angle) * (e_speed / model.sigma_speed);
        sum_out_in += (e_out / model.sigma_angle) * (e_in / model.sigma_angle);
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
    LSIM_CHECK(same_draws, "sample_release = (v + dv, θ + dθ_in) of lsim_release_draw, bit for bit");
    /* The cross-plane angle (left out of the 2-D vector, used by the catcher):
     * same σ_θ, independent of the other two. */
    double mean_out = sum_out / n, sd_out = sqrt(sum_out2 / n - mean_out * mean_out);
    LSIM_CHECK_CLOSE(mean_out, 0.0, 0.0, 5.0 * model.sigma_angle / sqrt(n), "5 standard errors of a mean");
    LSIM_CHECK_CLOSE(sd_out, model.sigma_angle, 5.0 / sqrt(2.0 * n), 0.0, "5 standard errors of a std");
    LSIM_CHECK_CLOSE(sum_out_dv / n, 0.0, 0.0, 5.0 / sqrt(n), "independent errors: correlation within 5/√N");
    LSIM_CHECK_CLOSE(sum_out_in / n, 0.0, 0.0, 5.0 / sqrt(n), "independent errors: correlation within 5/√N");

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
    const lsim_release_errors level = {.exit_speed = 2400.0, .sigma_speed = 1.0e-3, .sigma_angle = 4.2e-7};
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
    const lsim_release_errors exact = {.exit_speed = 2400.0, .elevation = 0.1};
    lsim_massdriver_release_nominal(&exact, a);
    lsim_massdriver_sample_release(seed, 7u, &exact, b);
    LSIM_CHECK(memcmp(a, b, sizeof a) == 0, "zero σ: nominal bits");

    /* The fleet's release model is its design's, taken from the deck. */
    lsim_params *params = lsim_params_new();
    LSIM_CHECK(lsim_params_register(params, lsim_massdriver_param_defs, lsim_massdriver_param_count) == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "speed_error_sigma", "0.25 m/s", "test") == LSIM_OK, "%s",
               lsim_last_error());
    /* The first-order launcher with the deck's Gaussian release errors, whose figures this test checks by hand. */
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "launcher_model", "first_order", "test") == LSIM_OK &&
                   lsim_param_set_text(params, "massdriver", "release_model", "gaussian", "test") == LSIM_OK,
               "%s", lsim_last_error());
    lsim_massdriver m;
    LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, seed) == LSIM_OK, "%s", lsim_last_error());
    lsim_massdriver_release_model of = lsim_massdriver_release_model_of(&m);
    const lsim_release_errors *view = &lsim_massdriver_design_view(&m)->release;
    LSIM_CHECK(memcmp(&of, view, sizeof of) == 0, "release_model_of = design view's release, bit for bit");
    LSIM_CHECK(view->exit_speed == 2400.0 && view->sigma_speed == 0.25 && view->sigma_angle == 4.2e-7 &&
                   view->elevation == 0.0,
               "release errors from the deck: %g m/s, %g m/s, %g rad, %g rad", view->exit_speed, view->sigma_speed,
               view->sigma_angle, view->elevation);
    lsim_massdriver_free(&m);
    lsim_params_free(params);
    LSIM_TEST_MAIN_END();
}
