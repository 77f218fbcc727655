/* Refinery checkpoint: K steps with a feed buffer that is sometimes above,
 * sometimes below plant capacity, power grants that sometimes bind, and
 * plants added between steps; save, file round trip, load into a fresh
 * refinery, then N identical steps (alternately through the older step and
 * the newer one that fills a result): power used, feed left, products,
 * series rows, the last result and the whole struct must match bit for bit. The chain-owned feed
 * buffer and product stocks are copied across, as the chain's own
 * checkpoint would restore them. */
#include "refinery.h"
#include "state_test_util.h"

#define K_STEPS 120
#define N_STEPS 150

static void add_feed(double feed[LSIM_EL_COUNT], const lsim_refinery *m, double dt, long k)
{
    /* Mare-like mass fractions; the amount swings from 0.2 to 2.2 times capacity. */
    static const double w[LSIM_EL_COUNT] = {0.42, 0.20, 0.07, 0.13, 0.03, 0.05, 0.08, 0.003, 0.017};
    double amount = m->plants * m->route.throughput * dt * (1.2 + sin(0.29 * (double)k));
    if (k % 11 == 4) amount = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) feed[e] += w[e] * amount;
}

static double grant_at(const lsim_refinery *m, const lsim_clock *clock, const double feed[LSIM_EL_COUNT], long k)
{
    double demand = lsim_refinery_power_demand(m, clock, feed);
    return k % 3 == 0 ? 0.6 * demand : (k % 3 == 1 ? demand : 2.0 * demand);
}

/* Odd steps through the newer face (which fills a result), even ones through the older. */
static double step(lsim_refinery *m, const lsim_clock *clock, double grant, double feed[LSIM_EL_COUNT],
                   lsim_refinery_products *products, long k)
{
    if (k % 2 == 0) return lsim_refinery_step(m, clock, grant, feed, products);
    lsim_refinery_step_result r;
    lsim_refinery_advance(m, clock, grant, feed, products, &r);
    return r.power;
}

static lsim_refinery comparable(const lsim_refinery *m)
{
    lsim_refinery c = *m;
    c.series = NULL;
    return c;
}

int main(void)
{
    lsim_params *params = stt_params(lsim_refinery_param_defs, lsim_refinery_param_count);
    lsim_series_registry *ra = stt_series(), *rb = stt_series();
    lsim_refinery a, b;
    LSIM_CHECK(lsim_refinery_init(&a, params, ra, 7) == LSIM_OK, "init A: %s", lsim_last_error());
    LSIM_CHECK(lsim_refinery_init(&b, params, rb, 7) == LSIM_OK, "init B: %s", lsim_last_error());

    lsim_clock clock = stt_clock(3600.0);
    double feed_a[LSIM_EL_COUNT] = {0}, feed_b[LSIM_EL_COUNT];
    lsim_refinery_products prod_a, prod_b;
    memset(&prod_a, 0, sizeof prod_a);
    for (long k = 0; k < K_STEPS; ++k) {
        clock.step = k;
        if (k % 40 == 25) LSIM_CHECK(lsim_refinery_add_plants(&a, 2.5, &clock) == LSIM_OK, "add plants");
        add_feed(feed_a, &a, clock.dt, k);
        step(&a, &clock, grant_at(&a, &clock, feed_a, k), feed_a, &prod_a, k);
        stt_close_row(ra, &clock);
        lsim_series_drain(ra);
    }
    LSIM_CHECK(a.total_energy > 0.0 && a.plants > 10.0, "the first K steps must refine and grow");
    lsim_refinery fa = comparable(&a), fb = comparable(&b);
    LSIM_CHECK(memcmp(&fa, &fb, sizeof fa) != 0, "after K steps A must differ from a fresh refinery");

    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(lsim_refinery_state(&a, saver) == LSIM_OK, "save: %s", lsim_last_error());
    lsim_state *loader = stt_round_trip(saver, "state_refinery.ckpt", K_STEPS);
    LSIM_CHECK(lsim_refinery_state(&b, loader) == LSIM_OK, "load: %s", lsim_last_error());
    lsim_state_free(loader);
    fa = comparable(&a);
    fb = comparable(&b);
    STT_CHECK_SAME_BYTES(&fa, &fb, sizeof fa, "refinery right after load");
    /* The last result (what the chain plans the next step on) is part of the state. */
    LSIM_CHECK(a.last.feed > 0.0 && a.last.limit != LSIM_REFINERY_LIMIT_NONE, "the last step before the checkpoint refined");
    STT_CHECK_SAME_BYTES(lsim_refinery_last_result(&a), lsim_refinery_last_result(&b), sizeof(lsim_refinery_step_result),
                         "last result right after load");
    memcpy(feed_b, feed_a, sizeof feed_b);
    prod_b = prod_a;

    int rows_same = 1, power_same = 1;
    for (long k = K_STEPS; k < K_STEPS + N_STEPS; ++k) {
        clock.step = k;
        if (k % 40 == 25) {
            LSIM_CHECK(lsim_refinery_add_plants(&a, 1.25, &clock) == LSIM_OK, "add plants A");
            LSIM_CHECK(lsim_refinery_add_plants(&b, 1.25, &clock) == LSIM_OK, "add plants B");
        }
        add_feed(feed_a, &a, clock.dt, k);
        add_feed(feed_b, &b, clock.dt, k);
        double pa = step(&a, &clock, grant_at(&a, &clock, feed_a, k), feed_a, &prod_a, k);
        double pb = step(&b, &clock, grant_at(&b, &clock, feed_b, k), feed_b, &prod_b, k);
        power_same &= memcmp(&pa, &pb, sizeof pa) == 0;
        stt_close_row(ra, &clock);
        stt_close_row(rb, &clock);
        rows_same &= stt_same_rows(ra, rb, k);
    }
    LSIM_CHECK(power_same, "power used after the restart must match bit for bit");
    LSIM_CHECK(rows_same, "every series row after the restart must match bit for bit");
    STT_CHECK_SAME_BYTES(feed_a, feed_b, sizeof feed_a, "feed left");
    STT_CHECK_SAME_BYTES(&prod_a, &prod_b, sizeof prod_a, "product stocks");
    fa = comparable(&a);
    fb = comparable(&b);
    STT_CHECK_SAME_BYTES(&fa, &fb, sizeof fa, "refinery after N more steps");

    lsim_refinery_free(&a);
    lsim_refinery_free(&b);
    lsim_series_free(ra);
    lsim_series_free(rb);
    lsim_params_free(params);
    remove("state_refinery.ckpt");
    LSIM_TEST_MAIN_END();
}
