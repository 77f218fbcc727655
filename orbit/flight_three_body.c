/* The three_body flight model (flight_three_body.h): targeting by
 * differential correction with the STM at init, a Monte Carlo of release
 * errors through the nonlinear dynamics, and the arrival schedule. */
#include "flight_three_body.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "orbit.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

#define TB_PI 3.14159265358979323846
#define TB_DEG (180.0 / TB_PI)
/* Tolerances (rtol = atol, non-dimensional): targeting and the nominal at
 * 1e-12 (position error ~1e-10 of 384,400 km, a few cm, under the 1 mm the
 * corrector asks for); the coarse search at 1e-9; the Monte Carlo at 1e-11,
 * whose error is common to neighbouring samples and a few tenths of a metre. */
#define TB_TOL_TARGET 1e-12
#define TB_TOL_SEARCH 1e-9
#define TB_TOL_SAMPLE 1e-11
#define TB_MISS_GOAL 1e-3    /* m: the corrector's stop */
#define TB_MAX_ITER 20
#define TB_SEARCH_AZ 48
#define TB_SEARCH_EL 11
#define TB_BLOCK 16          /* Monte Carlo samples per block */
#define TB_CHUNK_BLOCKS 256
#define TB_MAX_BINS 10000000u

static double dot3(const double a[3], const double b[3]) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
static double norm3(const double a[3]) { return sqrt(dot3(a, a)); }

lsim_status lsim_orbit_three_body_geometry_init(const lsim_orbit_config *cfg, lsim_orbit_three_body_geometry *g)
{
    memset(g, 0, sizeof *g);
    g->sys = lsim_cr3bp_earth_moon();
    const double lat = cfg->launch_latitude, lon = cfg->launch_longitude;
    if (!(fabs(lat) <= 0.5 * TB_PI) || !isfinite(lon))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.launch_latitude: must be within -90..90 deg (got %g deg)", lat * TB_DEG);
    if (!(cfg->track_azimuth_min <= cfg->track_azimuth_max))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.track_azimuth_min: %g deg is above orbit.track_azimuth_max %g deg",
                         cfg->track_azimuth_min * TB_DEG, cfg->track_azimuth_max * TB_DEG);
    if (!(cfg->track_elevation_min <= cfg->track_elevation_max))
        return lsim_fail(LSIM_ERR_INPUT,
                         "orbit.track_elevation_min: %g deg is above orbit.track_elevation_max %g deg",
                         cfg->track_elevation_min * TB_DEG, cfg->track_elevation_max * TB_DEG);
    const double cl = cos(lat), sl = sin(lat), co = cos(lon), so = sin(lon);
    const double up[3] = {-cl * co, -cl * so, sl};
    const double east[3] = {so, -co, 0.0};
    const double north[3] = {sl * co, sl * so, cl};
    double moon[3];
    lsim_cr3bp_moon_position(g->sys.mu, moon);
    for (int k = 0; k < 3; ++k) {
        g->up[k] = up[k];
        g->east[k] = east[k];
        g->north[k] = north[k];
        g->site[k] = moon[k] + g->sys.moon_radius * up[k];
    }
    double L[5][3];
    lsim_cr3bp_lagrange_points(g->sys.mu, L);
    for (int k = 0; k < 3; ++k) g->catcher[k] = L[1][k] + cfg->catcher_offset[k] / g->sys.length;
    double at_l2[6] = {L[1][0], L[1][1], L[1][2], 0.0, 0.0, 0.0};
    double at_catcher[6] = {g->catcher[0], g->catcher[1], g->catcher[2], 0.0, 0.0, 0.0};
    g->jacobi_l2 = lsim_cr3bp_jacobi(g->sys.mu, at_l2);
    g->jacobi_need = fmin(g->jacobi_l2, lsim_cr3bp_jacobi(g->sys.mu, at_catcher));
    g->azimuth_min = cfg->track_azimuth_min;
    g->azimuth_max = cfg->track_azimuth_max;
    g->elevation_min = cfg->track_elevation_min;
    g->elevation_max = cfg->track_elevation_max;
    double to_catcher[3] = {g->catcher[0] - moon[0], g->catcher[1] - moon[1], g->catcher[2] - moon[2]};
    double d = norm3(to_catcher);
    if (!(d > 2.0 * g->sys.moon_radius))
        return lsim_fail(LSIM_ERR_INPUT,
                         "orbit.catcher_offset_x: the catcher lies %g km from the Moon's centre (must be beyond "
                         "two lunar radii)",
                         d * g->sys.length / 1e3);
    /* Closest approaches count only beyond ten lunar radii or half the way
     * to the catcher, whichever is nearer: the release itself is a closest
     * approach of the surface, and the first swing about the Moon may be. */
    g->guard = fmin(10.0 * g->sys.moon_radius, 0.5 * d);
    g->t_max = 60.0 * 86400.0 / g->sys.time;
    g->escape_radius = 2.0;
    return LSIM_OK;
}

static void direction(const lsim_orbit_three_body_geometry *g, double azimuth, double elevation, double cross,
                      double d[3])
{
    const double ca = cos(azimuth), sa = sin(azimuth), ce = cos(elevation), se = sin(elevation);
    const double cc = cos(cross), sc = sin(cross);
    for (int k = 0; k < 3; ++k) {
        double track = ce * (ca * g->north[k] + sa * g->east[k]) + se * g->up[k];
        double across = ca * g->east[k] - sa * g->north[k];
        d[k] = cc * track + sc * across;
    }
}

static void mat6_mul(const double a[36], const double b[36], double c[36])
{
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) {
            double s = 0.0;
            for (int k = 0; k < 6; ++k) s += a[6 * i + k] * b[6 * k + j];
            c[6 * i + j] = s;
        }
}

lsim_status lsim_orbit_three_body_fly(const lsim_orbit_three_body_geometry *g, double v, double azimuth,
                                      double elevation, double cross, double tol, int with_stm,
                                      lsim_orbit_three_body_flight *f)
{
    memset(f, 0, sizeof *f);
    f->miss = NAN;
    f->t = NAN;
    const double vu = g->sys.length / g->sys.time;
    double d[3];
    direction(g, azimuth, elevation, cross, d);
    double s0[6];
    for (int k = 0; k < 3; ++k) {
        s0[k] = g->site[k];
        s0[3 + k] = v / vu * d[k];
    }
    f->jacobi = lsim_cr3bp_jacobi(g->sys.mu, s0);
    lsim_dop853 w;
    lsim_cr3bp_path p1, p2;
    /* Leg 1: from release to `guard` from the Moon (or impact). */
    double moon[3];
    lsim_cr3bp_moon_position(g->sys.mu, moon);
    lsim_status st;
    {
        /* The escape event of lsim_cr3bp_propagate is measured from the
         * barycentre; the guard sphere is about the Moon, so leg 1 uses the
         * integrator directly with a distance event about the Moon. */
        lsim_dop853_options o = {0};
        o.n = with_stm ? 42 : 6;
        o.f = with_stm ? lsim_cr3bp_rhs_stm : lsim_cr3bp_rhs;
        o.ctx = (void *)&g->sys;
        o.rtol = tol;
        o.atol = tol;
        double y0[LSIM_DOP853_MAX_DIM] = {0};
        memcpy(y0, s0, sizeof s0);
        if (with_stm)
            for (int i = 0; i < 6; ++i) y0[6 + 7 * i] = 1.0;
        lsim_cr3bp_target surface = {{moon[0], moon[1], moon[2]}, g->sys.moon_radius};
        lsim_cr3bp_target guard = {{moon[0], moon[1], moon[2]}, g->guard};
        lsim_dop853_event events[2] = {{lsim_cr3bp_event_distance, &surface, -1, 1},
                                       {lsim_cr3bp_event_distance, &guard, +1, 1}};
        lsim_dop853_result r;
        st = lsim_dop853_integrate(&w, &o, 0.0, y0, g->t_max, events, 2, NULL, NULL, &r);
        if (st != LSIM_OK) return st;
        if (r.stop_event != 1) return LSIM_OK; /* impact or time-out: never arrives */
        memset(&p1, 0, sizeof p1);
        p1.t = r.t;
        memcpy(p1.s, r.y, 6 * sizeof(double));
        if (with_stm) memcpy(p1.stm, r.y + 6, 36 * sizeof(double));
    }
    /* Leg 2: on to the first closest approach to the catcher. */
    lsim_cr3bp_events ev2 = {0};
    ev2.impact = 1;
    ev2.escape = 1;
    ev2.escape_radius = g->escape_radius;
    ev2.approach = 1;
    ev2.approach_terminal = 1;
    memcpy(ev2.target, g->catcher, sizeof ev2.target);
    st = lsim_cr3bp_propagate(&g->sys, &w, p1.s, p1.t, g->t_max, with_stm, tol, tol, &ev2, &p2);
    if (st != LSIM_OK) return st;
    if (p2.end != LSIM_CR3BP_END_APPROACH) return LSIM_OK;
    f->approached = 1;
    f->t = p2.t_approach * g->sys.time;
    lsim_cr3bp_state_to_si(&g->sys, p2.s_approach, f->state);
    for (int k = 0; k < 3; ++k) f->miss_vec[k] = (p2.s_approach[k] - g->catcher[k]) * g->sys.length;
    f->miss = norm3(f->miss_vec);
    if (with_stm) mat6_mul(p2.stm_approach, p1.stm, f->stm);
    return LSIM_OK;
}

/* Two unit vectors across the arrival velocity vf. */
static void across_basis(const double vf[3], double e1[3], double e2[3])
{
    double n = norm3(vf);
    double t[3] = {vf[0] / n, vf[1] / n, vf[2] / n};
    double a[3] = {0.0, 0.0, 1.0};
    if (fabs(t[2]) > 0.9) a[0] = 1.0, a[2] = 0.0;
    double p = dot3(a, t);
    for (int k = 0; k < 3; ++k) e1[k] = a[k] - p * t[k];
    double m = norm3(e1);
    for (int k = 0; k < 3; ++k) e1[k] /= m;
    e2[0] = t[1] * e1[2] - t[2] * e1[1];
    e2[1] = t[2] * e1[0] - t[0] * e1[2];
    e2[2] = t[0] * e1[1] - t[1] * e1[0];
}

/* The miss across the arrival velocity per unit change of the release
 * velocity along `dv0` (SI per SI): e_k . Phi_rv dv0, m per (m s-1). */
static void miss_sensitivity(const lsim_orbit_three_body_geometry *g, const lsim_orbit_three_body_flight *f,
                             const double e1[3], const double e2[3], const double dv0[3], double out[2])
{
    double dr[3];
    for (int i = 0; i < 3; ++i) {
        double s = 0.0;
        for (int j = 0; j < 3; ++j) s += f->stm[6 * i + 3 + j] * dv0[j];
        dr[i] = s * g->sys.time; /* length/(length/time) */
    }
    out[0] = dot3(e1, dr);
    out[1] = dot3(e2, dr);
}

static double clampd(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

/* Linear covariance of the miss for release errors: J diag(sv^2, sa^2, sa^2) J^T. */
static void linear_covariance(const lsim_orbit_three_body_geometry *g, const lsim_orbit_three_body_flight *f,
                              double v, double azimuth, double elevation, const lsim_release_errors *release,
                              lsim_orbit_three_body_result *r)
{
    double e1[3], e2[3];
    across_basis(f->state + 3, e1, e2);
    double d[3], dE[3], h[3];
    direction(g, azimuth, elevation, 0.0, d);
    const double ca = cos(azimuth), sa = sin(azimuth), ce = cos(elevation), se = sin(elevation);
    for (int k = 0; k < 3; ++k) {
        dE[k] = v * (-se * (ca * g->north[k] + sa * g->east[k]) + ce * g->up[k]);
        h[k] = v * (ca * g->east[k] - sa * g->north[k]);
    }
    double j0[2], j1[2], j2[2];
    miss_sensitivity(g, f, e1, e2, d, j0);
    miss_sensitivity(g, f, e1, e2, dE, j1);
    miss_sensitivity(g, f, e1, e2, h, j2);
    const double sv2 = release->sigma_speed * release->sigma_speed;
    const double sa2 = release->sigma_angle * release->sigma_angle;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
            r->miss_cov_linear[2 * a + b] = j0[a] * j0[b] * sv2 + j1[a] * j1[b] * sa2 + j2[a] * j2[b] * sa2;
    r->miss_rms_linear = sqrt(r->miss_cov_linear[0] + r->miss_cov_linear[3]);
}

/* Differential correction from (az, el): returns 1 and the solution when the
 * miss falls below TB_MISS_GOAL within the ranges. */
static int correct(const lsim_orbit_three_body_geometry *g, double v, double az_lo, double az_hi, double el_lo,
                   double el_hi, double *az, double *el, int *iterations, lsim_orbit_three_body_flight *f,
                   lsim_status *st)
{
    for (int it = 0; it <= TB_MAX_ITER; ++it) {
        *st = lsim_orbit_three_body_fly(g, v, *az, *el, 0.0, TB_TOL_TARGET, 1, f);
        if (*st != LSIM_OK || !f->approached) return 0;
        *iterations = it;
        if (f->miss < TB_MISS_GOAL) return 1;
        double e1[3], e2[3];
        across_basis(f->state + 3, e1, e2);
        const double ca = cos(*az), sa = sin(*az), ce = cos(*el), se = sin(*el);
        double dA[3], dE[3];
        for (int k = 0; k < 3; ++k) {
            dA[k] = v * ce * (-sa * g->north[k] + ca * g->east[k]);
            dE[k] = v * (-se * (ca * g->north[k] + sa * g->east[k]) + ce * g->up[k]);
        }
        double jA[2], jE[2];
        miss_sensitivity(g, f, e1, e2, dA, jA);
        miss_sensitivity(g, f, e1, e2, dE, jE);
        double res[2] = {dot3(e1, f->miss_vec), dot3(e2, f->miss_vec)};
        double det = jA[0] * jE[1] - jE[0] * jA[1];
        if (!(fabs(det) > 0.0) || !isfinite(det)) return 0;
        double da = -(jE[1] * res[0] - jE[0] * res[1]) / det;
        double de = -(-jA[1] * res[0] + jA[0] * res[1]) / det;
        double step = sqrt(da * da + de * de);
        const double max_step = 0.05; /* rad: keep the linearisation honest far from the solution */
        if (step > max_step) da *= max_step / step, de *= max_step / step;
        double na = clampd(*az + da, az_lo, az_hi), ne = clampd(*el + de, el_lo, el_hi);
        if (na == *az && ne == *el) return 0; /* pinned at a bound */
        *az = na;
        *el = ne;
    }
    return 0;
}

/* Coarse search over the ranges, correction from the NCAND closest points,
 * and of the solutions found the one with the least linear rms miss for the
 * launcher's errors (the track a designer would build: several families
 * reach the catcher, some far less sensitive to release errors). */
static int search_and_correct(const lsim_orbit_three_body_geometry *g, const lsim_release_errors *release,
                              double el_lo, double el_hi, double *az, double *el, int *iterations,
                              lsim_orbit_three_body_flight *f, lsim_status *st, double *best_miss)
{
    enum { NCAND = 12 };
    const double v = release->exit_speed;
    double cand_miss[NCAND], cand_az[NCAND], cand_el[NCAND];
    for (int c = 0; c < NCAND; ++c) cand_miss[c] = INFINITY, cand_az[c] = 0.0, cand_el[c] = 0.0;
    const double az_span = g->azimuth_max - g->azimuth_min;
    const int full_circle = az_span >= 2.0 * TB_PI * (1.0 - 1e-12);
    const int naz = az_span > 0.0 ? TB_SEARCH_AZ : 1;
    const int nel = el_hi > el_lo ? TB_SEARCH_EL : 1;
    for (int i = 0; i < naz; ++i) {
        double a = g->azimuth_min + (naz > 1 ? az_span * i / (full_circle ? naz : naz - 1) : 0.0);
        for (int j = 0; j < nel; ++j) {
            double e = el_lo + (nel > 1 ? (el_hi - el_lo) * j / (nel - 1) : 0.0);
            lsim_orbit_three_body_flight t;
            *st = lsim_orbit_three_body_fly(g, v, a, e, 0.0, TB_TOL_SEARCH, 0, &t);
            if (*st != LSIM_OK) return 0;
            if (!t.approached) continue;
            int c = NCAND - 1;
            if (!(t.miss < cand_miss[c])) continue;
            while (c > 0 && t.miss < cand_miss[c - 1]) {
                cand_miss[c] = cand_miss[c - 1], cand_az[c] = cand_az[c - 1], cand_el[c] = cand_el[c - 1];
                --c;
            }
            cand_miss[c] = t.miss, cand_az[c] = a, cand_el[c] = e;
        }
    }
    *best_miss = cand_miss[0];
    double az_lo = g->azimuth_min, az_hi = g->azimuth_max;
    if (full_circle) az_lo = -INFINITY, az_hi = INFINITY;
    int found = 0;
    double best_rms = INFINITY;
    for (int c = 0; c < NCAND && isfinite(cand_miss[c]); ++c) {
        double a = cand_az[c], e = cand_el[c];
        int it = 0;
        lsim_orbit_three_body_flight t;
        if (correct(g, v, az_lo, az_hi, el_lo, el_hi, &a, &e, &it, &t, st)) {
            lsim_orbit_three_body_result lin;
            linear_covariance(g, &t, v, a, e, release, &lin);
            if (lin.miss_rms_linear < best_rms || !found) {
                found = 1;
                best_rms = lin.miss_rms_linear;
                if (full_circle) {
                    a = fmod(a, 2.0 * TB_PI);
                    if (a < 0.0) a += 2.0 * TB_PI;
                }
                *az = a;
                *el = e;
                *iterations = it;
                *f = t;
            }
        }
        if (*st != LSIM_OK) return 0;
    }
    return found;
}

lsim_status lsim_orbit_three_body_target(const lsim_orbit_three_body_geometry *g, const lsim_release_errors *release,
                                         lsim_orbit_three_body_result *r)
{
    const double v = release->exit_speed;
    const double vu = g->sys.length / g->sys.time;
    double at_site[6] = {g->site[0], g->site[1], g->site[2], 0.0, 0.0, 0.0};
    const double c_rest = lsim_cr3bp_jacobi(g->sys.mu, at_site); /* 2 Omega(site) */
    r->jacobi_l2 = g->jacobi_l2;
    r->least_speed = c_rest > g->jacobi_need ? sqrt(c_rest - g->jacobi_need) * vu : 0.0;
    r->release_jacobi = c_rest - (v / vu) * (v / vu);
    if (!(v > 0.0) || !isfinite(v))
        return lsim_fail(LSIM_ERR_INPUT, "massdriver.exit_speed: must be > 0 for orbit.flight_model three_body");
    if (r->release_jacobi > g->jacobi_need)
        return lsim_fail(LSIM_ERR_INPUT,
                         "massdriver.exit_speed: %.1f m/s from the launch site (orbit.launch_latitude %.2f deg, "
                         "launch_longitude %.2f deg) cannot reach the catcher at L2 (release Jacobi constant "
                         "%.5f > %.5f): the least exit speed that would is %.1f m/s",
                         v, asin(g->up[2]) * TB_DEG, atan2(-g->up[1], -g->up[0]) * TB_DEG, r->release_jacobi,
                         g->jacobi_need, r->least_speed);
    lsim_orbit_three_body_flight f;
    lsim_status st = LSIM_OK;
    double az = 0.0, el = 0.0, best_miss = INFINITY;
    int it = 0;
    if (!search_and_correct(g, release, g->elevation_min, g->elevation_max, &az, &el, &it, &f, &st, &best_miss)) {
        if (st != LSIM_OK) return st;
        /* Would a steeper (or shallower) track reach it? Search every elevation. */
        double az2 = 0.0, el2 = 0.0, miss2 = INFINITY;
        int it2 = 0;
        if (search_and_correct(g, release, 0.0, 0.5 * TB_PI * 0.99, &az2, &el2, &it2, &f, &st, &miss2))
            return lsim_fail(LSIM_ERR_INPUT,
                             "orbit.track_elevation_max: no track within azimuth %.1f..%.1f deg and elevation "
                             "%.1f..%.1f deg carries a %.1f m/s release to the catcher (closest %.0f km); an "
                             "elevation of %.2f deg would",
                             g->azimuth_min * TB_DEG, g->azimuth_max * TB_DEG, g->elevation_min * TB_DEG,
                             g->elevation_max * TB_DEG, v, best_miss / 1e3, el2 * TB_DEG);
        if (st != LSIM_OK) return st;
        return lsim_fail(LSIM_ERR_INPUT,
                         "massdriver.exit_speed: no track from the launch site at any elevation carries a %.1f m/s "
                         "release to the catcher (closest %.0f km); the L2 neck opens at %.1f m/s, and another "
                         "speed or site (orbit.launch_latitude, launch_longitude) may reach it",
                         v, best_miss / 1e3, r->least_speed);
    }
    r->azimuth = az;
    r->elevation = el;
    r->iterations = it;
    r->miss_nominal = f.miss;
    r->transit_time = f.t;
    memcpy(r->arrival_state, f.state, sizeof r->arrival_state);
    r->arrival_speed = norm3(f.state + 3);
    linear_covariance(g, &f, v, az, el, release, r);
    return LSIM_OK;
}

typedef struct {
    uint64_t arrived, inside;
    double miss_sq, t_sum, t_sq;
} tb_partial;

static lsim_status disperse_block(const lsim_orbit_three_body_geometry *g, const lsim_release_errors *release,
                                  const lsim_orbit_three_body_result *r, double radius, uint64_t seed,
                                  uint64_t first, uint64_t end, double *times, tb_partial *p)
{
    memset(p, 0, sizeof *p);
    for (uint64_t i = first; i < end; ++i) {
        double dv, th1, th2;
        lsim_release_draw(seed, i, release, &dv, &th1, &th2);
        lsim_orbit_three_body_flight f;
        lsim_status st = lsim_orbit_three_body_fly(g, release->exit_speed + dv, r->azimuth, r->elevation + th1, th2,
                                                   TB_TOL_SAMPLE, 0, &f);
        if (st != LSIM_OK) return st;
        if (times) times[i] = f.approached ? f.t : NAN;
        if (!f.approached) continue;
        ++p->arrived;
        if (f.miss <= radius) ++p->inside;
        p->miss_sq += f.miss * f.miss;
        p->t_sum += f.t;
        p->t_sq += f.t * f.t;
    }
    return LSIM_OK;
}

lsim_status lsim_orbit_three_body_disperse(const lsim_orbit_three_body_geometry *g,
                                           const lsim_release_errors *release, double catcher_radius,
                                           uint64_t samples, uint64_t seed, double *times,
                                           lsim_orbit_three_body_result *r)
{
    if (samples == 0) return lsim_fail(LSIM_ERR_INPUT, "orbit.dispersion_samples: must be at least 1");
    const uint64_t block_count = (samples + TB_BLOCK - 1) / TB_BLOCK;
    tb_partial partial[TB_CHUNK_BLOCKS];
    lsim_status status[TB_CHUNK_BLOCKS];
    tb_partial total = {0, 0, 0.0, 0.0, 0.0};
    for (uint64_t chunk = 0; chunk < block_count; chunk += TB_CHUNK_BLOCKS) {
        uint64_t chunk_end = chunk + TB_CHUNK_BLOCKS < block_count ? chunk + TB_CHUNK_BLOCKS : block_count;
        long nb = (long)(chunk_end - chunk);
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 1) if (nb > 1)
#endif
        for (long b = 0; b < nb; ++b) {
            uint64_t first = (chunk + (uint64_t)b) * TB_BLOCK;
            uint64_t end = first + TB_BLOCK < samples ? first + TB_BLOCK : samples;
            status[b] = disperse_block(g, release, r, catcher_radius, seed, first, end, times, &partial[b]);
        }
        for (long b = 0; b < nb; ++b) {
            if (status[b] != LSIM_OK) return status[b];
            total.arrived += partial[b].arrived;
            total.inside += partial[b].inside;
            total.miss_sq += partial[b].miss_sq;
            total.t_sum += partial[b].t_sum;
            total.t_sq += partial[b].t_sq;
        }
    }
    r->samples = samples;
    r->arrived = total.arrived;
    r->inside = total.inside;
    r->captured_share = (double)total.inside / (double)samples;
    if (total.arrived > 0) {
        double n = (double)total.arrived;
        r->miss_rms = sqrt(total.miss_sq / n);
        r->time_mean = total.t_sum / n;
        double var = total.t_sq / n - r->time_mean * r->time_mean;
        r->time_spread = var > 0.0 ? sqrt(var) : 0.0;
    } else {
        r->miss_rms = NAN;
        r->time_mean = r->transit_time;
        r->time_spread = 0.0;
    }
    return LSIM_OK;
}

lsim_status lsim_orbit_flight_three_body_design(const lsim_orbit_config *cfg, const lsim_release_errors *release,
                                                double dt, uint64_t seed, lsim_orbit_flight_schedule *schedule,
                                                void **model_state)
{
    *model_state = NULL;
    if (!(cfg->dispersion_samples >= 1.0))
        return lsim_fail(LSIM_ERR_INPUT, "orbit.dispersion_samples: must be at least 1 (got %g)",
                         cfg->dispersion_samples);
    lsim_orbit_three_body_geometry g;
    lsim_status st = lsim_orbit_three_body_geometry_init(cfg, &g);
    if (st != LSIM_OK) return st;
    lsim_orbit_three_body_result r;
    memset(&r, 0, sizeof r);
    if ((st = lsim_orbit_three_body_target(&g, release, &r)) != LSIM_OK) return st;
    const uint64_t samples = (uint64_t)cfg->dispersion_samples;
    double *times = malloc(samples * sizeof *times);
    if (!times) return lsim_fail(LSIM_ERR_RUN, "orbit: cannot allocate %llu flight times", (unsigned long long)samples);
    st = lsim_orbit_three_body_disperse(&g, release, cfg->catcher_radius, samples, seed, times, &r);
    /* Arrival steps: sample i arrives ceil(t_i / dt) steps after its launch
     * (as fixed does for one time); samples that never reach the catcher
     * (impact, escape) are counted at the nominal time, lost there. */
    size_t lo = lsim_orbit_transit_steps(r.transit_time, dt), hi = lo;
    if (st == LSIM_OK) {
        for (uint64_t i = 0; i < samples; ++i) {
            if (isnan(times[i])) continue;
            size_t n = lsim_orbit_transit_steps(times[i], dt);
            if (n < lo) lo = n;
            if (n > hi) hi = n;
        }
        if (hi - lo + 1 > TB_MAX_BINS)
            st = lsim_fail(LSIM_ERR_INPUT, "orbit.flight_model three_body: arrivals spread over %zu steps", hi - lo + 1);
    }
    if (st == LSIM_OK) st = lsim_orbit_flight_schedule_alloc(schedule, hi - lo + 1);
    if (st == LSIM_OK) {
        size_t nominal = lsim_orbit_transit_steps(r.transit_time, dt);
        for (uint64_t i = 0; i < samples; ++i) {
            size_t n = isnan(times[i]) ? nominal : lsim_orbit_transit_steps(times[i], dt);
            schedule->weights[n - lo] += 1.0;
        }
        schedule->first_step = lo;
        schedule->captured_share = r.captured_share;
        schedule->miss_rms = r.miss_rms;
        schedule->flight_time_mean = r.time_mean;
        schedule->flight_time_spread = r.time_spread;
        schedule->release_jacobi = r.release_jacobi;
        schedule->jacobi_l2 = r.jacobi_l2;
        schedule->arrival_speed = r.arrival_speed;
        schedule->miss_rms_linear = r.miss_rms_linear;
        schedule->nominal_transit_time = r.transit_time;
        schedule->track_azimuth = r.azimuth;
        schedule->track_elevation = r.elevation;
        schedule->targeting_iterations = r.iterations;
    }
    free(times);
    return st;
}

LSIM_ORBIT_FLIGHT_STATELESS(three_body)
