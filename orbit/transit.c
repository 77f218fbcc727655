#include "transit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t lsim_orbit_transit_steps(double transit_time, double dt)
{
    if (!(transit_time > 0.0) || !(dt > 0.0)) return 0;
    double ratio = transit_time / dt;
    double whole = round(ratio);
    /* A ratio within a few ulps of a whole number is that number: the user
     * meant "exactly 72 steps", not 72.00000000000001. */
    if (fabs(ratio - whole) <= 1e-9 * whole) return (size_t)whole;
    return (size_t)ceil(ratio);
}

lsim_status lsim_orbit_transit_init(lsim_orbit_transit *t, size_t steps)
{
    memset(t, 0, sizeof *t);
    t->steps = steps;
    if (steps > 0) {
        t->slots = calloc(steps * LSIM_ORBIT_STREAM_COUNT, sizeof *t->slots);
        if (!t->slots)
            return lsim_fail(LSIM_ERR_RUN, "orbit: cannot allocate the transit delay line of %zu steps", steps);
    }
    return LSIM_OK;
}

void lsim_orbit_transit_advance(lsim_orbit_transit *t, const double launched[LSIM_ORBIT_STREAM_COUNT],
                                double arrived[LSIM_ORBIT_STREAM_COUNT])
{
    if (t->steps == 0) {
        for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) arrived[s] = launched[s];
        return;
    }
    double *slot = t->slots + t->head * LSIM_ORBIT_STREAM_COUNT;
    for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
        arrived[s] = slot[s];
        slot[s] = launched[s];
        t->in_transit[s] += launched[s];
        t->in_transit[s] -= arrived[s];
    }
    if (++t->head == t->steps) {
        t->head = 0;
        /* Once per lap, re-add the contents in slot order: the running total
         * then carries no rounding older than one flight, and an empty line
         * reads exactly zero. Amortised O(1) per step. */
        for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
            double sum = 0.0;
            for (size_t k = 0; k < t->steps; ++k) sum += t->slots[k * LSIM_ORBIT_STREAM_COUNT + (size_t)s];
            t->in_transit[s] = sum;
        }
    }
}

void lsim_orbit_transit_free(lsim_orbit_transit *t)
{
    free(t->slots);
    t->slots = NULL;
    t->steps = 0;
}
