/* Three-body propagations per second with lunarsim's DOP853 (not a test).
 *
 * The states: 200 near-Moon states drawn from the counter-based RNG
 * (3,800-19,000 km from the Moon, 0.85-1.2 times the local circular speed
 * across the radius), each propagated over one time unit (4.35 d) at
 * rtol = atol = 1e-12, without and with the state-transition matrix.
 *   bench_cr3bp              prints the rates
 *   bench_cr3bp --states     prints the states ("t x y z vx vy vz"), so
 *                            scripts/bench_cr3bp_scipy.py times scipy on the same ones. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cr3bp.h"
#include "rng.h"

#define N_STATES 200
#define SPAN 1.0
#define TOL 1e-12

static void make_states(double mu, double s[N_STATES][6])
{
    for (int i = 0; i < N_STATES; ++i) {
        double u[3], w[3], n = 0.0, d = 0.01 + 0.04 * lsim_rng_uniform(8, 1, (uint64_t)i, 0, 0);
        for (int k = 0; k < 3; ++k) {
            u[k] = lsim_rng_normal(8, 2, (uint64_t)i, (uint32_t)k);
            w[k] = lsim_rng_normal(8, 3, (uint64_t)i, (uint32_t)k);
            n += u[k] * u[k];
        }
        n = sqrt(n);
        double dot = 0.0, m = 0.0;
        for (int k = 0; k < 3; ++k) {
            u[k] /= n;
            dot += u[k] * w[k];
        }
        for (int k = 0; k < 3; ++k) {
            w[k] -= dot * u[k];
            m += w[k] * w[k];
        }
        m = sqrt(m);
        double speed = (0.85 + 0.35 * lsim_rng_uniform(8, 4, (uint64_t)i, 0, 0)) * sqrt(mu / d);
        const double moon[3] = {1.0 - mu, 0.0, 0.0};
        for (int k = 0; k < 3; ++k) {
            s[i][k] = moon[k] + d * u[k];
            s[i][3 + k] = speed * w[k] / m;
        }
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Propagations per second over repeated passes of the set (at least 1 s). */
static double rate(const lsim_cr3bp_system *sys, double s[N_STATES][6], int with_stm, long *steps)
{
    static lsim_dop853 w;
    long count = 0;
    double t0 = now(), t1;
    *steps = 0;
    do {
        for (int i = 0; i < N_STATES; ++i) {
            lsim_cr3bp_path p;
            if (lsim_cr3bp_propagate(sys, &w, s[i], 0.0, SPAN, with_stm, TOL, TOL, NULL, &p) != LSIM_OK) return -1.0;
            *steps += p.steps;
            ++count;
        }
        t1 = now();
    } while (t1 - t0 < 1.0);
    *steps /= count;
    return (double)count / (t1 - t0);
}

int main(int argc, char **argv)
{
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    static double s[N_STATES][6];
    make_states(sys.mu, s);
    if (argc > 1 && strcmp(argv[1], "--states") == 0) {
        for (int i = 0; i < N_STATES; ++i)
            printf("%.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", SPAN, s[i][0], s[i][1], s[i][2], s[i][3], s[i][4],
                   s[i][5]);
        return 0;
    }
    long st6, st42;
    double r6 = rate(&sys, s, 0, &st6), r42 = rate(&sys, s, 1, &st42);
    if (r6 < 0.0 || r42 < 0.0) {
        fprintf(stderr, "bench_cr3bp: %s\n", lsim_last_error());
        return 1;
    }
    printf("lunarsim DOP853: %.4g propagations/s (state, %ld steps each on average), %.4g propagations/s with the STM "
           "(%ld steps); %d near-Moon states over %.2f d at rtol = atol = %.0e, one core\n",
           r6, st6, r42, st42, N_STATES, SPAN * sys.time / 86400.0, TOL);
    return 0;
}
