/* The Earth–Moon three-body model and its DOP853 integrator: the method's
 * order conditions, the Lagrange points, conservation of the Jacobi constant
 * and its convergence with tolerance, reversibility, the state-transition
 * matrix against finite differences, a planar Lyapunov orbit about L2 that
 * closes, and events against analytic Kepler times. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cr3bp.h"
#include "dop853.h"
#include "lsim_test.h"

static lsim_dop853 work; /* one workspace, reused by every propagation */

/* Row sums of A equal c, and the weights integrate t^(k-1) exactly for
 * k = 1..8 (the quadrature order conditions of an 8th-order method). */
static void test_order_conditions(void)
{
    const double *c = lsim_dop853_c(), *a = lsim_dop853_a();
    for (int s = 1; s < 16; ++s) {
        double sum = 0.0;
        for (int j = 0; j < s; ++j) sum += a[16 * s + j];
        /* Coefficients are 17-digit roundings of values up to ~400 (row 15's
         * are about 10): the sum carries a few 1e-15 of rounding. */
        LSIM_CHECK_CLOSE(sum, c[s], 0.0, 1e-14, "row sum of A = c, rounding of the 17-digit coefficients");
    }
    for (int k = 1; k <= 8; ++k) {
        double q = 0.0;
        for (int j = 0; j < 12; ++j) q += a[16 * 12 + j] * pow(c[j], k - 1);
        LSIM_CHECK_CLOSE(q, 1.0 / k, 0.0, 1e-14, "sum b c^(k-1) = 1/k, rounding of 17-digit coefficients");
    }
}

static void test_lagrange_points(void)
{
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    double L[5][3];
    lsim_cr3bp_lagrange_points(sys.mu, L);
    for (int i = 0; i < 5; ++i) {
        double g[3];
        lsim_cr3bp_potential_gradient(sys.mu, L[i], g);
        double gn = sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        /* The gradient sums terms of order 1 (x, and (1-mu)/r1^2): double
         * rounding leaves a few 1e-16; 1e-13 allows a Newton iterate short
         * of the root by no more than that. */
        LSIM_CHECK(gn <= 1e-13, "L%d: |grad Omega| = %.3g > 1e-13 (equilibrium to rounding)", i + 1, gn);
    }
    LSIM_CHECK(L[2][0] < -sys.mu && -sys.mu < L[0][0] && L[0][0] < 1.0 - sys.mu && 1.0 - sys.mu < L[1][0],
               "collinear order L3 < Earth < L1 < Moon < L2");
    const double earth[3] = {-sys.mu, 0, 0}, moon[3] = {1.0 - sys.mu, 0, 0};
    for (int i = 3; i < 5; ++i) {
        double d1 = hypot(L[i][0] - earth[0], L[i][1]), d2 = hypot(L[i][0] - moon[0], L[i][1]);
        LSIM_CHECK_CLOSE(d1, 1.0, 0.0, 4e-16, "L4/L5 one unit from the Earth (double rounding)");
        LSIM_CHECK_CLOSE(d2, 1.0, 0.0, 4e-16, "L4/L5 one unit from the Moon (double rounding)");
    }
    /* Independent checks of the quintics: the series in h = (mu/3)^(1/3) of
     * the Hill problem, gamma_1,2 = h (1 -+ h/3 - h^2/9), omits terms of
     * order h^4 (6.5e-4); L3's gamma = 1 - 7 mu/12 omits terms of order mu^2
     * at most (1.5e-4). A wrong coefficient in a quintic moves the root by
     * far more. */
    const double h = cbrt(sys.mu / 3.0);
    LSIM_CHECK_CLOSE(moon[0] - L[0][0], h * (1.0 - h / 3.0 - h * h / 9.0), 0.0, pow(h, 4), "L1: Hill series to O(h^4)");
    LSIM_CHECK_CLOSE(L[1][0] - moon[0], h * (1.0 + h / 3.0 - h * h / 9.0), 0.0, pow(h, 4), "L2: Hill series to O(h^4)");
    LSIM_CHECK_CLOSE(earth[0] - L[2][0], 1.0 - 7.0 * sys.mu / 12.0, 0.0, sys.mu * sys.mu, "L3: series to O(mu^2)");
    printf("L1 %.9f, L2 %.9f (%.0f km beyond the Moon), L3 %.9f\n", L[0][0], L[1][0],
           (L[1][0] - moon[0]) * sys.length / 1e3, L[2][0]);
}

/* A near-circular lunar orbit (radius 5,000 km, prograde in the inertial frame). */
static void lunar_orbit_state(const lsim_cr3bp_system *sys, double s[6])
{
    const double r = 5.0e6 / sys->length;
    const double v = sqrt(sys->mu / r);
    /* Speed v along +y relative to the Moon in the inertial frame; the rotating
     * frame removes omega x (r - r_Moon), that is r along +y. */
    s[0] = 1.0 - sys->mu + r;
    s[1] = 0.0;
    s[2] = 0.0;
    s[3] = 0.0;
    s[4] = v - r;
    s[5] = 0.0;
}

static double jacobi_drift(const lsim_cr3bp_system *sys, double tol, double span, long *steps)
{
    double s0[6];
    lunar_orbit_state(sys, s0);
    s0[5] = 0.05; /* out of plane, so all three dimensions move */
    lsim_cr3bp_path p;
    LSIM_CHECK(lsim_cr3bp_propagate(sys, &work, s0, 0.0, span, 0, tol, tol, NULL, &p) == LSIM_OK, "%s",
               lsim_last_error());
    *steps = p.steps;
    return fabs(lsim_cr3bp_jacobi(sys->mu, p.s) - lsim_cr3bp_jacobi(sys->mu, s0));
}

static void test_jacobi(void)
{
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    const double span = 20.0 * 2.0 * 3.14159265358979323846; /* 20 sidereal months, ~1,500 lunar orbits */
    double s0[6];
    lunar_orbit_state(&sys, s0);
    const double c0 = lsim_cr3bp_jacobi(sys.mu, s0);
    long steps;
    double d12 = jacobi_drift(&sys, 1e-12, span, &steps);
    printf("Jacobi drift over 20 sidereal months of a 5,000 km lunar orbit at rtol = atol = 1e-12: %.3g (%ld steps)\n",
           d12, steps);
    /* Each accepted step keeps its local error within about tol relative per
     * component, which moves C by at most about tol |C|; summed over the
     * steps without any cancellation this bounds the drift. */
    LSIM_CHECK(d12 <= (double)steps * 1e-12 * fabs(c0), "Jacobi drift %.3g above steps * rtol * |C| = %.3g", d12,
               (double)steps * 1e-12 * fabs(c0));
    /* Convergence: the drift against the number of steps falls as N^-p with
     * p the method's order, 8; the fit over four tolerances (1e-6..1e-9,
     * well above rounding) is allowed 6..10 for the scatter of adaptive steps. */
    const double tols[4] = {1e-6, 1e-7, 1e-8, 1e-9};
    double lx[4], ly[4];
    for (int i = 0; i < 4; ++i) {
        long n;
        double d = jacobi_drift(&sys, tols[i], span, &n);
        printf("  rtol = atol = %.0e: drift %.3g, %ld steps\n", tols[i], d, n);
        lx[i] = log((double)n);
        ly[i] = log(d);
        if (i > 0) LSIM_CHECK(ly[i] < ly[i - 1], "drift falls as the tolerance is tightened (%.0e)", tols[i]);
    }
    double mx = 0.0, my = 0.0, sxx = 0.0, sxy = 0.0;
    for (int i = 0; i < 4; ++i) {
        mx += lx[i] / 4.0;
        my += ly[i] / 4.0;
    }
    for (int i = 0; i < 4; ++i) {
        sxx += (lx[i] - mx) * (lx[i] - mx);
        sxy += (lx[i] - mx) * (ly[i] - my);
    }
    double order = -sxy / sxx;
    printf("  observed order (d log drift / d log 1/steps) = %.2f\n", order);
    LSIM_CHECK(order >= 6.0 && order <= 10.0, "observed order %.2f outside 8 +- 2", order);
}

static double max_abs_diff(const double *a, const double *b, int n)
{
    double m = 0.0;
    for (int i = 0; i < n; ++i) m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

static double max_abs(const double *a, int n)
{
    double m = 0.0;
    for (int i = 0; i < n; ++i) m = fmax(m, fabs(a[i]));
    return m;
}

/* A state 20,000 km from the Moon moving about 1 km/s, out of the plane. */
static void near_moon_state(const lsim_cr3bp_system *sys, double s[6])
{
    const double s0[6] = {1.0 - sys->mu + 0.04, 0.03, 0.01, 0.1, 0.35, -0.2};
    memcpy(s, s0, sizeof s0);
}

static void test_reversibility(void)
{
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    double s0[6];
    near_moon_state(&sys, s0);
    const double T = 2.0; /* about 8.7 days */
    lsim_cr3bp_path fwd, back;
    LSIM_CHECK(lsim_cr3bp_propagate(&sys, &work, s0, 0.0, T, 1, 1e-12, 1e-12, NULL, &fwd) == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_cr3bp_propagate(&sys, &work, fwd.s, T, 0.0, 0, 1e-12, 1e-12, NULL, &back) == LSIM_OK, "%s",
               lsim_last_error());
    double err = max_abs_diff(back.s, s0, 6), amp = max_abs(fwd.stm, 36);
    printf("forward-back over %.1f: max |s - s0| = %.3g, max |Phi| = %.3g, %ld + %ld steps\n", T, err, amp, fwd.steps,
           back.steps);
    /* The forward errors (each step about tol) come back amplified by at
     * most |Phi|, and the backward ones add as many again: the bound is
     * (forward + backward steps) * tol * max|Phi|. */
    double bound = (double)(fwd.steps + back.steps) * 1e-12 * amp;
    LSIM_CHECK(err <= bound, "forward-back error %.3g above steps * tol * |Phi| = %.3g", err, bound);
    LSIM_CHECK(back.t == 0.0, "backward integration lands on t0 exactly");
}

static void test_stm(void)
{
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    double s0[6];
    near_moon_state(&sys, s0);
    const double T = 1.5, tol = 1e-13, eps = 1e-7;
    lsim_cr3bp_path p;
    LSIM_CHECK(lsim_cr3bp_propagate(&sys, &work, s0, 0.0, T, 1, tol, tol, NULL, &p) == LSIM_OK, "%s",
               lsim_last_error());
    double worst = 0.0, amp = max_abs(p.stm, 36);
    for (int j = 0; j < 6; ++j) {
        double sp[6], sm[6];
        memcpy(sp, s0, sizeof sp);
        memcpy(sm, s0, sizeof sm);
        sp[j] += eps;
        sm[j] -= eps;
        lsim_cr3bp_path a, b;
        LSIM_CHECK(lsim_cr3bp_propagate(&sys, &work, sp, 0.0, T, 0, tol, tol, NULL, &a) == LSIM_OK, "fd +");
        LSIM_CHECK(lsim_cr3bp_propagate(&sys, &work, sm, 0.0, T, 0, tol, tol, NULL, &b) == LSIM_OK, "fd -");
        for (int i = 0; i < 6; ++i) worst = fmax(worst, fabs((a.s[i] - b.s[i]) / (2.0 * eps) - p.stm[6 * i + j]));
    }
    printf("STM against central differences (eps %.0e) over %.1f: max error %.3g of max |Phi| %.3g\n", eps, T, worst,
           amp);
    /* Central differences err by eps^2 times the flow's third derivative
     * (4e-2 at eps = 1e-5 here, so about 4e-6 at 1e-7) plus the integration
     * errors of the two neighbours divided by 2 eps, at worst about
     * tol |Phi| / eps = 1e-6 |Phi|, which is the bound. */
    LSIM_CHECK(worst <= 1e-6 * amp, "STM error %.3g above 1e-6 max|Phi| = %.3g", worst, 1e-6 * amp);
}

static void test_lyapunov(void)
{
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    double L[5][3];
    lsim_cr3bp_lagrange_points(sys.mu, L);
    double s0[6], T;
    const double x0 = L[1][0] - 0.01; /* 3,844 km Moonward of L2 */
    LSIM_CHECK(lsim_cr3bp_lyapunov(&sys, &work, 2, x0, s0, &T) == LSIM_OK, "%s", lsim_last_error());
    lsim_cr3bp_path p;
    LSIM_CHECK(lsim_cr3bp_propagate(&sys, &work, s0, 0.0, T, 1, 1e-13, 1e-13, NULL, &p) == LSIM_OK, "%s",
               lsim_last_error());
    double err = max_abs_diff(p.s, s0, 6), amp = max_abs(p.stm, 36);
    printf("L2 Lyapunov orbit x0 = %.6f vy0 = %.9f: period %.6f (%.3f d), closes to %.3g, max |monodromy| %.3g\n", x0,
           s0[4], T, T * sys.time / 86400.0, err, amp);
    /* The corrector leaves |vx| <= 1e-12 at the half period; over the
     * second half that and the integration errors (~steps * 1e-13) grow by
     * up to the monodromy matrix's size, so the bound is 1e-12 |M| plus
     * steps * 1e-13 |M|. */
    double bound = (1e-12 + (double)p.steps * 1e-13) * amp;
    LSIM_CHECK(err <= bound, "Lyapunov orbit misses closure by %.3g > %.3g", err, bound);
    LSIM_CHECK(T > 3.0 && T < 3.6, "period %.4f near the linear 2 pi / nu = 3.4 of a small orbit", T);
    LSIM_CHECK(fabs(s0[1]) == 0.0 && fabs(s0[3]) == 0.0, "the orbit starts perpendicular on the x axis");
}

/* With mu = 1 the Moon holds all the mass at the origin and the Earth none:
 * the motion is a Kepler problem (GM = 1) seen from a rotating frame, which
 * has closed-form times. A state at rest in the inertial frame moves at
 * -omega x r in the rotating frame. */
static void test_events_kepler(void)
{
    lsim_cr3bp_system kep = {1.0, 1.0, 1.0, 0.05};
    lsim_cr3bp_events ev = {0};
    lsim_cr3bp_path p;

    /* Radial fall from rest at r0 to the surface R: t = sqrt(r0^3 / 2) (sqrt(x (1-x)) + acos(sqrt x)), x = R / r0. */
    const double r0 = 0.5, R = kep.moon_radius, x = R / r0;
    const double t_fall = sqrt(r0 * r0 * r0 / 2.0) * (sqrt(x * (1.0 - x)) + acos(sqrt(x)));
    double s_fall[6] = {r0, 0.0, 0.0, 0.0, -r0, 0.0};
    ev.impact = 1;
    LSIM_CHECK(lsim_cr3bp_propagate(&kep, &work, s_fall, 0.0, 10.0, 0, 1e-12, 1e-12, &ev, &p) == LSIM_OK, "fall");
    LSIM_CHECK(p.end == LSIM_CR3BP_END_IMPACT, "the fall ends on the surface");
    /* The dense output is of order 7 with local error near tol; the event
     * time then errs by about tol / |dr/dt| relative: 1e-10 allows 100x. */
    LSIM_CHECK_CLOSE(p.t, t_fall, 1e-10, 0.0, "impact time, dense-output error about tol");
    LSIM_CHECK_CLOSE(hypot(p.s[0], p.s[1]), R, 1e-12, 0.0, "impact state on the sphere, root found to rounding");
    printf("impact: t = %.15f, analytic %.15f\n", p.t, t_fall);

    /* Apoapsis r_a to periapsis r_p takes half a period, pi a^(3/2). */
    const double ra = 0.5, rp = 0.1, a = 0.5 * (ra + rp);
    const double va = sqrt(2.0 / ra - 1.0 / a);
    double s_ell[6] = {ra, 0.0, 0.0, 0.0, va - ra, 0.0};
    memset(&ev, 0, sizeof ev);
    ev.approach = 1;
    ev.approach_terminal = 1;
    LSIM_CHECK(lsim_cr3bp_propagate(&kep, &work, s_ell, 0.0, 10.0, 0, 1e-12, 1e-12, &ev, &p) == LSIM_OK, "ellipse");
    LSIM_CHECK(p.end == LSIM_CR3BP_END_APPROACH && p.approached, "the ellipse stops at its periapsis");
    LSIM_CHECK_CLOSE(p.t_approach, 3.14159265358979323846 * pow(a, 1.5), 1e-10, 0.0,
                     "periapsis time, dense-output error about tol");
    LSIM_CHECK_CLOSE(hypot(p.s[0], p.s[1]), rp, 1e-10, 0.0, "periapsis distance, second order in the time error");
    printf("closest approach: t = %.15f, analytic %.15f\n", p.t_approach, 3.14159265358979323846 * pow(a, 1.5));

    /* Parabolic escape from r0: r^(3/2) = r0^(3/2) + (3/2) sqrt(2) t. */
    const double re = 0.2, Rb = 2.0;
    const double t_esc = (pow(Rb, 1.5) - pow(re, 1.5)) / (1.5 * sqrt(2.0));
    double s_esc[6] = {re, 0.0, 0.0, sqrt(2.0 / re), -re, 0.0};
    memset(&ev, 0, sizeof ev);
    ev.escape = 1;
    ev.escape_radius = Rb;
    ev.impact = 1;
    LSIM_CHECK(lsim_cr3bp_propagate(&kep, &work, s_esc, 0.0, 100.0, 0, 1e-12, 1e-12, &ev, &p) == LSIM_OK, "escape");
    LSIM_CHECK(p.end == LSIM_CR3BP_END_ESCAPE, "the parabola ends by escape");
    LSIM_CHECK_CLOSE(p.t, t_esc, 1e-10, 0.0, "escape time, dense-output error about tol");
    printf("escape: t = %.15f, analytic %.15f\n", p.t, t_esc);
}

/* The continuous extension: on a circular Kepler orbit (mu = 1, radius a,
 * inertial rate n = a^(-3/2), so the rotating frame sees it turn at n - 1)
 * the dense output at three points inside every step matches the exact
 * state. */
typedef struct {
    double a, worst;
    int samples;
} dense_probe;

static int probe_step(lsim_dop853 *w, void *ctx)
{
    dense_probe *d = ctx;
    const double n = pow(d->a, -1.5) - 1.0;
    for (int q = 1; q <= 3; ++q) {
        double t = w->t_old + 0.25 * q * (w->t - w->t_old), y[6];
        lsim_dop853_dense(w, t, y);
        double c = cos(n * t), s = sin(n * t);
        double exact[6] = {d->a * c, d->a * s, 0.0, -d->a * n * s, d->a * n * c, 0.0};
        d->worst = fmax(d->worst, max_abs_diff(y, exact, 6));
        ++d->samples;
    }
    return 0;
}

static void test_dense_output(void)
{
    lsim_cr3bp_system kep = {1.0, 1.0, 1.0, 0.05};
    dense_probe d = {0.5, 0.0, 0};
    const double n = pow(d.a, -1.5) - 1.0;
    double y0[6] = {d.a, 0.0, 0.0, 0.0, d.a * n, 0.0};
    lsim_dop853_options o = {0};
    o.n = 6;
    o.f = lsim_cr3bp_rhs;
    o.ctx = &kep;
    o.rtol = 1e-10;
    o.atol = 1e-10;
    lsim_dop853_result r;
    LSIM_CHECK(lsim_dop853_integrate(&work, &o, 0.0, y0, 20.0, NULL, 0, probe_step, &d, &r) == LSIM_OK, "%s",
               lsim_last_error());
    double end_err = max_abs_diff(r.y, (double[6]){d.a * cos(n * 20.0), d.a * sin(n * 20.0), 0.0,
                                                   -d.a * n * sin(n * 20.0), d.a * n * cos(n * 20.0), 0.0}, 6);
    printf("dense output on a circular orbit: worst error %.3g over %d samples (step-end error %.3g, %ld steps)\n",
           d.worst, d.samples, end_err, r.steps);
    /* The extension is of order 7, one below the solution: inside a step it
     * adds at most about the local tolerance to the global error already
     * carried; 2 (end error + 1e-10 * |y|) allows for that. */
    LSIM_CHECK(d.worst <= 2.0 * (end_err + 1e-10 * 1.0), "dense output error %.3g above the step-end error plus tol",
               d.worst);
    LSIM_CHECK(d.samples == 3 * r.steps, "three probes in every accepted step");
}

/* A user's step budget that is too small fails with a status and a message. */
static void test_step_budget(void)
{
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    double s0[6];
    near_moon_state(&sys, s0);
    lsim_dop853_options o = {0};
    o.n = 6;
    o.f = lsim_cr3bp_rhs;
    o.ctx = (void *)&sys;
    o.rtol = 1e-12;
    o.atol = 1e-12;
    o.max_steps = 10;
    lsim_dop853_result r;
    lsim_clear_error();
    LSIM_CHECK(lsim_dop853_integrate(&work, &o, 0.0, s0, 5.0, NULL, 0, NULL, NULL, &r) == LSIM_ERR_RUN,
               "10 steps cannot cover 5 time units at 1e-12");
    LSIM_CHECK(strstr(lsim_last_error(), "more than 10 steps") != NULL, "message names the budget: %s",
               lsim_last_error());
    LSIM_CHECK(r.t > 0.0 && r.t < 5.0, "the result holds the last accepted state");
}

/* In the full Earth–Moon problem: a payload let go 10,000 km above the far
 * side, at rest in the rotating frame, falls to the surface. The impact
 * event's time matches a bisection on fixed-time propagations (each at
 * 1e-13) of distance - radius. */
static void test_impact_bisection(void)
{
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    const double s0[6] = {1.0 - sys.mu + sys.moon_radius + 1.0e7 / sys.length, 0.0, 0.0, 0.0, 0.0, 0.0};
    lsim_cr3bp_events ev = {0};
    ev.impact = 1;
    lsim_cr3bp_path p;
    LSIM_CHECK(lsim_cr3bp_propagate(&sys, &work, s0, 0.0, 5.0, 0, 1e-12, 1e-12, &ev, &p) == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(p.end == LSIM_CR3BP_END_IMPACT, "the payload lands");
    lsim_cr3bp_target moon = {{1.0 - sys.mu, 0.0, 0.0}, sys.moon_radius};
    /* Bracket: the start (above the surface) and just past the event (below
     * it, before the radial fall reaches the Moon's centre). */
    double lo = 0.0, hi = 1.001 * p.t;
    int ok = 1;
    for (int it = 0; it < 60; ++it) {
        double mid = it == 0 ? hi : 0.5 * (lo + hi);
        lsim_cr3bp_path q;
        ok &= lsim_cr3bp_propagate(&sys, &work, s0, 0.0, mid, 0, 1e-13, 1e-13, NULL, &q) == LSIM_OK;
        double g = lsim_cr3bp_event_distance(mid, q.s, &moon);
        if (it == 0) LSIM_CHECK(g < 0.0, "1.001 times the event time is below the surface");
        else if (g > 0.0) lo = mid;
        else hi = mid;
    }
    LSIM_CHECK(ok, "bisection propagations: %s", lsim_last_error());
    printf("impact from 10,000 km: event %.15f, bisection %.15f (%.2f h)\n", p.t, 0.5 * (lo + hi),
           p.t * sys.time / 3600.0);
    /* Both carry the integration error of about tol relative; 1e-10 is 100x that. */
    LSIM_CHECK_CLOSE(p.t, 0.5 * (lo + hi), 1e-10, 0.0, "impact event against bisection, 100x the tolerance");
}

int main(void)
{
    test_order_conditions();
    test_lagrange_points();
    test_jacobi();
    test_reversibility();
    test_stm();
    test_lyapunov();
    test_events_kepler();
    test_dense_output();
    test_impact_bisection();
    test_step_budget();
    LSIM_TEST_MAIN_END();
}
