/* Prints the calibration table of the granular excavation sub-model:
 *   repose  angle of repose of poured heaps against the grain friction mu
 *           (the table lsim_granular_friction_for_repose interpolates), for
 *           the default rounded pentagons and for discs;
 *   cut     the draft of the default blade at 3 and 6 cm against the Coulomb
 *           wedge (FEE), on the default rigid base with spoil collection, and
 *           the two variants (loose base; no collection) that show why those
 *           are the defaults; with the specific cutting energy next to
 *           RASSOR's figure.
 * Usage: granular_calibrate [repose|cut|all] [seeds]   (default: all, 2 seeds)
 * Cases run in parallel (OpenMP, one cpSpace per case). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "granular.h"
#include "status.h"

#define DEG (3.14159265358979323846 / 180.0)

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int repose_table(int seeds)
{
    static const double mus[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0};
    const int n_mu = (int)(sizeof mus / sizeof mus[0]);
    const int n_shape = 2; /* pentagons, discs */
    int n = n_mu * n_shape * seeds;
    lsim_granular_case *c = calloc((size_t)n, sizeof *c);
    lsim_granular_pile *p = calloc((size_t)n, sizeof *p);
    lsim_status *st = calloc((size_t)n, sizeof *st);
    double *secs = calloc((size_t)n, sizeof *secs);
    if (!c || !p || !st || !secs) return 1;
    for (int k = 0; k < n; ++k) {
        int shape = k / (n_mu * seeds), mu = (k / seeds) % n_mu, seed = k % seeds;
        lsim_granular_default_case(&c[k], LSIM_GRANULAR_DEFAULT_FRICTION_ANGLE);
        if (shape == 1) c[k].grain_sides = 0;
        c[k].grain_friction = mus[mu];
        c[k].seed = (uint64_t)(seed + 1);
        c[k].bed_length = 0.5;
        c[k].grain_count = 600;
    }
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < n; ++k) {
        double t0 = now();
        st[k] = lsim_granular_repose(&c[k], &p[k]);
        secs[k] = now() - t0;
    }
    printf("# angle of repose: 600 grains of 4-6 mm poured from a chute on a rough floor, lunar g\n");
    printf("# %-9s %6s %6s %8s %9s %8s %8s %7s\n", "grains", "mu", "seed", "left_deg", "right_deg", "mean_deg",
           "height_m", "wall_s");
    for (int k = 0; k < n; ++k) {
        if (st[k] != LSIM_OK) {
            printf("  case %d failed\n", k);
            continue;
        }
        printf("  %-9s %6.2f %6llu %8.2f %9.2f %8.2f %8.4f %7.2f\n", c[k].grain_sides ? "pentagon" : "disc",
               c[k].grain_friction, (unsigned long long)c[k].seed, p[k].angle_left / DEG, p[k].angle_right / DEG,
               p[k].angle / DEG, p[k].height, secs[k]);
    }
    for (int shape = 0; shape < n_shape; ++shape)
        for (int mu = 0; mu < n_mu; ++mu) {
            double m = 0.0;
            for (int seed = 0; seed < seeds; ++seed) m += p[(shape * n_mu + mu) * seeds + seed].angle;
            printf("# mean %-9s mu %.2f: %.2f deg\n", shape ? "disc" : "pentagon", mus[mu], m / seeds / DEG);
        }
    free(c);
    free(p);
    free(st);
    free(secs);
    return 0;
}

static int cut_variant(const char *name, int base, double collect, int seeds)
{
    static const double depths[] = {0.03, 0.06};
    int n = 2 * seeds;
    lsim_granular_case *c = calloc((size_t)n, sizeof *c);
    lsim_granular_result *r = calloc((size_t)n, sizeof *r);
    if (!c || !r) return 1;
    for (int k = 0; k < n; ++k) {
        lsim_granular_default_case(&c[k], LSIM_GRANULAR_DEFAULT_FRICTION_ANGLE);
        c[k].base = base;
        c[k].cut_depth = depths[k / seeds];
        c[k].seed = (uint64_t)(k % seeds + 1);
        lsim_granular_fit_bed(&c[k]);
        if (collect >= 0.0) c[k].collect_height = collect;
    }
    double t0 = now();
    lsim_status st = lsim_granular_run_many(c, r, (size_t)n);
    double wall = now() - t0;
    if (st != LSIM_OK) {
        fprintf(stderr, "%s\n", lsim_last_error());
        return 1;
    }
    printf("\n# cut, %s: rake %.0f deg, v %.2f m/s, phi %.0f deg, mu %.3f, blade mu %.3f, FEE delta %.1f deg\n", name,
           c[0].rake_angle / DEG, c[0].blade_speed, c[0].friction_angle / DEG, c[0].grain_friction,
           c[0].blade_friction, atan(c[0].blade_friction) / DEG);
    printf("# %6s %4s %6s %7s %7s %8s %7s %8s %6s %7s %8s %7s %7s\n", "d_m", "seed", "grains", "phi_pk", "rho_b",
           "F_N/m", "se", "FEE_N/m", "F/FEE", "tip_N/m", "dlt_deg", "e_J/kg", "coll/md");
    double f[2] = {0, 0}, d[2] = {0, 0}, fee[2] = {0, 0}, e[2] = {0, 0};
    for (int k = 0; k < n; ++k) {
        printf("  %6.4f %4llu %6zu %7.4f %7.1f %8.3f %7.3f %8.3f %6.3f %7.3f %8.2f %7.4f %7.3f\n", r[k].cut_depth,
               (unsigned long long)c[k].seed, r[k].grain_count, r[k].packing_fraction, r[k].bulk_density,
               r[k].draft_force, r[k].draft_force_stderr, r[k].fee_draft, r[k].draft_force / r[k].fee_draft,
               r[k].tip_draft_force, r[k].wall_friction_angle / DEG, r[k].specific_energy,
               r[k].collected_rate / r[k].mass_per_length);
        int j = k / seeds;
        f[j] += r[k].draft_force / seeds;
        d[j] += r[k].cut_depth / seeds;
        fee[j] += r[k].fee_draft / seeds;
        e[j] += r[k].specific_energy / seeds;
    }
    printf("# F(2d)/F(d) = %.3f for (d2/d1)^2 = %.3f: normalised %.3f; F/FEE %.3f and %.3f\n", f[1] / f[0],
           d[1] * d[1] / (d[0] * d[0]), (f[1] / f[0]) / (d[1] * d[1] / (d[0] * d[0])), f[0] / fee[0],
           f[1] / fee[1]);
    printf("# specific cutting energy %.4f / %.4f J/kg; lifting 1 m in lunar g 1.62 J/kg; RASSOR 2.0 whole "
           "machine ~4 kWh/t = 14400 J/kg\n",
           e[0], e[1]);
    printf("# wall time %.2f s for %d cases\n", wall, n);
    free(c);
    free(r);
    return 0;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "all";
    int seeds = argc > 2 ? atoi(argv[2]) : 2;
    if (seeds < 1) seeds = 1;
    int rc = 0;
    if (!strcmp(what, "repose") || !strcmp(what, "all")) rc |= repose_table(seeds);
    if (!strcmp(what, "cut") || !strcmp(what, "all")) {
        rc |= cut_variant("rigid base, spoil collected (default)", LSIM_GRANULAR_BASE_RIGID, -1.0, seeds);
        rc |= cut_variant("rigid base, spoil kept", LSIM_GRANULAR_BASE_RIGID, 0.0, seeds);
        rc |= cut_variant("loose base, spoil collected", LSIM_GRANULAR_BASE_LOOSE, -1.0, seeds);
    }
    return rc;
}
