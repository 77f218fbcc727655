/* Routes are named by the data file, and the refinery's new face.
 *
 * 1. A route added to a copy of the routes file (pointed at by
 *    refinery.routes_file, or by LSIM_DATA_DIR) is usable with no recompile:
 *    the registry takes any word for refinery.route, init finds it in the file.
 * 2. A route the file does not define is refused at init with one line naming
 *    the key, the value, the file's routes and a did-you-mean when close.
 * 3. One reduction, one energy: two routes that differ only in how much of the
 *    liberated oxygen they capture use the same energy per kg of feed (oxygen
 *    carries no charge of its own), and a step's energy is the feed term plus
 *    the reductions plus finishing, computed here from the masses.
 * 4. The step result, the design view and the plant count. */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdir */
#include <errno.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "deck.h"
#include "lsim_test.h"
#include "params.h"
#include "refinery.h"

/* A route the shipped file does not have: MRE's chemistry with a leaner silicon cut. */
static const char *extra_route =
    "mre_lean,extract_Fe,0.90,1,test: a route added as data\n"
    "mre_lean,extract_Si,0.40,1,test\n"
    "mre_lean,energy_reduce_Fe,3.5,kWh/kg,test\n"
    "mre_lean,energy_reduce_Si,22,kWh/kg,test\n"
    "mre_lean,energy_processed,0.4,kWh/kg,test\n"
    "mre_lean,cell_voltage_Si,2.5,V,test\n"
    "mre_lean,throughput,2e-4,kg/s,test\n"
    "mre_lean,plant_mass,400,kg,test\n"
    "mre_lean,plant_lunar_fraction,0.5,1,test\n";

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) exit(2);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The shipped file with `extra` appended, written to `path`. */
static void write_copy(const char *path, const char *extra)
{
    char shipped[1024];
    if (lsim_refinery_routes_path(NULL, shipped, sizeof shipped) != LSIM_OK) {
        fprintf(stderr, "%s\n", lsim_last_error());
        exit(2);
    }
    char *text = read_all(shipped);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fputs(extra, f);
    fclose(f);
    free(text);
}

static lsim_params *make_params(void)
{
    lsim_params *p = lsim_params_new();
    if (lsim_params_register(p, lsim_refinery_param_defs, lsim_refinery_param_count) != LSIM_OK) exit(2);
    return p;
}

static lsim_clock hour(void)
{
    lsim_clock c;
    memset(&c, 0, sizeof c);
    c.dt = 3600.0;
    return c;
}

/* 1 and 2: the file names the routes. */
static void routes_from_the_file(void)
{
    char cwd[900], copy[1024];
    if (!getcwd(cwd, sizeof cwd)) exit(2);
    snprintf(copy, sizeof copy, "%s/routes_with_extra.csv", cwd);
    write_copy(copy, extra_route);

    lsim_params *params = make_params();
    /* The registry holds no list of routes: any word is taken, the file decides at init. */
    LSIM_CHECK(lsim_deck_apply_override(params, "refinery.route=mre_lean") == LSIM_OK, "%s", lsim_last_error());
    lsim_refinery m;
    lsim_status st = lsim_refinery_init(&m, params, NULL, 1);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "refinery.route = 'mre_lean'"),
               "the shipped file has no mre_lean: got %d: %s", (int)st, lsim_last_error());

    LSIM_CHECK(lsim_param_set_text(params, "refinery", "routes_file", copy, "test") == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_refinery_route_validate(params) == LSIM_OK, "validate: %s", lsim_last_error());
    st = lsim_refinery_init(&m, params, NULL, 1);
    LSIM_CHECK(st == LSIM_OK, "a route added to a copy of the file: %s", lsim_last_error());
    if (st == LSIM_OK) {
        const lsim_refinery_design *d = lsim_refinery_design_view(&m);
        LSIM_CHECK(strcmp(d->route, "mre_lean") == 0, "design view names route %s", d->route);
        LSIM_CHECK_CLOSE(d->plant_throughput, 2e-4, 0, 0, "read as given, kg/s is SI: exact");
        LSIM_CHECK_CLOSE(d->plant_mass_lunar, 200.0, 0, 0, "400 kg x 0.5: exact");
        LSIM_CHECK_CLOSE(d->extract[LSIM_EL_SI], 0.40, 0, 0, "read as given: exact");
        /* Energy per kg of the reference feed from the rows above (kWh/kg to J/kg x 3.6e6). */
        const double *w = d->reference_feed;
        double expected = 0.4 * 3.6e6 + w[LSIM_EL_FE] * 0.90 * 3.5 * 3.6e6 + w[LSIM_EL_SI] * 0.40 * 22.0 * 3.6e6;
        LSIM_CHECK_CLOSE(d->energy_per_feed, expected, 1e-14, 0, "same sum, a few roundings");
        lsim_refinery_free(&m);
    }

    /* The same copy found through LSIM_DATA_DIR (the data-path override), with routes_file empty. */
    char dir[1024], sub[1100], file[1200];
    snprintf(dir, sizeof dir, "%s/routes_data_dir", cwd);
    snprintf(sub, sizeof sub, "%s/routes", dir);
    snprintf(file, sizeof file, "%s/refinery_routes.csv", sub);
    if ((mkdir(dir, 0755) != 0 && errno != EEXIST) || (mkdir(sub, 0755) != 0 && errno != EEXIST)) {
        perror(sub);
        exit(2);
    }
    write_copy(file, extra_route);
    LSIM_CHECK(lsim_param_set_text(params, "refinery", "routes_file", "", "test") == LSIM_OK, "%s", lsim_last_error());
    setenv("LSIM_DATA_DIR", dir, 1);
    st = lsim_refinery_init(&m, params, NULL, 1);
    LSIM_CHECK(st == LSIM_OK, "a route added in $LSIM_DATA_DIR/routes: %s", lsim_last_error());
    if (st == LSIM_OK) lsim_refinery_free(&m);
    unsetenv("LSIM_DATA_DIR");

    /* An unknown route: one line with the key, the value, the file, what it offers, a hint. */
    LSIM_CHECK(lsim_param_set_text(params, "refinery", "routes_file", copy, "test") == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "refinery", "route", "carbothermel", "test") == LSIM_OK, "%s",
               lsim_last_error());
    st = lsim_refinery_init(&m, params, NULL, 1);
    const char *msg = lsim_last_error();
    LSIM_CHECK(st == LSIM_ERR_INPUT, "unknown route: status %d", (int)st);
    LSIM_CHECK(strchr(msg, '\n') == NULL, "one line: %s", msg);
    /* Where the value came from leads, as the deck loader's errors do ("test" is the origin given above). */
    LSIM_CHECK(strncmp(msg, "test: refinery.route = 'carbothermel'", 37) == 0 && strstr(msg, copy) &&
                   strstr(msg, "(it offers: mre, carbothermal, anorthite_al, mre_lean)") &&
                   strstr(msg, "; did you mean 'carbothermal'?"),
               "message: %s", msg);
    LSIM_CHECK(lsim_refinery_route_validate(params) == LSIM_ERR_INPUT &&
                   strstr(lsim_last_error(), "did you mean 'carbothermal'?"),
               "validate agrees with init: %s", lsim_last_error());
    /* Nothing close: the list alone. */
    LSIM_CHECK(lsim_param_set_text(params, "refinery", "route", "hydrogen", "test") == LSIM_OK, "%s", lsim_last_error());
    st = lsim_refinery_init(&m, params, NULL, 1);
    msg = lsim_last_error();
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(msg, "'hydrogen'") && strstr(msg, "it offers: mre") &&
                   !strstr(msg, "did you mean") && !strchr(msg, '\n'),
               "no hint for a far word: %s", msg);
    lsim_params_free(params);
    remove(copy);
    remove(file);
    rmdir(sub);
    rmdir(dir);
}

/* 3: the oxygen a reduction frees costs nothing extra. */
static const char *recovery_routes =
    "all_o2,extract_Fe,0.9,1,t\nall_o2,extract_Si,0.5,1,t\nall_o2,reduce_Ti,0.3,1,t\n"
    "all_o2,energy_reduce_Fe,3,kWh/kg,t\nall_o2,energy_reduce_Si,20,kWh/kg,t\nall_o2,energy_reduce_Ti,12,kWh/kg,t\n"
    "all_o2,energy_finish_Fe,1,kWh/kg,t\nall_o2,energy_processed,0.3,kWh/kg,t\nall_o2,oxygen_recovery,1.0,1,t\n"
    "all_o2,throughput,1e-3,kg/s,t\nall_o2,plant_mass,100,kg,t\n"
    "some_o2,extract_Fe,0.9,1,t\nsome_o2,extract_Si,0.5,1,t\nsome_o2,reduce_Ti,0.3,1,t\n"
    "some_o2,energy_reduce_Fe,3,kWh/kg,t\nsome_o2,energy_reduce_Si,20,kWh/kg,t\nsome_o2,energy_reduce_Ti,12,kWh/kg,t\n"
    "some_o2,energy_finish_Fe,1,kWh/kg,t\nsome_o2,energy_processed,0.3,kWh/kg,t\nsome_o2,oxygen_recovery,0.4,1,t\n"
    "some_o2,throughput,1e-3,kg/s,t\nsome_o2,plant_mass,100,kg,t\n";

static void oxygen_costs_nothing_extra(void)
{
    lsim_test_write_file("routes_recovery.csv", recovery_routes);
    const char *names[2] = {"all_o2", "some_o2"};
    lsim_refinery_step_result result[2];
    double feed0[LSIM_EL_COUNT] = {0};
    feed0[LSIM_EL_O] = 1.6; feed0[LSIM_EL_SI] = 0.8; feed0[LSIM_EL_FE] = 0.5; feed0[LSIM_EL_TI] = 0.1;
    feed0[LSIM_EL_AL] = 0.3; feed0[LSIM_EL_CA] = 0.4; feed0[LSIM_EL_OTHER] = 0.3;
    for (int i = 0; i < 2; ++i) {
        lsim_params *params = make_params();
        LSIM_CHECK(lsim_param_set_text(params, "refinery", "routes_file", "routes_recovery.csv", "test") == LSIM_OK &&
                       lsim_param_set_text(params, "refinery", "route", names[i], "test") == LSIM_OK,
                   "%s", lsim_last_error());
        lsim_refinery m;
        lsim_status st = lsim_refinery_init(&m, params, NULL, 1);
        LSIM_CHECK(st == LSIM_OK, "%s: %s", names[i], lsim_last_error());
        lsim_params_free(params);
        if (st != LSIM_OK) return;
        lsim_clock clock = hour();
        double feed[LSIM_EL_COUNT];
        memcpy(feed, feed0, sizeof feed);
        double demand = lsim_refinery_power_demand(&m, &clock, feed);
        lsim_refinery_advance(&m, &clock, 2.0 * demand, feed, NULL, &result[i]);

        /* The step's energy from the masses: feed term + one energy per kg reduced + finishing. */
        const lsim_refinery_step_result *r = &result[i];
        double expected = 0.3 * 3.6e6 * r->feed + 3.0 * 3.6e6 * 0.9 * r->consumed[LSIM_EL_FE] +
                          20.0 * 3.6e6 * 0.5 * r->consumed[LSIM_EL_SI] + 12.0 * 3.6e6 * 0.3 * r->consumed[LSIM_EL_TI] +
                          1.0 * 3.6e6 * r->iron;
        LSIM_CHECK_CLOSE(r->energy, expected, 1e-14, 0, "same sum, a few roundings");
        LSIM_CHECK(r->oxygen > 0.0, "%s made no oxygen", names[i]);
        lsim_refinery_free(&m);
    }
    /* Same feed, same reductions: the energy does not depend on how much O2 is captured (bitwise:
     * no term of the sum involves the recovery); the O2 made scales with it. */
    LSIM_CHECK(result[0].energy == result[1].energy, "energy %.17g vs %.17g: oxygen must carry no charge",
               result[0].energy, result[1].energy);
    LSIM_CHECK_CLOSE(result[1].oxygen, 0.4 * result[0].oxygen, 4 * DBL_EPSILON, 0, "recovery 0.4 vs 1: a few roundings");
}

/* 4: the result, the design view, the count. */
static void result_and_design(void)
{
    lsim_params *params = make_params();
    LSIM_CHECK(lsim_param_set_real(params, "refinery", "plants", 3.0, "test") == LSIM_OK, "%s", lsim_last_error());
    lsim_refinery m;
    LSIM_CHECK(lsim_refinery_init(&m, params, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_params_free(params);
    const lsim_refinery_design *d = lsim_refinery_design_view(&m);
    LSIM_CHECK(strcmp(d->route, "mre") == 0, "default route mre, got %s", d->route);
    LSIM_CHECK_CLOSE(lsim_refinery_plant_count(&m), 3.0, 0, 0, "as set: exact");
    LSIM_CHECK_CLOSE(d->plant_mass_lunar + d->plant_mass_earth, d->plant_mass, 1e-15, 0, "split sums to the plant");
    LSIM_CHECK_CLOSE(d->energy_per_oxygen * d->reference_yield[LSIM_REFINERY_OXYGEN], d->energy_per_feed, 1e-15, 0,
                     "per kg O2 is per kg of feed over the O2 yield: one rounding each way");
    LSIM_CHECK(d->energy_per_oxygen >= 18.0 * 3.6e6 && d->energy_per_oxygen <= 35.0 * 3.6e6,
               "MRE at %g kWh/kg O2, outside 18-35 (docs/REFERENCES.md [SolarisISRU])", d->energy_per_oxygen / 3.6e6);
    for (int e = 0; e < LSIM_EL_COUNT; ++e)
        if (d->reduce[e] > 0.0)
            LSIM_CHECK(d->energy_reduce[e] >= d->reduction_floor[e] && d->reduction_floor[e] > 0.0,
                       "%s: reduction %g J/kg vs floor %g", lsim_element_symbol[e], d->energy_reduce[e],
                       d->reduction_floor[e]);

    lsim_clock clock = hour();
    double capacity = 3.0 * d->plant_throughput * clock.dt;
    struct {
        double feed_over_capacity, power_share;
        lsim_refinery_limit limit;
    } cases[] = {{0.5, 1.5, LSIM_REFINERY_LIMIT_FEED},
                 {2.0, 1.5, LSIM_REFINERY_LIMIT_PLANTS},
                 {2.0, 0.5, LSIM_REFINERY_LIMIT_POWER},
                 {0.0, 1.0, LSIM_REFINERY_LIMIT_FEED}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        double feed[LSIM_EL_COUNT];
        for (int e = 0; e < LSIM_EL_COUNT; ++e) feed[e] = d->reference_feed[e] * capacity * cases[i].feed_over_capacity;
        double demand = lsim_refinery_power_demand(&m, &clock, feed);
        lsim_refinery_products stocks;
        memset(&stocks, 0, sizeof stocks);
        lsim_refinery_step_result r;
        double used = lsim_refinery_advance(&m, &clock, cases[i].power_share * demand, feed, &stocks, &r);
        LSIM_CHECK(used == r.power, "case %zu: the power returned is the result's", i);
        LSIM_CHECK(r.limit == cases[i].limit, "case %zu: limit %d, expected %d", i, (int)r.limit, (int)cases[i].limit);
        const lsim_refinery_step_result *last = lsim_refinery_last_result(&m);
        LSIM_CHECK(r.feed == last->feed && r.power == last->power && r.oxygen == last->oxygen && r.limit == last->limit,
                   "case %zu: the last result is the one returned", i);
        /* The result, the stocks and the older fields agree exactly (the same numbers copied). */
        LSIM_CHECK(r.silicon == stocks.silicon && r.aluminium == stocks.aluminium && r.iron == stocks.iron &&
                       r.titanium == stocks.titanium && r.oxygen == stocks.oxygen,
                   "case %zu: result vs stocks", i);
        LSIM_CHECK(r.silicon == m.last_product[LSIM_REFINERY_SILICON] && r.oxygen == m.last_product[LSIM_REFINERY_OXYGEN] &&
                       r.power == m.last_power && r.earth_supply == m.last_earth_supply &&
                       memcmp(r.consumed, m.last_consumed, sizeof r.consumed) == 0,
                   "case %zu: result vs the older fields", i);
        double out = r.silicon + r.aluminium + r.iron + r.titanium + r.oxygen + r.slag_total;
        LSIM_CHECK_CLOSE(out, r.feed, 8 * DBL_EPSILON, 1e-300, "mass in = products + slag: a few roundings of sums");
        LSIM_CHECK(r.power <= cases[i].power_share * demand, "case %zu: power above the grant", i);
        LSIM_CHECK_CLOSE(r.capacity, capacity, 1e-15, 0, "plants x throughput x dt: one rounding");
    }
    double feed[LSIM_EL_COUNT];
    for (int e = 0; e < LSIM_EL_COUNT; ++e) feed[e] = d->reference_feed[e];
    lsim_refinery_free(&m);

    params = make_params();
    LSIM_CHECK(lsim_param_set_real(params, "refinery", "plants", 0.0, "test") == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_refinery_init(&m, params, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_params_free(params);
    lsim_refinery_step_result r;
    lsim_refinery_advance(&m, &clock, 1e9, feed, NULL, &r);
    LSIM_CHECK(r.limit == LSIM_REFINERY_LIMIT_NONE && r.feed == 0.0 && r.power == 0.0, "no plants: limit %d", (int)r.limit);
    LSIM_CHECK(lsim_refinery_plant_count(&m) == 0.0, "no plants: count 0");
    lsim_refinery_free(&m);
}

int main(void)
{
    routes_from_the_file();
    oxygen_costs_nothing_extra();
    result_and_design();
    LSIM_TEST_MAIN_END();
}
