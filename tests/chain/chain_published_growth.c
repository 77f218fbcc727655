/* The default chain against the one published growth figure for a
 * self-growing lunar base: Criswell (NASA SP-428, 1979; REFERENCES.md,
 * Lunar industry studies) has a base under 1,000 t growing x20 in 5 years.
 * The tolerance is a factor of two either way: the claim is an order of
 * magnitude from a different design, and this test guards against a change
 * that silently moves the default chain far from it (e.g. growth that never
 * compounds, or that runs away). */
#include "chain_test_util.h"

int main(void)
{
    const char *overrides[] = {"run.duration=5 yr", NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return 1;
    while (fx.chain.clock.step < fx.chain.clock.step_count)
        if (chain_fixture_step(&fx)) return 1;
    const lsim_chain_state *s = &fx.chain.s;
    LSIM_CHECK(s->seed_mass > 0.0 && s->seed_mass < 1e6, "the seed is under 1,000 t: %.4g kg", s->seed_mass);
    double grown = (s->seed_mass + s->equipment_lunar_total + s->storage_lunar_total) / s->seed_mass;
    printf("seed %.4g t grows x%.3g in 5 years (Criswell 1979: x20)\n", s->seed_mass / 1e3, grown);
    LSIM_CHECK(grown >= 10.0 && grown <= 40.0, "growth x%.3g in 5 years, expected within a factor 2 of x20", grown);
    chain_fixture_close(&fx);
    LSIM_TEST_MAIN_END();
}
