/* Manufacturing: reproduction time is hardware mass over manufacturing rate,
 * the queue's books close exactly, whole units come whole, power limits
 * work in proportion, and a checkpoint continues bitwise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsim_test.h"
#include "manufacturing.h"
#include "state.h"
#include "units.h"

enum { KIND_FACTORY = 4, KIND_DRIVER = 3, KIND_EXCAVATOR = 0 };

typedef struct {
    lsim_manufacturing *m;
    double delivered[8], lunar[8], earth[8];
} sink;

static lsim_status collect(void *ctx, int kind, double count, double lunar, double earth)
{
    sink *s = ctx;
    s->delivered[kind] += count;
    s->lunar[kind] += lunar;
    s->earth[kind] += earth;
    /* Finished factories join the fleet at once, as in the chain. */
    if (kind == KIND_FACTORY && s->m) s->m->units += count;
    return LSIM_OK;
}

static const lsim_manufacturing_design factory_design = {
    .rate_per_unit = 10e3 / LSIM_JULIAN_YEAR, /* 10 t/yr */
    .specific_energy = 10e6,
    .unit_lunar_mass = 6e3,
    .unit_earth_mass = 4e3,
    .lead_time = 90.0 * 86400.0,
};

/* A fleet that spends all its work on copies of itself grows as
 * N0 exp(t r / M): the reproduction (e-folding) time is M / r. */
static void test_reproduction_time(void)
{
    lsim_manufacturing m;
    lsim_manufacturing_init(&m, &factory_design, 5.0);
    sink s = {.m = &m};
    const double dt = 3600.0, mass = 10e3, tau = mass / factory_design.rate_per_unit;
    const long steps = (long)(3.0 * tau / dt);
    for (long k = 0; k < steps; ++k) {
        /* Keep at least a step of factory work queued: never idle. */
        double want = lsim_manufacturing_capacity(&m, dt) * 2.0 - m.queued_mass;
        if (want > 0.0) lsim_manufacturing_order(&m, KIND_FACTORY, want / mass, 6e3, 4e3, 0, 1);
        lsim_manufacturing_step(&m, dt, INFINITY, collect, &s, NULL);
    }
    double t = (double)steps * dt;
    /* Discrete delivery is N(1 + dt/tau) per step: (1 + h)^n against e^(n h)
     * differs by ~ n h^2 / 2 = 1.7e-4 relative over three e-folds. */
    LSIM_CHECK_CLOSE(m.units, 5.0 * exp(t / tau), 1e-3, 0.0, "hourly steps against the continuous exponential");
    lsim_manufacturing_free(&m);
}

/* Materials committed = delivered + still committed, to round-off, through
 * merges, front orders, partial and whole-only deliveries. */
static void test_books_close(void)
{
    lsim_manufacturing m;
    lsim_manufacturing_init(&m, &factory_design, 3.0);
    sink s = {0};
    double lunar_in = 0.0, earth_in = 0.0;
    const double dt = 3600.0;
    for (long k = 0; k < 20000; ++k) {
        double l = 1000.0 + (double)(k % 7) * 13.0, e = 200.0 + (double)(k % 5) * 3.0;
        double n = k % 3 == 1 ? 1.0 : 0.01 * (double)(1 + k % 3); /* whole-only orders are whole */
        lsim_manufacturing_order(&m, (int)(k % 3), n, l, e, k % 3 == 1, k % 11 == 0);
        lunar_in += n * l, earth_in += n * e;
        lsim_manufacturing_step(&m, dt, INFINITY, collect, &s, NULL);
    }
    double lunar_left, earth_left;
    lsim_manufacturing_committed(&m, &lunar_left, &earth_left);
    double lunar_out = s.lunar[0] + s.lunar[1] + s.lunar[2], earth_out = s.earth[0] + s.earth[1] + s.earth[2];
    LSIM_CHECK_CLOSE(lunar_out + lunar_left, lunar_in, 1e-12, 0.0, "sums of 2e4 terms: round-off only");
    LSIM_CHECK_CLOSE(earth_out + earth_left, earth_in, 1e-12, 0.0, "sums of 2e4 terms: round-off only");
    /* Kind 1 is whole-only: what was delivered is a whole number. */
    LSIM_CHECK(s.delivered[1] == floor(s.delivered[1]), "whole-only kind delivered %.17g units", s.delivered[1]);
    lsim_manufacturing_free(&m);
}

/* A 10 kt track at 50 t/yr of capacity: nothing arrives before the last
 * kilogram, then exactly one. Half the power does half the work. */
static void test_whole_units_and_power(void)
{
    lsim_manufacturing m;
    lsim_manufacturing_init(&m, &factory_design, 5.0);
    sink s = {0};
    const double dt = 86400.0;
    lsim_manufacturing_order(&m, KIND_DRIVER, 1.0, 9e3, 1e3, 1, 0);
    double capacity = lsim_manufacturing_capacity(&m, dt);
    double full_power = lsim_manufacturing_power_demand(&m, dt);
    lsim_manufacturing_step_result r;
    lsim_manufacturing_step(&m, dt, 0.5 * full_power, collect, &s, &r);
    LSIM_CHECK_CLOSE(r.mass_made, 0.5 * capacity, 1e-12, 0.0, "work is power over specific energy");
    LSIM_CHECK(s.delivered[KIND_DRIVER] == 0.0, "a part of a driver was delivered");
    long days = 1;
    while (s.delivered[KIND_DRIVER] == 0.0 && days < 100000) {
        lsim_manufacturing_step(&m, dt, INFINITY, collect, &s, NULL);
        ++days;
    }
    /* 10 t at 50 t/yr: 73 days, the first at half power (+1 day). */
    double expected = ceil(10e3 / capacity + 0.5);
    LSIM_CHECK_CLOSE((double)days, expected, 0.0, 1.0, "whole days of work, one day of rounding");
    LSIM_CHECK(s.delivered[KIND_DRIVER] == 1.0, "delivered %.17g drivers, expected 1", s.delivered[KIND_DRIVER]);
    LSIM_CHECK(m.count == 0 && m.queued_mass == 0.0, "queue not empty after the only order finished");
    lsim_manufacturing_free(&m);
}

/* Save mid-way, continue both copies: the same deliveries, bit for bit. */
static void test_checkpoint(void)
{
    lsim_manufacturing a, b;
    lsim_manufacturing_init(&a, &factory_design, 2.0);
    lsim_manufacturing_init(&b, &factory_design, 0.0);
    sink sa = {0}, sb = {0};
    const double dt = 3600.0;
    for (long k = 0; k < 500; ++k) {
        lsim_manufacturing_order(&a, (int)(k % 4), 0.003 * (double)(1 + k % 4), 700.0, 300.0, k % 4 == 3, k % 9 == 0);
        lsim_manufacturing_step(&a, dt, INFINITY, collect, &sa, NULL);
    }
    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(saver && lsim_manufacturing_state(&a, saver) == LSIM_OK, "save failed");
    lsim_state_header header;
    memset(&header, 0, sizeof header);
    snprintf(header.code_version, sizeof header.code_version, "manufacturing-test");
    LSIM_CHECK(lsim_state_write_file(saver, "chain_manufacturing.ckpt", &header) == LSIM_OK, "write failed");
    lsim_state *loader = NULL;
    LSIM_CHECK(lsim_state_read_file(&loader, "chain_manufacturing.ckpt", &header) == LSIM_OK, "read failed");
    LSIM_CHECK(loader && lsim_manufacturing_state(&b, loader) == LSIM_OK, "load failed");
    sa = (sink){0}; /* compare what each copy delivers after the save */
    for (long k = 0; k < 2000; ++k) {
        lsim_manufacturing_step(&a, dt, INFINITY, collect, &sa, NULL);
        lsim_manufacturing_step(&b, dt, INFINITY, collect, &sb, NULL);
    }
    for (int kind = 0; kind < 4; ++kind)
        LSIM_CHECK(sa.lunar[kind] == sb.lunar[kind] && sa.delivered[kind] == sb.delivered[kind] && sa.lunar[kind] > 0.0,
                   "kind %d: deliveries after the round trip differ (%.17g, %.17g)", kind, sa.lunar[kind], sb.lunar[kind]);
    LSIM_CHECK(a.queued_mass == b.queued_mass && a.count == b.count, "queues differ after the round trip");
    lsim_state_free(saver);
    lsim_state_free(loader);
    lsim_manufacturing_free(&a);
    lsim_manufacturing_free(&b);
}

int main(void)
{
    test_reproduction_time();
    test_books_close();
    test_whole_units_and_power();
    test_checkpoint();
    LSIM_TEST_MAIN_END();
}
