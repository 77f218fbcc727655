/* Payload release in Chipmunk2D (see release_chipmunk.h). */
#include "release_chipmunk.h"

#include <chipmunk/chipmunk.h>
#include <chipmunk/chipmunk_structs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiet_stdout.h"
#include "rng.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

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

/* Track phases: entity = case index, step = plane * LSIM_RELEASE_CP_MAX_WAVES + wave. */
#define RELEASE_CP_STREAM (LSIM_STREAM_MASSDRIVER + 0x40)

enum { PLANE_LAUNCH = 0, PLANE_CROSS = 1, PLANES = 2 };
enum { TYPE_GUIDE = 1, TYPE_FLOOR = 2, TYPE_PAYLOAD = 3 };
enum { GUIDE_LOW = 0, GUIDE_HIGH = 1, GUIDE_REAR = 2, GUIDE_LATCH = 3, GUIDES = 4 };

typedef struct {
    cpSpace *space;
    cpBody *bucket, *payload;
    cpShape *guide[GUIDES], *payload_shape;
    cpConstraint *floor_friction; /* cross plane only */
    /* profile under the two suspension points (0 rear, 1 front) */
    int waves;
    double k[LSIM_RELEASE_CP_MAX_WAVES], a[LSIM_RELEASE_CP_MAX_WAVES];
    double rot_c[LSIM_RELEASE_CP_MAX_WAVES], rot_s[LSIM_RELEASE_CP_MAX_WAVES]; /* per step at v0 */
    double pc[2][LSIM_RELEASE_CP_MAX_WAVES], ps[2][LSIM_RELEASE_CP_MAX_WAVES]; /* cos, sin of each phase */
    double preload[2]; /* N at each point */
    /* filled by the post-solve callback during a step */
    int touched;
    double floor_normal_impulse;
    /* bookkeeping */
    int released;
    long last_touch_step;
    double impulse[2], impulse_scale, p0[2];
} plane_sim;

struct lsim_release_cp_workspace {
    plane_sim plane[PLANES];
};

void lsim_release_cp_default(lsim_release_cp_config *c)
{
    memset(c, 0, sizeof *c);
    c->payload_mass = 9.0;       /* massdriver.payload_per_launch default, [PRC1976] */
    c->payload_length = 0.25;    /* design choice: 9 kg of bagged regolith at ~1.8 t/m3 is 5e-3 m3 */
    c->payload_width = 0.14;
    c->bucket_mass = 5.0;        /* massdriver.bucket_mass default, [PRC1976] */
    c->bucket_length = 0.5;      /* design choice: twice the payload, room to slide out */
    c->clearance = 2.0e-3;       /* design choice: a loose fit that never jams */
    c->latch_gap = 1.0e-3;
    c->guide_radius = 2.0e-3;
    c->payload_rounding = 2.0e-3;
    c->friction = 0.1;           /* design choice: low-friction liner on the guides */
    c->restitution = 0.2;        /* design choice: padded guides */
    c->gravity = 1.62;           /* [MoonFactSheet] */
    c->exit_speed = 2400.0;      /* [Johnson1977] */
    c->suspension_frequency = 10.0; /* design choice: a stiff magnetic suspension */
    c->suspension_damping = 0.3;    /* design choice: electrodynamic suspensions need added damping */
    c->brake_deceleration = 288.0;  /* design choice: brake as hard as the drive pushes, [Johnson1977] */
    c->latch_time = 0.1;
    c->brake_time = 0.101;
    c->track_amplitude = 1.0e-4; /* [Johnson1977]: track alignment < 0.01 cm */
    c->wavelength_min = 1.0;     /* design choice: the stage pitch */
    c->wavelength_max = 1.0e4;   /* the 10 km track of [Johnson1977] */
    c->waves = 12;
    c->spectrum_exponent = 0.5;  /* design choice: variance per octave ~ wavelength, a random-walk profile */
    c->dt = 1.0e-4;
    c->iterations = 10;
    c->t_max = 1.0;
    c->seed = 1;
}

lsim_status lsim_release_cp_check(const lsim_release_cp_config *c)
{
    const struct {
        const char *name;
        double v, lo, hi;
    } f[] = {
        {"payload_mass", c->payload_mass, 1e-3, 1e4},
        {"payload_length", c->payload_length, 1e-3, 10.0},
        {"payload_width", c->payload_width, 1e-3, 10.0},
        {"bucket_mass", c->bucket_mass, 1e-3, 1e4},
        {"bucket_length", c->bucket_length, 1e-3, 20.0},
        {"clearance", c->clearance, 0.0, 1.0},
        {"latch_gap", c->latch_gap, 0.0, 1.0},
        {"guide_radius", c->guide_radius, 1e-5, 0.1},
        {"payload_rounding", c->payload_rounding, 0.0, 0.1},
        {"friction", c->friction, 0.0, 2.0},
        {"restitution", c->restitution, 0.0, 1.0},
        {"gravity", c->gravity, 0.0, 100.0},
        {"exit_speed", c->exit_speed, 0.0, 1e5},
        {"suspension_frequency", c->suspension_frequency, 1e-3, 1e3},
        {"suspension_damping", c->suspension_damping, 0.0, 10.0},
        {"brake_deceleration", c->brake_deceleration, 1e-3, 1e6},
        {"latch_time", c->latch_time, 0.0, 100.0},
        {"brake_time", c->brake_time, c->latch_time, 100.0},
        {"track_amplitude", c->track_amplitude, 0.0, 1.0},
        {"wavelength_min", c->wavelength_min, 1e-3, 1e7},
        {"wavelength_max", c->wavelength_max, c->wavelength_min, 1e7},
        {"spectrum_exponent", c->spectrum_exponent, -3.0, 3.0},
        {"dt", c->dt, 1e-7, 1e-2},
        {"t_max", c->t_max, c->dt, 1e3},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; ++i)
        if (!(f[i].v >= f[i].lo && f[i].v <= f[i].hi))
            return lsim_fail(LSIM_ERR_INPUT, "release (chipmunk): %s = %g outside [%g, %g]", f[i].name, f[i].v,
                             f[i].lo, f[i].hi);
    if (c->waves < 1 || c->waves > LSIM_RELEASE_CP_MAX_WAVES)
        return lsim_fail(LSIM_ERR_INPUT, "release (chipmunk): waves = %d outside [1, %d]", c->waves,
                         LSIM_RELEASE_CP_MAX_WAVES);
    if (c->iterations < 1 || c->iterations > 1000)
        return lsim_fail(LSIM_ERR_INPUT, "release (chipmunk): iterations = %d outside [1, 1000]", c->iterations);
    if (!(c->payload_length < c->bucket_length))
        return lsim_fail(LSIM_ERR_INPUT, "release (chipmunk): the payload (%g m) must be shorter than the bucket (%g m)",
                         c->payload_length, c->bucket_length);
    /* The profile is sampled once a step: keep the shortest wave above four
     * samples per period (Nyquist with margin). */
    if (c->track_amplitude > 0.0 && !(c->wavelength_min >= 4.0 * c->exit_speed * c->dt))
        return lsim_fail(LSIM_ERR_INPUT,
                         "release (chipmunk): wavelength_min %g m is under four steps of travel (%g m): lower dt",
                         c->wavelength_min, 4.0 * c->exit_speed * c->dt);
    return LSIM_OK;
}

/* ------------------------------------------------------------------------ */
/* Building the two spaces (once per workspace). */

static void on_contact(cpArbiter *arb, cpSpace *space, cpDataPointer data)
{
    (void)space;
    plane_sim *p = data;
    p->touched = 1;
    CP_ARBITER_GET_SHAPES(arb, a, b);
    if (cpShapeGetCollisionType(a) == TYPE_FLOOR || cpShapeGetCollisionType(b) == TYPE_FLOOR) {
        /* Normal impulse on the floor, along the bucket's own y axis. */
        cpVect j = cpArbiterTotalImpulse(arb);
        cpVect up = cpvrotate(cpv(0.0, 1.0), cpBodyGetRotation(p->bucket));
        p->floor_normal_impulse += fabs(cpvdot(j, up));
    }
}

static double bucket_height(const lsim_release_cp_config *c)
{
    return c->payload_width + c->clearance + 4.0 * c->guide_radius;
}

/* Guide surfaces in the bucket's frame (origin at the guides' midpoint,
 * which is the bucket's centre of mass): rear wall at -L/2, front end at +L/2.
 * Launch plane: floor surface at -w/2 (payload centre at y = 0 at rest), top
 * guide at w/2 + clearance. Cross plane: sides at +-(w/2 + clearance/2). */
static void guide_levels(const lsim_release_cp_config *c, int plane, double *low, double *high)
{
    double w = c->payload_width;
    if (plane == PLANE_LAUNCH) {
        *low = -0.5 * w;
        *high = 0.5 * w + c->clearance;
    } else {
        *low = -0.5 * w - 0.5 * c->clearance;
        *high = 0.5 * w + 0.5 * c->clearance;
    }
}

static double payload_start_x(const lsim_release_cp_config *c) { return -0.5 * c->bucket_length + 0.5 * c->payload_length; }

static cpShape *guide_segment(cpBody *b, cpVect a, cpVect z, double r, int type, const lsim_release_cp_config *c)
{
    cpShape *s = cpSegmentShapeNew(b, a, z, r);
    if (!s) return NULL;
    cpShapeSetFriction(s, c->friction);
    cpShapeSetElasticity(s, c->restitution);
    cpShapeSetCollisionType(s, type);
    return s;
}

static int build_plane(plane_sim *p, const lsim_release_cp_config *c, int plane)
{
    memset(p, 0, sizeof *p);
    lsim_once_without_stdout(&chipmunk_banner_absorbed, absorb_chipmunk_banner, NULL);
    p->space = cpSpaceNew();
    if (!p->space) return 0;
    cpSpaceSetIterations(p->space, c->iterations);
    /* Chipmunk's defaults are for pixels: allow overlaps of 1 um only. */
    cpSpaceSetCollisionSlop(p->space, 1.0e-6);
    cpSpaceSetGravity(p->space, plane == PLANE_LAUNCH ? cpv(0.0, -c->gravity) : cpvzero);

    double L = c->bucket_length, r = c->guide_radius, lo, hi;
    guide_levels(c, plane, &lo, &hi);
    p->bucket = cpBodyNew(c->bucket_mass, cpMomentForBox(c->bucket_mass, L, bucket_height(c)));
    p->guide[GUIDE_LOW] = guide_segment(p->bucket, cpv(-0.5 * L, lo - r), cpv(0.5 * L, lo - r), r,
                                        plane == PLANE_LAUNCH ? TYPE_FLOOR : TYPE_GUIDE, c);
    p->guide[GUIDE_HIGH] = guide_segment(p->bucket, cpv(-0.5 * L, hi + r), cpv(0.5 * L, hi + r), r, TYPE_GUIDE, c);
    p->guide[GUIDE_REAR] = guide_segment(p->bucket, cpv(-0.5 * L - r, lo), cpv(-0.5 * L - r, hi), r, TYPE_GUIDE, c);
    double latch_x = payload_start_x(c) + 0.5 * c->payload_length + c->latch_gap + r;
    p->guide[GUIDE_LATCH] = guide_segment(p->bucket, cpv(latch_x, lo), cpv(latch_x, hi), r, TYPE_GUIDE, c);

    double pr = c->payload_rounding, pl = c->payload_length, pw = c->payload_width;
    p->payload = cpBodyNew(c->payload_mass, cpMomentForBox(c->payload_mass, pl, pw));
    p->payload_shape = p->payload ? cpBoxShapeNew(p->payload, pl - 2.0 * pr, pw - 2.0 * pr, pr) : NULL;
    if (!p->bucket || !p->payload || !p->payload_shape) return 0;
    for (int g = 0; g < GUIDES; ++g)
        if (!p->guide[g]) return 0;
    /* Chipmunk multiplies the two shapes' coefficients: the guides carry them. */
    cpShapeSetFriction(p->payload_shape, 1.0);
    cpShapeSetElasticity(p->payload_shape, 1.0);
    cpShapeSetCollisionType(p->payload_shape, TYPE_PAYLOAD);
    if (plane == PLANE_CROSS) {
        /* The floor's friction across the track: a groove along the bucket's
         * axis holding the payload's centre, with no position correction
         * (max bias 0) and a force capped per step at mu N. */
        p->floor_friction = cpGrooveJointNew(p->bucket, p->payload, cpv(-0.5 * L, 0.0), cpv(0.5 * L, 0.0), cpvzero);
        if (!p->floor_friction) return 0;
        cpConstraintSetMaxBias(p->floor_friction, 0.0);
        cpConstraintSetErrorBias(p->floor_friction, 1.0);
    }
    for (int t = TYPE_GUIDE; t <= TYPE_FLOOR; ++t) {
        cpCollisionHandler *h = cpSpaceAddCollisionHandler(p->space, TYPE_PAYLOAD, t);
        h->postSolveFunc = on_contact;
        h->userData = p;
    }
    return 1;
}

static void free_plane(plane_sim *p)
{
    if (!p->space) return;
    /* Whatever is still in the space comes out first, then everything is freed. */
    if (p->floor_friction && cpConstraintGetSpace(p->floor_friction)) cpSpaceRemoveConstraint(p->space, p->floor_friction);
    if (p->payload_shape && cpShapeGetSpace(p->payload_shape)) cpSpaceRemoveShape(p->space, p->payload_shape);
    for (int g = 0; g < GUIDES; ++g)
        if (p->guide[g] && cpShapeGetSpace(p->guide[g])) cpSpaceRemoveShape(p->space, p->guide[g]);
    if (p->payload && cpBodyGetSpace(p->payload)) cpSpaceRemoveBody(p->space, p->payload);
    if (p->bucket && cpBodyGetSpace(p->bucket)) cpSpaceRemoveBody(p->space, p->bucket);
    if (p->floor_friction) cpConstraintFree(p->floor_friction);
    if (p->payload_shape) cpShapeFree(p->payload_shape);
    for (int g = 0; g < GUIDES; ++g)
        if (p->guide[g]) cpShapeFree(p->guide[g]);
    if (p->payload) cpBodyFree(p->payload);
    if (p->bucket) cpBodyFree(p->bucket);
    cpSpaceFree(p->space);
    memset(p, 0, sizeof *p);
}

lsim_release_cp_workspace *lsim_release_cp_workspace_new(const lsim_release_cp_config *c)
{
    lsim_release_cp_workspace *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    for (int pl = 0; pl < PLANES; ++pl) {
        if (!build_plane(&w->plane[pl], c, pl)) {
            lsim_release_cp_workspace_free(w);
            return NULL;
        }
    }
    return w;
}

void lsim_release_cp_workspace_free(lsim_release_cp_workspace *w)
{
    if (!w) return;
    for (int pl = 0; pl < PLANES; ++pl) free_plane(&w->plane[pl]);
    free(w);
}

/* ------------------------------------------------------------------------ */
/* One case. */

/* Track profile of one plane: h(s) = sum a_j sin(k_j s + phi_j), rms
 * sqrt(sum a_j^2 / 2) = track_amplitude. Phasors at the rear (s = -L/2) and
 * front (s = +L/2) suspension points at t = 0. */
static void draw_profile(plane_sim *p, const lsim_release_cp_config *c, uint64_t index, int plane)
{
    int n = c->waves;
    p->waves = n;
    double sum2 = 0.0;
    for (int j = 0; j < n; ++j) {
        double f = n > 1 ? (double)j / (double)(n - 1) : 0.0;
        double lambda = c->wavelength_min * pow(c->wavelength_max / c->wavelength_min, f);
        p->k[j] = 2.0 * M_PI / lambda;
        p->a[j] = pow(lambda, c->spectrum_exponent);
        sum2 += 0.5 * p->a[j] * p->a[j];
    }
    double scale = c->track_amplitude > 0.0 ? c->track_amplitude / sqrt(sum2) : 0.0;
    double half = 0.5 * c->bucket_length;
    for (int j = 0; j < n; ++j) {
        p->a[j] *= scale;
        double phi = 2.0 * M_PI *
                     lsim_rng_uniform(c->seed, RELEASE_CP_STREAM, index,
                                      (uint32_t)(plane * LSIM_RELEASE_CP_MAX_WAVES + j), 0);
        p->pc[0][j] = cos(phi - p->k[j] * half);
        p->ps[0][j] = sin(phi - p->k[j] * half);
        p->pc[1][j] = cos(phi + p->k[j] * half);
        p->ps[1][j] = sin(phi + p->k[j] * half);
        p->rot_c[j] = cos(p->k[j] * c->exit_speed * c->dt);
        p->rot_s[j] = sin(p->k[j] * c->exit_speed * c->dt);
    }
}

/* Height and slope of the profile under point i. */
static void profile_at(const plane_sim *p, int i, double *h, double *slope)
{
    double hs = 0.0, ds = 0.0;
    for (int j = 0; j < p->waves; ++j) {
        hs += p->a[j] * p->ps[i][j];
        ds += p->a[j] * p->k[j] * p->pc[i][j];
    }
    *h = hs;
    *slope = ds;
}

/* Advances both points' phases by the travel of one step: v0 dt (a fixed
 * rotation) plus the bucket's own along-track displacement dx in the frame
 * (a small rotation by k dx, |k dx| < 0.1, from its Taylor series to fifth
 * order, error < 2e-9 relative; past that, cos and sin). The points' own
 * along-track shift from pitch, L/2 (1 - cos theta) ~ 1e-9 m, is left out. */
static void advance_profile(plane_sim *p, double dx)
{
    for (int j = 0; j < p->waves; ++j) {
        double e = p->k[j] * dx, cs, sn;
        if (fabs(e) < 0.1) {
            double e2 = e * e;
            cs = 1.0 - 0.5 * e2 * (1.0 - e2 / 12.0 * (1.0 - e2 / 30.0));
            sn = e * (1.0 - e2 / 6.0 * (1.0 - e2 / 20.0));
        } else {
            cs = cos(e);
            sn = sin(e);
        }
        double rc = p->rot_c[j] * cs - p->rot_s[j] * sn, rs = p->rot_s[j] * cs + p->rot_c[j] * sn;
        for (int i = 0; i < 2; ++i) {
            double c0 = p->pc[i][j], s0 = p->ps[i][j];
            p->pc[i][j] = c0 * rc - s0 * rs;
            p->ps[i][j] = s0 * rc + c0 * rs;
        }
    }
}

static cpVect momentum(const plane_sim *p)
{
    return cpvadd(cpvmult(cpBodyGetVelocity(p->bucket), cpBodyGetMass(p->bucket)),
                  cpvmult(cpBodyGetVelocity(p->payload), cpBodyGetMass(p->payload)));
}

/* Takes everything out of the space and puts it back in the same order, at
 * the case's initial state: arbiters of the last case go with the shapes, and
 * restarting the shape ids gives the spatial index the same hash order, so
 * the case runs bit for bit as in a fresh space. */
static void reset_plane(plane_sim *p, const lsim_release_cp_config *c, uint64_t index, int plane)
{
    cpSpace *s = p->space;
    if (p->floor_friction && cpConstraintGetSpace(p->floor_friction)) cpSpaceRemoveConstraint(s, p->floor_friction);
    if (cpShapeGetSpace(p->payload_shape)) cpSpaceRemoveShape(s, p->payload_shape);
    for (int g = 0; g < GUIDES; ++g)
        if (cpShapeGetSpace(p->guide[g])) cpSpaceRemoveShape(s, p->guide[g]);
    if (cpBodyGetSpace(p->payload)) cpSpaceRemoveBody(s, p->payload);
    if (cpBodyGetSpace(p->bucket)) cpSpaceRemoveBody(s, p->bucket);
    s->shapeIDCounter = 0;
    s->curr_dt = 0.0;
    /* What a case may change without rebuilding: gravity, solver, contact
     * coefficients (geometry and masses are the workspace's). */
    cpSpaceSetGravity(s, plane == PLANE_LAUNCH ? cpv(0.0, -c->gravity) : cpvzero);
    cpSpaceSetIterations(s, c->iterations);
    for (int g = 0; g < GUIDES; ++g) {
        cpShapeSetFriction(p->guide[g], c->friction);
        cpShapeSetElasticity(p->guide[g], c->restitution);
    }

    draw_profile(p, c, index, plane);
    double L = c->bucket_length, h[2], slope[2];
    for (int i = 0; i < 2; ++i) profile_at(p, i, &h[i], &slope[i]);
    /* The bucket follows the track rigidly at t = 0. */
    double angle = atan2(h[1] - h[0], L);
    cpBodySetPosition(p->bucket, cpv(0.0, 0.5 * (h[0] + h[1])));
    cpBodySetAngle(p->bucket, angle);
    cpBodySetVelocity(p->bucket, cpv(0.0, 0.5 * c->exit_speed * (slope[0] + slope[1])));
    cpBodySetAngularVelocity(p->bucket, c->exit_speed * (slope[1] - slope[0]) / L);
    cpBodySetForce(p->bucket, cpvzero);
    cpBodySetTorque(p->bucket, 0.0);
    /* The payload at rest in it, against the rear wall. */
    cpVect local = cpv(payload_start_x(c), 0.0);
    cpVect world = cpBodyLocalToWorld(p->bucket, local);
    cpBodySetPosition(p->payload, world);
    cpBodySetAngle(p->payload, angle);
    cpBodySetVelocity(p->payload, cpBodyGetVelocityAtWorldPoint(p->bucket, world));
    cpBodySetAngularVelocity(p->payload, cpBodyGetAngularVelocity(p->bucket));
    cpBodySetForce(p->payload, cpvzero);
    cpBodySetTorque(p->payload, 0.0);

    cpSpaceAddBody(s, p->bucket);
    cpSpaceAddBody(s, p->payload);
    for (int g = 0; g < GUIDES; ++g) cpSpaceAddShape(s, p->guide[g]);
    cpSpaceAddShape(s, p->payload_shape);
    cpShapeSetFilter(p->guide[GUIDE_LATCH], CP_SHAPE_FILTER_ALL);
    if (p->floor_friction) {
        cpConstraintSetMaxForce(p->floor_friction, c->friction * c->payload_mass * c->gravity);
        cpSpaceAddConstraint(s, p->floor_friction);
    }

    /* Static lift: the launch plane's points carry bucket and payload at zero
     * deflection, split by the lever rule for the payload at the rear. */
    if (plane == PLANE_LAUNCH) {
        double W = (c->bucket_mass + c->payload_mass) * c->gravity;
        double diff = 2.0 * c->payload_mass * c->gravity * payload_start_x(c) / L; /* front - rear */
        p->preload[0] = 0.5 * (W - diff);
        p->preload[1] = 0.5 * (W + diff);
    } else {
        p->preload[0] = p->preload[1] = 0.0;
    }
    p->touched = 0;
    p->floor_normal_impulse = 0.0;
    p->released = 0;
    p->last_touch_step = 0;
    p->impulse[0] = p->impulse[1] = 0.0;
    p->impulse_scale = 0.0;
    cpVect m0 = momentum(p);
    p->p0[0] = m0.x;
    p->p0[1] = m0.y;
}

/* Suspension and brake forces on the bucket for the coming step; their
 * impulse (with gravity's) is added to the books. */
static void apply_forces(plane_sim *p, const lsim_release_cp_config *c, double t)
{
    double m = c->bucket_mass + c->payload_mass;
    double w = 2.0 * M_PI * c->suspension_frequency;
    double k = 0.5 * m * w * w;                        /* N m-1 per point */
    double damp = c->suspension_damping * m * w;       /* N s m-1 per point: 2 zeta sqrt(k_total m) / 2 */
    double L = c->bucket_length;
    cpBodySetForce(p->bucket, cpvzero);
    cpBodySetTorque(p->bucket, 0.0);
    double fx = 0.0, fy = 0.0;
    for (int i = 0; i < 2; ++i) {
        double h, slope;
        profile_at(p, i, &h, &slope);
        cpVect point = cpBodyLocalToWorld(p->bucket, cpv(i ? 0.5 * L : -0.5 * L, 0.0));
        cpVect v = cpBodyGetVelocityAtWorldPoint(p->bucket, point);
        double f = p->preload[i] - k * (point.y - h) - damp * (v.y - (c->exit_speed + v.x) * slope);
        cpBodyApplyForceAtWorldPoint(p->bucket, cpv(0.0, f), point);
        fy += f;
    }
    if (t >= c->brake_time) {
        double f = -c->bucket_mass * c->brake_deceleration;
        cpBodyApplyForceAtWorldPoint(p->bucket, cpv(f, 0.0), cpBodyGetPosition(p->bucket));
        fx += f;
    }
    cpVect g = cpSpaceGetGravity(p->space);
    double jx = (fx + m * g.x) * c->dt, jy = (fy + m * g.y) * c->dt;
    p->impulse[0] += jx;
    p->impulse[1] += jy;
    p->impulse_scale += fabs(fx * c->dt) + fabs(fy * c->dt) + m * (fabs(g.x) + fabs(g.y)) * c->dt;
}

/* The payload is clear of the bucket when its rear edge has passed the
 * guides' front end. */
static int clear_of_bucket(const plane_sim *p, const lsim_release_cp_config *c)
{
    cpVect local = cpBodyWorldToLocal(p->bucket, cpBodyGetPosition(p->payload));
    double reach = 0.5 * hypot(c->payload_length, c->payload_width);
    return local.x - reach > 0.5 * c->bucket_length + c->guide_radius;
}

lsim_status lsim_release_cp_run_case(lsim_release_cp_workspace *w, const lsim_release_cp_config *c, uint64_t index,
                                     lsim_release_cp_case *r)
{
    memset(r, 0, sizeof *r);
    for (int pl = 0; pl < PLANES; ++pl) reset_plane(&w->plane[pl], c, index, pl);
    plane_sim *launch = &w->plane[PLANE_LAUNCH], *cross = &w->plane[PLANE_CROSS];
    long steps = (long)ceil(c->t_max / c->dt);
    double normal_force = c->payload_mass * c->gravity; /* the floor's, from the launch plane's last step */
    long n;
    for (n = 0; n < steps && !(launch->released && cross->released); ++n) {
        double t = (double)n * c->dt;
        for (int pl = 0; pl < PLANES; ++pl) {
            plane_sim *p = &w->plane[pl];
            if (p->released) continue;
            if (t >= c->latch_time) cpShapeSetFilter(p->guide[GUIDE_LATCH], CP_SHAPE_FILTER_NONE);
            int on_floor = 0;
            if (p->floor_friction) {
                /* Coulomb cap from the floor's normal force; off once the
                 * payload's centre has left the floor. */
                cpVect local = cpBodyWorldToLocal(p->bucket, cpBodyGetPosition(p->payload));
                double cap = local.x < 0.5 * c->bucket_length ? c->friction * normal_force : 0.0;
                cpConstraintSetMaxForce(p->floor_friction, cap);
                on_floor = cap > 0.0;
            }
            apply_forces(p, c, t);
            double x0 = cpBodyGetPosition(p->bucket).x;
            p->touched = 0;
            p->floor_normal_impulse = 0.0;
            cpSpaceStep(p->space, c->dt);
            advance_profile(p, cpBodyGetPosition(p->bucket).x - x0);
            if (p->touched || on_floor) p->last_touch_step = n + 1;
        }
        if (!launch->released) normal_force = launch->floor_normal_impulse / c->dt;
        for (int pl = 0; pl < PLANES; ++pl) {
            plane_sim *p = &w->plane[pl];
            if (p->released || !clear_of_bucket(p, c)) continue;
            p->released = 1;
            /* Velocity at the last contact: since then only gravity acted. */
            long free_steps = n + 1 - p->last_touch_step;
            cpVect g = cpSpaceGetGravity(p->space);
            cpVect v = cpvsub(cpBodyGetVelocity(p->payload), cpvmult(g, (double)free_steps * c->dt));
            r->release_time[pl] = (double)p->last_touch_step * c->dt;
            if (pl == PLANE_LAUNCH) {
                r->dv[0] += v.x;
                r->dv[1] = v.y;
            } else {
                r->dv[0] += v.x;
                r->dv[2] = v.y;
            }
            cpVect m1 = momentum(p);
            r->momentum_change[pl][0] = m1.x - p->p0[0];
            r->momentum_change[pl][1] = m1.y - p->p0[1];
            r->external_impulse[pl][0] = p->impulse[0];
            r->external_impulse[pl][1] = p->impulse[1];
            r->impulse_scale[pl] = p->impulse_scale;
        }
    }
    r->steps = n;
    if (!(launch->released && cross->released))
        return lsim_fail(LSIM_ERR_RUN, "release (chipmunk) case %llu: the payload is still in the bucket after %g s",
                         (unsigned long long)index, c->t_max);
    return LSIM_OK;
}

void lsim_release_cp_step_raw(lsim_release_cp_workspace *w, const lsim_release_cp_config *c, uint64_t index,
                              long steps)
{
    for (int pl = 0; pl < PLANES; ++pl) reset_plane(&w->plane[pl], c, index, pl);
    for (long n = 0; n < steps; ++n)
        for (int pl = 0; pl < PLANES; ++pl) cpSpaceStep(w->plane[pl].space, c->dt);
}

/* ------------------------------------------------------------------------ */
/* Many cases. */

lsim_status lsim_release_cp_run(const lsim_release_cp_config *c, size_t n, lsim_release_cp_case *cases,
                                lsim_release_cp_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    lsim_status st = lsim_release_cp_check(c);
    if (st != LSIM_OK) return st;
    if (n < 2) return lsim_fail(LSIM_ERR_INPUT, "release (chipmunk): %zu cases; a covariance needs at least 2", n);
    int threads = 1;
#if defined(_OPENMP)
    threads = omp_get_max_threads();
#endif
    if ((size_t)threads > n) threads = (int)n;
    lsim_release_cp_case *r = cases ? cases : calloc(n, sizeof *r);
    lsim_release_cp_workspace **ws = calloc((size_t)threads, sizeof *ws);
    lsim_status *status = calloc(n, sizeof *status);
    char(*message)[256] = calloc(n, sizeof *message);
    int ok = r && ws && status && message;
    /* Workspaces are built here, one thread at a time (cpSpaceNew's banner
     * flag in the debug build is not thread-safe). */
    for (int t = 0; ok && t < threads; ++t) ok = (ws[t] = lsim_release_cp_workspace_new(c)) != NULL;
    if (ok) {
        long count = (long)n;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 4)
        for (long i = 0; i < count; ++i) {
            int t = 0;
#if defined(_OPENMP)
            t = omp_get_thread_num();
#endif
            status[i] = lsim_release_cp_run_case(ws[t], c, (uint64_t)i, &r[i]);
            if (status[i] != LSIM_OK) snprintf(message[i], sizeof message[i], "%s", lsim_last_error());
        }
        for (size_t i = 0; i < n && st == LSIM_OK; ++i)
            if (status[i] != LSIM_OK) st = lsim_fail(status[i], "%s", message[i]);
    } else {
        st = lsim_fail(LSIM_ERR_RUN, "release (chipmunk): out of memory for %zu cases", n);
    }
    if (st == LSIM_OK) {
        /* Reduction in index order: two passes (mean, then centred sums). */
        stats->cases = n;
        for (size_t i = 0; i < n; ++i) {
            for (int a = 0; a < 3; ++a) stats->mean[a] += r[i].dv[a];
            stats->mean_release_time += 0.5 * (r[i].release_time[0] + r[i].release_time[1]);
            for (int pl = 0; pl < PLANES; ++pl) {
                double res = hypot(r[i].momentum_change[pl][0] - r[i].external_impulse[pl][0],
                                   r[i].momentum_change[pl][1] - r[i].external_impulse[pl][1]);
                double rel = r[i].impulse_scale[pl] > 0.0 ? res / r[i].impulse_scale[pl] : res;
                if (rel > stats->max_momentum_residual) stats->max_momentum_residual = rel;
            }
        }
        for (int a = 0; a < 3; ++a) stats->mean[a] /= (double)n;
        stats->mean_release_time /= (double)n;
        for (size_t i = 0; i < n; ++i)
            for (int a = 0; a < 3; ++a)
                for (int b = 0; b < 3; ++b)
                    stats->cov[a][b] += (r[i].dv[a] - stats->mean[a]) * (r[i].dv[b] - stats->mean[b]);
        for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b) stats->cov[a][b] /= (double)(n - 1);
        for (int a = 0; a < 3; ++a) stats->sigma[a] = sqrt(stats->cov[a][a]);
        for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b) {
                double d = stats->sigma[a] * stats->sigma[b];
                stats->corr[a][b] = d > 0.0 ? stats->cov[a][b] / d : (a == b ? 1.0 : 0.0);
            }
    }
    for (int t = 0; ws && t < threads; ++t) lsim_release_cp_workspace_free(ws[t]);
    free(ws);
    free(status);
    free(message);
    if (!cases) free(r);
    return st;
}

lsim_status lsim_release_cp_to_errors(const lsim_release_cp_stats *s, double exit_speed, lsim_release_errors *e)
{
    if (!(exit_speed > 0.0)) return lsim_fail(LSIM_ERR_INPUT, "release (chipmunk): exit speed %g m/s", exit_speed);
    const double scale[3] = {1.0, 1.0 / exit_speed, 1.0 / exit_speed};
    double cov[3][3];
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) cov[a][b] = s->cov[a][b] * scale[a] * scale[b];
    /* Symmetric by construction: average the two halves' round-off anyway. */
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < a; ++b) cov[a][b] = cov[b][a] = 0.5 * (cov[a][b] + cov[b][a]);
    return lsim_release_set_covariance(e, cov);
}

/* ------------------------------------------------------------------------ */
/* massdriver.release_model */

static const char *const SECTION = "massdriver";

/* gaussian: the launcher variant's independent errors stay as they are. */
static lsim_status finalise_gaussian(const lsim_params *params, lsim_launcher_design *d, lsim_release_cp_stats *stats)
{
    (void)params;
    (void)d;
    memset(stats, 0, sizeof *stats);
    return LSIM_OK;
}

/* chipmunk: the deck's payload, bucket, speed, track and release rows; the
 * payload's size scales as (mass / 9 kg)^(1/3) from the default 0.25 m x
 * 0.14 m (same density), the guides with it. Fixed seed: the covariance is a
 * property of the design, the same in every run (the run's seed drives the
 * per-launch draws). */
/* The last release computations of this process, by their whole input:
 * sweep members that vary anything but the release (most do) share one,
 * instead of each paying its ~0.7 s of cases at init, and a member checked
 * before the sweep runs finds its release again when it runs. The cases are
 * deterministic, so a hit is bitwise what a new computation gives. */
enum { RELEASE_MEMO_SLOTS = 1024 }; /* ~0.6 kB each: a sweep of a thousand launchers per process fits */
static struct {
    int used;
    size_t cases;
    lsim_release_cp_config config;
    lsim_release_cp_stats stats;
} release_memo[RELEASE_MEMO_SLOTS];
static unsigned release_memo_next;

static int release_memo_find(const lsim_release_cp_config *c, size_t n, lsim_release_cp_stats *stats)
{
    int hit = 0;
#if defined(_OPENMP)
#pragma omp critical(lsim_release_memo)
#endif
    for (int k = 0; k < RELEASE_MEMO_SLOTS && !hit; ++k)
        if (release_memo[k].used && release_memo[k].cases == n && memcmp(&release_memo[k].config, c, sizeof *c) == 0) {
            *stats = release_memo[k].stats;
            hit = 1;
        }
    return hit;
}

static void release_memo_store(const lsim_release_cp_config *c, size_t n, const lsim_release_cp_stats *stats)
{
#if defined(_OPENMP)
#pragma omp critical(lsim_release_memo)
#endif
    {
        unsigned k = release_memo_next++ % RELEASE_MEMO_SLOTS;
        release_memo[k].used = 1;
        release_memo[k].cases = n;
        release_memo[k].config = *c;
        release_memo[k].stats = *stats;
    }
}

static lsim_status finalise_chipmunk(const lsim_params *params, lsim_launcher_design *d, lsim_release_cp_stats *stats)
{
    lsim_release_cp_config c;
    memset(&c, 0, sizeof c); /* padding too: the memo compares the bytes */
    lsim_release_cp_default(&c);
    double size = cbrt(d->payload_per_launch / c.payload_mass);
    c.payload_length *= size;
    c.payload_width *= size;
    c.bucket_length *= size;
    c.payload_mass = d->payload_per_launch;
    c.bucket_mass = d->bucket_mass;
    c.exit_speed = d->exit_speed;
    c.wavelength_max = d->track_length > c.wavelength_min ? d->track_length : c.wavelength_min;
    c.brake_deceleration = lsim_param_real(params, SECTION, "acceleration");
    c.track_amplitude = lsim_param_real(params, SECTION, "release_track_alignment");
    c.friction = lsim_param_real(params, SECTION, "release_guide_friction");
    c.restitution = lsim_param_real(params, SECTION, "release_restitution");
    c.suspension_frequency = lsim_param_real(params, SECTION, "release_suspension_frequency");
    c.suspension_damping = lsim_param_real(params, SECTION, "release_suspension_damping");
    size_t n = (size_t)lsim_param_int(params, SECTION, "release_cases");
    if (!release_memo_find(&c, n, stats)) {
        lsim_status st = lsim_release_cp_run(&c, n, NULL, stats);
        if (st != LSIM_OK) return st;
        release_memo_store(&c, n, stats);
    }
    return lsim_release_cp_to_errors(stats, d->exit_speed, &d->release);
}

#define LSIM_RELEASE_MODEL_ROW_(name, doc) {LSIM_VARIANT_HEAD(name, doc), finalise_##name},
static const lsim_release_model release_models[] = {LSIM_RELEASE_MODELS(LSIM_RELEASE_MODEL_ROW_)};

lsim_status lsim_massdriver_release_finalise(const lsim_params *params, lsim_launcher_design *design,
                                             lsim_release_cp_stats *stats)
{
    const char *name = lsim_param_text(params, SECTION, "release_model");
    const lsim_release_model *m = LSIM_VARIANT_FIND(release_models, name);
    LSIM_ASSERT(m != NULL, "massdriver.release_model '%s' has no row in the release table", name);
    return m->finalise(params, design, stats);
}

void lsim_massdriver_release_write(const lsim_release_cp_stats *s, double exit_speed, lsim_series_registry *reg,
                                   const char *group)
{
    if (!reg || s->cases == 0) return;
    static const char *const comp[3] = {"along", "normal", "cross"};
    char name[96];
    lsim_series_group_attr(reg, group, "release_cases", (double)s->cases, "1");
    for (int a = 0; a < 3; ++a) {
        snprintf(name, sizeof name, "release_mean_%s", comp[a]);
        lsim_series_group_attr(reg, group, name, s->mean[a], "m s-1");
        snprintf(name, sizeof name, "release_sigma_%s", comp[a]);
        lsim_series_group_attr(reg, group, name, s->sigma[a], "m s-1");
        if (a > 0) {
            snprintf(name, sizeof name, "release_sigma_%s_angle", comp[a]);
            lsim_series_group_attr(reg, group, name, s->sigma[a] / exit_speed, "rad");
        }
    }
    lsim_series_group_attr(reg, group, "release_corr_along_normal", s->corr[0][1], "1");
    lsim_series_group_attr(reg, group, "release_corr_along_cross", s->corr[0][2], "1");
    lsim_series_group_attr(reg, group, "release_corr_normal_cross", s->corr[1][2], "1");
    lsim_series_group_attr(reg, group, "release_mean_time", s->mean_release_time, "s");
}
