/* First-order physics of a coilgun mass driver: constant acceleration along a
 * straight track, a single wall-plug efficiency, and partial recovery of the
 * bucket's kinetic energy by regenerative braking in the decelerator.
 *
 * Every formula is a small pure function of SI numbers; the first_order
 * launcher variant (launcher_first_order.c) turns them into design figures,
 * and the fleet logic (massdriver.c) uses the fleet-level ones (rate limit,
 * maintenance uptime, mean power). */
#ifndef LSIM_MASSDRIVER_LAUNCHER_PHYSICS_H
#define LSIM_MASSDRIVER_LAUNCHER_PHYSICS_H

/* Which cause set the launch rate in a step (the `limit` series). */
typedef enum {
    LSIM_MASSDRIVER_LIMIT_POWER = 1,   /* granted power */
    LSIM_MASSDRIVER_LIMIT_RATE = 2,    /* buckets per second of the operable drivers */
    LSIM_MASSDRIVER_LIMIT_PAYLOAD = 3, /* payload waiting in the stock */
    LSIM_MASSDRIVER_LIMIT_HEAT = 4,    /* the rate at which the hottest coil reaches its limit (coil launcher) */
    LSIM_MASSDRIVER_LIMIT_RECHARGE = 5 /* the rate the chargers refill the banks at (coil launcher) */
} lsim_massdriver_limit;

/* Track length to reach `exit_speed` at constant `acceleration`: v²/(2a) (m). */
double lsim_massdriver_track_length(double exit_speed, double acceleration);

/* Time a bucket spends accelerating: v/a (s). */
double lsim_massdriver_acceleration_time(double exit_speed, double acceleration);

/* Kinetic energy per kg at release: v²/2 (J kg-1). */
double lsim_massdriver_kinetic_energy_per_kg(double exit_speed);

/* Electrical energy one launch draws from the bus, net of what braking the
 * empty bucket returns (J): (½ m_payload v² + ½ m_bucket v²)/η − r·½ m_bucket v²,
 * r = `bucket_energy_recovery` (bus energy returned over the bucket's kinetic
 * energy), η = `electrical_efficiency` (derivation above the definition). */
double lsim_massdriver_bus_energy_per_launch(double exit_speed, double payload_mass, double bucket_mass,
                                             double bucket_energy_recovery, double electrical_efficiency);

/* The same per kg of payload launched (J kg-1): bus energy per launch / m_payload. */
double lsim_massdriver_electrical_energy_per_kg(double exit_speed, double payload_mass, double bucket_mass,
                                                double bucket_energy_recovery, double electrical_efficiency);

/* Electrical power drawn by one bucket at the end of the track, where it is
 * fastest: m_total·a·v/η (W). */
double lsim_massdriver_peak_power_per_launch(double exit_speed, double acceleration, double payload_mass,
                                             double bucket_mass, double electrical_efficiency);

/* Mean electrical power of one driver launching at `launch_rate` (s-1):
 * rate × energy per launch (W). Buckets overlap on the track, so this is what
 * the bus sees on average when launching steadily. */
double lsim_massdriver_mean_power(double launch_rate, double energy_per_launch);

/* Mass of `track_length` metres of driver at `mass_per_length` (kg). */
double lsim_massdriver_driver_mass(double track_length, double mass_per_length);

/* The smallest of the three candidate rates (s-1) and which one it was.
 * Ties go to payload first (nothing to launch outranks everything), then
 * power, then the rate cap, so the code is deterministic. */
double lsim_massdriver_limited_rate(double rate_cap, double power_limited_rate, double payload_limited_rate,
                                    lsim_massdriver_limit *limit);

/* Fraction of [t_start, t_start + dt) during which one driver is operable when
 * it is down for `downtime` seconds at the start of every `period`, with its
 * windows shifted by `phase` seconds (windows [phase + nP, phase + nP + d)).
 * Exact for any step length, so the long-run mean is exactly 1 − d/P. */
double lsim_massdriver_uptime_fraction(double t_start, double dt, double period, double downtime, double phase);

#endif
