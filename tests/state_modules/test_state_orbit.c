/* Orbit checkpoint: the 72-step flight arrival ring (3 d at 1 h steps) is
 * saved mid-lap, with launches of varied size (some over catcher capacity),
 * catcher hardware among them, Earth launches on their cadence and growth
 * between steps; after the file round trip and load into a fresh stage, N
 * identical steps (crossing the lap where the in-transit sums are re-added)
 * must give the same outputs, series rows, ring slots and scalars bit for
 * bit. The same again with a schedule spread over five arrival steps. A
 * checkpoint taken with another time step (another ring length) must be
 * refused cleanly. */
#include "orbit.h"
#include "orbit/orbit_test_flight.h"
#include "state_test_util.h"

#define K_STEPS 100
#define N_STEPS 170

static void inputs_at(long k, lsim_orbit_launch *in)
{
    double scale = k % 13 == 6 ? 0.0 : 1.0 + sin(0.17 * (double)k);
    /* Up to 4.2e5 kg per 1 h step: over the catchers' capacity (40 kg/s each) at the peaks. */
    in->panel_mass_launched = 2.0e5 * scale;
    in->panel_watts_launched = in->panel_mass_launched * 600.0;
    in->radiator_mass_launched = 1.0e4 * scale * (k % 3 == 0 ? 0.2 : 1.0);
    in->radiator_rejection_watts_launched = in->radiator_mass_launched * 1500.0;
    in->catcher_mass_launched = k % 7 == 1 ? 3.0e4 * scale : 0.0;
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
 * padding (cfg) cleared, and the pointers (ring, weights) compared
 * separately. */
static lsim_orbit comparable(const lsim_orbit *m)
{
    lsim_orbit c = *m;
    memset(&c.cfg, 0, sizeof c.cfg);
    c.transit.slots = NULL;
    c.transit.weights = NULL;
    c.flight.schedule.weights = NULL;
    c.flight.schedule.trajectory = NULL;
    c.flight.schedule.arrivals = NULL;
    c.series = NULL;
    lsim_cohort_fleet *fleets[2] = {&c.chip_burn_in, &c.compute_modules};
    for (int k = 0; k < 2; ++k) {
        memset(&fleets[k]->config, 0, sizeof fleets[k]->config); /* from the deck, with padding */
        fleets[k]->capacity = 0;                                  /* grown by doubling, not state */
        fleets[k]->build_time = fleets[k]->burn_in = fleets[k]->in_service = fleets[k]->in_repair = NULL;
        fleets[k]->serial = NULL;
    }
    return c;
}

static void check_same_fleet(const lsim_cohort_fleet *a, const lsim_cohort_fleet *b, const char *what)
{
    LSIM_CHECK(a->count == b->count, "%s: %zu cohorts against %zu", what, a->count, b->count);
    if (a->count != b->count) return;
    const double *fa[4] = {a->build_time, a->burn_in, a->in_service, a->in_repair};
    const double *fb[4] = {b->build_time, b->burn_in, b->in_service, b->in_repair};
    for (int k = 0; k < 4; ++k) STT_CHECK_SAME_BYTES(fa[k], fb[k], a->count * sizeof(double), what);
    STT_CHECK_SAME_BYTES(a->serial, b->serial, a->count * sizeof(uint64_t), what);
}

static void check_same_stage(const lsim_orbit *a, const lsim_orbit *b, const char *when)
{
    lsim_orbit ca = comparable(a), cb = comparable(b);
    char what[128];
    snprintf(what, sizeof what, "orbit scalars %s", when);
    STT_CHECK_SAME_BYTES(&ca, &cb, sizeof ca, what);
    snprintf(what, sizeof what, "delay-line slots %s", when);
    STT_CHECK_SAME_BYTES(a->transit.slots, b->transit.slots,
                         a->transit.length * LSIM_ORBIT_STREAM_COUNT * sizeof(double), what);
    snprintf(what, sizeof what, "schedule weights %s", when);
    STT_CHECK_SAME_BYTES(a->flight.schedule.weights, b->flight.schedule.weights,
                         a->flight.schedule.bins * sizeof(double), what);
    snprintf(what, sizeof what, "chip burn-in cohorts %s", when);
    check_same_fleet(&a->chip_burn_in, &b->chip_burn_in, what);
    snprintf(what, sizeof what, "compute module cohorts %s", when);
    check_same_fleet(&a->compute_modules, &b->compute_modules, what);
}

static int same_outputs(const lsim_orbit_outputs *a, const lsim_orbit_outputs *b)
{
    const double va[] = {a->arrived_mass, a->caught_mass, a->lost_mass, a->assembled_power, a->installed_power,
                         a->compute_power, a->compute_flops, a->earth_mass_supplied, a->power_used,
                         a->catcher_mass_caught, a->catchers_added};
    const double vb[] = {b->arrived_mass, b->caught_mass, b->lost_mass, b->assembled_power, b->installed_power,
                         b->compute_power, b->compute_flops, b->earth_mass_supplied, b->power_used,
                         b->catcher_mass_caught, b->catchers_added};
    return memcmp(va, vb, sizeof va) == 0 && a->limit == b->limit;
}

static lsim_status init_stage(lsim_orbit *m, const lsim_params *params, const lsim_orbit_flight_model *model,
                              lsim_series_registry *series)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_from_params(&cfg, params);
    if (model) cfg.flight_model = model;
    /* Chips from the first hours, so Earth launches fly within the K steps
     * and both chip fleets (burn-in and orbit) hold cohorts at the checkpoint. */
    cfg.chip_burn_in_time = 10.0 * 3600.0;
    cfg.programme_compute_share = 1.0;
    cfg.compute_wear_interval = 6.0 * 3600.0;
    return lsim_orbit_init_config(m, &cfg, lsim_param_real(params, "run", "time_step"), series, 5);
}

/* K steps of A, checkpoint, load into a fresh B, N more steps of both. A is
 * left initialised for the caller. */
static void restart_case(const char *label, const lsim_params *params, const lsim_orbit_flight_model *model,
                         size_t expect_length, lsim_orbit *a)
{
    lsim_series_registry *ra = stt_series(), *rb = stt_series();
    lsim_orbit b;
    LSIM_CHECK(init_stage(a, params, model, ra) == LSIM_OK, "%s: init A: %s", label, lsim_last_error());
    LSIM_CHECK(init_stage(&b, params, model, rb) == LSIM_OK, "%s: init B: %s", label, lsim_last_error());
    LSIM_CHECK(a->transit.length == expect_length, "%s: a %zu-step arrival ring (got %zu)", label, expect_length,
               a->transit.length);

    lsim_clock clock = stt_clock(a->dt);
    for (long k = 0; k < K_STEPS; ++k) {
        clock.step = k;
        LSIM_CHECK(grow(a, &clock, k) == LSIM_OK, "grow A");
        lsim_orbit_launch in;
        inputs_at(k, &in);
        lsim_orbit_step_launch(a, &clock, 0.0, &in, NULL);
        stt_close_row(ra, &clock);
        lsim_series_drain(ra);
    }
    LSIM_CHECK(a->transit.head != 0, "%s: the checkpoint must fall mid-lap (head %zu)", label, a->transit.head);
    LSIM_CHECK(a->overflow_total > 0.0 && a->installed_power > 0.0 && a->earth_launches_done > 0 &&
                   a->catchers_from_hardware > 0.0,
               "%s: the first K steps should overflow the catchers, assemble, see Earth launches and build catchers "
               "from hardware (%g %g %lld %g)",
               label, a->overflow_total, a->installed_power, (long long)a->earth_launches_done,
               a->catchers_from_hardware);
    LSIM_CHECK(a->transit.in_transit[LSIM_ORBIT_CATCHER_MASS] > 0.0, "%s: catcher hardware in flight at the checkpoint",
               label);
    LSIM_CHECK(a->chip_burn_in.count > 0 && a->compute_modules.count > 0 && a->compute_modules.tick > 0,
               "%s: chips in burn-in and worn compute modules at the checkpoint (%zu, %zu cohorts)", label,
               a->chip_burn_in.count, a->compute_modules.count);

    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(lsim_orbit_state(a, saver) == LSIM_OK, "save: %s", lsim_last_error());
    lsim_state *loader = stt_round_trip(saver, "state_orbit.ckpt", K_STEPS);
    LSIM_CHECK(lsim_orbit_state(&b, loader) == LSIM_OK, "load: %s", lsim_last_error());
    lsim_state_free(loader);
    check_same_stage(a, &b, "right after load");

    int rows_same = 1, outputs_same = 1;
    for (long k = K_STEPS; k < K_STEPS + N_STEPS; ++k) {
        clock.step = k;
        LSIM_CHECK(grow(a, &clock, k) == LSIM_OK && grow(&b, &clock, k) == LSIM_OK, "grow");
        lsim_orbit_launch in;
        inputs_at(k, &in);
        lsim_orbit_outputs oa, ob;
        lsim_orbit_step_launch(a, &clock, 0.0, &in, &oa);
        lsim_orbit_step_launch(&b, &clock, 0.0, &in, &ob);
        outputs_same &= same_outputs(&oa, &ob);
        stt_close_row(ra, &clock);
        stt_close_row(rb, &clock);
        rows_same &= stt_same_rows(ra, rb, k);
    }
    LSIM_CHECK(outputs_same, "%s: every step's outputs after the restart must match bit for bit", label);
    LSIM_CHECK(rows_same, "%s: every series row after the restart must match bit for bit", label);
    check_same_stage(a, &b, "after N more steps");
    LSIM_CHECK_CLOSE(lsim_orbit_mass_balance(&b), 0.0, 0.0, 1e-9 * b.launched_total,
                     "restored stage still closes its mass balance (round-off of the running sums)");
    lsim_orbit_free(&b);
    a->series = NULL; /* its registry goes now */
    lsim_series_free(ra);
    lsim_series_free(rb);
}

int main(void)
{
    lsim_params *params = stt_params(lsim_orbit_param_defs, lsim_orbit_param_count);
    stt_set(params, "orbit", "earth_launch_rate", 1.0 / (30.0 * 3600.0));
    stt_set(params, "orbit", "assembly_rate_per_unit", 3.0e4);
    stt_set(params, "orbit", "catcher_capacity", 40.0);
    lsim_orbit a;

    /* A spread schedule (first arrival 69 steps after launch, five bins, weights
     * not dyadic): the whole ring of 73 slots is saved and restored. */
    orbit_test_schedule.first_step = 69;
    orbit_test_schedule.bins = 5;
    const double w[5] = {0.1, 0.3, 0.2, 0.15, 0.25};
    memcpy(orbit_test_schedule.weights, w, sizeof w);
    orbit_test_schedule.captured_share = 0.97;
    restart_case("spread", params, &orbit_test_flight_model, 73, &a);
    lsim_orbit_free(&a);

    /* The three_body default: a 24.6 h nominal flight at 45 min steps
     * arrives 33 steps on (one bin: the spread is under a second), a 33-slot
     * ring that K_STEPS leaves mid-lap; its correction propellant and
     * reaction mass totals are saved too. */
    {
        lsim_params *tb = stt_params(lsim_orbit_param_defs, lsim_orbit_param_count);
        stt_set(tb, "orbit", "earth_launch_rate", 1.0 / (30.0 * 3600.0));
        stt_set(tb, "orbit", "assembly_rate_per_unit", 3.0e4);
        stt_set(tb, "orbit", "catcher_capacity", 40.0);
        stt_set(tb, "orbit", "dispersion_samples", 500.0);
        stt_set(tb, "run", "time_step", 2700.0);
        restart_case("three_body", tb, NULL, 33, &a);
        LSIM_CHECK(a.reaction_mass_total > 0.0 && a.correction_propellant_total > 0.0,
                   "three_body: both flight sinks in use (%g, %g kg)", a.reaction_mass_total,
                   a.correction_propellant_total);
        lsim_orbit_free(&a);
        lsim_params_free(tb);
    }

    /* The fixed model: 3 d at 1 h steps, one bin, 72 slots. */
    restart_case("fixed", params, lsim_orbit_flight_model_find("fixed"), 72, &a);

    /* Another time step gives another ring length: resuming would misplace
     * everything in flight, so the load is refused naming both lengths. */
    {
        lsim_params *other = stt_params(lsim_orbit_param_defs, lsim_orbit_param_count);
        stt_set(other, "run", "time_step", 1800.0);
        lsim_series_registry *rc = stt_series();
        lsim_orbit c;
        LSIM_CHECK(init_stage(&c, other, lsim_orbit_flight_model_find("fixed"), rc) == LSIM_OK, "init C");
        lsim_state *saver = lsim_state_new_saver();
        LSIM_CHECK(lsim_orbit_state(&a, saver) == LSIM_OK, "save again");
        lsim_state *loader = stt_round_trip(saver, "state_orbit.ckpt", K_STEPS + N_STEPS);
        lsim_status st = lsim_orbit_state(&c, loader);
        LSIM_CHECK(st == LSIM_ERR_INPUT, "a ring of another length must be LSIM_ERR_INPUT (got %d)", (int)st);
        LSIM_CHECK(strstr(lsim_last_error(), "72") && strstr(lsim_last_error(), "144"),
                   "the error names both lengths: %s", lsim_last_error());
        LSIM_CHECK(c.transit.head == 0 && c.launched_total == 0.0, "a refused load leaves the stage untouched");
        lsim_state_free(loader);
        lsim_orbit_free(&c);
        lsim_series_free(rc);
        lsim_params_free(other);
    }

    lsim_orbit_free(&a);
    lsim_params_free(params);
    remove("state_orbit.ckpt");
    LSIM_TEST_MAIN_END();
}
