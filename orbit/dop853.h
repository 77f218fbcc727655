/* An adaptive Dormand–Prince 8(5,3) Runge–Kutta integrator (DOP853) with its
 * 7th-order dense output and event location on the dense output.
 *
 * Method: Hairer, Nørsett & Wanner, "Solving Ordinary Differential Equations
 * I", 2nd ed., Springer 1993, section II.10 (the DOP853 code): 12 stages give
 * the 8th-order solution, the error estimate blends a 5th- and a 3rd-order
 * embedded solution, and 3 more stages (computed only when the dense output
 * of a step is asked for) give a continuous extension of order 7.
 *
 * Step control (accepted when err <= 1):
 *     sc_i  = atol + rtol max(|y_i(t)|, |y_i(t+h)|)
 *     E5    = sum_i (e5_i / sc_i)^2,  E3 = sum_i (e3_i / sc_i)^2
 *     err   = |h| E5 / sqrt(n (E5 + 0.01 E3))
 *     h_new = h min(10, max(0.2, 0.9 err^(-1/8)))   (no growth after a reject)
 * with e5, e3 the two embedded differences (per unit h) over the first n_err
 * components.
 *
 * Events: g(t, y) is evaluated at the end of each accepted step; a sign
 * change in the requested direction is located on the dense output by a
 * safeguarded regula falsi (Illinois) to |dt| <= 4 eps |t| + 1e-300.
 *
 * No allocation: the caller owns an lsim_dop853 (about 9 kB) and reuses it.
 * Deterministic: the same inputs give the same bits. */
#ifndef LSIM_ORBIT_DOP853_H
#define LSIM_ORBIT_DOP853_H

#include "status.h"

#define LSIM_DOP853_MAX_DIM 42   /* 6 states + a 6x6 state-transition matrix */
#define LSIM_DOP853_MAX_EVENTS 4

/* dy/dt = f(t, y); writes n components of dydt. */
typedef void (*lsim_ode_rhs)(double t, const double *y, double *dydt, void *ctx);
/* An event function g(t, y): the event is where g crosses zero. */
typedef double (*lsim_ode_event_fn)(double t, const double *y, void *ctx);

typedef struct {
    int n;              /* dimension, 1..LSIM_DOP853_MAX_DIM */
    int n_err;          /* components in the error norm, 1..n (0 means n) */
    lsim_ode_rhs f;
    void *ctx;          /* passed to f */
    double rtol, atol;  /* relative and absolute tolerance, > 0 */
    double h_init;      /* first step magnitude; 0 chooses it (Hairer's hinit) */
    double h_max;       /* largest step magnitude; 0 means |t1 - t0| */
    long max_steps;     /* accepted + rejected steps before failing; 0 means 1e7 */
} lsim_dop853_options;

typedef struct {
    lsim_ode_event_fn g;
    void *ctx;          /* passed to g */
    int direction;      /* +1: g rises through 0; -1: g falls through 0; 0: either */
    int terminal;       /* nonzero: integration stops at the first occurrence */
} lsim_dop853_event;

/* The first occurrence of an event. */
typedef struct {
    int count;                       /* occurrences located (up to the stop) */
    double t;                        /* time of the first one */
    double y[LSIM_DOP853_MAX_DIM];   /* state there, from the dense output */
} lsim_dop853_event_hit;

typedef struct {
    double t;                        /* where the integration stopped */
    double y[LSIM_DOP853_MAX_DIM];   /* state there */
    int stop_event;                  /* index of the terminal event that stopped it, or -1 */
    lsim_dop853_event_hit hits[LSIM_DOP853_MAX_EVENTS];
    long steps, rejected, evaluations; /* accepted steps, rejected steps, calls of f */
} lsim_dop853_result;

/* The integrator's workspace and the last accepted step (for dense output). */
typedef struct lsim_dop853 {
    lsim_dop853_options o;
    double t_old, t, h_done;         /* last accepted step [t_old, t], h_done = t - t_old */
    double y_old[LSIM_DOP853_MAX_DIM], y[LSIM_DOP853_MAX_DIM], ystage[LSIM_DOP853_MAX_DIM];
    double k[16][LSIM_DOP853_MAX_DIM]; /* stage derivatives; k[12] = f(t, y) */
    double dense[7][LSIM_DOP853_MAX_DIM];
    int dense_ready;                 /* dense[] holds the last accepted step */
    long evaluations;
} lsim_dop853;

/* A callback after each accepted step; it may call lsim_dop853_dense. Return
 * nonzero to stop the integration there. */
typedef int (*lsim_dop853_step_fn)(lsim_dop853 *w, void *ctx);

/* Integrates from (t0, y0) to t1 (t1 < t0 integrates backward), stopping
 * early at a terminal event. `events` may be NULL when n_events is 0.
 * `on_step` may be NULL. Returns LSIM_OK, or LSIM_ERR_RUN with a message
 * when the step size underflows or max_steps is exceeded (the result then
 * holds the last accepted state). Options out of range are programmer
 * errors (asserted). */
lsim_status lsim_dop853_integrate(lsim_dop853 *w, const lsim_dop853_options *o, double t0, const double *y0, double t1,
                                  const lsim_dop853_event *events, int n_events, lsim_dop853_step_fn on_step,
                                  void *step_ctx, lsim_dop853_result *result);

/* The 7th-order continuous extension over the last accepted step, at t in
 * [t_old, t] (extrapolates outside): writes n components of y(t). Computes
 * the 3 extra stages the first time it is called for a step. */
void lsim_dop853_dense(lsim_dop853 *w, double t, double *y);

/* The method's coefficients, exposed for the order-condition test: c (16),
 * a (16x16, row-major; rows 0..11 the main stages, row 12 the weights b,
 * rows 13..15 the dense-output stages). */
const double *lsim_dop853_c(void);
const double *lsim_dop853_a(void);

#endif
