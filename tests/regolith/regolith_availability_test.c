/* Availability emerges from failures and repairs: with exponential failure
 * (mean MTBF) and repair (mean MTTR) it tends to MTBF / (MTBF + MTTR). */
#include <math.h>

#include "lsim_test.h"
#include "regolith.h"
#include "regolith_test_util.h"

/* Mean over steps [burn_in, burn_in + steps) of operating / alive at step end. */
static double mean_availability(lsim_params *p, long fleet, double dt, long burn_in, long steps, uint64_t seed)
{
    regolith_test_set(p, "initial_excavators", (double)fleet);
    lsim_series_registry *s = lsim_series_new(16);
    lsim_regolith m;
    regolith_test_init(&m, p, s, seed);
    lsim_clock c = regolith_test_clock(dt);
    double sum = 0.0;
    for (long k = 0; k < burn_in + steps; ++k) {
        double demand = lsim_regolith_power_demand(&m, &c, INFINITY);
        lsim_regolith_step(&m, &c, demand, INFINITY, NULL, NULL);
        lsim_series_end_step(s, dt);
        c.step++;
        long alive = lsim_regolith_alive(&m);
        LSIM_CHECK(alive == fleet, "no retirement configured: alive %ld != %ld", alive, fleet);
        if (k >= burn_in) sum += (double)m.n_operating / (double)alive;
    }
    lsim_regolith_free(&m);
    lsim_series_free(s);
    return sum / (double)steps;
}

int main(void)
{
    const double hour = 3600.0, dt = hour;
    const double mtbf = 100.0 * hour, mttr = 20.0 * hour;
    const long fleet = 5000, burn_in = 300, steps = 3000;
    /* Statistical tolerance: the time average of an alternating renewal process
     * with exponential up (a) and down (b) times over T has variance
     * ~ 2 a^2 b^2 / ((a + b)^3 T); N independent units divide it by N. 5 sigma. */
    const double T = (double)steps * dt;
    const double sigma = sqrt(2.0 * mtbf * mtbf * mttr * mttr / pow(mtbf + mttr, 3) / T / (double)fleet);
    const double tol = 5.0 * sigma;

    /* Exact long-run value of the discrete scheme: a unit operating at a step's
     * start fails at its end with p = 1 - exp(-dt/MTBF), so it is up for a
     * geometric number of steps with mean 1/p; a repair of R keeps it down for
     * ceil(R/dt) steps, mean 1/(1 - exp(-dt/MTTR)) for exponential R. */
    const double up_steps = 1.0 / -expm1(-dt / mtbf);
    const double down_steps = 1.0 / -expm1(-dt / mttr);
    const double a_discrete = up_steps / (up_steps + down_steps);
    const double a_continuous = mtbf / (mtbf + mttr);
    /* The discrete scheme differs from the continuous limit by O(dt): bound it. */
    const double discretisation = fabs(a_discrete - a_continuous);

    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        regolith_test_set(p, "random_scale", mtbf);
        regolith_test_set_text(p, "repair_distribution", "exponential");
        regolith_test_set(p, "repair_mean", mttr);
        double a = mean_availability(p, fleet, dt, burn_in, steps, 3);
        printf("exponential: availability %.5f, discrete exact %.5f, MTBF/(MTBF+MTTR) %.5f, 5 sigma %.5f\n", a,
               a_discrete, a_continuous, tol);
        LSIM_CHECK_CLOSE(a, a_discrete, 0, tol, "5 sigma of the fleet time-average (renewal-process variance)");
        LSIM_CHECK_CLOSE(a, a_continuous, 0, tol + discretisation,
                         "5 sigma plus the O(dt) gap between hourly steps and continuous time");
        lsim_params_free(p);
    }

    /* Lognormal repair (CV 0.77 < 1, so the exponential variance above is an
     * upper bound) after a 6 h logistics delay: the renewal-reward value
     * depends only on mean down time = 6 steps + E[ceil(R/dt)] ~ MTTR/dt + 1/2
     * (R spread over many steps). */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        regolith_test_set(p, "random_scale", mtbf);
        regolith_test_set_text(p, "repair_distribution", "lognormal");
        regolith_test_set(p, "repair_log_sigma", 0.7);
        regolith_test_set(p, "repair_mean", mttr);
        regolith_test_set(p, "repair_delay", 6.0 * hour);
        double a = mean_availability(p, fleet, dt, burn_in, steps, 5);
        double down = 6.0 + mttr / dt + 0.5;
        double expected = up_steps / (up_steps + down);
        printf("lognormal + delay: availability %.5f, expected %.5f\n", a, expected);
        LSIM_CHECK_CLOSE(a, expected, 0, tol + 0.002,
                         "5 sigma plus 0.002 for the ceil(R/dt) ~ R/dt + 1/2 approximation (0.05 step)");
        double continuous = mtbf / (mtbf + 6.0 * hour + mttr);
        LSIM_CHECK_CLOSE(a, continuous, 0, tol + 0.002 + discretisation,
                         "continuous-time MTBF/(MTBF + delay + MTTR) up to the O(dt) gap");
        lsim_params_free(p);
    }
    LSIM_TEST_MAIN_END();
}
