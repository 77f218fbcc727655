/* The default chain against the one published growth figure for a
 * self-growing lunar base: Criswell (docs/REFERENCES.md [Criswell1979]) has a
 * base of under 1,000 t, all of it from Earth, grow x20 in 5 years.
 *
 * Like with like. Criswell's x20 is the hardware in place over what Earth
 * supplied. So ours is (everything Earth supplied + lunar-made equipment) /
 * (everything Earth supplied), over the same 5 years. Energy storage is left
 * out: it is tankage that does not make anything. Dividing lunar-built mass
 * by the seed alone, as this test once did, flatters the chain by the Earth
 * resupply (about ten times the seed by year 5).
 *
 * What it shows: the default chain grows far less than x20 on this
 * definition, because every unit it builds carries a 30-70% Earth-made share
 * and its Earth parts arrive at a fixed rate, where Criswell's base makes
 * nearly all of its own hardware. The test checks the comparison is made on
 * that definition (the figure equals the ledgers), that the chain does grow
 * on what Earth gave it (above x1), and that it stays below Criswell's x20,
 * so that a change making it match (or overshoot) the study is noticed and
 * explained rather than passing silently. */
#include "chain_test_util.h"

int main(void)
{
    const char *overrides[] = {"run.duration=5 yr", NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return 1;
    while (fx.chain.clock.step < fx.chain.clock.step_count)
        if (chain_fixture_step(&fx)) return 1;
    lsim_chain_summarise(&fx.chain);
    const lsim_chain_state *s = &fx.chain.s;
    LSIM_CHECK(s->seed_mass > 0.0 && s->seed_mass < 1e6, "the seed is under 1,000 t: %.4g kg", s->seed_mass);
    double like_for_like = (s->earth_mass_total + s->equipment_lunar_total) / s->earth_mass_total;
    double on_seed_alone = (s->seed_mass + s->equipment_lunar_total + s->storage_lunar_total) / s->seed_mass;
    printf("5 years: Earth supplied %.4g t (seed %.4g t); lunar equipment %.4g t, storage %.4g t\n",
           s->earth_mass_total / 1e3, s->seed_mass / 1e3, s->equipment_lunar_total / 1e3, s->storage_lunar_total / 1e3);
    printf("growth on Earth-supplied mass x%.3g (Criswell 1979: x20); on the seed alone, storage counted, x%.3g\n",
           like_for_like, on_seed_alone);
    /* The summary reports the same figure (round-off of one division). */
    LSIM_CHECK_CLOSE(lsim_summary_get(fx.series, "growth_on_earth_mass"), like_for_like, 1e-14, 0.0,
                     "summary growth_on_earth_mass is the like-for-like figure");
    LSIM_CHECK(like_for_like > 1.0, "the chain grows on what Earth supplied: x%.3g", like_for_like);
    LSIM_CHECK(like_for_like < 20.0, "x%.3g reaches Criswell's x20: explain what changed before accepting it",
               like_for_like);
    chain_fixture_close(&fx);
    LSIM_TEST_MAIN_END();
}
