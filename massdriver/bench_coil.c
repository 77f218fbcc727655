/* Benchmark of the coil-by-coil launcher's foundation (not a test): the wall
 * time of one drive stage's launch integration and the rate of mutual-
 * inductance evaluations, for loops and for filament-gridded coil pairs.
 *
 * The stage is illustrative, not a design: an aluminium drive coil (10 turns,
 * 0.2 m radius) fired by a 15 µF bank at 10 kV as a 14 kg bucket (the SP-413
 * 5 kg bucket with 9 kg of payload) whose superconducting coil carries 1e5
 * ampere-turns passes at 1 km/s; timed with the direct filament sum at two
 * steps, then with a tabulated gradient. Then the coil launcher's design
 * solve (coil_design.h) at the deck defaults, and one full-length launch of
 * every stage at 32 and 16 RK4 steps per pulse, for both acceleration bases
 * (peak: the default; mean: SP-413's 288 m/s2 mean over 10 km).
 * Usage: bench_coil [repeats]. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include "coil_design.h"
#include "coil_launch.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 20;
    if (repeats < 1) repeats = 1;
    lsim_coil_stage s = {0};
    s.capacitance = 15e-6;
    s.voltage = 10e3;
    s.circuit_resistance = 0.01;
    s.switch_mode = LSIM_COIL_SWITCH_THYRISTOR;
    s.drive = (lsim_coil_geometry){0.20, 0.02, 0.05, 10.0, 4, 4};
    s.conductor = lsim_coil_conductor_find("aluminium");
    s.fill_factor = 0.7;
    s.temperature = 293.15;
    s.adiabatic = 1;
    s.bucket_coil = (lsim_coil_geometry){0.15, 0.01, 0.02, 100.0, 2, 2};
    s.bucket_current = 1000.0;
    s.bucket_mass = 14.0;
    s.position = -0.10;
    s.speed = 1000.0;
    s.inductance = lsim_coil_self_inductance(&s.drive);
    double duration = 2e-4;
    const double steps[] = {1e-6, 1e-7};
    for (int k = 0; k < 2; ++k) {
        double step = steps[k];
        lsim_coil_stage_result r;
        double t0 = now();
        for (int i = 0; i < repeats; ++i) {
            if (lsim_coil_stage_run(&s, step, duration, &r, NULL, 0, NULL) != LSIM_OK) {
                fprintf(stderr, "stage failed: %s\n", lsim_last_error());
                return 1;
            }
        }
        double stage_time = (now() - t0) / repeats;
        printf("stage (h = %g s): L = %.4g H, R(293 K) = %.4g ohm, C = %.3g F, V0 = %.3g V, %ld RK4 steps, "
               "%ld coil-pair gradients (%ld filament pairs each)\n",
               step, s.inductance, lsim_coil_stage_resistance(&s, 293.15), s.capacitance, s.voltage, r.steps,
               r.gradient_evals, lsim_coil_filament_pairs(&s.drive, &s.bucket_coil));
        printf("  speed %.6g -> %.6g m/s, peak current %.4g A, peak force %.4g N, switch opens at %.6g s, "
               "coil %.5g -> %.5g K\n",
               s.speed, r.speed, r.peak_current, r.peak_force, r.switch_open_time, s.temperature, r.temperature);
        printf("  energy: bank %.6g J = kinetic %.6g + heat %.6g + field %.3g (residual %.3g J); "
               "efficiency %.4f\n",
               r.bank_energy_drawn, r.kinetic_energy_gain, r.ohmic_heat, r.field_energy, r.energy_residual,
               r.kinetic_energy_gain / r.bank_energy_drawn);
        printf("bench: one stage launch integration (h = %g s): %.3f ms wall\n", step, 1e3 * stage_time);
    }

    /* The same stage reading dM/dx from a 1 mm table of the pair (built once). */
    {
        double t0 = now();
        lsim_coil_table table;
        if (lsim_coil_table_init(&table, &s.drive, &s.bucket_coil, -0.3, 0.3, 601) != LSIM_OK) {
            fprintf(stderr, "table failed: %s\n", lsim_last_error());
            return 1;
        }
        double build_time = now() - t0;
        s.table = &table;
        lsim_coil_stage_result r;
        int reps = 50 * repeats;
        t0 = now();
        for (int i = 0; i < reps; ++i) {
            lsim_coil_stage_run(&s, 1e-6, duration, &r, NULL, 0, NULL);
        }
        double stage_time = (now() - t0) / reps;
        printf("bench: table of 601 nodes built in %.3f ms; one stage with it (h = 1e-06 s): %.4f ms wall, "
               "kinetic %.6g J, residual %.3g J\n",
               1e3 * build_time, 1e3 * stage_time, r.kinetic_energy_gain, r.energy_residual);
        s.table = NULL;
        lsim_coil_table_free(&table);
    }

    /* Loop mutual inductance (with gradient) evaluations per second. */
    long n_loop = 2000000;
    double sink = 0.0;
    double t0 = now();
    for (long i = 0; i < n_loop; ++i) {
        double z = -0.3 + 0.6 * (double)i / (double)n_loop + 1e-9;
        double m;
        sink += lsim_coil_loop_mutual_gradient(0.2, 0.15, z, &m) + m;
    }
    double loop_rate = n_loop / (now() - t0);
    long n_coil = 20000;
    t0 = now();
    for (long i = 0; i < n_coil; ++i) {
        double z = -0.3 + 0.6 * (double)i / (double)n_coil;
        sink += lsim_coil_mutual_gradient(&s.drive, &s.bucket_coil, z, NULL);
    }
    double coil_rate = n_coil / (now() - t0);
    for (int basis = 0; basis < 2; ++basis) {
        lsim_coil_design_input in = {0};
        in.exit_speed = 2400.0;
        in.acceleration_limit = 288.0;
        in.limit_is_mean = basis;
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
        in.return_speed = in.injection_speed = 200.0;
        in.return_extra_length = 500.0;
        in.return_mass_per_length = 20.0;
        in.loading_time = 1.0;
        in.steps_per_pulse = 32;
        lsim_coil_design d;
        t0 = now();
        if (lsim_coil_design_solve(&in, &d) != LSIM_OK) {
            fprintf(stderr, "design failed: %s\n", lsim_last_error());
            return 1;
        }
        double solve_time = now() - t0;
        printf("bench: coil design solve (acceleration limit as %s): %.1f ms wall; %ld stages, %.4g km, a_m %.4g, "
               "peak %.4g m/s2; efficiency %.4f, coil heat %.4g J, circuit heat %.4g J, braking recovers %.4g J "
               "(heat %.4g J, %.0f stages); energy/launch %.4g J; rate %.4g /s (%s; heat %.4g, recharge %.4g), "
               "%.1f K; bank %.4g J, %.4g kg; peak bank power %.4g W, current %.4g A, voltage %.4g V; conductor "
               "%.4g kg/m; lunar %.4g kg (%.4g kg/m), Earth %.4g kg (%.4g kg/m); buckets %.0f, cycle %.4g s\n",
               basis ? "mean" : "peak", 1e3 * solve_time, d.stages, d.track_length / 1e3, d.mean_acceleration,
               d.peak_acceleration, d.efficiency, d.coil_heat, d.heat - d.coil_heat, d.energy_recovered,
               d.brake_heat, d.brake_stages, d.energy_per_launch, d.max_launch_rate,
               d.heat_binds ? "heat binds" : "recharge binds", d.heat_rate_limit, d.recharge_rate_limit,
               d.steady_temperature, d.bank_energy, d.bank_mass, d.peak_power, d.peak_current, d.peak_voltage,
               d.conductor_mass_per_length, d.lunar_mass, d.lunar_mass_per_length, d.earth_mass,
               d.earth_mass_per_length, d.bucket_fleet, d.cycle_time);
        const int spp[] = {32, 16};
        for (int k = 0; k < 2; ++k) {
            lsim_coil_launch_result r;
            t0 = now();
            lsim_coil_design_launch(&d, spp[k], &r);
            printf("bench: one full-length launch (%ld stages, %d steps/pulse): %.3f s wall; exit %.6g m/s, "
                   "residual %.3g J of %.4g J, peak %.4g m/s2\n",
                   d.stages, spp[k], now() - t0, r.exit_speed, r.residual, r.bank_energy_drawn,
                   r.peak_acceleration);
        }
        lsim_coil_design_free(&d);
    }
    printf("bench: loop M and dM/dz: %.3g evaluations/s; coil pair (%ld filament pairs): %.3g evaluations/s "
           "(checksum %.6g)\n",
           loop_rate, lsim_coil_filament_pairs(&s.drive, &s.bucket_coil), coil_rate, sink);
    return 0;
}
