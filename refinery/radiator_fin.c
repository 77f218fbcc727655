/* Radiating fin between heat pipes: tip temperature by bisection on the
 * exact length integral, heat from the first integral (see radiator_fin.h). */
#include "radiator_fin.h"

#include <math.h>

/* Dimensionless fin: theta = T / T_b, xi = x / L. The equation becomes
 *   theta'' = N (theta^4 - c),   N = 2 eps sigma F T_b^3 L^2 / (k t),
 *   c = (T_sink^4 + q_abs / (2 eps sigma F)) / T_b^4 = theta_eq^4,
 * where theta_eq is the temperature at which a fin element radiates what it
 * absorbs. With g(theta) = theta^5 / 5 - c theta, the first integral is
 *   theta'^2 = 2 N (g(theta) - g(theta_tip)),
 * so the fin's length in xi units, 1, fixes theta_tip through
 *   sqrt(N) = integral_{theta_tip}^{1} dtheta / sqrt(2 (g(theta) - g(theta_tip))).  */

/* (g(b) - g(a)) / (b - a), written without the subtraction that loses digits when b ~ a. */
static double secant_slope(double a, double b, double c)
{
    double a2 = a * a, b2 = b * b;
    return (b2 * b2 + b2 * b * a + b2 * a2 + b * a2 * a + a2 * a2) / 5.0 - c;
}

typedef struct {
    double drop, c; /* 1 - theta_tip, c */
    double stretch; /* w = stretch sinh(v) */
    long budget;    /* integrand evaluations left: bounds the work where rounding hides convergence */
} length_integrand;

/* The length integrand after theta = theta_tip + drop w^2 and w = stretch sinh(v), which is smooth
 * and bounded on [0, asinh(1 / stretch)]. The first substitution removes the inverse square root
 * at the tip; the second the peak 1 / sqrt(h0 + a w^2) that forms where the tip nears equilibrium
 * (h0 -> 0), with stretch = sqrt(h0 / a). The drop, not the tip, is the unknown, so a nearly
 * isothermal fin keeps its digits. */
static double length_at(length_integrand *li, double v)
{
    --li->budget;
    double tip = 1.0 - li->drop, w = li->stretch * sinh(v);
    double h = secant_slope(tip, tip + li->drop * w * w, li->c);
    if (!(h > 0.0)) return INFINITY; /* a tip at (or rounded onto) equilibrium: the fin never ends */
    return sqrt(2.0 * li->drop / h) * li->stretch * cosh(v);
}

static double adaptive_simpson(length_integrand *li, double a, double b, double fa, double fm, double fb,
                               double whole, double tol, int depth)
{
    double m = 0.5 * (a + b), lm = 0.5 * (a + m), rm = 0.5 * (m + b);
    double flm = length_at(li, lm), frm = length_at(li, rm);
    double left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
    double right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
    double both = left + right;
    if (!isfinite(both)) return INFINITY;
    if (depth <= 0 || li->budget <= 0 || fabs(both - whole) <= 15.0 * tol) return both + (both - whole) / 15.0;
    return adaptive_simpson(li, a, m, fa, flm, fm, left, 0.5 * tol, depth - 1) +
           adaptive_simpson(li, m, b, fm, frm, fb, right, 0.5 * tol, depth - 1);
}

/* The fin length in xi units for a given drop, to an absolute `tol`. */
static double fin_length(double drop, double c, double tol)
{
    double tip = 1.0 - drop;
    double h0 = secant_slope(tip, tip, c), a = 2.0 * drop * tip * tip * tip; /* h ~ h0 + a w^2 near the tip */
    if (!(h0 > 0.0)) return INFINITY;
    length_integrand li = {drop, c, a > 0.0 ? sqrt(h0 / a) : 1.0, 20000};
    double end = asinh(1.0 / li.stretch);
    double f0 = length_at(&li, 0.0), fm = length_at(&li, 0.5 * end), f1 = length_at(&li, end);
    if (!isfinite(f0) || !isfinite(fm) || !isfinite(f1)) return INFINITY;
    double whole = end * (f0 + 4.0 * fm + f1) / 6.0;
    return adaptive_simpson(&li, 0.0, end, f0, fm, f1, whole, tol, 50);
}

/* Whether a fin with this drop is longer than `target`: a coarse quadrature settles most of the
 * bisection's questions, the fine one those near the answer. */
static int longer_than(double drop, double c, double target, double fine_tol)
{
    double coarse_tol = 1e-6 * target;
    double coarse = fin_length(drop, c, coarse_tol);
    if (fabs(coarse - target) > 100.0 * coarse_tol) return coarse > target;
    return fin_length(drop, c, fine_tol) > target;
}

double lsim_radiator_isothermal_flux(double emissivity, double view_factor, double temperature,
                                     double sink_temperature, double absorbed_flux)
{
    double t2 = temperature * temperature, s2 = sink_temperature * sink_temperature;
    return 2.0 * emissivity * view_factor * LSIM_STEFAN_BOLTZMANN * (t2 * t2 - s2 * s2) - absorbed_flux;
}

/* c = theta_eq^4 (see the top of this file). */
static double equilibrium_c(const lsim_radiator_fin_spec *s)
{
    double tb2 = s->root_temperature * s->root_temperature, ts2 = s->sink_temperature * s->sink_temperature;
    double radiating = 2.0 * s->emissivity * s->view_factor * LSIM_STEFAN_BOLTZMANN;
    return (ts2 * ts2 + s->absorbed_flux / radiating) / (tb2 * tb2);
}

lsim_status lsim_radiator_fin_check(const lsim_radiator_fin_spec *s)
{
    if (!(s->root_temperature > s->sink_temperature))
        return lsim_fail(LSIM_ERR_INPUT,
                         "fabrication.radiator_temperature (%g K) must be above fabrication.sink_temperature (%g K): a radiator must reject heat",
                         s->root_temperature, s->sink_temperature);
    if (!(s->thickness > 0.0) || !(s->conductivity > 0.0) || !(s->density >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT,
                         "fabrication.radiator_thickness (%g m) and radiator_conductivity (%g W m-1 K-1) must be positive",
                         s->thickness, s->conductivity);
    if (!(s->emissivity > 0.0 && s->emissivity <= 1.0) || !(s->view_factor > 0.0 && s->view_factor <= 1.0))
        return lsim_fail(LSIM_ERR_INPUT,
                         "fabrication.radiator_emissivity (%g) and radiator_view_factor (%g) must be in (0, 1]",
                         s->emissivity, s->view_factor);
    if (!(s->pipe_diameter >= 0.0) || !(s->pipe_spacing > s->pipe_diameter))
        return lsim_fail(LSIM_ERR_INPUT,
                         "fabrication.radiator_pipe_spacing (%g m) must exceed fabrication.radiator_pipe_diameter (%g m): fins need room between pipes",
                         s->pipe_spacing, s->pipe_diameter);
    if (!(s->pipe_mass_per_length >= 0.0) || !(s->pipe_earth_mass_per_length >= 0.0) || !(s->absorbed_flux >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "fabrication.radiator_pipe_* masses and the absorbed sunlight must not be negative");
    if (!(equilibrium_c(s) < 1.0))
        return lsim_fail(LSIM_ERR_INPUT,
                         "fabrication.radiator_temperature (%g K): at this root temperature the panel absorbs %g W/m2 of sunlight and emits no more; raise it, or lower radiator_absorptance or the sun's incidence",
                         s->root_temperature, s->absorbed_flux);
    return LSIM_OK;
}

lsim_radiator_fin_solution lsim_radiator_fin_solve(const lsim_radiator_fin_spec *s, double half_width)
{
    lsim_radiator_fin_solution r;
    double tb = s->root_temperature;
    double q_iso = lsim_radiator_isothermal_flux(s->emissivity, s->view_factor, tb, s->sink_temperature,
                                                 s->absorbed_flux);
    double kt = s->conductivity * s->thickness;
    r.half_width = half_width > 0.0 ? half_width : 0.0;
    r.isothermal_heat = q_iso * r.half_width;
    r.profile_number = 2.0 * s->emissivity * s->view_factor * LSIM_STEFAN_BOLTZMANN * tb * tb * tb * r.half_width *
                       r.half_width / kt;
    if (!(r.profile_number > 0.0)) {
        r.tip_temperature = tb;
        r.heat = r.isothermal_heat;
        r.efficiency = 1.0;
        return r;
    }
    double c = equilibrium_c(s);
    double target = sqrt(r.profile_number);
    /* The length grows from 0 (no drop) to infinity (the tip at theta_eq): bisect on the drop,
     * to a relative width, so a small drop is resolved as well as a large one. */
    double lo = 0.0, hi = 1.0 - pow(c, 0.25);
    double tol = 1e-11 * target;
    for (int i = 0; i < 400 && hi - lo > 1e-15 * hi; ++i) {
        double mid = 0.5 * (lo + hi);
        if (longer_than(mid, c, target, tol))
            hi = mid;
        else
            lo = mid;
    }
    double drop = 0.5 * (lo + hi), tip = 1.0 - drop;
    /* theta'(0) = sqrt(N) sqrt(2 (g(1) - g(tip))); heat in at the root is k t T_b theta'(0) / L. */
    double slope = target * sqrt(2.0 * drop * secant_slope(tip, 1.0, c));
    r.tip_temperature = tip * tb;
    r.heat = kt * tb * slope / r.half_width;
    r.efficiency = slope / (r.profile_number * (1.0 - c));
    return r;
}

lsim_radiator_panel lsim_radiator_panel_design(const lsim_radiator_fin_spec *s)
{
    lsim_radiator_panel p;
    double pitch = s->pipe_spacing;
    p.fin = lsim_radiator_fin_solve(s, 0.5 * (pitch - s->pipe_diameter));
    p.isothermal_flux = lsim_radiator_isothermal_flux(s->emissivity, s->view_factor, s->root_temperature,
                                                      s->sink_temperature, s->absorbed_flux);
    /* Two fins and the strip over the pipe per pitch. */
    p.flux = (2.0 * p.fin.heat + s->pipe_diameter * p.isothermal_flux) / pitch;
    p.areal_mass_lunar = s->density * s->thickness + s->pipe_mass_per_length / pitch;
    p.areal_mass_earth = s->pipe_earth_mass_per_length / pitch;
    p.areal_mass = p.areal_mass_lunar + p.areal_mass_earth;
    p.power_per_mass = p.areal_mass > 0.0 ? p.flux / p.areal_mass : INFINITY;
    return p;
}

static double power_per_mass_at(const lsim_radiator_fin_spec *s, double log_spacing, lsim_radiator_panel *panel)
{
    lsim_radiator_fin_spec at = *s;
    at.pipe_spacing = exp(log_spacing);
    *panel = lsim_radiator_panel_design(&at);
    return panel->power_per_mass;
}

double lsim_radiator_optimum_spacing(const lsim_radiator_fin_spec *s, double spacing_min, double spacing_max,
                                     lsim_radiator_panel *best)
{
    const double inv_phi = 0.6180339887498949; /* (sqrt(5) - 1) / 2 */
    double a = log(spacing_min), b = log(spacing_max);
    double x1 = b - inv_phi * (b - a), x2 = a + inv_phi * (b - a);
    lsim_radiator_panel p1, p2;
    double f1 = power_per_mass_at(s, x1, &p1), f2 = power_per_mass_at(s, x2, &p2);
    while (b - a > 1e-6) {
        if (f1 < f2) {
            a = x1;
            x1 = x2;
            f1 = f2;
            p1 = p2;
            x2 = a + inv_phi * (b - a);
            f2 = power_per_mass_at(s, x2, &p2);
        } else {
            b = x2;
            x2 = x1;
            f2 = f1;
            p2 = p1;
            x1 = b - inv_phi * (b - a);
            f1 = power_per_mass_at(s, x1, &p1);
        }
    }
    double x = f1 >= f2 ? x1 : x2;
    if (best) *best = f1 >= f2 ? p1 : p2;
    return exp(x);
}

/* T'' in s = L - x (from the tip): (2 eps sigma F (T^4 - T_sink^4) - q_abs) / (k t). */
static double curvature(const lsim_radiator_fin_spec *s, double t)
{
    return lsim_radiator_isothermal_flux(s->emissivity, s->view_factor, t, s->sink_temperature, s->absorbed_flux) /
           (s->conductivity * s->thickness);
}

double lsim_radiator_fin_profile(const lsim_radiator_fin_spec *s, const lsim_radiator_fin_solution *fin,
                                 size_t steps, double *x, double *temperature)
{
    double length = fin->half_width, h = length / (double)steps;
    double t = fin->tip_temperature, dt = 0.0; /* T and dT/ds at the tip */
    x[steps] = length;
    temperature[steps] = t;
    for (size_t i = 0; i < steps; ++i) {
        double k1t = dt, k1d = curvature(s, t);
        double k2t = dt + 0.5 * h * k1d, k2d = curvature(s, t + 0.5 * h * k1t);
        double k3t = dt + 0.5 * h * k2d, k3d = curvature(s, t + 0.5 * h * k2t);
        double k4t = dt + h * k3d, k4d = curvature(s, t + h * k3t);
        t += h / 6.0 * (k1t + 2.0 * k2t + 2.0 * k3t + k4t);
        dt += h / 6.0 * (k1d + 2.0 * k2d + 2.0 * k3d + k4d);
        size_t j = steps - 1 - i;
        x[j] = length - h * (double)(i + 1);
        temperature[j] = t;
    }
    x[0] = 0.0;
    return s->conductivity * s->thickness * dt;
}
