/* Mass in flight as arrival bins: what is launched in step k arrives, share
 * w_j of it, in step k + n0 + j (j = 0 ... bins-1), by the flight model's
 * schedule (flight.h). The bins live in a ring of n0 + bins - 1 slots, one
 * per future arrival step: this step's arrivals are read from the head slot
 * and the launch is added into the slots ahead of it (a convolution of the
 * launches with the weights, one step at a time). Every stream travels by
 * the same weights, so ratings stay with their mass (panel watts, radiator
 * heat-rejection watts).
 *
 * Conservation: a batch is split into pieces launched x w_j for every bin
 * but the heaviest (the carrier, first of the largest weights), and the
 * carrier takes what is left: the batch minus the other pieces, subtracted
 * in bin order. The pieces of a batch so add up to the batch to a few ulps
 * of it (the rounding of those subtractions), whatever the rounding of the
 * weights, and no piece is negative. With one bin the piece is the batch
 * itself, bit for bit, as in the delay line this replaces. */
#ifndef LSIM_ORBIT_TRANSIT_H
#define LSIM_ORBIT_TRANSIT_H

#include <stddef.h>
#include "status.h"

enum {
    LSIM_ORBIT_PANEL_MASS,      /* kg */
    LSIM_ORBIT_PANEL_WATTS,     /* W rated */
    LSIM_ORBIT_RADIATOR_MASS,   /* kg */
    LSIM_ORBIT_RADIATOR_WATTS,  /* W of heat rejection */
    LSIM_ORBIT_CATCHER_MASS,    /* kg of lunar-made catcher hardware */
    LSIM_ORBIT_STREAM_COUNT
};

typedef struct {
    size_t first_step;     /* n0 */
    size_t bins;           /* >= 1 */
    const double *weights; /* [bins], the flight schedule's (not owned) */
    size_t carrier;        /* bin that takes the remainder of each batch */
    size_t length;         /* ring slots: n0 + bins - 1 (0: everything arrives in its launch step) */
    size_t head;           /* slot read this step */
    double *slots;         /* length * LSIM_ORBIT_STREAM_COUNT, slot-major */
    double in_transit[LSIM_ORBIT_STREAM_COUNT]; /* running sums of the slots */
} lsim_orbit_transit;

/* Delay in steps for a flight time: ceil(transit_time/dt), with a guard so
 * 3 d / 1 h = 72 exactly does not become 73 through rounding. */
size_t lsim_orbit_transit_steps(double transit_time, double dt);

/* Ring for a schedule: arrivals in steps n0 ... n0+bins-1 after launch, by
 * `weights` (kept by pointer, must outlive the ring; normalised to sum 1). */
lsim_status lsim_orbit_transit_init(lsim_orbit_transit *t, size_t first_step, size_t bins, const double *weights);

/* Returns, in `arrived`, what is due this step, then spreads this step's
 * launch over its arrival steps (the part due at once, if n0 == 0, is added
 * to `arrived`). */
void lsim_orbit_transit_advance(lsim_orbit_transit *t, const double launched[LSIM_ORBIT_STREAM_COUNT],
                                double arrived[LSIM_ORBIT_STREAM_COUNT]);

void lsim_orbit_transit_free(lsim_orbit_transit *t);

#endif
