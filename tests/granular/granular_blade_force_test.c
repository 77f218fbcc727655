/* The convention granular.c's blade probe rests on: in a post-solve
 * callback of a (BLADE, GRAIN) handler, cpArbiterTotalImpulse is the impulse
 * the blade (the first body) received. A grain resting on a horizontal
 * kinematic blade must then press it down with exactly its weight, and a
 * grain pushed sideways must push back. Checked on Chipmunk itself so a
 * library change shows up here and not as a sign error in the draft. */
#include <chipmunk/chipmunk.h>

#include "lsim_test.h"

typedef struct { cpVect impulse; } probe;

static void post_solve(cpArbiter *arb, cpSpace *space, cpDataPointer data)
{
    (void)space;
    probe *p = data;
    p->impulse = cpvadd(p->impulse, cpArbiterTotalImpulse(arb));
}

int main(void)
{
    const double g = 1.62, m = 0.05, r = 0.004, dt = 1.0e-3;
    cpSpace *space = cpSpaceNew();
    cpSpaceSetGravity(space, cpv(0.0, -g));
    cpSpaceSetIterations(space, 20);
    cpSpaceSetCollisionSlop(space, 1e-5);
    cpBody *blade = cpBodyNewKinematic();
    cpSpaceAddBody(space, blade);
    cpShape *seg = cpSegmentShapeNew(blade, cpv(-0.1, 0.0), cpv(0.1, 0.0), 0.0005);
    cpShapeSetCollisionType(seg, 2);
    cpShapeSetFriction(seg, 1.0);
    cpSpaceAddShape(space, seg);
    cpBody *grain = cpBodyNew(m, cpMomentForCircle(m, 0.0, r, cpvzero));
    cpBodySetPosition(grain, cpv(0.0, r + 0.0005));
    cpSpaceAddBody(space, grain);
    cpShape *disc = cpCircleShapeNew(grain, r, cpvzero);
    cpShapeSetCollisionType(disc, 1);
    cpShapeSetFriction(disc, 1.0);
    cpSpaceAddShape(space, disc);
    probe p = {cpvzero};
    cpCollisionHandler *h = cpSpaceAddCollisionHandler(space, 2, 1);
    h->postSolveFunc = post_solve;
    h->userData = &p;

    for (int k = 0; k < 500; ++k) {
        p.impulse = cpvzero;
        cpSpaceStep(space, dt);
    }
    LSIM_CHECK_CLOSE(p.impulse.y / dt, -m * g, 1e-6, 0.0,
                     "static equilibrium: the contact carries the weight (solver converged after 500 steps)");
    LSIM_CHECK_CLOSE(p.impulse.x / dt, 0.0, 0.0, 1e-9, "no sideways load at rest");

    /* A wall moving into a free grain in zero gravity: the grain's momentum
     * gain equals minus the impulse on the wall (Newton's third law). */
    cpSpaceSetGravity(space, cpvzero);
    cpBodySetPosition(grain, cpv(0.2, 0.2));
    cpBodySetVelocity(grain, cpvzero);
    cpBody *wall = cpBodyNewKinematic();
    cpSpaceAddBody(space, wall);
    cpShape *wseg = cpSegmentShapeNew(wall, cpv(0.0, 0.15), cpv(0.0, 0.25), 0.0005);
    cpShapeSetCollisionType(wseg, 2);
    cpSpaceAddShape(space, wseg);
    cpBodySetPosition(wall, cpv(0.2 - r - 0.0005 - 1e-4, 0.0));
    cpBodySetVelocity(wall, cpv(0.3, 0.0));
    cpVect total = cpvzero;
    for (int k = 0; k < 20; ++k) {
        p.impulse = cpvzero;
        cpSpaceStep(space, dt);
        total = cpvadd(total, p.impulse);
    }
    double grain_momentum = m * cpBodyGetVelocity(grain).x;
    LSIM_CHECK(grain_momentum > 0.0, "the wall pushed the grain forward");
    LSIM_CHECK_CLOSE(total.x, -grain_momentum, 1e-9, 1e-15, "momentum conservation between wall and grain");

    cpSpaceFree(space);
    cpShapeFree(seg);
    cpShapeFree(wseg);
    cpShapeFree(disc);
    cpBodyFree(grain);
    cpBodyFree(blade);
    cpBodyFree(wall);
    LSIM_TEST_MAIN_END();
}
