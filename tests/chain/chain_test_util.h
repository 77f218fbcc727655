/* Shared set-up for the chain tests: a registry with every table, overrides
 * applied as deck text (so units are parsed as a user would write them), and
 * a step loop that closes every output interval so the series registry's
 * last values are the values of the step just taken. */
#ifndef LSIM_CHAIN_TEST_UTIL_H
#define LSIM_CHAIN_TEST_UTIL_H

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "lsim_test.h"

#define CHAIN_TEST_YEAR (365.25 * 86400.0)

typedef struct {
    lsim_params *params;
    lsim_series_registry *series;
    lsim_chain chain;
    int ready;
} chain_fixture;

static inline int chain_fixture_open_quiet(chain_fixture *fx, const char *const *overrides);

/* `overrides`: NULL-terminated list of "section.key=value". Returns 0 on
 * success; a fixture that cannot open is a failed check, so a test that
 * returns early on it cannot pass by saying nothing. */
static inline int chain_fixture_open(chain_fixture *fx, const char *const *overrides)
{
    int rc = chain_fixture_open_quiet(fx, overrides);
    ++lsim_test_checks;
    if (rc) ++lsim_test_failures;
    return rc;
}

static inline int chain_fixture_open_quiet(chain_fixture *fx, const char *const *overrides)
{
    memset(fx, 0, sizeof *fx);
    fx->params = lsim_params_new();
    if (!fx->params || lsim_chain_register_params(fx->params) != LSIM_OK) {
        fprintf(stderr, "registering parameters failed: %s\n", lsim_last_error());
        return 1;
    }
    for (size_t i = 0; overrides && overrides[i]; ++i) {
        char section[64], key[96];
        const char *dot = strchr(overrides[i], '.');
        const char *eq = strchr(overrides[i], '=');
        if (!dot || !eq || dot > eq || (size_t)(dot - overrides[i]) >= sizeof section ||
            (size_t)(eq - dot - 1) >= sizeof key) {
            fprintf(stderr, "bad override '%s'\n", overrides[i]);
            return 1;
        }
        memcpy(section, overrides[i], (size_t)(dot - overrides[i]));
        section[dot - overrides[i]] = '\0';
        memcpy(key, dot + 1, (size_t)(eq - dot - 1));
        key[eq - dot - 1] = '\0';
        if (lsim_param_set_text(fx->params, section, key, eq + 1, "test") != LSIM_OK) {
            fprintf(stderr, "override '%s' rejected: %s\n", overrides[i], lsim_last_error());
            return 1;
        }
    }
    /* Small blocks: the loop drains as a writer would, exercising that path too. */
    fx->series = lsim_series_new(64);
    if (!fx->series) return 1;
    if (lsim_chain_init(&fx->chain, fx->params, fx->series) != LSIM_OK) {
        fprintf(stderr, "lsim_chain_init failed: %s\n", lsim_last_error());
        lsim_chain_free(&fx->chain);
        return 1;
    }
    fx->ready = 1;
    return 0;
}

/* One chain step through the one stepping loop (lsim_chain_advance). */
static inline int chain_fixture_step(chain_fixture *fx)
{
    lsim_chain *c = &fx->chain;
    int rows_ready = 0;
    if (lsim_chain_advance(c, &rows_ready) != LSIM_OK) {
        fprintf(stderr, "lsim_chain_advance failed at step %lld: %s\n", (long long)c->clock.step, lsim_last_error());
        return 1;
    }
    if (rows_ready) lsim_series_drain(fx->series);
    return 0;
}

static inline void chain_fixture_close(chain_fixture *fx)
{
    if (fx->ready) lsim_chain_free(&fx->chain);
    if (fx->series) lsim_series_free(fx->series);
    if (fx->params) lsim_params_free(fx->params);
    memset(fx, 0, sizeof *fx);
}

/* Series id by group and name, or -1. */
static inline int chain_series_id(const lsim_series_registry *reg, const char *group, const char *name)
{
    for (size_t i = 0; i < lsim_series_count(reg); ++i) {
        const lsim_series_info *info = lsim_series_info_at(reg, i);
        if (strcmp(info->group, group) == 0 && strcmp(info->name, name) == 0) return (int)i;
    }
    return -1;
}

/* Doubling time from two samples of an exponentially growing quantity (s);
 * INFINITY when it did not grow. */
static inline double chain_doubling_time(double t1, double p1, double t2, double p2)
{
    if (!(p1 > 0.0) || !(p2 > p1)) return INFINITY;
    return (t2 - t1) * log(2.0) / log(p2 / p1);
}

#endif
