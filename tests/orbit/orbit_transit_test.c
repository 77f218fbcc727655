/* Flight arrival ring and capture: timing, spreading by the schedule's
 * weights, mass conservation, and catcher hardware as a fifth stream. */
#include "lsim_test.h"
#include "orbit.h"
#include "orbit/orbit_test_flight.h"

static lsim_orbit_config base_config(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.flight_model = lsim_orbit_flight_model_find("fixed");
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
    LSIM_CHECK(m.transit.length == 72 && m.transit.bins == 1, "fixed: one bin, a 72-slot ring (%zu, %zu)",
               m.transit.length, m.transit.bins);
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

/* fixed keeps the delay line it replaces bit for bit: a launch is read back
 * `n` steps later as the very same double. The reference below is that
 * delay line (read the head slot, store the launch in it). */
static void test_fixed_is_the_old_delay_line(void)
{
    const size_t lengths[] = {0, 1, 11, 72};
    for (size_t c = 0; c < sizeof lengths / sizeof lengths[0]; ++c) {
        size_t n = lengths[c];
        const double one = 1.0;
        lsim_orbit_transit t;
        LSIM_CHECK(lsim_orbit_transit_init(&t, n, 1, &one) == LSIM_OK, "%s", lsim_last_error());
        double ref_slots[72 * LSIM_ORBIT_STREAM_COUNT] = {0.0}, ref_transit[LSIM_ORBIT_STREAM_COUNT] = {0.0};
        size_t ref_head = 0;
        int same = 1;
        for (int step = 0; step < 400; ++step) {
            double launched[LSIM_ORBIT_STREAM_COUNT], arrived[LSIM_ORBIT_STREAM_COUNT],
                expect[LSIM_ORBIT_STREAM_COUNT];
            for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s)
                launched[s] = step % 17 == 3 ? 0.0 : 0.1 * (double)(step % 13) + 0.0371 * (double)(s + 1);
            lsim_orbit_transit_advance(&t, launched, arrived);
            for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
                if (n == 0) {
                    expect[s] = launched[s];
                } else {
                    expect[s] = ref_slots[ref_head * LSIM_ORBIT_STREAM_COUNT + (size_t)s];
                    ref_slots[ref_head * LSIM_ORBIT_STREAM_COUNT + (size_t)s] = launched[s];
                }
                ref_transit[s] += launched[s];
                ref_transit[s] -= expect[s];
            }
            if (n > 0 && ++ref_head == n) {
                ref_head = 0;
                for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
                    double sum = 0.0;
                    for (size_t k = 0; k < n; ++k) sum += ref_slots[k * LSIM_ORBIT_STREAM_COUNT + (size_t)s];
                    ref_transit[s] = sum;
                }
            }
            same &= memcmp(arrived, expect, sizeof arrived) == 0;
            same &= memcmp(t.in_transit, ref_transit, sizeof ref_transit) == 0;
        }
        LSIM_CHECK(same, "delay %zu: arrivals and in-transit sums equal the delay line's bit for bit", n);
        lsim_orbit_transit_free(&t);
    }
}

/* A pulse through a spread schedule arrives bin by bin at the right steps.
 * Weights 1/4, 1/2, 1/4 and a dyadic pulse make every piece exact. */
static void test_spread_pulse(void)
{
    const double weights[] = {0.25, 0.5, 0.25};
    const size_t firsts[] = {0, 1, 4};
    for (size_t c = 0; c < sizeof firsts / sizeof firsts[0]; ++c) {
        size_t n0 = firsts[c];
        lsim_orbit_transit t;
        LSIM_CHECK(lsim_orbit_transit_init(&t, n0, 3, weights) == LSIM_OK, "%s", lsim_last_error());
        LSIM_CHECK(t.length == n0 + 2, "ring of n0 + bins - 1 = %zu slots (got %zu)", n0 + 2, t.length);
        LSIM_CHECK(t.carrier == 1, "the heaviest bin carries the remainder");
        const int k = 3;
        double total = 0.0;
        for (int step = 0; step < 20; ++step) {
            double launched[LSIM_ORBIT_STREAM_COUNT] = {0.0}, arrived[LSIM_ORBIT_STREAM_COUNT];
            if (step == k)
                for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) launched[s] = 8.0 * (double)(s + 1);
            lsim_orbit_transit_advance(&t, launched, arrived);
            int j = step - k - (int)n0;
            for (int s = 0; s < LSIM_ORBIT_STREAM_COUNT; ++s) {
                double expect = (j >= 0 && j < 3) ? 8.0 * (double)(s + 1) * weights[j] : 0.0;
                LSIM_CHECK(arrived[s] == expect, "n0 %zu, step %d, stream %d: arrived %g, expected %g (exact)", n0,
                           step, s, arrived[s], expect);
            }
            total += arrived[LSIM_ORBIT_PANEL_MASS];
            /* Still in flight: the bins after the last one due. */
            double in_flight_expect = 0.0;
            if (step >= k)
                for (int i = j + 1 > 0 ? j + 1 : 0; i < 3; ++i) in_flight_expect += 8.0 * weights[i];
            LSIM_CHECK(t.in_transit[LSIM_ORBIT_PANEL_MASS] == in_flight_expect, "n0 %zu step %d: in transit %g vs %g",
                       n0, step, t.in_transit[LSIM_ORBIT_PANEL_MASS], in_flight_expect);
        }
        LSIM_CHECK(total == 8.0, "every kg of the pulse arrived (exact with dyadic weights): %g", total);
        lsim_orbit_transit_free(&t);
    }
}

/* Conservation with weights that do not add up in binary: every step's
 * arrivals are the convolution of the launches with the weights, and all that
 * was launched arrives. */
static void test_spread_conservation(void)
{
    const double weights[] = {0.1, 0.3, 0.2, 0.15, 0.25}; /* none dyadic; sum rounds */
    const size_t n0 = 3, bins = 5;
    lsim_orbit_transit t;
    LSIM_CHECK(lsim_orbit_transit_init(&t, n0, bins, weights) == LSIM_OK, "%s", lsim_last_error());
    enum { STEPS = 3000, LAUNCH_STEPS = 2500 };
    static double launched_at[STEPS];
    double launched_total = 0.0, arrived_total = 0.0, worst = 0.0;
    for (int step = 0; step < STEPS; ++step) {
        double launched[LSIM_ORBIT_STREAM_COUNT] = {0.0}, arrived[LSIM_ORBIT_STREAM_COUNT];
        launched_at[step] = step < LAUNCH_STEPS ? 0.1 * (step % 13) + 0.0371 + 1e3 * (step % 7 == 2) : 0.0;
        launched[LSIM_ORBIT_RADIATOR_MASS] = launched_at[step];
        launched_total += launched_at[step];
        lsim_orbit_transit_advance(&t, launched, arrived);
        arrived_total += arrived[LSIM_ORBIT_RADIATOR_MASS];
        double expect = 0.0, scale = 0.0;
        for (size_t j = 0; j < bins; ++j) {
            long from = (long)step - (long)(n0 + j);
            if (from >= 0) {
                expect += launched_at[from] * weights[j];
                scale += launched_at[from];
            }
        }
        if (scale > 0.0) {
            double err = fabs(arrived[LSIM_ORBIT_RADIATOR_MASS] - expect) / scale;
            if (err > worst) worst = err;
        }
    }
    /* Each piece is one product (0.5 ulp) except the carrier's, the batch
     * less four products: a few ulps of the batch. */
    LSIM_CHECK(worst <= 8.0 * 2.2e-16, "arrivals follow the convolution to 8 ulps of the batches (worst %.3g)",
               worst);
    LSIM_CHECK(t.in_transit[LSIM_ORBIT_RADIATOR_MASS] == 0.0, "ring drained: reads exactly 0 after the last lap");
    /* 2500 batches, each split to within a few ulps and summed in two running
     * totals of 3000 additions: 1e-13 of the total is ample. */
    LSIM_CHECK_CLOSE(arrived_total, launched_total, 1e-13, 0.0, "all that was launched arrived (round-off)");
    lsim_orbit_transit_free(&t);
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

/* Arbitrary values through a fixed and a spread schedule, with catcher
 * hardware among the launches: the balance closes to round-off of the
 * running sums at every step. */
static void test_conservation_rounding(void)
{
    for (int spread = 0; spread < 2; ++spread) {
        lsim_orbit_config cfg = base_config();
        cfg.transit_time = 2.7 * 86400.0;
        cfg.capture_efficiency = 0.9137;
        cfg.catcher_capacity = 3e-4; /* 1.08 kg per step: below the mean arrival, so overflow happens */
        cfg.catcher_lunar_mass = 1e12; /* catcher hardware makes a negligible share of a catcher */
        if (spread) {
            orbit_test_schedule.first_step = 50;
            orbit_test_schedule.bins = 6;
            const double w[6] = {0.7, 1.3, 2.9, 2.2, 0.4, 0.1};
            memcpy(orbit_test_schedule.weights, w, sizeof w);
            orbit_test_schedule.captured_share = 0.9137;
            cfg.flight_model = &orbit_test_flight_model;
        }
        lsim_orbit m;
        LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
        lsim_clock clock = {0};
        clock.dt = 3600.0;
        double worst = 0.0;
        for (int step = 0; step < 5000; ++step) {
            clock.step = step;
            lsim_orbit_launch in = {0.1 * (step % 13) + 0.0371, 12.3 * (step % 5), 0.07 * (step % 11), 3.3,
                                    0.013 * (step % 4)};
            lsim_orbit_step_launch(&m, &clock, 0.0, &in, NULL);
            double b = fabs(lsim_orbit_mass_balance(&m)) / m.launched_total;
            if (b > worst) worst = b;
        }
        /* 5000 additions to each total with relative rounding 1.1e-16 each: 1e-12 relative is generous. */
        LSIM_CHECK(worst <= 1e-12, "%s: balance within 1e-12 of the launched total at every step (worst %.3g)",
                   spread ? "spread" : "fixed", worst);
        LSIM_CHECK(m.overflow_total > 0.0 && m.lost_total > m.overflow_total, "both loss kinds present");
        /* Catchers take at most capacity*dt = 1.08 kg per step (more catchers come
         * from the hardware, but at 1e12 kg each they add ~1e-10). */
        LSIM_CHECK(m.caught_total <= 1.08 * 5000.0 * (1.0 + 1e-9), "caught within capacity: %g", m.caught_total);
        LSIM_CHECK(m.catcher_hardware_total > 0.0, "catcher hardware was caught");
        lsim_orbit_free(&m);
    }
}

/* Catcher hardware flies like any lunar product and, caught, adds
 * caught / catcher_lunar_mass catchers, serving from the next step. */
static void test_catcher_hardware(void)
{
    lsim_orbit_config cfg = base_config();
    cfg.transit_time = 2.0 * 3600.0;
    cfg.capture_efficiency = 0.75;
    cfg.catcher_count = 1.0;
    cfg.catcher_capacity = 1.0;          /* kg/s: 3600 kg per step */
    cfg.catcher_lunar_mass = 1.0e5;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    lsim_orbit_outputs out;
    lsim_orbit_launch in = {0.0, 0.0, 0.0, 0.0, 2048.0}; /* 0.75 x 2048 = 1536 kg inside: within capacity */
    for (int step = 0; step < 4; ++step) {
        clock.step = step;
        lsim_orbit_step_launch(&m, &clock, 0.0, step == 0 ? &in : NULL, &out);
        if (step < 2) {
            LSIM_CHECK(out.catcher_mass_caught == 0.0 && m.catcher_count == 1.0, "step %d: hardware in flight", step);
            LSIM_CHECK(lsim_orbit_in_transit_mass(&m) == 2048.0, "catcher hardware counted in transit");
        }
        if (step == 2) {
            LSIM_CHECK(out.arrived_mass == 2048.0 && out.catcher_mass_caught == 1536.0 && out.caught_mass == 1536.0,
                       "arrives after 2 steps, caught at the aperture share (exact): %g %g", out.arrived_mass,
                       out.catcher_mass_caught);
            LSIM_CHECK_CLOSE(out.catchers_added, 1536.0 / 1.0e5, 0.0, 0.0, "caught / catcher_lunar_mass, one division");
            LSIM_CHECK_CLOSE(m.catcher_count, 1.0 + 1536.0 / 1.0e5, 0.0, 0.0, "one addition");
            LSIM_CHECK(out.lost_mass == 512.0, "the rest lost: %g", out.lost_mass);
        }
    }
    LSIM_CHECK(m.parts.panel_mass == 0.0 && m.parts.radiator_mass == 0.0, "catcher hardware is not a part to assemble");
    LSIM_CHECK(lsim_orbit_mass_balance(&m) == 0.0, "balance exact with dyadic numbers: %g", lsim_orbit_mass_balance(&m));
    lsim_orbit_status_view v;
    lsim_orbit_status(&m, &v);
    LSIM_CHECK(v.catcher_count == m.catcher_count && v.catchers_from_hardware == 1536.0 / 1.0e5,
               "status view reports the catchers and those made from hardware");

    /* Capacity binds on the payload: catcher hardware docks (aperture share
     * only) and the panels share the intake. */
    lsim_orbit_free(&m);
    cfg.transit_time = 0.0;
    cfg.capture_efficiency = 1.0;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_orbit_launch both = {5400.0, 1e6, 0.0, 0.0, 1800.0}; /* 7200 kg against 3600 kg of intake */
    lsim_orbit_step_launch(&m, &clock, 0.0, &both, &out);
    LSIM_CHECK(out.caught_mass == 5400.0 && out.catcher_mass_caught == 1800.0 && m.parts.panel_mass == 3600.0,
               "all hardware, and the panels up to the intake (exact): %g %g %g", out.caught_mass,
               out.catcher_mass_caught, m.parts.panel_mass);
    LSIM_CHECK(lsim_orbit_mass_balance(&m) == 0.0, "balance exact with dyadic numbers under a binding capacity");
    lsim_orbit_free(&m);
}

int main(void)
{
    test_steps();
    test_pulse();
    test_fixed_is_the_old_delay_line();
    test_spread_pulse();
    test_spread_conservation();
    test_conservation_exact();
    test_conservation_rounding();
    test_catcher_hardware();
    LSIM_TEST_MAIN_END();
}
