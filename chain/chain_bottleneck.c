/* What limited the chain in a step: a walk upstream from orbital assembly.
 *
 * Each stage either ran at its own capacity (its units could do no more),
 * was short of power (the bus granted less than it asked for), or was short
 * of input (it did less than its capacity with all the power it asked for,
 * so the cause lies upstream). The first stage met on the way up that ran at
 * capacity or short of power names the step's limit. A stage at its
 * capacity with every watt it asked for is the limit even when its power
 * demand equals the power it could use: ties do not go to power. */
#include "chain_internal.h"

/* A stage's output within round-off of its capacity ran at capacity. */
static int lsim_at_capacity(const lsim_stage_use *use)
{
    return use->output >= use->capacity * (1.0 - 1e-9);
}

static const lsim_bottleneck lsim_stage_bottleneck[LSIM_STAGE_COUNT] = {
    LSIM_BOTTLENECK_MINING, LSIM_BOTTLENECK_REFINING, LSIM_BOTTLENECK_FABRICATION, LSIM_BOTTLENECK_LAUNCH,
    LSIM_BOTTLENECK_MANUFACTURING};

static lsim_bottleneck lsim_walk_from(const lsim_chain_step_work *w, lsim_stage first)
{
    for (int stage = (int)first; stage >= 0; --stage) {
        if (w->use[stage].power_short) return LSIM_BOTTLENECK_POWER;
        if (lsim_at_capacity(&w->use[stage])) return lsim_stage_bottleneck[stage];
    }
    /* Mining below its capacity with its power: nothing upstream of it. */
    return LSIM_BOTTLENECK_MINING;
}

void lsim_chain_find_limits(const lsim_chain *c, lsim_chain_step_work *w)
{
    if (w->orbit.limit == LSIM_ORBIT_LIMIT_CHIPS)
        w->bottleneck = LSIM_BOTTLENECK_EARTH_PARTS;
    else if (w->orbit.limit == LSIM_ORBIT_LIMIT_ASSEMBLY)
        w->bottleneck = LSIM_BOTTLENECK_ASSEMBLY;
    else if (w->no_drivers)
        w->bottleneck = LSIM_BOTTLENECK_LAUNCH; /* nothing leaves until the first track is complete */
    else
        w->bottleneck = lsim_walk_from(w, LSIM_STAGE_LAUNCH);
    /* The growth engine (mining, refining and the power they need) makes all
     * new metal, and manufacturing turns it into units: metal that waited
     * for room in the queue last step names manufacturing, even while power
     * runs short: metal that piles up says what growth lacks, and the
     * panels kept on the surface answer power either way. */
    w->surface_bottleneck = lsim_walk_from(w, LSIM_STAGE_REFINING);
    if (c->s.manufacturing_short) w->surface_bottleneck = LSIM_BOTTLENECK_MANUFACTURING;
}
