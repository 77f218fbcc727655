/* The coil launcher's design (coil_design.h): energy books of a full launch
 * close and converge with step size, the exit speed reached matches the
 * target, efficiency and heat respond the right way to conductor, temperature
 * and stage count, and with small radiators heat sets the rate. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "coil_design.h"
#include "lsim_test.h"

/* The deck's defaults (massdriver_params.c), at a 600 m/s exit speed so a
 * full launch (~3,900 stages) runs in a few tens of ms. */
static lsim_coil_design_input defaults(void)
{
    lsim_coil_design_input in;
    memset(&in, 0, sizeof in);
    in.exit_speed = 600.0;
    in.acceleration_limit = 288.0;
    in.payload_mass = 9.0;
    in.bucket_mass = 5.0;
    in.drive = (lsim_coil_geometry){0.21, 0.02, 0.05, 20.0, 2, 3};
    in.bucket = (lsim_coil_geometry){0.15, 0.02, 0.05, 100.0, 2, 2};
    in.conductor = lsim_coil_conductor_find("aluminium");
    in.fill_factor = 0.7;
    in.bucket_current = 7000.0;
    in.stage_pitch = 0.5;
    in.circuit_resistance = 1e-3;
    in.temperature_limit = 428.15;
    in.radiator_area = 2.0;
    in.emissivity = 0.85;
    in.sink_temperature = 250.0;
    in.bank_energy_density = 1000.0;
    in.charger_power = 2e9;
    in.structure_mass_per_length = 100.0;
    in.radiator_areal_mass = 5.0;
    in.switch_mass_per_stage = 2.0;
    in.return_speed = 200.0;
    in.injection_speed = 200.0;
    in.return_extra_length = 500.0;
    in.return_mass_per_length = 20.0;
    in.loading_time = 1.0;
    in.steps_per_pulse = 32;
    return in;
}

static void solve(const lsim_coil_design_input *in, lsim_coil_design *d)
{
    lsim_status st = lsim_coil_design_solve(in, d);
    LSIM_CHECK(st == LSIM_OK, "design solves: %s", st == LSIM_OK ? "" : lsim_last_error());
}

/* A full launch: bank energy drawn = kinetic gain + ohmic heat + field left,
 * summed over every stage, and the residual falls with the step.
 * Tolerances: the residual is RK4's truncation error (the M' table's slope
 * jumps at nodes, so its order may drop towards 2); measured 2.2e-7 of the drawn
 * energy at 32 steps per pulse and 2.8e-8 at 64: bound 1e-6 at 32 (4x margin)
 * and require at least a halving at 64 (second order or better).
 * Exit speed: stages take their banks interpolated between representative
 * stages (factor 2 in stage index); measured within 7e-7 of the target,
 * bound 1e-3 (ten times). Peak acceleration: the design holds the limit to
 * 0.1% on its representative stages; the launch, with interpolated banks,
 * within 1%. */
static void test_launch_energy(void)
{
    lsim_coil_design_input in = defaults();
    lsim_coil_design d;
    solve(&in, &d);
    lsim_coil_launch_result r32, r64;
    LSIM_CHECK(lsim_coil_design_launch(&d, 32, &r32) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_coil_design_launch(&d, 64, &r64) == LSIM_OK, "%s", lsim_last_error());
    printf("launch: %ld stages, v = %.6f m/s, drawn %.6g J = kinetic %.6g + heat %.6g + field %.3g, residual "
           "%.3g J (32 steps) %.3g J (64 steps), peak a %.4g m/s2\n",
           d.stages, r32.exit_speed, r32.bank_energy_drawn, r32.kinetic_gain, r32.heat, r32.field_left,
           r32.residual, r64.residual, r32.peak_acceleration);
    LSIM_CHECK(fabs(r32.residual) <= 1e-6 * r32.bank_energy_drawn, "books close: residual %g J of %g J",
               r32.residual, r32.bank_energy_drawn);
    LSIM_CHECK(fabs(r64.residual) <= 0.5 * fabs(r32.residual) + 1e-12 * r32.bank_energy_drawn,
               "residual converges with the step: %g -> %g J", r32.residual, r64.residual);
    LSIM_CHECK_CLOSE(r32.exit_speed, in.exit_speed, 1e-3, 0.0, "exit speed reached, interpolated banks");
    LSIM_CHECK_CLOSE(r64.exit_speed, r32.exit_speed, 1e-5, 0.0, "exit speed converged in the step");
    LSIM_CHECK(d.peak_acceleration <= 1.001 * in.acceleration_limit && d.peak_acceleration >= 0.97 * in.acceleration_limit,
               "design peak %g within [0.97, 1.001] of the limit", d.peak_acceleration);
    LSIM_CHECK(r32.peak_acceleration <= 1.01 * in.acceleration_limit, "launch peak %g m/s2 within 1%% of the limit",
               r32.peak_acceleration);
    /* The design's own books (interpolated) against the launch's: drawn
     * energy within 1% (measured 0.05%); efficiency below 1. */
    LSIM_CHECK_CLOSE(d.bank_energy_drawn - 0.5 * (in.payload_mass + in.bucket_mass) * 200.0 * 200.0,
                     r32.bank_energy_drawn, 1e-2, 0.0, "design's drawn energy (less injection) against the launch");
    LSIM_CHECK(d.efficiency > 0.0 && d.efficiency < 1.0, "efficiency %g in (0, 1)", d.efficiency);
    LSIM_CHECK(d.energy_recovered > 0.0 &&
                   d.energy_recovered <= 0.5 * in.bucket_mass * (in.exit_speed * in.exit_speed - 200.0 * 200.0),
               "braking recovers %g J, no more than the bucket's kinetic energy lost", d.energy_recovered);
    LSIM_CHECK_CLOSE(d.energy_per_launch, d.bank_energy_drawn - d.energy_recovered, 1e-15, 0.0,
                     "energy per launch is net of the recovery");
    lsim_coil_design_free(&d);
}

/* Directions (exact in sign, no tolerance needed beyond it): copper (lower
 * resistivity) beats aluminium; a hotter coil limit (higher R) loses more;
 * a finer pitch (more, shorter stages: per-stage heat ∝ I²Rτ ∝ p², stages ∝
 * 1/p) loses less. */
static void test_directions(void)
{
    lsim_coil_design_input in = defaults();
    lsim_coil_design al, cu, hot, fine;
    solve(&in, &al);
    in.conductor = lsim_coil_conductor_find("copper");
    solve(&in, &cu);
    in = defaults();
    in.temperature_limit = 550.0;
    solve(&in, &hot);
    in = defaults();
    in.stage_pitch = 0.3;
    solve(&in, &fine);
    printf("directions: eff Al %.6f Cu %.6f hot %.6f fine %.6f; coil heat Al %.4g Cu %.4g hot %.4g fine %.4g J; "
           "stages %ld / %ld\n",
           al.efficiency, cu.efficiency, hot.efficiency, fine.efficiency, al.coil_heat, cu.coil_heat, hot.coil_heat,
           fine.coil_heat, al.stages, fine.stages);
    LSIM_CHECK(cu.efficiency > al.efficiency && cu.coil_heat < al.coil_heat, "copper: more efficient, cooler");
    LSIM_CHECK(hot.efficiency < al.efficiency && hot.coil_heat > al.coil_heat, "hotter coils: less efficient");
    LSIM_CHECK(fine.stages > al.stages && fine.coil_heat < al.coil_heat && fine.efficiency > al.efficiency,
               "more stages (finer pitch): less heat");
    LSIM_CHECK(cu.earth_mass > al.earth_mass && cu.lunar_mass < al.lunar_mass, "copper is Earth mass, aluminium lunar");
    lsim_coil_design_free(&al);
    lsim_coil_design_free(&cu);
    lsim_coil_design_free(&hot);
    lsim_coil_design_free(&fine);
}

/* With small radiators heat binds and the rate scales with the area (exactly:
 * rate = ε σ A (T_lim⁴ − T_s⁴) / Q_max, one rounding each, 1e-14); the
 * hottest coil then sits at its limit. With a weak charger, recharge binds
 * and the coils run below the limit. */
static void test_thermal_limit(void)
{
    lsim_coil_design_input in = defaults();
    in.radiator_area = 0.2;
    lsim_coil_design a, b, c;
    solve(&in, &a);
    in.radiator_area = 0.1;
    solve(&in, &b);
    in = defaults();
    in.charger_power = 1e6;
    solve(&in, &c);
    printf("thermal: rate %.4g /s (0.2 m2), %.4g /s (0.1 m2), heat binds %d %d; recharge-bound %.4g /s at %.2f K\n",
           a.max_launch_rate, b.max_launch_rate, a.heat_binds, b.heat_binds, c.max_launch_rate, c.steady_temperature);
    LSIM_CHECK(a.heat_binds && b.heat_binds, "small radiators: heat sets the rate");
    LSIM_CHECK_CLOSE(b.max_launch_rate, 0.5 * a.max_launch_rate, 1e-14, 0.0, "half the area, half the rate");
    LSIM_CHECK(a.steady_temperature == in.temperature_limit, "heat-bound: hottest coil at its limit");
    LSIM_CHECK(!c.heat_binds && c.max_launch_rate == c.recharge_rate_limit, "weak charger: recharge binds");
    LSIM_CHECK(c.steady_temperature > in.sink_temperature && c.steady_temperature < in.temperature_limit,
               "recharge-bound: coils between sink and limit (%g K)", c.steady_temperature);
    LSIM_CHECK(a.bucket_fleet >= 1.0 && a.cycle_time > a.acceleration_time, "a bucket fleet and a cycle");
    lsim_coil_design_free(&a);
    lsim_coil_design_free(&b);
    lsim_coil_design_free(&c);
}

int main(void)
{
    test_launch_energy();
    test_directions();
    test_thermal_limit();
    LSIM_TEST_MAIN_END();
}
