/* Velocity errors at release: each launch leaves the track with a speed error
 * (σ_v along the track) and a pointing error (σ_θ in the launch plane),
 * independent and normal. Vectors are 2-D in the launch plane, in the local
 * frame at the muzzle: x along the local horizontal in the launch direction,
 * y along the local vertical (up). */
#ifndef LSIM_MASSDRIVER_RELEASE_DISPERSION_H
#define LSIM_MASSDRIVER_RELEASE_DISPERSION_H

#include <stdint.h>

typedef struct {
    double exit_speed;    /* m s-1, nominal */
    double elevation;     /* rad above the local horizontal, nominal */
    double sigma_speed;   /* m s-1, per-launch exit-speed error (1σ) */
    double sigma_angle;   /* rad, per-launch pointing error in the plane (1σ) */
} lsim_massdriver_release_model;

/* Nominal release velocity (m s-1), x horizontal, y vertical. */
void lsim_massdriver_release_nominal(const lsim_massdriver_release_model *model, double velocity[2]);

/* First-order (linearised) covariance of the release velocity (m2 s-2):
 * J·diag(σ_v², σ_θ²)·Jᵀ with J the Jacobian of v(cos θ, sin θ) with respect to
 * (v, θ). Valid while σ_θ ≪ 1 and σ_v ≪ v, which holds by many orders of
 * magnitude for SP-413's figures. */
void lsim_massdriver_release_covariance(const lsim_massdriver_release_model *model, double covariance[2][2]);

/* One sampled release velocity (m s-1) for launch number `launch_index`:
 * speed v + σ_v·z₁ at angle θ + σ_θ·z₂, with z₁, z₂ standard normals from
 * core/rng.h (stream LSIM_STREAM_MASSDRIVER + 0 and + 1, entity = launch index,
 * step 0). A pure function: the same arguments give the same bits on any
 * thread, in any order. */
void lsim_massdriver_sample_release(uint64_t seed, uint64_t launch_index, const lsim_massdriver_release_model *model,
                                    double velocity[2]);

#endif
