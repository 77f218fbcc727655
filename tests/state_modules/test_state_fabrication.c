/* Fabrication checkpoint: K steps with scarce, varying silicon, aluminium
 * and slag, varied power grants and radiator duty (so the binding limit
 * changes), lines added between steps; save, file round trip, load into a
 * fresh module, then N identical steps. On steps k = 1 mod 4 the newer face
 * takes a rejection want and fills a result; on k = 3 mod 4 the duty is
 * left as it was, so the restored radiator_duty itself decides what is made.
 * Power, stocks, products, series rows, the last result and the whole
 * struct must match bit for bit. */
#include "fabrication.h"
#include "state_test_util.h"

#define K_STEPS 130
#define N_STEPS 160

typedef struct {
    double silicon, aluminium, slag[LSIM_EL_COUNT];
    lsim_fabrication_products out;
} stocks;

static void supply(stocks *s, const lsim_fabrication *f, double dt, long k)
{
    /* A little above what the lines need, except for stretches where one
     * input runs at a fraction of it until the stock left over runs dry. */
    double area = f->lines * f->panel_line_rate * dt;
    long phase = k % 120;
    double si = phase >= 90 && phase < 110 ? 0.1 : 1.02;
    double al = phase >= 30 && phase < 50 ? 0.1 : 1.02;
    double gl = phase >= 60 && phase < 80 ? 0.1 : 1.02;
    s->silicon += f->silicon_areal_mass * area * si;
    s->aluminium +=
        (f->aluminium_panel_areal_mass * area + f->radiator_areal_mass * f->lines * f->radiator_line_rate * f->radiator_duty * dt) * al;
    double glass = f->glass_areal_mass * area * gl;
    static const double w[LSIM_EL_COUNT] = {0.45, 0.21, 0.08, 0.10, 0.02, 0.05, 0.07, 0.004, 0.016};
    for (int e = 0; e < LSIM_EL_COUNT; ++e) s->slag[e] += w[e] * glass;
}

static double step(lsim_fabrication *f, lsim_clock *clock, stocks *s, long k)
{
    if (k % 4 == 1) {
        /* The newer face: the duty comes from the rejection wanted, the step fills a result. */
        double want = (0.6 + 0.5 * sin(0.07 * (double)k)) * f->lines * f->radiator_line_rate * f->radiator_flux;
        double demand = lsim_fabrication_power_demand_for(f, clock, s->silicon, s->aluminium, s->slag, want);
        lsim_fabrication_step_result r;
        lsim_fabrication_advance(f, clock, k % 8 == 5 ? 0.5 * demand : 1.5 * demand, want, &s->silicon, &s->aluminium,
                                 s->slag, &s->out, &r);
        return r.power;
    }
    if (k % 2 == 0) f->radiator_duty = 0.5 + 0.5 * sin(0.13 * (double)k);
    double demand = lsim_fabrication_power_demand(f, clock, s->silicon, s->aluminium, s->slag);
    double grant = k % 6 == 5 ? 0.5 * demand : 1.5 * demand;
    return lsim_fabrication_step(f, clock, grant, &s->silicon, &s->aluminium, s->slag, &s->out);
}

static lsim_fabrication comparable(const lsim_fabrication *f)
{
    lsim_fabrication c = *f;
    c.series = NULL;
    return c;
}

int main(void)
{
    lsim_params *params = stt_params(lsim_fabrication_param_defs, lsim_fabrication_param_count);
    stt_set(params, "fabrication", "lines", 2.0);
    lsim_series_registry *ra = stt_series(), *rb = stt_series();
    lsim_fabrication a, b;
    LSIM_CHECK(lsim_fabrication_init(&a, params, ra, 3) == LSIM_OK, "init A: %s", lsim_last_error());
    LSIM_CHECK(lsim_fabrication_init(&b, params, rb, 3) == LSIM_OK, "init B: %s", lsim_last_error());

    lsim_clock clock = stt_clock(3600.0);
    stocks sa, sb;
    memset(&sa, 0, sizeof sa);
    int seen[6] = {0};
    for (long k = 0; k < K_STEPS; ++k) {
        clock.step = k;
        if (k % 50 == 20) LSIM_CHECK(lsim_fabrication_add_lines(&a, 0.75, &clock) == LSIM_OK, "add lines");
        supply(&sa, &a, clock.dt, k);
        step(&a, &clock, &sa, k);
        if (a.last_limit >= 0 && a.last_limit < 6) seen[a.last_limit] = 1;
        stt_close_row(ra, &clock);
        lsim_series_drain(ra);
    }
    int kinds = seen[1] + seen[2] + seen[3] + seen[4] + seen[5];
    LSIM_CHECK(kinds >= 4, "the first K steps should meet at least 4 different limits (saw %d: %d%d%d%d%d)", kinds,
               seen[1], seen[2], seen[3], seen[4], seen[5]);
    /* The checkpoint step is odd-numbered next, so B's duty must come from the file. */
    LSIM_CHECK(K_STEPS % 2 == 0 && a.radiator_duty != 1.0, "the duty at the checkpoint must differ from init's 1");
    lsim_fabrication fa = comparable(&a), fb = comparable(&b);
    LSIM_CHECK(memcmp(&fa, &fb, sizeof fa) != 0, "after K steps A must differ from a fresh module");

    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(lsim_fabrication_state(&a, saver) == LSIM_OK, "save: %s", lsim_last_error());
    lsim_state *loader = stt_round_trip(saver, "state_fabrication.ckpt", K_STEPS);
    LSIM_CHECK(lsim_fabrication_state(&b, loader) == LSIM_OK, "load: %s", lsim_last_error());
    lsim_state_free(loader);
    fa = comparable(&a);
    fb = comparable(&b);
    STT_CHECK_SAME_BYTES(&fa, &fb, sizeof fa, "fabrication right after load");
    STT_CHECK_SAME_BYTES(lsim_fabrication_last_result(&a), lsim_fabrication_last_result(&b),
                         sizeof(lsim_fabrication_step_result), "last result right after load");
    sb = sa;

    int rows_same = 1, power_same = 1;
    for (long k = K_STEPS; k < K_STEPS + N_STEPS; ++k) {
        clock.step = k;
        if (k % 50 == 20) {
            LSIM_CHECK(lsim_fabrication_add_lines(&a, 0.5, &clock) == LSIM_OK, "add lines A");
            LSIM_CHECK(lsim_fabrication_add_lines(&b, 0.5, &clock) == LSIM_OK, "add lines B");
        }
        supply(&sa, &a, clock.dt, k);
        supply(&sb, &b, clock.dt, k);
        double pa = step(&a, &clock, &sa, k);
        double pb = step(&b, &clock, &sb, k);
        power_same &= memcmp(&pa, &pb, sizeof pa) == 0;
        stt_close_row(ra, &clock);
        stt_close_row(rb, &clock);
        rows_same &= stt_same_rows(ra, rb, k);
    }
    LSIM_CHECK(power_same, "power used after the restart must match bit for bit");
    LSIM_CHECK(rows_same, "every series row after the restart must match bit for bit");
    STT_CHECK_SAME_BYTES(&sa, &sb, sizeof sa, "stocks and products");
    fa = comparable(&a);
    fb = comparable(&b);
    STT_CHECK_SAME_BYTES(&fa, &fb, sizeof fa, "fabrication after N more steps");

    lsim_fabrication_free(&a);
    lsim_fabrication_free(&b);
    lsim_series_free(ra);
    lsim_series_free(rb);
    lsim_params_free(params);
    remove("state_fabrication.ckpt");
    LSIM_TEST_MAIN_END();
}
