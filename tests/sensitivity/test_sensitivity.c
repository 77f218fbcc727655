/* Sobol' and Morris sensitivity (core/sensitivity.c) against analytic answers.
 *
 * The estimators are the functions a sweep calls on its summary metrics
 * (chain/sweep.c: lsim_sobol_estimate_members, lsim_morris_estimate), fed
 * here by the same designs (lsim_saltelli_design, lsim_morris_design). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lsim_test.h"
#include "sensitivity.h"

/* scipy.stats.qmc.Sobol(64, scramble=False).random(2**15)[k] * 2^32 for
 * k = 12345 and 32767: an independent implementation of the same Joe-Kuo
 * direction numbers and Gray-code order. */
static const uint32_t scipy_12345[64] = {0xA4140000u, 0xD03C0000u, 0x290C0000u, 0x86DC0000u, 0xE3740000u, 0x0F140000u, 0x20940000u, 0x1D040000u, 0xCD440000u, 0x6DFC0000u, 0x13040000u, 0x994C0000u, 0xEE540000u, 0xF11C0000u, 0x08D40000u, 0xA40C0000u, 0x10040000u, 0x0D0C0000u, 0x51C40000u, 0x57EC0000u, 0x33040000u, 0x14CC0000u, 0x9B640000u, 0xDCDC0000u, 0x70FC0000u, 0x4BB40000u, 0x5DB40000u, 0x7B640000u, 0x16740000u, 0x678C0000u, 0x49740000u, 0xA97C0000u, 0x80AC0000u, 0xA94C0000u, 0x30B40000u, 0xE91C0000u, 0x00AC0000u, 0x52840000u, 0xF5BC0000u, 0xF2BC0000u, 0x372C0000u, 0xCCEC0000u, 0xC31C0000u, 0x928C0000u, 0x49F40000u, 0x7A240000u, 0xFB5C0000u, 0x3D640000u, 0xA9C40000u, 0x9CE40000u, 0xC57C0000u, 0x74140000u, 0x02440000u, 0x9DA40000u, 0xDDBC0000u, 0x8D140000u, 0x72340000u, 0xF8FC0000u, 0x76540000u, 0xF83C0000u, 0x1BAC0000u, 0xA0AC0000u, 0xF84C0000u, 0x77340000u};
static const uint32_t scipy_32767[64] = {0x00020000u, 0xAAAA0000u, 0x60EE0000u, 0x82020000u, 0x81620000u, 0xB6D60000u, 0x78460000u, 0xFEA20000u, 0xC22A0000u, 0x53860000u, 0x880A0000u, 0x629E0000u, 0xBA160000u, 0x58060000u, 0xEBA20000u, 0x0DAA0000u, 0xFCAA0000u, 0x5B6A0000u, 0xFF820000u, 0x60020000u, 0x0A020000u, 0xA6020000u, 0x25820000u, 0xCB820000u, 0x8B220000u, 0x0BE20000u, 0x2D620000u, 0x48A20000u, 0x23AA0000u, 0xA59A0000u, 0x09DA0000u, 0x936A0000u, 0x401A0000u, 0x4CDA0000u, 0x1ADA0000u, 0xC8DA0000u, 0x556A0000u, 0xB8020000u, 0xD3CE0000u, 0x2EEA0000u, 0x24B60000u, 0x7D4A0000u, 0x1E9A0000u, 0x5B2E0000u, 0x83D20000u, 0xB30A0000u, 0x32520000u, 0x225A0000u, 0x20C60000u, 0x864E0000u, 0x715E0000u, 0xAD6A0000u, 0x10860000u, 0x2C620000u, 0x14C20000u, 0xF26E0000u, 0xC4FE0000u, 0xBC420000u, 0xD82A0000u, 0x954A0000u, 0x7E360000u, 0x9F2E0000u, 0x55AE0000u, 0x110E0000u};

static void check_unscrambled(void)
{
    lsim_sobol sobol;
    LSIM_CHECK(lsim_sobol_init(&sobol, 64, 0, 0) == LSIM_OK, "64 dimensions are supported");
    double u[64];
    const uint64_t index[2] = {12345, 32767};
    const uint32_t *want[2] = {scipy_12345, scipy_32767};
    for (int p = 0; p < 2; ++p) {
        lsim_sobol_point(&sobol, index[p], u);
        int same = 1;
        for (int j = 0; j < 64; ++j) same = same && (uint32_t)(u[j] * 0x1.0p32) == want[p][j];
        /* Exact: both are the same 32-bit integers over 2^32. */
        LSIM_CHECK(same, "unscrambled point %llu equals scipy's in all 64 dimensions", (unsigned long long)index[p]);
    }
    LSIM_CHECK(lsim_sobol_init(&sobol, 65, 0, 0) == LSIM_ERR_INPUT, "65 dimensions are refused");
}

/* A scrambled Sobol' net keeps its strata: the first 2^m points put exactly
 * one point in each interval [k, k+1) / 2^m of every coordinate (a (0,m,1)
 * net in each one-dimensional projection; linear scrambles with a unit
 * diagonal and digital shifts keep it). A scramble that broke the matrix's
 * triangle would fail this. */
static void check_scrambled_strata(void)
{
    enum { M = 8, N = 1 << M };
    lsim_sobol sobol;
    lsim_sobol_init(&sobol, 64, 1, 2026);
    static double u[N][64];
    for (int k = 0; k < N; ++k) lsim_sobol_point(&sobol, (uint64_t)k, u[k]);
    int ok = 1;
    for (int j = 0; j < 64; ++j) {
        unsigned char hit[N];
        memset(hit, 0, sizeof hit);
        for (int k = 0; k < N; ++k) hit[(int)(u[k][j] * N)]++;
        for (int k = 0; k < N; ++k) ok = ok && hit[k] == 1;
    }
    LSIM_CHECK(ok, "the first 2^%d scrambled points stratify every coordinate (exact count)", M);
    lsim_sobol other;
    lsim_sobol_init(&other, 64, 1, 2027);
    double v[64];
    lsim_sobol_point(&other, 5, v);
    LSIM_CHECK(memcmp(v, u[5], sizeof v) != 0, "another seed scrambles differently");
    lsim_sobol again;
    lsim_sobol_init(&again, 64, 1, 2026);
    lsim_sobol_point(&again, 5, v);
    LSIM_CHECK(memcmp(v, u[5], sizeof v) == 0, "the same seed gives the same points, bitwise");
}

/* ---- Ishigami and Homma (1990), a = 7, b = 0.1, inputs uniform on [-pi, pi] ---- */

static const double ISHIGAMI_A = 7.0, ISHIGAMI_B = 0.1;

static double ishigami(const double *u)
{
    const double pi = 3.14159265358979323846;
    double x1 = -pi + 2.0 * pi * u[0], x2 = -pi + 2.0 * pi * u[1], x3 = -pi + 2.0 * pi * u[2];
    return sin(x1) + ISHIGAMI_A * sin(x2) * sin(x2) + ISHIGAMI_B * pow(x3, 4) * sin(x1);
}

/* Partial variances of the Ishigami function, integrated in closed form
 * (docs/REFERENCES.md, Derived figures: "Ishigami indices"). */
static void ishigami_indices(double s1[3], double st[3])
{
    const double pi = 3.14159265358979323846, a = ISHIGAMI_A, b = ISHIGAMI_B;
    const double pi4 = pow(pi, 4), pi8 = pow(pi, 8);
    const double v1 = 0.5 * pow(1.0 + b * pi4 / 5.0, 2), v2 = a * a / 8.0, v13 = 8.0 * b * b * pi8 / 225.0;
    const double v = v1 + v2 + v13;
    s1[0] = v1 / v;
    s1[1] = v2 / v;
    s1[2] = 0.0;
    st[0] = (v1 + v13) / v;
    st[1] = v2 / v;
    st[2] = v13 / v;
}

/* ---- Sobol' G-function [SaltelliSobol1995], the a_i of [Saltelli2010] ---- */

enum { G_INPUTS = 8 };
static const double G_A[G_INPUTS] = {0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0};

static double g_function(const double *u)
{
    double g = 1.0;
    for (int i = 0; i < G_INPUTS; ++i) g *= (fabs(4.0 * u[i] - 2.0) + G_A[i]) / (1.0 + G_A[i]);
    return g;
}

/* V_i = 1 / (3 (1 + a_i)^2), V = prod(1 + V_i) - 1, S_i = V_i / V,
 * ST_i = V_i prod_(j != i)(1 + V_j) / V. */
static void g_indices(double *s1, double *st)
{
    double vi[G_INPUTS], prod = 1.0;
    for (int i = 0; i < G_INPUTS; ++i) {
        vi[i] = 1.0 / (3.0 * (1.0 + G_A[i]) * (1.0 + G_A[i]));
        prod *= 1.0 + vi[i];
    }
    const double v = prod - 1.0;
    for (int i = 0; i < G_INPUTS; ++i) {
        s1[i] = vi[i] / v;
        st[i] = vi[i] * prod / (1.0 + vi[i]) / v;
    }
}

typedef double (*test_function)(const double *u);

/* Runs the Saltelli design of n rows through f, as the sweep runs members. */
static double *evaluate_design(test_function f, size_t n, size_t d, uint64_t seed, double **design_out)
{
    size_t members = n * (d + 2);
    double *x = malloc(members * d * sizeof *x), *y = malloc(members * sizeof *y);
    if (!x || !y) exit(2);
    LSIM_CHECK(lsim_saltelli_design(n, d, seed, x) == LSIM_OK, "Saltelli design of %zu x %zu", n, d);
    for (size_t m = 0; m < members; ++m) y[m] = f(x + m * d);
    if (design_out) *design_out = x;
    else free(x);
    return y;
}

/* Each index must lie within its 95% bootstrap interval widened on each side
 * by margin_of_width times the interval's width (the interval misses the
 * truth 5% of the time by construction; widened by half its width on each
 * side it spans about +-2.9 standard errors, missed ~0.4% of the time), and
 * the interval must be narrower than max_width so that the check decides:
 * a wrong estimator (see check_wrong_estimator_fails) lands outside. */
static int within(const char *what, size_t i, double truth, double estimate, double low, double high,
                  double margin_of_width, double max_width)
{
    double width = high - low, pad = margin_of_width * width;
    int inside = truth >= low - pad && truth <= high + pad;
    printf("  %s[%zu]: %.4f in [%.4f, %.4f] (width %.4f), analytic %.4f\n", what, i, estimate, low, high, width,
           truth);
    LSIM_CHECK(inside, "%s[%zu] = %.4f: analytic %.4f outside [%.4f, %.4f] widened by %.2f x width", what, i, estimate,
               truth, low, high, margin_of_width);
    LSIM_CHECK(width > 0.0 && width <= max_width, "%s[%zu]: interval width %.4f must be positive and <= %.3f to decide",
               what, i, width, max_width);
    return inside;
}

static void check_sobol(const char *name, test_function f, size_t n, size_t d, const double *s1_true,
                        const double *st_true, double max_width)
{
    double *y = evaluate_design(f, n, d, 1234, NULL);
    double s1[64], s1_low[64], s1_high[64], st[64], st_low[64], st_high[64];
    lsim_sobol_indices out = {s1, s1_low, s1_high, st, st_low, st_high};
    lsim_sensitivity_options options = {LSIM_SENSITIVITY_BOOTSTRAP, 0.95, 99};
    lsim_sensitivity_reason reason;
    clock_t start = clock();
    LSIM_CHECK(lsim_sobol_estimate_members(y, n, d, &options, &out, &reason) == LSIM_OK, "estimate");
    printf("%s: N = %zu, %zu members, %d resamples in %.2f s CPU\n", name, n, n * (d + 2), LSIM_SENSITIVITY_BOOTSTRAP,
           (double)(clock() - start) / CLOCKS_PER_SEC);
    LSIM_CHECK(reason == LSIM_SENSITIVITY_COMPUTED, "%s: computed", name);
    for (size_t i = 0; i < d; ++i) within("S1", i, s1_true[i], s1[i], s1_low[i], s1_high[i], 0.5, max_width);
    for (size_t i = 0; i < d; ++i) within("ST", i, st_true[i], st[i], st_low[i], st_high[i], 0.5, max_width);

    /* Bitwise reproducible: the same values and seed give the same bits. */
    double again[64], again_low[64], again_high[64], t2[64], t2l[64], t2h[64];
    lsim_sobol_indices out2 = {again, again_low, again_high, t2, t2l, t2h};
    lsim_sobol_estimate_members(y, n, d, &options, &out2, &reason);
    LSIM_CHECK(memcmp(s1_low, again_low, d * sizeof *s1) == 0 && memcmp(st_high, t2h, d * sizeof *st) == 0,
               "%s: intervals are bitwise reproducible", name);
    free(y);
}

/* A test that cannot fail proves nothing: Sobol's original first-order
 * estimator applied to the wrong matrices (f(A_B^i) taken as B with column
 * i from A, i.e. swapping the roles) must land outside the widened
 * interval for the Ishigami function, as must the true values if the
 * members are mislabelled (A_B^(1) and A_B^(2) swapped). */
static void check_wrong_estimator_fails(void)
{
    const size_t n = 1 << 13, d = 3;
    double *y = evaluate_design(ishigami, n, d, 1234, NULL);
    double s1_true[3], st_true[3];
    ishigami_indices(s1_true, st_true);
    for (size_t j = 0; j < n; ++j) { /* swap the A_B^(1) and A_B^(2) members */
        double *row = y + j * (d + 2);
        double t = row[lsim_saltelli_ab(0)];
        row[lsim_saltelli_ab(0)] = row[lsim_saltelli_ab(1)];
        row[lsim_saltelli_ab(1)] = t;
    }
    double s1[3], s1l[3], s1h[3], st[3], stl[3], sth[3];
    lsim_sobol_indices out = {s1, s1l, s1h, st, stl, sth};
    lsim_sensitivity_options options = {LSIM_SENSITIVITY_BOOTSTRAP, 0.95, 99};
    lsim_sensitivity_reason reason;
    lsim_sobol_estimate_members(y, n, d, &options, &out, &reason);
    int caught = 0;
    for (size_t i = 0; i < 2; ++i) {
        double pad = 0.5 * (s1h[i] - s1l[i]);
        caught += !(s1_true[i] >= s1l[i] - pad && s1_true[i] <= s1h[i] + pad);
    }
    LSIM_CHECK(caught == 2, "mislabelled members give S1 of inputs 1 and 2 outside their widened intervals (%d of 2: "
               "%.3f vs %.3f, %.3f vs %.3f)", caught, s1[0], s1_true[0], s1[1], s1_true[1]);
    free(y);
}

static void check_nan_and_constant(void)
{
    const size_t n = 16, d = 2;
    double y[16 * 4];
    for (size_t m = 0; m < n * (d + 2); ++m) y[m] = 3.0;
    double s1[2], s1l[2], s1h[2], st[2], stl[2], sth[2];
    lsim_sobol_indices out = {s1, s1l, s1h, st, stl, sth};
    lsim_sensitivity_options options = {100, 0.95, 1};
    lsim_sensitivity_reason reason;
    lsim_sobol_estimate_members(y, n, d, &options, &out, &reason);
    LSIM_CHECK(reason == LSIM_SENSITIVITY_CONSTANT && isnan(s1[0]) && isnan(st[1]) && isnan(s1l[0]),
               "a constant output gives NaN indices with the reason 'constant'");
    y[7] = NAN;
    y[8] = 4.0;
    lsim_sobol_estimate_members(y, n, d, &options, &out, &reason);
    LSIM_CHECK(reason == LSIM_SENSITIVITY_NOT_FINITE && isnan(s1[0]) && isnan(sth[1]),
               "one member's NaN makes every index NaN with the reason 'not finite' (never dropped silently)");
}

/* Morris on f = sum c_i v_i with v_i = lo_i + (hi_i - lo_i) x_i: every
 * elementary effect is c_i (hi_i - lo_i), so mu* = |c_i| range_i, mu =
 * c_i range_i and sigma = 0, to round-off: an effect is a difference of two
 * values of f over a step of 2/3, so its error is a few ulps of the largest
 * |f| (2.5e9 here, from the fourth term) over 2/3; 8 eps max|f| / (2/3)
 * bounds it (about 3e-6 absolute). */
static void check_morris_linear(void)
{
    enum { R = 20, D = 4 };
    const double c[D] = {3.0, -2.0, 0.0, 1e6}, lo[D] = {0.0, 10.0, -1.0, 2.3e3}, hi[D] = {1.0, 50.0, 1.0, 2.5e3};
    static double x[R * (D + 1) * D], y[R * (D + 1)];
    LSIM_CHECK(lsim_morris_design(R, D, LSIM_MORRIS_LEVELS, 7, x) == LSIM_OK, "Morris design");
    for (size_t m = 0; m < R * (D + 1); ++m) {
        double f = 0.0;
        for (int i = 0; i < D; ++i) f += c[i] * (lo[i] + (hi[i] - lo[i]) * x[m * D + i]);
        y[m] = f;
    }
    double largest = 0.0;
    for (size_t m = 0; m < R * (D + 1); ++m) largest = fmax(largest, fabs(y[m]));
    const double roundoff = 8.0 * 2.220446049250313e-16 * largest / (2.0 / 3.0);
    double mu_star[D], mu[D], sigma[D], low[D], high[D];
    lsim_morris_indices out = {mu_star, mu, sigma, low, high};
    lsim_sensitivity_options options = {200, 0.95, 3};
    lsim_sensitivity_reason reason;
    LSIM_CHECK(lsim_morris_estimate(y, x, R, D, &options, &out, &reason) == LSIM_OK, "Morris estimate");
    for (int i = 0; i < D; ++i) {
        double range = hi[i] - lo[i];
        LSIM_CHECK_CLOSE(mu_star[i], fabs(c[i]) * range, 0, roundoff, "mu* = |c| range: round-off of f only");
        LSIM_CHECK_CLOSE(mu[i], c[i] * range, 0, roundoff, "mu = c range: round-off of f only");
        LSIM_CHECK(sigma[i] <= roundoff, "sigma[%d] = %g: 0 for a linear function (round-off %g)", i, sigma[i],
                   roundoff);
        LSIM_CHECK(low[i] <= mu_star[i] + roundoff && high[i] >= mu_star[i] - roundoff, "mu*[%d] in its interval", i);
    }
    /* The grid: p = 4 levels 0, 1/3, 2/3, 1 and steps of 2/3, one input at a time. */
    int on_grid = 1;
    for (size_t k = 0; k < R * (D + 1) * D; ++k) {
        double level = x[k] * 3.0;
        on_grid = on_grid && fabs(level - floor(level + 0.5)) < 1e-12;
    }
    LSIM_CHECK(on_grid, "every point is on the 4-level grid");
    LSIM_CHECK(lsim_morris_design(R, D, 5, 7, x) == LSIM_ERR_INPUT, "odd levels are refused");
    /* An interaction: f = v0 * v1 makes the effects of both inputs vary (sigma > 0). */
    for (size_t m = 0; m < R * (D + 1); ++m) y[m] = x[m * D] * x[m * D + 1];
    lsim_morris_estimate(y, x, R, D, &options, &out, &reason);
    LSIM_CHECK(sigma[0] > 0.05 && sigma[1] > 0.05 && mu_star[2] == 0.0 && sigma[3] == 0.0,
               "an interaction shows as sigma (%.3f, %.3f); unused inputs have mu* = sigma = 0", sigma[0], sigma[1]);
}

int main(void)
{
    clock_t start = clock();
    check_unscrambled();
    check_scrambled_strata();
    double s1[G_INPUTS], st[G_INPUTS];
    ishigami_indices(s1, st);
    /* Quoted to 4 decimals (docs/REFERENCES.md, Derived figures); the
     * closed form must give them. */
    LSIM_CHECK_CLOSE(s1[0], 0.3139, 0, 5e-5, "published S1 to 4 decimals");
    LSIM_CHECK_CLOSE(s1[1], 0.4424, 0, 5e-5, "published S1 to 4 decimals");
    LSIM_CHECK_CLOSE(st[0], 0.5576, 0, 5e-5, "published ST to 4 decimals");
    LSIM_CHECK_CLOSE(st[2], 0.2437, 0, 5e-5, "published ST to 4 decimals");
    /* N = 2^14 base rows (81,920 members): intervals 0.01 to 0.05 wide, so
     * an index off by 0.06 or more cannot pass. */
    check_sobol("Ishigami", ishigami, 1 << 14, 3, s1, st, 0.06);
    g_indices(s1, st);
    check_sobol("Sobol' G (a = 0, 1, 4.5, 9, 99 x 4)", g_function, 1 << 13, G_INPUTS, s1, st, 0.06);
    check_wrong_estimator_fails();
    check_nan_and_constant();
    check_morris_linear();
    printf("%.2f s CPU\n", (double)(clock() - start) / CLOCKS_PER_SEC);
    LSIM_TEST_MAIN_END();
}
