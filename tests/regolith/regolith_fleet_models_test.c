/* regolith.fleet_model: the per-agent and the cohort fleet agree in
 * distribution where both model the same process.
 *
 * Both are run as many independent small fleets (one seed each) at full
 * duty, chain step = wear tick = 1 day, so a unit's operating age is its
 * calendar age until its first failure (the agents age only while digging,
 * the cohorts always). Two settings where that difference cannot matter:
 *
 *  A. constant hazard (MTBF 100 d, memoryless, so neither clock matters),
 *     exponential repair of mean 10 d, no delay, minimal repair, no life
 *     limit, no repair limit: per day a working unit fails with
 *     1 - exp(-dt/MTBF) and a unit in repair returns with 1 - exp(-dt/MTTR)
 *     in both (the agents' ceil(T/dt) days of an exponential repair T is
 *     that geometric law), so the operating counts are the same Markov chain.
 *  B. the default-shaped bathtub (infant, random, wear-out pieces) with
 *     repairs that never end (repair_mean 1e30 s): a unit operating at t has
 *     never failed, so its operating age is t in both; operating units are
 *     Binomial(N, exp(-H(t))) in both.
 *
 * At a few times the operating counts' sample means and variances over R
 * fleets must agree within 4 standard errors of their difference (normal
 * tail 6e-5 per check); in B both are also checked against the binomial. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lsim_test.h"
#include "regolith.h"
#include "regolith_test_util.h"

#define DAY 86400.0
#define REPLICAS 400
#define UNITS 200
#define TIMES 3

typedef struct {
    double mean[TIMES], var[TIMES], var_se[TIMES];
} sample;

static void run_fleets(lsim_params *p, const char *model, const int days[TIMES], sample *out)
{
    regolith_test_set_text(p, "fleet_model", model);
    double counts[REPLICAS][TIMES];
    for (int r = 0; r < REPLICAS; ++r) {
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 1000u + (uint64_t)r);
        lsim_clock c = regolith_test_clock(DAY);
        int next = 0;
        for (int d = 1; d <= days[TIMES - 1]; ++d) {
            lsim_regolith_step(&m, &c, INFINITY, INFINITY, NULL, NULL);
            lsim_series_end_step(s, DAY);
            c.step++;
            if (d == days[next]) counts[r][next++] = (double)m.n_operating;
        }
        lsim_regolith_free(&m);
        lsim_series_free(s);
    }
    for (int j = 0; j < TIMES; ++j) {
        double mean = 0.0;
        for (int r = 0; r < REPLICAS; ++r) mean += counts[r][j];
        mean /= REPLICAS;
        double m2 = 0.0, m4 = 0.0;
        for (int r = 0; r < REPLICAS; ++r) {
            double d = counts[r][j] - mean;
            m2 += d * d;
            m4 += d * d * d * d;
        }
        m2 /= REPLICAS;
        m4 /= REPLICAS;
        out->mean[j] = mean;
        out->var[j] = m2 * REPLICAS / (REPLICAS - 1.0);
        /* standard error of a sample variance: sqrt((mu4 - sigma^4) / R) */
        out->var_se[j] = sqrt(fmax(m4 - m2 * m2, 0.0) / REPLICAS);
    }
}

static void compare(const char *setting, const int days[TIMES], const sample *a, const sample *c,
                    const double *survival)
{
    for (int j = 0; j < TIMES; ++j) {
        double se_mean = sqrt((a->var[j] + c->var[j]) / REPLICAS);
        double se_var = sqrt(a->var_se[j] * a->var_se[j] + c->var_se[j] * c->var_se[j]);
        printf("%s day %d: agents mean %.3f var %.3f | cohorts mean %.3f var %.3f (se of differences %.3f, %.3f)\n",
               setting, days[j], a->mean[j], a->var[j], c->mean[j], c->var[j], se_mean, se_var);
        LSIM_CHECK_CLOSE(c->mean[j], a->mean[j], 0.0, 4.0 * se_mean, "4 standard errors of the difference of means");
        LSIM_CHECK_CLOSE(c->var[j], a->var[j], 0.0, 4.0 * se_var,
                         "4 standard errors of the difference of sample variances");
        if (survival) {
            double s = survival[j], mean = UNITS * s, var = UNITS * s * (1.0 - s);
            for (int k = 0; k < 2; ++k) {
                const sample *x = k ? c : a;
                LSIM_CHECK_CLOSE(x->mean[j], mean, 0.0, 4.0 * sqrt(var / REPLICAS),
                                 "4 standard errors of a mean of R binomials");
                /* sample variance of R binomials: se ~ sqrt(2 var^2 / R) plus the kurtosis term, bounded by 2x */
                LSIM_CHECK_CLOSE(x->var[j], var, 0.0, 4.0 * 2.0 * var * sqrt(2.0 / REPLICAS),
                                 "4 standard errors (doubled for the binomial's kurtosis) of a sample variance");
            }
        }
    }
}

int main(void)
{
    lsim_params *p = regolith_test_params();
    regolith_test_no_failures(p);
    regolith_test_set(p, "initial_excavators", UNITS);
    regolith_test_set(p, "wear_interval", DAY);
    regolith_test_set(p, "cohort_interval", 30.0 * DAY);
    regolith_test_set_text(p, "repair_distribution", "exponential");
    regolith_test_set(p, "repair_age_restoration", 0.0);

    /* A: constant hazard with repair */
    regolith_test_set(p, "random_scale", 100.0 * DAY);
    regolith_test_set(p, "repair_mean", 10.0 * DAY);
    const int days_a[TIMES] = {5, 30, 200};
    sample agents, cohorts;
    run_fleets(p, "agents", days_a, &agents);
    run_fleets(p, "cohorts", days_a, &cohorts);
    compare("A (constant hazard, repair)", days_a, &agents, &cohorts, NULL);

    /* B: bathtub, failed units never come back */
    regolith_test_set(p, "infant_shape", 0.5);
    regolith_test_set(p, "infant_scale", 20.0 * 365.25 * DAY);
    regolith_test_set(p, "random_scale", 2.0 * 365.25 * DAY);
    regolith_test_set(p, "wearout_shape", 3.0);
    regolith_test_set(p, "wearout_scale", 1.5 * 365.25 * DAY);
    regolith_test_set(p, "repair_mean", 1.0e30);
    const int days_b[TIMES] = {30, 180, 540};
    double survival[TIMES];
    for (int j = 0; j < TIMES; ++j) {
        double t = days_b[j] * DAY;
        survival[j] = exp(-(sqrt(t / (20.0 * 365.25 * DAY)) + t / (2.0 * 365.25 * DAY) +
                            pow(t / (1.5 * 365.25 * DAY), 3.0)));
    }
    run_fleets(p, "agents", days_b, &agents);
    run_fleets(p, "cohorts", days_b, &cohorts);
    compare("B (bathtub, no return)", days_b, &agents, &cohorts, survival);

    /* a cohorts fleet checkpointed through the module's face, with growth,
     * resumes bit for bit (exact: the contract is the same bits) */
    {
        regolith_test_set(p, "repair_mean", 5.0 * DAY);
        regolith_test_set(p, "max_life", 2.0 * 365.25 * DAY);
        regolith_test_set_text(p, "fleet_model", "cohorts");
        lsim_series_registry *sa = lsim_series_new(16), *sb = lsim_series_new(16);
        lsim_regolith a, b;
        regolith_test_init(&a, p, sa, 77);
        regolith_test_init(&b, p, sb, 77);
        lsim_clock ca = regolith_test_clock(DAY), cb = regolith_test_clock(DAY);
        for (int d = 0; d < 400; ++d) {
            lsim_regolith_add_excavators(&a, 1.3, &ca);
            lsim_regolith_step(&a, &ca, INFINITY, INFINITY, NULL, NULL);
            lsim_series_end_step(sa, DAY);
            ca.step++;
        }
        lsim_state *saver = lsim_state_new_saver();
        lsim_state_header h;
        memset(&h, 0, sizeof h);
        h.format_version = LSIM_STATE_FORMAT_VERSION;
        lsim_state *loader = NULL;
        int ok = saver && lsim_regolith_state(&a, saver) == LSIM_OK &&
                 lsim_state_write_file(saver, "fleet_models.ckpt", &h) == LSIM_OK &&
                 lsim_state_read_file(&loader, "fleet_models.ckpt", &h) == LSIM_OK &&
                 lsim_regolith_state(&b, loader) == LSIM_OK;
        LSIM_CHECK(ok, "cohorts checkpoint round trip: %s", lsim_last_error());
        lsim_state_free(saver);
        if (loader) lsim_state_free(loader);
        cb.step = ca.step;
        int differ = 0;
        for (int d = 400; d < 800 && ok; ++d) {
            lsim_regolith_add_excavators(&a, 1.3, &ca);
            lsim_regolith_add_excavators(&b, 1.3, &cb);
            lsim_regolith_step(&a, &ca, INFINITY, INFINITY, NULL, NULL);
            lsim_regolith_step(&b, &cb, INFINITY, INFINITY, NULL, NULL);
            lsim_series_end_step(sa, DAY);
            lsim_series_end_step(sb, DAY);
            ca.step++;
            cb.step++;
            differ += a.n_operating != b.n_operating || a.n_under_repair != b.n_under_repair ||
                      a.total_retired != b.total_retired || a.cohorts.count != b.cohorts.count;
        }
        LSIM_CHECK(differ == 0 && a.total_retired > 0 && a.cohorts.count == b.cohorts.count &&
                       memcmp(a.cohorts.in_service, b.cohorts.in_service, a.cohorts.count * sizeof(double)) == 0,
                   "resumed cohorts fleet differs on %d of 400 days", differ);
        lsim_regolith_free(&a);
        lsim_regolith_free(&b);
        lsim_series_free(sa);
        lsim_series_free(sb);
    }

    /* cohorts refuse what they cannot model */
    regolith_test_set(p, "repair_age_restoration", 0.5);
    lsim_series_registry *s = lsim_series_new(16);
    lsim_regolith m;
    LSIM_CHECK(lsim_regolith_init(&m, p, s, 1) == LSIM_ERR_INPUT &&
                   strstr(lsim_last_error(), "repair_age_restoration") != NULL,
               "imperfect repair with cohorts must be refused on one line: '%s'", lsim_last_error());
    lsim_series_free(s);
    lsim_params_free(p);
    LSIM_TEST_MAIN_END();
}
