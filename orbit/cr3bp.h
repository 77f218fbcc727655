/* The Earth–Moon circular restricted three-body problem (CR3BP).
 *
 * Frame and units. Rotating (synodic) frame with origin at the Earth–Moon
 * barycentre; +x from the Earth towards the Moon, +z along the Moon's orbital
 * angular momentum, +y completing a right-handed set (the Moon's direction of
 * motion). Non-dimensional: the Earth–Moon distance is 1, the frame turns at
 * rate 1 (one sidereal month is 2 pi), and the masses sum to 1. The Earth,
 * of mass 1 - mu, sits at (-mu, 0, 0); the Moon, of mass mu, at (1 - mu, 0, 0).
 * A state is s = (x, y, z, vx, vy, vz), velocities relative to the rotating
 * frame.
 *
 * Approximations. The Moon moves on a circle about the barycentre at the
 * mean distance and the sidereal rate; both bodies are point masses; the Sun
 * and the Moon's eccentricity (0.055) and inclination are left out. The Moon
 * is tidally locked and at rest in this frame, with no libration, so a lunar
 * site is a fixed point of the frame.
 *
 * Constants (docs/REFERENCES.md): mu from [JPLThreeBody]; the mean distance,
 * the sidereal month and the mean lunar radius from [MoonFactSheet].
 *
 * Equations of motion, with the effective potential
 *     Omega = (x^2 + y^2)/2 + (1 - mu)/r1 + mu/r2,
 *     r1 = |r - (-mu, 0, 0)|,  r2 = |r - (1 - mu, 0, 0)|:
 *     x'' - 2 y' = dOmega/dx,  y'' + 2 x' = dOmega/dy,  z'' = dOmega/dz.
 * Jacobi constant (conserved): C = 2 Omega - |v|^2.
 * Variational equations: Phi' = A Phi, Phi(t0) = I, with
 *     A = [[0, I], [Hess(Omega), [[0, 2, 0], [-2, 0, 0], [0, 0, 0]]]]. */
#ifndef LSIM_ORBIT_CR3BP_H
#define LSIM_ORBIT_CR3BP_H

#include "dop853.h"
#include "status.h"

#define LSIM_CR3BP_EARTH_MOON_MU 1.215058560962404e-2      /* [JPLThreeBody] */
#define LSIM_CR3BP_EARTH_MOON_DISTANCE 3.844e8             /* m, [MoonFactSheet] semi-major axis */
#define LSIM_CR3BP_SIDEREAL_MONTH (27.3217 * 86400.0)      /* s, [MoonFactSheet] sidereal orbit period */
#define LSIM_CR3BP_MOON_RADIUS 1.7374e6                    /* m, [MoonFactSheet] volumetric mean radius */

typedef struct {
    double mu;      /* Moon's share of the total mass */
    double length;  /* m per unit of distance (Earth–Moon distance) */
    double time;    /* s per unit of time (sidereal month / 2 pi) */
    double moon_radius; /* in units of length */
} lsim_cr3bp_system;

/* The Earth–Moon system from the constants above. */
lsim_cr3bp_system lsim_cr3bp_earth_moon(void);

/* Conversions: velocity unit is length/time (about 1,023 m/s). */
void lsim_cr3bp_state_to_si(const lsim_cr3bp_system *sys, const double s[6], double si[6]);
void lsim_cr3bp_state_from_si(const lsim_cr3bp_system *sys, const double si[6], double s[6]);

/* Positions of the primaries. */
void lsim_cr3bp_moon_position(double mu, double r[3]);
void lsim_cr3bp_earth_position(double mu, double r[3]);

/* Omega, its gradient and its Hessian (row-major 3x3) at r. */
double lsim_cr3bp_potential(double mu, const double r[3]);
void lsim_cr3bp_potential_gradient(double mu, const double r[3], double g[3]);
void lsim_cr3bp_potential_hessian(double mu, const double r[3], double h[9]);

/* C = 2 Omega - |v|^2. */
double lsim_cr3bp_jacobi(double mu, const double s[6]);

/* The five Lagrange points L1..L5 (rows 0..4). L1 (between the bodies), L2
 * (beyond the Moon) and L3 (beyond the Earth) are the roots of their quintics
 * in the distance gamma from the nearer primary, solved by Newton iteration
 * to machine precision:
 *   L1: g^5 - (3-mu) g^4 + (3-2mu) g^3 - mu g^2 + 2mu g - mu = 0,  x = 1-mu-g
 *   L2: g^5 + (3-mu) g^4 + (3-2mu) g^3 - mu g^2 - 2mu g - mu = 0,  x = 1-mu+g
 *   L3: g^5 + (2+mu) g^4 + (1+2mu) g^3 - (1-mu) g^2 - 2(1-mu) g - (1-mu) = 0,
 *       x = -mu-g (g from the Earth)
 * L4 and L5 are (1/2 - mu, +-sqrt(3)/2, 0), equilateral with the primaries. */
void lsim_cr3bp_lagrange_points(double mu, double L[5][3]);

/* Right-hand sides for lsim_dop853 (ctx points at an lsim_cr3bp_system):
 * the state (n = 6), and the state with its 6x6 state-transition matrix
 * appended row-major (n = 42: y[6 + 6 i + j] = Phi_ij). */
void lsim_cr3bp_rhs(double t, const double *y, double *dydt, void *ctx);
void lsim_cr3bp_rhs_stm(double t, const double *y, double *dydt, void *ctx);

/* Event functions for lsim_dop853 (ctx points at an lsim_cr3bp_target):
 *   distance: |r - p| - radius (impact on a sphere: direction -1, p the Moon's
 *             centre, radius the lunar radius; escape: direction +1, p the
 *             barycentre, radius the bound);
 *   approach: (r - p) . v, the relative radial velocity times the distance;
 *             it rises through 0 at a closest approach to p (direction +1);
 *   plane_y:  y, for crossings of the x-z plane. */
typedef struct {
    double p[3];
    double radius;
} lsim_cr3bp_target;
double lsim_cr3bp_event_distance(double t, const double *y, void *ctx);
double lsim_cr3bp_event_approach(double t, const double *y, void *ctx);
double lsim_cr3bp_event_plane_y(double t, const double *y, void *ctx);

/* What a propagation looks for. Each event is on when its flag is set. */
typedef struct {
    int impact;             /* stop on reaching the lunar surface */
    int escape;             /* stop beyond escape_radius from the barycentre */
    double escape_radius;   /* non-dimensional */
    int approach;           /* record the first closest approach to `target` */
    int approach_terminal;  /* and stop there */
    double target[3];       /* non-dimensional position */
} lsim_cr3bp_events;

typedef enum {
    LSIM_CR3BP_END_TIME = 0,  /* reached the final time */
    LSIM_CR3BP_END_IMPACT,    /* hit the Moon */
    LSIM_CR3BP_END_ESCAPE,    /* left the region */
    LSIM_CR3BP_END_APPROACH   /* stopped at the closest approach */
} lsim_cr3bp_end;

typedef struct {
    lsim_cr3bp_end end;
    double t;                /* final time */
    double s[6];             /* final state */
    double stm[36];          /* Phi(t, t0), row-major, when asked for */
    int approached;          /* a closest approach was found */
    double t_approach, s_approach[6], stm_approach[36]; /* at the first closest approach */
    long steps, evaluations;
} lsim_cr3bp_path;

/* Propagates s0 from t0 to t1 (non-dimensional) with DOP853 at (rtol, atol),
 * with the state-transition matrix if with_stm, stopping at the events asked
 * for (ev may be NULL). w is the caller's workspace. LSIM_ERR_RUN with a
 * message if the integrator fails. */
lsim_status lsim_cr3bp_propagate(const lsim_cr3bp_system *sys, lsim_dop853 *w, const double s0[6], double t0, double t1,
                                 int with_stm, double rtol, double atol, const lsim_cr3bp_events *ev,
                                 lsim_cr3bp_path *path);

/* A planar Lyapunov orbit about the collinear point L_which (1 or 2) through
 * x0 on the x axis, found by differential correction: starting from the
 * linear solution, vy0 is corrected until the orbit crosses y = 0 again
 * perpendicularly (vx = 0 there), |vx| <= 1e-12. Writes the initial state
 * (x0, 0, 0, 0, vy0, 0) and the period. LSIM_ERR_RUN if it does not
 * converge in 30 iterations. */
lsim_status lsim_cr3bp_lyapunov(const lsim_cr3bp_system *sys, lsim_dop853 *w, int which, double x0, double s0[6],
                                double *period);

#endif
