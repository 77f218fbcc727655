/* Mass driver checkpoint: K steps across maintenance windows with fractional
 * drivers added, power and payload limits taking turns; save, file round
 * trip, load into a fresh fleet, then N identical steps: every step result,
 * the payload stock, series rows and the whole struct must match bit for bit. */
#include "massdriver.h"
#include "state_test_util.h"

#define K_STEPS 150
#define N_STEPS 200

static double step(lsim_massdriver *m, const lsim_clock *clock, double *stock, long k,
                   lsim_massdriver_step_result *r)
{
    *stock += k % 9 == 4 ? 0.0 : 9.0 * 10.0 * clock->dt * (0.5 + 0.4 * sin(0.21 * (double)k));
    double demand = lsim_massdriver_power_demand(m, clock, *stock);
    double grant = k % 4 == 3 ? 0.45 * demand : 1.1 * demand;
    return lsim_massdriver_step(m, clock, grant, stock, r);
}

static lsim_massdriver comparable(const lsim_massdriver *m)
{
    lsim_massdriver c = *m;
    c.series = NULL;
    c.launcher_model = NULL; /* the variant's design data, its own allocation in each instance */
    return c;
}

static int same_result(const lsim_massdriver_step_result *a, const lsim_massdriver_step_result *b)
{
    return memcmp(&a->mass_launched, &b->mass_launched, sizeof(double)) == 0 &&
           memcmp(&a->energy_used, &b->energy_used, sizeof(double)) == 0 &&
           memcmp(&a->power_used, &b->power_used, sizeof(double)) == 0 &&
           memcmp(&a->launches, &b->launches, sizeof(double)) == 0 &&
           memcmp(&a->first_launch_index, &b->first_launch_index, sizeof(double)) == 0 &&
           memcmp(&a->operable_drivers, &b->operable_drivers, sizeof(double)) == 0 && a->limit == b->limit;
}

int main(void)
{
    lsim_params *params = stt_params(lsim_massdriver_param_defs, lsim_massdriver_param_count);
    stt_set(params, "massdriver", "drivers", 3);
    stt_set(params, "massdriver", "maintenance_period", 2.0 * 86400.0);
    stt_set(params, "massdriver", "maintenance_duration", 5.0 * 3600.0);
    lsim_series_registry *ra = stt_series(), *rb = stt_series();
    lsim_massdriver a, b;
    LSIM_CHECK(lsim_massdriver_init(&a, params, ra, 11) == LSIM_OK, "init A: %s", lsim_last_error());
    LSIM_CHECK(lsim_massdriver_init(&b, params, rb, 11) == LSIM_OK, "init B: %s", lsim_last_error());

    lsim_clock clock = stt_clock(3600.0);
    double stock_a = 0.0, stock_b;
    int limits[4] = {0};
    for (long k = 0; k < K_STEPS; ++k) {
        clock.step = k;
        if (k % 60 == 35) LSIM_CHECK(lsim_massdriver_add_drivers(&a, 1.5, &clock) == LSIM_OK, "add drivers");
        lsim_massdriver_step_result r;
        step(&a, &clock, &stock_a, k, &r);
        if ((int)r.limit >= 0 && (int)r.limit < 4) limits[r.limit] = 1;
        stt_close_row(ra, &clock);
        lsim_series_drain(ra);
    }
    LSIM_CHECK(limits[1] + limits[2] + limits[3] >= 2, "at least two limits should bind in the first K steps");
    LSIM_CHECK(a.launches_total > 0.0 && a.drivers > 3.0, "the first K steps must launch and grow");
    lsim_massdriver fa = comparable(&a), fb = comparable(&b);
    LSIM_CHECK(memcmp(&fa, &fb, sizeof fa) != 0, "after K steps A must differ from a fresh fleet");

    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(lsim_massdriver_state(&a, saver) == LSIM_OK, "save: %s", lsim_last_error());
    lsim_state *loader = stt_round_trip(saver, "state_massdriver.ckpt", K_STEPS);
    LSIM_CHECK(lsim_massdriver_state(&b, loader) == LSIM_OK, "load: %s", lsim_last_error());
    lsim_state_free(loader);
    fa = comparable(&a);
    fb = comparable(&b);
    STT_CHECK_SAME_BYTES(&fa, &fb, sizeof fa, "mass driver right after load");
    stock_b = stock_a;

    int rows_same = 1, results_same = 1;
    for (long k = K_STEPS; k < K_STEPS + N_STEPS; ++k) {
        clock.step = k;
        if (k % 60 == 35) {
            LSIM_CHECK(lsim_massdriver_add_drivers(&a, 0.7, &clock) == LSIM_OK, "add drivers A");
            LSIM_CHECK(lsim_massdriver_add_drivers(&b, 0.7, &clock) == LSIM_OK, "add drivers B");
        }
        lsim_massdriver_step_result r_a, r_b;
        double pa = step(&a, &clock, &stock_a, k, &r_a);
        double pb = step(&b, &clock, &stock_b, k, &r_b);
        results_same &= memcmp(&pa, &pb, sizeof pa) == 0 && same_result(&r_a, &r_b);
        stt_close_row(ra, &clock);
        stt_close_row(rb, &clock);
        rows_same &= stt_same_rows(ra, rb, k);
    }
    LSIM_CHECK(results_same, "every step result after the restart must match bit for bit");
    LSIM_CHECK(rows_same, "every series row after the restart must match bit for bit");
    STT_CHECK_SAME_F64(stock_a, stock_b, "payload stock");
    fa = comparable(&a);
    fb = comparable(&b);
    STT_CHECK_SAME_BYTES(&fa, &fb, sizeof fa, "mass driver after N more steps");

    lsim_massdriver_free(&a);
    lsim_massdriver_free(&b);
    lsim_series_free(ra);
    lsim_series_free(rb);
    lsim_params_free(params);
    remove("state_massdriver.ckpt");
    LSIM_TEST_MAIN_END();
}
