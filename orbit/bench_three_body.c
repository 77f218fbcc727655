/* The three_body flight model's cost at init (not a test): targeting time,
 * Monte Carlo samples per second with 1 and 2 threads, and the whole design
 * with the default 1e4 samples, from the orbit defaults (site 0 N 45 E) and
 * the launcher's default release (2.4 km/s, 1 mm/s, 4.2e-7 rad). */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "flight_three_body.h"
#include "orbit.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.flight_model = lsim_orbit_flight_model_find("three_body");
    lsim_orbit_three_body_geometry g;
    lsim_orbit_three_body_result r;
    memset(&r, 0, sizeof r);
    double t0 = now();
    if (lsim_orbit_three_body_geometry_init(&cfg, &g) != LSIM_OK ||
        lsim_orbit_three_body_target(&g, &cfg.release, &r) != LSIM_OK) {
        fprintf(stderr, "bench_three_body: %s\n", lsim_last_error());
        return 1;
    }
    double t_target = now() - t0;
    printf("targeting: %.1f ms, %d Newton iterations, miss %.2g m, transit %.4f d, elevation %.4f deg\n",
           1e3 * t_target, r.iterations, r.miss_nominal, r.transit_time / 86400.0, r.elevation * 57.29577951308232);
    const uint64_t n = 4000;
    double rate[2] = {0.0, 0.0};
    /* Uncorrected first (the plan is empty until planned), then with the
     * deck's corrections, whose cost the rates below measure. */
    if (lsim_orbit_three_body_disperse(&g, &cfg.release, cfg.catcher_radius, n, 1, NULL, &r) != LSIM_OK) {
        fprintf(stderr, "bench_three_body: %s\n", lsim_last_error());
        return 1;
    }
    printf("uncorrected: share %.4f, rms miss %.1f m (MC), %.1f m (linear)\n", r.captured_share, r.miss_rms,
           r.miss_rms_linear);
    t0 = now();
    if (lsim_orbit_three_body_plan_corrections(&g, &cfg.release, &r) != LSIM_OK) {
        fprintf(stderr, "bench_three_body: %s\n", lsim_last_error());
        return 1;
    }
    printf("planning %d corrections: %.1f ms\n", r.plan.count, 1e3 * (now() - t0));
    for (int threads = 1; threads <= 2; ++threads) {
#if defined(_OPENMP)
        omp_set_num_threads(threads);
#endif
        t0 = now();
        if (lsim_orbit_three_body_disperse(&g, &cfg.release, cfg.catcher_radius, n, 1, NULL, &r) != LSIM_OK) {
            fprintf(stderr, "bench_three_body: %s\n", lsim_last_error());
            return 1;
        }
        rate[threads - 1] = (double)n / (now() - t0);
        printf("Monte Carlo, %d thread%s: %.4g samples/s (share %.4f, rms miss %.2f m MC, %.2f m linear; "
               "correction dv %.3g m/s mean, %.3g rms)\n",
               threads, threads > 1 ? "s" : "", rate[threads - 1], r.captured_share, r.miss_rms,
               r.miss_rms_linear_corrected, r.correction_dv_mean, r.correction_dv_rms);
    }
    printf("speed-up on 2 threads: %.2fx\n", rate[1] / rate[0]);
    lsim_orbit m;
    t0 = now();
    if (lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 20260101u) != LSIM_OK) {
        fprintf(stderr, "bench_three_body: %s\n", lsim_last_error());
        return 1;
    }
    printf("orbit init with three_body and %.0f samples: %.3f s (2 threads)\n", cfg.dispersion_samples, now() - t0);
    lsim_orbit_free(&m);
    return 0;
}
