/* A radiator designed as a radiating fin: a flat aluminium sheet bonded over
 * parallel heat pipes (or coolant channels). Pure design-time functions, no
 * module state.
 *
 * Geometry, per pipe pitch p (centre to centre) of a panel of any length:
 *
 *      |<------------------------- p ------------------------->|
 *      |<-- L -->|<-------- D -------->|<-- L -->|
 *   ---+=========(        pipe         )=========+---
 *    tip        root   strip at T_b   root      tip
 *
 * The sheet (thickness t) is continuous; over each pipe a strip of width D
 * (the pipe's outer diameter) sits at the pipe's temperature T_b, and between
 * pipes two fins of half-width L = (p - D) / 2 conduct heat away from the
 * strip edges (roots) towards the mid-line between pipes (tips, adiabatic by
 * symmetry). Both faces radiate; one face may be lit.
 *
 * Along a fin (x from root to tip), steady 1-D conduction with radiation:
 *
 *     k t T'' = 2 eps sigma F (T^4 - T_sink^4) - q_abs,   T(0) = T_b,  T'(L) = 0,
 *
 * with q_abs = alpha S cos(incidence) absorbed on the lit face (W m-2 of panel).
 * The temperature is uniform through the thickness (t << L) and the pipe
 * surface is isothermal (heat pipes: the vapour temperature varies little
 * along the pipe). Radiation between neighbouring panels, and from the pipe's
 * curved back, is not modelled: F and T_sink carry the surroundings.
 *
 * Method (lsim_radiator_fin_solve): the equation is autonomous, so it has the
 * exact first integral (k t / 2) T'^2 = G(T) - G(T_tip), G' = the right-hand
 * side. The temperature drop T_b - T_tip is found by bisection (to a relative
 * 1e-15) on the fin length it implies, integral_{T_tip}^{T_b} dT / T'(T),
 * which grows monotonically from 0 (no drop) to infinity (the tip at the
 * radiative equilibrium). The substitutions T = T_tip + (T_b - T_tip) w^2 and
 * w = s sinh(v) remove the inverse-square-root singularity at the tip and the
 * peak that forms as the tip nears equilibrium; the smooth integrand goes to
 * adaptive Simpson quadrature (relative tolerance 1e-11). The root heat then
 * follows in closed form, Q = sqrt(2 k t (G(T_b) - G(T_tip))) per fin per
 * metre of pipe, well conditioned even for long fins whose tip sits at
 * equilibrium. Q and the efficiency come out to about 1e-10 relative
 * (tests/refinery/test_radiator_fin.c checks the energy balance against an
 * independent RK4 profile to 1e-9). */
#ifndef LSIM_RADIATOR_FIN_H
#define LSIM_RADIATOR_FIN_H

#include <stddef.h>

#include "status.h"

#define LSIM_STEFAN_BOLTZMANN 5.670374419e-8 /* W m-2 K-4, CODATA 2018 (exact from h, k, c) */

/* What the fin and its pipes are made of and what they see. SI units. */
typedef struct {
    double root_temperature;    /* K: T_b, the heat pipes' (or coolant's) temperature */
    double sink_temperature;    /* K: effective radiative sink of both faces */
    double thickness;           /* m: fin sheet thickness t */
    double conductivity;        /* W m-1 K-1: k of the sheet */
    double density;             /* kg m-3 of the sheet */
    double emissivity;          /* infrared emissivity of both faces */
    double view_factor;         /* view factor from each face to the sink, 0..1 */
    double absorbed_flux;       /* W m-2: sunlight absorbed, alpha S cos(incidence), per m2 of panel */
    double pipe_spacing;        /* m: pipe pitch p, centre to centre; > pipe_diameter */
    double pipe_diameter;       /* m: D, width of the strip over each pipe held at T_b */
    double pipe_mass_per_length;  /* kg m-1 of lunar-made pipe (envelope and wick) */
    double pipe_earth_mass_per_length; /* kg m-1 of Earth-made pipe content (working fluid) */
} lsim_radiator_fin_spec;

/* One fin's solution (a half-width L from root to tip). */
typedef struct {
    double half_width;        /* m: L = (p - D) / 2 */
    double profile_number;    /* 2 eps sigma F T_b^3 L^2 / (k t): conduction vs radiation, 0 = isothermal */
    double tip_temperature;   /* K */
    double heat;              /* W m-1: net heat one fin rejects per metre of pipe (= conducted in at its root) */
    double isothermal_heat;   /* W m-1: the same fin all at T_b */
    double efficiency;        /* heat / isothermal_heat */
} lsim_radiator_fin_solution;

/* A panel of fins and pipes, per m2 of panel (planform: one face's area). */
typedef struct {
    lsim_radiator_fin_solution fin;
    double flux;               /* W m-2: net heat rejected per m2 of panel (both faces, strips and fins) */
    double isothermal_flux;    /* W m-2: the same panel all at T_b */
    double areal_mass_lunar;   /* kg m-2: sheet rho t + pipe mass / p */
    double areal_mass_earth;   /* kg m-2: Earth-made pipe content / p */
    double areal_mass;         /* kg m-2: both */
    double power_per_mass;     /* W kg-1: flux / areal_mass */
} lsim_radiator_panel;

/* Net flux of an isothermal plate radiating from both faces, lit on one (W m-2):
 *   2 eps sigma F (T^4 - T_sink^4) - q_abs. */
double lsim_radiator_isothermal_flux(double emissivity, double view_factor, double temperature,
                                     double sink_temperature, double absorbed_flux);

/* Checks the spec (positive sizes, pipe narrower than its pitch, a root that rejects heat) and
 * names the offending quantity in the message; keys are spelled as fabrication.radiator_* so a
 * deck error reads naturally. */
lsim_status lsim_radiator_fin_check(const lsim_radiator_fin_spec *spec);

/* Solves one fin of half-width `half_width` (m; 0 gives the isothermal limit exactly). The spec
 * must have passed lsim_radiator_fin_check. */
lsim_radiator_fin_solution lsim_radiator_fin_solve(const lsim_radiator_fin_spec *spec, double half_width);

/* The panel at the spec's pipe spacing. */
lsim_radiator_panel lsim_radiator_panel_design(const lsim_radiator_fin_spec *spec);

/* The pipe spacing (m) in [spacing_min, spacing_max] that maximises power_per_mass, by
 * golden-section search in log(spacing) to a relative 1e-6; the panel there in *best (may be
 * NULL). W/kg is unimodal in the spacing: pipe mass per m2 falls as 1/p while fin efficiency
 * falls monotonically with L. spacing_min must exceed the pipe diameter. */
double lsim_radiator_optimum_spacing(const lsim_radiator_fin_spec *spec, double spacing_min, double spacing_max,
                                     lsim_radiator_panel *best);

/* Temperature profile of a solved fin by classical RK4 from the tip (T = T_tip, T' = 0) to the
 * root in `steps` equal steps: x[i] (m from the root) and temperature[i] (K) for i = 0..steps.
 * Independent of the quadrature in lsim_radiator_fin_solve, so the two check each other; the
 * root end should land on T_b to the RK4 error, O(steps^-4). Returns k t T'(0) (W m-1), the
 * heat conducted in at the root as RK4 finds it. */
double lsim_radiator_fin_profile(const lsim_radiator_fin_spec *spec, const lsim_radiator_fin_solution *fin,
                                 size_t steps, double *x, double *temperature);

#endif
