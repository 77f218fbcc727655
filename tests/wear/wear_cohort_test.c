/* The cohort fleet (core/cohort.h) against what its hazard predicts:
 * decay without repair, steady-state availability with repair, burn-in
 * moving failures to the ground, exact census and conservation, a
 * checkpoint round trip that continues bit for bit, one-line errors, and
 * the cost of a 10^7-unit fleet against a 10^3-unit one (printed, not
 * asserted: timings on a shared machine are not a pass/fail matter).
 *
 * Every count compared with a formula here is a binomial variate with that
 * formula as its mean (each unit's fate is an independent thinning), so the
 * tolerance is 4 binomial standard errors sqrt(N P (1-P)) (two-sided
 * normal tail 6e-5 per check, with fixed seeds). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cohort.h"
#include "lsim_test.h"
#include "rng.h"

#define DAY 86400.0
#define YEAR (365.25 * DAY)

static lsim_cohort_config base_config(void)
{
    lsim_cohort_config c;
    memset(&c, 0, sizeof c);
    c.hazard.shape[LSIM_HAZARD_INFANT] = 0.5;
    c.hazard.scale[LSIM_HAZARD_INFANT] = 40.0 * YEAR;
    c.hazard.shape[LSIM_HAZARD_RANDOM] = 1.0;
    c.hazard.scale[LSIM_HAZARD_RANDOM] = 10.0 * YEAR;
    c.hazard.shape[LSIM_HAZARD_WEAROUT] = 3.0;
    c.hazard.scale[LSIM_HAZARD_WEAROUT] = 12.0 * YEAR;
    c.cohort_interval = 30.0 * DAY;
    c.wear_interval = DAY;
    c.seed = 20240611;
    c.stream = LSIM_STREAM_TEST + 0x10;
    return c;
}

static void init_or_die(lsim_cohort_fleet *f, const lsim_cohort_config *c, double now)
{
    if (lsim_cohort_init(f, c, "test fleet", now) != LSIM_OK) {
        fprintf(stderr, "init: %s\n", lsim_last_error());
        exit(2);
    }
}

static void add_or_die(lsim_cohort_fleet *f, double count, double now, double initial_age)
{
    if (lsim_cohort_add(f, count, now, initial_age) != LSIM_OK) {
        fprintf(stderr, "add: %s\n", lsim_last_error());
        exit(2);
    }
}

static double binomial_se(double n, double p) { return sqrt(n * p * (1.0 - p)); }

/* Census totals are the sums over cohorts, and every unit built is alive,
 * scrapped, retired or removed: exact, as the counts are integers. */
static void check_books(const lsim_cohort_fleet *f, const char *when)
{
    double b = 0.0, s = 0.0, r = 0.0;
    for (size_t i = 0; i < f->count; ++i) {
        b += f->burn_in[i];
        s += f->in_service[i];
        r += f->in_repair[i];
        LSIM_CHECK(f->burn_in[i] + f->in_service[i] + f->in_repair[i] > 0.0, "%s: empty cohort %zu kept", when, i);
        LSIM_CHECK(i == 0 || f->build_time[i] > f->build_time[i - 1], "%s: cohorts out of build order at %zu", when, i);
    }
    LSIM_CHECK(b == f->total_burn_in && s == f->total_in_service && r == f->total_in_repair,
               "%s: census %g/%g/%g != cohort sums %g/%g/%g", when, f->total_burn_in, f->total_in_service,
               f->total_in_repair, b, s, r);
    LSIM_CHECK(f->built_total ==
                   lsim_cohort_alive(f) + f->failed_burn_in_total + f->retired_total + f->removed_total,
               "%s: built %.17g != alive %.17g + scrapped %.17g + retired %.17g + removed %.17g", when, f->built_total,
               lsim_cohort_alive(f), f->failed_burn_in_total, f->retired_total, f->removed_total);
}

/* No growth, no repair: survivors at T are Binomial(N0, exp(-H(T))). */
static void test_decay(void)
{
    lsim_cohort_config c = base_config();
    lsim_cohort_fleet f;
    init_or_die(&f, &c, 0.0);
    const double n0 = 1.0e7;
    add_or_die(&f, n0, 0.0, 0.0);
    const double checkpoints[] = {30.0 * DAY, 1.0 * YEAR, 5.0 * YEAR, 12.0 * YEAR, 20.0 * YEAR};
    for (size_t j = 0; j < sizeof checkpoints / sizeof checkpoints[0]; ++j) {
        /* whole days, so the last tick ends exactly at T */
        const double t = floor(checkpoints[j] / DAY) * DAY;
        lsim_cohort_step(&f, t, INFINITY, NULL);
        const double survive = exp(-lsim_bathtub_cumulative(&c.hazard, t));
        printf("decay: t = %.0f d: %.0f alive, expected %.1f (se %.1f)\n", t / DAY, f.total_in_service, n0 * survive,
               binomial_se(n0, survive));
        LSIM_CHECK_CLOSE(f.total_in_service, n0 * survive, 0.0, 4.0 * binomial_se(n0, survive),
                         "4 binomial standard errors");
        check_books(&f, "decay");
    }
    LSIM_CHECK(f.retired_total == f.failed_service_total, "without repair every failure retires");
    lsim_cohort_free(&f);
}

/* Constant hazard 1/MTBF, every failure repaired in an exponential time of
 * mean MTTR. Each unit alternates between service and repair; per tick it
 * fails with q = 1 - exp(-dt/MTBF) and returns with r = 1 - exp(-dt/MTTR),
 * so in the stationary state it is in service with probability r/(q + r),
 * and the in-service count is Binomial(N, r/(q + r)). That tends to the
 * renewal result MTBF/(MTBF + MTTR) as dt -> 0; the difference at first
 * order is A (1 - A) (dt/2) |1/MTTR - 1/MTBF|, 3.7e-4 here, which the
 * comparison with the renewal formula adds to its tolerance (doubled). */
static void test_repair_availability(void)
{
    lsim_cohort_config c = base_config();
    const double mtbf = 100.0 * DAY, mttr = 10.0 * DAY;
    memset(&c.hazard, 0, sizeof c.hazard);
    c.hazard.shape[LSIM_HAZARD_RANDOM] = 1.0;
    c.hazard.scale[LSIM_HAZARD_RANDOM] = mtbf;
    c.repair_share = 1.0;
    c.repair_mean_time = mttr;
    c.wear_interval = 0.1 * DAY;
    lsim_cohort_fleet f;
    init_or_die(&f, &c, 0.0);
    const double n = 1.0e6;
    add_or_die(&f, n, 0.0, 0.0);
    const double q = -expm1(-c.wear_interval / mtbf), r = -expm1(-c.wear_interval / mttr);
    const double a_discrete = r / (q + r);
    const double a_renewal = mtbf / (mtbf + mttr);
    const double bias = a_renewal * (1.0 - a_renewal) * 0.5 * c.wear_interval * fabs(1.0 / mttr - 1.0 / mtbf);
    /* from 30 MTTR on the start-up transient exp(-(q+r) t/dt) is below 1e-13 */
    for (int j = 0; j < 4; ++j) {
        const double t = (300.0 + 50.0 * j) * DAY;
        lsim_cohort_step(&f, t, INFINITY, NULL);
        const double share = f.total_in_service / n;
        printf("repair: t = %.0f d: availability %.6f, discrete %.6f, renewal %.6f (se %.2g, dt bias %.2g)\n", t / DAY,
               share, a_discrete, a_renewal, binomial_se(n, a_discrete) / n, bias);
        LSIM_CHECK_CLOSE(f.total_in_service, n * a_discrete, 0.0, 4.0 * binomial_se(n, a_discrete),
                         "4 binomial standard errors around the discrete-time stationary share");
        LSIM_CHECK_CLOSE(share, a_renewal, 0.0, 2.0 * bias + 4.0 * binomial_se(n, a_discrete) / n,
                         "twice the first-order tick bias + 4 binomial standard errors");
        LSIM_CHECK(lsim_cohort_alive(&f) == n, "with every failure repaired nothing leaves the fleet");
        check_books(&f, "repair");
    }
    /* no spares: every failure retires */
    lsim_cohort_step_result out;
    lsim_cohort_step(&f, 460.0 * DAY, 0.0, &out);
    LSIM_CHECK(out.repairs_started == 0.0 && out.retired_failed == out.failed_service && out.failed_service > 0.0,
               "with no repairs allowed, the %g failures must all retire (repairs %g)", out.failed_service,
               out.repairs_started);
    /* a cap of 7 repairs over a call of 10 days holds over all its ticks */
    lsim_cohort_step(&f, 470.0 * DAY, 7.0, &out);
    LSIM_CHECK(out.repairs_started == 7.0 && out.retired_failed == out.failed_service - 7.0,
               "repair cap 7: %g repairs started of %g failures", out.repairs_started, out.failed_service);
    check_books(&f, "repair cap");
    lsim_cohort_free(&f);
}

/* Burn-in of tau on the ground: scrapped units are Binomial(N0, 1 - exp(-H(tau))),
 * failures over the first T of service Binomial(N0, exp(-H(tau)) (1 - exp(-(H(tau+T) - H(tau))))).
 * tau is 30.5 days, so the units enter service in the middle of a tick. */
static void test_burn_in(void)
{
    lsim_cohort_config c = base_config();
    c.hazard.scale[LSIM_HAZARD_INFANT] = 2.0 * YEAR; /* strong infant mortality */
    c.burn_in_time = 30.5 * DAY;
    const double n0 = 1.0e7, service_span = 364.5 * DAY;
    lsim_cohort_fleet f;
    init_or_die(&f, &c, 0.0);
    add_or_die(&f, n0, 0.0, 0.0);
    lsim_cohort_step_result out;
    lsim_cohort_step(&f, c.burn_in_time + service_span, INFINITY, &out);
    const double h_tau = lsim_bathtub_cumulative(&c.hazard, c.burn_in_time);
    const double h_end = lsim_bathtub_cumulative(&c.hazard, c.burn_in_time + service_span);
    const double p_ground = -expm1(-h_tau);
    const double p_service = exp(-h_tau) * -expm1(-(h_end - h_tau));
    printf("burn-in: ground failures %.0f expected %.1f (se %.1f); service failures %.0f expected %.1f (se %.1f)\n",
           out.failed_burn_in, n0 * p_ground, binomial_se(n0, p_ground), out.failed_service, n0 * p_service,
           binomial_se(n0, p_service));
    LSIM_CHECK_CLOSE(out.failed_burn_in, n0 * p_ground, 0.0, 4.0 * binomial_se(n0, p_ground),
                     "4 binomial standard errors");
    LSIM_CHECK_CLOSE(out.failed_service, n0 * p_service, 0.0, 4.0 * binomial_se(n0, p_service),
                     "4 binomial standard errors");
    LSIM_CHECK(out.entered_service == n0 - out.failed_burn_in, "every burn-in survivor enters service");
    check_books(&f, "burn-in");
    lsim_cohort_free(&f);

    /* the same fleet without burn-in fails in service over its first T as
     * Binomial(N0, 1 - exp(-H(T))): more than with burn-in, by the infant share */
    c.burn_in_time = 0.0;
    init_or_die(&f, &c, 0.0);
    add_or_die(&f, n0, 0.0, 0.0);
    lsim_cohort_step(&f, service_span + 0.5 * DAY, INFINITY, &out);
    const double p_plain = -expm1(-lsim_bathtub_cumulative(&c.hazard, 365.0 * DAY));
    LSIM_CHECK_CLOSE(out.failed_service, n0 * p_plain, 0.0, 4.0 * binomial_se(n0, p_plain),
                     "4 binomial standard errors");
    LSIM_CHECK(out.failed_burn_in == 0.0 && out.failed_service > n0 * p_service + 8.0 * binomial_se(n0, p_service),
               "burn-in must move failures out of service: %g in service without it vs %g with", out.failed_service,
               n0 * p_service);
    lsim_cohort_free(&f);
}

/* A busy fleet: daily growth, burn-in, repair with a cap, max_life,
 * removals. Returns the fleet after `days`; used for the books and the
 * checkpoint test. */
static lsim_cohort_config busy_config(void)
{
    lsim_cohort_config c = base_config();
    c.burn_in_time = 10.0 * DAY;
    c.repair_share = 0.7;
    c.repair_mean_time = 20.0 * DAY;
    c.max_life = 3.0 * YEAR;
    c.hazard.scale[LSIM_HAZARD_RANDOM] = 1.0 * YEAR;
    return c;
}

static void busy_days(lsim_cohort_fleet *f, int from_day, int to_day)
{
    for (int d = from_day; d < to_day; ++d) {
        double now = d * DAY;
        add_or_die(f, 1000.0 + 0.37 * d, now, 0.0);
        if (d % 97 == 0) lsim_cohort_remove(f, 250.0);
        lsim_cohort_step(f, now + DAY, 5.0 + (d % 13), NULL);
    }
}

static void test_books_and_checkpoint(void)
{
    lsim_cohort_config c = busy_config();
    lsim_cohort_fleet straight, resumed;
    init_or_die(&straight, &c, 0.0);
    add_or_die(&straight, 5000.0, 0.0, 2.0 * YEAR); /* a seed fleet already run in */
    busy_days(&straight, 0, 1500);
    check_books(&straight, "busy fleet");
    LSIM_CHECK(straight.retired_total > 0.0 && straight.repairs_total > 0.0 && straight.failed_burn_in_total > 0.0 &&
                   straight.removed_total > 0.0,
               "the busy fleet must exercise every path (retired %g, repairs %g, scrapped %g, removed %g)",
               straight.retired_total, straight.repairs_total, straight.failed_burn_in_total, straight.removed_total);
    /* max_life 3 yr and cohorts of 30 days: about 37 cohorts, never more than 3 yr / 30 d + 2 */
    LSIM_CHECK(straight.count <= (size_t)(3.0 * YEAR / c.cohort_interval) + 2, "%zu cohorts for a 3-year life",
               straight.count);

    lsim_state *saver = lsim_state_new_saver();
    if (!saver || lsim_cohort_state(&straight, saver, "wear.test") != LSIM_OK) {
        fprintf(stderr, "save: %s\n", lsim_last_error());
        exit(2);
    }
    lsim_state_header header;
    memset(&header, 0, sizeof header);
    header.format_version = LSIM_STATE_FORMAT_VERSION;
    if (lsim_state_write_file(saver, "wear_cohort.ckpt", &header) != LSIM_OK) {
        fprintf(stderr, "write: %s\n", lsim_last_error());
        exit(2);
    }
    lsim_state_free(saver);
    lsim_state *loader = NULL;
    if (lsim_state_read_file(&loader, "wear_cohort.ckpt", &header) != LSIM_OK) {
        fprintf(stderr, "read: %s\n", lsim_last_error());
        exit(2);
    }
    init_or_die(&resumed, &c, 0.0);
    LSIM_CHECK(lsim_cohort_state(&resumed, loader, "wear.test") == LSIM_OK, "load: %s", lsim_last_error());
    lsim_state_free(loader);

    busy_days(&straight, 1500, 2000);
    busy_days(&resumed, 1500, 2000);
    /* exact: the contract is the same bits */
    LSIM_CHECK(straight.count == resumed.count, "cohorts %zu vs %zu after resuming", straight.count, resumed.count);
    size_t n = straight.count < resumed.count ? straight.count : resumed.count;
    LSIM_CHECK(memcmp(straight.build_time, resumed.build_time, n * sizeof(double)) == 0 &&
                   memcmp(straight.burn_in, resumed.burn_in, n * sizeof(double)) == 0 &&
                   memcmp(straight.in_service, resumed.in_service, n * sizeof(double)) == 0 &&
                   memcmp(straight.in_repair, resumed.in_repair, n * sizeof(double)) == 0 &&
                   memcmp(straight.serial, resumed.serial, n * sizeof(uint64_t)) == 0,
               "cohort arrays differ after resuming");
    LSIM_CHECK(straight.retired_total == resumed.retired_total && straight.repairs_total == resumed.repairs_total &&
                   straight.tick == resumed.tick && straight.next_tick == resumed.next_tick &&
                   straight.pending == resumed.pending && straight.next_serial == resumed.next_serial,
               "fleet scalars differ after resuming");
    check_books(&resumed, "resumed");
    lsim_cohort_free(&straight);
    lsim_cohort_free(&resumed);
}

static void test_merging(void)
{
    lsim_cohort_config c = base_config();
    c.cohort_interval = 7.0 * DAY;
    lsim_cohort_fleet f;
    init_or_die(&f, &c, 0.0);
    for (int d = 0; d < 70; ++d) add_or_die(&f, 2.5, d * DAY, 0.0);
    LSIM_CHECK(f.count == 10, "70 daily adds with a 7-day cohort interval make %zu cohorts, expected 10", f.count);
    LSIM_CHECK(f.build_time[3] == 21.0 * DAY, "a cohort's build time is its first build time: %g d",
               f.build_time[3] / DAY);
    LSIM_CHECK(f.built_total == 175.0 && f.pending == 0.0, "2.5 units a day for 70 days is 175 whole units, got %g + %g",
               f.built_total, f.pending);
    /* a seed fleet already run in goes before, in build order, in service */
    add_or_die(&f, 40.0, 70.0 * DAY, 1.0 * YEAR);
    LSIM_CHECK(f.count == 11 && f.build_time[0] == 70.0 * DAY - YEAR && f.in_service[0] == 40.0,
               "a seed fleet with initial_age goes first in build order");
    /* removal takes the youngest first: whole units alternate 2, 3, 2, ...
     * (day d gives 3 when d is odd), so the last cohort (days 63-69) holds
     * 18 and the one before (56-62) 17; removing 20 empties the last
     * (which is dropped) and leaves 15 in the one before */
    double removed = lsim_cohort_remove(&f, 20.0);
    LSIM_CHECK(removed == 20.0 && f.count == 10 && f.in_service[9] == 15.0,
               "remove 20 takes the youngest cohorts first (%zu cohorts, last holds %g)", f.count, f.in_service[9]);
    check_books(&f, "merging");
    lsim_cohort_free(&f);
}

static void test_bad_input(void)
{
    lsim_cohort_fleet f;
    lsim_cohort_config c = base_config();
    c.repair_share = 1.5;
    LSIM_CHECK(lsim_cohort_init(&f, &c, "plants", 0.0) == LSIM_ERR_INPUT && strstr(lsim_last_error(), "plants") &&
                   strstr(lsim_last_error(), "repair_share") && strstr(lsim_last_error(), "1.5"),
               "bad repair_share: '%s'", lsim_last_error());
    c = base_config();
    c.wear_interval = 0.0;
    LSIM_CHECK(lsim_cohort_init(&f, &c, "plants", 0.0) == LSIM_ERR_INPUT && strstr(lsim_last_error(), "wear_interval"),
               "bad wear_interval: '%s'", lsim_last_error());
    c = base_config();
    c.hazard.shape[LSIM_HAZARD_WEAROUT] = -2.0;
    LSIM_CHECK(lsim_cohort_init(&f, &c, "plants", 0.0) == LSIM_ERR_INPUT && strstr(lsim_last_error(), "wearout shape"),
               "bad shape: '%s'", lsim_last_error());
    c = base_config();
    c.burn_in_time = NAN;
    LSIM_CHECK(lsim_cohort_init(&f, &c, "plants", 0.0) == LSIM_ERR_INPUT && strstr(lsim_last_error(), "burn_in_time"),
               "bad burn-in: '%s'", lsim_last_error());
    c = base_config();
    init_or_die(&f, &c, 0.0);
    LSIM_CHECK(lsim_cohort_add(&f, -3.0, 0.0, 0.0) == LSIM_ERR_INPUT && strchr(lsim_last_error(), '\n') == NULL,
               "a negative count is refused on one line: '%s'", lsim_last_error());
    lsim_cohort_free(&f);
}

/* 10^7 and 10^3 units in the same cohorts (daily adds for a year, 30-day
 * cohorts) worn daily for 30 years: the cost follows the cohorts. */
static double wear_seconds(double units, size_t *cohort_ticks)
{
    lsim_cohort_config c = base_config();
    c.repair_share = 0.5;
    c.repair_mean_time = 5.0 * DAY;
    lsim_cohort_fleet f;
    init_or_die(&f, &c, 0.0);
    for (int d = 0; d < 365; ++d) add_or_die(&f, units / 365.0, d * DAY, 0.0);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    *cohort_ticks = 0;
    for (int d = 1; d <= (int)(30 * 365.25); ++d) {
        *cohort_ticks += f.count;
        lsim_cohort_step(&f, d * DAY, INFINITY, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    lsim_cohort_free(&f);
    return (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec);
}

static void report_scaling(void)
{
    size_t ticks_big, ticks_small;
    double big = wear_seconds(1.0e7, &ticks_big);
    double small = wear_seconds(1.0e3, &ticks_small);
    printf("scaling: 1e7 units: %.3f s for %zu cohort-ticks (%.0f ns each); 1e3 units: %.3f s for %zu (%.0f ns each)\n",
           big, ticks_big, 1e9 * big / (double)ticks_big, small, ticks_small, 1e9 * small / (double)ticks_small);
}

int main(void)
{
    test_decay();
    test_repair_availability();
    test_burn_in();
    test_books_and_checkpoint();
    test_merging();
    test_bad_input();
    report_scaling();
    LSIM_TEST_MAIN_END();
}
