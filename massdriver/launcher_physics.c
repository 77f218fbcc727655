#include "launcher_physics.h"

#include <float.h>
#include <math.h>

double lsim_massdriver_track_length(double exit_speed, double acceleration)
{
    return exit_speed * exit_speed / (2.0 * acceleration);
}

double lsim_massdriver_acceleration_time(double exit_speed, double acceleration)
{
    return exit_speed / acceleration;
}

double lsim_massdriver_kinetic_energy_per_kg(double exit_speed)
{
    return 0.5 * exit_speed * exit_speed;
}

/* Bus energy of one launch, from the definitions of the two parameters.
 *
 *   η (electrical_efficiency): kinetic energy given to bucket and payload over
 *       the electrical energy the accelerator draws for it. Accelerating both
 *       to v draws  E_in = ½ (m_p + m_b) v² / η.
 *   r (bucket_energy_recovery): the share of the empty bucket's kinetic
 *       energy ½ m_b v² that regenerative braking returns to the bus. r is
 *       already bus energy over kinetic energy (the decelerator's own losses
 *       are inside it), so the bus gets back  E_back = r · ½ m_b v², not
 *       divided by η: crediting r·½ m_b v²/η would return more than the
 *       bucket carries whenever r > η.
 *
 *   E_bus = E_in − E_back = (½ m_p v² + ½ m_b v²)/η − r · ½ m_b v².
 *
 * Since r ≤ 1 ≤ 1/η, E_bus ≥ ½ m_p v²/η ≥ ½ m_p v²: a launch never costs the
 * bus less than the payload's kinetic energy. Valid for a constant-efficiency
 * accelerator whose bucket is braked to rest and recirculated (the 1976 and
 * NASA SP-413 Appendix F concept, docs/REFERENCES.md [PRC1976], [Johnson1977]); the bucket's return
 * trip and the energy to hold the track ready are left out. */
double lsim_massdriver_bus_energy_per_launch(double exit_speed, double payload_mass, double bucket_mass,
                                             double bucket_energy_recovery, double electrical_efficiency)
{
    double specific_kinetic = lsim_massdriver_kinetic_energy_per_kg(exit_speed);
    double drawn = specific_kinetic * (payload_mass + bucket_mass) / electrical_efficiency;
    double returned = bucket_energy_recovery * specific_kinetic * bucket_mass;
    return drawn - returned;
}

double lsim_massdriver_electrical_energy_per_kg(double exit_speed, double payload_mass, double bucket_mass,
                                                double bucket_energy_recovery, double electrical_efficiency)
{
    return lsim_massdriver_bus_energy_per_launch(exit_speed, payload_mass, bucket_mass, bucket_energy_recovery,
                                                 electrical_efficiency) /
           payload_mass;
}

double lsim_massdriver_peak_power_per_launch(double exit_speed, double acceleration, double payload_mass,
                                             double bucket_mass, double electrical_efficiency)
{
    return (payload_mass + bucket_mass) * acceleration * exit_speed / electrical_efficiency;
}

double lsim_massdriver_mean_power(double launch_rate, double energy_per_launch)
{
    return launch_rate * energy_per_launch;
}

double lsim_massdriver_driver_mass(double track_length, double mass_per_length)
{
    return track_length * mass_per_length;
}

double lsim_massdriver_limited_rate(double rate_cap, double power_limited_rate, double payload_limited_rate,
                                    lsim_massdriver_limit *limit)
{
    if (payload_limited_rate <= rate_cap && payload_limited_rate <= power_limited_rate) {
        *limit = LSIM_MASSDRIVER_LIMIT_PAYLOAD;
        return payload_limited_rate;
    }
    /* A grant equal to the demand at the cap (the chain's usual case when power is plentiful) gives a power
     * rate that equals the cap up to the rounding of grant / energy: that is the cap binding, not power. */
    if (power_limited_rate < rate_cap * (1.0 - 4.0 * DBL_EPSILON)) {
        *limit = LSIM_MASSDRIVER_LIMIT_POWER;
        return power_limited_rate;
    }
    *limit = LSIM_MASSDRIVER_LIMIT_RATE;
    return rate_cap;
}

/* Downtime accumulated over (-inf, x] relative to a window starting at 0,
 * counted from the window at n = 0: floor(x/P)·d + min(x mod P, d). The
 * difference of two values is the downtime between them. */
static double downtime_before(double x, double period, double downtime)
{
    double cycles = floor(x / period);
    double into_cycle = x - cycles * period;
    if (into_cycle < 0.0) into_cycle = 0.0; /* rounding of x - floor(x/P)·P */
    return cycles * downtime + fmin(into_cycle, downtime);
}

double lsim_massdriver_uptime_fraction(double t_start, double dt, double period, double downtime, double phase)
{
    if (!(dt > 0.0)) return 1.0;
    if (!(downtime > 0.0)) return 1.0;
    if (downtime >= period) return 0.0;
    double start = t_start - phase;
    double down = downtime_before(start + dt, period, downtime) - downtime_before(start, period, downtime);
    double up = 1.0 - down / dt;
    if (up < 0.0) up = 0.0;
    if (up > 1.0) up = 1.0;
    return up;
}
