/* Polar illumination against array size (power/illumination_curve.h): the
 * shipped curve, the exact integral of a hand-made curve, the property that
 * the lit share never rises as the array grows, the bus following the curve,
 * a checkpoint round trip, and one-line errors for bad curve files. */
#include <float.h>

#include "lsim_test.h"
#include "power_bus.h"
#include "rng.h"
#include "state.h"

#define DAY 86400.0

static lsim_params *make_params(void)
{
    lsim_params *p = lsim_params_new();
    lsim_params_register(p, lsim_run_param_defs, lsim_run_param_count);
    lsim_params_register(p, lsim_power_param_defs, lsim_power_param_count);
    return p;
}

static void set_text(lsim_params *p, const char *key, const char *value)
{
    LSIM_CHECK(lsim_param_set_text(p, "power", key, value, "test") == LSIM_OK, "power.%s = %s: %s", key, value,
               lsim_last_error());
}

/* The shipped curve: read, and a small array gets its peak. */
static void test_shipped_curve(void)
{
    lsim_params *p = make_params();
    lsim_series_registry *reg = lsim_series_new(16);
    lsim_power_bus bus;
    LSIM_CHECK(lsim_power_init(&bus, p, reg) == LSIM_OK, "default deck: %s", lsim_last_error());
    LSIM_CHECK(bus.has_curve && bus.curve.count >= 2, "the default polar site reads the curve");
    const lsim_illumination_curve *c = &bus.curve;
    /* Glaser et al. 2014, 10 m above ground: 95.65%, as the file states it. */
    LSIM_CHECK(c->illumination[0] == 0.9565, "peak of the shipped curve is 0.9565, got %.17g", c->illumination[0]);
    LSIM_CHECK(lsim_illumination_curve_mean(c, 0.0) == c->illumination[0], "no array: exactly the peak");
    /* 1 m2: the curve falls by (f0 - f1)/A1 per m2 over its first segment, so
     * the mean over 1 m2 is half a metre's fall below the peak. */
    double fall_per_m2 = (c->illumination[0] - c->illumination[1]) / c->ground_area[1];
    LSIM_CHECK_CLOSE(lsim_illumination_curve_mean(c, 1.0), c->illumination[0] - 0.5 * fall_per_m2, 1e-15, 0,
                     "linear first segment, round-off only");
    LSIM_CHECK(c->illumination[0] - lsim_illumination_curve_mean(c, 1.0) < 2e-6,
               "a 1 m2 array is within 2e-6 of the best spot");
    /* The seed: 2500 m2 with ground cover 1 is the array's share at t = 0. */
    LSIM_CHECK_CLOSE(bus.light.lit_fraction, lsim_illumination_curve_mean(c, 2500.0), 0, 0, "init follows the curve");
    LSIM_CHECK_CLOSE(lsim_power_mean_illumination(&bus), bus.light.lit_fraction, 1e-12, 0,
                     "the square wave's synodic mean is its lit share (closed form, round-off)");
    lsim_series_free(reg);
    lsim_params_free(p);
}

/* Hand-computed integral of a three-row curve:
 *   (0, 1.0), (100, 0.8), (300, 0.4), then 0.4 beyond.
 *   integral to 50  = 50 (1 + 0.9)/2                 = 47.5   -> mean 0.95
 *   integral to 100 = 100 (1 + 0.8)/2                = 90     -> mean 0.9
 *   integral to 200 = 90 + 100 (0.8 + 0.6)/2         = 160    -> mean 0.8
 *   integral to 300 = 90 + 200 (0.8 + 0.4)/2         = 210    -> mean 0.7
 *   integral to 500 = 210 + 200 * 0.4                = 290    -> mean 0.58
 * Decimal fractions are not exact in binary: a few roundings, so 1e-15 relative. */
static void test_integral(void)
{
    const char *path = lsim_test_write_file("curve_hand.csv", "# hand-made\n"
                                                              "ground_area_m2, illumination, basis\n"
                                                              "0,1.0,top\n"
                                                              "100,0.8,\n"
                                                              "300,0.4,bottom\n");
    lsim_illumination_curve c;
    LSIM_CHECK(lsim_illumination_curve_read(path, &c) == LSIM_OK, "%s", lsim_last_error());
    const double area[] = {50, 100, 200, 300, 500};
    const double mean[] = {0.95, 0.9, 0.8, 0.7, 0.58};
    for (int i = 0; i < 5; ++i)
        LSIM_CHECK_CLOSE(lsim_illumination_curve_mean(&c, area[i]), mean[i], 1e-15, 0, "hand-computed trapezoids");
}

/* The lit share never rises as the array grows: 4000 areas, log-spaced from
 * 1e-3 m2 to 1e10 m2 (past the last row), plus 4000 random ones sorted by
 * construction. Mathematically non-increasing; numerically a rise could only
 * be round-off of one division, so allow 2 ulps (4.4e-16 relative). */
static void test_never_rises(void)
{
    lsim_params *p = make_params();
    lsim_series_registry *reg = lsim_series_new(16);
    lsim_power_bus bus;
    LSIM_CHECK(lsim_power_init(&bus, p, reg) == LSIM_OK, "%s", lsim_last_error());
    const lsim_illumination_curve *c = &bus.curve;
    double last = lsim_illumination_curve_mean(c, 0.0);
    int rises = 0;
    for (int k = 1; k <= 4000; ++k) {
        double area = 1e-3 * pow(10.0, 13.0 * k / 4000.0);
        double now = lsim_illumination_curve_mean(c, area);
        if (now > last * (1.0 + 2.0 * DBL_EPSILON)) ++rises;
        last = now;
    }
    LSIM_CHECK(rises == 0, "log-spaced areas: %d rises", rises);
    /* Beyond the last row the mean tends to the last row's value from above. */
    LSIM_CHECK(last >= c->illumination[c->count - 1] && last - c->illumination[c->count - 1] < 1e-3,
               "1e10 m2 is within 1e-3 of the last row (%.6f)", last);

    /* The bus: panels added in random lots (counter-based draws), the mean read
     * after each addition as the chain reads it. */
    double previous = lsim_power_mean_illumination(&bus);
    rises = 0;
    for (int k = 0; k < 4000; ++k) {
        double lot = 10.0 * pow(10.0, 3.0 * lsim_rng_uniform(11, LSIM_STREAM_TEST, (uint64_t)k, 0, 0));
        lsim_power_add_array_area(&bus, lot * 100.0, lot);
        double now = lsim_power_mean_illumination(&bus);
        if (now > previous * (1.0 + 2.0 * DBL_EPSILON) + 1e-15) ++rises;
        previous = now;
    }
    LSIM_CHECK(rises == 0, "random growth: %d rises", rises);
    /* The square wave's synodic mean is its lit share up to round-off (1e-12). */
    LSIM_CHECK_CLOSE(previous, lsim_illumination_curve_mean(c, bus.array_area * bus.ground_cover), 1e-12, 0,
                     "the bus follows the curve at its total area");
    LSIM_CHECK(bus.array_area > 1e6 && previous < 0.6, "a km2-scale array falls to the curve's tail (%.4f)", previous);
    lsim_series_free(reg);
    lsim_params_free(p);
}

/* Ground cover scales the ground taken; growth by rating alone uses the seed's
 * W/m2; 'none' and the equatorial site keep their fixed patterns. */
static void test_bus_rules(void)
{
    lsim_params *p = make_params();
    set_text(p, "array_ground_cover", "3");
    lsim_series_registry *reg = lsim_series_new(16);
    lsim_power_bus bus;
    LSIM_CHECK(lsim_power_init(&bus, p, reg) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK_CLOSE(bus.light.lit_fraction, lsim_illumination_curve_mean(&bus.curve, 3.0 * 2500.0), 0, 0,
                     "ground = 3 x array area");
    double area0 = bus.array_area;
    lsim_power_add_array(&bus, 2500.0 * 0.298 * 1360.8);
    LSIM_CHECK_CLOSE(bus.array_area, 2.0 * area0, 1e-15, 0, "a seed's worth of rating is a seed's worth of area");
    lsim_power_add_array_area(&bus, 1e6, 0.0);
    LSIM_CHECK_CLOSE(bus.array_area, 2.0 * area0, 0, 0, "rating without area leaves the ground as it is");
    lsim_power_status_view view;
    lsim_power_status(&bus, &view);
    LSIM_CHECK(view.array_area == bus.array_area && view.ground_area == 3.0 * bus.array_area, "status view");
    lsim_series_free(reg);
    lsim_params_free(p);

    /* none: today's fixed lit share at any size. */
    p = make_params();
    set_text(p, "illumination_curve", "none");
    set_text(p, "lit_fraction", "0.7");
    reg = lsim_series_new(16);
    LSIM_CHECK(lsim_power_init(&bus, p, reg) == LSIM_OK, "%s", lsim_last_error());
    lsim_power_add_array_area(&bus, 1e9, 1e7);
    LSIM_CHECK(bus.light.lit_fraction == 0.7 && !bus.has_curve, "none: lit_fraction stays as set");
    lsim_series_free(reg);
    lsim_params_free(p);

    /* The equatorial site has no curve: half the synodic day, whatever the size. */
    p = make_params();
    set_text(p, "site", "equatorial");
    reg = lsim_series_new(16);
    LSIM_CHECK(lsim_power_init(&bus, p, reg) == LSIM_OK, "%s", lsim_last_error());
    lsim_power_add_array_area(&bus, 1e9, 1e7);
    LSIM_CHECK_CLOSE(lsim_power_mean_illumination(&bus), 0.5, 1e-12, 0, "tracking equatorial: 1/2, round-off");
    lsim_series_free(reg);
    lsim_params_free(p);
}

/* Save after growth, load into a fresh bus from the same deck: the lit share
 * and area come back bit for bit, and the next steps agree exactly. */
static void test_checkpoint(void)
{
    lsim_params *p = make_params();
    lsim_series_registry *ra = lsim_series_new(16), *rb = lsim_series_new(16);
    lsim_power_bus a, b;
    LSIM_CHECK(lsim_power_init(&a, p, ra) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_power_init(&b, p, rb) == LSIM_OK, "%s", lsim_last_error());
    lsim_power_add_array_area(&a, 3e7, 1.2e5);
    LSIM_CHECK(a.light.lit_fraction < b.light.lit_fraction, "growth lowered A's lit share");
    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(lsim_power_state(&a, saver) == LSIM_OK, "save: %s", lsim_last_error());
    lsim_state_header header = {.format_version = LSIM_STATE_FORMAT_VERSION, .deck_hash = 1};
    LSIM_CHECK(lsim_state_write_file(saver, "power_illumination.ckpt", &header) == LSIM_OK, "write: %s",
               lsim_last_error());
    lsim_state *loader = NULL;
    LSIM_CHECK(lsim_state_read_file(&loader, "power_illumination.ckpt", &header) == LSIM_OK, "read: %s",
               lsim_last_error());
    LSIM_CHECK(loader && lsim_power_state(&b, loader) == LSIM_OK, "load: %s", lsim_last_error());
    LSIM_CHECK(b.array_area == a.array_area && b.light.lit_fraction == a.light.lit_fraction,
               "area and lit share restored exactly");
    lsim_clock clock;
    LSIM_CHECK(lsim_clock_init(&clock, p) == LSIM_OK, "%s", lsim_last_error());
    int differ = 0;
    for (int64_t step = 0; step < 24 * 40; ++step) {
        clock.step = step;
        differ += lsim_power_step(&a, &clock, 2e6) != lsim_power_step(&b, &clock, 2e6);
        if (step % 97 == 5) {
            lsim_power_add_array_area(&a, 1e5, 400.0);
            lsim_power_add_array_area(&b, 1e5, 400.0);
        }
    }
    LSIM_CHECK(differ == 0 && a.light.lit_fraction == b.light.lit_fraction, "%d steps differ after the round trip",
               differ);
    lsim_state_free(saver);
    lsim_state_free(loader);
    lsim_series_free(ra);
    lsim_series_free(rb);
    lsim_params_free(p);
}

/* Each bad table is one line naming file:line and what is wrong. */
static void test_bad_curves(void)
{
    static const struct {
        const char *text;
        const char *where; /* "file:line" expected in the message */
        const char *what;  /* a word of the reason */
    } cases[] = {
        {"# c\narea,illumination,basis\n0,1,a\n", "bad_curve.csv:2:", "header"},
        {"ground_area_m2,illumination,basis\n0,1,a\n10,x,b\n", "bad_curve.csv:3:", "illumination"},
        {"ground_area_m2,illumination,basis\n0,1,a\n10,1.2,b\n", "bad_curve.csv:3:", "[0, 1]"},
        {"ground_area_m2,illumination,basis\n0,0.8,a\n10,0.9,b\n", "bad_curve.csv:3:", "rises"},
        {"ground_area_m2,illumination,basis\n0,0.9,a\n10,0.8,b\n10,0.7,c\n", "bad_curve.csv:4:", "exceed"},
        {"ground_area_m2,illumination,basis\n5,0.9,a\n10,0.8,b\n", "bad_curve.csv:2:", "starts at 0"},
        {"ground_area_m2,illumination,basis\n0,0.9\n", "bad_curve.csv:2:", "columns"},
        {"ground_area_m2,illumination,basis\n0,0.9,a,b\n", "bad_curve.csv:2:", "columns"},
        {"ground_area_m2,illumination,basis\n0,0.9,a\n", "bad_curve.csv:2:", "at least 2"},
        {"ground_area_m2,illumination,basis\n0,0.9,a\n-3,0.8,b\n", "bad_curve.csv:3:", "ground_area_m2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        const char *path = lsim_test_write_file("bad_curve.csv", cases[i].text);
        lsim_illumination_curve c;
        lsim_status st = lsim_illumination_curve_read(path, &c);
        const char *msg = lsim_last_error();
        LSIM_CHECK(st == LSIM_ERR_INPUT, "case %zu is refused", i);
        LSIM_CHECK(strstr(msg, cases[i].where) && strstr(msg, cases[i].what) && !strchr(msg, '\n'),
                   "case %zu: one line with '%s' and '%s', got '%s'", i, cases[i].where, cases[i].what, msg);
    }
    /* Through the deck: a missing file names the key. */
    lsim_params *p = make_params();
    set_text(p, "illumination_curve", "/nonexistent/curve.csv");
    lsim_series_registry *reg = lsim_series_new(16);
    lsim_power_bus bus;
    LSIM_CHECK(lsim_power_init(&bus, p, reg) == LSIM_ERR_INPUT, "a missing curve is an input error");
    LSIM_CHECK(strstr(lsim_last_error(), "power.illumination_curve") != NULL, "names the key: %s", lsim_last_error());
    lsim_series_free(reg);
    lsim_params_free(p);
}

int main(void)
{
    test_shipped_curve();
    test_integral();
    test_never_rises();
    test_bus_rules();
    test_checkpoint();
    test_bad_curves();
    LSIM_TEST_MAIN_END();
}
