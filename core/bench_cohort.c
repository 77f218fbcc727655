/* bench_cohort [units] [years]: the cost of cohort wear (core/cohort.h).
 * Built, not run by ctest. Prints ns per binomial variate in each regime,
 * ns per cohort-tick, and the time to wear a fleet of `units` (default
 * 10^7) over `years` (default 30) of daily ticks, kept at that size by
 * replacing what fails or retires, with a bathtub hazard, repair, a life
 * limit and 30-day cohorts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cohort.h"
#include "rng.h"

#define DAY 86400.0
#define YEAR (365.25 * DAY)

static double now_seconds(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void bench_binomial(double n, double p, const char *regime)
{
    const int draws = 2000000;
    double sink = 0.0, t0 = now_seconds();
    for (int i = 0; i < draws; ++i) sink += lsim_binomial(n, p, 7, LSIM_STREAM_TEST, (uint64_t)i, 1);
    double t = now_seconds() - t0;
    printf("binomial %-9s n = %-8g p = %-6g: %6.1f ns per variate (mean %.4g)\n", regime, n, p, 1e9 * t / draws,
           sink / draws);
}

int main(int argc, char **argv)
{
    double units = argc > 1 ? atof(argv[1]) : 1.0e7;
    double years = argc > 2 ? atof(argv[2]) : 30.0;
    if (!(units >= 1.0) || !(years > 0.0)) {
        fprintf(stderr, "usage: bench_cohort [units] [years]\n");
        return 2;
    }
    bench_binomial(20, 0.2, "inversion");
    bench_binomial(1.0e7, 3.0e-7, "inversion");
    bench_binomial(1000, 0.3, "BTRD");
    bench_binomial(1.0e7, 1.0e-3, "BTRD");

    lsim_cohort_config c;
    memset(&c, 0, sizeof c);
    c.hazard.shape[LSIM_HAZARD_INFANT] = 0.5;
    c.hazard.scale[LSIM_HAZARD_INFANT] = 40.0 * YEAR;
    c.hazard.shape[LSIM_HAZARD_RANDOM] = 1.0;
    c.hazard.scale[LSIM_HAZARD_RANDOM] = 8.0 * YEAR;
    c.hazard.shape[LSIM_HAZARD_WEAROUT] = 3.0;
    c.hazard.scale[LSIM_HAZARD_WEAROUT] = 12.0 * YEAR;
    c.burn_in_time = 7.0 * DAY;
    c.repair_share = 0.8;
    c.repair_mean_time = 10.0 * DAY;
    c.max_life = 10.0 * YEAR;
    c.cohort_interval = 30.0 * DAY;
    c.wear_interval = DAY;
    c.seed = 42;
    c.stream = LSIM_STREAM_TEST + 0x20;
    lsim_cohort_fleet f;
    if (lsim_cohort_init(&f, &c, "bench fleet", 0.0) != LSIM_OK || lsim_cohort_add(&f, units, 0.0, 0.0) != LSIM_OK) {
        fprintf(stderr, "bench_cohort: %s\n", lsim_last_error());
        return 1;
    }
    const long days = (long)(years * 365.25);
    double cohort_ticks = 0.0, t0 = now_seconds();
    for (long d = 1; d <= days; ++d) {
        cohort_ticks += (double)f.count;
        lsim_cohort_step_result out;
        lsim_cohort_step(&f, d * DAY, INFINITY, &out);
        /* replace what left the fleet, so it stays at `units` */
        double gone = out.failed_burn_in + out.retired_failed + out.retired_age;
        if (gone > 0.0 && lsim_cohort_add(&f, gone, d * DAY, 0.0) != LSIM_OK) {
            fprintf(stderr, "bench_cohort: %s\n", lsim_last_error());
            return 1;
        }
    }
    double t = now_seconds() - t0;
    printf("fleet of %.3g units, %.0f years of daily ticks: %.3f s, %.0f cohort-ticks (%.0f cohorts at the end), "
           "%.0f ns per cohort-tick\n",
           units, years, t, cohort_ticks, (double)f.count, 1e9 * t / cohort_ticks);
    printf("  alive %.0f (in service %.0f, in repair %.0f, burn-in %.0f); built %.0f, scrapped %.0f, retired %.0f\n",
           lsim_cohort_alive(&f), f.total_in_service, f.total_in_repair, f.total_burn_in, f.built_total,
           f.failed_burn_in_total, f.retired_total);
    lsim_cohort_free(&f);
    return 0;
}
