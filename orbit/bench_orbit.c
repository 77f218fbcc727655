/* Dispersion Monte Carlo throughput (samples per second). Not a test. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>

#include "flight_straight_line.h"

int main(void)
{
    lsim_orbit_dispersion_case c = {259200.0, {.exit_speed = 2400.0, .sigma_speed = 1e-3, .sigma_angle = 1e-8}, 50.0, 4000000u, 42u};
    lsim_orbit_dispersion_result r;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (lsim_orbit_dispersion_run(&c, &r) != LSIM_OK) return 1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    printf("dispersion: %llu samples in %.3f s = %.3g samples/s; capture %.4f, rms miss %.1f m\n",
           (unsigned long long)c.samples, seconds, (double)c.samples / seconds, r.capture_fraction, r.miss_rms);
    return 0;
}
