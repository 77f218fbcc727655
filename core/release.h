/* Release errors of a launch: the one model that the launcher fills and the
 * flight model disperses, so both see the same draws.
 *
 * Each launch leaves the track with its speed off by σ_v·z₀ (along the track)
 * and its direction off by two small angles: σ_θ·z₁ in the launch plane
 * (elevation) and σ_θ·z₂ across it (azimuth), z₀…z₂ independent standard
 * normals. By default the errors are independent and normal, which is how the
 * published mass-driver studies state their accuracy (one 1σ figure for speed
 * and one for pointing). A release model that computes correlated errors (the
 * Chipmunk2D release of massdriver/release_chipmunk.h) sets `correlated` and
 * the lower-triangular Cholesky factor L of the covariance Σ = L Lᵀ of
 * (speed error, in-plane angle, cross angle); the draws are then L·(z₀, z₁, z₂)
 * from the same three streams. Initialise the struct with designated
 * initialisers (or zero it): fields left out mean "independent". */
#ifndef LSIM_RELEASE_H
#define LSIM_RELEASE_H

#include <stdint.h>

#include "status.h"

typedef struct {
    double exit_speed;  /* m s-1, nominal release speed */
    double elevation;   /* rad above the local horizontal, nominal */
    double sigma_speed; /* m s-1, 1σ along-track speed error */
    double sigma_angle; /* rad, 1σ pointing error about each of the two cross axes */
    /* Full covariance (used only when correlated != 0). sigma_speed and
     * sigma_angle then hold the marginal 1σ of the speed and the rms of the two
     * angles' marginal 1σ, for readers that use only the two sigmas. */
    int correlated;     /* 0: independent errors from the two sigmas; 1: cholesky below */
    double cholesky[6]; /* packed rows of L: L00 (m s-1); L10, L11 (rad); L20, L21, L22 (rad) */
} lsim_release_errors;

/* Sets `errors` to draw from the covariance `cov` (row-major 3x3 of speed
 * error in m s-1, in-plane and cross angle in rad): correlated = 1, L from a
 * Cholesky factorisation (a pivot within 1e-12 of the diagonal's scale of 0,
 * i.e. a semi-definite direction, gives a zero column), and the two sigmas
 * as described above. LSIM_ERR_INPUT when cov is not finite, not symmetric
 * to 1e-9 relative, or not positive semi-definite; *errors is then unchanged. */
lsim_status lsim_release_set_covariance(lsim_release_errors *errors, const double cov[3][3]);

/* The covariance the draws have (row-major 3x3, same units): L Lᵀ when
 * correlated, else diag(σ_v², σ_θ², σ_θ²). */
void lsim_release_covariance(const lsim_release_errors *errors, double cov[3][3]);

/* One launch's errors: speed error (m s-1), in-plane angle error and
 * cross-plane angle error (rad), for launch number `launch_index`. Draws come
 * from core/rng.h, streams LSIM_STREAM_RELEASE + 0, 1, 2, entity = launch
 * index, step 0: a pure function, the same bits on any thread and in any
 * order. Independent: (σ_v z₀, σ_θ z₁, σ_θ z₂); correlated: L (z₀, z₁, z₂). */
void lsim_release_draw(uint64_t seed, uint64_t launch_index, const lsim_release_errors *errors,
                       double *speed_error, double *in_plane_angle, double *cross_angle);

#endif
