/* The pure formulas of the first-order launcher, against independent
 * arithmetic and NASA SP-413 App. F's published baseline. */
#include <float.h>
#include "lsim_test.h"
#include "launcher_physics.h"

static void test_track_length(void)
{
    const double speeds[] = {1000.0, 1680.0, 2380.0, 2400.0, 3000.0, 1234.5678};
    const double accelerations[] = {10.0, 100.0, 288.0, 1000.0, 9.81 * 30.0, 5000.0};
    for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; ++i) {
        for (size_t j = 0; j < sizeof accelerations / sizeof accelerations[0]; ++j) {
            double v = speeds[i], a = accelerations[j];
            /* Written differently from the library (v/a · v/2) so a wrong formula
             * cannot agree; the two differ only by rounding (< 2 ulp). */
            double expected = (v / a) * (v / 2.0);
            LSIM_CHECK_CLOSE(lsim_massdriver_track_length(v, a), expected, 1e-15, 0.0,
                             "same formula, different rounding order: a few ulp");
            LSIM_CHECK_CLOSE(lsim_massdriver_acceleration_time(v, a) * a, v, 1e-15, 0.0, "t = v/a: one rounding");
        }
    }
    /* SP-413 App. F: 288 m/s2 over 10 km to 2.4 km/s. The source rounds its
     * figures, so 0.1%; the exact arithmetic is 2400²/576 = 10,000 m. */
    LSIM_CHECK_CLOSE(lsim_massdriver_track_length(2400.0, 288.0), 10.0e3, 1e-3, 0.0,
                     "NASA SP-413 App. F gives rounded figures (10 km)");
    LSIM_CHECK_CLOSE(lsim_massdriver_acceleration_time(2400.0, 288.0), 25.0 / 3.0, 1e-15, 0.0,
                     "2400/288 = 8.333 s, one rounding");
}

static void test_energy(void)
{
    /* SSI 1976 bucket (5 kg carrying 9 kg) at 2.4 km/s, η = 0.6, half the
     * bucket's kinetic energy returned to the bus. By hand: ½·2400² =
     * 2.88e6 J/kg; accelerating 14 kg draws 40.32 MJ / 0.6 = 67.2 MJ; braking
     * the 5 kg bucket returns 0.5 · 5 · 2.88e6 = 7.2 MJ of its kinetic energy;
     * net 60 MJ per launch, 6.6667 MJ per kg of payload.
     * The old code divided the returned energy by η too: (40.32 − 7.2) MJ / 0.6
     * = 55.2 MJ per launch, 6.1333 MJ/kg, 8% low, which fails these checks by
     * 8e-2 against a tolerance of 1e-14. */
    LSIM_CHECK_CLOSE(lsim_massdriver_kinetic_energy_per_kg(2400.0), 2.88e6, 1e-15, 0.0, "exact in binary: one rounding");
    double e_launch = lsim_massdriver_bus_energy_per_launch(2400.0, 9.0, 5.0, 0.5, 0.6);
    LSIM_CHECK_CLOSE(e_launch, 60.0e6, 1e-14, 0.0, "hand arithmetic: 67.2 MJ drawn − 7.2 MJ returned, a few roundings");
    double e = lsim_massdriver_electrical_energy_per_kg(2400.0, 9.0, 5.0, 0.5, 0.6);
    LSIM_CHECK_CLOSE(e, 60.0e6 / 9.0, 1e-14, 0.0, "hand arithmetic, a few roundings");
    LSIM_CHECK_CLOSE(e, 6666666.666666667, 1e-14, 0.0, "hand arithmetic, decimal");
    /* Limits: no bucket and η = 1 leaves just the kinetic energy. */
    LSIM_CHECK_CLOSE(lsim_massdriver_electrical_energy_per_kg(2000.0, 7.0, 0.0, 0.0, 1.0), 2.0e6, 1e-15, 0.0,
                     "massless bucket, lossless: v²/2");
    /* Full recovery returns the bucket's kinetic energy, not what it cost:
     * 7 kg payload, 3 kg bucket, v²/2 = 2e6 J/kg, η = 0.5: 10·2e6/0.5 − 3·2e6
     * = 34 MJ per launch; the bucket still costs (1/η − 1)·6 MJ = 6 MJ. */
    LSIM_CHECK_CLOSE(lsim_massdriver_bus_energy_per_launch(2000.0, 7.0, 3.0, 1.0, 0.5), 34.0e6, 1e-15, 0.0,
                     "bucket's kinetic energy all returned: one or two roundings");
    LSIM_CHECK_CLOSE(lsim_massdriver_electrical_energy_per_kg(2000.0, 7.0, 3.0, 1.0, 0.5), 34.0e6 / 7.0, 1e-15, 0.0,
                     "per kg of payload: one more rounding");
    /* Lossless accelerator with full recovery: only the payload's kinetic
     * energy is spent, whatever the bucket weighs. */
    LSIM_CHECK_CLOSE(lsim_massdriver_bus_energy_per_launch(2000.0, 7.0, 300.0, 1.0, 1.0), 14.0e6, 1e-13, 0.0,
                     "η = r = 1: ½ m_p v², a difference of two 6e8 J terms, ~1e-16·6e8/1.4e7 relative");
    /* Peak power of one bucket at the muzzle: 14 kg · 288 · 2400 / 0.6 = 16.128 MW. */
    LSIM_CHECK_CLOSE(lsim_massdriver_peak_power_per_launch(2400.0, 288.0, 9.0, 5.0, 0.6), 16.128e6, 1e-15, 0.0,
                     "hand arithmetic");
    /* Mean power at 10 launches/s: 60 MJ per launch · 10 = 600 MW. */
    LSIM_CHECK_CLOSE(lsim_massdriver_mean_power(10.0, e_launch), 600.0e6, 1e-14, 0.0, "hand arithmetic");
    /* The mean over one acceleration, m·a·(v/2)/η, times the acceleration time, is the
     * energy without recovery: consistency between the peak and energy formulas. */
    double peak = lsim_massdriver_peak_power_per_launch(2400.0, 288.0, 9.0, 5.0, 0.6);
    double t_acc = lsim_massdriver_acceleration_time(2400.0, 288.0);
    double e_no_recovery = lsim_massdriver_electrical_energy_per_kg(2400.0, 9.0, 5.0, 0.0, 0.6) * 9.0;
    LSIM_CHECK_CLOSE(0.5 * peak * t_acc, e_no_recovery, 1e-14, 0.0, "work = mean power · time under constant force");
    LSIM_CHECK_CLOSE(lsim_massdriver_driver_mass(10.0e3, 300.0), 3.0e6, 1e-15, 0.0, "10 km at 300 kg/m");
}

static void test_limit(void)
{
    lsim_massdriver_limit limit;
    LSIM_CHECK_CLOSE(lsim_massdriver_limited_rate(10.0, 3.0, 20.0, &limit), 3.0, 0.0, 0.0, "min");
    LSIM_CHECK(limit == LSIM_MASSDRIVER_LIMIT_POWER, "power smallest: %d", (int)limit);
    LSIM_CHECK_CLOSE(lsim_massdriver_limited_rate(10.0, 30.0, 20.0, &limit), 10.0, 0.0, 0.0, "min");
    LSIM_CHECK(limit == LSIM_MASSDRIVER_LIMIT_RATE, "cap smallest: %d", (int)limit);
    LSIM_CHECK_CLOSE(lsim_massdriver_limited_rate(10.0, 30.0, 2.0, &limit), 2.0, 0.0, 0.0, "min");
    LSIM_CHECK(limit == LSIM_MASSDRIVER_LIMIT_PAYLOAD, "payload smallest: %d", (int)limit);
    lsim_massdriver_limited_rate(0.0, 0.0, 0.0, &limit);
    LSIM_CHECK(limit == LSIM_MASSDRIVER_LIMIT_PAYLOAD, "all zero: nothing to launch wins: %d", (int)limit);
    /* A tie goes to the cap: the chain grants exactly the demand at the cap, and power / energy per launch
     * then equals the cap to a rounding, either side (the limit series once read "power" all through a
     * run whose launcher was heat-bound). Power binds from 4 ulp below. */
    lsim_massdriver_limited_rate(5.0, 5.0, 9.0, &limit);
    LSIM_CHECK(limit == LSIM_MASSDRIVER_LIMIT_RATE, "power/cap tie goes to the cap: %d", (int)limit);
    lsim_massdriver_limited_rate(5.0, 5.0 * (1.0 - 2.0 * DBL_EPSILON), 9.0, &limit);
    LSIM_CHECK(limit == LSIM_MASSDRIVER_LIMIT_RATE, "a rounding below the cap is the cap: %d", (int)limit);
    lsim_massdriver_limited_rate(5.0, 5.0 * (1.0 - 1e-9), 9.0, &limit);
    LSIM_CHECK(limit == LSIM_MASSDRIVER_LIMIT_POWER, "power a little below the cap is power: %d", (int)limit);
}

static void test_uptime(void)
{
    const double day = 86400.0, period = 30.0 * day, down = 3.0 * day;
    /* Inside, outside and straddling a window (phase 0: down on [0, 3 d)). */
    LSIM_CHECK_CLOSE(lsim_massdriver_uptime_fraction(day, 3600.0, period, down, 0.0), 0.0, 0.0, 0.0, "in window");
    LSIM_CHECK_CLOSE(lsim_massdriver_uptime_fraction(10.0 * day, 3600.0, period, down, 0.0), 1.0, 0.0, 0.0,
                     "out of window");
    LSIM_CHECK_CLOSE(lsim_massdriver_uptime_fraction(3.0 * day - 900.0, 3600.0, period, down, 0.0), 0.75, 1e-12, 0.0,
                     "15 min down then 45 min up");
    LSIM_CHECK_CLOSE(lsim_massdriver_uptime_fraction(-1800.0, 3600.0, period, down, 0.0), 0.5, 1e-12, 0.0,
                     "window opening mid-step");
    LSIM_CHECK_CLOSE(lsim_massdriver_uptime_fraction(0.0, 3600.0, period, 0.0, 0.0), 1.0, 0.0, 0.0, "no downtime");
    /* Integrate over ten periods with an awkward step (7919 s, prime, does not
     * divide the period) and a phase: the downtime must total 10·d. */
    const double dt = 7919.0, phase = 12345.6;
    double t = 1000.0, up_seconds = 0.0, end = 1000.0 + 10.0 * period;
    while (t < end) {
        double step = fmin(dt, end - t);
        up_seconds += lsim_massdriver_uptime_fraction(t, step, period, down, phase) * step;
        t += step;
    }
    LSIM_CHECK_CLOSE(up_seconds, 10.0 * (period - down), 1e-9, 0.0,
                     "exact overlap; only rounding of ~330 steps of 2.6e7 s sums");
}

int main(void)
{
    test_track_length();
    test_energy();
    test_limit();
    test_uptime();
    LSIM_TEST_MAIN_END();
}
