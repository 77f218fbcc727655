/* Orbit checkpoint: the 72-step flight delay line (3 d at 1 h steps) is
 * saved mid-lap, with launches of varied size (some over catcher capacity),
 * Earth launches on their cadence and growth between steps; after the file
 * round trip and load into a fresh stage, N identical steps (crossing the
 * lap where the in-transit sums are re-added) must give the same outputs,
 * series rows, delay-line slots and scalars bit for bit. A checkpoint taken
 * with another time step (another delay length) must be refused cleanly. */
#include "orbit.h"
#include "state_test_util.h"

#define K_STEPS 100
#define N_STEPS 170

static void inputs_at(long k, lsim_orbit_inputs *in)
{
    double scale = k % 13 == 6 ? 0.0 : 1.0 + sin(0.17 * (double)k);
    /* Up to 4.2e5 kg per 1 h step: over the catchers' capacity (40 kg/s each) at the peaks. */
    in->panel_mass_launched = 2.0e5 * scale;
    in->panel_watts_launched = in->panel_mass_launched * 600.0;
    in->radiator_mass_launched = 1.0e4 * scale * (k % 3 == 0 ? 0.2 : 1.0);
    in->radiator_rejection_watts_launched = in->radiator_mass_launched * 1500.0;
}

static lsim_status grow(lsim_orbit *m, const lsim_clock *clock, long k)
{
    lsim_status st = LSIM_OK;
    if (k % 37 == 20) st = lsim_orbit_add_catchers(m, 0.5, clock);
    if (st == LSIM_OK && k % 53 == 10) st = lsim_orbit_add_assembly_units(m, 0.3, clock);
    if (st == LSIM_OK && k % 29 == 5) st = lsim_orbit_add_earth_parts(m, 1.7e4);
    return st;
}

/* Scalars with what is not state or is fixed at init and may carry stack
 * padding (cfg) cleared, and the delay-line pointer compared separately. */
static lsim_orbit comparable(const lsim_orbit *m)
{
    lsim_orbit c = *m;
    memset(&c.cfg, 0, sizeof c.cfg);
    c.transit.slots = NULL;
    c.series = NULL;
    return c;
}

static void check_same_stage(const lsim_orbit *a, const lsim_orbit *b, const char *when)
{
    lsim_orbit ca = comparable(a), cb = comparable(b);
    char what[128];
    snprintf(what, sizeof what, "orbit scalars %s", when);
    STT_CHECK_SAME_BYTES(&ca, &cb, sizeof ca, what);
    snprintf(what, sizeof what, "delay-line slots %s", when);
    STT_CHECK_SAME_BYTES(a->transit.slots, b->transit.slots,
                         a->transit.steps * LSIM_ORBIT_STREAM_COUNT * sizeof(double), what);
}

static int same_outputs(const lsim_orbit_outputs *a, const lsim_orbit_outputs *b)
{
    const double va[] = {a->arrived_mass, a->caught_mass, a->lost_mass, a->assembled_power, a->installed_power,
                         a->compute_power, a->compute_flops, a->earth_mass_supplied, a->power_used};
    const double vb[] = {b->arrived_mass, b->caught_mass, b->lost_mass, b->assembled_power, b->installed_power,
                         b->compute_power, b->compute_flops, b->earth_mass_supplied, b->power_used};
    return memcmp(va, vb, sizeof va) == 0 && a->limit == b->limit;
}

int main(void)
{
    lsim_params *params = stt_params(lsim_orbit_param_defs, lsim_orbit_param_count);
    stt_set(params, "orbit", "earth_launch_rate", 1.0 / (30.0 * 3600.0));
    stt_set(params, "orbit", "assembly_rate_per_unit", 3.0e4);
    stt_set(params, "orbit", "catcher_capacity", 40.0);
    lsim_series_registry *ra = stt_series(), *rb = stt_series();
    lsim_orbit a, b;
    LSIM_CHECK(lsim_orbit_init(&a, params, ra, 5) == LSIM_OK, "init A: %s", lsim_last_error());
    LSIM_CHECK(lsim_orbit_init(&b, params, rb, 5) == LSIM_OK, "init B: %s", lsim_last_error());
    LSIM_CHECK(a.transit.steps == 72, "3 d at 1 h steps is a 72-step delay line (got %zu)", a.transit.steps);

    lsim_clock clock = stt_clock(a.dt);
    double overflow_before = 0.0;
    for (long k = 0; k < K_STEPS; ++k) {
        clock.step = k;
        LSIM_CHECK(grow(&a, &clock, k) == LSIM_OK, "grow A");
        lsim_orbit_inputs in;
        inputs_at(k, &in);
        lsim_orbit_step(&a, &clock, 0.0, &in, NULL);
        stt_close_row(ra, &clock);
        lsim_series_drain(ra);
    }
    overflow_before = a.overflow_total;
    LSIM_CHECK(a.transit.head != 0, "the checkpoint must fall mid-lap (head %zu)", a.transit.head);
    LSIM_CHECK(overflow_before > 0.0 && a.installed_power > 0.0 && a.earth_launches_done > 0,
               "the first K steps should overflow the catchers, assemble and see Earth launches (%g %g %lld)",
               overflow_before, a.installed_power, (long long)a.earth_launches_done);

    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(lsim_orbit_state(&a, saver) == LSIM_OK, "save: %s", lsim_last_error());
    lsim_state *loader = stt_round_trip(saver, "state_orbit.ckpt", K_STEPS);
    LSIM_CHECK(lsim_orbit_state(&b, loader) == LSIM_OK, "load: %s", lsim_last_error());
    lsim_state_free(loader);
    check_same_stage(&a, &b, "right after load");

    int rows_same = 1, outputs_same = 1;
    for (long k = K_STEPS; k < K_STEPS + N_STEPS; ++k) {
        clock.step = k;
        LSIM_CHECK(grow(&a, &clock, k) == LSIM_OK && grow(&b, &clock, k) == LSIM_OK, "grow");
        lsim_orbit_inputs in;
        inputs_at(k, &in);
        lsim_orbit_outputs oa, ob;
        lsim_orbit_step(&a, &clock, 0.0, &in, &oa);
        lsim_orbit_step(&b, &clock, 0.0, &in, &ob);
        outputs_same &= same_outputs(&oa, &ob);
        stt_close_row(ra, &clock);
        stt_close_row(rb, &clock);
        rows_same &= stt_same_rows(ra, rb, k);
    }
    LSIM_CHECK(outputs_same, "every step's outputs after the restart must match bit for bit");
    LSIM_CHECK(rows_same, "every series row after the restart must match bit for bit");
    check_same_stage(&a, &b, "after N more steps");
    LSIM_CHECK_CLOSE(lsim_orbit_mass_balance(&b), 0.0, 0.0, 1e-9 * b.launched_total,
                     "restored stage still closes its mass balance (round-off of the running sums)");

    /* Another time step gives another delay length: resuming would misplace
     * everything in flight, so the load is refused naming both lengths. */
    {
        lsim_params *other = stt_params(lsim_orbit_param_defs, lsim_orbit_param_count);
        stt_set(other, "run", "time_step", 1800.0);
        lsim_series_registry *rc = stt_series();
        lsim_orbit c;
        LSIM_CHECK(lsim_orbit_init(&c, other, rc, 5) == LSIM_OK, "init C");
        saver = lsim_state_new_saver();
        LSIM_CHECK(lsim_orbit_state(&a, saver) == LSIM_OK, "save again");
        loader = stt_round_trip(saver, "state_orbit.ckpt", K_STEPS + N_STEPS);
        lsim_status st = lsim_orbit_state(&c, loader);
        LSIM_CHECK(st == LSIM_ERR_INPUT, "a delay line of another length must be LSIM_ERR_INPUT (got %d)", (int)st);
        LSIM_CHECK(strstr(lsim_last_error(), "72") && strstr(lsim_last_error(), "144"),
                   "the error names both lengths: %s", lsim_last_error());
        LSIM_CHECK(c.transit.head == 0 && c.launched_total == 0.0, "a refused load leaves the stage untouched");
        lsim_state_free(loader);
        lsim_orbit_free(&c);
        lsim_series_free(rc);
        lsim_params_free(other);
    }

    lsim_orbit_free(&a);
    lsim_orbit_free(&b);
    lsim_series_free(ra);
    lsim_series_free(rb);
    lsim_params_free(params);
    remove("state_orbit.ckpt");
    LSIM_TEST_MAIN_END();
}
