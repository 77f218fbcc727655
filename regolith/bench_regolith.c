/* bench_regolith [agents] [steps] [repeats]: the per-agent excavator fleet
 * kernel (regolith.fleet_model = agents) against this machine's memory
 * bandwidth. Built, not run by ctest.
 *
 * Prints a STREAM-like triad's bandwidth, then the fleet's agent-steps per
 * second on 1 and on 2 threads, the bytes each agent-step moves, and how
 * close that comes to the bandwidth bound; each figure is the best of
 * `repeats` runs (the machine is shared). Hourly steps at the default deck,
 * so failures, delays and repairs all take part. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, CLOCK_PROCESS_CPUTIME_ID under -std=c11 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void use_threads(int threads)
{
#if defined(_OPENMP)
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
}

/* --- the bandwidth the machine streams at ---
 *
 * a[i] = b[i] + q c[i] over arrays far larger than the caches. Counted as
 * 32 bytes an element: b and c read, a written, and a's line read first
 * (a store to a line not in cache fetches it). STREAM itself counts 24 and
 * so reports 3/4 of this; 32 is what crosses the memory bus, which is how
 * the fleet's bytes are counted too (its arrays are read, then written
 * back). Both threads write their own halves, first touched by them. */
#define TRIAD_ELEMENTS ((size_t)1 << 23) /* 64 MiB an array, 192 MiB in all */

static double triad_bandwidth(int threads, int repeats)
{
    const long n = (long)TRIAD_ELEMENTS;
    double *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b), *c = malloc((size_t)n * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "bench_regolith: no memory for the triad's %zu MiB\n", 3 * (size_t)n * sizeof *a >> 20);
        exit(1);
    }
    use_threads(threads);
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
    for (long i = 0; i < n; ++i) {
        a[i] = 0.0;
        b[i] = 1.0;
        c[i] = 2.0;
    }
    double best = 0.0;
    for (int r = 0; r < repeats + 1; ++r) { /* the first is a warm-up */
        double t0 = now_seconds();
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
        for (long i = 0; i < n; ++i) a[i] = b[i] + 3.0 * c[i];
        double rate = 32.0 * (double)n / (now_seconds() - t0);
        if (r > 0 && rate > best) best = rate;
    }
    if (a[n / 2] != 7.0) {
        fprintf(stderr, "bench_regolith: triad gave %g, expected 7\n", a[n / 2]);
        exit(1);
    }
    free(a);
    free(b);
    free(c);
    return best;
}

/* --- the fleet --- */

typedef struct {
    double rate;     /* agent-steps per second of wall time, best run */
    double cpu_rate; /* agent-steps per CPU second (all threads), same run */
    double mined;    /* kg over the run: the same bits for any thread count */
    long operating, alive;
} fleet_figures;

static fleet_figures run_fleet(long agents, long steps, int threads, int repeats)
{
    fleet_figures best = {0.0, 0.0, 0.0, 0, 0};
    use_threads(threads);
    for (int r = 0; r < repeats; ++r) {
        lsim_params *params = lsim_params_new();
        lsim_series_registry *series = lsim_series_new(64);
        char count_text[32];
        snprintf(count_text, sizeof count_text, "%ld", agents);
        if (!params || !series || lsim_params_register(params, lsim_regolith_param_defs, lsim_regolith_param_count) ||
            lsim_param_set_text(params, "regolith", "initial_excavators", count_text, "bench") ||
            lsim_param_set_text(params, "regolith", "fleet_model", "agents", "bench")) {
            fprintf(stderr, "bench_regolith: %s\n", lsim_last_error());
            exit(1);
        }
        lsim_regolith m;
        if (lsim_regolith_init(&m, params, series, 42)) {
            fprintf(stderr, "bench_regolith: %s\n", lsim_last_error());
            exit(1);
        }
        lsim_clock clock = {.dt = 3600.0,
                            .duration = 3600.0 * (double)steps,
                            .step_count = steps,
                            .steps_per_output = 1,
                            .step = 0,
                            .epoch = "2030-01-01 00:00:00"};
        double mined_total = 0.0;
        double t0 = now_seconds(), c0 = cpu_seconds();
        for (long k = 0; k < steps; ++k) {
            double demand = lsim_regolith_power_demand(&m, &clock, INFINITY);
            double mined = 0.0;
            lsim_regolith_step(&m, &clock, demand, INFINITY, &mined, NULL);
            lsim_series_end_step(series, clock.dt);
            mined_total += mined;
            clock.step++;
        }
        double wall = now_seconds() - t0, cpu = cpu_seconds() - c0;
        double agent_steps = (double)agents * (double)steps;
        if (agent_steps / wall > best.rate) {
            best.rate = agent_steps / wall;
            best.cpu_rate = agent_steps / cpu;
        }
        best.mined = mined_total;
        best.operating = m.n_operating;
        best.alive = lsim_regolith_alive(&m);
        lsim_regolith_free(&m);
        lsim_series_free(series);
        lsim_params_free(params);
    }
    return best;
}

/* Bytes one agent-step moves between memory and the core. An operating
 * agent (97% at the defaults) reads its state, unit id, virtual age,
 * cumulative hazard and age, and writes the last three back. The repair
 * clock and count are touched only for the few down or failing units and
 * are left out, as is the state byte written for the few that change. */
static double bytes_per_agent_step(void)
{
    const lsim_regolith *m = NULL;
    const size_t read = sizeof *m->state + sizeof *m->unit_id + sizeof *m->virtual_age + sizeof *m->cumulative_hazard +
                        sizeof *m->age;
    const size_t written = sizeof *m->virtual_age + sizeof *m->cumulative_hazard + sizeof *m->age;
    return (double)(read + written);
}

static void report(const char *label, fleet_figures f, double bytes, double bandwidth)
{
    double moved = f.rate * bytes;
    printf("fleet kernel, %s: %.3g agent-steps/s, %.0f B/agent-step, %.1f GB/s of %.1f GB/s measured: %.0f%% of the "
           "bound (%.3g agent-steps per CPU second; availability %.4f, mined %.17g kg)\n",
           label, f.rate, bytes, moved / 1e9, bandwidth / 1e9, 100.0 * moved / bandwidth, f.cpu_rate,
           (double)f.operating / (double)f.alive, f.mined);
}

int main(int argc, char **argv)
{
    long agents = argc > 1 ? atol(argv[1]) : 1000000;
    long steps = argc > 2 ? atol(argv[2]) : 50;
    int repeats = argc > 3 ? atoi(argv[3]) : 3;
    if (argc > 4 || agents < 1 || steps < 1 || repeats < 1) {
        fprintf(stderr, "usage: bench_regolith [agents (1000000)] [steps (50)] [repeats (3)]\n");
        return 2;
    }
    double load[3] = {0.0, 0.0, 0.0};
    FILE *loadavg = fopen("/proc/loadavg", "r");
    if (loadavg) {
        if (fscanf(loadavg, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = load[1] = load[2] = NAN;
        fclose(loadavg);
    }
    int cores = 1;
#if defined(_OPENMP)
    cores = omp_get_num_procs();
#endif
    printf("bench_regolith: %ld agents x %ld hourly steps, best of %d; %d core(s), load average %.2f %.2f %.2f\n",
           agents, steps, repeats, cores, load[0], load[1], load[2]);

    const double bandwidth1 = triad_bandwidth(1, 2 * repeats), bandwidth2 = triad_bandwidth(2, 2 * repeats);
    printf("stream triad (32 B/element moved, 24 B as STREAM counts it): %.1f GB/s on 1 thread, %.1f GB/s on 2\n",
           bandwidth1 / 1e9, bandwidth2 / 1e9);

    const double bytes = bytes_per_agent_step();
    fleet_figures one = run_fleet(agents, steps, 1, repeats);
    fleet_figures two = run_fleet(agents, steps, 2, repeats);
    report("1 thread", one, bytes, bandwidth1);
    report("2 threads", two, bytes, bandwidth2);
    printf("fleet kernel speed-up, 2 threads vs 1: %.2fx; bound: %.3g agent-steps/s on 1 thread, %.3g on 2\n",
           two.rate / one.rate, bandwidth1 / bytes, bandwidth2 / bytes);
    if (memcmp(&one.mined, &two.mined, sizeof one.mined) != 0 || one.operating != two.operating ||
        one.alive != two.alive) {
        fprintf(stderr, "bench_regolith: 1 and 2 threads disagree (mined %.17g vs %.17g kg, operating %ld vs %ld)\n",
                one.mined, two.mined, one.operating, two.operating);
        return 1;
    }
    return 0;
}
