/* Fabrication: radiator flux and panel figures against independently computed
 * numbers, mass conservation (total and per element) over a long run with
 * scarce inputs and varied power, limit codes, power-limited linearity. */
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "fabrication.h"
#include "lsim_test.h"
#include "params.h"
#include "series.h"

#define STEPS 5000

static lsim_params *make_params(void)
{
    lsim_params *p = lsim_params_new();
    if (lsim_params_register(p, lsim_fabrication_param_defs, lsim_fabrication_param_count) != LSIM_OK) {
        fprintf(stderr, "params: %s\n", lsim_last_error());
        exit(2);
    }
    return p;
}

static void set(lsim_params *p, const char *key, const char *value)
{
    if (lsim_param_set_text(p, "fabrication", key, value, "test") != LSIM_OK) {
        fprintf(stderr, "set %s: %s\n", key, lsim_last_error());
        exit(2);
    }
}

static double sum(const double v[LSIM_EL_COUNT])
{
    double s = 0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) s += v[e];
    return s;
}

static void design_figures(void)
{
    /* 2 eps sigma (T^4 - Ts^4) for eps 0.90 (silicate white, Fortescue Table 11.3), 330 K to 3 K,
     * computed separately in Python with sigma = 5.670374419e-8: 1210.430889976476 W/m2. */
    LSIM_CHECK_CLOSE(lsim_fabrication_radiator_flux(0.90, 330.0, 3.0), 1210.430889976476, 1e-14, 0,
                     "same formula, a few roundings");
    LSIM_CHECK_CLOSE(lsim_fabrication_radiator_flux(0.90, 300.0, 200.0), 663.433807023, 1e-11, 0,
                     "independent value printed to 12 digits");
    LSIM_CHECK_CLOSE(lsim_fabrication_radiator_flux(1.0, 300.0, 300.0), 0.0, 0, 0, "no net flux at equal temperatures");

    lsim_params *params = make_params();
    lsim_series_registry *reg = lsim_series_new(16);
    lsim_fabrication f;
    LSIM_CHECK(lsim_fabrication_init(&f, params, reg, 1) == LSIM_OK, "%s", lsim_last_error());
    /* Panel at AM0: eta x 1360.8 W/m2 (Kopp & Lean); defaults eta = 0.10. */
    LSIM_CHECK_CLOSE(f.panel_specific_power, 0.10 * 1360.8, 1e-15, 0, "one multiplication");
    /* Glass substrate: 2 um Si x 2330 + 1 um Al x 2700 + 0.2 mm glass x 2900 = 0.58736 kg/m2. */
    LSIM_CHECK_CLOSE(f.panel_areal_mass, 0.58736, 1e-14, 0, "sum of three products");
    LSIM_CHECK_CLOSE(f.panel_power_per_mass, 136.08 / 0.58736, 1e-14, 0, "one division");
    /* Radiator: a 1 mm aluminium sheet (2.7 kg/m2) over 0.15 kg/m heat pipes every 0.18 m; the
     * pipes' 0.01 kg/m of ammonia is Earth-made and kept apart from the aluminium drawn. */
    LSIM_CHECK_CLOSE(f.radiator_areal_mass, 2.7 + 0.15 / 0.18, 1e-15, 0, "a product and a quotient");
    LSIM_CHECK_CLOSE(f.radiator_earth_areal_mass, 0.01 / 0.18, 1e-15, 0, "one quotient");
    /* The flux is the fin design's: two fins of half-width (0.18 - 0.0127)/2 at efficiency eta and the
     * 12.7 mm strip over the pipe at the isothermal 1210.43 W/m2, per 0.18 m of pitch. */
    const lsim_fabrication_design *dv = lsim_fabrication_design_view(&f);
    LSIM_CHECK_CLOSE(dv->radiator_isothermal_flux, 1210.430889976476, 1e-14, 0, "defaults 0.90, 330 K, 3 K, edge-on");
    LSIM_CHECK_CLOSE(f.radiator_flux,
                     1210.430889976476 * (2.0 * dv->radiator_fin_efficiency * 0.5 * (0.18 - 0.0127) + 0.0127) / 0.18,
                     1e-13, 0, "the panel's flux from the fin efficiency: a few roundings");
    /* The fin's 1 - eta ~ 4N/3 - ... with N = 2 eps sigma T^3 L^2 / (k t) = 0.128: eta between the
     * linear fin's tanh(mL)/(mL) = 0.855 (mL = sqrt(4N)) and that plus 0.8 N^2 + 10 N^3 (test_radiator_fin). */
    LSIM_CHECK(dv->radiator_fin_efficiency > 0.85 && dv->radiator_fin_efficiency < 0.90, "fin efficiency %g",
               dv->radiator_fin_efficiency);
    LSIM_CHECK_CLOSE(f.radiator_power_per_mass, f.radiator_flux / (f.radiator_areal_mass + f.radiator_earth_areal_mass),
                     1e-15, 0, "W per kg of all radiator mass");
    LSIM_CHECK(fabs(dv->radiator_optimum_pipe_spacing - 0.18) < 0.01 &&
                   dv->radiator_optimum_power_per_mass >= f.radiator_power_per_mass,
               "the default spacing sits near the optimum: %g m, %g >= %g W/kg", dv->radiator_optimum_pipe_spacing,
               dv->radiator_optimum_power_per_mass, f.radiator_power_per_mass);
    /* Published comparison ([Unfurlable1993], docs/REFERENCES.md): complete ambient-temperature space
     * radiators weighed about 20 kg per kW rejected, a lunar heat-pipe proof-of-concept 5 kg/kW. The
     * bare fin-and-pipe panel, without headers, structure or meteoroid armour, must come in lighter
     * than the complete radiators, and heavier than the bare isothermal sheet (2.7 kg/m2 at
     * 1210 W/m2, 2.23 kg/kW), which no fin with pipes can beat. */
    double kg_per_kw = 1000.0 / f.radiator_power_per_mass;
    LSIM_CHECK(kg_per_kw > 2.7 / 1.210430889976476 && kg_per_kw < 20.0, "%g kg/kW", kg_per_kw);
    printf("radiator: eta %.4f, flux %.2f W/m2, %.4f kg/m2 (+%.4f Earth), %.2f W/kg (%.2f kg/kW); optimum %.4f m, %.2f W/kg\n",
           dv->radiator_fin_efficiency, f.radiator_flux, f.radiator_areal_mass, f.radiator_earth_areal_mass,
           f.radiator_power_per_mass, kg_per_kw, dv->radiator_optimum_pipe_spacing, dv->radiator_optimum_power_per_mass);
    /* Deposition energy is in the panel energy: 2 um x 2330 / 0.5 utilisation x 60 MJ/kg = 0.5592 MJ/m2,
     * + 0.58 kg glass x 3 MJ/kg + 0.0027 kg Al x 3 MJ/kg + 1 MJ/m2. */
    LSIM_CHECK_CLOSE(f.panel_energy_per_area, 0.5592e6 + 1.74e6 + 8.1e3 + 1e6, 1e-14, 0, "a few roundings");
    size_t in_group = 0;
    for (size_t i = 0; i < lsim_series_count(reg); ++i)
        in_group += strcmp(lsim_series_info_at(reg, i)->group, "fabrication") == 0;
    LSIM_CHECK(in_group == 8, "%zu fabrication series, expected 8", in_group);
    size_t attrs = 0;
    for (size_t i = 0; i < lsim_series_attr_count(reg); ++i)
        attrs += strcmp(lsim_series_attr_at(reg, i)->group, "fabrication") == 0;
    LSIM_CHECK(attrs >= 8, "only %zu fabrication attributes", attrs);
    lsim_series_free(reg);

    /* Aluminium foil substrate: 2 um Si + (1 + 25) um Al = 0.00466 + 0.0702 kg/m2. */
    set(params, "substrate", "aluminium");
    LSIM_CHECK(lsim_fabrication_init(&f, params, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK_CLOSE(f.panel_areal_mass, 0.00466 + 0.0702, 1e-14, 0, "a few roundings");
    LSIM_CHECK_CLOSE(f.glass_areal_mass, 0.0, 0, 0, "no glass on foil");

    /* The bare isothermal sheet of earlier versions is a limit of the fin: conductivity far above any
     * metal, massless pipes of no width. N ~ 3e-11 there, so the flux is within 1e-10 of 1210.43. */
    set(params, "substrate", "glass");
    set(params, "radiator_conductivity", "1e12 W m-1 K-1");
    set(params, "radiator_pipe_mass_per_length", "0 kg m-1");
    set(params, "radiator_pipe_fluid_mass_per_length", "0 kg m-1");
    set(params, "radiator_pipe_diameter", "0 m");
    LSIM_CHECK(lsim_fabrication_init(&f, params, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK_CLOSE(f.radiator_areal_mass, 2.7, 1e-15, 0, "1 mm of aluminium at 2700 kg/m3");
    LSIM_CHECK_CLOSE(f.radiator_flux, 1210.430889976476, 1e-10, 0, "isothermal limit: 1 - eta ~ 4N/3 ~ 4e-11");
    LSIM_CHECK_CLOSE(f.radiator_power_per_mass, 448.3077370283245, 1e-10, 0, "the old 448 W/kg");
    set(params, "radiator_conductivity", "200 W m-1 K-1");
    set(params, "radiator_pipe_mass_per_length", "0.15 kg m-1");
    set(params, "radiator_pipe_fluid_mass_per_length", "0.01 kg m-1");
    set(params, "radiator_pipe_diameter", "12.7 mm");

    /* Pipes wider than their pitch leave no fin: an input error naming the spacing. */
    set(params, "radiator_pipe_spacing", "1 cm");
    LSIM_CHECK(lsim_fabrication_init(&f, params, NULL, 1) == LSIM_ERR_INPUT &&
                   strstr(lsim_last_error(), "fabrication.radiator_pipe_spacing"),
               "got: %s", lsim_last_error());
    set(params, "radiator_pipe_spacing", "18 cm");

    /* A radiator colder than its sink is an input error. */
    set(params, "substrate", "glass");
    set(params, "sink_temperature", "350 K");
    LSIM_CHECK(lsim_fabrication_init(&f, params, NULL, 1) == LSIM_ERR_INPUT &&
                   strstr(lsim_last_error(), "fabrication.radiator_temperature"),
               "got: %s", lsim_last_error());
    lsim_params_free(params);
}

static void conservation_run(const char *substrate)
{
    lsim_params *params = make_params();
    set(params, "substrate", substrate);
    set(params, "lines", "100");
    lsim_fabrication f;
    LSIM_CHECK(lsim_fabrication_init(&f, params, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock;
    memset(&clock, 0, sizeof clock);
    clock.dt = 3600.0;

    double si = 0, al = 0, slag[LSIM_EL_COUNT] = {0};
    double si_in = 0, al_in = 0, slag_in[LSIM_EL_COUNT] = {0};
    const double slag_mix[LSIM_EL_COUNT] = {0.40, 0.15, 0.06, 0.02, 0.01, 0.06, 0.08, 0.004, 0.216};
    lsim_fabrication_products out;
    memset(&out, 0, sizeof out);
    int seen[6] = {0}, power_ok = 1, stocks_ok = 1;
    double full_si = f.silicon_areal_mass * f.lines * f.panel_line_rate * clock.dt;
    double full_al = (f.aluminium_panel_areal_mass * f.panel_line_rate + f.radiator_areal_mass * f.radiator_line_rate) *
                     f.lines * clock.dt;
    double full_glass = f.glass_areal_mass * f.lines * f.panel_line_rate * clock.dt;
    for (long k = 0; k < STEPS; ++k) {
        clock.step = k;
        /* Stocks topped up to a level that varies per step; in blocks of 100 steps one input in
         * turn is kept short (silicon, aluminium, glass, none) so each limit shows. */
        int phase = (int)((k / 100) % 4);
        double jitter = 0.5 + (double)((k * 7919) % 1000) / 1000.0;
        double want_si = full_si * (phase == 0 ? 0.3 : 1.5) * jitter;
        double want_al = full_al * (phase == 1 ? 0.3 : 1.5) * jitter;
        double want_glass = full_glass * (phase == 2 ? 0.3 : 1.5) * jitter;
        double add_si = want_si > si ? want_si - si : 0.0, add_al = want_al > al ? want_al - al : 0.0;
        double glass_now = sum(slag), add_glass = want_glass > glass_now ? want_glass - glass_now : 0.0;
        si += add_si; si_in += add_si;
        al += add_al; al_in += add_al;
        for (int e = 0; e < LSIM_EL_COUNT; ++e) {
            slag[e] += add_glass * slag_mix[e];
            slag_in[e] += add_glass * slag_mix[e];
        }
        double demand = lsim_fabrication_power_demand(&f, &clock, si, al, slag);
        /* Power short one step in four, so the material limits show too. */
        double grant = k % 4 == 0 ? demand * (double)((k * 104729) % 997) / 996.0 : demand * 1.2;
        double used = lsim_fabrication_step(&f, &clock, grant, &si, &al, slag, &out);
        if (used > grant) power_ok = 0;
        if (si < 0 || al < 0) stocks_ok = 0;
        for (int e = 0; e < LSIM_EL_COUNT; ++e) if (slag[e] < 0) stocks_ok = 0;
        seen[f.last_limit] = 1;
        /* Per step: panel + radiator mass = materials taken, to a couple of roundings. */
        LSIM_CHECK_CLOSE(f.last_panel_mass + f.last_radiator_mass, f.last_silicon + f.last_aluminium + f.last_glass,
                         4.0 * DBL_EPSILON, 1e-300, "per step: sums of the same numbers in another order");
        LSIM_CHECK_CLOSE(f.last_panel_area * f.panel_specific_power, f.last_panel_area * 0.10 * 1360.8, 1e-15, 1e-300,
                         "rated power is area x eta x S");
    }
    LSIM_CHECK(power_ok, "%s: used more power than granted", substrate);
    LSIM_CHECK(stocks_ok, "%s: a stock went negative", substrate);
    /* Cumulative: each of STEPS additions to running totals rounds at most half an ulp of the total. */
    double tol = 4.0 * DBL_EPSILON * STEPS;
    double consumed = (si_in - si) + (al_in - al) + (sum(slag_in) - sum(slag));
    LSIM_CHECK_CLOSE(out.panel_mass + out.radiator_mass, consumed, tol, 0, "4 eps x steps of running-sum rounding");
    LSIM_CHECK_CLOSE(sum(out.panel_mass_by_element), out.panel_mass, tol, 0, "per-element panel mass sums to it");
    LSIM_CHECK_CLOSE(out.panel_mass_by_element[LSIM_EL_SI], (si_in - si) + (slag_in[LSIM_EL_SI] - slag[LSIM_EL_SI]), tol, 0,
                     "Si in panels = Si taken from the Si stock and from slag glass");
    LSIM_CHECK_CLOSE(out.panel_mass_by_element[LSIM_EL_AL] + out.radiator_mass,
                     (al_in - al) + (slag_in[LSIM_EL_AL] - slag[LSIM_EL_AL]), tol, 0, "Al balance");
    for (int e = 0; e < LSIM_EL_COUNT; ++e) {
        if (e == LSIM_EL_SI || e == LSIM_EL_AL) continue;
        LSIM_CHECK_CLOSE(out.panel_mass_by_element[e], slag_in[e] - slag[e], tol, 1e-300, "other elements come only from glass");
    }
    LSIM_CHECK(out.panel_area > 0 && out.radiator_area > 0, "nothing made");
    LSIM_CHECK_CLOSE(out.panel_power, out.panel_area * 136.08, tol, 0, "W = m2 x eta x S");
    LSIM_CHECK(seen[LSIM_FABRICATION_LIMIT_SILICON] && seen[LSIM_FABRICATION_LIMIT_ALUMINIUM] &&
                   seen[LSIM_FABRICATION_LIMIT_POWER] && seen[LSIM_FABRICATION_LIMIT_LINES],
               "%s: limits seen si %d al %d power %d lines %d", substrate, seen[1], seen[2], seen[4], seen[5]);
    if (strcmp(substrate, "glass") == 0) LSIM_CHECK(seen[LSIM_FABRICATION_LIMIT_GLASS], "glass limit never seen");
    lsim_params_free(params);
}

static void limits_and_linearity(void)
{
    lsim_params *params = make_params();
    lsim_fabrication f;
    LSIM_CHECK(lsim_fabrication_init(&f, params, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock;
    memset(&clock, 0, sizeof clock);
    clock.dt = 3600.0;
    double slag0[LSIM_EL_COUNT] = {400, 150, 60, 20, 10, 60, 80, 4, 216};
    lsim_fabrication_products out;

    /* Plenty of everything: lines limit; then each input short in turn. */
    struct { double si, al, slag_scale, power_share; int limit; } cases[] = {
        {100, 100, 1, 2.0, LSIM_FABRICATION_LIMIT_LINES},     {1e-6, 100, 1, 2.0, LSIM_FABRICATION_LIMIT_SILICON},
        {100, 1e-4, 1, 2.0, LSIM_FABRICATION_LIMIT_ALUMINIUM}, {100, 100, 0, 2.0, LSIM_FABRICATION_LIMIT_GLASS},
        {100, 100, 1, 0.3, LSIM_FABRICATION_LIMIT_POWER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        double si = cases[i].si, al = cases[i].al, slag[LSIM_EL_COUNT];
        for (int e = 0; e < LSIM_EL_COUNT; ++e) slag[e] = slag0[e] * cases[i].slag_scale;
        memset(&out, 0, sizeof out);
        double demand = lsim_fabrication_power_demand(&f, &clock, si, al, slag);
        lsim_fabrication_step(&f, &clock, demand * cases[i].power_share, &si, &al, slag, &out);
        LSIM_CHECK(f.last_limit == cases[i].limit, "case %zu: limit %d, expected %d", i, f.last_limit, cases[i].limit);
    }
    LSIM_CHECK_CLOSE(f.last_power, 0.3 * lsim_fabrication_power_demand(&f, &clock, 100, 100, slag0), 1e-12, 0,
                     "power-limited step uses what it is granted");

    /* Linear in power: half the power, half of everything. */
    double made[2][3];
    for (int i = 0; i < 2; ++i) {
        double si = 100, al = 100, slag[LSIM_EL_COUNT];
        memcpy(slag, slag0, sizeof slag);
        memset(&out, 0, sizeof out);
        double demand = lsim_fabrication_power_demand(&f, &clock, si, al, slag);
        lsim_fabrication_step(&f, &clock, demand * (i == 0 ? 0.5 : 0.25), &si, &al, slag, &out);
        made[i][0] = out.panel_area;
        made[i][1] = out.panel_mass;
        made[i][2] = out.radiator_mass;
    }
    for (int j = 0; j < 3; ++j) LSIM_CHECK_CLOSE(made[0][j], 2.0 * made[1][j], 1e-12, 0, "linear in power: a few roundings");

    /* No lines: nothing made, limit 0; the growth hook adds lines. */
    f.lines = 0;
    double si = 100, al = 100, slag[LSIM_EL_COUNT];
    memcpy(slag, slag0, sizeof slag);
    memset(&out, 0, sizeof out);
    lsim_fabrication_step(&f, &clock, 1e9, &si, &al, slag, &out);
    LSIM_CHECK(f.last_limit == LSIM_FABRICATION_LIMIT_NONE && out.panel_area == 0.0, "no lines, yet limit %d", f.last_limit);
    LSIM_CHECK(lsim_fabrication_add_lines(&f, 3, &clock) == LSIM_OK && f.lines == 3.0, "add_lines");
    LSIM_CHECK(lsim_fabrication_add_lines(&f, -1, &clock) == LSIM_ERR_INPUT, "negative lines accepted");
    lsim_params_free(params);
}

/* The newer face: the radiator duty is an input (the rejection wanted), the step fills a result,
 * the design view and line count match the module's figures. */
static void duty_as_input(void)
{
    lsim_params *params = make_params();
    set(params, "lines", "2");
    lsim_fabrication f;
    LSIM_CHECK(lsim_fabrication_init(&f, params, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_params_free(params);
    const lsim_fabrication_design *d = lsim_fabrication_design_view(&f);
    LSIM_CHECK(d->panel_line_rate == f.panel_line_rate && d->radiator_line_rate == f.radiator_line_rate &&
                   d->panel_specific_power == f.panel_specific_power && d->radiator_flux == f.radiator_flux &&
                   d->line_mass_lunar == f.line_mass_lunar && d->line_mass_earth == f.line_mass_earth &&
                   d->panel_areal_mass == f.panel_areal_mass && d->radiator_areal_mass == f.radiator_areal_mass,
               "design view: the same figures, copied");
    LSIM_CHECK(lsim_fabrication_line_count(&f) == 2.0, "two lines");

    /* duty = min(1, wanted / (lines x rate x flux)); 0 for no want or a negative one. */
    double capacity = 2.0 * d->radiator_line_rate * d->radiator_flux; /* W s-1 */
    LSIM_CHECK_CLOSE(lsim_fabrication_radiator_duty_for(&f, 0.25 * capacity), 0.25, 1e-15, 0, "one division");
    LSIM_CHECK(lsim_fabrication_radiator_duty_for(&f, 3.0 * capacity) == 1.0, "capped at 1");
    LSIM_CHECK(lsim_fabrication_radiator_duty_for(&f, 0.0) == 0.0 && lsim_fabrication_radiator_duty_for(&f, -5.0) == 0.0,
               "nothing wanted, no radiators");

    lsim_clock clock;
    memset(&clock, 0, sizeof clock);
    clock.dt = 3600.0;
    double slag0[LSIM_EL_COUNT] = {400, 150, 60, 20, 10, 60, 80, 4, 216};
    const double shares[] = {0.0, 0.3, 1.0, 4.0};
    for (size_t i = 0; i < sizeof shares / sizeof shares[0]; ++i) {
        double want = shares[i] * capacity;
        double duty = shares[i] < 1.0 ? shares[i] : 1.0;
        /* The older face at the same duty, set by hand, must make the same things. */
        lsim_fabrication old = f;
        old.radiator_duty = lsim_fabrication_radiator_duty_for(&f, want);
        double si_a = 100, al_a = 100, slag_a[LSIM_EL_COUNT], si_b = 100, al_b = 100, slag_b[LSIM_EL_COUNT];
        memcpy(slag_a, slag0, sizeof slag_a);
        memcpy(slag_b, slag0, sizeof slag_b);
        double demand = lsim_fabrication_power_demand_for(&f, &clock, si_a, al_a, slag_a, want);
        LSIM_CHECK(demand == lsim_fabrication_power_demand(&old, &clock, si_b, al_b, slag_b),
                   "share %g: demand for a want = demand at its duty (same arithmetic)", shares[i]);
        lsim_fabrication_products out_a, out_b;
        memset(&out_a, 0, sizeof out_a);
        memset(&out_b, 0, sizeof out_b);
        lsim_fabrication_step_result r;
        double used = lsim_fabrication_advance(&f, &clock, demand, want, &si_a, &al_a, slag_a, &out_a, &r);
        LSIM_CHECK(used == r.power, "share %g: the power returned is the result's", shares[i]);
        double used_old = lsim_fabrication_step(&old, &clock, demand, &si_b, &al_b, slag_b, &out_b);
        LSIM_CHECK(memcmp(&out_a, &out_b, sizeof out_a) == 0 && si_a == si_b && al_a == al_b && r.power == used_old,
                   "share %g: the newer step makes what the older one makes at that duty", shares[i]);
        LSIM_CHECK_CLOSE(r.radiator_duty, duty, 1e-15, 0, "one division");
        LSIM_CHECK_CLOSE(r.radiator_area, 2.0 * d->radiator_line_rate * duty * clock.dt, 1e-15, 0,
                         "lines x rate x duty x dt: a few roundings");
        LSIM_CHECK_CLOSE(r.radiator_rejection, r.radiator_area * d->radiator_flux, 0, 0, "the same product: exact");
        if (shares[i] > 0.0 && shares[i] < 1.0)
            LSIM_CHECK_CLOSE(r.radiator_rejection, want * clock.dt, 1e-14, 0,
                             "the radiators made reject what was wanted per second x dt: a few roundings");
        /* The result is what went into the stocks, and what the older fields say. */
        LSIM_CHECK(r.panel_area == out_a.panel_area && r.panel_mass == out_a.panel_mass &&
                       r.panel_power == out_a.panel_power && r.radiator_area == out_a.radiator_area &&
                       r.radiator_mass == out_a.radiator_mass,
                   "share %g: result vs stocks", shares[i]);
        LSIM_CHECK(r.panel_mass == f.last_panel_mass && r.radiator_mass == f.last_radiator_mass &&
                       r.limit == f.last_limit && r.power == f.last_power && f.radiator_duty == r.radiator_duty,
                   "share %g: result vs the older fields", shares[i]);
        const lsim_fabrication_step_result *last = lsim_fabrication_last_result(&f);
        LSIM_CHECK(last->panel_mass == r.panel_mass && last->radiator_rejection == r.radiator_rejection,
                   "share %g: the last result is the one returned", shares[i]);
        LSIM_CHECK_CLOSE(r.panel_mass, r.silicon + (r.aluminium - r.radiator_mass) + r.glass, 4 * DBL_EPSILON, 0,
                         "panel mass = Si + panel Al + glass: a few roundings");
        LSIM_CHECK(r.limit == LSIM_FABRICATION_LIMIT_LINES, "share %g: ample stocks and power, limit %d", shares[i],
                   r.limit);
    }
    /* A step with no stocks to add to: the result alone says what was made. */
    double si = 100, al = 100, slag[LSIM_EL_COUNT];
    memcpy(slag, slag0, sizeof slag);
    lsim_fabrication_step_result r;
    lsim_fabrication_advance(&f, &clock, 1e12, 0.5 * capacity, &si, &al, slag, NULL, &r);
    LSIM_CHECK(r.panel_area > 0.0 && r.radiator_area > 0.0 && si < 100.0, "made without an output stock");
}

int main(void)
{
    design_figures();
    conservation_run("glass");
    conservation_run("aluminium");
    limits_and_linearity();
    duty_as_input();
    LSIM_TEST_MAIN_END();
}
