/* The granular excavation sub-model (see granular.h): a Chipmunk2D bed cut by
 * a kinematic blade, and the Coulomb-wedge form of the Fundamental
 * Earthmoving Equation it is checked against. */
#include "granular.h"

#include <chipmunk/chipmunk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "quiet_stdout.h"

/* Chipmunk's debug build prints a banner on stdout at its first space
 * (core/quiet_stdout.h): made here, where nobody reads it. */
static int chipmunk_banner_absorbed = 0;
static void absorb_chipmunk_banner(void *unused)
{
    (void)unused;
    cpSpaceFree(cpSpaceNew());
}

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define DEG (M_PI / 180.0)

/* Draw streams: core/rng.h reserves no stream for this sub-model, so it uses
 * the regolith LIFE stream's upper draw indices (the fleet uses none of them):
 * entity = grain index, step = 0. */
#define GRANULAR_STREAM_SIZE (LSIM_STREAM_GRANULAR + 0)
#define GRANULAR_STREAM_POUR (LSIM_STREAM_GRANULAR + 1)

enum { TYPE_WALL = 0, TYPE_GRAIN = 1, TYPE_BLADE = 2 };

#define MAX_SIDES 12

/* ------------------------------------------------------------------------ */
/* The Fundamental Earthmoving Equation, Coulomb passive wedge.
 *
 * x forward (the blade's motion), y up; the blade tip is at depth d. The blade
 * face rises from the tip at rake alpha, leaning back over the tip:
 * u = (-cos a, sin a); its normal into the soil is n = (sin a, cos a). The
 * failure plane runs from the tip forward and up at beta to the surface. The
 * wedge between them is a triangle of area d^2 (cot a + cot b) / 2, weight
 * W = gamma d^2 (cot a + cot b) / 2 per unit width.
 * Forces on the wedge, which rises along the failure plane and slides up the
 * blade face:
 *   blade  P along n cos(delta) - u sin(delta) = P (sin(a+delta), cos(a+delta))
 *          (friction on the soil points down the face);
 *   ground R along (-sin b, cos b) cos(phi) - (cos b, sin b) sin(phi)
 *          = R (-sin(b+phi), cos(b+phi)) (friction points down the plane);
 *   weight (0, -W).
 * x: P sin(a+delta) = R sin(b+phi);  y: P cos(a+delta) + R cos(b+phi) = W, so
 *   P = W / [cos(a+delta) + sin(a+delta) cot(b+phi)] = gamma d^2 N_gamma,
 *   N_gamma = (cot a + cot b) / (2 [cos(a+delta) + sin(a+delta) cot(b+phi)])
 * (McKyes 1985, eq. 4.6 with c = q = 0). The soil fails on the plane that
 * needs the least force: P is minimised over beta. The draft is the
 * horizontal part, H = P sin(a+delta). Check: a vertical smooth blade
 * (a = 90 deg, delta = 0) gives beta = 45 - phi/2 and P = gamma d^2 Kp / 2,
 * Rankine's passive pressure, Kp = tan^2(45 + phi/2). */

static double wedge_n_gamma(double phi, double delta, double alpha, double beta)
{
    double area = 1.0 / tan(alpha) + 1.0 / tan(beta);
    double den = cos(alpha + delta) + sin(alpha + delta) / tan(beta + phi);
    if (!(area > 0.0) || !(den > 0.0)) return INFINITY;
    return area / (2.0 * den);
}

double lsim_granular_fee_n_gamma(double phi, double delta, double alpha, double *beta_out)
{
    /* Scan beta over failure planes that rise ahead of the tip (0 < beta <
     * 90 deg; steeper planes give slivers over a shallow blade whose weight,
     * and so P, goes to zero without the soil ahead failing at all), then
     * refine the best bracket by golden section: N(beta) is unimodal there. */
    const int n = 2000;
    double lo = 1.0e-6, hi = 0.5 * M_PI;
    if (hi > M_PI - alpha - 1.0e-6) hi = M_PI - alpha - 1.0e-6;
    double best = INFINITY;
    int best_k = -1;
    for (int k = 1; k < n; ++k) {
        double b = lo + (hi - lo) * k / n;
        double v = wedge_n_gamma(phi, delta, alpha, b);
        if (v < best) {
            best = v;
            best_k = k;
        }
    }
    if (best_k < 0) {
        if (beta_out) *beta_out = NAN;
        return INFINITY;
    }
    double a = lo + (hi - lo) * (best_k - 1) / n, b = lo + (hi - lo) * (best_k + 1) / n;
    const double g = 0.5 * (sqrt(5.0) - 1.0);
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = wedge_n_gamma(phi, delta, alpha, x1), f2 = wedge_n_gamma(phi, delta, alpha, x2);
    for (int it = 0; it < 80; ++it) {
        if (f1 < f2) {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = wedge_n_gamma(phi, delta, alpha, x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = wedge_n_gamma(phi, delta, alpha, x2);
        }
    }
    double beta = 0.5 * (a + b);
    double v = wedge_n_gamma(phi, delta, alpha, beta);
    if (v > best) v = best, beta = lo + (hi - lo) * best_k / n;
    if (beta_out) *beta_out = beta;
    return v;
}

double lsim_granular_fee_draft(double gamma, double depth, double phi, double delta, double alpha)
{
    double n_gamma = lsim_granular_fee_n_gamma(phi, delta, alpha, NULL);
    if (!isfinite(n_gamma)) return INFINITY;
    return gamma * depth * depth * n_gamma * sin(alpha + delta);
}

double lsim_granular_specific_energy(double draft_force, double bulk_density, double depth)
{
    return draft_force / (bulk_density * depth);
}

/* ------------------------------------------------------------------------ */
/* Calibration of mu against the angle of repose.
 *
 * Measured with `granular_calibrate repose` (default grains: 4-6 mm rounded
 * pentagons, 600 grains poured from a narrow chute onto a rough floor under
 * lunar gravity, mean of seeds 1 and 2; angles in degrees). The angle rises
 * with mu and saturates near 34 deg (discs: near 20 deg whatever mu, which is
 * why the default grains have corners); targets above the plateau clamp to
 * its mu. */
static const double repose_table_mu[] = {0.1, 0.2, 0.3, 0.4, 0.5};
static const double repose_table_deg[] = {20.67, 26.54, 29.70, 32.22, 33.90};
#define REPOSE_TABLE_N (sizeof repose_table_mu / sizeof repose_table_mu[0])

double lsim_granular_friction_for_repose(double angle)
{
    double deg = angle / DEG;
    if (deg <= repose_table_deg[0]) return repose_table_mu[0];
    for (size_t k = 1; k < REPOSE_TABLE_N; ++k) {
        if (deg <= repose_table_deg[k]) {
            double t = (deg - repose_table_deg[k - 1]) / (repose_table_deg[k] - repose_table_deg[k - 1]);
            return repose_table_mu[k - 1] + t * (repose_table_mu[k] - repose_table_mu[k - 1]);
        }
    }
    return repose_table_mu[REPOSE_TABLE_N - 1];
}

void lsim_granular_default_case(lsim_granular_case *c, double friction_angle)
{
    memset(c, 0, sizeof *c);
    c->grain_diameter_min = 0.004;
    c->grain_diameter_max = 0.006;
    c->grain_sides = 5;
    c->grain_rounding = 0.1;
    c->grain_density = LSIM_GRANULAR_GRAIN_DENSITY;
    c->friction_angle = friction_angle;
    c->grain_friction = lsim_granular_friction_for_repose(friction_angle);
    c->grain_elasticity = 0.0;
    c->gravity = LSIM_GRANULAR_LUNAR_GRAVITY;
    c->seed = 1;
    c->rake_angle = 45.0 * DEG;
    c->cut_depth = 0.03;
    c->blade_speed = 0.1;
    c->blade_friction = c->grain_friction;
    c->blade_rise = 0.0;
    c->collect_height = 0.8 * 0.5 * (c->grain_diameter_min + c->grain_diameter_max);
    c->base = LSIM_GRANULAR_BASE_RIGID;
    c->base_friction = 1.0;
    c->dt = 1.0e-3;
    c->solver_iterations = 20;
    c->settle_steps_max = 4000;
    c->settle_steps_min = 500;
    c->settle_energy_ratio = 1.0e-4;
    lsim_granular_fit_bed(c);
}

static double fee_delta(const lsim_granular_case *c)
{
    double delta = atan(c->blade_friction);
    return delta < c->friction_angle ? delta : c->friction_angle;
}

/* Horizontal room the failure wedge needs ahead of the tip. */
static double wedge_reach(const lsim_granular_case *c)
{
    double beta;
    double n = lsim_granular_fee_n_gamma(c->friction_angle, fee_delta(c), c->rake_angle, &beta);
    if (!isfinite(n) || !(beta > 0.05)) beta = 0.05;
    return c->cut_depth / tan(beta);
}

static double blade_radius_of(const lsim_granular_case *c)
{
    return 0.05 * (c->grain_diameter_min + c->grain_diameter_max);
}

/* Where the tip starts: three grains from the wall plus the blade's lean. */
static double blade_start(const lsim_granular_case *c)
{
    double back_reach = (c->cut_depth + c->blade_rise + blade_radius_of(c)) / tan(c->rake_angle);
    return 3.0 * c->grain_diameter_max + back_reach;
}

void lsim_granular_fit_bed(lsim_granular_case *c)
{
    double d = c->cut_depth, d_max = c->grain_diameter_max;
    c->blade_travel = 2.0 * d;
    c->measure_skip = 0.25 * d;
    if (c->base == LSIM_GRANULAR_BASE_RIGID) {
        c->bed_depth = d;
    } else {
        double below = 0.5 * d > 4.0 * d_max ? 0.5 * d : 4.0 * d_max;
        c->bed_depth = d + below;
    }
    c->bed_length = blade_start(c) + c->blade_travel + wedge_reach(c) + 3.0 * d_max;
    c->grain_count = 0;
}

/* ------------------------------------------------------------------------ */
/* One simulation: a space, its grains and static shapes. */

typedef struct {
    cpVect impulse;     /* on the blade, summed over this step's contacts */
    cpVect tip_impulse; /* the part from grains whose centre is below the tip */
} blade_probe;

typedef struct {
    cpSpace *space;
    size_t n, cap;
    cpBody **body;
    cpShape **shape;
    double *radius; /* circumscribed, rounding included */
    double *area;
    size_t n_static, cap_static;
    cpShape **static_shape;
    cpBody *blade;
    cpShape *blade_shape;
    double unit_area_ratio; /* grain area / (pi R^2) for the grain shape */
} sim;

static void sim_free(sim *s)
{
    /* The space first: it owns only its indexes and pools, not our shapes or bodies. */
    if (s->space) cpSpaceFree(s->space);
    for (size_t i = 0; i < s->n; ++i) {
        if (s->shape[i]) cpShapeFree(s->shape[i]);
        if (s->body[i]) cpBodyFree(s->body[i]);
    }
    for (size_t i = 0; i < s->n_static; ++i) cpShapeFree(s->static_shape[i]);
    if (s->blade_shape) cpShapeFree(s->blade_shape);
    if (s->blade) cpBodyFree(s->blade);
    free(s->body);
    free(s->shape);
    free(s->radius);
    free(s->area);
    free(s->static_shape);
    memset(s, 0, sizeof *s);
}

static lsim_status check_case(const lsim_granular_case *c)
{
    if (!(c->grain_diameter_min > 0.0) || !(c->grain_diameter_max >= c->grain_diameter_min))
        return lsim_fail(LSIM_ERR_INPUT, "granular: grain diameters [%g, %g] m are not 0 < min <= max",
                         c->grain_diameter_min, c->grain_diameter_max);
    if (c->grain_sides != 0 && (c->grain_sides < 3 || c->grain_sides > MAX_SIDES))
        return lsim_fail(LSIM_ERR_INPUT, "granular: grain_sides %d is not 0 (discs) or 3..%d", c->grain_sides,
                         MAX_SIDES);
    if (!(c->grain_rounding >= 0.0 && c->grain_rounding < 1.0))
        return lsim_fail(LSIM_ERR_INPUT, "granular: grain_rounding %g is not in [0, 1)", c->grain_rounding);
    if (!(c->grain_density > 0.0) || !(c->grain_friction >= 0.0) || !(c->blade_friction >= 0.0) ||
        !(c->grain_elasticity >= 0.0 && c->grain_elasticity <= 1.0) || !(c->gravity > 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "granular: density, frictions, elasticity or gravity out of range");
    if (!(c->dt > 0.0) || c->solver_iterations < 1 || c->settle_steps_max < 1)
        return lsim_fail(LSIM_ERR_INPUT, "granular: dt, solver_iterations and settle_steps_max must be positive");
    if (!(c->bed_length > 10.0 * c->grain_diameter_max) || !(c->bed_depth > 3.0 * c->grain_diameter_max))
        return lsim_fail(LSIM_ERR_INPUT, "granular: a %g m x %g m bed is too small for %g m grains", c->bed_length,
                         c->bed_depth, c->grain_diameter_max);
    if (c->grain_count > 200000)
        return lsim_fail(LSIM_ERR_INPUT, "granular: %zu grains is beyond this sub-model's scope", c->grain_count);
    return LSIM_OK;
}

static double grain_diameter(const lsim_granular_case *c, size_t i)
{
    double u = lsim_rng_uniform(c->seed, GRANULAR_STREAM_SIZE, i, 0, 0);
    return c->grain_diameter_min + u * (c->grain_diameter_max - c->grain_diameter_min);
}

static double grain_orientation(const lsim_granular_case *c, size_t i)
{
    return 2.0 * M_PI * lsim_rng_uniform(c->seed, GRANULAR_STREAM_SIZE, i, 0, 1);
}

/* Vertices of a rounded regular polygon of circumscribed radius R (rounding included). */
static int polygon_vertices(const lsim_granular_case *c, double R, double angle, cpVect *v, double *rounding)
{
    int k = c->grain_sides;
    double rr = c->grain_rounding * R;
    double rv = R - rr;
    for (int j = 0; j < k; ++j) {
        double a = angle + 2.0 * M_PI * j / k;
        v[j] = cpv(rv * cos(a), rv * sin(a));
    }
    *rounding = rr;
    return k;
}

static double shape_area_ratio(const lsim_granular_case *c)
{
    if (c->grain_sides == 0) return 1.0;
    cpVect v[MAX_SIDES];
    double rr;
    int k = polygon_vertices(c, 1.0, 0.0, v, &rr);
    return cpAreaForPoly(k, v, rr) / M_PI;
}

static double mean_grain_area(const lsim_granular_case *c, double ratio)
{
    double a = c->grain_diameter_min, b = c->grain_diameter_max;
    double mean_d2 = (a * a + a * b + b * b) / 3.0;
    return ratio * M_PI * 0.25 * mean_d2;
}

static lsim_status sim_alloc(sim *s, const lsim_granular_case *c, size_t n, size_t n_static)
{
    memset(s, 0, sizeof *s);
    s->body = calloc(n, sizeof *s->body);
    s->shape = calloc(n, sizeof *s->shape);
    s->radius = calloc(n, sizeof *s->radius);
    s->area = calloc(n, sizeof *s->area);
    s->static_shape = calloc(n_static, sizeof *s->static_shape);
    if (!s->body || !s->shape || !s->radius || !s->area || !s->static_shape) {
        sim_free(s);
        return lsim_fail(LSIM_ERR_RUN, "granular: out of memory for %zu grains", n);
    }
    s->cap = n;
    s->cap_static = n_static;
    s->unit_area_ratio = shape_area_ratio(c);

    lsim_once_without_stdout(&chipmunk_banner_absorbed, absorb_chipmunk_banner, NULL);
    s->space = cpSpaceNew();
    if (!s->space) {
        sim_free(s);
        return lsim_fail(LSIM_ERR_RUN, "granular: cpSpaceNew failed");
    }
    cpSpaceSetGravity(s->space, cpv(0.0, -c->gravity));
    cpSpaceSetIterations(s->space, c->solver_iterations);
    /* Chipmunk's defaults are for pixels: allow overlaps of 1% of the smallest grain only. */
    cpSpaceSetCollisionSlop(s->space, 0.01 * c->grain_diameter_min);
    return LSIM_OK;
}

/* Chipmunk multiplies the two shapes' coefficients, so each grain and the
 * floor carry sqrt(mu) and the blade mu_blade / sqrt(mu). */
static double grain_shape_friction(const lsim_granular_case *c) { return sqrt(c->grain_friction); }

static void add_static_segment(sim *s, const lsim_granular_case *c, cpVect a, cpVect b, double r)
{
    cpShape *sh = cpSegmentShapeNew(cpSpaceGetStaticBody(s->space), a, b, r);
    cpShapeSetFriction(sh, grain_shape_friction(c));
    cpShapeSetElasticity(sh, 0.0);
    cpShapeSetCollisionType(sh, TYPE_WALL);
    cpSpaceAddShape(s->space, sh);
    s->static_shape[s->n_static++] = sh;
}

static void add_static_bump(sim *s, const lsim_granular_case *c, cpVect p, double r)
{
    cpShape *sh = cpCircleShapeNew(cpSpaceGetStaticBody(s->space), r, p);
    cpShapeSetFriction(sh, grain_shape_friction(c));
    cpShapeSetElasticity(sh, 0.0);
    cpShapeSetCollisionType(sh, TYPE_WALL);
    cpSpaceAddShape(s->space, sh);
    s->static_shape[s->n_static++] = sh;
}

/* A floor from x0 to x1 at y = 0, made rough by a row of half-buried bumps a
 * mean grain apart, so the bottom layer cannot slide or roll out as a whole. */
static size_t floor_shape_count(const lsim_granular_case *c, double width)
{
    double pitch = 0.5 * (c->grain_diameter_min + c->grain_diameter_max);
    return (size_t)floor(width / pitch) + 2;
}

static void add_rough_floor(sim *s, const lsim_granular_case *c, double x0, double x1)
{
    double pitch = 0.5 * (c->grain_diameter_min + c->grain_diameter_max);
    add_static_segment(s, c, cpv(x0, 0.0), cpv(x1, 0.0), 0.0);
    size_t n = (size_t)floor((x1 - x0) / pitch);
    for (size_t k = 0; k < n; ++k) add_static_bump(s, c, cpv(x0 + pitch * (k + 0.5), 0.0), 0.25 * pitch);
}

static void add_grain(sim *s, const lsim_granular_case *c, size_t i, cpVect p, cpVect v)
{
    double R = 0.5 * grain_diameter(c, i);
    double angle = grain_orientation(c, i);
    double area, moment, mass;
    cpShape *sh;
    cpBody *b;
    if (c->grain_sides == 0) {
        area = M_PI * R * R;
        mass = area * c->grain_density;
        moment = cpMomentForCircle(mass, 0.0, R, cpvzero);
        b = cpBodyNew(mass, moment);
        sh = cpCircleShapeNew(b, R, cpvzero);
    } else {
        cpVect vert[MAX_SIDES];
        double rr;
        int k = polygon_vertices(c, R, angle, vert, &rr);
        area = cpAreaForPoly(k, vert, rr);
        mass = area * c->grain_density;
        moment = cpMomentForPoly(mass, k, vert, cpvzero, rr);
        b = cpBodyNew(mass, moment);
        sh = cpPolyShapeNew(b, k, vert, cpTransformIdentity, rr);
    }
    cpBodySetPosition(b, p);
    cpBodySetVelocity(b, v);
    cpShapeSetFriction(sh, grain_shape_friction(c));
    cpShapeSetElasticity(sh, sqrt(c->grain_elasticity));
    cpShapeSetCollisionType(sh, TYPE_GRAIN);
    cpSpaceAddBody(s->space, b);
    cpSpaceAddShape(s->space, sh);
    s->body[i] = b;
    s->shape[i] = sh;
    s->radius[i] = R;
    s->area[i] = area;
    if (i >= s->n) s->n = i + 1;
}

static void remove_grain(sim *s, size_t i)
{
    if (!s->body[i]) return;
    cpSpaceRemoveShape(s->space, s->shape[i]);
    cpSpaceRemoveBody(s->space, s->body[i]);
    cpShapeFree(s->shape[i]);
    cpBodyFree(s->body[i]);
    s->shape[i] = NULL;
    s->body[i] = NULL;
}

/* Kinetic energy summed in grain order (a fixed order: same bits every run). */
static double kinetic_energy(const sim *s)
{
    double e = 0.0;
    for (size_t i = 0; i < s->n; ++i)
        if (s->body[i]) e += cpBodyKineticEnergy(s->body[i]);
    return 0.5 * e; /* cpBodyKineticEnergy returns m v^2 + I w^2 */
}

static size_t live_grains(const sim *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; ++i) k += s->body[i] != NULL;
    return k;
}

/* Steps until the kinetic energy per grain falls below the threshold (checked
 * every 20 steps), between settle_steps_min and settle_steps_max. */
static long settle(sim *s, const lsim_granular_case *c, double *ke_out)
{
    double d_mean = 0.5 * (c->grain_diameter_min + c->grain_diameter_max);
    double m_mean = mean_grain_area(c, s->unit_area_ratio) * c->grain_density;
    double threshold = c->settle_energy_ratio * m_mean * c->gravity * d_mean;
    long step = 0;
    double ke = INFINITY;
    while (step < c->settle_steps_max) {
        cpSpaceStep(s->space, c->dt);
        ++step;
        if (step % 20 == 0) {
            size_t n = live_grains(s);
            ke = kinetic_energy(s);
            if (step >= c->settle_steps_min && n > 0 && ke / (double)n < threshold) break;
        }
    }
    *ke_out = kinetic_energy(s);
    return step;
}

/* ------------------------------------------------------------------------ */
/* The bed: packing fraction and surface height.
 *
 * The packing fraction is the grain area whose centres lie in a window deep
 * inside the bed over the window's area (unbiased: a grain straddling the
 * edge is counted whole or not at all with equal odds). The surface is placed
 * where a bed of that packing fraction would end given the grain area above a
 * reference level a few grains below the top, so the cut depth is measured
 * from the mass, not from the tips of the topmost grains. */
static void measure_bed(const sim *s, const lsim_granular_case *c, double x0, double x1, double *phi_out,
                        double *surface_out)
{
    int rigid = c->base == LSIM_GRANULAR_BASE_RIGID;
    double d_max = c->grain_diameter_max;
    double top = 0.0;
    for (size_t i = 0; i < s->n; ++i) {
        if (!s->body[i]) continue;
        cpVect p = cpBodyGetPosition(s->body[i]);
        if (p.x >= x0 && p.x <= x1 && p.y + s->radius[i] > top) top = p.y + s->radius[i];
    }
    double y_lo = (rigid ? 1.0 : 2.0) * d_max, y_hi = top - (rigid ? 2.0 : 3.0) * d_max;
    if (y_hi < y_lo + d_max) y_hi = y_lo + d_max;
    double in_window = 0.0, above_ref = 0.0, all = 0.0;
    for (size_t i = 0; i < s->n; ++i) {
        if (!s->body[i]) continue;
        cpVect p = cpBodyGetPosition(s->body[i]);
        if (p.x < x0 || p.x > x1) continue;
        if (p.y >= y_lo && p.y < y_hi) in_window += s->area[i];
        if (p.y >= y_hi) above_ref += s->area[i];
        all += s->area[i];
    }
    double phi = in_window / ((x1 - x0) * (y_hi - y_lo));
    *phi_out = phi;
    /* On a rigid floor the whole layer is cut: its mass-equivalent thickness
     * makes bulk_density * depth exactly the mass per unit area. */
    *surface_out = rigid ? all / (phi * (x1 - x0)) : y_hi + above_ref / (phi * (x1 - x0));
}

/* ------------------------------------------------------------------------ */
/* The cut. */

static void blade_post_solve(cpArbiter *arb, cpSpace *space, cpDataPointer data)
{
    (void)space;
    blade_probe *probe = data;
    /* The handler is registered (BLADE, GRAIN), so the arbiter's first body
     * is the blade, and cpArbiterTotalImpulse is the impulse (normal and
     * friction) that body received this step (checked by the test
     * granular_blade_force: a grain at rest on a horizontal blade weighs m g). */
    cpVect j = cpArbiterTotalImpulse(arb);
    probe->impulse = cpvadd(probe->impulse, j);
    CP_ARBITER_GET_BODIES(arb, blade, grain);
    cpVect rel = cpvsub(cpBodyGetPosition(grain), cpBodyGetPosition(blade));
    if (rel.y < 0.0) probe->tip_impulse = cpvadd(probe->tip_impulse, j);
}

lsim_status lsim_granular_run(const lsim_granular_case *c, lsim_granular_result *r)
{
    memset(r, 0, sizeof *r);
    lsim_status st = check_case(c);
    if (st != LSIM_OK) return st;
    if (!(c->rake_angle > 5.0 * DEG && c->rake_angle <= 90.0 * DEG))
        return lsim_fail(LSIM_ERR_INPUT, "granular: rake angle %g deg is outside (5, 90]", c->rake_angle / DEG);
    int rigid = c->base == LSIM_GRANULAR_BASE_RIGID;
    if (c->base != LSIM_GRANULAR_BASE_RIGID && c->base != LSIM_GRANULAR_BASE_LOOSE)
        return lsim_fail(LSIM_ERR_INPUT, "granular: base %d is neither rigid nor loose", c->base);
    if (!(c->cut_depth > 2.0 * c->grain_diameter_max) ||
        (!rigid && !(c->cut_depth < c->bed_depth - 2.0 * c->grain_diameter_max)))
        return lsim_fail(LSIM_ERR_INPUT,
                         "granular: cut depth %g m must exceed two grains (%g m) and, on a loose base, leave two "
                         "grains below it in a %g m bed",
                         c->cut_depth, 2.0 * c->grain_diameter_max, c->bed_depth);
    if (rigid && !(c->base_friction >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "granular: base_friction %g is negative", c->base_friction);
    if (!(c->blade_speed > 0.0) || !(c->blade_travel > 0.0) || !(c->measure_skip >= 0.0) ||
        !(c->measure_skip < c->blade_travel) || !(c->blade_rise >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "granular: blade speed, travel, rise and measure_skip out of range");

    double d_mean = 0.5 * (c->grain_diameter_min + c->grain_diameter_max);
    double d_max = c->grain_diameter_max;
    double blade_radius = blade_radius_of(c);
    double x_tip0 = blade_start(c);
    double x_end = x_tip0 + c->blade_travel + wedge_reach(c) + 2.0 * d_max;
    if (x_end > c->bed_length)
        return lsim_fail(LSIM_ERR_INPUT,
                         "granular: a %g m bed is too short: the blade starts at %g m, travels %g m and its failure "
                         "wedge reaches %g m further (need %g m)",
                         c->bed_length, x_tip0, c->blade_travel, wedge_reach(c), x_end);

    double ratio = shape_area_ratio(c);
    size_t n = c->grain_count;
    if (n == 0) n = (size_t)ceil(0.8 * c->bed_length * c->bed_depth / mean_grain_area(c, ratio));

    /* Deposition lattice above the floor: columns a grain apart. */
    double pitch = 1.05 * d_max;
    double usable = c->bed_length - 2.0 * 0.6 * d_max;
    size_t columns = (size_t)floor(usable / pitch);
    if (columns < 1) columns = 1;
    size_t rows = (n + columns - 1) / columns;
    double wall_height = d_max * (1.0 + (double)rows * 1.05) + 2.0 * c->bed_depth;

    sim s;
    st = sim_alloc(&s, c, n, floor_shape_count(c, c->bed_length) + 4);
    if (st != LSIM_OK) return st;
    if (rigid) {
        /* Flat, so no grain can be pinched between the moving tip and a fixed bump. */
        add_static_segment(&s, c, cpv(0.0, 0.0), cpv(c->bed_length, 0.0), 0.0);
        cpShapeSetFriction(s.static_shape[s.n_static - 1], c->base_friction / grain_shape_friction(c));
    } else {
        add_rough_floor(&s, c, 0.0, c->bed_length);
    }
    add_static_segment(&s, c, cpv(0.0, 0.0), cpv(0.0, wall_height), 0.0);
    add_static_segment(&s, c, cpv(c->bed_length, 0.0), cpv(c->bed_length, wall_height), 0.0);
    for (size_t i = 0; i < n; ++i) {
        size_t row = i / columns, col = i % columns;
        /* Alternate rows shift by half a pitch so the grains do not stack in columns. */
        double x = 0.6 * d_max + pitch * (col + 0.5 + 0.5 * (double)(row % 2)) - 0.25 * pitch;
        double y = d_max * (1.0 + 1.05 * (double)row);
        add_grain(&s, c, i, cpv(x, y), cpvzero);
    }
    /* Damping speeds up settling only; the cut runs undamped. */
    cpSpaceSetDamping(s.space, 0.3);
    r->settle_steps = settle(&s, c, &r->settle_kinetic_energy);
    cpSpaceSetDamping(s.space, 1.0);

    double phi, surface;
    measure_bed(&s, c, x_tip0, x_end, &phi, &surface);
    r->packing_fraction = phi;
    r->bulk_density = phi * c->grain_density;
    r->surface_height = surface;
    /* On a rigid base the blade skims the floor with a gap far smaller than
     * any grain and cuts the whole layer; on a loose one it cuts at cut_depth. */
    double tip_low = rigid ? 0.05 * c->grain_diameter_min : surface - c->cut_depth;
    r->cut_depth = surface - tip_low;
    if (!rigid && !(tip_low > 2.0 * d_max)) {
        sim_free(&s);
        return lsim_fail(LSIM_ERR_INPUT, "granular: the settled bed (%g m) is too shallow for a %g m cut", surface,
                         c->cut_depth);
    }
    if (!(r->cut_depth > 2.0 * d_max)) {
        sim_free(&s);
        return lsim_fail(LSIM_ERR_RUN, "granular: the settled layer (%g m) is under two grains deep", r->cut_depth);
    }

    /* The blade: a thin segment from the tip up and back at the rake angle to
     * blade_rise above the surface, its lowest point at the cut depth. Grains
     * where it is put are removed (a few, along a line). */
    double alpha = c->rake_angle;
    double length = (r->cut_depth + c->blade_rise) / sin(alpha);
    cpVect tip = cpv(x_tip0, tip_low + blade_radius);
    cpVect top_local = cpv(-length * cos(alpha), length * sin(alpha));
    s.blade = cpBodyNewKinematic();
    cpBodySetPosition(s.blade, tip);
    s.blade_shape = cpSegmentShapeNew(s.blade, cpvzero, top_local, blade_radius);
    cpShapeSetFriction(s.blade_shape, c->grain_friction > 0.0 ? c->blade_friction / grain_shape_friction(c) : 0.0);
    cpShapeSetElasticity(s.blade_shape, 0.0);
    cpShapeSetCollisionType(s.blade_shape, TYPE_BLADE);
    cpVect top = cpvadd(tip, top_local);
    for (size_t i = 0; i < s.n; ++i) {
        if (!s.body[i]) continue;
        cpVect p = cpBodyGetPosition(s.body[i]);
        cpVect ab = cpvsub(top, tip);
        double t = cpvdot(cpvsub(p, tip), ab) / cpvdot(ab, ab);
        t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
        double dist = cpvdist(p, cpvadd(tip, cpvmult(ab, t)));
        if (dist < s.radius[i] + blade_radius + 0.01 * d_mean) remove_grain(&s, i);
    }
    r->grain_count = live_grains(&s);
    cpSpaceAddBody(s.space, s.blade);
    cpSpaceAddShape(s.space, s.blade_shape);
    cpBodySetVelocity(s.blade, cpv(c->blade_speed, 0.0));

    blade_probe probe = {cpvzero, cpvzero};
    cpCollisionHandler *h = cpSpaceAddCollisionHandler(s.space, TYPE_BLADE, TYPE_GRAIN);
    h->postSolveFunc = blade_post_solve;
    h->userData = &probe;

    /* Drag. The force of step k is charged to the travel at its end. */
    long steps = (long)ceil(c->blade_travel / (c->blade_speed * c->dt));
    double bin_sum[LSIM_GRANULAR_PROFILE_BINS] = {0};
    long bin_count[LSIM_GRANULAR_PROFILE_BINS] = {0};
    double sum_tip = 0.0, collected_measured = 0.0;
    double sum_x = 0.0, sum_y = 0.0, sum_normal = 0.0, sum_tangential = 0.0;
    long counted = 0;
    cpVect n_face = cpv(sin(alpha), cos(alpha)); /* from the blade into the soil */
    cpVect u_face = cpv(-cos(alpha), sin(alpha)); /* up the face */
    for (long k = 0; k < steps; ++k) {
        probe.impulse = cpvzero;
        probe.tip_impulse = cpvzero;
        cpSpaceStep(s.space, c->dt);
        double travel = (double)(k + 1) * c->blade_speed * c->dt;
        if (c->collect_height > 0.0) {
            /* Spoil lifted clear of the surface goes into the bucket. */
            double y_collect = surface + c->collect_height;
            for (size_t i = 0; i < s.n; ++i) {
                if (!s.body[i] || cpBodyGetPosition(s.body[i]).y <= y_collect) continue;
                double mass = cpBodyGetMass(s.body[i]);
                r->collected_mass += mass;
                if (travel > c->measure_skip) collected_measured += mass;
                remove_grain(&s, i);
            }
        }
        /* Force of the soil on the blade; the draft is what the machine must
         * supply, i.e. minus its x component. */
        cpVect f = cpvmult(probe.impulse, 1.0 / c->dt);
        int bin = (int)(travel / c->blade_travel * LSIM_GRANULAR_PROFILE_BINS);
        if (bin >= LSIM_GRANULAR_PROFILE_BINS) bin = LSIM_GRANULAR_PROFILE_BINS - 1;
        bin_sum[bin] += -f.x;
        ++bin_count[bin];
        if (travel > c->measure_skip) {
            sum_x += -f.x;
            sum_tip += -probe.tip_impulse.x / c->dt;
            sum_y += f.y;
            sum_normal += -cpvdot(f, n_face);
            sum_tangential += cpvdot(f, u_face);
            ++counted;
        }
    }
    r->cut_steps = steps;
    r->collected_rate = collected_measured / (c->blade_travel - c->measure_skip);
    for (int b = 0; b < LSIM_GRANULAR_PROFILE_BINS; ++b)
        r->profile[b] = bin_count[b] ? bin_sum[b] / (double)bin_count[b] : 0.0;
    r->draft_force = counted ? sum_x / (double)counted : 0.0;
    r->tip_draft_force = counted ? sum_tip / (double)counted : 0.0;
    r->vertical_force = counted ? sum_y / (double)counted : 0.0;
    r->wall_friction_angle = atan2(sum_tangential, sum_normal);
    /* Standard error from the bins wholly past the skip (treated as independent). */
    {
        double m = 0.0, m2 = 0.0;
        int nb = 0;
        for (int b = 0; b < LSIM_GRANULAR_PROFILE_BINS; ++b) {
            double start = c->blade_travel * b / LSIM_GRANULAR_PROFILE_BINS;
            if (start < c->measure_skip || !bin_count[b]) continue;
            m += r->profile[b];
            m2 += r->profile[b] * r->profile[b];
            ++nb;
        }
        if (nb > 1) {
            m /= nb;
            double var = (m2 - nb * m * m) / (nb - 1);
            r->draft_force_stderr = var > 0.0 ? sqrt(var / nb) : 0.0;
        }
    }
    r->mass_per_length = r->bulk_density * r->cut_depth;
    r->specific_energy = lsim_granular_specific_energy(r->draft_force, r->bulk_density, r->cut_depth);
    r->fee_draft = lsim_granular_fee_draft(r->bulk_density * c->gravity, r->cut_depth, c->friction_angle,
                                           fee_delta(c), alpha);
    sim_free(&s);
    return LSIM_OK;
}

lsim_status lsim_granular_run_many(const lsim_granular_case *c, lsim_granular_result *r, size_t n)
{
    if (n == 0) return LSIM_OK;
    lsim_status *status = calloc(n, sizeof *status);
    char(*message)[256] = calloc(n, sizeof *message);
    if (!status || !message) {
        free(status);
        free(message);
        return lsim_fail(LSIM_ERR_RUN, "granular: out of memory for %zu cases", n);
    }
    long count = (long)n;
    /* One case per iteration, each with its own cpSpace: nothing is shared. */
#pragma omp parallel for schedule(dynamic, 1)
    for (long i = 0; i < count; ++i) {
        status[i] = lsim_granular_run(&c[i], &r[i]);
        if (status[i] != LSIM_OK) snprintf(message[i], sizeof message[i], "%s", lsim_last_error());
    }
    lsim_status st = LSIM_OK;
    for (size_t i = 0; i < n; ++i) {
        if (status[i] != LSIM_OK) {
            st = lsim_fail(status[i], "granular case %zu: %s", i, message[i]);
            break;
        }
    }
    free(status);
    free(message);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Angle of repose. */

/* Least-squares slope of the points (x, h) with lo <= h <= hi. */
static double fit_slope(const double *x, const double *h, size_t n, double lo, double hi, int *ok)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
        if (h[i] < lo || h[i] > hi) continue;
        sx += x[i];
        sy += h[i];
        sxx += x[i] * x[i];
        sxy += x[i] * h[i];
        ++k;
    }
    *ok = k >= 3;
    if (k < 3) return NAN;
    double den = (double)k * sxx - sx * sx;
    return ((double)k * sxy - sx * sy) / den;
}

lsim_status lsim_granular_repose(const lsim_granular_case *c, lsim_granular_pile *pile)
{
    memset(pile, 0, sizeof *pile);
    lsim_status st = check_case(c);
    if (st != LSIM_OK) return st;
    double ratio = shape_area_ratio(c);
    size_t n = c->grain_count;
    if (n == 0) n = (size_t)ceil(0.8 * c->bed_length * c->bed_depth / mean_grain_area(c, ratio));
    double d_max = c->grain_diameter_max, d_mean = 0.5 * (c->grain_diameter_min + d_max);
    double width = c->bed_length, xc = 0.5 * width;

    sim s;
    st = sim_alloc(&s, c, n, floor_shape_count(c, width) + 4);
    if (st != LSIM_OK) return st;
    add_rough_floor(&s, c, 0.0, width);
    add_static_segment(&s, c, cpv(0.0, 0.0), cpv(0.0, width), 0.0);
    add_static_segment(&s, c, cpv(width, 0.0), cpv(width, width), 0.0);

    /* A narrow chute: rows of three grains released a little above the heap's
     * top with a small downward speed, a new row once the last one has fallen
     * clear. The drop is kept short so grains arrive slowly and the heap
     * builds by avalanches down its flanks, as a poured pile does. */
    const int per_row = 3;
    const double v0 = 0.15;
    double row_gap = 1.1 * d_max;
    double heap_top = 0.0;
    size_t placed = 0;
    long step = 0;
    double release_y = 0.0;
    long last_release = -1000000;
    while (placed < n) {
        double fallen = 0.0;
        if (placed > 0) {
            /* how far the last row has fallen since release */
            cpVect p = cpBodyGetPosition(s.body[placed - 1]);
            fallen = release_y - p.y;
        }
        if (placed == 0 || fallen > row_gap || step - last_release > 2000) {
            heap_top = 0.0;
            for (size_t i = 0; i < placed; ++i) {
                cpVect p = cpBodyGetPosition(s.body[i]);
                if (fabs(p.x - xc) < 3.0 * d_max && cpvlength(cpBodyGetVelocity(s.body[i])) < 0.05 &&
                    p.y + s.radius[i] > heap_top)
                    heap_top = p.y + s.radius[i];
            }
            release_y = heap_top + 4.0 * d_max;
            for (int j = 0; j < per_row && placed < n; ++j) {
                double jitter = 0.2 * d_mean * (lsim_rng_uniform(c->seed, GRANULAR_STREAM_POUR, placed, 0, 0) - 0.5);
                double x = xc + (j - 0.5 * (per_row - 1)) * 1.05 * d_max + jitter;
                add_grain(&s, c, placed, cpv(x, release_y), cpv(0.0, -v0));
                ++placed;
            }
            last_release = step;
        }
        cpSpaceStep(s.space, c->dt);
        ++step;
        if (step > 50 * c->settle_steps_max) break;
    }
    cpSpaceSetDamping(s.space, 0.3);
    double ke;
    step += settle(&s, c, &ke);
    pile->steps = step;
    pile->grain_count = placed;

    /* Surface profile: the highest grain top in bins a mean grain wide. */
    size_t nb = (size_t)floor(width / d_mean);
    double *bx = calloc(nb, sizeof *bx), *bh = calloc(nb, sizeof *bh);
    if (!bx || !bh) {
        free(bx);
        free(bh);
        sim_free(&s);
        return lsim_fail(LSIM_ERR_RUN, "granular: out of memory");
    }
    for (size_t b = 0; b < nb; ++b) bx[b] = (b + 0.5) * width / nb;
    for (size_t i = 0; i < s.n; ++i) {
        cpVect p = cpBodyGetPosition(s.body[i]);
        long b = (long)floor(p.x / width * nb);
        if (b < 0 || b >= (long)nb) continue;
        if (p.y + s.radius[i] > bh[b]) bh[b] = p.y + s.radius[i];
    }
    size_t peak = 0;
    for (size_t b = 0; b < nb; ++b)
        if (bh[b] > bh[peak]) peak = b;
    double height = bh[peak];
    /* Flanks between 20% and 80% of the height: away from the rounded top and the toe. */
    int ok_l, ok_r;
    double slope_l = fit_slope(bx, bh, peak, 0.2 * height, 0.8 * height, &ok_l);
    double slope_r = fit_slope(bx + peak + 1, bh + peak + 1, nb - peak - 1, 0.2 * height, 0.8 * height, &ok_r);
    free(bx);
    free(bh);
    sim_free(&s);
    if (!ok_l || !ok_r) return lsim_fail(LSIM_ERR_RUN, "granular: the heap is too flat to fit its flanks");
    pile->angle_left = atan(fabs(slope_l));
    pile->angle_right = atan(fabs(slope_r));
    pile->angle = 0.5 * (pile->angle_left + pile->angle_right);
    pile->height = height;
    return LSIM_OK;
}

/* ------------------------------------------------------------------------ */
/* The regolith module's calibration. */

lsim_status lsim_granular_dig_calibration(lsim_granular_result *mean)
{
    enum { CASES = 2 };
    lsim_granular_case c[CASES];
    lsim_granular_result r[CASES];
    for (int k = 0; k < CASES; ++k) {
        lsim_granular_default_case(&c[k], LSIM_GRANULAR_DEFAULT_FRICTION_ANGLE);
        c[k].seed = (uint64_t)(k + 1);
    }
    lsim_status st = lsim_granular_run_many(c, r, CASES);
    if (st != LSIM_OK) return st;
    memset(mean, 0, sizeof *mean);
    for (int k = 0; k < CASES; ++k) {
        mean->draft_force += r[k].draft_force / CASES;
        mean->specific_energy += r[k].specific_energy / CASES;
        mean->packing_fraction += r[k].packing_fraction / CASES;
        mean->bulk_density += r[k].bulk_density / CASES;
        mean->cut_depth += r[k].cut_depth / CASES;
        mean->fee_draft += r[k].fee_draft / CASES;
        mean->mass_per_length += r[k].mass_per_length / CASES;
    }
    return LSIM_OK;
}
