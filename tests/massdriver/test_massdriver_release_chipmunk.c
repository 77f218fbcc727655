/* The Chipmunk2D release model (massdriver/release_chipmunk.h) and the
 * correlated draws of core/release.h it hands to the flight. */
#include <stdint.h>

#include "lsim_test.h"
#include "release.h"
#include "release_chipmunk.h"
#include "rng.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

enum { CASES = 16 };

/* A perfect track, no gravity: nothing pushes the payload, which must leave
 * with the bucket's zero velocity. */
static void test_no_disturbance(void)
{
    lsim_release_cp_config c;
    lsim_release_cp_default(&c);
    c.track_amplitude = 0.0;
    c.gravity = 0.0;
    lsim_release_cp_workspace *w = lsim_release_cp_workspace_new(&c);
    LSIM_CHECK(w != NULL, "workspace");
    lsim_release_cp_case r;
    LSIM_CHECK(lsim_release_cp_run_case(w, &c, 0, &r) == LSIM_OK, "%s", lsim_last_error());
    for (int a = 0; a < 3; ++a)
        LSIM_CHECK_CLOSE(r.dv[a], 0.0, 0.0, 1e-12,
                         "no force acts: only the contact solver's round-off (Chipmunk's position correction "
                         "uses separate bias velocities) could move it; 1e-12 m/s is 1e-9 of SP-413's 1e-3 m/s");
    printf("no disturbance: dv = (%.3g, %.3g, %.3g) m/s, released at %.4f s\n", r.dv[0], r.dv[1], r.dv[2],
           r.release_time[0]);

    /* Lunar gravity, perfect track: the payload slides out over the floor, so
     * friction takes mu g per second of sliding from its along-track speed;
     * it slides on its whole face until its centre passes the floor's front
     * edge, a relative travel d = L/2 + L/2 - l/2 at the brake's deceleration. */
    lsim_release_cp_default(&c);
    c.track_amplitude = 0.0;
    LSIM_CHECK(lsim_release_cp_run_case(w, &c, 0, &r) == LSIM_OK, "%s", lsim_last_error());
    double d = c.bucket_length - 0.5 * c.payload_length;
    double slide = sqrt(2.0 * d / c.brake_deceleration);
    printf("flat track, lunar gravity: dv = (%.4g, %.4g, %.3g) m/s; -mu g t = %.4g m/s over %.4f s on the floor\n",
           r.dv[0], r.dv[1], r.dv[2], -c.friction * c.gravity * slide, slide);
    LSIM_CHECK_CLOSE(r.dv[0], -c.friction * c.gravity * slide, 0.15, 0.0,
                     "Coulomb sliding under the payload's weight; 15% for what the formula leaves out: the tip-off "
                     "over the edge, where the normal force falls, and the bucket's pitch under the moving load");
    LSIM_CHECK_CLOSE(r.dv[2], 0.0, 0.0, 1e-12, "nothing acts across the track: round-off only");
    double dv1 = r.dv[0];
    c.friction *= 2.0;
    LSIM_CHECK(lsim_release_cp_run_case(w, &c, 0, &r) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK_CLOSE(r.dv[0] / dv1, 2.0, 0.02, 0.0,
                     "Coulomb friction is linear in mu; 2% for the slightly longer contact as the payload slows");
    lsim_release_cp_workspace_free(w);
}

/* The spread grows with the track's misalignment (same phases, amplitude x4). */
static void test_grows_with_misalignment(void)
{
    lsim_release_cp_config c;
    lsim_release_cp_default(&c);
    lsim_release_cp_case r1[CASES], r4[CASES];
    lsim_release_cp_stats s1, s4;
    LSIM_CHECK(lsim_release_cp_run(&c, CASES, r1, &s1) == LSIM_OK, "%s", lsim_last_error());
    c.track_amplitude *= 4.0;
    LSIM_CHECK(lsim_release_cp_run(&c, CASES, r4, &s4) == LSIM_OK, "%s", lsim_last_error());
    for (int a = 1; a < 3; ++a) {
        double q1 = s1.sigma[a], q4 = s4.sigma[a];
        printf("component %d: sigma %.3g m/s at 1e-4 m, %.3g m/s at 4e-4 m (x%.2f)\n", a, q1, q4, q4 / q1);
        LSIM_CHECK(q4 > 2.0 * q1,
                   "component %d: sigma %.3g at 4x the misalignment vs %.3g; the normal and cross spreads are driven "
                   "by the track (x4 if linear): more than x2 leaves room for the contacts' nonlinearity", a, q4, q1);
    }
    printf("sigma (1e-4 m): along %.3g, normal %.3g, cross %.3g m/s; corr along-normal %.2f\n", s1.sigma[0],
           s1.sigma[1], s1.sigma[2], s1.corr[0][1]);
}

/* Momentum: payload + bucket change by exactly the external impulses
 * (suspension, brake, gravity); guide contacts and the floor friction joint
 * are internal, equal and opposite. */
static void test_momentum(void)
{
    lsim_release_cp_config c;
    lsim_release_cp_default(&c);
    c.track_amplitude *= 4.0; /* plenty of contacts */
    lsim_release_cp_stats s;
    LSIM_CHECK(lsim_release_cp_run(&c, CASES, NULL, &s) == LSIM_OK, "%s", lsim_last_error());
    printf("momentum: max |dP - J| / sum|J| = %.3g\n", s.max_momentum_residual);
    LSIM_CHECK(s.max_momentum_residual < 1e-12,
               "residual %.3g: Chipmunk applies each contact and joint impulse to both bodies with opposite signs, "
               "so only round-off of v += f/m dt and of summing ~2000 steps remains (~1e-14 of the impulses)",
               s.max_momentum_residual);
}

/* Bitwise the same on 1 and 2 threads, and case by case the same as alone in
 * a fresh workspace. */
static void test_threads(void)
{
    lsim_release_cp_config c;
    lsim_release_cp_default(&c);
    lsim_release_cp_case r1[CASES], r2[CASES];
    lsim_release_cp_stats s1, s2;
#if defined(_OPENMP)
    omp_set_num_threads(1);
#endif
    LSIM_CHECK(lsim_release_cp_run(&c, CASES, r1, &s1) == LSIM_OK, "%s", lsim_last_error());
#if defined(_OPENMP)
    omp_set_num_threads(2);
#endif
    LSIM_CHECK(lsim_release_cp_run(&c, CASES, r2, &s2) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(memcmp(r1, r2, sizeof r1) == 0, "cases bitwise identical on 1 and 2 threads");
    LSIM_CHECK(memcmp(&s1, &s2, sizeof s1) == 0, "statistics bitwise identical on 1 and 2 threads");
    lsim_release_cp_workspace *w = lsim_release_cp_workspace_new(&c);
    lsim_release_cp_case alone;
    LSIM_CHECK(lsim_release_cp_run_case(w, &c, CASES - 1, &alone) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(memcmp(&alone, &r1[CASES - 1], sizeof alone) == 0,
               "the last case alone in a fresh workspace = the same case after 15 others in a reused one");
    lsim_release_cp_workspace_free(w);
}

/* core/release.h: with the flag off, today's draws bit for bit; with a
 * covariance, 1e5 draws reproduce it. */
static void test_draws(void)
{
    const uint64_t seed = 77;
    lsim_release_errors e = {.exit_speed = 2400.0, .sigma_speed = 1e-3, .sigma_angle = 4.2e-7};
    int same = 1;
    for (uint64_t i = 0; i < 1000; ++i) {
        double a[3], b[3];
        lsim_release_draw(seed, i, &e, &a[0], &a[1], &a[2]);
        b[0] = 1e-3 * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 0, i, 0);
        b[1] = 4.2e-7 * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 1, i, 0);
        b[2] = 4.2e-7 * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 2, i, 0);
        same &= memcmp(a, b, sizeof a) == 0;
    }
    LSIM_CHECK(same, "flag off: sigma * the three streams' normals, bit for bit as before the covariance existed");

    const double sd[3] = {1e-3, 6e-7, 4e-7};
    const double rho[3][3] = {{1.0, 0.6, -0.3}, {0.6, 1.0, 0.2}, {-0.3, 0.2, 1.0}};
    double cov[3][3];
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) cov[a][b] = rho[a][b] * sd[a] * sd[b];
    LSIM_CHECK(lsim_release_set_covariance(&e, cov) == LSIM_OK, "%s", lsim_last_error());
    double back[3][3];
    lsim_release_covariance(&e, back);
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
            LSIM_CHECK_CLOSE(back[a][b], cov[a][b], 1e-12, 1e-30, "L L^T reproduces the matrix to round-off");
    enum { N = 100000 };
    double sum[3] = {0}, sum2[3][3] = {{0}};
    for (uint64_t i = 0; i < N; ++i) {
        double x[3];
        lsim_release_draw(seed, i, &e, &x[0], &x[1], &x[2]);
        for (int a = 0; a < 3; ++a) {
            sum[a] += x[a];
            for (int b = 0; b < 3; ++b) sum2[a][b] += x[a] * x[b];
        }
    }
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) {
            double c_ab = (sum2[a][b] - sum[a] * sum[b] / N) / (N - 1);
            /* Var of a sample covariance of normals: (S_ab^2 + S_aa S_bb) / n. */
            double se = sqrt((cov[a][b] * cov[a][b] + cov[a][a] * cov[b][b]) / N);
            LSIM_CHECK_CLOSE(c_ab, cov[a][b], 0.0, 5.0 * se, "5 sampling sigma of a covariance from 1e5 normal draws");
        }
    /* A bad matrix is refused and leaves the errors unchanged. */
    lsim_release_errors keep = e;
    double bad[3][3] = {{1.0, 2.0, 0.0}, {2.0, 1.0, 0.0}, {0.0, 0.0, 1.0}};
    LSIM_CHECK(lsim_release_set_covariance(&e, bad) == LSIM_ERR_INPUT, "indefinite matrix refused");
    LSIM_CHECK(memcmp(&keep, &e, sizeof e) == 0, "refused: unchanged");
}

int main(void)
{
    test_draws();
    test_no_disturbance();
    test_grows_with_misalignment();
    test_momentum();
    test_threads();
    LSIM_TEST_MAIN_END();
}
