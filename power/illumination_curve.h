/* The polar site's illumination against the ground the array covers: a
 * table of cumulative ground area (best-lit first) and the mean lit share
 * of the ground at that area, read from a CSV (data/sites/polar_illumination.csv).
 *
 * An array that takes the best ground first and covers ground area G has
 * mean illumination
 *     f_bar(G) = (1/G) * integral_0^G f(A) dA,
 * with f piecewise linear in A between rows and equal to the last row's
 * value beyond it. f never rises with A, so f_bar never rises with G. */
#ifndef LSIM_ILLUMINATION_CURVE_H
#define LSIM_ILLUMINATION_CURVE_H

#include <stddef.h>
#include "status.h"

#define LSIM_ILLUMINATION_CURVE_MAX 64

typedef struct {
    size_t count;
    double ground_area[LSIM_ILLUMINATION_CURVE_MAX];  /* m2, from 0, strictly increasing */
    double illumination[LSIM_ILLUMINATION_CURVE_MAX]; /* 1, never increasing */
    double lit_area[LSIM_ILLUMINATION_CURVE_MAX];     /* m2: integral of illumination dA up to ground_area */
} lsim_illumination_curve;

/* Reads the table at `path` (already resolved). A malformed table is
 * LSIM_ERR_INPUT with one line "path:line: what is wrong". */
lsim_status lsim_illumination_curve_read(const char *path, lsim_illumination_curve *curve);

/* Builds the running integral; the caller has filled count, ground_area and
 * illumination and checked them (the reader does). */
void lsim_illumination_curve_integrate(lsim_illumination_curve *curve);

/* Mean illumination over the best `ground_area` m2 (the first row's value at 0). */
double lsim_illumination_curve_mean(const lsim_illumination_curve *curve, double ground_area);

#endif
