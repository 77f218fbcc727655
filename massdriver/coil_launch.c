/* One drive stage: capacitor bank, drive coil and a bucket coil at constant
 * current, integrated by RK4. Equations and energy terms are in coil_launch.h. */
#include "coil_launch.h"

#include <math.h>
#include <stddef.h>

/* The state. The bucket's speed is carried as its gain since the trigger
 * (v − v0), which a stage changes by a small fraction of v0: carried as v, its
 * rounding (eps·v0 per step) would swamp the kinetic energy books. */
enum { Y_VOLTAGE, Y_CURRENT, Y_POSITION, Y_SPEED_GAIN, Y_HEAT, Y_TEMPERATURE, Y_COUNT };

typedef struct {
    const lsim_coil_stage *s;
    double wire_ratio;    /* m-1, wire length over wire area of the drive coil; 0 without conductor */
    double heat_capacity; /* J K-1 of the drive coil's conductor; 0 when it does not heat */
    double held_gradient; /* H m-1, dM/dx at the held bucket's position */
    int open;             /* the thyristor has opened */
    long gradient_evals;
} stage_ctx;

double lsim_coil_stage_resistance(const lsim_coil_stage *s, double temperature)
{
    double r = s->circuit_resistance;
    if (s->conductor) {
        r += lsim_coil_resistance(&s->drive, s->conductor, s->fill_factor, temperature);
    }
    return r;
}

static double ctx_resistance(const stage_ctx *c, double temperature)
{
    double r = c->s->circuit_resistance;
    if (c->wire_ratio > 0.0) {
        r += lsim_coil_resistivity(c->s->conductor, temperature) * c->wire_ratio;
    }
    return r;
}

/* dM/dx at the bucket position x; the held bucket's is computed once. */
static double ctx_gradient(stage_ctx *c, double x)
{
    if (c->s->hold_bucket) {
        return c->held_gradient;
    }
    ++c->gradient_evals;
    if (c->s->table) {
        return lsim_coil_table_gradient(c->s->table, x, NULL);
    }
    return lsim_coil_mutual_gradient(&c->s->drive, &c->s->bucket_coil, x, NULL);
}

/* The right-hand side of the stage's equations; `force` receives F. */
static void rhs(stage_ctx *c, const double *y, double *dy, double *force)
{
    const lsim_coil_stage *s = c->s;
    double v = s->hold_bucket ? 0.0 : s->speed + y[Y_SPEED_GAIN];
    if (c->open) {
        dy[Y_VOLTAGE] = dy[Y_CURRENT] = dy[Y_SPEED_GAIN] = dy[Y_HEAT] = dy[Y_TEMPERATURE] = 0.0;
        dy[Y_POSITION] = v;
        if (force) *force = 0.0;
        return;
    }
    double current = y[Y_CURRENT];
    double grad = ctx_gradient(c, y[Y_POSITION]);
    double r = ctx_resistance(c, y[Y_TEMPERATURE]);
    double f = current * s->bucket_current * grad;
    double heat = r * current * current;
    dy[Y_VOLTAGE] = -current / s->capacitance;
    dy[Y_CURRENT] = (y[Y_VOLTAGE] - r * current - s->bucket_current * grad * v) / s->inductance;
    dy[Y_POSITION] = v;
    dy[Y_SPEED_GAIN] = s->hold_bucket ? 0.0 : f / s->bucket_mass;
    dy[Y_HEAT] = heat;
    dy[Y_TEMPERATURE] = c->heat_capacity > 0.0 ? heat / c->heat_capacity : 0.0;
    if (force) *force = f;
}

/* One classical RK4 step of length h from y into out. */
static void rk4(stage_ctx *c, const double *y, double h, double *out)
{
    double k1[Y_COUNT], k2[Y_COUNT], k3[Y_COUNT], k4[Y_COUNT], tmp[Y_COUNT];
    rhs(c, y, k1, NULL);
    for (int i = 0; i < Y_COUNT; ++i) tmp[i] = y[i] + 0.5 * h * k1[i];
    rhs(c, tmp, k2, NULL);
    for (int i = 0; i < Y_COUNT; ++i) tmp[i] = y[i] + 0.5 * h * k2[i];
    rhs(c, tmp, k3, NULL);
    for (int i = 0; i < Y_COUNT; ++i) tmp[i] = y[i] + h * k3[i];
    rhs(c, tmp, k4, NULL);
    for (int i = 0; i < Y_COUNT; ++i) out[i] = y[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
}

/* The step length θ in (0, h] at which the RK4 step from y brings the current
 * (times `sign`) to zero, by Illinois false position; `out` receives that
 * step's state. f(0) = sign·I(y) > 0 and f(h) = `f_h` <= 0 on entry. */
static double locate_current_zero(stage_ctx *c, const double *y, double h, double f_h, double sign, double *out,
                                  long *steps)
{
    double lo = 0.0, f_lo = sign * y[Y_CURRENT], hi = h, f_hi = f_h;
    double scale = fabs(f_lo) + fabs(f_hi);
    int side = 0;
    double theta = h; /* `out` holds the full step's state on entry */
    for (int iter = 0; iter < 100 && f_hi != 0.0; ++iter) {
        theta = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
        if (!(theta > lo && theta < hi)) {
            theta = 0.5 * (lo + hi);
        }
        rk4(c, y, theta, out);
        ++*steps;
        double f = sign * out[Y_CURRENT];
        if (f > 0.0) {
            lo = theta;
            f_lo = f;
            if (side == -1) f_hi *= 0.5;
            side = -1;
        } else {
            hi = theta;
            f_hi = f;
            if (side == 1) f_lo *= 0.5;
            side = 1;
        }
        if (fabs(f) <= 1e-15 * scale || hi - lo <= 1e-15 * h) {
            break;
        }
    }
    return theta;
}

static void record(stage_ctx *c, double t, const double *y, lsim_coil_sample *samples, int capacity, int *n)
{
    if (!samples || *n >= capacity) {
        return;
    }
    double dy[Y_COUNT], f;
    long evals = c->gradient_evals;
    rhs(c, y, dy, &f);
    c->gradient_evals = evals; /* sampling is not part of the integration's cost */
    lsim_coil_sample *p = &samples[(*n)++];
    p->time = t;
    p->voltage = y[Y_VOLTAGE];
    p->current = y[Y_CURRENT];
    p->position = y[Y_POSITION];
    p->speed = c->s->speed + (c->s->hold_bucket ? 0.0 : y[Y_SPEED_GAIN]);
    p->force = f;
}

static int same_geometry(const lsim_coil_geometry *a, const lsim_coil_geometry *b)
{
    return a->radius == b->radius && a->radial_build == b->radial_build && a->length == b->length &&
           a->turns == b->turns && a->n_radial == b->n_radial && a->n_axial == b->n_axial;
}

static int same_pair(const lsim_coil_table *t, const lsim_coil_geometry *a, const lsim_coil_geometry *b)
{
    return t->n >= 4 && same_geometry(&t->a, a) && same_geometry(&t->b, b);
}

static lsim_status check_stage(const lsim_coil_stage *s, double step, double duration)
{
    if (!(s->capacitance > 0.0) || !(s->inductance > 0.0) || !(s->circuit_resistance >= 0.0)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil stage: capacitance %g F and inductance %g H must be > 0, "
                         "circuit resistance %g ohm >= 0", s->capacitance, s->inductance, s->circuit_resistance);
    }
    if (!s->hold_bucket && !(s->bucket_mass > 0.0)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil stage: bucket mass %g kg must be > 0", s->bucket_mass);
    }
    if (!(step > 0.0) || !(duration > 0.0)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil stage: step %g s and duration %g s must be > 0", step, duration);
    }
    if (s->conductor && (!(s->fill_factor > 0.0 && s->fill_factor <= 1.0) || !(s->drive.radial_build > 0.0) ||
                         !(s->drive.length > 0.0) || !(s->drive.turns > 0.0))) {
        return lsim_fail(LSIM_ERR_INPUT, "coil stage: a resistive drive coil needs a fill factor in (0, 1] (%g), "
                         "a radial build (%g m), a length (%g m) and turns (%g)", s->fill_factor,
                         s->drive.radial_build, s->drive.length, s->drive.turns);
    }
    const lsim_coil_geometry *g[2] = {&s->drive, &s->bucket_coil};
    for (int i = 0; i < 2; ++i) {
        if (!(g[i]->radius > 0.0) || g[i]->n_radial < 1 || g[i]->n_axial < 1 || !(g[i]->radial_build >= 0.0) ||
            !(g[i]->radial_build < 2.0 * g[i]->radius) || !(g[i]->length >= 0.0)) {
            return lsim_fail(LSIM_ERR_INPUT, "coil stage: %s coil needs radius > 0 (%g m), a radial build below "
                             "twice it (%g m), length >= 0 (%g m) and a filament grid of at least 1 x 1 (%d x %d)",
                             i == 0 ? "drive" : "bucket", g[i]->radius, g[i]->radial_build, g[i]->length,
                             g[i]->n_radial, g[i]->n_axial);
        }
    }
    if (s->table && !same_pair(s->table, &s->drive, &s->bucket_coil)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil stage: the gradient table was made for another coil pair");
    }
    /* The bucket coil passes through the drive coil: their windings must not
     * share a radius, or a filament pair would coincide on the way. */
    double gap_out = (s->drive.radius - 0.5 * s->drive.radial_build) -
                     (s->bucket_coil.radius + 0.5 * s->bucket_coil.radial_build);
    double gap_in = (s->bucket_coil.radius - 0.5 * s->bucket_coil.radial_build) -
                    (s->drive.radius + 0.5 * s->drive.radial_build);
    if (!(gap_out > 0.0) && !(gap_in > 0.0)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil stage: the bucket coil's winding (radius %g m, build %g m) overlaps "
                         "the drive coil's (radius %g m, build %g m) in radius", s->bucket_coil.radius,
                         s->bucket_coil.radial_build, s->drive.radius, s->drive.radial_build);
    }
    if (s->conductor && !(s->temperature > 0.0)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil stage: temperature %g K must be > 0", s->temperature);
    }
    return LSIM_OK;
}

lsim_status lsim_coil_stage_run(const lsim_coil_stage *s, double step, double duration,
                                lsim_coil_stage_result *result, lsim_coil_sample *samples, int capacity,
                                int *n_samples)
{
    int n = 0;
    if (n_samples) *n_samples = 0;
    lsim_status st = check_stage(s, step, duration);
    if (st != LSIM_OK) {
        return st;
    }
    stage_ctx c = {s, 0.0, 0.0, 0.0, 0, 0};
    if (s->conductor) {
        double area = s->fill_factor * s->drive.radial_build * s->drive.length / s->drive.turns;
        c.wire_ratio = lsim_coil_wire_length(&s->drive) / area;
        if (s->adiabatic) {
            c.heat_capacity = lsim_coil_conductor_mass(&s->drive, s->conductor, s->fill_factor) *
                              s->conductor->heat_capacity;
        }
    }
    if (s->hold_bucket) {
        c.held_gradient = lsim_coil_mutual_gradient(&s->drive, &s->bucket_coil, s->position, NULL);
        ++c.gradient_evals;
    }
    double y[Y_COUNT] = {s->voltage, 0.0, s->position, 0.0, 0.0, s->temperature};
    double sign = s->voltage >= 0.0 ? 1.0 : -1.0;
    lsim_coil_stage_result r = {0};
    r.switch_open_time = -1.0;
    double t = 0.0;
    record(&c, t, y, samples, capacity, &n);
    while (t < duration * (1.0 - 1e-14)) {
        /* Once the thyristor has opened the bucket coasts: one step to the end
         * is exact (RK4 integrates x' = v, v' = 0 without error). */
        double h = c.open ? duration - t : fmin(step, duration - t), next[Y_COUNT];
        rk4(&c, y, h, next);
        ++r.steps;
        int opens = 0;
        if (s->switch_mode == LSIM_COIL_SWITCH_THYRISTOR && !c.open && sign * y[Y_CURRENT] > 0.0 &&
            sign * next[Y_CURRENT] <= 0.0) {
            h = locate_current_zero(&c, y, h, sign * next[Y_CURRENT], sign, next, &r.steps);
            next[Y_CURRENT] = 0.0; /* within rounding of the located zero */
            opens = 1;
        }
        int finite = 1;
        for (int i = 0; i < Y_COUNT; ++i) finite &= isfinite(next[i]);
        if (!finite)
            return lsim_fail(LSIM_ERR_INPUT,
                             "coil stage: the integration diverged at %.3g s (the circuit is too stiff or too strongly "
                             "coupled for a step of %.3g s)",
                             t, h);
        for (int i = 0; i < Y_COUNT; ++i) y[i] = next[i];
        t += h;
        double dy[Y_COUNT], f;
        long evals = c.gradient_evals;
        rhs(&c, y, dy, &f); /* the force at the step's end, for the peak */
        c.gradient_evals = evals;
        r.peak_current = fmax(r.peak_current, fabs(y[Y_CURRENT]));
        r.peak_force = fmax(r.peak_force, fabs(f));
        if (opens) {
            c.open = 1;
            r.switch_open_time = t;
        }
        record(&c, t, y, samples, capacity, &n);
    }
    double gain = s->hold_bucket ? 0.0 : y[Y_SPEED_GAIN];
    double mutual = 0.0;
    lsim_coil_mutual_gradient(&s->drive, &s->bucket_coil, y[Y_POSITION], &mutual);
    r.time = t;
    r.voltage = y[Y_VOLTAGE];
    r.current = y[Y_CURRENT];
    r.position = y[Y_POSITION];
    r.speed = s->speed + gain;
    r.temperature = y[Y_TEMPERATURE];
    r.bank_energy_drawn = 0.5 * s->capacitance * (s->voltage - y[Y_VOLTAGE]) * (s->voltage + y[Y_VOLTAGE]);
    r.kinetic_energy_gain = 0.5 * s->bucket_mass * gain * (2.0 * s->speed + gain);
    r.ohmic_heat = y[Y_HEAT];
    r.field_energy = 0.5 * s->inductance * y[Y_CURRENT] * y[Y_CURRENT];
    r.bucket_exchange = mutual * y[Y_CURRENT] * s->bucket_current;
    r.energy_residual = r.bank_energy_drawn - (r.kinetic_energy_gain + r.ohmic_heat + r.field_energy);
    r.gradient_evals = c.gradient_evals;
    *result = r;
    if (n_samples) *n_samples = n;
    return LSIM_OK;
}
