/* Flight delay line and capture: timing and mass conservation. */
#include "lsim_test.h"
#include "orbit.h"

static lsim_orbit_config base_config(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.capture_model = LSIM_ORBIT_CAPTURE_FIXED;
    cfg.earth_launch_rate = 0.0; /* keep assembly idle: no chips */
    cfg.degradation_rate = 0.0;
    return cfg;
}

static void test_steps(void)
{
    /* 3 d at 1 h is 72 steps exactly; 3 d at 7 h is 10.29 -> 11 (ceil). */
    LSIM_CHECK(lsim_orbit_transit_steps(259200.0, 3600.0) == 72, "3 d / 1 h");
    LSIM_CHECK(lsim_orbit_transit_steps(259200.0, 25200.0) == 11, "3 d / 7 h");
    LSIM_CHECK(lsim_orbit_transit_steps(0.0, 3600.0) == 0, "no flight");
    LSIM_CHECK(lsim_orbit_transit_steps(1.0, 3600.0) == 1, "shorter than a step still takes one step");
}

static void test_pulse(void)
{
    lsim_orbit_config cfg = base_config();
    cfg.transit_time = 259200.0;
    cfg.capture_efficiency = 1.0;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    const int n = 72, k = 5;
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    int arrivals = 0;
    for (int step = 0; step < k + 3 * n; ++step) {
        clock.step = step;
        lsim_orbit_inputs in = {0};
        if (step == k) {
            in.panel_mass_launched = 7.0;
            in.panel_watts_launched = 700.0;
            in.radiator_mass_launched = 3.0;
            in.radiator_rejection_watts_launched = 900.0;
        }
        lsim_orbit_outputs out;
        lsim_orbit_step(&m, &clock, 0.0, &in, &out);
        if (out.arrived_mass != 0.0) {
            ++arrivals;
            LSIM_CHECK(step == k + n, "pulse launched at %d arrived at %d, expected %d", k, step, k + n);
            LSIM_CHECK(out.arrived_mass == 10.0, "whole pulse arrives at once: %g", out.arrived_mass);
        }
        double expect_transit = (step >= k && step < k + n) ? 10.0 : 0.0;
        LSIM_CHECK(lsim_orbit_in_transit_mass(&m) == expect_transit, "in transit at step %d: %g", step,
                   lsim_orbit_in_transit_mass(&m));
    }
    LSIM_CHECK(arrivals == 1, "exactly one arrival step (got %d)", arrivals);
    LSIM_CHECK(m.parts.panel_mass == 7.0 && m.parts.radiator_mass == 3.0, "streams kept apart");
    LSIM_CHECK(m.parts.panel_watts == 700.0 && m.parts.radiator_watts == 900.0, "ratings travel with mass");
    lsim_orbit_free(&m);
}

/* Dyadic masses and efficiency make every product and sum exact: the balance
 * must be 0 bit for bit at every step. */
static void test_conservation_exact(void)
{
    lsim_orbit_config cfg = base_config();
    cfg.transit_time = 10.0 * 3600.0;
    cfg.capture_efficiency = 0.75;
    cfg.catcher_capacity = 1.0; /* kg/s: never binding here (overflow is tested with rounding below) */
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    double launched = 0.0;
    for (int step = 0; step < 500; ++step) {
        clock.step = step;
        lsim_orbit_inputs in = {0};
        if (step < 300) {
            in.panel_mass_launched = (double)(step % 7);
            in.radiator_mass_launched = (double)(step % 3) * 0.5;
        }
        launched += in.panel_mass_launched + in.radiator_mass_launched;
        lsim_orbit_step(&m, &clock, 0.0, &in, NULL);
        double balance = m.launched_total - lsim_orbit_in_transit_mass(&m) - m.caught_total - m.lost_total;
        LSIM_CHECK(balance == 0.0, "step %d: launched - transit - caught - lost = %g", step, balance);
    }
    LSIM_CHECK(m.launched_total == launched, "launched total %g vs %g", m.launched_total, launched);
    LSIM_CHECK(lsim_orbit_in_transit_mass(&m) == 0.0, "line drained");
    LSIM_CHECK(m.caught_total == 0.75 * launched, "caught %g = 0.75 x launched %g", m.caught_total, launched);
    LSIM_CHECK(m.lost_total == 0.25 * launched, "lost %g = 0.25 x launched", m.lost_total);
    LSIM_CHECK(m.overflow_total == 0.0, "no overflow below capacity");
    lsim_orbit_free(&m);
}

/* Arbitrary values: the balance closes to round-off of the running sums. */
static void test_conservation_rounding(void)
{
    lsim_orbit_config cfg = base_config();
    cfg.transit_time = 2.7 * 86400.0;
    cfg.capture_efficiency = 0.9137;
    cfg.catcher_capacity = 3e-4; /* 1.08 kg per step: below the mean arrival, so overflow happens */
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    for (int step = 0; step < 5000; ++step) {
        clock.step = step;
        lsim_orbit_inputs in = {0.1 * (step % 13) + 0.0371, 12.3 * (step % 5), 0.07 * (step % 11), 3.3};
        lsim_orbit_step(&m, &clock, 0.0, &in, NULL);
    }
    /* 5000 additions to each total with relative rounding 1.1e-16 each: 1e-12 relative is generous. */
    LSIM_CHECK_CLOSE(lsim_orbit_mass_balance(&m), 0.0, 0.0, 1e-12 * m.launched_total,
                     "round-off of 5e3 double additions");
    LSIM_CHECK(m.overflow_total > 0.0 && m.lost_total > m.overflow_total, "both loss kinds present");
    /* Catchers take at most capacity*dt = 1.08 kg per step. */
    LSIM_CHECK(m.caught_total <= 1.08 * 5000.0 * (1.0 + 1e-12), "caught within capacity: %g", m.caught_total);
    lsim_orbit_free(&m);
}

int main(void)
{
    test_steps();
    test_pulse();
    test_conservation_exact();
    test_conservation_rounding();
    LSIM_TEST_MAIN_END();
}
