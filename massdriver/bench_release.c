/* Benchmark of the Chipmunk2D release model (not a test): release cases per
 * second on 1 and 2 threads (goal: >= 1.9x on two), and the model's overhead
 * over raw cpSpaceStep on the same bodies for the same number of steps
 * (goal: <= 10%). Default case (release_chipmunk.h). Usage:
 * bench_release [cases] [repeats]. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include "release_chipmunk.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(_OPENMP)
#include <omp.h>
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int cases = argc > 1 ? atoi(argv[1]) : 128;
    int repeats = argc > 2 ? atoi(argv[2]) : 3;
    if (cases < 2) cases = 2;
    if (repeats < 1) repeats = 1;
    lsim_release_cp_config c;
    lsim_release_cp_default(&c);
    lsim_release_cp_stats s;

    /* Cases per second: best of `repeats` on 1 and on 2 threads. */
    double rate[2] = {0.0, 0.0};
    for (int t = 1; t <= 2; ++t) {
#if defined(_OPENMP)
        omp_set_num_threads(t);
#endif
        for (int k = 0; k < repeats; ++k) {
            double t0 = now();
            if (lsim_release_cp_run(&c, (size_t)cases, NULL, &s) != LSIM_OK) {
                fprintf(stderr, "bench_release: %s\n", lsim_last_error());
                return 1;
            }
            double r = cases / (now() - t0);
            if (r > rate[t - 1]) rate[t - 1] = r;
        }
    }
    printf("release cases per second: %.1f on 1 thread, %.1f on 2 threads (x%.2f; goal >= 1.9)\n", rate[0], rate[1],
           rate[1] / rate[0]);
    printf("  sigma along %.3g, normal %.3g, cross %.3g m/s over %d cases\n", s.sigma[0], s.sigma[1], s.sigma[2],
           cases);

    /* Overhead: the full cases against cpSpaceStep alone, same steps, one thread. */
    lsim_release_cp_workspace *w = lsim_release_cp_workspace_new(&c);
    if (!w) return 1;
    int sample = cases < 32 ? cases : 32;
    long *steps = calloc((size_t)sample, sizeof *steps);
    double full = 1e300, raw = 1e300;
    for (int k = 0; k < repeats; ++k) {
        double t0 = now();
        for (int i = 0; i < sample; ++i) {
            lsim_release_cp_case r;
            if (lsim_release_cp_run_case(w, &c, (uint64_t)i, &r) != LSIM_OK) return 1;
            steps[i] = r.steps;
        }
        double t1 = now();
        for (int i = 0; i < sample; ++i) lsim_release_cp_step_raw(w, &c, (uint64_t)i, steps[i]);
        double t2 = now();
        if (t1 - t0 < full) full = t1 - t0;
        if (t2 - t1 < raw) raw = t2 - t1;
    }
    long total = 0;
    for (int i = 0; i < sample; ++i) total += steps[i];
    printf("overhead over raw cpSpaceStep: %.1f%% (goal <= 10%%); %.2f us per step of both planes, %.2f us raw, "
           "%ld steps per case\n",
           100.0 * (full / raw - 1.0), 1e6 * full / total, 1e6 * raw / total, total / sample);
    free(steps);
    lsim_release_cp_workspace_free(w);
    return 0;
}
