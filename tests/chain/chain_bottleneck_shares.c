/* Exactly one stage limits delivery in every step, so the time shares of the
 * bottlenecks sum to 1: in the chain's accumulators, in every closed row of
 * the bottleneck_* series, and in the summary the run writes. Checked for
 * the default start (no driver: launch limits until the first is built), a
 * start with a driver, and the fixed growth policy. */
#include "chain_test_util.h"

static int run_case(const char *label, const char *const *overrides)
{
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return 1;
    lsim_chain *c = &fx.chain;
    int ids[LSIM_BOTTLENECK_COUNT];
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b) {
        char name[64];
        snprintf(name, sizeof name, "bottleneck_%s", lsim_bottleneck_name[b]);
        ids[b] = chain_series_id(fx.series, "chain", name);
        LSIM_CHECK(ids[b] >= 0, "series chain/%s missing", name);
        if (ids[b] < 0) return 1;
    }
    const int id_code = chain_series_id(fx.series, "chain", "bottleneck");
    int row_failures = 0, code_failures = 0;
    long rows = 0;
    while (c->clock.step < c->clock.step_count) {
        if (chain_fixture_step(&fx)) return 1;
        if (c->s.last_bottleneck < 0 || c->s.last_bottleneck >= LSIM_BOTTLENECK_COUNT) {
            if (code_failures++ < 5) fprintf(stderr, "[%s] bottleneck code %d out of range\n", label, (int)c->s.last_bottleneck);
        }
        if (c->clock.step % c->clock.steps_per_output == 0) {
            /* An interval mean of one-hot indicators: the shares in a row sum
             * to 1 up to the rounding of (sum of dt-weighted values) / interval. */
            double row = 0.0;
            for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b) row += lsim_series_last_value(fx.series, ids[b]);
            if (!(fabs(row - 1.0) <= 1e-12)) {
                if (row_failures++ < 5)
                    fprintf(stderr, "[%s] row ending at step %lld: bottleneck shares sum to %.17g\n", label,
                            (long long)c->clock.step, row);
            }
            if (id_code >= 0 && lsim_series_last_value(fx.series, id_code) != (double)c->s.last_bottleneck) {
                if (code_failures++ < 5)
                    fprintf(stderr, "[%s] bottleneck code series %g, chain state %d\n", label,
                            lsim_series_last_value(fx.series, id_code), (int)c->s.last_bottleneck);
            }
            ++rows;
        }
    }
    LSIM_CHECK(rows > 0 && row_failures == 0, "[%s] %d of %ld rows of bottleneck shares do not sum to 1", label,
               row_failures, rows);
    LSIM_CHECK(code_failures == 0, "[%s] %d bad bottleneck codes", label, code_failures);

    double seconds = lsim_clock_time(&c->clock);
    double total = 0.0;
    printf("[%s] bottleneck shares over %.3g yr:", label, seconds / CHAIN_TEST_YEAR);
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b) {
        total += c->s.bottleneck_time[b];
        printf(" %s %.4f", lsim_bottleneck_name[b], c->s.bottleneck_time[b] / seconds);
    }
    printf("\n");
    /* Whole multiples of dt summed below 2^53 s are exact in binary; the
     * tolerance only covers a dt that is not a dyadic number. */
    LSIM_CHECK_CLOSE(total / seconds, 1.0, 4.0 * DBL_EPSILON * (double)c->clock.step, 0.0,
                     "one bottleneck per step: the step lengths sum to the run time");

    lsim_chain_summarise(c);
    double summary_total = 0.0;
    for (int b = 0; b < LSIM_BOTTLENECK_COUNT; ++b) {
        char name[64];
        snprintf(name, sizeof name, "bottleneck_share_%s", lsim_bottleneck_name[b]);
        double v = lsim_summary_get(fx.series, name);
        LSIM_CHECK(v >= 0.0 && v <= 1.0, "[%s] summary %s = %g", label, name, v);
        summary_total += v;
    }
    LSIM_CHECK_CLOSE(summary_total, 1.0, 0.0, 1e-12, "summary shares: eight quotients of exact sums, each within an ulp");
    chain_fixture_close(&fx);
    return 0;
}

int main(void)
{
    static const char *const defaults[] = {"run.duration=2 yr", NULL};
    static const char *const with_driver[] = {"run.duration=2 yr", "massdriver.drivers=1", NULL};
    static const char *const fixed[] = {"run.duration=2 yr", "chain.growth_policy=fixed", "massdriver.drivers=1",
                                        "run.time_step=15 min", NULL};
    if (run_case("default", defaults)) return 1;
    if (run_case("driver", with_driver)) return 1;
    if (run_case("fixed", fixed)) return 1;
    LSIM_TEST_MAIN_END();
}
