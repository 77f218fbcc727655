/* Growth reacts to its levers in the right direction.
 *
 * 1. Fixed growth policy: a larger chain.panel_surface_share keeps more of the
 *    fabricated panels on the surface bus, so after a few years the surface
 *    array is larger and surface power doubles faster.
 * 2. Bottleneck policy: more Earth resupply (parts for new equipment) can only
 *    loosen a constraint, so it must not leave less power installed in orbit.
 *
 * Doubling times are printed: they are the figures a reader of the results
 * compares with the literature's "self-replicating factory" claims. */
#include "chain_test_util.h"

#define GROWTH_YEARS 6

typedef struct {
    double array_power[GROWTH_YEARS + 1];   /* W rated, at each year end (index 0: start) */
    double orbital_power[GROWTH_YEARS + 1]; /* W installed in orbit */
    double launched;                        /* kg */
} growth_history;

static int run_history(const char *const *overrides, int years, growth_history *h)
{
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return 1;
    lsim_chain *c = &fx.chain;
    memset(h, 0, sizeof *h);
    h->array_power[0] = c->power.array_rated_power;
    int64_t steps_per_year = (int64_t)floor(CHAIN_TEST_YEAR / c->clock.dt + 0.5);
    while (c->clock.step < c->clock.step_count) {
        if (chain_fixture_step(&fx)) return 1;
        if (c->clock.step % steps_per_year == 0) {
            int y = (int)(c->clock.step / steps_per_year);
            if (y <= years && y <= GROWTH_YEARS) {
                h->array_power[y] = c->power.array_rated_power;
                h->orbital_power[y] = c->orbit.installed_power;
            }
        }
    }
    h->launched = c->s.launched_total;
    chain_fixture_close(&fx);
    return 0;
}

static void print_history(const char *label, const growth_history *h, int years)
{
    printf("%-34s surface array W:", label);
    for (int y = 0; y <= years; ++y) printf(" %.4g", h->array_power[y]);
    printf("\n%-34s orbital power  W:", "");
    for (int y = 0; y <= years; ++y) printf(" %.4g", h->orbital_power[y]);
    printf("\n");
}

int main(void)
{
    /* --- 1. fixed policy, panel share 0.1 vs 0.4 --- */
    const int fixed_years = 4;
    const double share[2] = {0.1, 0.4};
    growth_history fixed[2];
    double doubling[2];
    for (int i = 0; i < 2; ++i) {
        char share_text[64];
        snprintf(share_text, sizeof share_text, "chain.panel_surface_share=%g", share[i]);
        const char *const overrides[] = {"run.duration=4 yr", "chain.growth_policy=fixed", share_text, NULL};
        if (run_history(overrides, fixed_years, &fixed[i])) return 1;
        char label[64];
        snprintf(label, sizeof label, "fixed, panel_surface_share %.1f", share[i]);
        print_history(label, &fixed[i], fixed_years);
        /* Over the last two years: the seed array's share has faded by then,
         * so the ratio reflects the lunar-made growth. */
        doubling[i] = chain_doubling_time(2.0 * CHAIN_TEST_YEAR, fixed[i].array_power[2], 4.0 * CHAIN_TEST_YEAR,
                                          fixed[i].array_power[4]);
        printf("  surface power doubling time (years 2-4): %.3g yr\n", doubling[i] / CHAIN_TEST_YEAR);
    }
    LSIM_CHECK(fixed[1].array_power[fixed_years] > fixed[0].array_power[fixed_years],
               "surface array after %d yr: share 0.4 gives %.6g W, share 0.1 gives %.6g W", fixed_years,
               fixed[1].array_power[fixed_years], fixed[0].array_power[fixed_years]);
    LSIM_CHECK(fixed[0].array_power[fixed_years] > fixed[0].array_power[0],
               "share 0.1: the surface array did not grow (%.6g W -> %.6g W)", fixed[0].array_power[0],
               fixed[0].array_power[fixed_years]);
    LSIM_CHECK(isfinite(doubling[1]) && doubling[1] < doubling[0],
               "doubling time with share 0.4 (%.4g yr) not shorter than with 0.1 (%.4g yr)", doubling[1] / CHAIN_TEST_YEAR,
               doubling[0] / CHAIN_TEST_YEAR);

    /* --- 2. bottleneck policy, Earth resupply 200 t/yr (default) vs 1000 t/yr --- */
    const int bottleneck_years = GROWTH_YEARS;
    const char *const resupply[2] = {"chain.earth_resupply_rate=200 t/yr", "chain.earth_resupply_rate=1000 t/yr"};
    growth_history rich[2];
    for (int i = 0; i < 2; ++i) {
        /* A driver from the start, so orbital power is not zero in both runs
         * (which would pass the comparison vacuously). */
        const char *const overrides[] = {"run.duration=6 yr", "massdriver.drivers=1", resupply[i], NULL};
        if (run_history(overrides, bottleneck_years, &rich[i])) return 1;
        print_history(resupply[i] + strlen("chain."), &rich[i], bottleneck_years);
        double d = chain_doubling_time(3.0 * CHAIN_TEST_YEAR, rich[i].orbital_power[3], 6.0 * CHAIN_TEST_YEAR,
                                       rich[i].orbital_power[6]);
        double ds = chain_doubling_time(3.0 * CHAIN_TEST_YEAR, rich[i].array_power[3], 6.0 * CHAIN_TEST_YEAR,
                                        rich[i].array_power[6]);
        printf("  orbital power doubling time (years 3-6): %.3g yr; surface power: %.3g yr\n", d / CHAIN_TEST_YEAR,
               ds / CHAIN_TEST_YEAR);
    }
    LSIM_CHECK(rich[0].orbital_power[bottleneck_years] > 0.0, "no orbital power at all with the default resupply");
    /* "Not less", with 1e-12 slack: if resupply does not bind, the two runs
     * may differ only in the last bits of unrelated sums. */
    LSIM_CHECK(rich[1].orbital_power[bottleneck_years] >= rich[0].orbital_power[bottleneck_years] * (1.0 - 1e-12),
               "orbital power after %d yr: resupply 1000 t/yr gives %.6g W, 200 t/yr gives %.6g W", bottleneck_years,
               rich[1].orbital_power[bottleneck_years], rich[0].orbital_power[bottleneck_years]);
    LSIM_TEST_MAIN_END();
}
