#include "release_dispersion.h"

#include <math.h>

void lsim_massdriver_release_nominal(const lsim_massdriver_release_model *model, double velocity[2])
{
    velocity[0] = model->exit_speed * cos(model->elevation);
    velocity[1] = model->exit_speed * sin(model->elevation);
}

void lsim_massdriver_release_covariance(const lsim_massdriver_release_model *model, double covariance[2][2])
{
    double c = cos(model->elevation), s = sin(model->elevation);
    double var_speed = model->sigma_speed * model->sigma_speed;
    double var_cross = model->exit_speed * model->exit_speed * model->sigma_angle * model->sigma_angle;
    /* Along-track error lies along (c, s); pointing error moves the tip along (-s, c). */
    covariance[0][0] = c * c * var_speed + s * s * var_cross;
    covariance[1][1] = s * s * var_speed + c * c * var_cross;
    covariance[0][1] = c * s * (var_speed - var_cross);
    covariance[1][0] = covariance[0][1];
}

void lsim_massdriver_sample_release(uint64_t seed, uint64_t launch_index, const lsim_massdriver_release_model *model,
                                    double velocity[2])
{
    double speed_error, in_plane, cross;
    lsim_release_draw(seed, launch_index, model, &speed_error, &in_plane, &cross);
    double speed = model->exit_speed + speed_error;
    double angle = model->elevation + in_plane;
    velocity[0] = speed * cos(angle);
    velocity[1] = speed * sin(angle);
}
