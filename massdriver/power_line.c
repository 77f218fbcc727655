/* The power line from the power site to the launch site: formulas and
 * sources above each declaration in power_line.h. */
#include "power_line.h"

#include <string.h>

#include "coil_physics.h"

#define LINE_PI 3.14159265358979323846

static const char *const SECTION = "massdriver";

double lsim_power_line_polar_arc(double radius, double latitude) { return radius * (0.5 * LINE_PI + latitude); }

double lsim_power_line_conductor_area(double resistivity, double length, double power_sent, double loss_share,
                                      double voltage)
{
    LSIM_ASSERT(loss_share > 0.0 && voltage > 0.0, "loss share %g, voltage %g V", loss_share, voltage);
    return 2.0 * resistivity * length * power_sent / (loss_share * voltage * voltage);
}

double lsim_power_line_conductor_mass(double density, double resistivity, double length, double power_sent,
                                      double loss_share, double voltage)
{
    return density * lsim_power_line_conductor_area(resistivity, length, power_sent, loss_share, voltage) * 2.0 *
           length;
}

/* The derived route: the great circle from the south pole for a polar array,
 * nothing for an array beside the launcher. */
static lsim_status derived_length(const lsim_params *params, double *length)
{
    *length = 0.0;
    if (lsim_params_find(params, "power", "site") < 0 || lsim_params_find(params, "orbit", "launch_latitude") < 0)
        return LSIM_OK; /* no sites to join (massdriver-only registry) */
    const char *site = lsim_param_text(params, "power", "site");
    if (strcmp(site, "equatorial") == 0) return LSIM_OK;
    if (strcmp(site, "polar") != 0) {
        return lsim_fail(LSIM_ERR_INPUT,
                         "massdriver.power_line_route derived: power.site '%s' has no route (expected polar or "
                         "equatorial); set massdriver.power_line_route = given and massdriver.power_line_length",
                         site);
    }
    *length = lsim_power_line_polar_arc(LSIM_POWER_LINE_MOON_RADIUS, lsim_param_real(params, "orbit", "launch_latitude"));
    return LSIM_OK;
}

lsim_status lsim_power_line_from_params(const lsim_params *params, lsim_power_line *line)
{
    memset(line, 0, sizeof *line);
    line->voltage = lsim_param_real(params, SECTION, "power_line_voltage");
    line->loss_share = lsim_param_real(params, SECTION, "power_line_loss");
    if (!(line->voltage > 0.0)) {
        return lsim_fail(LSIM_ERR_INPUT, "massdriver.power_line_voltage: %g V, expected > 0 (pole to pole)",
                         line->voltage);
    }
    if (!(line->loss_share > 0.0 && line->loss_share <= 0.5)) {
        return lsim_fail(LSIM_ERR_INPUT,
                         "massdriver.power_line_loss: %g, expected a share of the power sent in (0, 0.5]",
                         line->loss_share);
    }
    const lsim_coil_conductor *al = lsim_coil_conductor_find("aluminium");
    LSIM_ASSERT(al != NULL, "the conductor table has no aluminium row");
    line->resistivity = lsim_coil_resistivity(al, LSIM_POWER_LINE_TEMPERATURE);
    line->density = al->density;
    if (strcmp(lsim_param_text(params, SECTION, "power_line_route"), "given") == 0) {
        line->length = lsim_param_real(params, SECTION, "power_line_length");
        return LSIM_OK;
    }
    return derived_length(params, &line->length);
}

double lsim_power_line_size(lsim_power_line *line, double launcher_energy_per_launch, double launch_rate)
{
    line->launcher_energy_per_launch = launcher_energy_per_launch;
    if (!(line->length > 0.0)) {
        line->power_sent = launch_rate * launcher_energy_per_launch;
        line->current = line->power_sent / line->voltage;
        line->conductor_area = line->conductor_mass = line->loss_power = line->loss_per_launch = 0.0;
        return launcher_energy_per_launch;
    }
    double f = line->loss_share;
    double bus_energy = launcher_energy_per_launch / (1.0 - f);
    /* bus − launcher is exact (Sterbenz: bus <= 2 × launcher for f <= 0.5), so
     * launcher + loss == bus holds bit for bit in the energy books. */
    line->loss_per_launch = bus_energy - launcher_energy_per_launch;
    line->power_sent = launch_rate * bus_energy;
    line->loss_power = launch_rate * line->loss_per_launch;
    line->current = line->power_sent / line->voltage;
    line->conductor_area =
        lsim_power_line_conductor_area(line->resistivity, line->length, line->power_sent, f, line->voltage);
    line->conductor_mass = lsim_power_line_conductor_mass(line->density, line->resistivity, line->length,
                                                          line->power_sent, f, line->voltage);
    return bus_energy;
}
