/* Shared set-up for the regolith tests: a parameter registry holding the
 * regolith table, with values set in SI like a deck would. */
#ifndef REGOLITH_TEST_UTIL_H
#define REGOLITH_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

#include "regolith.h"

static inline lsim_params *regolith_test_params(void)
{
    lsim_params *p = lsim_params_new();
    if (!p || lsim_params_register(p, lsim_regolith_param_defs, lsim_regolith_param_count) != LSIM_OK) {
        fprintf(stderr, "cannot register regolith parameters: %s\n", lsim_last_error());
        exit(1);
    }
    /* These tests check the per-agent fleet, the reference model; the cohort
     * default is tested against it in regolith_fleet_models. */
    if (lsim_param_set_text(p, "regolith", "fleet_model", "agents", "test") != LSIM_OK) {
        fprintf(stderr, "cannot set regolith.fleet_model = agents: %s\n", lsim_last_error());
        exit(1);
    }
    return p;
}

static inline void regolith_test_set(lsim_params *p, const char *key, double si_value)
{
    if (lsim_param_set_real(p, "regolith", key, si_value, "test") != LSIM_OK) {
        fprintf(stderr, "cannot set regolith.%s = %g: %s\n", key, si_value, lsim_last_error());
        exit(1);
    }
}

static inline void regolith_test_set_text(lsim_params *p, const char *key, const char *value)
{
    if (lsim_param_set_text(p, "regolith", key, value, "test") != LSIM_OK) {
        fprintf(stderr, "cannot set regolith.%s = %s: %s\n", key, value, lsim_last_error());
        exit(1);
    }
}

/* Only the pieces a test names: every hazard off, no retirement, no delay. */
static inline void regolith_test_no_failures(lsim_params *p)
{
    regolith_test_set(p, "infant_scale", 0.0);
    regolith_test_set(p, "random_scale", 0.0);
    regolith_test_set(p, "wearout_scale", 0.0);
    regolith_test_set(p, "max_life", 0.0);
    regolith_test_set(p, "max_repairs", 0.0);
    regolith_test_set(p, "repair_delay", 0.0);
}

/* Short lives so every branch of the per-agent wear runs within a few dozen
 * half-day steps: infant, random and wear-out failures, delays, lognormal
 * repairs, imperfect repair, retirement by life and by repair count,
 * compaction. */
static inline void regolith_test_every_branch(lsim_params *p)
{
    const double hour = 3600.0;
    regolith_test_set(p, "infant_scale", 1.0e7);
    regolith_test_set(p, "random_scale", 200.0 * hour);
    regolith_test_set(p, "wearout_scale", 300.0 * hour);
    regolith_test_set(p, "max_life", 400.0 * hour);
    regolith_test_set(p, "max_repairs", 3);
    regolith_test_set(p, "repair_mean", 30.0 * hour);
    regolith_test_set(p, "repair_delay", 6.0 * hour);
    regolith_test_set(p, "repair_age_restoration", 0.3);
}

static inline lsim_clock regolith_test_clock(double dt)
{
    lsim_clock c = {.dt = dt, .duration = 1.0e9, .step_count = 0, .steps_per_output = 1, .step = 0,
                    .epoch = "2030-01-01 00:00:00"};
    return c;
}

static inline void regolith_test_init(lsim_regolith *m, const lsim_params *p, lsim_series_registry *s, uint64_t seed)
{
    if (lsim_regolith_init(m, p, s, seed) != LSIM_OK) {
        fprintf(stderr, "lsim_regolith_init failed: %s\n", lsim_last_error());
        exit(1);
    }
}

#endif
