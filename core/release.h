/* Release errors of a launch: the one model that the launcher fills and the
 * flight model disperses, so both see the same draws.
 *
 * Each launch leaves the track with its speed off by σ_v·z₀ (along the track)
 * and its direction off by two small angles: σ_θ·z₁ in the launch plane
 * (elevation) and σ_θ·z₂ across it (azimuth), z₀…z₂ independent standard
 * normals. Errors are taken as independent and normal, which is how the
 * published mass-driver studies state their accuracy (one 1σ figure for speed
 * and one for pointing); a launcher model that computes a correlated error
 * would extend this struct with its covariance. */
#ifndef LSIM_RELEASE_H
#define LSIM_RELEASE_H

#include <stdint.h>

typedef struct {
    double exit_speed;  /* m s-1, nominal release speed */
    double elevation;   /* rad above the local horizontal, nominal */
    double sigma_speed; /* m s-1, 1σ along-track speed error */
    double sigma_angle; /* rad, 1σ pointing error about each of the two cross axes */
} lsim_release_errors;

/* One launch's errors: speed error (m s-1), in-plane angle error and
 * cross-plane angle error (rad), for launch number `launch_index`. Draws come
 * from core/rng.h, streams LSIM_STREAM_RELEASE + 0, 1, 2, entity = launch
 * index, step 0: a pure function, the same bits on any thread and in any
 * order. */
void lsim_release_draw(uint64_t seed, uint64_t launch_index, const lsim_release_errors *errors,
                       double *speed_error, double *in_plane_angle, double *cross_angle);

#endif
