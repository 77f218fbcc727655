/* One drive stage of the coil-by-coil mass driver: a capacitor bank discharged
 * through a switch into a drive coil, pushing a bucket that carries a coil held
 * at constant current (the superconducting bucket coil of the classic design,
 * [Kolm1980], [Johnson1977] App. F).
 *
 * Equations (x = bucket coil centre − drive coil centre, along the axis):
 *   dV/dt = −I/C                                  bank voltage
 *   L dI/dt = V − R(T) I − I_b M'(x) v            drive circuit (Kirchhoff; the
 *                                                 last term is the back-EMF of the moving bucket)
 *   dx/dt = v,  m dv/dt = F = I I_b M'(x)         bucket
 *   dQ/dt = R(T) I²                               ohmic heat
 *   dT/dt = R(T) I² / (m_c c_p)                   drive coil temperature (adiabatic within a pulse)
 * with M' = dM/dx of the drive and bucket windings (coil_physics.h) and
 * R(T) = R_coil(T) + R_circuit.
 *
 * Energy per stage (each term reported): the bank's energy drawn,
 * ½C(V0² − V²), equals the kinetic energy gained, ½m(v² − v0²), plus the ohmic
 * heat ∫R I² dt, plus the magnetic energy left in the drive coil, ½LI². It
 * follows from multiplying the circuit equation by I: V I = R I² + d(½LI²)/dt
 * + F v. The mutual field energy M I I_b is exchanged with whatever holds the
 * bucket current constant, not with the bank, and is reported on its own.
 *
 * Integration: classical fixed-step RK4. With the thyristor switch the pulse
 * ends at the first current zero after firing; that instant is found within the
 * step (Illinois false position on the RK4 step length) so the order of the
 * scheme is kept, and from then on the circuit is open (I = 0, V frozen) and
 * the bucket coasts to the end of the interval in one exact step. */
#ifndef LSIM_MASSDRIVER_COIL_LAUNCH_H
#define LSIM_MASSDRIVER_COIL_LAUNCH_H

#include "coil_physics.h"
#include "status.h"

typedef enum {
    LSIM_COIL_SWITCH_CLOSED = 0,   /* stays closed: the circuit rings (for tests and studies) */
    LSIM_COIL_SWITCH_THYRISTOR = 1 /* conducts one way: opens at the first current zero */
} lsim_coil_switch;

/* One stage and its bucket at the trigger instant (all SI). */
typedef struct {
    /* drive circuit */
    double capacitance;       /* F, bank capacitance, > 0 */
    double voltage;           /* V, bank voltage at the trigger */
    double inductance;        /* H, drive coil and circuit inductance, > 0 (lsim_coil_self_inductance) */
    double circuit_resistance; /* Ω, constant resistance outside the coil (switch, leads, bank), >= 0 */
    lsim_coil_switch switch_mode;
    /* drive coil */
    lsim_coil_geometry drive;
    const lsim_coil_conductor *conductor; /* NULL: the coil has no resistance of its own */
    double fill_factor;       /* conductor share of the winding cross-section, (0, 1] */
    double temperature;       /* K, drive coil temperature at the trigger */
    int adiabatic;            /* 1: the coil heats during the pulse and R(T) follows; 0: held at `temperature` */
    /* bucket */
    lsim_coil_geometry bucket_coil;
    double bucket_current;    /* A per turn of the bucket coil, held constant */
    double bucket_mass;       /* kg, bucket with its coil and payload, > 0 */
    int hold_bucket;          /* 1: the bucket is held still (no motion, no back-EMF) */
    double position;          /* m, bucket coil centre − drive coil centre at the trigger */
    double speed;             /* m s-1, bucket speed at the trigger */
    /* optional */
    const lsim_coil_table *table; /* NULL: dM/dx by the direct filament sum; else this table of the same pair */
} lsim_coil_stage;

/* One point of a stage's history. */
typedef struct {
    double time;     /* s since the trigger */
    double voltage;  /* V, bank */
    double current;  /* A, drive circuit */
    double position; /* m, as lsim_coil_stage.position */
    double speed;    /* m s-1 */
    double force;    /* N on the bucket */
} lsim_coil_sample;

/* What one stage did, with its energy accounting (J). */
typedef struct {
    double time;                /* s integrated */
    double voltage;             /* V, bank at the end */
    double current;             /* A at the end */
    double position;            /* m at the end */
    double speed;               /* m s-1 at the end */
    double temperature;         /* K, drive coil at the end */
    double peak_current;        /* A, largest |I| */
    double peak_force;          /* N, largest |F| (at step ends and at the switch opening) */
    double switch_open_time;    /* s when the thyristor opened; < 0 if it did not */
    double bank_energy_drawn;   /* ½C(V0² − V²) */
    double kinetic_energy_gain; /* ½m(v² − v0²) */
    double ohmic_heat;          /* ∫R(T) I² dt */
    double field_energy;        /* ½LI² left in the drive coil */
    double bucket_exchange;     /* M I I_b at the end (exchanged with the bucket coil's holder) */
    double energy_residual;     /* drawn − (kinetic + heat + field): zero up to the integration error */
    long steps;                 /* RK4 steps taken, including those that locate the switch opening */
    long gradient_evals;        /* coil-pair dM/dx evaluations */
} lsim_coil_stage_result;

/* Drive coil resistance at temperature T (Ω): R_coil(T) + circuit_resistance. */
double lsim_coil_stage_resistance(const lsim_coil_stage *s, double temperature);

/* Integrates the stage from its trigger over `duration` seconds with steps of
 * `step` seconds (the last step is shortened to land on `duration`; after the
 * thyristor opens, one step covers the rest). If
 * `samples` is not NULL, the state at t = 0 and after each step (and at the
 * switch opening) is written there, up to `capacity` samples; `*n_samples`
 * receives how many were written. Returns LSIM_ERR_INPUT with a message for a
 * stage that cannot be integrated (non-positive C, L, mass, step or duration;
 * a conductor without a winding section; a coil without a filament grid;
 * bucket and drive windings overlapping in radius, whose filaments would meet;
 * a table made for another coil pair). */
lsim_status lsim_coil_stage_run(const lsim_coil_stage *s, double step, double duration,
                                lsim_coil_stage_result *result, lsim_coil_sample *samples, int capacity,
                                int *n_samples);

#endif
