/* Grant policies: how the power the bus delivered, after the base load, is
 * shared among the stages when it falls short of their demands. */
#include "chain_internal.h"

#include <math.h>

static void lsim_grant_proportional(const double demand[LSIM_STAGE_COUNT], double available,
                                    double grant[LSIM_STAGE_COUNT])
{
    double total = 0.0;
    for (int i = 0; i < LSIM_STAGE_COUNT; ++i) total += demand[i];
    double fraction = total > 0.0 ? fmin(1.0, fmax(0.0, available) / total) : 0.0;
    for (int i = 0; i < LSIM_STAGE_COUNT; ++i) grant[i] = demand[i] * fraction;
}

/* Upstream stages keep the pipeline fed; downstream ones wait. */
static void lsim_grant_upstream_first(const double demand[LSIM_STAGE_COUNT], double available,
                                      double grant[LSIM_STAGE_COUNT])
{
    double left = fmax(0.0, available);
    for (int i = 0; i < LSIM_STAGE_COUNT; ++i) {
        grant[i] = fmin(demand[i], left);
        left -= grant[i];
    }
}

#define LSIM_GRANT_ROW(name, doc) {LSIM_VARIANT_HEAD(name, doc), lsim_grant_##name},
static const lsim_grant_policy lsim_grant_policies[] = {LSIM_GRANT_POLICIES(LSIM_GRANT_ROW)};

const lsim_grant_policy *lsim_grant_policy_find(const char *name)
{
    return LSIM_VARIANT_FIND(lsim_grant_policies, name);
}
