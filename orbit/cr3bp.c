/* The Earth–Moon circular restricted three-body problem; see cr3bp.h. */
#include "cr3bp.h"

#include <math.h>
#include <string.h>

#define CR3BP_PI 3.14159265358979323846

lsim_cr3bp_system lsim_cr3bp_earth_moon(void)
{
    lsim_cr3bp_system s;
    s.mu = LSIM_CR3BP_EARTH_MOON_MU;
    s.length = LSIM_CR3BP_EARTH_MOON_DISTANCE;
    s.time = LSIM_CR3BP_SIDEREAL_MONTH / (2.0 * CR3BP_PI);
    s.moon_radius = LSIM_CR3BP_MOON_RADIUS / LSIM_CR3BP_EARTH_MOON_DISTANCE;
    return s;
}

void lsim_cr3bp_state_to_si(const lsim_cr3bp_system *sys, const double s[6], double si[6])
{
    const double v = sys->length / sys->time;
    for (int i = 0; i < 3; ++i) {
        si[i] = s[i] * sys->length;
        si[3 + i] = s[3 + i] * v;
    }
}

void lsim_cr3bp_state_from_si(const lsim_cr3bp_system *sys, const double si[6], double s[6])
{
    const double v = sys->length / sys->time;
    for (int i = 0; i < 3; ++i) {
        s[i] = si[i] / sys->length;
        s[3 + i] = si[3 + i] / v;
    }
}

void lsim_cr3bp_moon_position(double mu, double r[3])
{
    r[0] = 1.0 - mu;
    r[1] = 0.0;
    r[2] = 0.0;
}

void lsim_cr3bp_earth_position(double mu, double r[3])
{
    r[0] = -mu;
    r[1] = 0.0;
    r[2] = 0.0;
}

double lsim_cr3bp_potential(double mu, const double r[3])
{
    double dx1 = r[0] + mu, dx2 = r[0] - 1.0 + mu, yz = r[1] * r[1] + r[2] * r[2];
    double r1 = sqrt(dx1 * dx1 + yz), r2 = sqrt(dx2 * dx2 + yz);
    return 0.5 * (r[0] * r[0] + r[1] * r[1]) + (1.0 - mu) / r1 + mu / r2;
}

void lsim_cr3bp_potential_gradient(double mu, const double r[3], double g[3])
{
    double dx1 = r[0] + mu, dx2 = r[0] - 1.0 + mu, yz = r[1] * r[1] + r[2] * r[2];
    double r1s = dx1 * dx1 + yz, r2s = dx2 * dx2 + yz;
    double a = (1.0 - mu) / (r1s * sqrt(r1s)), b = mu / (r2s * sqrt(r2s));
    g[0] = r[0] - a * dx1 - b * dx2;
    g[1] = r[1] - (a + b) * r[1];
    g[2] = -(a + b) * r[2];
}

void lsim_cr3bp_potential_hessian(double mu, const double r[3], double h[9])
{
    /* d2/dri drj of m/|r - p| = m (3 di dj / d^5 - delta_ij / d^3). */
    const double m[2] = {1.0 - mu, mu};
    const double px[2] = {-mu, 1.0 - mu};
    for (int i = 0; i < 9; ++i) h[i] = 0.0;
    h[0] = 1.0;
    h[4] = 1.0;
    for (int b = 0; b < 2; ++b) {
        double d[3] = {r[0] - px[b], r[1], r[2]};
        double d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        double inv3 = 1.0 / (d2 * sqrt(d2)), inv5 = inv3 / d2;
        for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 3; ++j) h[3 * i + j] += m[b] * 3.0 * d[i] * d[j] * inv5;
            h[4 * i] -= m[b] * inv3;
        }
    }
}

double lsim_cr3bp_jacobi(double mu, const double s[6])
{
    return 2.0 * lsim_cr3bp_potential(mu, s) - (s[3] * s[3] + s[4] * s[4] + s[5] * s[5]);
}

/* Newton on a quintic sum_k c[k] g^k (c[5] = 1) from g. */
static double quintic_root(const double c[6], double g)
{
    for (int it = 0; it < 100; ++it) {
        double p = c[5], dp = 0.0;
        for (int k = 4; k >= 0; --k) {
            dp = dp * g + p;
            p = p * g + c[k];
        }
        double step = p / dp;
        g -= step;
        if (fabs(step) <= 1e-16 * fabs(g)) break;
    }
    return g;
}

void lsim_cr3bp_lagrange_points(double mu, double L[5][3])
{
    const double h = cbrt(mu / 3.0); /* Hill radius: first guess for L1 and L2 */
    const double c1[6] = {-mu, 2.0 * mu, -mu, 3.0 - 2.0 * mu, -(3.0 - mu), 1.0};
    const double c2[6] = {-mu, -2.0 * mu, -mu, 3.0 - 2.0 * mu, 3.0 - mu, 1.0};
    const double c3[6] = {-(1.0 - mu), -2.0 * (1.0 - mu), -(1.0 - mu), 1.0 + 2.0 * mu, 2.0 + mu, 1.0};
    memset(L, 0, 5 * sizeof L[0]);
    L[0][0] = 1.0 - mu - quintic_root(c1, h);
    L[1][0] = 1.0 - mu + quintic_root(c2, h);
    L[2][0] = -mu - quintic_root(c3, 1.0 - 7.0 * mu / 12.0);
    L[3][0] = 0.5 - mu;
    L[3][1] = 0.5 * sqrt(3.0);
    L[4][0] = 0.5 - mu;
    L[4][1] = -0.5 * sqrt(3.0);
}

void lsim_cr3bp_rhs(double t, const double *y, double *dydt, void *ctx)
{
    (void)t;
    const double mu = ((const lsim_cr3bp_system *)ctx)->mu;
    double g[3];
    lsim_cr3bp_potential_gradient(mu, y, g);
    dydt[0] = y[3];
    dydt[1] = y[4];
    dydt[2] = y[5];
    dydt[3] = 2.0 * y[4] + g[0];
    dydt[4] = -2.0 * y[3] + g[1];
    dydt[5] = g[2];
}

void lsim_cr3bp_rhs_stm(double t, const double *y, double *dydt, void *ctx)
{
    lsim_cr3bp_rhs(t, y, dydt, ctx);
    const double mu = ((const lsim_cr3bp_system *)ctx)->mu;
    double H[9];
    lsim_cr3bp_potential_hessian(mu, y, H);
    const double *P = y + 6;
    double *dP = dydt + 6;
    /* Rows 0..2: Phi'_ij = Phi_(i+3)j. Rows 3..5: Hess * Phi_top + K * Phi_bottom. */
    for (int j = 0; j < 6; ++j) {
        double p0 = P[j], p1 = P[6 + j], p2 = P[12 + j];
        double v0 = P[18 + j], v1 = P[24 + j], v2 = P[30 + j];
        dP[j] = v0;
        dP[6 + j] = v1;
        dP[12 + j] = v2;
        dP[18 + j] = H[0] * p0 + H[1] * p1 + H[2] * p2 + 2.0 * v1;
        dP[24 + j] = H[3] * p0 + H[4] * p1 + H[5] * p2 - 2.0 * v0;
        dP[30 + j] = H[6] * p0 + H[7] * p1 + H[8] * p2;
    }
}

double lsim_cr3bp_event_distance(double t, const double *y, void *ctx)
{
    (void)t;
    const lsim_cr3bp_target *p = ctx;
    double dx = y[0] - p->p[0], dy = y[1] - p->p[1], dz = y[2] - p->p[2];
    return sqrt(dx * dx + dy * dy + dz * dz) - p->radius;
}

double lsim_cr3bp_event_approach(double t, const double *y, void *ctx)
{
    (void)t;
    const lsim_cr3bp_target *p = ctx;
    return (y[0] - p->p[0]) * y[3] + (y[1] - p->p[1]) * y[4] + (y[2] - p->p[2]) * y[5];
}

double lsim_cr3bp_event_plane_y(double t, const double *y, void *ctx)
{
    (void)t;
    (void)ctx;
    return y[1];
}

static void set_identity_stm(double *y)
{
    for (int i = 0; i < 36; ++i) y[6 + i] = (i % 7 == 0) ? 1.0 : 0.0;
}

lsim_status lsim_cr3bp_propagate(const lsim_cr3bp_system *sys, lsim_dop853 *w, const double s0[6], double t0, double t1,
                                 int with_stm, double rtol, double atol, const lsim_cr3bp_events *ev,
                                 lsim_cr3bp_path *path)
{
    lsim_dop853_options o = {0};
    o.n = with_stm ? 42 : 6;
    o.f = with_stm ? lsim_cr3bp_rhs_stm : lsim_cr3bp_rhs;
    o.ctx = (void *)sys;
    o.rtol = rtol;
    o.atol = atol;
    double y0[LSIM_DOP853_MAX_DIM];
    memcpy(y0, s0, 6 * sizeof(double));
    if (with_stm) set_identity_stm(y0);

    lsim_cr3bp_target moon = {{1.0 - sys->mu, 0.0, 0.0}, sys->moon_radius};
    lsim_cr3bp_target bary = {{0.0, 0.0, 0.0}, 0.0};
    lsim_cr3bp_target aim = {{0.0, 0.0, 0.0}, 0.0};
    lsim_dop853_event events[3];
    lsim_cr3bp_end kinds[3];
    int n_events = 0, i_approach = -1;
    if (ev && ev->impact) {
        events[n_events] = (lsim_dop853_event){lsim_cr3bp_event_distance, &moon, -1, 1};
        kinds[n_events++] = LSIM_CR3BP_END_IMPACT;
    }
    if (ev && ev->escape) {
        bary.radius = ev->escape_radius;
        events[n_events] = (lsim_dop853_event){lsim_cr3bp_event_distance, &bary, +1, 1};
        kinds[n_events++] = LSIM_CR3BP_END_ESCAPE;
    }
    if (ev && ev->approach) {
        memcpy(aim.p, ev->target, sizeof aim.p);
        i_approach = n_events;
        events[n_events] = (lsim_dop853_event){lsim_cr3bp_event_approach, &aim, +1, ev->approach_terminal != 0};
        kinds[n_events++] = LSIM_CR3BP_END_APPROACH;
    }
    lsim_dop853_result r;
    lsim_status st = lsim_dop853_integrate(w, &o, t0, y0, t1, events, n_events, NULL, NULL, &r);
    memset(path, 0, sizeof *path);
    path->end = r.stop_event >= 0 ? kinds[r.stop_event] : LSIM_CR3BP_END_TIME;
    path->t = r.t;
    memcpy(path->s, r.y, 6 * sizeof(double));
    if (with_stm) memcpy(path->stm, r.y + 6, 36 * sizeof(double));
    if (i_approach >= 0 && r.hits[i_approach].count > 0) {
        path->approached = 1;
        path->t_approach = r.hits[i_approach].t;
        memcpy(path->s_approach, r.hits[i_approach].y, 6 * sizeof(double));
        if (with_stm) memcpy(path->stm_approach, r.hits[i_approach].y + 6, 36 * sizeof(double));
    }
    path->steps = r.steps;
    path->evaluations = r.evaluations;
    return st;
}

lsim_status lsim_cr3bp_lyapunov(const lsim_cr3bp_system *sys, lsim_dop853 *w, int which, double x0, double s0[6],
                                double *period)
{
    LSIM_ASSERT(which == 1 || which == 2, "lyapunov: L%d is not L1 or L2", which);
    const double mu = sys->mu;
    double L[5][3];
    lsim_cr3bp_lagrange_points(mu, L);
    /* Linear solution about L: x = xL + A cos(nu t), y = -k A sin(nu t), with
     * nu^4 - (4 - Oxx - Oyy) nu^2 + Oxx Oyy = 0 and k = (nu^2 + Oxx) / (2 nu). */
    double H[9];
    lsim_cr3bp_potential_hessian(mu, L[which - 1], H);
    double b = 4.0 - H[0] - H[4];
    double nu2 = 0.5 * (b + sqrt(b * b - 4.0 * H[0] * H[4]));
    double nu = sqrt(nu2), k = (nu2 + H[0]) / (2.0 * nu);
    double A = x0 - L[which - 1][0];
    double vy = -k * nu * A;

    lsim_dop853_options o = {0};
    o.n = 42;
    o.f = lsim_cr3bp_rhs_stm;
    o.ctx = (void *)sys;
    o.rtol = 1e-13;
    o.atol = 1e-13;
    lsim_dop853_event cross = {lsim_cr3bp_event_plane_y, NULL, 0, 1};
    for (int it = 0; it < 30; ++it) {
        double y0[LSIM_DOP853_MAX_DIM] = {x0, 0.0, 0.0, 0.0, vy, 0.0};
        set_identity_stm(y0);
        lsim_dop853_result r;
        /* The half period is near pi / nu; look up to twice that. */
        lsim_status st = lsim_dop853_integrate(w, &o, 0.0, y0, 2.0 * CR3BP_PI / nu, &cross, 1, NULL, NULL, &r);
        if (st != LSIM_OK) return st;
        if (r.stop_event != 0) return lsim_fail(LSIM_ERR_RUN, "lyapunov: no return to y = 0 from x0 = %g", x0);
        double f[6];
        lsim_cr3bp_rhs(r.t, r.y, f, (void *)sys);
        double vx = r.y[3];
        if (fabs(vx) <= 1e-12) {
            double s[6] = {x0, 0.0, 0.0, 0.0, vy, 0.0};
            memcpy(s0, s, sizeof s);
            *period = 2.0 * r.t;
            return LSIM_OK;
        }
        /* Hold y = 0 at the end: dvx = (Phi_34 - xdd Phi_14 / ydot) dvy0. */
        const double *P = r.y + 6;
        double slope = P[3 * 6 + 4] - f[3] * P[1 * 6 + 4] / r.y[4];
        vy -= vx / slope;
    }
    return lsim_fail(LSIM_ERR_RUN, "lyapunov: the corrector did not converge from x0 = %g", x0);
}
