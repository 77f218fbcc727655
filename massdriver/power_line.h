/* The power line from the surface power site to the launch site: an HVDC
 * bipole of lunar-made aluminium, sized per driver for its rated mean power.
 *
 * The array stands on the best-lit ground of its site (power.site); the
 * launcher stands where the flight wants it (orbit.launch_latitude). When they
 * differ the driver pays for the line between them: its conductor joins the
 * driver's lunar-made mass and its resistive loss the bus energy per launch.
 * This is launcher-independent: the fleet (massdriver.c) applies it to the
 * design of whichever launcher variant was chosen.
 *
 * Sizing. The line carries the power sent P at pole-to-pole voltage V, so the
 * current is I = P/V; both poles together form a loop of length 2L and
 * resistance R = ρ·2L/A (A the cross-section of one pole). Asking the loss
 * I²R to be a share f of the power sent gives
 *     A = 2 ρ L P / (f V²),     m = density · A · 2L = 4 density ρ L² P / (f V²),
 * so the conductor mass grows as L², P, 1/f and 1/V². P is the driver's rated
 * mean bus power, rate cap × bus energy per launch *including* the line loss:
 * the launcher receives (1 − f)·P, so the bus energy per launch is the
 * launcher's energy / (1 − f) and the loss per launch is f times it.
 * Supports, insulators and converter stations are left out (conductor only).
 * A line of length 0 is no line: no area, no mass, no loss.
 *
 * Length. With power.site = polar the array is at the south pole (the
 * best-lit points of [Bussey2010] lie within about a degree of the pole, so
 * the arc from the pole itself is within ~30 km of the arc from them), and
 * the line follows the great circle to the launch latitude φ:
 * L = R (π/2 + φ), whatever the longitude. With power.site = equatorial the
 * array is built beside the launcher: L = 0. massdriver.power_line_route =
 * given takes massdriver.power_line_length instead. */
#ifndef LSIM_MASSDRIVER_POWER_LINE_H
#define LSIM_MASSDRIVER_POWER_LINE_H

#include "params.h"
#include "status.h"

/* Volumetric mean radius of the Moon (m), [MoonFactSheet]; the same figure as
 * orbit/cr3bp.h's LSIM_CR3BP_MOON_RADIUS (modules do not include each other;
 * tests/massdriver/test_massdriver_power_line.c checks they agree). */
#define LSIM_POWER_LINE_MOON_RADIUS 1.7374e6

/* Conductor temperature (K) at which the line's resistivity is taken: 293.15 K,
 * the reference temperature of the aluminium data in coil_physics.c
 * ([IEC60889], 20 °C), which the coil model also starts from. A design choice:
 * the line lies on or under the regolith between the lunar day's heat and the
 * night's cold, and no model of its temperature is made; resistivity changes
 * by 0.4% per kelvin (the conductor's α), and the mass with it. */
#define LSIM_POWER_LINE_TEMPERATURE 293.15

typedef struct {
    double length;                     /* m, route from the power site to the launcher (0: no line) */
    double voltage;                    /* V, pole to pole */
    double loss_share;                 /* 1, resistive loss over the power sent, at the rated mean power */
    double resistivity;                /* Ω m, aluminium at LSIM_POWER_LINE_TEMPERATURE */
    double density;                    /* kg m-3, aluminium */
    double power_sent;                 /* W per driver at the rate cap, leaving the power site */
    double current;                    /* A, at the rated mean power */
    double conductor_area;             /* m2, cross-section of one pole */
    double conductor_mass;             /* kg per driver, both poles, made on the Moon */
    double loss_power;                 /* W per driver at the rate cap */
    double launcher_energy_per_launch; /* J per launch at the launcher's terminals (before the line) */
    double loss_per_launch;            /* J per launch lost in the line */
} lsim_power_line;

/* Great-circle distance on a sphere of radius `radius` (m) from the south
 * pole to latitude `latitude` (rad, north positive): R (π/2 + φ) (m). */
double lsim_power_line_polar_arc(double radius, double latitude);

/* Cross-section of one pole, 2 ρ L P / (f V²) (m2), and conductor mass of
 * both poles, 4 density ρ L² P / (f V²) (kg); formulas above. */
double lsim_power_line_conductor_area(double resistivity, double length, double power_sent, double loss_share,
                                      double voltage);
double lsim_power_line_conductor_mass(double density, double resistivity, double length, double power_sent,
                                      double loss_share, double voltage);

/* Reads the line's inputs: massdriver.power_line_route, _length, _voltage,
 * _loss; power.site and orbit.launch_latitude when the route is derived. A
 * registry without the power or orbit section (a massdriver-only test deck)
 * has no sites to join, so the derived length is 0. Fills length, voltage,
 * loss share and the aluminium data; the rest is zero until sized. Returns
 * LSIM_ERR_INPUT with a message for a voltage <= 0 or a loss share outside
 * (0, 0.5]. */
lsim_status lsim_power_line_from_params(const lsim_params *params, lsim_power_line *line);

/* Sizes `line` for a driver whose launcher draws `launcher_energy_per_launch`
 * (J) at up to `launch_rate` (s-1) launches per second, and returns the bus
 * energy per launch (J): launcher energy / (1 − f), or the launcher energy
 * itself when the line has length 0. */
double lsim_power_line_size(lsim_power_line *line, double launcher_energy_per_launch, double launch_rate);

#endif
