/* Coil physics of the coil-by-coil launcher (massdriver/coil_physics.h):
 * elliptic integrals against known values, identities and direct quadrature;
 * the coaxial mutual inductance against a direct Neumann double integral and
 * its two limits; its closed-form gradient against finite differences; the
 * filament grid of multi-turn coils; conductor resistance. */
#include "lsim_test.h"
#include "coil_physics.h"

static const double pi = 3.14159265358979323846;

/* K and E by the midpoint rule on [0, π/2]: the integrands are even and
 * π-periodic in θ, so this is the trapezoid rule over a period and converges
 * geometrically (error ~ exp(−2n·asinh(sqrt((1−m)/m)))). The integrand is
 * formed as (1 − m) + m cos²θ with cos θ = sin(π/2 − θ) taken from its own
 * argument, so near m → 1 it keeps its relative precision where 1 − m sin²θ
 * would lose eps/(1 − m). */
static void quadrature_ke(double m, double m1, int n, double *k, double *e)
{
    double sk = 0.0, se = 0.0, h = 0.5 * pi / n;
    for (int i = 0; i < n; ++i) {
        double c = sin((n - i - 0.5) * h);
        double w = sqrt(m1 + m * c * c);
        sk += 1.0 / w;
        se += w;
    }
    *k = sk * h;
    *e = se * h;
}

static void test_elliptic(void)
{
    LSIM_CHECK_CLOSE(lsim_coil_ellint_k(0.0), 0.5 * pi, 1e-16, 0.0, "K(0) = π/2: no iteration, one rounding");
    LSIM_CHECK_CLOSE(lsim_coil_ellint_e(0.0), 0.5 * pi, 1e-16, 0.0, "E(0) = π/2: no iteration, one rounding");
    /* K(1/2) = Γ(1/4)²/(4 sqrt(π)) (the lemniscatic case); tgamma is
     * good to a few ulp, so 1e-15. The decimal values are the published ones. */
    double g = tgamma(0.25);
    LSIM_CHECK_CLOSE(lsim_coil_ellint_k(0.5), g * g / (4.0 * sqrt(pi)), 1e-15, 0.0,
                     "lemniscatic K(1/2) from tgamma: a few ulp each side");
    LSIM_CHECK_CLOSE(lsim_coil_ellint_k(0.5), 1.8540746773013719, 1e-15, 0.0, "K(1/2), 17 digits: a few ulp");
    LSIM_CHECK_CLOSE(lsim_coil_ellint_e(0.5), 1.3506438810476755, 1e-15, 0.0, "E(1/2), 17 digits: a few ulp");
    LSIM_CHECK(isinf(lsim_coil_ellint_k(1.0)) && lsim_coil_ellint_e(1.0) == 1.0, "K(1) = inf, E(1) = 1");

    /* Legendre's relation E K' + E' K − K K' = π/2 (K' = K(1 − m)) ties m to
     * its complement, so it checks the approach to m → 1 too (K up to ~12).
     * Terms are at most ~20, so a few ulp of 20: 1e-14 relative to π/2. */
    const double ms[] = {1e-12, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0 - 1e-6, 1.0 - 1e-10};
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; ++i) {
        double m = ms[i], m1 = 1.0 - ms[i];
        double k, e, kc, ec;
        lsim_coil_ellint_ke(m, m1, &k, &e, NULL);
        lsim_coil_ellint_ke(m1, m, &kc, &ec, NULL);
        LSIM_CHECK_CLOSE(e * kc + ec * k - k * kc, 0.5 * pi, 1e-14, 0.0, "Legendre's relation: a few ulp of terms ~20");
    }
    /* Against direct quadrature: 4000 midpoints reach rounding for every m here
     * (the slowest, m = 0.9999, has asinh(0.01)·2·4000 = 80 e-folds). The sum
     * of 4000 terms rounds to ~1e-15 relative; 4e-15 leaves room. */
    const double mq[] = {0.0, 0.1, 0.5, 0.9, 0.99, 0.9999};
    for (size_t i = 0; i < sizeof mq / sizeof mq[0]; ++i) {
        double kq, eq;
        quadrature_ke(mq[i], 1.0 - mq[i], 4000, &kq, &eq);
        LSIM_CHECK_CLOSE(lsim_coil_ellint_k(mq[i]), kq, 4e-15, 0.0, "AGM vs midpoint quadrature (geometric convergence)");
        LSIM_CHECK_CLOSE(lsim_coil_ellint_e(mq[i]), eq, 4e-15, 0.0, "AGM vs midpoint quadrature (geometric convergence)");
    }
    /* S1 = (1 − m/2) − E/K, the cancellation-free sum the inductance uses. */
    for (size_t i = 2; i < sizeof ms / sizeof ms[0]; ++i) {
        double k, e, s1;
        lsim_coil_ellint_ke(ms[i], 1.0 - ms[i], &k, &e, &s1);
        LSIM_CHECK_CLOSE(s1, (1.0 - 0.5 * ms[i]) - e / k, 1e-12, 1e-16,
                         "S1 identity: the right side cancels to ~1e-16/S1 (S1 >= 6e-6 here)");
    }
}

/* M = μ0/(4π) ∮∮ dl1·dl2 / r, the trapezoid rule over both angles (n × n). */
static double neumann(double a, double b, double z, int n)
{
    double sum = 0.0, h = 2.0 * pi / n;
    for (int i = 0; i < n; ++i) {
        double p1 = i * h;
        for (int j = 0; j < n; ++j) {
            double p2 = j * h;
            double dx = a * cos(p1) - b * cos(p2), dy = a * sin(p1) - b * sin(p2);
            double r = sqrt(dx * dx + dy * dy + z * z);
            double dot = a * b * (sin(p1) * sin(p2) + cos(p1) * cos(p2)); /* dl1·dl2 / dφ1 dφ2 */
            sum += dot / r;
        }
    }
    return LSIM_COIL_MU0 / (4.0 * pi) * sum * h * h;
}

static void test_mutual_inductance(void)
{
    /* Geometries from well apart to 0.1 radius apart. The double trapezoid
     * rule on this periodic analytic integrand converges like exp(−n·acosh(D)),
     * D = (a² + b² + z²)/(2ab) >= 1.005 here (acosh >= 0.1), so n = 400 is
     * below 1e-15; 1e-8 is the brief's bar, with room for the 160,000-term sum. */
    const double g[][3] = {{1.0, 0.8, 0.3}, {0.2, 0.15, 0.05}, {1.0, 1.0, 0.1}, {0.5, 2.0, 1.0}, {1.0, 1.2, 0.0},
                           {0.3, 0.3, 3.0}};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; ++i) {
        double m = lsim_coil_loop_mutual_inductance(g[i][0], g[i][1], g[i][2]);
        LSIM_CHECK_CLOSE(m, neumann(g[i][0], g[i][1], g[i][2], 400), 1e-8, 0.0,
                         "Neumann double integral, trapezoid n = 400 (converged far below 1e-8)");
        LSIM_CHECK_CLOSE(lsim_coil_loop_mutual_inductance(g[i][1], g[i][0], g[i][2]), m, 1e-15, 0.0,
                         "reciprocity M(a, b) = M(b, a): a few ulp");
        LSIM_CHECK_CLOSE(lsim_coil_loop_mutual_inductance(g[i][0], g[i][1], -g[i][2]), m, 0.0, 0.0,
                         "even in z: the formula sees z² only");
    }
    /* Far apart: the dipole-dipole μ0 π a² b² / (2 z³), whose relative error is
     * −(3/2)(a² + b²)/z² + O(z⁻⁴); tolerance 2(a² + b²)/z². At z = 1e4 (k ~ 1e-4)
     * a formula forming (2/k − k)K − 2E/k directly would lose all its digits
     * (cancellation ~ eps/k⁴ ~ 1); the S1 form keeps them. */
    const double far[] = {10.0, 100.0, 1e3, 1e4, 1e5};
    for (size_t i = 0; i < sizeof far / sizeof far[0]; ++i) {
        double a = 1.0, b = 0.5, z = far[i];
        double dipole = LSIM_COIL_MU0 * pi * a * a * b * b / (2.0 * z * z * z);
        double bound = (a * a + b * b) / (z * z);
        LSIM_CHECK_CLOSE(lsim_coil_loop_mutual_inductance(a, b, z), dipole, 2.0 * bound, 0.0,
                         "dipole limit: leading correction −1.5(a² + b²)/z²");
        LSIM_CHECK_CLOSE(lsim_coil_loop_mutual_inductance(a, b, z), dipole * (1.0 - 1.5 * bound),
                         2.5 * bound * bound + 1e-15, 0.0,
                         "dipole limit with its first correction: next term (15/8)(a⁴ + 3a²b² + b⁴)/z⁴ "
                         "<= 2.35 (a² + b²)²/z⁴, plus rounding");
    }
    /* Nearly touching: equal loops d apart, M → μ0 a [ln(8a/d) − 2] ([Grover1946]),
     * relative error ~ (3/16)(d/a)² ln(8a/d) / (ln(8a/d) − 2): tolerance (d/a)²·ln(8a/d).
     * With the correction (1 + 3d²/16a²) ln(8a/d) − 2 − d²/16a² the error is
     * O(d⁴ ln): tolerance (d/a)⁴·ln(8a/d) + 1e-14 (rounding of K ~ ln(8a/d)). */
    const double near[] = {1e-2, 1e-3, 1e-4, 1e-6, 1e-8};
    for (size_t i = 0; i < sizeof near / sizeof near[0]; ++i) {
        double a = 1.0, d = near[i], lg = log(8.0 * a / d), q = d * d / (a * a);
        double m = lsim_coil_loop_mutual_inductance(a, a, d);
        LSIM_CHECK_CLOSE(m, LSIM_COIL_MU0 * a * (lg - 2.0), q * lg, 0.0, "log formula, leading order");
        LSIM_CHECK_CLOSE(m, LSIM_COIL_MU0 * a * ((1.0 + 3.0 * q / 16.0) * lg - 2.0 - q / 16.0), q * q * lg + 1e-14, 0.0,
                         "log formula with its d² correction");
    }
    /* The same limit reached radially (z = 0, b = a + d): k' = d/(a + b), so
     * M → μ0 sqrt(ab) [ln(8 sqrt(ab)/d) − 2] with O(d² ln(8a/d)) corrections, ~1.6e-11
     * for d = 1e-6: 2e-11 (using a for sqrt(ab) in the log would be off by d/2a = 5e-7). */
    double rg = sqrt(1.0 + 1e-6);
    LSIM_CHECK_CLOSE(lsim_coil_loop_mutual_inductance(1.0, 1.0 + 1e-6, 0.0),
                     LSIM_COIL_MU0 * rg * (log(8.0 * rg / 1e-6) - 2.0), 2e-11, 0.0,
                     "radial approach: log formula at the geometric-mean radius, O(d² ln) = 2e-11");
}

/* Fourth-order central difference of f at z with step h. */
static double central_difference(double (*f)(double, void *), void *ctx, double z, double h)
{
    return (-f(z + 2.0 * h, ctx) + 8.0 * f(z + h, ctx) - 8.0 * f(z - h, ctx) + f(z - 2.0 * h, ctx)) / (12.0 * h);
}

static double loop_m(double z, void *ctx)
{
    const double *ab = ctx;
    return lsim_coil_loop_mutual_inductance(ab[0], ab[1], z);
}

typedef struct {
    lsim_coil_geometry a, b;
} coil_pair;

static double coil_m(double z, void *ctx)
{
    const coil_pair *p = ctx;
    return lsim_coil_mutual_inductance(&p->a, &p->b, z);
}

static void test_gradient(void)
{
    /* h = 1e-3 of the loops' distance scale ℓ = sqrt((a−b)² + z²) (or of a):
     * truncation ~ (h/ℓ)⁴ = 1e-12 and rounding ~ eps·M/(h·|dM/dz|) ~ 1e-12 of
     * the gradient, so 1e-9. */
    const double g[][3] = {{1.0, 0.8, 0.3}, {0.2, 0.15, -0.05}, {1.0, 1.0, 0.1}, {0.5, 2.0, 1.0}, {1.0, 1.2, 0.02},
                           {0.3, 0.3, 3.0}, {1.0, 0.5, 100.0}};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; ++i) {
        double ab[2] = {g[i][0], g[i][1]}, z = g[i][2];
        double scale = sqrt((ab[0] - ab[1]) * (ab[0] - ab[1]) + z * z);
        double m = 0.0;
        double grad = lsim_coil_loop_mutual_gradient(ab[0], ab[1], z, &m);
        LSIM_CHECK_CLOSE(grad, central_difference(loop_m, ab, z, 1e-3 * scale), 1e-9, 0.0,
                         "4th-order central difference, h = 1e-3 ℓ: (h/ℓ)⁴ and eps/h both ~1e-12");
        LSIM_CHECK_CLOSE(m, lsim_coil_loop_mutual_inductance(ab[0], ab[1], z), 0.0, 0.0, "same M as the M-only call");
        LSIM_CHECK(z == 0.0 || (grad < 0.0) == (z > 0.0), "coaxial loops attract: dM/dz < 0 for z > 0 (%g)", grad);
        LSIM_CHECK_CLOSE(lsim_coil_loop_mutual_gradient(ab[0], ab[1], -z, NULL), -grad, 0.0, 0.0, "odd in z");
    }
    LSIM_CHECK(lsim_coil_loop_mutual_gradient(1.0, 0.5, 0.0, NULL) == 0.0, "no axial force in the common plane");
    /* Far field: d/dz of the dipole term, −3 μ0 π a² b² / (2 z⁴), to 4(a² + b²)/z². */
    double z = 1e3, grad_far = lsim_coil_loop_mutual_gradient(1.0, 0.5, z, NULL);
    LSIM_CHECK_CLOSE(grad_far, -3.0 * LSIM_COIL_MU0 * pi * 0.25 / (2.0 * z * z * z * z), 4.0 * 1.25 / (z * z), 0.0,
                     "dipole gradient: leading correction −2.5(a² + b²)/z²");

    /* Coils: the filament sum of gradients against the difference of the sum. */
    coil_pair p = {{0.20, 0.02, 0.05, 10.0, 4, 4}, {0.15, 0.01, 0.02, 100.0, 2, 2}};
    const double zs[] = {-0.3, -0.1, -0.04, 0.0, 0.03, 0.2};
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; ++i) {
        double m, grad = lsim_coil_mutual_gradient(&p.a, &p.b, zs[i], &m);
        double fd = central_difference(coil_m, &p, zs[i], 1e-5);
        /* h = 1e-5 m against the closest filament spacing ~0.02 m: (h/ℓ)⁴ ~ 1e-13;
         * rounding eps·M/h ~ 1e-11 of M per metre, against gradients >= 1e-4 M/m. */
        LSIM_CHECK_CLOSE(grad, fd, 1e-8, 1e-9 * fabs(m), "coil pair: 4th-order difference, h = 1e-5 m");
        LSIM_CHECK_CLOSE(m, lsim_coil_mutual_inductance(&p.a, &p.b, zs[i]), 1e-15, 0.0, "same M, same sum order");
    }
}

static void test_coils(void)
{
    /* One filament each is the loop formula times the turns. */
    lsim_coil_geometry a = {0.2, 0.0, 0.0, 10.0, 1, 1}, b = {0.15, 0.0, 0.0, 30.0, 1, 1};
    LSIM_CHECK_CLOSE(lsim_coil_mutual_inductance(&a, &b, 0.07), 300.0 * lsim_coil_loop_mutual_inductance(0.2, 0.15, 0.07),
                     1e-15, 0.0, "thin coils: N1·N2·M, one rounding");
    LSIM_CHECK(lsim_coil_filament_pairs(&a, &b) == 1, "1 x 1 grids: one pair");
    /* The midpoint rule over the winding sections is second order: refining
     * the grid 4 → 8 → 16 per side cuts the error by ~4 each time. The ratio
     * of successive differences tends to 4; [3, 5] allows the higher orders. */
    lsim_coil_geometry d4 = {0.20, 0.04, 0.06, 20.0, 4, 4}, d8 = d4, d16 = d4;
    d8.n_radial = d8.n_axial = 8;
    d16.n_radial = d16.n_axial = 16;
    lsim_coil_geometry bb = {0.15, 0.02, 0.03, 50.0, 2, 2};
    double z = 0.06;
    double m4 = lsim_coil_mutual_inductance(&d4, &bb, z), m8 = lsim_coil_mutual_inductance(&d8, &bb, z),
           m16 = lsim_coil_mutual_inductance(&d16, &bb, z);
    double ratio = (m8 - m4) / (m16 - m8);
    LSIM_CHECK(ratio > 3.0 && ratio < 5.0, "filament grid converges at second order: ratio %g", ratio);
    LSIM_CHECK_CLOSE(m16, m8, 1e-3, 0.0, "8 x 8 within 1e-3 of 16 x 16 for this pair (their difference ~ (h/ℓ)²)");
    /* Self-inductance and coupling: 0 < M² < L1 L2 for any two distinct coils. */
    double l1 = lsim_coil_self_inductance(&d8), l2 = lsim_coil_self_inductance(&bb);
    LSIM_CHECK(l1 > 0.0 && l2 > 0.0 && m8 * m8 < l1 * l2, "coupling below 1: M %g, L1 %g, L2 %g", m8, l1, l2);
    /* A thin ring of square section s (one filament): μ0 r [ln(8r/(0.447 s)) − 2],
     * i.e. the GMD 0.2235·2s of the square; hand arithmetic, one rounding. */
    lsim_coil_geometry ring = {0.5, 0.01, 0.01, 1.0, 1, 1};
    LSIM_CHECK_CLOSE(lsim_coil_self_inductance(&ring), LSIM_COIL_MU0 * 0.5 * (log(8.0 * 0.5 / (0.2235 * 0.02)) - 2.0),
                     1e-15, 0.0, "one-filament self term: the GMD formula itself");
    /* The self-inductance converges with the grid too (GMD terms plus sums). */
    lsim_coil_geometry s8 = d4, s16 = d4;
    s8.n_radial = s8.n_axial = 8;
    s16.n_radial = s16.n_axial = 16;
    LSIM_CHECK_CLOSE(lsim_coil_self_inductance(&s8), lsim_coil_self_inductance(&s16), 1e-2, 0.0,
                     "self-inductance grid 8 vs 16: within the method's ~1%");
}

static void test_table(void)
{
    /* The bench pair tabulated over ±0.3 m. Lagrange cubics are 4th order: the
     * worst gradient error over 6000 off-node points falls ~16x per halving of
     * the spacing ([12, 20] for pre-asymptotic terms), and with 1 mm nodes
     * (a 35th of the 35 mm radial gap) it is below 1e-6 of the peak gradient
     * (measured 7e-8). Outside the range the direct sum is returned exactly. */
    lsim_coil_geometry d = {0.20, 0.02, 0.05, 10.0, 4, 4}, b = {0.15, 0.01, 0.02, 100.0, 2, 2};
    double err[2], gmax = 0.0;
    for (int k = 0; k < 2; ++k) {
        lsim_coil_table t;
        LSIM_CHECK(lsim_coil_table_init(&t, &d, &b, -0.3, 0.3, k == 0 ? 301 : 601) == LSIM_OK, "table built");
        err[k] = 0.0;
        for (int i = 0; i < 6000; ++i) {
            double z = -0.3 + 0.6 * (i + 0.37) / 6000.0, m, mt;
            double g = lsim_coil_mutual_gradient(&d, &b, z, &m);
            double gt = lsim_coil_table_gradient(&t, z, &mt);
            err[k] = fmax(err[k], fabs(g - gt));
            gmax = fmax(gmax, fabs(g));
            LSIM_CHECK_CLOSE(mt, m, 1e-5, 0.0, "tabulated M: 4th-order interpolation, measured < 2e-7");
        }
        double m_direct, m_table;
        double g_far = lsim_coil_mutual_gradient(&d, &b, 0.45, &m_direct);
        LSIM_CHECK(lsim_coil_table_gradient(&t, 0.45, &m_table) == g_far && m_table == m_direct,
                   "outside the table: the direct sum");
        lsim_coil_table_free(&t);
        lsim_coil_table_free(&t); /* safe twice */
    }
    LSIM_CHECK(err[1] <= 1e-6 * gmax, "1 mm nodes: gradient within 1e-6 of its peak (%g of %g)", err[1], gmax);
    LSIM_CHECK(err[0] / err[1] > 12.0 && err[0] / err[1] < 20.0, "4th-order interpolation: ratio %g", err[0] / err[1]);
    lsim_coil_table bad;
    LSIM_CHECK(lsim_coil_table_init(&bad, &d, &b, 0.3, -0.3, 100) == LSIM_ERR_INPUT, "empty range refused");
    LSIM_CHECK(lsim_coil_table_init(&bad, &d, &b, -0.3, 0.3, 3) == LSIM_ERR_INPUT, "3 nodes refused");
    lsim_coil_table_free(&bad);
}

static void test_resistance(void)
{
    const lsim_coil_conductor *al = lsim_coil_conductor_find("aluminium"), *cu = lsim_coil_conductor_find("copper");
    int count = 0;
    lsim_coil_conductors(&count);
    LSIM_CHECK(al && cu && count == 2 && !lsim_coil_conductor_find("gold"), "two conductors, found by name");
    /* IEC 60028/60889: 1/58 and 1/(0.61·58) µΩ m at 20 °C, α 0.00393 and 0.00403. */
    LSIM_CHECK_CLOSE(cu->resistivity, 1.0 / 58.0e6, 1e-4, 0.0, "100% IACS = 1/58 MS/m, table rounded to 5 digits");
    LSIM_CHECK_CLOSE(al->resistivity, 1.0 / (0.61 * 58.0e6), 1e-4, 0.0, "61% IACS, table rounded to 5 digits");
    lsim_coil_geometry c = {0.2, 0.02, 0.05, 10.0, 1, 1};
    /* By hand: ℓ = 10·2π·0.2 = 12.566 m, A = 0.7·0.02·0.05/10 = 7e-5 m², so
     * R = ρ ℓ/A; at 120 °C ρ is ρ20 (1 + 100α). */
    double len = 10.0 * 2.0 * pi * 0.2, area = 0.7 * 0.02 * 0.05 / 10.0;
    LSIM_CHECK_CLOSE(lsim_coil_wire_length(&c), len, 1e-15, 0.0, "hand arithmetic");
    LSIM_CHECK_CLOSE(lsim_coil_resistance(&c, al, 0.7, 293.15), al->resistivity * len / area, 1e-15, 0.0,
                     "R20 = ρ20 ℓ/A: a few roundings");
    LSIM_CHECK_CLOSE(lsim_coil_resistance(&c, cu, 0.7, 393.15), cu->resistivity * (1.0 + 100.0 * cu->alpha) * len / area,
                     1e-14, 0.0, "R(120 °C) = ρ20(1 + 100α)ℓ/A: a few roundings (393.15 − 293.15 rounds to 1e-14)");
    LSIM_CHECK_CLOSE(lsim_coil_conductor_mass(&c, al, 0.7), 2700.0 * len * area, 1e-15, 0.0, "mass = ρ_m ℓ A");
    LSIM_CHECK(lsim_coil_resistance(&c, al, 0.7, 293.15) > lsim_coil_resistance(&c, cu, 0.7, 293.15),
               "aluminium resists more than copper of the same section");
}

int main(void)
{
    test_elliptic();
    test_mutual_inductance();
    test_gradient();
    test_coils();
    test_table();
    test_resistance();
    LSIM_TEST_MAIN_END();
}
