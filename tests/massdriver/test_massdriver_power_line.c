/* The power line from the power site to the launch site (massdriver/power_line.h):
 * its length from the sites, its conductor mass against a hand calculation
 * and its scaling laws, the energy books of a launch (bus = launcher + line
 * loss, bit for bit), the driver's lunar mass, the output attributes and the
 * input checks. The registry holds the real power and orbit tables, so the
 * keys read across sections are the ones those modules register. */
#include "cr3bp.h"
#include "lsim_test.h"
#include "massdriver.h"
#include "orbit.h"
#include "power_bus.h"

#define PI 3.14159265358979323846

static lsim_params *new_params(void)
{
    lsim_params *params = lsim_params_new();
    if (!params || lsim_params_register(params, lsim_massdriver_param_defs, lsim_massdriver_param_count) != LSIM_OK ||
        lsim_params_register(params, lsim_power_param_defs, lsim_power_param_count) != LSIM_OK ||
        lsim_params_register(params, lsim_orbit_param_defs, lsim_orbit_param_count) != LSIM_OK) {
        fprintf(stderr, "cannot register parameters: %s\n", lsim_last_error());
        exit(1);
    }
    /* The first-order launcher, whose power the line cases work out by hand. */
    lsim_param_set_text(params, "massdriver", "launcher_model", "first_order", "test");
    lsim_param_set_text(params, "massdriver", "release_model", "gaussian", "test");
    return params;
}

static void set_text(lsim_params *p, const char *section, const char *key, const char *value)
{
    LSIM_CHECK(lsim_param_set_text(p, section, key, value, "test") == LSIM_OK, "%s.%s = %s: %s", section, key, value,
               lsim_last_error());
}

static void set_real(lsim_params *p, const char *section, const char *key, double value)
{
    LSIM_CHECK(lsim_param_set_real(p, section, key, value, "test") == LSIM_OK, "%s.%s = %g: %s", section, key, value,
               lsim_last_error());
}

/* The design of one driver for `params` (copied out; the fleet is freed). */
static lsim_launcher_design design_of(const lsim_params *params)
{
    lsim_massdriver m;
    lsim_launcher_design d;
    memset(&d, 0, sizeof d);
    if (lsim_massdriver_init(&m, params, NULL, 1u) != LSIM_OK) {
        LSIM_CHECK(0, "init: %s", lsim_last_error());
        return d;
    }
    d = *lsim_massdriver_design_view(&m);
    lsim_massdriver_free(&m);
    return d;
}

/* The Moon's radius here is the orbit module's. */
static void test_radius(void)
{
    LSIM_CHECK(LSIM_POWER_LINE_MOON_RADIUS == LSIM_CR3BP_MOON_RADIUS, "power line %.17g m, orbit %.17g m",
               (double)LSIM_POWER_LINE_MOON_RADIUS, (double)LSIM_CR3BP_MOON_RADIUS);
}

/* Default deck (polar array, launch site 0 N, 2.4 km/s, 10 launches/s): every
 * figure by hand. Aluminium at 293.15 K is the table's 2.8264e-8 Ω m exactly
 * (α·0); L = R π/2; P = 10 s-1 × 60 MJ / (1 − 0.07).
 * Tolerance 1e-12 relative: the hand formula and the code round a handful of
 * operations in different orders (~1e-15 each); 1e-12 absorbs round-off only.
 * The printed figures (8,185 t, 45.16 MW, 5.554 cm2, 2,729 km) are checked to
 * their printed digits (rel 1e-4). */
static void test_default_by_hand(void)
{
    lsim_params *params = new_params();
    lsim_launcher_design d = design_of(params);
    const double rho = 2.8264e-8, density = 2700.0, V = 1.6e6, f = 0.07;
    const double L = 1.7374e6 * PI / 2.0;
    const double E_launcher = 60.0e6, rate = 10.0;
    const double P = rate * E_launcher / (1.0 - f);
    const double A = 2.0 * rho * L * P / (f * V * V);
    const double mass = 4.0 * density * rho * L * L * P / (f * V * V);
    const lsim_power_line *line = &d.power_line;
    LSIM_CHECK_CLOSE(line->length, L, 1e-12, 0.0, "R pi/2, round-off");
    LSIM_CHECK_CLOSE(line->resistivity, rho, 0.0, 0.0, "table value at its reference temperature, exact");
    LSIM_CHECK_CLOSE(line->power_sent, P, 1e-12, 0.0, "rate x 60 MJ / 0.93, round-off");
    LSIM_CHECK_CLOSE(line->current, P / V, 1e-12, 0.0, "P/V, round-off");
    LSIM_CHECK_CLOSE(line->conductor_area, A, 1e-12, 0.0, "2 rho L P / (f V^2), round-off");
    LSIM_CHECK_CLOSE(line->conductor_mass, mass, 1e-12, 0.0, "4 density rho L^2 P / (f V^2), round-off");
    LSIM_CHECK_CLOSE(line->loss_power, f * P, 1e-12, 0.0, "f P, round-off");
    LSIM_CHECK_CLOSE(d.energy_per_launch, E_launcher / (1.0 - f), 1e-12, 0.0, "60 MJ / 0.93, round-off");
    LSIM_CHECK_CLOSE(d.energy_per_kg, E_launcher / (1.0 - f) / 9.0, 1e-12, 0.0, "per 9 kg, round-off");
    LSIM_CHECK_CLOSE(line->launcher_energy_per_launch, E_launcher, 1e-14, 0.0, "first_order's 60 MJ");
    LSIM_CHECK_CLOSE(line->conductor_mass, 8.185158e6, 1e-6, 0.0, "8,185 t: the figure in docs/MODEL.md");
    LSIM_CHECK_CLOSE(line->loss_power, 45.16129e6, 1e-6, 0.0, "45.16 MW: the figure in docs/MODEL.md");
    LSIM_CHECK_CLOSE(line->conductor_area, 5.554099e-4, 1e-6, 0.0, "5.554 cm2: the figure in docs/MODEL.md");
    LSIM_CHECK_CLOSE(line->length, 2.7291015e6, 1e-7, 0.0, "2,729 km: the figure in docs/MODEL.md");
    /* The driver's lunar mass holds the track and the line. */
    LSIM_CHECK_CLOSE(d.driver_lunar_mass, 10.0e3 * 300.0 + mass, 1e-12, 0.0, "3,000 t of track + the line");
    LSIM_CHECK_CLOSE(d.driver_earth_mass, 10.0e3 * 20.0, 1e-15, 0.0, "the line is lunar-made: Earth mass unchanged");
    lsim_params_free(params);
}

/* Length: 0 beside an equatorial array; R (pi/2 + lat) from a polar one at
 * any longitude. Tolerance 1e-15 relative: one addition and one
 * multiplication (rel 2 ulp); the pole itself to 1e-9 m absolute (pi/2 -
 * pi/2 in floating point). */
static void test_length(void)
{
    lsim_params *params = new_params();
    set_text(params, "power", "site", "equatorial");
    lsim_launcher_design d = design_of(params);
    LSIM_CHECK(d.power_line.length == 0.0 && d.power_line.conductor_mass == 0.0 && d.power_line.loss_power == 0.0 &&
                   d.power_line.conductor_area == 0.0,
               "equatorial array beside the launcher: no line (length %g m)", d.power_line.length);
    LSIM_CHECK(d.energy_per_launch == d.power_line.launcher_energy_per_launch,
               "no line, no loss: bus energy = launcher energy, exactly");
    LSIM_CHECK_CLOSE(d.driver_lunar_mass, 3.0e6, 1e-15, 0.0, "track only");

    set_text(params, "power", "site", "polar");
    const double R = 1.7374e6;
    const double latitude[] = {0.0, -PI / 6.0, PI / 6.0, -PI / 3.0, PI / 2.0};
    const double expected[] = {R * PI / 2.0, R * PI / 3.0, R * 2.0 * PI / 3.0, R * PI / 6.0, R * PI};
    for (size_t i = 0; i < sizeof latitude / sizeof latitude[0]; ++i) {
        set_real(params, "orbit", "launch_latitude", latitude[i]);
        for (int lon = -1; lon <= 1; ++lon) { /* longitude does not matter */
            set_real(params, "orbit", "launch_longitude", lon * 2.0);
            d = design_of(params);
            LSIM_CHECK_CLOSE(d.power_line.length, expected[i], 1e-15, 0.0, "great circle from the south pole");
        }
    }
    set_real(params, "orbit", "launch_latitude", -PI / 2.0);
    d = design_of(params);
    LSIM_CHECK_CLOSE(d.power_line.length, 0.0, 0.0, 1e-9, "launcher at the pole");
    LSIM_CHECK(d.power_line.conductor_mass < 1e-9, "no line at the pole: %g kg", d.power_line.conductor_mass);

    /* A given route overrides the sites. */
    set_text(params, "massdriver", "power_line_route", "given");
    set_text(params, "massdriver", "power_line_length", "123 km");
    d = design_of(params);
    LSIM_CHECK_CLOSE(d.power_line.length, 123.0e3, 1e-15, 0.0, "given length, km to m");
    lsim_params_free(params);
}

/* Scaling: m ∝ L² P / (f V²) of the formula, and in the design L², 1/V²
 * (the power sent does not depend on V nor L). Doubling and halving are exact
 * in binary, so the ratios are exact up to the rounding of the products:
 * 1e-14 relative. */
static void test_scaling(void)
{
    const double rho = 2.8264e-8, density = 2700.0, L = 1.0e6, P = 6.0e8, f = 0.07, V = 1.6e6;
    double m0 = lsim_power_line_conductor_mass(density, rho, L, P, f, V);
    LSIM_CHECK_CLOSE(lsim_power_line_conductor_mass(density, rho, 2.0 * L, P, f, V), 4.0 * m0, 1e-14, 0.0, "L^2");
    LSIM_CHECK_CLOSE(lsim_power_line_conductor_mass(density, rho, L, 2.0 * P, f, V), 2.0 * m0, 1e-14, 0.0, "P");
    LSIM_CHECK_CLOSE(lsim_power_line_conductor_mass(density, rho, L, P, 0.5 * f, V), 2.0 * m0, 1e-14, 0.0, "1/f");
    LSIM_CHECK_CLOSE(lsim_power_line_conductor_mass(density, rho, L, P, f, 0.5 * V), 4.0 * m0, 1e-14, 0.0, "1/V^2");
    LSIM_CHECK_CLOSE(lsim_power_line_conductor_area(rho, 2.0 * L, P, f, V),
                     2.0 * lsim_power_line_conductor_area(rho, L, P, f, V), 1e-14, 0.0, "area ∝ L");

    lsim_params *params = new_params();
    set_text(params, "massdriver", "power_line_route", "given");
    set_text(params, "massdriver", "power_line_length", "1000 km");
    lsim_launcher_design a = design_of(params);
    set_text(params, "massdriver", "power_line_length", "2000 km");
    lsim_launcher_design b = design_of(params);
    LSIM_CHECK_CLOSE(b.power_line.conductor_mass, 4.0 * a.power_line.conductor_mass, 1e-14, 0.0, "design: L^2");
    LSIM_CHECK(b.power_line.loss_power == a.power_line.loss_power, "loss power set by f, not by L");
    set_real(params, "massdriver", "power_line_voltage", 0.8e6);
    lsim_launcher_design c = design_of(params);
    LSIM_CHECK_CLOSE(c.power_line.conductor_mass, 4.0 * b.power_line.conductor_mass, 1e-14, 0.0, "design: 1/V^2");
    /* 1/f at the design level, with the power sent rescaled: m f / P_sent is
     * independent of f. */
    set_real(params, "massdriver", "power_line_loss", 0.02);
    lsim_launcher_design e = design_of(params);
    LSIM_CHECK_CLOSE(e.power_line.conductor_mass * 0.02 / e.power_line.power_sent,
                     c.power_line.conductor_mass * 0.07 / c.power_line.power_sent, 1e-14, 0.0, "design: 1/f at P");
    lsim_params_free(params);
}

/* Energy books: per launch, bus = launcher + loss bit for bit (the loss is
 * formed as bus − launcher, exact by Sterbenz's lemma for f <= 0.5); the
 * loss is the share f of the bus energy (rel 1e-15: one division, one
 * subtraction); loss power = rate × loss per launch (one product, exact
 * comparison of the same product). The step draws the bus figure: power at
 * the rate cap = rate × (launcher + loss) (rel 1e-14, two roundings). */
static void test_energy_books(void)
{
    lsim_params *params = new_params();
    const double losses[] = {1e-6, 0.01, 0.07, 0.25, 0.3333, 0.5};
    for (size_t i = 0; i < sizeof losses / sizeof losses[0]; ++i) {
        set_real(params, "massdriver", "power_line_loss", losses[i]);
        lsim_launcher_design d = design_of(params);
        const lsim_power_line *line = &d.power_line;
        LSIM_CHECK(line->launcher_energy_per_launch + line->loss_per_launch == d.energy_per_launch,
                   "f = %g: %.17g + %.17g != %.17g", losses[i], line->launcher_energy_per_launch, line->loss_per_launch,
                   d.energy_per_launch);
        LSIM_CHECK_CLOSE(line->loss_per_launch / d.energy_per_launch, losses[i], 1e-9, 0.0,
                         "loss share of the bus energy (rel 1e-9: the loss is a difference, its relative rounding is "
                         "an ulp of the bus energy over f)");
        LSIM_CHECK(line->loss_power == d.max_launch_rate * line->loss_per_launch, "loss power = rate x loss per launch");
        LSIM_CHECK(d.energy_per_kg == d.energy_per_launch / d.payload_per_launch, "energy per kg follows the bus figure");
    }

    set_real(params, "massdriver", "power_line_loss", 0.07);
    set_text(params, "massdriver", "maintenance_duration", "0 s");
    set_text(params, "massdriver", "drivers", "1");
    lsim_massdriver m;
    LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, 1u) == LSIM_OK, "%s", lsim_last_error());
    const lsim_launcher_design *d = lsim_massdriver_design_view(&m);
    lsim_clock clock;
    memset(&clock, 0, sizeof clock);
    clock.dt = 3600.0;
    clock.duration = 3600.0;
    clock.step_count = 1;
    clock.steps_per_output = 1;
    double stock = 1.0e9;
    lsim_massdriver_step_result r;
    lsim_massdriver_step(&m, &clock, 1.0e12, &stock, &r);
    double expected = d->max_launch_rate * (d->power_line.launcher_energy_per_launch + d->power_line.loss_per_launch);
    LSIM_CHECK(r.limit == LSIM_MASSDRIVER_LIMIT_RATE, "rate-capped step");
    LSIM_CHECK_CLOSE(r.power_used, expected, 1e-14, 0.0, "the step draws launcher energy and line loss");
    LSIM_CHECK_CLOSE(r.power_used - d->power_line.loss_power, 600.0e6, 1e-12, 0.0,
                     "what reaches the launcher: 10 x 60 MJ per second");
    LSIM_CHECK(lsim_massdriver_unit_lunar_mass(&m) == d->driver_lunar_mass, "growth pays the line with the track");
    lsim_massdriver_free(&m);
    lsim_params_free(params);
}

static double find_attr(const lsim_series_registry *reg, const char *name)
{
    for (size_t i = 0; i < lsim_series_attr_count(reg); ++i) {
        const lsim_series_attr *a = lsim_series_attr_at(reg, i);
        if (strcmp(a->group, "massdriver") == 0 && strcmp(a->name, name) == 0) return a->value;
    }
    return NAN;
}

/* The four /massdriver attributes are the design view's figures, copied. */
static void test_attributes(void)
{
    lsim_params *params = new_params();
    lsim_series_registry *reg = lsim_series_new(8);
    lsim_massdriver m;
    LSIM_CHECK(lsim_massdriver_init(&m, params, reg, 1u) == LSIM_OK, "%s", lsim_last_error());
    const lsim_power_line *line = &lsim_massdriver_design_view(&m)->power_line;
    LSIM_CHECK(find_attr(reg, "power_line_length") == line->length, "length attribute");
    LSIM_CHECK(find_attr(reg, "power_line_mass") == line->conductor_mass, "mass attribute");
    LSIM_CHECK(find_attr(reg, "power_line_loss_power") == line->loss_power, "loss power attribute");
    LSIM_CHECK(find_attr(reg, "power_line_conductor_area") == line->conductor_area, "area attribute");
    lsim_massdriver_free(&m);
    lsim_series_free(reg);
    lsim_params_free(params);
}

/* A voltage of 0 and a loss share of 0 are in the registry's range and
 * refused by init with one line naming the key; a share above 0.5 is refused
 * by the registry. */
static void test_bad_input(void)
{
    lsim_params *params = new_params();
    lsim_massdriver m;
    set_real(params, "massdriver", "power_line_voltage", 0.0);
    lsim_clear_error();
    LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, 1u) == LSIM_ERR_INPUT, "zero voltage accepted");
    LSIM_CHECK(strstr(lsim_last_error(), "massdriver.power_line_voltage") && strstr(lsim_last_error(), "> 0") &&
                   !strchr(lsim_last_error(), '\n'),
               "message: %s", lsim_last_error());
    set_real(params, "massdriver", "power_line_voltage", 1.6e6);
    set_real(params, "massdriver", "power_line_loss", 0.0);
    lsim_clear_error();
    LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, 1u) == LSIM_ERR_INPUT, "zero loss share accepted");
    LSIM_CHECK(strstr(lsim_last_error(), "massdriver.power_line_loss") && strstr(lsim_last_error(), "(0, 0.5]"),
               "message: %s", lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "power_line_loss", "0.6", "--set") == LSIM_ERR_INPUT,
               "loss share above 0.5 accepted");
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "power_line_voltage", "-1", "--set") == LSIM_ERR_INPUT,
               "negative voltage accepted");
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "power_line_route", "straight", "--set") == LSIM_ERR_INPUT,
               "unknown route accepted");
    lsim_params_free(params);
}

int main(void)
{
    test_radius();
    test_default_by_hand();
    test_length();
    test_scaling();
    test_energy_books();
    test_attributes();
    test_bad_input();
    LSIM_TEST_MAIN_END();
}
