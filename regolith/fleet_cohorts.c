/* The cohorts fleet model (regolith.fleet_model = cohorts): the excavators
 * as age cohorts of core/cohort.h. Its census maps onto the module's: in
 * service = operating, in repair = under repair (the repair delay is folded
 * into the exponential repair time, so no unit waits as "failed"). Units age
 * in calendar time whatever their duty, where the agents age only while
 * digging: the two agree at full duty for units never repaired, or for a
 * constant hazard (tests/regolith/regolith_fleet_models_test.c). */
#include <math.h>

#include "fleet_model.h"

lsim_status lsim_regolith_fleet_cohorts_init(lsim_regolith *m)
{
    (void)m; /* the cohort fleet is set up by lsim_regolith_init, which has the parameters */
    return LSIM_OK;
}

lsim_status lsim_regolith_fleet_cohorts_add(lsim_regolith *m, double units, double now)
{
    return lsim_cohort_add(&m->cohorts, units, now, 0.0);
}

static void take_census(lsim_regolith *m)
{
    m->n_operating = (long)m->cohorts.total_in_service;
    m->n_failed = 0;
    m->n_under_repair = (long)m->cohorts.total_in_repair;
    m->n_retired_in_place = 0;
}

/* Wear ticks due by the end of the step ((step + 1) dt) run; `worked` is
 * not used: cohorts age in calendar time. */
void lsim_regolith_fleet_cohorts_wear(lsim_regolith *m, const lsim_clock *clock, double worked, long *failures,
                                      long *retirements, size_t *work)
{
    (void)worked;
    *work = m->cohorts.count;
    lsim_cohort_step_result out;
    lsim_cohort_step(&m->cohorts, (double)(clock->step + 1) * clock->dt, INFINITY, &out);
    *failures = (long)out.failed_service;
    *retirements = (long)(out.retired_failed + out.retired_age);
    take_census(m);
}

lsim_status lsim_regolith_fleet_cohorts_state(lsim_regolith *m, lsim_state *s)
{
    return lsim_cohort_state(&m->cohorts, s, "regolith.cohorts");
}

void lsim_regolith_fleet_cohorts_free(lsim_regolith *m) { lsim_cohort_free(&m->cohorts); }
