/* bench_regolith [agents] [steps]: agent-steps per second of the fleet update.
 * Built, not run by ctest. Hourly steps with short default lives so the
 * failure, repair and retirement branches all take part. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "regolith.h"
#if defined(_OPENMP)
#include <omp.h>
#endif

static double now_seconds(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long agents = argc > 1 ? atol(argv[1]) : 1000000;
    long steps = argc > 2 ? atol(argv[2]) : 50;
    if (agents < 1 || steps < 1) {
        fprintf(stderr, "usage: bench_regolith [agents] [steps]\n");
        return 2;
    }
    lsim_params *params = lsim_params_new();
    lsim_series_registry *series = lsim_series_new(64);
    char count_text[32];
    snprintf(count_text, sizeof count_text, "%ld", agents);
    if (!params || !series || lsim_params_register(params, lsim_regolith_param_defs, lsim_regolith_param_count) ||
        lsim_param_set_text(params, "regolith", "initial_excavators", count_text, "bench")) {
        fprintf(stderr, "bench_regolith: %s\n", lsim_last_error());
        return 1;
    }
    lsim_regolith m;
    if (lsim_regolith_init(&m, params, series, 42)) {
        fprintf(stderr, "bench_regolith: %s\n", lsim_last_error());
        return 1;
    }
    lsim_clock clock = {.dt = 3600.0, .duration = 3600.0 * (double)steps, .step_count = steps,
                        .steps_per_output = 1, .step = 0, .epoch = "2030-01-01 00:00:00"};
    double mined_total = 0.0;
    double t0 = now_seconds();
    for (long k = 0; k < steps; ++k) {
        double demand = lsim_regolith_power_demand(&m, &clock, INFINITY);
        double mined = 0.0;
        lsim_regolith_step(&m, &clock, demand, INFINITY, &mined, NULL);
        lsim_series_end_step(series, clock.dt);
        mined_total += mined;
        clock.step++;
    }
    double elapsed = now_seconds() - t0;
    int threads = 1;
#if defined(_OPENMP)
    threads = omp_get_max_threads();
#endif
    printf("bench_regolith: %ld agents x %ld steps in %.3f s on %d thread(s): %.3g agent-steps/s "
           "(availability %.4f, mined %.4g kg)\n",
           agents, steps, elapsed, threads, (double)agents * (double)steps / elapsed,
           (double)m.n_operating / (double)lsim_regolith_alive(&m), mined_total);
    lsim_regolith_free(&m);
    lsim_series_free(series);
    lsim_params_free(params);
    return 0;
}
