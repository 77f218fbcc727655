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

lsim_status lsim_orbit_transit_init(lsim_orbit_transit *t, size_t first_step, size_t bins, const double *weights)
{
    memset(t, 0, sizeof *t);
    if (bins == 0 || !weights) return lsim_fail(LSIM_ERR_INPUT, "orbit: a flight schedule needs an arrival step");
    t->first_step = first_step;
    t->bins = bins;
    t->weights = weights;
    for (size_t j = 1; j < bins; ++j)
        if (weights[j] > weights[t->carrier]) t->carrier = j;
    t->length = first_step + bins - 1;
    if (t->length > 0) {
        t->slots = calloc(t->length * LSIM_ORBIT_STREAM_COUNT, sizeof *t->slots);
        if (!t->slots)
            return lsim_fail(LSIM_ERR_RUN, "orbit: cannot allocate the %zu arrival steps of the flight", t->length);
    }
    return LSIM_OK;
}

/* Where the arrivals of bin j of this step's launch are held. */
static double *bin_slot(lsim_orbit_transit *t, size_t j, double *arrived_now)
{
    size_t offset = t->first_step + j;
    return offset == 0 ? arrived_now : t->slots + ((t->head + offset) % t->length) * LSIM_ORBIT_STREAM_COUNT;
}

void lsim_orbit_transit_advance(lsim_orbit_transit *t, const double launched[LSIM_ORBIT_STREAM_COUNT],
                                double arrived[LSIM_ORBIT_STREAM_COUNT])
{
    double *due = t->length > 0 ? t->slots + t->head * LSIM_ORBIT_STREAM_COUNT : NULL;
    for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
        arrived[s] = due ? due[s] : 0.0;
        if (due) due[s] = 0.0;
    }
    /* Offset o = n0 + j steps ahead is slot (head + o) mod length; o = length
     * lands on the head slot just emptied, which is read again in `length`
     * steps; o = 0 arrives now. */
    double rest[LSIM_ORBIT_STREAM_COUNT];
    for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) rest[s] = launched[s];
    for (size_t j = 0; j < t->bins; ++j) {
        if (j == t->carrier) continue;
        double *slot = bin_slot(t, j, arrived);
        for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
            double piece = launched[s] * t->weights[j];
            slot[s] += piece;
            rest[s] -= piece;
        }
    }
    double *carrier = bin_slot(t, t->carrier, arrived);
    for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) carrier[s] += rest[s];
    for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
        t->in_transit[s] += launched[s];
        t->in_transit[s] -= arrived[s];
    }
    if (t->length == 0) return;
    if (++t->head == t->length) {
        t->head = 0;
        /* Once per lap, re-add the contents in slot order: the running total
         * then carries no rounding older than one flight, and an empty ring
         * reads exactly zero. Amortised O(1) per step. */
        for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
            double sum = 0.0;
            for (size_t k = 0; k < t->length; ++k) sum += t->slots[k * LSIM_ORBIT_STREAM_COUNT + (size_t)s];
            t->in_transit[s] = sum;
        }
    }
}

void lsim_orbit_transit_free(lsim_orbit_transit *t)
{
    free(t->slots);
    t->slots = NULL;
    t->length = 0;
}
