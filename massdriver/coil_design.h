/* Design of the coil-by-coil mass driver (launcher variant "coil"): from the
 * exit speed, acceleration limit, payload and bucket, and the coil and
 * circuit hardware, derive the stage count, each stage's bank (capacitance,
 * voltage) and trigger, the heat, the recharge, the braking of the empty
 * bucket and its return, and the masses. Runs once at init (~20 ms at the
 * defaults).
 *
 * Topology: one capacitor bank and thyristor per drive coil (coil_launch.h),
 * as in the pulsed "bucket brigade" of [Kolm1980] and the discrete-coil
 * driver of [Johnson1977] App. F: each coil is fired once per bucket, when
 * the bucket reaches its trigger, and a thyristor ends the pulse at the
 * current zero, so the force never reverses and the bank keeps what the
 * pulse does not use. The bucket carries a superconducting coil held at
 * constant current.
 *
 * Stage n (n = 0 .. N−1) fires when the bucket coil passes the previous drive
 * coil, one pitch p before its own (trigger x = −p): one circuit conducts at a
 * time. Its half-period π sqrt(LC) is the bucket's design transit time over
 * the pitch, τ_n = 2p/(u_n + u_{n+1}), so the current returns to zero about as
 * the bucket reaches the coil, where dM/dx changes sign. The design speeds
 * are u_n² = u_0² + 2 a_m p n (mean acceleration a_m, u_N = exit speed); each
 * stage's bank voltage is solved (secant method on the speed gain, which is
 * affine in the voltage while the bucket's path is nearly fixed) so the
 * bucket leaves the stage at u_{n+1}. The mean acceleration is then lowered
 * until the stages' peak acceleration (force ripple: pulses, not a constant
 * push) is within the limit: a_m = a_max · (mean/peak).
 *
 * Speed classes: stages at similar speeds are similar, so the voltage is
 * solved on representative stages (n = 0, 1, 2, 4, 8, ... and N−1, at most
 * LSIM_COIL_MAX_CLASSES) and every other stage's figures are interpolated
 * linearly in design speed between them. lsim_coil_design_launch runs every
 * stage in sequence with the interpolated banks and measures what this
 * interpolation costs in exit speed (tests and bench_coil).
 *
 * Coil resistance is taken at the coil temperature limit (the design's worst
 * case; the heat it reports is an upper bound at lower temperatures). */
#ifndef LSIM_MASSDRIVER_COIL_DESIGN_H
#define LSIM_MASSDRIVER_COIL_DESIGN_H

#include "coil_launch.h"
#include "status.h"

enum { LSIM_COIL_MAX_CLASSES = 48, LSIM_COIL_BRAKE_CLASSES = 12 };

/* Stefan-Boltzmann constant (W m-2 K-4), CODATA 2018 (exact in the 2019 SI). */
#define LSIM_COIL_STEFAN_BOLTZMANN 5.670374419e-8

/* What the design is asked for (SI). */
typedef struct {
    double exit_speed;         /* m s-1, target speed at release */
    double acceleration_limit; /* m s-2, largest acceleration of bucket and payload allowed (peak) */
    int limit_is_mean;         /* 1: the limit is the mean acceleration (peaks exceed it), as in [Johnson1977] */
    double injection_speed;    /* m s-1, loaded bucket entering the first stage (an injector, lossless, gives it) */
    double payload_mass;       /* kg per bucket */
    double bucket_mass;        /* kg, empty bucket with its coil */
    lsim_coil_geometry drive;  /* drive coil winding (radius = mean radius) */
    lsim_coil_geometry bucket; /* bucket coil winding */
    const lsim_coil_conductor *conductor; /* drive coil metal */
    double fill_factor;        /* conductor share of the drive winding section */
    double bucket_current;     /* A per turn of the bucket coil, held constant */
    double stage_pitch;        /* m between drive coil centres */
    double circuit_resistance; /* Ω per stage outside the coil (bank, switch, leads) */
    double temperature_limit;  /* K, highest coil temperature allowed */
    double radiator_area;      /* m2 radiating area per stage */
    double emissivity;         /* 1 */
    double sink_temperature;   /* K, effective radiative sink */
    double bank_energy_density; /* J kg-1 of capacitor bank */
    double charger_power;      /* W, bank recharge power of one driver */
    double structure_mass_per_length; /* kg m-1 of accelerator and braker, lunar (guideway, supports) */
    double radiator_areal_mass; /* kg m-2 of radiator, lunar */
    double switch_mass_per_stage; /* kg per stage from Earth (thyristor, trigger, sensors) */
    double return_speed;       /* m s-1, bucket speed on the return track; braking ends here */
    double return_extra_length; /* m of return track beyond the accelerator and braker (turnarounds) */
    double return_mass_per_length; /* kg m-1 of return track, lunar */
    double loading_time;       /* s per cycle to load a bucket */
    int steps_per_pulse;       /* RK4 steps per half-period */
} lsim_coil_design_input;

/* One representative stage (accelerating or braking). */
typedef struct {
    double stage;          /* stage index n (accelerator) or braking stage count before it */
    double position;       /* m, drive coil centre along the track from the first coil */
    double entry_speed;    /* m s-1 at the trigger */
    double exit_speed;     /* m s-1 when the bucket reaches the coil (handover to the next stage) */
    double capacitance;    /* F */
    double voltage;        /* V, bank at the trigger (0 for braking) */
    double peak_current;   /* A */
    double peak_voltage;   /* V, largest |bank voltage| */
    double peak_force;     /* N */
    double peak_power;     /* W, largest |V I| of the bank */
    double heat;           /* J, ohmic heat of coil and circuit */
    double coil_heat;      /* J, the coil's share */
    double bank_energy;    /* J stored at the trigger, ½CV² (accelerator) or at the end (braking) */
    double bank_energy_drawn; /* J, ½C(V0² − V²): negative when the stage recovers energy */
    double kinetic_gain;   /* J */
    double field_left;     /* J, ½LI² left at the end */
    double pulse_time;     /* s from trigger to the switch opening (duration if it did not) */
} lsim_coil_class;

/* The design and its figures (SI). */
typedef struct {
    lsim_coil_design_input in;
    lsim_coil_table table;        /* dM/dx of the drive/bucket pair */
    double inductance;            /* H, drive coil */
    double coil_resistance;       /* Ω at the temperature limit */
    double mean_acceleration;     /* m s-2, a_m */
    double peak_acceleration;     /* m s-2, largest over the representative stages */
    long stages;                  /* accelerating stages N */
    double track_length;          /* m, N p */
    double acceleration_time;     /* s */
    int n_classes;
    lsim_coil_class cls[LSIM_COIL_MAX_CLASSES];
    int n_brake;
    lsim_coil_class brake[LSIM_COIL_BRAKE_CLASSES];
    /* per launch */
    double kinetic_energy;        /* J, ½(m_p + m_b) v² at release */
    double bank_energy_drawn;     /* J drawn by the accelerator */
    double efficiency;            /* kinetic_energy / bank_energy_drawn */
    double heat;                  /* J, ohmic heat of the accelerator (coils and circuits) */
    double coil_heat;             /* J, the coils' share */
    double bank_energy;           /* J stored in the accelerator's banks at the trigger */
    double peak_power;            /* W, largest bank power of one stage */
    double peak_force;            /* N */
    double peak_current;          /* A */
    double peak_voltage;          /* V */
    double max_stage_coil_heat;   /* J, hottest stage's coil heat per launch (accelerator or braker) */
    /* braking */
    double brake_stages;          /* braking stages from exit to return speed */
    double brake_length;          /* m */
    double brake_time;            /* s */
    double energy_recovered;      /* J returned to the braking banks */
    double brake_heat;            /* J */
    double energy_per_launch;     /* J, bank_energy_drawn − energy_recovered */
    /* rate */
    double radiated_power_per_stage; /* W at the temperature limit */
    double heat_rate_limit;       /* s-1 */
    double recharge_rate_limit;   /* s-1 */
    double max_launch_rate;       /* s-1, the lesser */
    int heat_binds;               /* 1 when heat sets the rate, 0 when recharge does */
    double steady_temperature;    /* K of the hottest coil at max_launch_rate */
    double mean_power;            /* W at max_launch_rate */
    /* bucket cycle */
    double return_length;         /* m */
    double cycle_time;            /* s */
    double bucket_fleet;          /* buckets in circulation */
    /* masses */
    double conductor_mass_per_length; /* kg m-1 of drive conductor */
    double bank_mass;             /* kg of banks, accelerator and braker */
    double radiator_mass;         /* kg */
    double lunar_mass;            /* kg per driver made on the Moon */
    double earth_mass;            /* kg per driver from Earth */
    double lunar_mass_per_length; /* kg m-1 over accelerator and braker */
    double earth_mass_per_length; /* kg m-1 */
} lsim_coil_design;

/* Solves the design. LSIM_ERR_INPUT with a message for inputs that cannot
 * make a driver (non-positive sizes, windings that overlap); LSIM_ERR_RUN if
 * memory runs out. Free with lsim_coil_design_free (safe on a zeroed design). */
lsim_status lsim_coil_design_solve(const lsim_coil_design_input *in, lsim_coil_design *d);
void lsim_coil_design_free(lsim_coil_design *d);

/* The bank of stage n (0 <= n < stages): capacitance and voltage interpolated
 * linearly in design speed between the representative stages. */
void lsim_coil_design_bank(const lsim_coil_design *d, long n, double *capacitance, double *voltage);

/* One full launch, every accelerating stage in turn with its own bank
 * (lsim_coil_design_bank), each fired when the bucket reaches its trigger. */
typedef struct {
    double exit_speed;        /* m s-1 reached */
    double bank_energy_drawn; /* J, summed over stages */
    double kinetic_gain;      /* J */
    double heat;              /* J */
    double field_left;        /* J, ½LI² left in the circuits, summed */
    double residual;          /* J, drawn − (kinetic + heat + field) */
    double peak_acceleration; /* m s-2 */
    long steps;               /* RK4 steps */
} lsim_coil_launch_result;

/* Runs it with `steps_per_pulse` RK4 steps per half-period (> 0). */
lsim_status lsim_coil_design_launch(const lsim_coil_design *d, int steps_per_pulse, lsim_coil_launch_result *r);

#endif
