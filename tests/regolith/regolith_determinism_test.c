/* Bitwise determinism: a 1e5-agent fleet run with 1 and with 2 OpenMP
 * threads gives the same bits in every output and every agent array. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lsim_test.h"
#include "regolith.h"
#include "regolith_test_util.h"
#if defined(_OPENMP)
#include <omp.h>
#endif

#define STEPS 60

typedef struct {
    double mined[STEPS], energy[STEPS], power[STEPS];
    long operating[STEPS], failed[STEPS], repair[STEPS], failures[STEPS], retirements[STEPS];
    lsim_regolith fleet; /* kept for the array comparison */
} run_record;

static void run(int threads, run_record *r)
{
#if defined(_OPENMP)
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    lsim_params *p = regolith_test_params();
    const double hour = 3600.0;
    /* Every branch within 60 half-day steps, and growth. */
    regolith_test_set(p, "initial_excavators", 100000);
    regolith_test_every_branch(p);
    lsim_series_registry *s = lsim_series_new(16);
    regolith_test_init(&r->fleet, p, s, 0x5eed);
    lsim_clock c = regolith_test_clock(12.0 * hour);
    for (int k = 0; k < STEPS; ++k, c.step++) {
        if (k == 20) lsim_regolith_add_excavators(&r->fleet, 30000.5, &c);
        double demand = lsim_regolith_power_demand(&r->fleet, &c, INFINITY);
        /* A grant that sometimes binds so the duty is fractional. */
        double grant = (k % 3 == 0) ? 0.6 * demand : demand;
        r->power[k] = lsim_regolith_step(&r->fleet, &c, grant, INFINITY, &r->mined[k], &r->energy[k]);
        lsim_series_end_step(s, c.dt);
        r->operating[k] = r->fleet.n_operating;
        r->failed[k] = r->fleet.n_failed;
        r->repair[k] = r->fleet.n_under_repair;
        r->failures[k] = r->fleet.last_failures;
        r->retirements[k] = r->fleet.last_retirements;
    }
    lsim_series_free(s);
    r->fleet.series = NULL;
    lsim_params_free(p);
}

#define SAME_ARRAY(field, n)                                                                              \
    LSIM_CHECK(memcmp(a->fleet.field, b->fleet.field, (n) * sizeof *a->fleet.field) == 0,                  \
               "agent array " #field " differs between 1 and 2 threads")

int main(void)
{
    static run_record one, two;
    run(1, &one);
    run(2, &two);
#if defined(_OPENMP)
    LSIM_CHECK(omp_get_max_threads() == 2, "the second run used 2 threads");
#endif
    run_record *a = &one, *b = &two;
    LSIM_CHECK(memcmp(a->mined, b->mined, sizeof a->mined) == 0, "mined mass bitwise equal");
    LSIM_CHECK(memcmp(a->energy, b->energy, sizeof a->energy) == 0, "energy bitwise equal");
    LSIM_CHECK(memcmp(a->power, b->power, sizeof a->power) == 0, "power bitwise equal");
    LSIM_CHECK(memcmp(a->operating, b->operating, sizeof a->operating) == 0, "operating counts equal");
    LSIM_CHECK(memcmp(a->failed, b->failed, sizeof a->failed) == 0, "failed counts equal");
    LSIM_CHECK(memcmp(a->repair, b->repair, sizeof a->repair) == 0, "repair counts equal");
    LSIM_CHECK(memcmp(a->failures, b->failures, sizeof a->failures) == 0, "failure counts equal");
    LSIM_CHECK(memcmp(a->retirements, b->retirements, sizeof a->retirements) == 0, "retirement counts equal");
    LSIM_CHECK(a->fleet.count == b->fleet.count, "same number of slots");
    size_t n = a->fleet.count < b->fleet.count ? a->fleet.count : b->fleet.count;
    SAME_ARRAY(state, n);
    SAME_ARRAY(age, n);
    SAME_ARRAY(virtual_age, n);
    SAME_ARRAY(cumulative_hazard, n);
    SAME_ARRAY(repair_remaining, n);
    SAME_ARRAY(repair_count, n);
    SAME_ARRAY(unit_id, n);

    /* The run must actually have exercised the branches it claims to. */
    long failures = 0, retirements = 0;
    for (int k = 0; k < STEPS; ++k) {
        failures += a->failures[k];
        retirements += a->retirements[k];
    }
    LSIM_CHECK(failures > 10000 && retirements > 1000, "branches exercised: %ld failures, %ld retirements",
               failures, retirements);
    LSIM_CHECK(a->fleet.total_built == 130000, "growth happened: %ld built", a->fleet.total_built);
    lsim_regolith_free(&one.fleet);
    lsim_regolith_free(&two.fleet);
    LSIM_TEST_MAIN_END();
}
