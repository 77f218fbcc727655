/* Bitwise determinism: a case run twice gives the same bits, and cases run
 * on two OpenMP threads (each in its own cpSpace) give the bits they give
 * run one after the other. */
#include <string.h>

#include "granular.h"
#include "lsim_test.h"

#ifdef _OPENMP
#include <omp.h>
#endif

static int same(const lsim_granular_result *a, const lsim_granular_result *b)
{
    return memcmp(&a->draft_force, &b->draft_force, sizeof a->draft_force) == 0 &&
           memcmp(a->profile, b->profile, sizeof a->profile) == 0 &&
           memcmp(&a->packing_fraction, &b->packing_fraction, sizeof a->packing_fraction) == 0 &&
           memcmp(&a->collected_mass, &b->collected_mass, sizeof a->collected_mass) == 0 &&
           memcmp(&a->vertical_force, &b->vertical_force, sizeof a->vertical_force) == 0 &&
           a->grain_count == b->grain_count && a->settle_steps == b->settle_steps;
}

int main(void)
{
    enum { N = 2 };
    lsim_granular_case c[N];
    for (int k = 0; k < N; ++k) {
        lsim_granular_default_case(&c[k], LSIM_GRANULAR_DEFAULT_FRICTION_ANGLE);
        c[k].cut_depth = k ? 0.025 : 0.02;
        c[k].seed = (uint64_t)(k + 7);
        lsim_granular_fit_bed(&c[k]);
    }
    lsim_granular_result serial[N], again, parallel[N];
    for (int k = 0; k < N; ++k) LSIM_CHECK(lsim_granular_run(&c[k], &serial[k]) == LSIM_OK, "serial %d", k);
    LSIM_CHECK(lsim_granular_run(&c[0], &again) == LSIM_OK, "repeat");
    LSIM_CHECK(same(&serial[0], &again), "same case twice: %.17g vs %.17g N/m", serial[0].draft_force,
               again.draft_force);
#ifdef _OPENMP
    omp_set_num_threads(2);
#endif
    LSIM_CHECK(lsim_granular_run_many(c, parallel, N) == LSIM_OK, "run_many: %s", lsim_last_error());
    for (int k = 0; k < N; ++k)
        LSIM_CHECK(same(&serial[k], &parallel[k]), "case %d on 2 threads: %.17g vs serial %.17g N/m", k,
                   parallel[k].draft_force, serial[k].draft_force);
    LSIM_CHECK(serial[0].draft_force != serial[1].draft_force, "different cases differ");

    /* Bad input is a one-line error, not a crash. */
    lsim_granular_case bad = c[0];
    bad.rake_angle = 0.0;
    lsim_granular_result r;
    LSIM_CHECK(lsim_granular_run(&bad, &r) == LSIM_ERR_INPUT, "zero rake must be rejected");
    bad = c[0];
    bad.bed_length = 0.1;
    LSIM_CHECK(lsim_granular_run(&bad, &r) == LSIM_ERR_INPUT, "a bed too short for the wedge must be rejected");
    bad = c[1];
    bad.grain_sides = 2;
    LSIM_CHECK(lsim_granular_run_many(&bad, &r, 1) == LSIM_ERR_INPUT, "run_many passes input errors on");
    LSIM_CHECK(strstr(lsim_last_error(), "case 0") != NULL, "message names the case: %s", lsim_last_error());
    LSIM_TEST_MAIN_END();
}
