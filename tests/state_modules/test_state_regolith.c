/* Regolith fleet checkpoint: a fleet above the OpenMP threshold (> 4096
 * agents) with short hazard scales so units fail, wait, are repaired
 * (lognormal, partial age restoration) and retire (by repairs and by life);
 * growth in fractional batches between steps; compaction both before and
 * after the checkpoint, which is taken while retired units still sit in
 * their slots. After the file round trip and load into a fresh fleet, N
 * identical steps must give the same outputs, series rows, scalars and
 * agent arrays bit for bit. Also: a hand-built checkpoint whose agent
 * arrays disagree with the saved count is refused cleanly. */
#include <math.h>

#include "regolith.h"
#include "state_test_util.h"

#define HOUR 3600.0
#define K_MIN 450
#define K_MAX 900
#define N_STEPS 300
#define SEED 0x5a17c0ffeeULL

static void grant_for(const lsim_regolith *m, const lsim_clock *clock, long k, double *grant, double *cap)
{
    /* Mass cap binding on some steps, power on others, neither on the rest. */
    *cap = k % 7 == 2 ? 0.4 * (double)m->n_operating * m->rate_per_unit * clock->dt : INFINITY;
    double demand = lsim_regolith_power_demand(m, clock, *cap);
    double f = k % 5 == 0 ? 0.55 : (k % 5 == 1 ? 0.9 : 1.3);
    *grant = k % 41 == 7 ? 0.0 : demand * f;
}

static lsim_status grow(lsim_regolith *m, const lsim_clock *clock, long k)
{
    /* A big batch early takes A past the capacity a fresh fleet has, so the load must grow. */
    if (k == 200) return lsim_regolith_add_excavators(m, 6000.0, clock);
    if (k % 25 == 11) return lsim_regolith_add_excavators(m, 173.4, clock);
    return LSIM_OK;
}

/* Scalars of the fleet with what is not state (pointers, capacity) cleared. */
static lsim_regolith comparable(const lsim_regolith *m)
{
    lsim_regolith c = *m;
    c.series = NULL;
    c.dig_state = NULL; /* a digging model's own memory, rebuilt at init */
    c.capacity = 0;
    c.state = NULL;
    c.age = c.virtual_age = c.cumulative_hazard = c.repair_remaining = NULL;
    c.repair_count = NULL;
    c.unit_id = NULL;
    return c;
}

static void check_same_fleet(const lsim_regolith *a, const lsim_regolith *b, const char *when)
{
    lsim_regolith ca = comparable(a), cb = comparable(b);
    char what[128];
    snprintf(what, sizeof what, "fleet scalars %s", when);
    STT_CHECK_SAME_BYTES(&ca, &cb, sizeof ca, what);
    if (a->count != b->count) return;
    size_t n = a->count;
    snprintf(what, sizeof what, "state[] %s", when);
    STT_CHECK_SAME_BYTES(a->state, b->state, n * sizeof *a->state, what);
    snprintf(what, sizeof what, "age[] %s", when);
    STT_CHECK_SAME_BYTES(a->age, b->age, n * sizeof *a->age, what);
    snprintf(what, sizeof what, "virtual_age[] %s", when);
    STT_CHECK_SAME_BYTES(a->virtual_age, b->virtual_age, n * sizeof *a->virtual_age, what);
    snprintf(what, sizeof what, "cumulative_hazard[] %s", when);
    STT_CHECK_SAME_BYTES(a->cumulative_hazard, b->cumulative_hazard, n * sizeof *a->cumulative_hazard, what);
    snprintf(what, sizeof what, "repair_remaining[] %s", when);
    STT_CHECK_SAME_BYTES(a->repair_remaining, b->repair_remaining, n * sizeof *a->repair_remaining, what);
    snprintf(what, sizeof what, "repair_count[] %s", when);
    STT_CHECK_SAME_BYTES(a->repair_count, b->repair_count, n * sizeof *a->repair_count, what);
    snprintf(what, sizeof what, "unit_id[] %s", when);
    STT_CHECK_SAME_BYTES(a->unit_id, b->unit_id, n * sizeof *a->unit_id, what);
}

int main(void)
{
    lsim_params *params = stt_params(lsim_regolith_param_defs, lsim_regolith_param_count);
    stt_set(params, "regolith", "initial_excavators", 5000);
    stt_set(params, "regolith", "infant_scale", 2.0e5 * HOUR);
    stt_set(params, "regolith", "random_scale", 300.0 * HOUR);
    stt_set(params, "regolith", "wearout_scale", 800.0 * HOUR);
    stt_set(params, "regolith", "max_life", 300.0 * HOUR);
    stt_set(params, "regolith", "max_repairs", 3);
    stt_set(params, "regolith", "repair_mean", 10.0 * HOUR);
    stt_set(params, "regolith", "repair_delay", 3.0 * HOUR);
    stt_set(params, "regolith", "repair_age_restoration", 0.5);
    stt_set_text(params, "regolith", "repair_distribution", "lognormal");
    stt_set_text(params, "regolith", "fleet_model", "agents"); /* the per-agent arrays are what this test compares */

    lsim_series_registry *ra = stt_series(), *rb = stt_series();
    lsim_regolith a, b;
    LSIM_CHECK(lsim_regolith_init(&a, params, ra, SEED) == LSIM_OK, "init A: %s", lsim_last_error());
    LSIM_CHECK(lsim_regolith_init(&b, params, rb, SEED) == LSIM_OK, "init B: %s", lsim_last_error());
    LSIM_CHECK(a.count > 4096, "the fleet must exceed the OpenMP threshold (%zu agents)", a.count);

    lsim_clock clock = stt_clock(HOUR);
    long failures = 0, retirements = 0, compactions_before = 0, compactions_after = 0;
    long k = 0;
    /* Run at least K_MIN steps, then on until retired units wait in their
     * slots, so the checkpoint carries uncompacted agents. */
    for (; k < K_MAX && (k < K_MIN || a.n_retired_in_place == 0); ++k) {
        clock.step = k;
        LSIM_CHECK(grow(&a, &clock, k) == LSIM_OK, "grow A: %s", lsim_last_error());
        size_t before = a.count;
        double grant, cap;
        grant_for(&a, &clock, k, &grant, &cap);
        lsim_regolith_step(&a, &clock, grant, cap, NULL, NULL);
        failures += a.last_failures;
        retirements += a.last_retirements;
        compactions_before += a.count < before;
        stt_close_row(ra, &clock);
        lsim_series_drain(ra);
    }
    const long k_checkpoint = k;
    LSIM_CHECK(failures > 0 && retirements > 0, "failures (%ld) and retirements (%ld) must happen before the checkpoint",
               failures, retirements);
    LSIM_CHECK(compactions_before > 0, "the fleet must compact before the checkpoint");
    LSIM_CHECK(a.n_retired_in_place > 0, "the checkpoint should hold retired, uncompacted units (%ld)",
               a.n_retired_in_place);
    LSIM_CHECK(a.n_failed > 0 && a.n_under_repair > 0, "units waiting and under repair at the checkpoint");
    LSIM_CHECK(a.pending_units > 0.0, "a fractional unit should be carried at the checkpoint");

    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(lsim_regolith_state(&a, saver) == LSIM_OK, "save: %s", lsim_last_error());
    lsim_state *loader = stt_round_trip(saver, "state_regolith.ckpt", k_checkpoint);
    LSIM_CHECK(a.count > b.capacity, "the load must grow B's arrays (%zu agents, capacity %zu)", a.count, b.capacity);
    LSIM_CHECK(lsim_regolith_state(&b, loader) == LSIM_OK, "load: %s", lsim_last_error());
    lsim_state_free(loader);
    LSIM_CHECK(b.capacity >= b.count, "capacity %zu must hold count %zu", b.capacity, b.count);
    check_same_fleet(&a, &b, "right after load");

    int rows_same = 1, outputs_same = 1;
    for (k = k_checkpoint; k < k_checkpoint + N_STEPS; ++k) {
        clock.step = k;
        LSIM_CHECK(grow(&a, &clock, k) == LSIM_OK && grow(&b, &clock, k) == LSIM_OK, "grow: %s", lsim_last_error());
        if (k == k_checkpoint + 100) {
            /* A large batch forces both fleets past their capacity. */
            LSIM_CHECK(lsim_regolith_add_excavators(&a, 8000.6, &clock) == LSIM_OK, "big batch A");
            LSIM_CHECK(lsim_regolith_add_excavators(&b, 8000.6, &clock) == LSIM_OK, "big batch B");
        }
        size_t before = a.count;
        double grant_a, cap_a, grant_b, cap_b;
        grant_for(&a, &clock, k, &grant_a, &cap_a);
        grant_for(&b, &clock, k, &grant_b, &cap_b);
        outputs_same &= memcmp(&grant_a, &grant_b, sizeof grant_a) == 0 && memcmp(&cap_a, &cap_b, sizeof cap_a) == 0;
        /* The straight run keeps the older face, the restarted one steps
         * through lsim_regolith_advance: both the restart and the two faces
         * must agree. */
        double mined_a, energy_a;
        double pa = lsim_regolith_step(&a, &clock, grant_a, cap_a, &mined_a, &energy_a);
        lsim_regolith_step_result rb_step;
        double pb = lsim_regolith_advance(&b, &clock, grant_b, cap_b, &rb_step);
        outputs_same &= memcmp(&pa, &pb, sizeof pa) == 0 &&
                        memcmp(&mined_a, &rb_step.mined_mass, sizeof mined_a) == 0 &&
                        memcmp(&energy_a, &rb_step.energy_used, sizeof energy_a) == 0;
        compactions_after += a.count < before;
        stt_close_row(ra, &clock);
        stt_close_row(rb, &clock);
        rows_same &= stt_same_rows(ra, rb, k);
    }
    LSIM_CHECK(outputs_same, "demand, power used, mined mass and energy after the restart must match bit for bit");
    LSIM_CHECK(rows_same, "every series row after the restart must match bit for bit");
    LSIM_CHECK(compactions_after > 0, "the fleet must compact after the checkpoint too");
    check_same_fleet(&a, &b, "after N more steps");

    /* A checkpoint whose arrays disagree with its count cannot come from
     * lsim_regolith_state, but can from a hand-edited or foreign file: the
     * load must fail with a clear error and leave the fleet's count alone. */
    {
        lsim_state *bad = lsim_state_new_saver();
        size_t wrong = a.count + 1;
        LSIM_CHECK(lsim_state_size(bad, "regolith.count", &wrong) == LSIM_OK, "build bad checkpoint");
        LSIM_CHECK(lsim_state_u8(bad, "regolith.state", a.state, a.count) == LSIM_OK, "build bad checkpoint");
        lsim_state *bad_loader = stt_round_trip(bad, "state_regolith_bad.ckpt", 0);
        lsim_series_registry *rc = stt_series();
        lsim_regolith c;
        LSIM_CHECK(lsim_regolith_init(&c, params, rc, SEED) == LSIM_OK, "init C");
        size_t count_before = c.count;
        lsim_status st = lsim_regolith_state(&c, bad_loader);
        LSIM_CHECK(st == LSIM_ERR_INPUT, "a length mismatch must be LSIM_ERR_INPUT (got %d)", (int)st);
        LSIM_CHECK(strstr(lsim_last_error(), "regolith.state") != NULL, "the error names the entry: %s",
                   lsim_last_error());
        LSIM_CHECK(c.count == count_before, "a refused load must not change count (%zu -> %zu)", count_before, c.count);
        LSIM_CHECK(c.capacity >= c.count, "capacity must still hold count");
        lsim_state_free(bad_loader);

        /* A checkpoint of another module lacks the regolith entries. */
        lsim_state *empty = lsim_state_new_saver();
        double x = 1.0;
        LSIM_CHECK(lsim_state_f64(empty, "power.stored_energy", &x, 1) == LSIM_OK, "build foreign checkpoint");
        lsim_state *foreign = stt_round_trip(empty, "state_regolith_bad.ckpt", 0);
        st = lsim_regolith_state(&c, foreign);
        LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "regolith.count") != NULL,
                   "a checkpoint without regolith entries is refused naming regolith.count: %s", lsim_last_error());
        lsim_state_free(foreign);
        lsim_regolith_free(&c);
        lsim_series_free(rc);
        remove("state_regolith_bad.ckpt");
    }

    lsim_regolith_free(&a);
    lsim_regolith_free(&b);
    lsim_series_free(ra);
    lsim_series_free(rb);
    lsim_params_free(params);
    remove("state_regolith.ckpt");
    LSIM_TEST_MAIN_END();
}
