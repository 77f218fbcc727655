/* The Coulomb-wedge FEE against closed forms computed here independently:
 * Rankine (smooth vertical wall), Coulomb's passive coefficient with wall
 * friction, a brute-force scan over the failure plane for inclined blades,
 * and the d^2 and gamma scaling. */
#include "granular.h"
#include "lsim_test.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

/* P = gamma d^2 N(beta) scanned on a fine grid, without any shared code. */
static double brute_force_draft(double gamma, double d, double phi, double delta, double alpha)
{
    double best = INFINITY;
    for (int k = 1; k < 900000; ++k) {
        double beta = k * (0.5 * PI) / 900000.0;
        double w = 0.5 * gamma * d * d * (1.0 / tan(alpha) + 1.0 / tan(beta));
        double den = cos(alpha + delta) + sin(alpha + delta) / tan(beta + phi);
        if (w <= 0.0 || den <= 0.0) continue;
        double p = w / den;
        if (p < best) best = p;
    }
    return best * sin(alpha + delta);
}

int main(void)
{
    const double gamma = 2500.0 * 1.62, d = 0.05;

    /* Smooth vertical wall: Rankine passive, Kp = tan^2(45 + phi/2), beta = 45 - phi/2. */
    for (int deg = 20; deg <= 50; deg += 5) {
        double phi = deg * DEG;
        double kp = pow(tan(PI / 4 + phi / 2), 2.0);
        LSIM_CHECK_CLOSE(lsim_granular_fee_draft(gamma, d, phi, 0.0, PI / 2), 0.5 * gamma * d * d * kp, 1e-9, 0.0,
                         "golden-section minimum converges to ~1e-12 relative; Rankine is exact here");
        double beta;
        lsim_granular_fee_n_gamma(phi, 0.0, PI / 2, &beta);
        LSIM_CHECK_CLOSE(beta, PI / 4 - phi / 2, 0.0, 1e-5, "failure plane angle found to ~1e-6 rad");
    }

    /* Rough vertical wall: Coulomb's passive coefficient for a vertical wall and level backfill,
     * Kp = cos^2 phi / (cos delta (1 - sqrt(sin(phi+delta) sin phi / cos delta))^2); draft = P cos delta. */
    for (int deg = 25; deg <= 40; deg += 5) {
        double phi = deg * DEG;
        for (int k = 1; k <= 2; ++k) {
            double delta = phi * k / 3.0;
            double root = sqrt(sin(phi + delta) * sin(phi) / cos(delta));
            double kp = cos(phi) * cos(phi) / (cos(delta) * (1.0 - root) * (1.0 - root));
            LSIM_CHECK_CLOSE(lsim_granular_fee_draft(gamma, d, phi, delta, PI / 2),
                             0.5 * gamma * d * d * kp * cos(delta), 1e-9, 0.0,
                             "Coulomb's closed form is the exact minimum of the same wedge");
        }
    }

    /* Inclined blades against a brute-force scan (grid step 1e-4 deg: relative error ~1e-8). */
    const double alphas[] = {30.0, 45.0, 60.0, 75.0};
    for (int a = 0; a < 4; ++a)
        for (int deg = 25; deg <= 45; deg += 10) {
            double phi = deg * DEG, delta = 0.7 * phi, alpha = alphas[a] * DEG;
            LSIM_CHECK_CLOSE(lsim_granular_fee_draft(gamma, d, phi, delta, alpha),
                             brute_force_draft(gamma, d, phi, delta, alpha), 1e-6, 0.0,
                             "independent grid scan of the same wedge, 1e-6 covers its grid error");
        }

    /* Scaling: F ~ gamma d^2 exactly; a rougher blade or a stronger soil needs more force. */
    double f1 = lsim_granular_fee_draft(gamma, d, 35 * DEG, 25 * DEG, 45 * DEG);
    LSIM_CHECK_CLOSE(lsim_granular_fee_draft(gamma, 2 * d, 35 * DEG, 25 * DEG, 45 * DEG), 4.0 * f1, 1e-12, 0.0,
                     "d^2 scaling is exact in the formula");
    LSIM_CHECK_CLOSE(lsim_granular_fee_draft(2 * gamma, d, 35 * DEG, 25 * DEG, 45 * DEG), 2.0 * f1, 1e-12, 0.0,
                     "gamma scaling is exact in the formula");
    LSIM_CHECK(lsim_granular_fee_draft(gamma, d, 35 * DEG, 30 * DEG, 45 * DEG) > f1, "rougher blade: more draft");
    LSIM_CHECK(lsim_granular_fee_draft(gamma, d, 40 * DEG, 25 * DEG, 45 * DEG) > f1, "stronger soil: more draft");

    /* Specific energy: work per metre of travel over mass per metre of travel. */
    LSIM_CHECK_CLOSE(lsim_granular_specific_energy(30.0, 2500.0, 0.04), 30.0 / (2500.0 * 0.04), 1e-15, 0.0,
                     "definition");

    /* The repose calibration is monotonic and inverts its own table ends. */
    double prev = 0.0;
    for (int deg = 10; deg <= 60; ++deg) {
        double mu = lsim_granular_friction_for_repose(deg * DEG);
        LSIM_CHECK(mu >= prev, "mu(angle) must not decrease (%d deg: %g < %g)", deg, mu, prev);
        prev = mu;
    }
    LSIM_TEST_MAIN_END();
}
