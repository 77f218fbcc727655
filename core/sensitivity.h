/* Global sensitivity analysis: designs and estimators, as pure functions on
 * arrays (no deck, no chain, no file), so the same code serves a sweep's
 * summary metrics and the analytic test functions.
 *
 * Sobol' (variance-based): a scrambled Sobol' sequence (direction numbers of
 * [JoeKuo2008], random linear matrix scramble and digital shift of
 * [Matousek1998]) gives the matrices A and B of the Saltelli scheme
 * [Saltelli2010]; first-order indices by the Saltelli 2010 estimator,
 * total-order indices by Jansen's [Jansen1999], with percentile bootstrap
 * confidence intervals over the N base rows.
 *
 * Morris (elementary effects, [Morris1991]): r one-at-a-time trajectories on
 * a p-level grid; mu, mu* ([Campolongo2007]) and sigma, with a bootstrap
 * interval of mu* over the trajectories.
 *
 * Every random draw is counter-based (core/rng.h) and every sum runs in a
 * fixed order: results are bitwise reproducible for a seed, whatever the
 * threads or ranks around them. */
#ifndef LSIM_SENSITIVITY_H
#define LSIM_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Dimensions the direction-number table covers: 2 d columns for d inputs. */
#define LSIM_SOBOL_MAX_DIM 64
#define LSIM_SOBOL_MAX_INPUTS (LSIM_SOBOL_MAX_DIM / 2)
#define LSIM_SOBOL_BITS 32

/* Defaults recorded with the indices. */
#define LSIM_SENSITIVITY_BOOTSTRAP 1000
#define LSIM_SENSITIVITY_CONFIDENCE 0.95
#define LSIM_MORRIS_LEVELS 4

typedef struct {
    size_t dim;
    uint32_t direction[LSIM_SOBOL_MAX_DIM][LSIM_SOBOL_BITS]; /* scrambled direction numbers, MSB = first digit */
    uint32_t shift[LSIM_SOBOL_MAX_DIM];                      /* digital shift (0 unscrambled) */
} lsim_sobol;

/* A Sobol' generator of `dim` (1..64) dimensions; `scramble` applies a
 * random lower-triangular linear matrix scramble and a digital shift drawn
 * from `seed`. */
lsim_status lsim_sobol_init(lsim_sobol *sobol, size_t dim, int scramble, uint64_t seed);

/* Point `index` (< 2^32) in Gray-code order (unscrambled: the order of
 * scipy.stats.qmc.Sobol), u[dim] in [0, 1). Random access: a member's point
 * does not depend on the others. */
void lsim_sobol_point(const lsim_sobol *sobol, uint64_t index, double *u);

/* Members of the Saltelli scheme: n base rows, d inputs, d + 2 members per
 * row, in the order SALib's Saltelli sampler writes (second order off):
 * A_j, A_B^(1)_j .. A_B^(d)_j, B_j. A is the first d columns of a 2d-dim
 * scrambled Sobol' point, B the last d. */
static inline size_t lsim_saltelli_member(size_t row, size_t d, size_t which) { return row * (d + 2) + which; }
enum { LSIM_SALTELLI_A = 0 };
static inline size_t lsim_saltelli_ab(size_t i) { return 1 + i; } /* which of A_B^(i) */
static inline size_t lsim_saltelli_b(size_t d) { return d + 1; }

/* The design in the unit cube: x[(row * (d + 2) + which) * d + input]. */
lsim_status lsim_saltelli_design(size_t n, size_t d, uint64_t seed, double *x);

/* Morris trajectories: r * (d + 1) points in the unit cube, trajectory by
 * trajectory; `levels` p even (>= 2), step p / (2 (p - 1)). Each input
 * starts on a random level and moves up by the step if it can, else down;
 * the inputs move one at a time in a random order. */
lsim_status lsim_morris_design(size_t r, size_t d, unsigned levels, uint64_t seed, double *x);

typedef struct {
    size_t bootstrap;  /* resamples (0: no intervals) */
    double confidence; /* two-sided level of the percentile intervals, e.g. 0.95 */
    uint64_t seed;     /* of the resampling */
} lsim_sensitivity_options;

/* Why the indices of one output are NaN (0: they are not). */
typedef enum {
    LSIM_SENSITIVITY_COMPUTED = 0,
    LSIM_SENSITIVITY_NOT_FINITE = 1, /* some member's value is NaN or infinite */
    LSIM_SENSITIVITY_CONSTANT = 2,   /* every member gave the same value: no variance to share out */
    LSIM_SENSITIVITY_REASONS = 3
} lsim_sensitivity_reason;

/* The reasons' words (CF flag_meanings order). */
extern const char *const lsim_sensitivity_reason_words[LSIM_SENSITIVITY_REASONS];

/* Caller-owned arrays of d entries each. */
typedef struct {
    double *s1, *s1_low, *s1_high;
    double *st, *st_low, *st_high;
} lsim_sobol_indices;

/* First- and total-order indices of d inputs from f(A)[n], f(B)[n] and
 * f(A_B^(i))[i * n + j]. NaN (and `reason` set) where any value is not
 * finite or f(A), f(B) have no variance. LSIM_ERR_RUN only when out of memory. */
lsim_status lsim_sobol_estimate(const double *f_a, const double *f_b, const double *f_ab, size_t n, size_t d,
                                const lsim_sensitivity_options *options, lsim_sobol_indices *indices,
                                lsim_sensitivity_reason *reason);

/* The same from values in member order (lsim_saltelli_member): f[n * (d + 2)]. */
lsim_status lsim_sobol_estimate_members(const double *f, size_t n, size_t d, const lsim_sensitivity_options *options,
                                        lsim_sobol_indices *indices, lsim_sensitivity_reason *reason);

typedef struct {
    double *mu_star, *mu, *sigma;
    double *mu_star_low, *mu_star_high;
} lsim_morris_indices;

/* Elementary effects of r trajectories: f[r * (d + 1)] at the points
 * x[(t * (d + 1) + k) * d + i] that were run (unit cube: an input's value
 * over its range). An effect is the change of f over the change of the one
 * input that moved, in f's units per full range of the input. LSIM_ERR_INPUT
 * if a step moves no input or more than one. */
lsim_status lsim_morris_estimate(const double *f, const double *x, size_t r, size_t d,
                                 const lsim_sensitivity_options *options, lsim_morris_indices *indices,
                                 lsim_sensitivity_reason *reason);

#endif
