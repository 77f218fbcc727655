/* The coil-by-coil mass driver's design solve (coil_design.h has the method). */
#include "coil_design.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

/* The table spans the bucket coil's path through one stage: from its trigger
 * one pitch before the coil to half a pitch past it (a late switch), with a
 * margin; beyond it the direct filament sum takes over. Nodes: design choice,
 * 401 keeps the cubic's error ~1e-5 of dM/dx at the default 0.5 m pitch and
 * costs ~1 ms to build. */
enum { TABLE_NODES = 401 };

/* Figures of a stage taken per unit of its kinetic gain, interpolated in
 * design speed: every stage gains the same m a_m p, so losses scale with it. */
typedef struct {
    double loss_ratio;  /* (heat + field) / kinetic gain */
    double heat_ratio;  /* heat / kinetic gain */
    double coil_ratio;  /* coil heat / kinetic gain */
} ratios;

/* Design entry speed of stage n: u_n² = u_0² + 2 a_m p n. */
static double design_speed(const lsim_coil_design *d, double a_m, double n)
{
    double u0 = d->in.injection_speed;
    return sqrt(u0 * u0 + 2.0 * a_m * d->in.stage_pitch * n);
}

static double coil_share(const lsim_coil_design *d)
{
    return d->coil_resistance / (d->coil_resistance + d->in.circuit_resistance);
}

/* The stage template: hardware from the input, bank and bucket filled per run. */
static lsim_coil_stage stage_template(const lsim_coil_design *d)
{
    lsim_coil_stage s;
    memset(&s, 0, sizeof s);
    s.inductance = d->inductance;
    s.circuit_resistance = d->in.circuit_resistance;
    s.switch_mode = LSIM_COIL_SWITCH_THYRISTOR;
    s.drive = d->in.drive;
    s.conductor = d->in.conductor;
    s.fill_factor = d->in.fill_factor;
    s.temperature = d->in.temperature_limit;
    s.adiabatic = 0;
    s.bucket_coil = d->in.bucket;
    s.bucket_current = d->in.bucket_current;
    s.position = -d->in.stage_pitch;
    s.table = &d->table;
    return s;
}

/* Runs stage `s` whose design transit over the pitch is `tau`: capacitance
 * from the half-period π sqrt(LC) = τ, steps of τ/steps_per_pulse, and time
 * enough (2τ) for the thyristor to open; after it opens the bucket coasts. */
static lsim_status run_stage(const lsim_coil_design *d, lsim_coil_stage *s, double tau, int steps_per_pulse,
                             lsim_coil_stage_result *r, lsim_coil_sample *samples, int capacity, int *n_samples)
{
    s->capacitance = (tau / PI) * (tau / PI) / d->inductance;
    return lsim_coil_stage_run(s, tau / steps_per_pulse, 2.0 * tau, r, samples, capacity, n_samples);
}

/* Fills a class record from a run and its samples. */
static void fill_class(const lsim_coil_design *d, const lsim_coil_stage *s, const lsim_coil_stage_result *r,
                       const lsim_coil_sample *samples, int n_samples, lsim_coil_class *c)
{
    c->entry_speed = s->speed;
    c->exit_speed = r->speed;
    c->capacitance = s->capacitance;
    c->voltage = s->voltage;
    c->peak_current = r->peak_current;
    c->peak_force = r->peak_force;
    c->heat = r->ohmic_heat;
    c->coil_heat = r->ohmic_heat * coil_share(d);
    c->bank_energy_drawn = r->bank_energy_drawn;
    c->kinetic_gain = r->kinetic_energy_gain;
    c->field_left = r->field_energy;
    c->pulse_time = r->switch_open_time >= 0.0 ? r->switch_open_time : r->time;
    double pv = fabs(s->voltage), pp = 0.0;
    for (int i = 0; i < n_samples; ++i) {
        pv = fmax(pv, fabs(samples[i].voltage));
        pp = fmax(pp, fabs(samples[i].voltage * samples[i].current));
    }
    c->peak_voltage = pv;
    c->peak_power = pp;
}

/* Solves the bank voltage of an accelerating stage entering at u_in so the
 * bucket leaves it at u_out: secant on g(V) = v_out(V) − u_out, which is
 * nearly affine in V (the circuit is linear in V and the bucket's path over
 * one stage is nearly fixed). Converges to 1e-12 of the gain in ~4 runs. */
static lsim_status solve_stage(const lsim_coil_design *d, double u_in, double u_out, double mass,
                               lsim_coil_stage *s, lsim_coil_stage_result *r, lsim_coil_sample *samples,
                               int capacity, int *n_samples)
{
    double gain = u_out - u_in;
    double tau = 2.0 * d->in.stage_pitch / (u_in + u_out);
    *s = stage_template(d);
    s->speed = u_in;
    s->bucket_mass = mass;
    s->capacitance = (tau / PI) * (tau / PI) / d->inductance;
    /* First guess: the kinetic gain from a bank that converts half its energy. */
    double ke = 0.5 * mass * gain * (u_in + u_out);
    double v0 = sqrt(4.0 * ke / s->capacitance), v1 = 1.2 * v0;
    s->voltage = v0;
    lsim_status st = run_stage(d, s, tau, d->in.steps_per_pulse, r, samples, capacity, n_samples);
    if (st != LSIM_OK) return st;
    double g0 = r->speed - u_out;
    for (int iter = 0; iter < 40; ++iter) {
        s->voltage = v1;
        st = run_stage(d, s, tau, d->in.steps_per_pulse, r, samples, capacity, n_samples);
        if (st != LSIM_OK) return st;
        double g1 = r->speed - u_out;
        if (fabs(g1) <= 1e-12 * gain || g1 == g0) break;
        double v2 = v1 - g1 * (v1 - v0) / (g1 - g0);
        /* Guard: at most a factor 10 per iteration, and positive. */
        if (!(v2 > 0.0) || !isfinite(v2)) v2 = g1 < 0.0 ? 2.0 * v1 : 0.5 * v1;
        v2 = fmin(fmax(v2, 0.1 * v1), 10.0 * v1);
        v0 = v1;
        g0 = g1;
        v1 = v2;
    }
    /* The model's premise: a stage changes the bucket's speed by a small part
     * of it, forward. A coil pair so strongly coupled that the induced current
     * alone stops or reverses the bucket has no solution here. */
    if (!(fabs(r->speed - u_out) <= 1e-6 * gain) || !(r->kinetic_energy_gain > 0.0) || !isfinite(r->ohmic_heat)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil launcher: no bank voltage brings the bucket from %g to %g m/s in "
                         "one stage (reached %g m/s at %g V): the coils are too strongly coupled for one stage to "
                         "change the speed by a small part (fewer turns or bucket ampere-turns, more resistance)",
                         u_in, u_out, r->speed, s->voltage);
    }
    return LSIM_OK;
}

/* The representative stage indices: 0, 1, 2, 4, 8, ... and N−1. */
static int class_indices(long n_stages, double *idx)
{
    int k = 0;
    idx[k++] = 0.0;
    for (double n = 1.0; n < (double)(n_stages - 1) && k < LSIM_COIL_MAX_CLASSES - 1; n *= 2.0) idx[k++] = n;
    if (n_stages > 1) idx[k++] = (double)(n_stages - 1);
    return k;
}

/* Index of the class interval holding design speed u (lerp between k, k+1). */
static int class_interval(const lsim_coil_design *d, double u, double *w)
{
    int k = 0;
    while (k + 2 < d->n_classes && d->cls[k + 1].entry_speed < u) ++k;
    if (d->n_classes < 2) {
        *w = 0.0;
        return 0;
    }
    double u0 = d->cls[k].entry_speed, u1 = d->cls[k + 1].entry_speed;
    *w = u1 > u0 ? fmin(fmax((u - u0) / (u1 - u0), 0.0), 1.0) : 0.0;
    return k;
}

static double lerp_class(const lsim_coil_design *d, int k, double w, size_t offset)
{
    const double *a = (const double *)((const char *)&d->cls[k] + offset);
    if (d->n_classes < 2) return *a;
    const double *b = (const double *)((const char *)&d->cls[k + 1] + offset);
    return *a + w * (*b - *a);
}

static ratios class_ratios(const lsim_coil_class *c)
{
    ratios q;
    q.loss_ratio = (c->heat + c->field_left) / c->kinetic_gain;
    q.heat_ratio = c->heat / c->kinetic_gain;
    q.coil_ratio = c->coil_heat / c->kinetic_gain;
    return q;
}

void lsim_coil_design_bank(const lsim_coil_design *d, long n, double *capacitance, double *voltage)
{
    double w, u = design_speed(d, d->mean_acceleration, (double)n);
    int k = class_interval(d, u, &w);
    /* 1/sqrt(C) ∝ 1/τ ∝ speed: interpolated in that form, C is exact for a
     * constant-acceleration stage sequence; V ∝ speed at high speed. */
    double a = 1.0 / sqrt(d->cls[k].capacitance);
    double b = d->n_classes > 1 ? 1.0 / sqrt(d->cls[k + 1].capacitance) : a;
    double q = a + w * (b - a);
    *capacitance = 1.0 / (q * q);
    *voltage = lerp_class(d, k, w, offsetof(lsim_coil_class, voltage));
}

/* One pass of the accelerator design at mean acceleration a_m (rounded down so
 * N whole stages reach the exit speed). */
static lsim_status design_accelerator(lsim_coil_design *d, double a_m, lsim_coil_sample *samples, int capacity)
{
    const lsim_coil_design_input *in = &d->in;
    double p = in->stage_pitch, v = in->exit_speed, mass = in->payload_mass + in->bucket_mass;
    double u0 = in->injection_speed;
    double n_real = ceil((v - u0) * (v + u0) / (2.0 * a_m * p));
    if (n_real > 1e12) {
        return lsim_fail(LSIM_ERR_INPUT, "coil launcher: %.3g stages of %g m at %g m s-2 is no design", n_real, p,
                         a_m);
    }
    d->stages = n_real < 1.0 ? 1 : (long)n_real;
    d->mean_acceleration = (v - u0) * (v + u0) / (2.0 * p * (double)d->stages);
    double idx[LSIM_COIL_MAX_CLASSES];
    d->n_classes = class_indices(d->stages, idx);
    d->peak_acceleration = 0.0;
    for (int k = 0; k < d->n_classes; ++k) {
        double u_in = design_speed(d, d->mean_acceleration, idx[k]);
        double u_out = design_speed(d, d->mean_acceleration, idx[k] + 1.0);
        lsim_coil_stage s;
        lsim_coil_stage_result r;
        int n_samples = 0;
        lsim_status st = solve_stage(d, u_in, u_out, mass, &s, &r, samples, capacity, &n_samples);
        if (st != LSIM_OK) return st;
        lsim_coil_class *c = &d->cls[k];
        fill_class(d, &s, &r, samples, n_samples, c);
        c->stage = idx[k];
        c->position = idx[k] * p;
        c->bank_energy = 0.5 * s.capacitance * s.voltage * s.voltage;
        d->peak_acceleration = fmax(d->peak_acceleration, r.peak_force / mass);
    }
    return LSIM_OK;
}

/* Braking: the empty bucket passes stages whose coils are connected the other
 * way round (bucket current reversed) and whose banks start empty; the
 * bucket's field induces the current, which brakes the bucket and charges the
 * bank until the thyristor opens. Representative stages at speeds geometric
 * from the exit speed down to the return speed; the number of stages is
 * ∫ dw / |Δw(w)| and the energy recovered ∫ E_rec(w) / |Δw(w)| dw, by the
 * trapezoid rule on those speeds. */
static lsim_status design_brake(lsim_coil_design *d, lsim_coil_sample *samples, int capacity)
{
    const lsim_coil_design_input *in = &d->in;
    double v_hi = in->exit_speed, v_lo = fmin(in->injection_speed, in->exit_speed);
    int nb = LSIM_COIL_BRAKE_CLASSES;
    d->n_brake = nb;
    double dwdn[LSIM_COIL_BRAKE_CLASSES];
    for (int j = 0; j < nb; ++j) {
        double w = v_hi * pow(v_lo / v_hi, (double)j / (nb - 1));
        lsim_coil_stage s = stage_template(d);
        s.speed = w;
        s.bucket_mass = in->bucket_mass;
        s.bucket_current = -in->bucket_current;
        s.voltage = 0.0;
        lsim_coil_stage_result r;
        int n_samples = 0;
        lsim_status st = run_stage(d, &s, in->stage_pitch / w, in->steps_per_pulse, &r, samples, capacity,
                                   &n_samples);
        if (st != LSIM_OK) return st;
        if (!(r.speed > 0.5 * w) || !(r.speed <= w) || !isfinite(r.ohmic_heat)) {
            return lsim_fail(LSIM_ERR_INPUT, "coil launcher: one braking stage takes the empty bucket from %g to %g "
                             "m/s: the coils are too strongly coupled for stage-by-stage braking", w, r.speed);
        }
        lsim_coil_class *c = &d->brake[j];
        fill_class(d, &s, &r, samples, n_samples, c);
        c->bank_energy = -r.bank_energy_drawn;
        /* A stage that cannot brake (no current) would need infinitely many:
         * floor the loss at 1e-9 of the speed so the integral stays finite
         * and the braker very long, which the masses then show. */
        dwdn[j] = fmax(w - r.speed, 1e-9 * w);
    }
    double n_b = 0.0, rec = 0.0, heat = 0.0, t = 0.0;
    d->brake[0].stage = 0.0;
    for (int j = 0; j + 1 < nb; ++j) {
        double w0 = d->brake[j].entry_speed, w1 = d->brake[j + 1].entry_speed, dw = w0 - w1;
        n_b += 0.5 * dw * (1.0 / dwdn[j] + 1.0 / dwdn[j + 1]);
        rec += 0.5 * dw * (d->brake[j].bank_energy / dwdn[j] + d->brake[j + 1].bank_energy / dwdn[j + 1]);
        heat += 0.5 * dw * (d->brake[j].heat / dwdn[j] + d->brake[j + 1].heat / dwdn[j + 1]);
        t += 0.5 * dw * in->stage_pitch * (1.0 / (w0 * dwdn[j]) + 1.0 / (w1 * dwdn[j + 1]));
        d->brake[j + 1].stage = n_b;
    }
    for (int j = 0; j < nb; ++j) d->brake[j].position = d->track_length + d->brake[j].stage * in->stage_pitch;
    /* The bank cannot get back more than the bucket's kinetic energy lost; the
     * trapezoid sum could exceed it by its truncation error only. */
    double ke_lost = 0.5 * in->bucket_mass * (v_hi - v_lo) * (v_hi + v_lo);
    d->brake_stages = ceil(n_b);
    d->brake_length = d->brake_stages * in->stage_pitch;
    d->energy_recovered = fmin(fmax(rec, 0.0), ke_lost);
    d->brake_heat = heat;
    d->brake_time = t;
    return LSIM_OK;
}

/* Sums of the accelerator's figures over every stage (interpolated ratios
 * times the common kinetic gain m a_m p); strided above 1e5 stages. */
static void accelerator_totals(lsim_coil_design *d)
{
    const lsim_coil_design_input *in = &d->in;
    double mass = in->payload_mass + in->bucket_mass, p = in->stage_pitch;
    double ke_stage = mass * d->mean_acceleration * p;
    long stride = d->stages > 100000 ? (d->stages + 99999) / 100000 : 1;
    double loss = 0.0, heat = 0.0, coil = 0.0, bank = 0.0;
    for (long n = 0; n < d->stages; n += stride) {
        double w, u = design_speed(d, d->mean_acceleration, (double)n);
        int k = class_interval(d, u, &w);
        ratios a = class_ratios(&d->cls[k]), b = d->n_classes > 1 ? class_ratios(&d->cls[k + 1]) : a;
        double count = (double)(n + stride <= d->stages ? stride : d->stages - n);
        loss += count * (a.loss_ratio + w * (b.loss_ratio - a.loss_ratio));
        heat += count * (a.heat_ratio + w * (b.heat_ratio - a.heat_ratio));
        coil += count * (a.coil_ratio + w * (b.coil_ratio - a.coil_ratio));
        bank += count * lerp_class(d, k, w, offsetof(lsim_coil_class, bank_energy));
    }
    /* The loader brings the payload to the injection speed (lossless here:
     * ½ m_p u_0², 0.2% of the launch at the defaults); the bucket keeps its
     * return speed round the loop. */
    double u0 = in->injection_speed;
    d->kinetic_energy = 0.5 * mass * in->exit_speed * in->exit_speed;
    d->bank_energy_drawn = ke_stage * ((double)d->stages + loss) + 0.5 * in->payload_mass * u0 * u0 +
                           0.5 * in->bucket_mass * u0 * u0;
    d->efficiency = d->kinetic_energy / d->bank_energy_drawn;
    d->heat = ke_stage * heat;
    d->coil_heat = ke_stage * coil;
    d->bank_energy = bank;
    d->track_length = (double)d->stages * p;
    d->acceleration_time = (in->exit_speed - u0) / d->mean_acceleration;
    d->peak_power = d->peak_force = d->peak_current = d->peak_voltage = d->max_stage_coil_heat = 0.0;
    for (int k = 0; k < d->n_classes; ++k) {
        const lsim_coil_class *c = &d->cls[k];
        d->peak_power = fmax(d->peak_power, c->peak_power);
        d->peak_force = fmax(d->peak_force, c->peak_force);
        d->peak_current = fmax(d->peak_current, c->peak_current);
        d->peak_voltage = fmax(d->peak_voltage, c->peak_voltage);
        d->max_stage_coil_heat = fmax(d->max_stage_coil_heat, c->coil_heat);
    }
}

/* Steady temperature of the hottest coil at launch rate f: radiated power
 * ε σ A (T⁴ − T_s⁴) equals f Q(T), with the coil heat scaled by R(T)/R(T_lim)
 * (the pulse shape held; design voltages are for T_lim). Bisection in
 * [T_s, T_lim]. */
static double steady_temperature(const lsim_coil_design *d, double rate)
{
    const lsim_coil_design_input *in = &d->in;
    double lo = in->sink_temperature, hi = in->temperature_limit;
    double r_lim = lsim_coil_resistivity(in->conductor, hi);
    for (int i = 0; i < 200 && hi - lo > 1e-9 * hi; ++i) {
        double t = 0.5 * (lo + hi);
        double rad = in->emissivity * LSIM_COIL_STEFAN_BOLTZMANN * in->radiator_area *
                     (t * t * t * t - pow(in->sink_temperature, 4.0));
        double q = rate * d->max_stage_coil_heat * lsim_coil_resistivity(in->conductor, t) / r_lim;
        if (rad < q) lo = t;
        else hi = t;
    }
    return 0.5 * (lo + hi);
}

static lsim_status check_input(const lsim_coil_design_input *in)
{
    const double positive[] = {in->exit_speed, in->acceleration_limit, in->payload_mass, in->bucket_mass,
                               in->fill_factor, in->bucket_current, in->stage_pitch, in->temperature_limit,
                               in->radiator_area, in->emissivity, in->bank_energy_density, in->charger_power,
                               in->return_speed};
    for (size_t i = 0; i < sizeof positive / sizeof positive[0]; ++i) {
        if (!(positive[i] > 0.0) || !isfinite(positive[i])) {
            return lsim_fail(LSIM_ERR_INPUT, "coil launcher: input %zu of the design (%g) must be finite and > 0",
                             i, positive[i]);
        }
    }
    if (!in->conductor || in->steps_per_pulse < 4) {
        return lsim_fail(LSIM_ERR_INPUT, "coil launcher: needs a conductor and at least 4 steps per pulse (%d)",
                         in->steps_per_pulse);
    }
    if (!(in->sink_temperature >= 0.0 && in->sink_temperature < in->temperature_limit)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil launcher: sink temperature %g K must lie below the coil limit %g K",
                         in->sink_temperature, in->temperature_limit);
    }
    if (!(in->drive.length < in->stage_pitch)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil launcher: drive winding length %g m must be shorter than the pitch "
                         "%g m", in->drive.length, in->stage_pitch);
    }
    return LSIM_OK;
}

lsim_status lsim_coil_design_solve(const lsim_coil_design_input *in, lsim_coil_design *d)
{
    memset(d, 0, sizeof *d);
    lsim_status st = check_input(in);
    if (st != LSIM_OK) return st;
    d->in = *in;
    d->inductance = lsim_coil_self_inductance(&in->drive);
    d->coil_resistance = lsim_coil_resistance(&in->drive, in->conductor, in->fill_factor, in->temperature_limit);
    double p = in->stage_pitch;
    st = lsim_coil_table_init(&d->table, &in->drive, &in->bucket, -1.25 * p, 0.75 * p, TABLE_NODES);
    if (st != LSIM_OK) return st;
    int capacity = 4 * in->steps_per_pulse + 64;
    lsim_coil_sample *samples = malloc((size_t)capacity * sizeof *samples);
    if (!samples) {
        lsim_coil_design_free(d);
        return lsim_fail(LSIM_ERR_RUN, "coil launcher: out of memory");
    }
    /* Mean acceleration: start at half the limit, then scale by limit/peak
     * until the peak is within [0.97, 1.001] of the limit (the force ripple
     * barely depends on the scale, so two or three passes do). */
    /* Each pass scales a_m by at most 4 either way and never below 1e-3 of
     * the limit: a coil pair whose induced (back-EMF) current alone exceeds
     * the limit cannot be brought within it by slower stages, and the design
     * then reports its peak above the limit rather than shrinking forever. */
    double a_m = in->limit_is_mean ? in->acceleration_limit : 0.5 * in->acceleration_limit;
    for (int pass = 0; pass < (in->limit_is_mean ? 1 : 8); ++pass) {
        st = design_accelerator(d, a_m, samples, capacity);
        if (st != LSIM_OK) break;
        double ratio = in->acceleration_limit / d->peak_acceleration;
        if ((ratio >= 1.0 / 1.001 && ratio <= 1.0 / 0.97) || (ratio > 1.0 && d->stages == 1)) break;
        double next = d->mean_acceleration * fmin(fmax(ratio, 0.25), 4.0) * (ratio < 1.0 ? 0.999 : 0.995);
        next = fmax(next, 1e-3 * in->acceleration_limit);
        if (next == a_m) break;
        a_m = next;
    }
    if (st == LSIM_OK) {
        accelerator_totals(d);
        st = design_brake(d, samples, capacity);
    }
    free(samples);
    if (st != LSIM_OK) {
        lsim_coil_design_free(d);
        return st;
    }
    for (int j = 0; j < d->n_brake; ++j) d->max_stage_coil_heat = fmax(d->max_stage_coil_heat, d->brake[j].coil_heat);
    d->energy_per_launch = d->bank_energy_drawn - d->energy_recovered;

    /* Rate: radiators at the temperature limit against the hottest coil's heat;
     * chargers against the net energy per launch. */
    double t4 = pow(in->temperature_limit, 4.0) - pow(in->sink_temperature, 4.0);
    d->radiated_power_per_stage = in->emissivity * LSIM_COIL_STEFAN_BOLTZMANN * in->radiator_area * t4;
    d->heat_rate_limit = d->radiated_power_per_stage / fmax(d->max_stage_coil_heat, 1e-300);
    d->recharge_rate_limit = in->charger_power / d->energy_per_launch;
    d->heat_binds = d->heat_rate_limit <= d->recharge_rate_limit;
    d->max_launch_rate = fmin(d->heat_rate_limit, d->recharge_rate_limit);
    d->steady_temperature = d->heat_binds ? in->temperature_limit : steady_temperature(d, d->max_launch_rate);
    d->mean_power = d->max_launch_rate * d->energy_per_launch;

    /* Bucket cycle: accelerate, brake, return, load. */
    d->return_length = d->track_length + d->brake_length + in->return_extra_length;
    d->cycle_time = d->acceleration_time + d->brake_time + d->return_length / in->return_speed + in->loading_time;
    d->bucket_fleet = ceil(d->max_launch_rate * d->cycle_time);

    /* Masses: drive conductor, banks (each stage's bank holds its trigger
     * energy; a braking bank holds what it recovers, sized like the last
     * accelerating stage's), switches, radiators, structure, return track, buckets. */
    double stages_all = (double)d->stages + d->brake_stages;
    double length_all = d->track_length + d->brake_length;
    double conductor_per_stage = lsim_coil_conductor_mass(&in->drive, in->conductor, in->fill_factor);
    d->conductor_mass_per_length = conductor_per_stage / p;
    double brake_bank = d->n_classes > 0 ? d->cls[d->n_classes - 1].bank_energy : 0.0;
    d->bank_mass = (d->bank_energy + d->brake_stages * brake_bank) / in->bank_energy_density;
    d->radiator_mass = stages_all * in->radiator_area * in->radiator_areal_mass;
    double conductor = conductor_per_stage * stages_all;
    int lunar_conductor = strcmp(in->conductor->name, "aluminium") == 0;
    d->lunar_mass = (lunar_conductor ? conductor : 0.0) + d->radiator_mass +
                    in->structure_mass_per_length * length_all + in->return_mass_per_length * d->return_length;
    d->earth_mass = (lunar_conductor ? 0.0 : conductor) + d->bank_mass + in->switch_mass_per_stage * stages_all +
                    d->bucket_fleet * in->bucket_mass;
    d->lunar_mass_per_length = d->lunar_mass / length_all;
    d->earth_mass_per_length = d->earth_mass / length_all;
    return LSIM_OK;
}

void lsim_coil_design_free(lsim_coil_design *d) { lsim_coil_table_free(&d->table); }

lsim_status lsim_coil_design_launch(const lsim_coil_design *d, int steps_per_pulse, lsim_coil_launch_result *out)
{
    if (steps_per_pulse < 1) {
        return lsim_fail(LSIM_ERR_INPUT, "coil launch: steps per pulse %d must be > 0", steps_per_pulse);
    }
    const lsim_coil_design_input *in = &d->in;
    double p = in->stage_pitch, mass = in->payload_mass + in->bucket_mass;
    lsim_coil_launch_result r;
    memset(&r, 0, sizeof r);
    lsim_coil_stage s = stage_template(d);
    s.bucket_mass = mass;
    double x = -p, v = in->injection_speed;
    for (long n = 0; n < d->stages; ++n) {
        double c, volts;
        lsim_coil_design_bank(d, n, &c, &volts);
        /* The stage's hardware is its design: C and V fixed; the pulse runs
         * as the bucket actually arrives (position x, speed v). */
        double tau = PI * sqrt(c * d->inductance);
        s.capacitance = c;
        s.voltage = volts;
        s.position = x;
        s.speed = v;
        lsim_coil_stage_result sr;
        lsim_status st = lsim_coil_stage_run(&s, tau / steps_per_pulse, 2.0 * tau, &sr, NULL, 0, NULL);
        if (st != LSIM_OK) return st;
        r.bank_energy_drawn += sr.bank_energy_drawn;
        r.kinetic_gain += sr.kinetic_energy_gain;
        r.heat += sr.ohmic_heat;
        r.field_left += sr.field_energy;
        r.steps += sr.steps;
        r.peak_acceleration = fmax(r.peak_acceleration, sr.peak_force / mass);
        v = sr.speed;
        /* Next trigger: the bucket reaching this coil (x = 0), or where it
         * was when this stage's switch opened if that was later. */
        double x_open = sr.switch_open_time >= 0.0 ? sr.position - v * (sr.time - sr.switch_open_time) : sr.position;
        x = fmax(x_open, 0.0) - p;
    }
    r.exit_speed = v;
    r.residual = r.bank_energy_drawn - (r.kinetic_gain + r.heat + r.field_left);
    *out = r;
    return LSIM_OK;
}
