/* Velocity at release in the launch plane, from the one release-error model
 * of core/release.h: speed error σ_v along the track and pointing error σ_θ in
 * the launch plane (the cross-plane error of that model leaves the plane and is
 * not part of these 2-D vectors). Vectors are in the local frame at the
 * muzzle: x along the local horizontal in the launch direction, y along the
 * local vertical (up). */
#ifndef LSIM_MASSDRIVER_RELEASE_DISPERSION_H
#define LSIM_MASSDRIVER_RELEASE_DISPERSION_H

#include <stdint.h>

#include "release.h"

/* The same struct as core/release.h's (exit_speed, elevation, sigma_speed,
 * sigma_angle), under the name this module's callers already use. */
typedef lsim_release_errors lsim_massdriver_release_model;

/* Nominal release velocity (m s-1), x horizontal, y vertical. */
void lsim_massdriver_release_nominal(const lsim_massdriver_release_model *model, double velocity[2]);

/* First-order (linearised) covariance of the release velocity (m2 s-2):
 * J·diag(σ_v², σ_θ²)·Jᵀ with J the Jacobian of v(cos θ, sin θ) with respect to
 * (v, θ). Valid while σ_θ ≪ 1 and σ_v ≪ v, which holds by many orders of
 * magnitude for SP-413's figures. */
void lsim_massdriver_release_covariance(const lsim_massdriver_release_model *model, double covariance[2][2]);

/* One sampled release velocity (m s-1) for launch number `launch_index`:
 * speed v + dv at angle θ + dθ_in_plane, with (dv, dθ_in_plane) the draws of
 * lsim_release_draw (core/release.h) for the same seed and launch index, so
 * the launcher and the flight model see the same errors. A pure function: the
 * same arguments give the same bits on any thread, in any order. */
void lsim_massdriver_sample_release(uint64_t seed, uint64_t launch_index, const lsim_massdriver_release_model *model,
                                    double velocity[2]);

#endif
