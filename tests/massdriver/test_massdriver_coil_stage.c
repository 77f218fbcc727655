/* One drive stage of the coil-by-coil launcher (massdriver/coil_launch.h):
 * with the bucket held still the circuit is a series RLC whose current has a
 * closed form; with the bucket moving, the stage's energy books close to a
 * residual that falls at RK4's fourth order. */
#include "lsim_test.h"
#include "coil_launch.h"

static const double pi = 3.14159265358979323846;

/* A held bucket in front of a resistance-free drive coil: a pure RLC. */
static lsim_coil_stage rlc_stage(double l, double c, double r, double v0)
{
    lsim_coil_stage s = {0};
    s.capacitance = c;
    s.voltage = v0;
    s.inductance = l;
    s.circuit_resistance = r;
    s.switch_mode = LSIM_COIL_SWITCH_CLOSED;
    s.drive = (lsim_coil_geometry){0.2, 0.02, 0.05, 10.0, 1, 1};
    s.bucket_coil = (lsim_coil_geometry){0.15, 0.01, 0.02, 100.0, 1, 1};
    s.bucket_current = 1000.0; /* held: it pulls on the bucket but induces nothing */
    s.bucket_mass = 14.0;
    s.hold_bucket = 1;
    s.position = -0.05;
    return s;
}

/* Largest |I − I_exact| over the samples of a run. */
static double max_current_error(const lsim_coil_sample *p, int n, double (*exact)(double, const double *),
                                const double *par)
{
    double worst = 0.0;
    for (int i = 0; i < n; ++i) {
        worst = fmax(worst, fabs(p[i].current - exact(p[i].time, par)));
    }
    return worst;
}

/* Underdamped: I = V0/(ωL) e^{−αt} sin ωt; par = {V0, L, α, ω}. */
static double underdamped(double t, const double *par)
{
    return par[0] / (par[3] * par[1]) * exp(-par[2] * t) * sin(par[3] * t);
}

/* Overdamped: I = V0/(βL) e^{−αt} sinh βt; par = {V0, L, α, β}. */
static double overdamped(double t, const double *par)
{
    return par[0] / (par[3] * par[1]) * exp(-par[2] * t) * sinh(par[3] * t);
}

enum { CAP = 4096 };
static lsim_coil_sample samples[CAP];

static void test_held_rlc(void)
{
    /* L = 100 µH, C = 100 µF, R = 0.2 Ω: ω0 = 1e4 /s, α = 1e3 /s, ω = sqrt(ω0² − α²). */
    double l = 1e-4, c = 1e-4, v0 = 1e3;
    lsim_coil_stage s = rlc_stage(l, c, 0.2, v0);
    double alpha = 0.2 / (2.0 * l), omega = sqrt(1.0 / (l * c) - alpha * alpha);
    double par[4] = {v0, l, alpha, omega};
    double duration = 3.0 * 2.0 * pi / omega, peak = v0 / (omega * l);
    lsim_coil_stage_result r;
    int n = 0;
    double err[2];
    for (int k = 0; k < 2; ++k) {
        double h = (k == 0 ? 1e-6 : 0.5e-6);
        LSIM_CHECK(lsim_coil_stage_run(&s, h, duration, &r, samples, CAP, &n) == LSIM_OK, "runs");
        LSIM_CHECK(n >= 1885 && n < CAP, "one sample per step: %d", n);
        err[k] = max_current_error(samples, n, underdamped, par);
    }
    /* RK4's global error on an oscillator is ~ ω t (ωh)⁴/120 of the amplitude:
     * 19 · 1e-8 / 120 = 1.6e-9 at h = 1e-6 s; 1e-8 of the peak leaves room. */
    LSIM_CHECK(err[0] <= 1e-8 * peak, "underdamped current within 1e-8 of its peak: %g A of %g A", err[0], peak);
    LSIM_CHECK(err[0] / err[1] > 12.0 && err[0] / err[1] < 20.0, "halving h cuts the error ~16x (RK4): %g",
               err[0] / err[1]);
    /* Nothing moves, so the bank's energy is all heat plus field (to RK4 error). */
    LSIM_CHECK(r.kinetic_energy_gain == 0.0 && r.speed == 0.0, "held bucket gains nothing");
    LSIM_CHECK_CLOSE(r.bank_energy_drawn, r.ohmic_heat + r.field_energy, 1e-9, 0.0,
                     "held: drawn = heat + field, to the integration error (~1e-10 relative)");
    LSIM_CHECK(r.peak_force > 0.0, "the held bucket feels the pulse: %g N", r.peak_force);

    /* Overdamped: R = 4 Ω, α = 2e4 /s > ω0, β = sqrt(α² − ω0²). Fastest rate
     * α + β = 3.7e4 /s; at h = 1e-7 s its (λh)⁴/120 ~ 1.6e-11 per unit time
     * constant, so 1e-8 of the peak. */
    s = rlc_stage(l, c, 4.0, v0);
    alpha = 4.0 / (2.0 * l);
    double beta = sqrt(alpha * alpha - 1.0 / (l * c));
    double par_o[4] = {v0, l, alpha, beta};
    LSIM_CHECK(lsim_coil_stage_run(&s, 1e-7, 3e-4, &r, samples, CAP, &n) == LSIM_OK, "runs");
    double peak_o = 0.0;
    for (int i = 0; i < n; ++i) peak_o = fmax(peak_o, fabs(samples[i].current));
    LSIM_CHECK(max_current_error(samples, n, overdamped, par_o) <= 1e-8 * peak_o,
               "overdamped current within 1e-8 of its peak %g A", peak_o);
    LSIM_CHECK(r.current > 0.0 && r.voltage > 0.0, "overdamped: no reversal of current or voltage");

    /* Thyristor: the pulse ends at the first current zero, t = π/ω, leaving the
     * bank at −V0 e^{−απ/ω}. The zero is located within the step, so it is
     * found to RK4's accuracy (~1e-10 relative), far finer than the 1 µs step. */
    s = rlc_stage(l, c, 0.2, v0);
    s.switch_mode = LSIM_COIL_SWITCH_THYRISTOR;
    alpha = 0.2 / (2.0 * l);
    LSIM_CHECK(lsim_coil_stage_run(&s, 1e-6, 1e-3, &r, NULL, 0, NULL) == LSIM_OK, "runs");
    LSIM_CHECK_CLOSE(r.switch_open_time, pi / omega, 1e-9, 0.0, "thyristor opens at the current zero π/ω");
    LSIM_CHECK_CLOSE(r.voltage, -v0 * exp(-alpha * pi / omega), 1e-9, 0.0, "bank left reversed, damped");
    LSIM_CHECK(r.current == 0.0 && r.field_energy == 0.0, "open circuit: no current, no field energy");
}

/* The illustrative stage of bench_coil on coarser filament grids: an
 * aluminium drive coil heating adiabatically, a 14 kg bucket at 1 km/s. */
static lsim_coil_stage moving_stage(lsim_coil_switch sw)
{
    lsim_coil_stage s = {0};
    s.capacitance = 15e-6;
    s.voltage = 10e3;
    s.circuit_resistance = 0.01;
    s.switch_mode = sw;
    s.drive = (lsim_coil_geometry){0.20, 0.02, 0.05, 10.0, 2, 2};
    s.conductor = lsim_coil_conductor_find("aluminium");
    s.fill_factor = 0.7;
    s.temperature = 293.15;
    s.adiabatic = 1;
    s.bucket_coil = (lsim_coil_geometry){0.15, 0.01, 0.02, 100.0, 1, 2};
    s.bucket_current = 1000.0;
    s.bucket_mass = 14.0;
    s.position = -0.10;
    s.speed = 1000.0;
    s.inductance = lsim_coil_self_inductance(&s.drive);
    return s;
}

static void test_energy_balance(void)
{
    /* Thyristor-ended pulse (~1e-4 s, the bucket crossing 0.1 m) and a ringing
     * closed switch (field energy left at the end). Residual = drawn −
     * (kinetic + heat + field). The tolerance shrinks at RK4's order,
     * 1e-7 · drawn · (h / 2 µs)⁴, at h = 2, 1 and 0.5 µs (50 to 200 steps per
     * pulse; above the rounding floor, ~1e-9 J). Measured, the residual falls
     * faster (ratios 40 and 67, nearer h⁵: RK4's amplitude error on an
     * oscillation is O(h⁶) per step), so halving h must cut it by at least 12
     * (16 less pre-asymptotic slack). */
    const lsim_coil_switch modes[] = {LSIM_COIL_SWITCH_THYRISTOR, LSIM_COIL_SWITCH_CLOSED};
    for (int m = 0; m < 2; ++m) {
        lsim_coil_stage s = moving_stage(modes[m]);
        double res[3];
        lsim_coil_stage_result r;
        for (int k = 0; k < 3; ++k) {
            double h = 2e-6 / (double)(1 << k);
            LSIM_CHECK(lsim_coil_stage_run(&s, h, 2e-4, &r, NULL, 0, NULL) == LSIM_OK, "runs");
            res[k] = r.energy_residual;
            double tol = 1e-7 * r.bank_energy_drawn * pow(h / 2e-6, 4.0);
            LSIM_CHECK(fabs(res[k]) <= tol, "switch %d, h = %g s: books close to %g J (tolerance %g J of %g J)", m, h,
                       res[k], tol, r.bank_energy_drawn);
        }
        double q1 = res[0] / res[1], q2 = res[1] / res[2];
        LSIM_CHECK(q1 > 12.0 && q2 > 12.0, "switch %d: residual falls at least at 4th order: %g %g %g J (ratios %g, %g)",
                   m, res[0], res[1], res[2], q1, q2);
        double drawn = r.bank_energy_drawn;
        LSIM_CHECK(r.kinetic_energy_gain > 0.0 && r.ohmic_heat > 0.0 && r.temperature > s.temperature,
                   "switch %d: the bucket speeds up and the coil heats", m);
        if (modes[m] == LSIM_COIL_SWITCH_THYRISTOR) {
            LSIM_CHECK(r.switch_open_time > 0.0 && r.field_energy == 0.0, "thyristor opened");
            LSIM_CHECK(r.kinetic_energy_gain > 0.9 * drawn, "a pulse timed to the crossing: efficiency %g",
                       r.kinetic_energy_gain / drawn);
        } else {
            LSIM_CHECK(r.field_energy > 0.0 && r.switch_open_time < 0.0, "closed switch: field left at the end");
        }
    }
}

static void test_table_stage(void)
{
    /* The same stage with dM/dx from a 1 mm table: the interpolation error
     * (< 1e-6 of the gradient) moves kinetic energy and heat by < 1e-6 relative
     * (measured 2e-8), and the books close as tightly as with the direct sum,
     * since force and back-EMF read the same interpolant. */
    lsim_coil_stage s = moving_stage(LSIM_COIL_SWITCH_THYRISTOR);
    lsim_coil_stage_result direct, tabled;
    LSIM_CHECK(lsim_coil_stage_run(&s, 1e-6, 2e-4, &direct, NULL, 0, NULL) == LSIM_OK, "runs");
    lsim_coil_table t;
    LSIM_CHECK(lsim_coil_table_init(&t, &s.drive, &s.bucket_coil, -0.3, 0.3, 601) == LSIM_OK, "table");
    s.table = &t;
    LSIM_CHECK(lsim_coil_stage_run(&s, 1e-6, 2e-4, &tabled, NULL, 0, NULL) == LSIM_OK, "runs");
    LSIM_CHECK_CLOSE(tabled.kinetic_energy_gain, direct.kinetic_energy_gain, 1e-6, 0.0, "table vs direct: kinetic");
    LSIM_CHECK_CLOSE(tabled.ohmic_heat, direct.ohmic_heat, 1e-6, 0.0, "table vs direct: heat");
    LSIM_CHECK(fabs(tabled.energy_residual) <= 1e-8 * tabled.bank_energy_drawn, "books close with a table: %g J",
               tabled.energy_residual);
    lsim_coil_stage other = s;
    other.bucket_coil.turns = 50.0;
    LSIM_CHECK(lsim_coil_stage_run(&other, 1e-6, 2e-4, &tabled, NULL, 0, NULL) == LSIM_ERR_INPUT,
               "a table of another pair is refused");
    lsim_coil_table_free(&t);
}

static void test_directions(void)
{
    /* Copper's lower resistivity: less heat and more kinetic energy from the
     * same bank; a hotter aluminium coil: more heat, less kinetic energy. */
    lsim_coil_stage al = moving_stage(LSIM_COIL_SWITCH_THYRISTOR), cu = al, hot = al;
    cu.conductor = lsim_coil_conductor_find("copper");
    hot.temperature = 400.0;
    lsim_coil_stage_result ra, rc, rh;
    lsim_coil_stage_run(&al, 1e-6, 2e-4, &ra, NULL, 0, NULL);
    lsim_coil_stage_run(&cu, 1e-6, 2e-4, &rc, NULL, 0, NULL);
    lsim_coil_stage_run(&hot, 1e-6, 2e-4, &rh, NULL, 0, NULL);
    LSIM_CHECK(rc.ohmic_heat < ra.ohmic_heat && rc.kinetic_energy_gain > ra.kinetic_energy_gain,
               "copper: heat %g < %g J, kinetic %g > %g J", rc.ohmic_heat, ra.ohmic_heat, rc.kinetic_energy_gain,
               ra.kinetic_energy_gain);
    LSIM_CHECK(rh.ohmic_heat > ra.ohmic_heat && rh.kinetic_energy_gain < ra.kinetic_energy_gain,
               "hot coil: heat %g > %g J", rh.ohmic_heat, ra.ohmic_heat);
    /* A reversed bucket current pushes the bucket back while it approaches. */
    lsim_coil_stage rev = al;
    rev.bucket_current = -1000.0;
    lsim_coil_stage_result rr;
    lsim_coil_stage_run(&rev, 1e-6, 2e-4, &rr, NULL, 0, NULL);
    LSIM_CHECK(rr.speed < rev.speed && ra.speed > al.speed, "attraction speeds it up, repulsion slows it");
    /* Bad input is a status with a message, not a crash. */
    lsim_coil_stage bad = al;
    bad.capacitance = 0.0;
    LSIM_CHECK(lsim_coil_stage_run(&bad, 1e-6, 2e-4, &rr, NULL, 0, NULL) == LSIM_ERR_INPUT, "C = 0 refused");
    LSIM_CHECK(lsim_coil_stage_run(&al, 0.0, 2e-4, &rr, NULL, 0, NULL) == LSIM_ERR_INPUT, "step 0 refused");
    bad = al;
    bad.bucket_coil.radius = 0.2; /* in the drive winding: filaments would coincide */
    LSIM_CHECK(lsim_coil_stage_run(&bad, 1e-6, 2e-4, &rr, NULL, 0, NULL) == LSIM_ERR_INPUT, "overlapping windings");
    bad = al;
    bad.drive.n_axial = 0;
    LSIM_CHECK(lsim_coil_stage_run(&bad, 1e-6, 2e-4, &rr, NULL, 0, NULL) == LSIM_ERR_INPUT, "no filament grid");
}

int main(void)
{
    test_held_rlc();
    test_energy_balance();
    test_table_stage();
    test_directions();
    LSIM_TEST_MAIN_END();
}
