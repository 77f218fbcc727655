/* The chain's policy families (growth, grants) are chosen by deck word from
 * one list: every word the registry accepts resolves to a row with its
 * operations, the parameter's doc carries every variant's doc, and an
 * unknown word is refused by the registry. The grant policies keep their
 * contract on random demands: no stage gets more than it asked for, the
 * grants never exceed what the bus delivered, proportional slows every
 * stage by one fraction, upstream_first serves stages in chain order. */
#include "chain_internal.h"
#include "chain_test_util.h"
#include "rng.h"

static void check_family(lsim_params *params, const char *key, int growth)
{
    long index = lsim_params_find(params, "chain", key);
    LSIM_CHECK(index >= 0, "chain.%s registered", key);
    if (index < 0) return;
    const lsim_param_def *def = lsim_params_def(params, (size_t)index);
    LSIM_CHECK(def->type == LSIM_PARAM_CHOICE, "chain.%s is a choice", key);
    int words = 0;
    for (size_t i = 0;; ++i) {
        char word[64];
        if (lsim_choice_word(def->choices, i, word, sizeof word) != LSIM_OK) break;
        ++words;
        const lsim_variant_head *head = growth ? (const lsim_variant_head *)lsim_growth_policy_find(word)
                                               : (const lsim_variant_head *)lsim_grant_policy_find(word);
        LSIM_CHECK(head != NULL && strcmp(head->name, word) == 0, "chain.%s word '%s' resolves to its row", key, word);
        if (!head) continue;
        LSIM_CHECK(strstr(def->doc, head->doc) != NULL, "chain.%s doc carries '%s''s doc", key, word);
        if (growth) {
            const lsim_growth_policy *g = (const lsim_growth_policy *)head;
            LSIM_CHECK(g->save_for_driver && g->spend && g->surface_share, "growth policy '%s' has every operation", word);
        } else {
            LSIM_CHECK(((const lsim_grant_policy *)head)->grant != NULL, "grant policy '%s' has its operation", word);
        }
    }
    LSIM_CHECK(words >= 2, "chain.%s offers its variants (%d)", key, words);
    LSIM_CHECK(lsim_param_set_text(params, "chain", key, "no_such_policy", "test") == LSIM_ERR_INPUT,
               "an unknown chain.%s word is an input error", key);
    LSIM_CHECK((growth ? (const void *)lsim_growth_policy_find("no_such_policy")
                       : (const void *)lsim_grant_policy_find("no_such_policy")) == NULL,
               "lookup of an unknown word finds nothing");
}

static void check_grants(void)
{
    const lsim_grant_policy *proportional = lsim_grant_policy_find("proportional");
    const lsim_grant_policy *upstream = lsim_grant_policy_find("upstream_first");
    int failures = 0;
    for (uint64_t trial = 0; trial < 20000; ++trial) {
        double demand[LSIM_STAGE_COUNT], total = 0.0;
        for (int i = 0; i < LSIM_STAGE_COUNT; ++i) {
            double u = lsim_rng_uniform(7, LSIM_STREAM_TEST, trial, (uint32_t)i, 0);
            demand[i] = u < 0.1 ? 0.0 : 1e6 * u;
            total += demand[i];
        }
        double available = total * 1.5 * lsim_rng_uniform(7, LSIM_STREAM_TEST + 1, trial, 0, 0);
        double a[LSIM_STAGE_COUNT], b[LSIM_STAGE_COUNT];
        proportional->grant(demand, available, a);
        upstream->grant(demand, available, b);
        double sum_a = 0.0, sum_b = 0.0, left = available;
        for (int i = 0; i < LSIM_STAGE_COUNT; ++i) {
            sum_a += a[i];
            sum_b += b[i];
            /* Proportional: one fraction for all, at most 1 (one rounding each). */
            double fraction = total > 0.0 ? fmin(1.0, available / total) : 0.0;
            if (!(a[i] <= demand[i] && fabs(a[i] - demand[i] * fraction) <= 1e-15 * demand[i])) ++failures;
            /* Upstream first: each stage takes what is left, in chain order. */
            if (!(b[i] == fmin(demand[i], left))) ++failures;
            left -= b[i];
        }
        /* Sums of four grants: a few ulps over `available` at most. */
        if (!(sum_a <= available * (1.0 + 4e-16 * LSIM_STAGE_COUNT) && sum_b <= available * (1.0 + 4e-16 * LSIM_STAGE_COUNT)))
            ++failures;
    }
    LSIM_CHECK(failures == 0, "%d grant contract violations over 20000 random demand sets", failures);
}

int main(void)
{
    lsim_params *params = lsim_params_new();
    if (!params || lsim_chain_register_params(params) != LSIM_OK) return 1;
    check_family(params, "growth_policy", 1);
    check_family(params, "power_allocation", 0);
    lsim_params_free(params);
    check_grants();
    LSIM_TEST_MAIN_END();
}
