#include "release.h"

#include <math.h>
#include <string.h>

#include "rng.h"

void lsim_release_draw(uint64_t seed, uint64_t launch_index, const lsim_release_errors *errors,
                       double *speed_error, double *in_plane_angle, double *cross_angle)
{
    if (!errors->correlated) {
        *speed_error = errors->sigma_speed * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 0, launch_index, 0);
        *in_plane_angle = errors->sigma_angle * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 1, launch_index, 0);
        *cross_angle = errors->sigma_angle * lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 2, launch_index, 0);
        return;
    }
    const double *L = errors->cholesky;
    double z0 = lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 0, launch_index, 0);
    double z1 = lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 1, launch_index, 0);
    double z2 = lsim_rng_normal(seed, LSIM_STREAM_RELEASE + 2, launch_index, 0);
    *speed_error = L[0] * z0;
    *in_plane_angle = L[1] * z0 + L[2] * z1;
    *cross_angle = L[3] * z0 + L[4] * z1 + L[5] * z2;
}

/* Cholesky Σ = L Lᵀ, column by column (Golub & Van Loan, alg. 4.2.1). A pivot
 * that falls to round-off of the diagonal's scale is a direction the errors
 * do not take (e.g. a component with no spread): its column is zero. */
lsim_status lsim_release_set_covariance(lsim_release_errors *errors, const double cov[3][3])
{
    double scale = 0.0;
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) {
            if (!isfinite(cov[i][j])) return lsim_fail(LSIM_ERR_INPUT, "release covariance: entry %d,%d not finite", i, j);
        }
        if (cov[i][i] < 0.0) return lsim_fail(LSIM_ERR_INPUT, "release covariance: variance %d is negative", i);
    }
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < i; ++j) {
            double bound = 1e-9 * sqrt(cov[i][i] * cov[j][j]) + 1e-300;
            if (fabs(cov[i][j] - cov[j][i]) > bound)
                return lsim_fail(LSIM_ERR_INPUT, "release covariance: not symmetric at %d,%d", i, j);
        }
    double L[3][3] = {{0}};
    for (int j = 0; j < 3; ++j) {
        double d = cov[j][j];
        for (int k = 0; k < j; ++k) d -= L[j][k] * L[j][k];
        scale = cov[j][j];
        if (d < -1e-9 * scale) return lsim_fail(LSIM_ERR_INPUT, "release covariance: not positive semi-definite");
        if (d <= 1e-12 * scale || d <= 0.0) continue; /* zero column */
        L[j][j] = sqrt(d);
        for (int i = j + 1; i < 3; ++i) {
            double s = cov[i][j];
            for (int k = 0; k < j; ++k) s -= L[i][k] * L[j][k];
            L[i][j] = s / L[j][j];
        }
    }
    /* A semi-definite pivot leaves off-diagonal entries that must be ~0: check
     * the factor reproduces the matrix. */
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j <= i; ++j) {
            double s = 0.0;
            for (int k = 0; k < 3; ++k) s += L[i][k] * L[j][k];
            double bound = 1e-6 * sqrt(cov[i][i] * cov[j][j]) + 1e-300;
            if (fabs(s - cov[i][j]) > bound)
                return lsim_fail(LSIM_ERR_INPUT, "release covariance: not positive semi-definite");
        }
    errors->correlated = 1;
    errors->cholesky[0] = L[0][0];
    errors->cholesky[1] = L[1][0];
    errors->cholesky[2] = L[1][1];
    errors->cholesky[3] = L[2][0];
    errors->cholesky[4] = L[2][1];
    errors->cholesky[5] = L[2][2];
    errors->sigma_speed = sqrt(cov[0][0]);
    errors->sigma_angle = sqrt(0.5 * (cov[1][1] + cov[2][2]));
    return LSIM_OK;
}

void lsim_release_covariance(const lsim_release_errors *errors, double cov[3][3])
{
    memset(cov, 0, 9 * sizeof cov[0][0]);
    if (!errors->correlated) {
        cov[0][0] = errors->sigma_speed * errors->sigma_speed;
        cov[1][1] = cov[2][2] = errors->sigma_angle * errors->sigma_angle;
        return;
    }
    const double *p = errors->cholesky;
    const double L[3][3] = {{p[0], 0.0, 0.0}, {p[1], p[2], 0.0}, {p[3], p[4], p[5]}};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 3; ++k) cov[i][j] += L[i][k] * L[j][k];
}
