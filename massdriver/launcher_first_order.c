/* Launcher variant "first_order": constant acceleration along a straight
 * track, one electrical efficiency, a share of the empty bucket's kinetic
 * energy recovered by regenerative braking, and a rate cap per driver. The
 * formulas are in launcher_physics.c; this file turns the deck into the
 * design. It keeps no state: everything is rebuilt from the deck. */
#include "launcher.h"
#include "launcher_physics.h"

static const char *const SECTION = "massdriver";

lsim_status lsim_launcher_first_order_design(const lsim_params *params, lsim_launcher_design *d, void **model)
{
    double v = lsim_param_real(params, SECTION, "exit_speed");
    double a = lsim_param_real(params, SECTION, "acceleration");
    double m_p = lsim_param_real(params, SECTION, "payload_per_launch");
    double m_b = lsim_param_real(params, SECTION, "bucket_mass");
    double r = lsim_param_real(params, SECTION, "bucket_energy_recovery");
    double eta = lsim_param_real(params, SECTION, "electrical_efficiency");

    *model = NULL;
    d->exit_speed = v;
    d->payload_per_launch = m_p;
    d->bucket_mass = m_b;
    d->energy_per_launch = lsim_massdriver_bus_energy_per_launch(v, m_p, m_b, r, eta);
    d->energy_per_kg = d->energy_per_launch / m_p;
    d->kinetic_energy_per_kg = lsim_massdriver_kinetic_energy_per_kg(v);
    d->electrical_efficiency = eta;
    d->heat_per_launch = 0.0; /* losses are not placed: no coil or switch heating is modelled */
    d->max_launch_rate = lsim_param_real(params, SECTION, "max_launch_rate");
    d->track_length = lsim_massdriver_track_length(v, a);
    d->acceleration_time = lsim_massdriver_acceleration_time(v, a);
    d->peak_force_per_launch = (m_p + m_b) * a;
    d->peak_power_per_launch = lsim_massdriver_peak_power_per_launch(v, a, m_p, m_b, eta);
    d->driver_lunar_mass =
        lsim_massdriver_driver_mass(d->track_length, lsim_param_real(params, SECTION, "lunar_mass_per_length"));
    d->driver_earth_mass =
        lsim_massdriver_driver_mass(d->track_length, lsim_param_real(params, SECTION, "earth_mass_per_length"));
    d->release.exit_speed = v;
    d->release.elevation = lsim_param_real(params, SECTION, "launch_elevation");
    d->release.sigma_speed = lsim_param_real(params, SECTION, "speed_error_sigma");
    d->release.sigma_angle = lsim_param_real(params, SECTION, "pointing_error_sigma");
    return LSIM_OK;
}

void lsim_launcher_first_order_free(void *model) { (void)model; }
