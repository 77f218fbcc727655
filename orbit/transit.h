/* Mass in flight as a delay line: what is launched at step k arrives at step
 * k + n, n = ceil(transit_time / dt), fixed at init. Panels and radiators
 * travel as separate streams, each with the rating it carries (panel watts,
 * radiator heat-rejection watts), so assembly knows what arrives. */
#ifndef LSIM_ORBIT_TRANSIT_H
#define LSIM_ORBIT_TRANSIT_H

#include <stddef.h>
#include "status.h"

enum {
    LSIM_ORBIT_PANEL_MASS,      /* kg */
    LSIM_ORBIT_PANEL_WATTS,     /* W rated */
    LSIM_ORBIT_RADIATOR_MASS,   /* kg */
    LSIM_ORBIT_RADIATOR_WATTS,  /* W of heat rejection */
    LSIM_ORBIT_STREAM_COUNT
};

typedef struct {
    size_t steps;          /* n: launch-to-arrival delay in steps */
    size_t head;           /* slot read and refilled this step */
    double *slots;         /* steps * LSIM_ORBIT_STREAM_COUNT, slot-major */
    double in_transit[LSIM_ORBIT_STREAM_COUNT];
} lsim_orbit_transit;

/* Delay in steps for a flight time: ceil(transit_time/dt), with a guard so
 * 3 d / 1 h = 72 exactly does not become 73 through rounding. */
size_t lsim_orbit_transit_steps(double transit_time, double dt);

lsim_status lsim_orbit_transit_init(lsim_orbit_transit *t, size_t steps);

/* Pushes this step's launch and returns, in `arrived`, what was launched
 * `steps` steps ago (with steps == 0 the launch arrives at once). */
void lsim_orbit_transit_advance(lsim_orbit_transit *t, const double launched[LSIM_ORBIT_STREAM_COUNT],
                                double arrived[LSIM_ORBIT_STREAM_COUNT]);

void lsim_orbit_transit_free(lsim_orbit_transit *t);

#endif
