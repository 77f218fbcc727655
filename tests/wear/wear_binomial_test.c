/* lsim_binomial: moments in both regimes (inversion below n p = 10, BTRD
 * above, and the p > 1/2 reflection of each), chi-square goodness of fit
 * against the exact pmf, and bitwise reproducibility of a draw.
 *
 * Statistical checks use fixed seeds, so each either passes or fails for
 * good; the tolerances are argued as if the draws were fresh: 5 standard
 * errors on a moment (two-sided normal tail 6e-7 per check), and a
 * chi-square statistic below df + 6 sqrt(2 df) (the chi-square tail there
 * is below 1e-5 for the dfs used here). A generator off by a fraction of a
 * standard error per draw would be caught: the errors these guard against
 * (a wrong constant in BTRD's hat, a reused uniform) shift the pmf by more
 * than 1% in some bin, which at these sample sizes is dozens of sigmas. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cohort.h"
#include "lsim_test.h"
#include "rng.h"

#define SEED 0x5eed1234abcdULL

static double draw(double n, double p, uint64_t i)
{
    return lsim_binomial(n, p, SEED, LSIM_STREAM_TEST + 3, i, 17);
}

/* Sample mean and variance of `draws` variates against n p and n p q. */
static void check_moments(double n, double p, int draws)
{
    double sum = 0.0, sum_sq = 0.0;
    const double mean = n * p;
    int out_of_range = 0;
    for (int i = 0; i < draws; ++i) {
        double k = draw(n, p, (uint64_t)i);
        if (!(k >= 0.0 && k <= n && k == floor(k))) ++out_of_range;
        double d = k - mean; /* centred on the exact mean so the sums keep their digits at n = 1e12 */
        sum += d;
        sum_sq += d * d;
    }
    const double var = n * p * (1.0 - p);
    const double sample_mean = mean + sum / draws;
    const double sample_var = sum_sq / draws - (sum / draws) * (sum / draws);
    /* fourth central moment of the binomial: 3 var^2 + var (1 - 6 p q) */
    const double mu4 = 3.0 * var * var + var * (1.0 - 6.0 * p * (1.0 - p));
    const double se_mean = sqrt(var / draws);
    const double se_var = sqrt((mu4 - var * var) / draws);
    printf("n=%g p=%g: mean %.6g (exact %.6g, se %.3g)  var %.6g (exact %.6g, se %.3g)\n", n, p, sample_mean, mean,
           se_mean, sample_var, var, se_var);
    LSIM_CHECK(out_of_range == 0, "n=%g p=%g: %d variates not integers in [0, n]", n, p, out_of_range);
    LSIM_CHECK_CLOSE(sample_mean, mean, 0.0, 5.0 * se_mean, "5 standard errors of the sample mean");
    /* plus the squared mean error the divisor-N variance subtracts, at most (5 se_mean)^2 */
    LSIM_CHECK_CLOSE(sample_var, var, 0.0, 5.0 * se_var + 25.0 * var / draws,
                     "5 standard errors of the sample variance + its squared-mean term");
}

static double log_pmf(double n, double p, double k)
{
    return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + k * log(p) + (n - k) * log1p(-p);
}

/* Pearson's chi-square of `draws` variates over the bins k = 0..n, tails
 * pooled until each pooled bin expects at least 5. */
static void check_chi_square(int n, double p, int draws)
{
    double *observed = calloc((size_t)n + 1, sizeof *observed);
    double *expected = calloc((size_t)n + 1, sizeof *expected);
    if (!observed || !expected) exit(2);
    for (int i = 0; i < draws; ++i) observed[(int)draw(n, p, 1000000u + (uint64_t)i)] += 1.0;
    for (int k = 0; k <= n; ++k) expected[k] = draws * exp(log_pmf(n, p, k));
    /* bins closed from k = 0 up once they expect 5; what is left at the top
     * joins the last bin */
    double *bin_obs = calloc((size_t)n + 1, sizeof *bin_obs);
    double *bin_exp = calloc((size_t)n + 1, sizeof *bin_exp);
    if (!bin_obs || !bin_exp) exit(2);
    int bins = 0;
    double pool_obs = 0.0, pool_exp = 0.0;
    for (int k = 0; k <= n; ++k) {
        pool_obs += observed[k];
        pool_exp += expected[k];
        if (pool_exp >= 5.0) {
            bin_obs[bins] = pool_obs;
            bin_exp[bins++] = pool_exp;
            pool_obs = pool_exp = 0.0;
        }
    }
    if (bins > 0) {
        bin_obs[bins - 1] += pool_obs;
        bin_exp[bins - 1] += pool_exp;
    }
    double chi2 = 0.0;
    for (int b = 0; b < bins; ++b) chi2 += (bin_obs[b] - bin_exp[b]) * (bin_obs[b] - bin_exp[b]) / bin_exp[b];
    free(bin_obs);
    free(bin_exp);
    const int df = bins - 1;
    const double limit = df + 6.0 * sqrt(2.0 * df);
    printf("chi-square Bin(%d, %g), %d draws: %.1f on %d df (limit %.1f)\n", n, p, draws, chi2, df, limit);
    LSIM_CHECK(df >= 3, "Bin(%d, %g): only %d degrees of freedom", n, p, df);
    LSIM_CHECK(chi2 < limit, "Bin(%d, %g): chi-square %.1f on %d df is above df + 6 sqrt(2 df) = %.1f", n, p, chi2, df,
               limit);
    free(observed);
    free(expected);
}

int main(void)
{
    /* inversion (n p < 10), direct and reflected */
    check_moments(20, 0.2, 400000);
    check_moments(50, 0.9, 400000);
    check_moments(1.0e7, 3.0e-7, 400000);
    check_moments(1, 0.5, 400000);
    /* BTRD (n p >= 10), direct, reflected, just above the switch, and huge n */
    check_moments(1000, 0.3, 400000);
    check_moments(100, 0.15, 400000);
    check_moments(1.0e7, 0.6, 400000);
    check_moments(1.0e12, 0.5, 400000);
    check_moments(2.0e9, 1.0e-7, 400000);

    /* goodness of fit: BTRD, BTRD near its switch, inversion, reflected inversion */
    check_chi_square(1000, 0.3, 1000000);
    check_chi_square(67, 0.15, 1000000);
    check_chi_square(20, 0.2, 1000000);
    check_chi_square(40, 0.93, 1000000);

    /* edges are exact */
    LSIM_CHECK(draw(0, 0.3, 1) == 0.0, "Bin(0, p) must be 0");
    LSIM_CHECK(draw(123, 0.0, 1) == 0.0, "Bin(n, 0) must be 0");
    LSIM_CHECK(draw(123, 1.0, 1) == 123.0, "Bin(n, 1) must be n");

    /* a draw is a pure function of its key: the same key, the same bits;
     * another entity, step or stream, another variate (over 1000 keys,
     * Bin(1000, 0.3) with sd 14.5 repeats a value with probability ~0.03
     * per pair, so at least 900 of 1000 must differ) */
    int repeat_mismatch = 0, same_entity = 0, same_step = 0, same_stream = 0;
    for (uint64_t i = 0; i < 1000; ++i) {
        double a = lsim_binomial(1000, 0.3, SEED, LSIM_STREAM_TEST, i, 5);
        double b = lsim_binomial(1000, 0.3, SEED, LSIM_STREAM_TEST, i, 5);
        repeat_mismatch += a != b;
        same_entity += a == lsim_binomial(1000, 0.3, SEED, LSIM_STREAM_TEST, i + 1000, 5);
        same_step += a == lsim_binomial(1000, 0.3, SEED, LSIM_STREAM_TEST, i, 6);
        same_stream += a == lsim_binomial(1000, 0.3, SEED, LSIM_STREAM_TEST + 1, i, 5);
    }
    LSIM_CHECK(repeat_mismatch == 0, "%d of 1000 repeated draws differ", repeat_mismatch);
    LSIM_CHECK(same_entity < 100 && same_step < 100 && same_stream < 100,
               "draws under another key repeat too often: entity %d, step %d, stream %d of 1000", same_entity,
               same_step, same_stream);

    /* the hazard increment keeps its digits where H(a1) - H(a0) would not:
     * a 1 s tick at age 10 yr under a wear-out Weibull of shape 3 */
    lsim_bathtub h = {{0.5, 1.0, 3.0}, {5.0e8, 3.0e8, 4.0e8}};
    double a0 = 3.15576e8, dt = 1.0;
    double exact = 0.0;
    for (int k = 0; k < 3; ++k) /* d/da (a/s)^k = k a^(k-1) / s^k, second-order term below 1e-8 relative */
        exact += h.shape[k] * pow(a0 / h.scale[k], h.shape[k]) / a0 * dt;
    LSIM_CHECK_CLOSE(lsim_bathtub_increment(&h, a0, a0 + dt), exact, 1e-8, 0.0,
                     "first-order Taylor term; the second is dt/a0 ~ 3e-9 of it");
    LSIM_CHECK_CLOSE(lsim_bathtub_failure_probability(&h, 0.0, 1.0e8), -expm1(-lsim_bathtub_cumulative(&h, 1.0e8)),
                     1e-15, 0.0, "from age 0 the increment is H itself (rounding only)");
    LSIM_TEST_MAIN_END();
}
