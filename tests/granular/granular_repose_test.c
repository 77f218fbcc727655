/* Angle of repose: heaps poured with the mu calibrated for the default 30 deg
 * friction angle come out at 30 deg, and discs (no corners, no rolling
 * resistance in Chipmunk) come out far flatter at the same mu. */
#include "granular.h"
#include "lsim_test.h"

#define DEG (3.14159265358979323846 / 180.0)

int main(void)
{
    enum { N = 3 };
    lsim_granular_case c[N];
    lsim_granular_pile p[N];
    lsim_status st[N];
    for (int k = 0; k < N; ++k) {
        lsim_granular_default_case(&c[k], LSIM_GRANULAR_DEFAULT_FRICTION_ANGLE);
        c[k].grain_count = 600;
        c[k].bed_length = 0.5;
        c[k].seed = (uint64_t)(k % 2 + 1);
    }
    c[2].grain_sides = 0; /* discs, same mu */
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < N; ++k) st[k] = lsim_granular_repose(&c[k], &p[k]);
    for (int k = 0; k < N; ++k) {
        LSIM_CHECK(st[k] == LSIM_OK, "repose case %d failed", k);
        printf("%s seed %d: %.2f deg (left %.2f, right %.2f), height %.3f m, %zu grains, %ld steps\n",
               c[k].grain_sides ? "pentagons" : "discs", (int)c[k].seed, p[k].angle / DEG, p[k].angle_left / DEG,
               p[k].angle_right / DEG, p[k].height, p[k].grain_count, p[k].steps);
    }
    double mean = 0.5 * (p[0].angle + p[1].angle);
    /* 4 deg: single 600-grain heaps scatter by ~+-3 deg from seed to seed (measured: 28.8 and 35.4 deg
     * here), so a two-heap mean is good to ~2.5 deg, and the calibration table is itself a two-seed
     * mean good to ~1.5 deg. */
    LSIM_CHECK_CLOSE(mean / DEG, LSIM_GRANULAR_DEFAULT_FRICTION_ANGLE / DEG, 0.0, 4.0,
                     "angle of repose of the calibrated grains");
    LSIM_CHECK(p[2].angle < mean - 5.0 * DEG, "discs (%.1f deg) should pour flatter than pentagons (%.1f deg)",
               p[2].angle / DEG, mean / DEG);
    LSIM_TEST_MAIN_END();
}
