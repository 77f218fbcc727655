/* Benchmark of the coil-by-coil launcher's foundation (not a test): the wall
 * time of one drive stage's launch integration and the rate of mutual-
 * inductance evaluations, for loops and for filament-gridded coil pairs.
 *
 * The stage is illustrative, not a design: an aluminium drive coil (10 turns,
 * 0.2 m radius) fired by a 15 µF bank at 10 kV as a 14 kg bucket (the SP-413
 * 5 kg bucket with 9 kg of payload) whose superconducting coil carries 1e5
 * ampere-turns passes at 1 km/s; timed with the direct filament sum at two
 * steps, then with a tabulated gradient. Usage: bench_coil [repeats]. */
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
    printf("bench: loop M and dM/dz: %.3g evaluations/s; coil pair (%ld filament pairs): %.3g evaluations/s "
           "(checksum %.6g)\n",
           loop_rate, lsim_coil_filament_pairs(&s.drive, &s.bucket_coil), coil_rate, sink);
    return 0;
}
