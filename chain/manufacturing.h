/* Manufacturing: the stage that turns lunar metal and Earth parts into new
 * units. Without it metal became machines in the step it was refined; with
 * it every unit takes build time and energy, and the reproduction time of
 * the chain emerges as hardware mass over manufacturing rate (the figure the
 * bootstrapping studies find decisive, docs/REFERENCES.md [Freitas1980],
 * [Metzger2013]).
 *
 * Orders are a FIFO queue (ring buffer, struct of arrays): the materials of
 * an order are committed when it is placed, its hardware mass is worked off
 * at the fleet's rate, and units are delivered as their mass is finished
 * (whole units only for kinds that are useless in part, such as a mass-driver
 * track). Work is shared in queue order: the oldest order is finished first. */
#ifndef LSIM_MANUFACTURING_H
#define LSIM_MANUFACTURING_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"
#include "status.h"

typedef struct {
    double rate_per_unit;   /* kg s-1 of finished hardware one manufacturing unit makes at full power */
    double specific_energy; /* J per kg of hardware made */
    double unit_lunar_mass; /* kg of lunar metal in one manufacturing unit */
    double unit_earth_mass; /* kg of Earth-made parts in one manufacturing unit */
    double lead_time;       /* s of the fleet's work the queue may hold; orders wait in metal beyond it */
} lsim_manufacturing_design;

/* What a step of manufacturing did. */
typedef struct {
    double mass_made;    /* kg of hardware finished */
    double capacity;     /* kg the fleet could have finished with all power and enough orders */
    double energy_used;  /* J */
    int queue_full;      /* the queue held at least a step of the fleet's work at the step's end */
} lsim_manufacturing_step_result;

typedef struct {
    lsim_manufacturing_design design;
    double units; /* manufacturing units working */

    /* FIFO ring of orders, [head, head + count) modulo capacity */
    size_t capacity, head, count;
    int32_t *kind;          /* the caller's unit kind */
    double *units_ordered;  /* units in the order */
    double *lunar_total;    /* kg of lunar metal committed to the order */
    double *earth_total;    /* kg of Earth parts committed to the order */
    double *lunar_delivered, *earth_delivered; /* kg of each that left with finished units */
    double *mass_done;      /* kg finished so far */
    double *units_delivered;
    uint8_t *whole_only;    /* deliver whole units only */

    double queued_mass;     /* kg of hardware ordered and not yet finished */
    double made_total, energy_total;
    double last_power; /* W drawn in the last step */
} lsim_manufacturing;

/* Delivery of finished units: kind, count and the materials they hold. */
typedef lsim_status (*lsim_manufacturing_deliver_fn)(void *ctx, int kind, double count, double lunar_mass,
                                                     double earth_mass);

lsim_status lsim_manufacturing_init(lsim_manufacturing *m, const lsim_manufacturing_design *design, double units);

/* kg of hardware the fleet can finish over dt at full power. With no unit
 * working the crew and robots of the seed still assemble at the rate of one
 * unit (docs/MODEL.md): a chain whose last factory broke must not deadlock. */
double lsim_manufacturing_capacity(const lsim_manufacturing *m, double dt);

/* W the fleet would draw this step on the orders it holds. */
double lsim_manufacturing_power_demand(const lsim_manufacturing *m, double dt);

/* kg of hardware orders the queue may still take (lead time not yet filled). */
double lsim_manufacturing_room(const lsim_manufacturing *m, double dt);

/* Places an order at the back of the queue (or at its front, for a stage
 * that has no working unit left). An order at the back of the same kind
 * takes the new units (its unit masses become the mean of what was
 * committed), so the queue is as long as the orders of different kinds in
 * flight, not the steps. Grows the ring by doubling only. */
lsim_status lsim_manufacturing_order(lsim_manufacturing *m, int kind, double count, double lunar_per_unit,
                                     double earth_per_unit, int whole_only, int at_front);

/* kg of lunar metal and of Earth parts committed to orders not yet delivered. */
void lsim_manufacturing_committed(const lsim_manufacturing *m, double *lunar_mass, double *earth_mass);

/* Units of `kind` ordered and not yet delivered. */
double lsim_manufacturing_on_order(const lsim_manufacturing *m, int kind);

/* Works the queue over dt with `power_W` (at most the demand); finished
 * units go to `deliver`. */
lsim_status lsim_manufacturing_step(lsim_manufacturing *m, double dt, double power_W,
                                    lsim_manufacturing_deliver_fn deliver, void *ctx,
                                    lsim_manufacturing_step_result *out);

lsim_status lsim_manufacturing_state(lsim_manufacturing *m, lsim_state *state);

void lsim_manufacturing_free(lsim_manufacturing *m);

#endif
