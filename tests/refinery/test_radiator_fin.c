/* Radiating fin between heat pipes (refinery/radiator_fin.h): the isothermal
 * limits, the linearised analytic efficiency, the infinitely long fin, the
 * energy balance against an independent RK4 profile, monotonicity in the fin
 * width, the golden-section optimum, and bad input. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lsim_test.h"
#include "radiator_fin.h"
#include "status.h"

/* The deck's defaults (refinery/fabrication.c), sunlight edge-on. */
static lsim_radiator_fin_spec default_spec(void)
{
    lsim_radiator_fin_spec s = {
        .root_temperature = 330.0, .sink_temperature = 3.0, .thickness = 1e-3, .conductivity = 200.0,
        .density = 2700.0, .emissivity = 0.90, .view_factor = 1.0, .absorbed_flux = 0.0,
        .pipe_spacing = 0.18, .pipe_diameter = 0.0127, .pipe_mass_per_length = 0.15,
        .pipe_earth_mass_per_length = 0.01,
    };
    return s;
}

/* k -> large and massless pipes: the isothermal sheet of earlier versions, 2 eps sigma (T^4 - Ts^4)
 * = 1210.430889976476 W/m2 (0.90, 330 K, 3 K; computed separately in Python) at rho t = 2.7 kg/m2. */
static void isothermal_limits(void)
{
    lsim_radiator_fin_spec s = default_spec();
    s.conductivity = 1e12;
    s.pipe_mass_per_length = 0.0;
    s.pipe_earth_mass_per_length = 0.0;
    s.pipe_diameter = 0.0;
    LSIM_CHECK(lsim_radiator_fin_check(&s) == LSIM_OK, "%s", lsim_last_error());
    lsim_radiator_panel p = lsim_radiator_panel_design(&s);
    /* N = 2 eps sigma T^3 L^2 / (k t) = 3.0e-11 here, and 1 - eta ~ 4N/3 = 4e-11. */
    LSIM_CHECK_CLOSE(p.flux, 1210.430889976476, 1e-10, 0, "1 - eta ~ 4N/3 = 4e-11 below the sheet");
    LSIM_CHECK_CLOSE(p.areal_mass, 2.7, 1e-15, 0, "rho t alone");
    LSIM_CHECK_CLOSE(p.power_per_mass, 1210.430889976476 / 2.7, 1e-10, 0, "the 448 W/kg of the bare sheet");

    /* A zero-width fin is the isothermal strip exactly. */
    lsim_radiator_fin_solution z = lsim_radiator_fin_solve(&s, 0.0);
    LSIM_CHECK(z.efficiency == 1.0 && z.heat == 0.0 && z.tip_temperature == s.root_temperature,
               "zero width: eta %g, heat %g", z.efficiency, z.heat);

    /* Thin but highly conductive: eta -> 1 as 1 - 4N/3 + O(N^2) (tanh(x)/x = 1 - x^2/3 + ..., x^2 = 4N). */
    s = default_spec();
    s.thickness = 1e-4;
    s.conductivity = 1e8;
    lsim_radiator_fin_solution f = lsim_radiator_fin_solve(&s, 0.1);
    double n = f.profile_number;
    LSIM_CHECK(n > 1e-7 && n < 1e-5, "profile number %g, expected ~2e-6", n);
    LSIM_CHECK_CLOSE(f.efficiency, 1.0 - 4.0 * n / 3.0, 0, 10.0 * n * n + 1e-13,
                     "second-order terms of the expansion, ~N^2, and the solver's ~1e-13");
    LSIM_CHECK(f.efficiency < 1.0, "some temperature drop: eta %.17g", f.efficiency);
}

/* A small temperature drop (zero sun, T_sink = 0): the linearised fin, eta = tanh(mL)/(mL) with
 * m^2 = 2 h_r / (k t), h_r = 4 eps sigma F T_b^3, i.e. (mL)^2 = 4N. The fin's emission theta^4
 * exceeds its tangent 1 - 4 delta (delta = 1 - theta) by 6 delta^2 - ..., and delta ~
 * N (xi - xi^2 / 2) to first order, so eta - eta_linear = 6 N^2 integral_0^1 (xi - xi^2/2)^2 dxi
 * = 0.8 N^2 + O(N^3). The O(N^3) terms are products of the first-order drop (4N/3) with the
 * second-order term and -4 integral delta^3 (~ N^3 / 4): a bound of 10 N^3 covers them. */
static void linearised_efficiency(void)
{
    lsim_radiator_fin_spec s = default_spec();
    s.sink_temperature = 0.0;
    s.view_factor = 0.8;
    const double widths[] = {0.005, 0.01, 0.02, 0.03};
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; ++i) {
        lsim_radiator_fin_solution f = lsim_radiator_fin_solve(&s, widths[i]);
        double h_r = 4.0 * s.emissivity * s.view_factor * LSIM_STEFAN_BOLTZMANN * pow(s.root_temperature, 3.0);
        double ml = sqrt(2.0 * h_r / (s.conductivity * s.thickness)) * widths[i];
        double eta_linear = tanh(ml) / ml;
        double n = f.profile_number;
        LSIM_CHECK_CLOSE(ml * ml, 4.0 * n, 1e-14, 0, "(mL)^2 = 4N: the same groups");
        LSIM_CHECK_CLOSE(f.efficiency, eta_linear, 0, 0.8 * n * n + 10.0 * n * n * n,
                         "the linear fin, to the second-order term and its O(N^3) bound");
        LSIM_CHECK_CLOSE(f.efficiency - eta_linear, 0.8 * n * n, 0, 10.0 * n * n * n,
                         "the second-order term 0.8 N^2 of the expansion; O(N^3) bound");
        /* The checks can fail: the linear fin is far from eta = 1 and the correction far above its bound. */
        LSIM_CHECK(1.0 - eta_linear > 10.0 * (0.8 * n * n + 10.0 * n * n * n) && 0.8 * n * n > 20.0 * n * n * n,
                   "L = %g m: N = %g too large for the checks to discriminate", widths[i], n);
    }
}

/* A very long fin, zero sun and sink: the first integral gives the root heat
 *   Q = sqrt(2 k t integral_{T_tip}^{T_b} 2 eps sigma F T^4 dT) = sqrt((4/5) eps sigma F k t (T_b^5 - T_tip^5)),
 * so Q / Q_inf = sqrt(1 - (T_tip/T_b)^5) with Q_inf = sqrt((4/5) eps sigma F k t) T_b^(5/2). */
static void long_fin(void)
{
    lsim_radiator_fin_spec s = default_spec();
    s.sink_temperature = 0.0;
    lsim_radiator_fin_solution f = lsim_radiator_fin_solve(&s, 20.0);
    double q_inf = sqrt(0.8 * s.emissivity * s.view_factor * LSIM_STEFAN_BOLTZMANN * s.conductivity * s.thickness) *
                   pow(s.root_temperature, 2.5);
    double tip = f.tip_temperature / s.root_temperature;
    LSIM_CHECK(tip < 0.2, "a 20 m fin ends cold: tip %g of the root", tip);
    LSIM_CHECK_CLOSE(f.heat, q_inf * sqrt(1.0 - pow(tip, 5.0)), 1e-9, 0, "closed form, solver tolerance ~1e-10");
    LSIM_CHECK_CLOSE(f.heat, q_inf, pow(tip, 5.0) + 1e-9, 0, "the tip's share, (T_tip/T_b)^5, bounds the deficit");
    LSIM_CHECK(f.efficiency < 0.02, "eta %g of a 20 m fin", f.efficiency);
}

/* Heat conducted in at the root = heat radiated minus sunlight absorbed over the fin. The profile
 * comes from RK4 started at the solver's tip temperature (an independent integration): it must
 * reach T_b at the root, its root gradient must give the solver's Q, and Simpson's rule over its
 * net flux must give Q too. Errors: RK4 with 4000 steps ~ (h/L)^4 N^2 ~ 1e-14; the tip temperature
 * (1e-15 relative) amplified by cosh(2 sqrt(N)) < 4; Simpson ~ (h/L)^4 ~ 4e-15. 1e-9 leaves room
 * for the solver's quadrature tolerance (1e-12 of the length) times the amplification. */
static void energy_balance(void)
{
    enum { STEPS = 4000 };
    static double x[STEPS + 1], t[STEPS + 1];
    const struct {
        double sink, absorbed, width;
    } cases[] = {{3.0, 0.0, 0.0837}, {200.0, 0.0, 0.2}, {3.0, 0.12 * 1360.8, 0.3}, {250.0, 0.2 * 1360.8, 0.5}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        lsim_radiator_fin_spec s = default_spec();
        s.sink_temperature = cases[c].sink;
        s.absorbed_flux = cases[c].absorbed;
        LSIM_CHECK(lsim_radiator_fin_check(&s) == LSIM_OK, "%s", lsim_last_error());
        lsim_radiator_fin_solution f = lsim_radiator_fin_solve(&s, cases[c].width);
        double root_heat = lsim_radiator_fin_profile(&s, &f, STEPS, x, t);
        LSIM_CHECK_CLOSE(t[0], s.root_temperature, 1e-9, 0, "RK4 from the tip lands on the root temperature");
        LSIM_CHECK_CLOSE(root_heat, f.heat, 1e-9, 0, "root gradient: RK4 against the first integral");
        double h = x[1] - x[0], net = 0.0;
        for (int i = 0; i <= STEPS; ++i) {
            double w = (i == 0 || i == STEPS) ? 1.0 : (i % 2 ? 4.0 : 2.0);
            net += w * lsim_radiator_isothermal_flux(s.emissivity, s.view_factor, t[i], s.sink_temperature,
                                                     s.absorbed_flux);
        }
        net *= h / 3.0;
        LSIM_CHECK_CLOSE(net, f.heat, 1e-9, 0, "radiated - absorbed over the fin = conducted in at the root");
        LSIM_CHECK(f.efficiency > 0.0 && f.efficiency < 1.0, "case %zu: eta %g", c, f.efficiency);
        LSIM_CHECK_CLOSE(f.efficiency, f.heat / f.isothermal_heat, 1e-14, 0, "the definition");
        printf("energy balance %zu: L %.3f m, eta %.6f, tip %.3f K, Q %.6f W/m\n", c, cases[c].width,
               f.efficiency, f.tip_temperature, f.heat);
    }
}

/* eta falls and the fin's heat rises with every widening, over four decades of width. */
static void monotone_in_width(void)
{
    lsim_radiator_fin_spec s = default_spec();
    s.absorbed_flux = 0.12 * 1360.8;
    double last_eta = 1.0, last_heat = 0.0;
    int falls = 1, rises = 1;
    for (int i = 0; i <= 400; ++i) {
        double width = 1e-3 * pow(10.0, 4.0 * i / 400.0);
        lsim_radiator_fin_solution f = lsim_radiator_fin_solve(&s, width);
        falls &= f.efficiency < last_eta;
        rises &= f.heat > last_heat * (1.0 - 1e-12); /* flat once the tip sits at equilibrium */
        last_eta = f.efficiency;
        last_heat = f.heat;
    }
    LSIM_CHECK(falls, "eta strictly decreasing in L from 1 mm to 10 m");
    LSIM_CHECK(rises, "a wider fin rejects no less heat (to 1e-12, the solver's resolution)");
}

/* The golden-section optimum is the best spacing on a fine grid (1% steps) and a local maximum. */
static void optimum_spacing(void)
{
    lsim_radiator_fin_spec s = default_spec();
    lsim_radiator_panel best;
    double opt = lsim_radiator_optimum_spacing(&s, 1.001 * s.pipe_diameter, 10.0, &best);
    double grid_best = 0.0, grid_at = 0.0;
    for (double p = 0.02; p < 10.0; p *= 1.01) {
        s.pipe_spacing = p;
        lsim_radiator_panel q = lsim_radiator_panel_design(&s);
        if (q.power_per_mass > grid_best) {
            grid_best = q.power_per_mass;
            grid_at = p;
        }
    }
    /* W/kg is flat at the top: a 1% grid step misses the peak by ~ (0.5%)^2 x curvature, < 1e-4. */
    LSIM_CHECK(best.power_per_mass >= grid_best * (1.0 - 1e-12), "optimum %.9g below the grid's %.9g",
               best.power_per_mass, grid_best);
    LSIM_CHECK_CLOSE(best.power_per_mass, grid_best, 1e-4, 0, "grid step 1%: second-order miss");
    LSIM_CHECK_CLOSE(opt, grid_at, 0.011, 0, "within one grid step");
    s.pipe_spacing = opt * 1.05;
    double wider = lsim_radiator_panel_design(&s).power_per_mass;
    s.pipe_spacing = opt / 1.05;
    double narrower = lsim_radiator_panel_design(&s).power_per_mass;
    LSIM_CHECK(wider < best.power_per_mass && narrower < best.power_per_mass, "a maximum: %g %g %g", narrower,
               best.power_per_mass, wider);
    printf("optimum spacing %.4f m: eta %.4f, flux %.1f W/m2, %.3f kg/m2, %.1f W/kg\n", opt, best.fin.efficiency,
           best.flux, best.areal_mass, best.power_per_mass);
}

static void bad_input(void)
{
    lsim_radiator_fin_spec s = default_spec();
    s.pipe_spacing = 0.01;
    LSIM_CHECK(lsim_radiator_fin_check(&s) == LSIM_ERR_INPUT && strstr(lsim_last_error(), "radiator_pipe_spacing"),
               "got: %s", lsim_last_error());
    s = default_spec();
    s.root_temperature = 160.0;
    s.absorbed_flux = 0.9 * 1360.8; /* a black face turned to the Sun outshines a 160 K emitter */
    LSIM_CHECK(lsim_radiator_fin_check(&s) == LSIM_ERR_INPUT && strstr(lsim_last_error(), "radiator_temperature"),
               "got: %s", lsim_last_error());
    s = default_spec();
    s.sink_temperature = 330.0;
    LSIM_CHECK(lsim_radiator_fin_check(&s) == LSIM_ERR_INPUT && strstr(lsim_last_error(), "sink_temperature"),
               "got: %s", lsim_last_error());
}

int main(void)
{
    isothermal_limits();
    linearised_efficiency();
    long_fin();
    energy_balance();
    monotone_in_width();
    optimum_spacing();
    bad_input();
    LSIM_TEST_MAIN_END();
}
