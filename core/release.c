#include "release.h"

#include "rng.h"

void lsim_release_draw(uint64_t seed, uint64_t launch_index, const lsim_release_errors *errors,
                       double *speed_error, double *in_plane_angle, double *cross_angle)
{
    *speed_error = errors->sigma_speed * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 0, launch_index, 0);
    *in_plane_angle = errors->sigma_angle * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 1, launch_index, 0);
    *cross_angle = errors->sigma_angle * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 2, launch_index, 0);
}
