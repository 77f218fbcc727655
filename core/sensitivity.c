/* Sobol' and Morris designs and estimators (see sensitivity.h). */
#include "sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

const char *const lsim_sensitivity_reason_words[LSIM_SENSITIVITY_REASONS] = {"computed", "member_values_not_finite",
                                                                            "output_constant"};

/* Streams of the draws (LSIM_STREAM_SWEEP + k; the LHS uses k = 0, 1). */
enum {
    STREAM_SCRAMBLE_MATRIX = LSIM_STREAM_SWEEP + 0x10,
    STREAM_SCRAMBLE_SHIFT = LSIM_STREAM_SWEEP + 0x11,
    STREAM_BOOTSTRAP = LSIM_STREAM_SWEEP + 0x12,
    STREAM_MORRIS_LEVEL = LSIM_STREAM_SWEEP + 0x13,
    STREAM_MORRIS_ORDER = LSIM_STREAM_SWEEP + 0x14
};

/* Direction numbers of dimensions 2..64 from [JoeKuo2008] (the file
 * new-joe-kuo-6.21201): degree s of the primitive polynomial, its interior
 * coefficients a (x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1, a_1 the highest
 * bit of a) and the initial odd integers m_1..m_s. Dimension 1 is the van
 * der Corput sequence (every m = 1). */
static const struct {
    unsigned degree, coefficients;
    unsigned m[9];
} lsim_joe_kuo[LSIM_SOBOL_MAX_DIM - 1] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},
    {7, 50, {1, 3, 1, 3, 5, 53, 69}},
    {7, 55, {1, 1, 5, 5, 23, 33, 13}},
    {7, 56, {1, 1, 7, 7, 1, 61, 123}},
    {7, 59, {1, 1, 7, 9, 13, 61, 49}},
    {7, 62, {1, 3, 3, 5, 3, 55, 33}},
    {8, 14, {1, 3, 1, 15, 31, 13, 49, 245}},
    {8, 21, {1, 3, 5, 15, 31, 59, 63, 97}},
    {8, 22, {1, 3, 1, 11, 11, 11, 77, 249}},
    {8, 38, {1, 3, 1, 11, 27, 43, 71, 9}},
    {8, 47, {1, 1, 7, 15, 21, 11, 81, 45}},
    {8, 49, {1, 3, 7, 3, 25, 31, 65, 79}},
    {8, 50, {1, 3, 1, 1, 19, 11, 3, 205}},
    {8, 52, {1, 1, 5, 9, 19, 21, 29, 157}},
    {8, 56, {1, 3, 7, 11, 1, 33, 89, 185}},
    {8, 67, {1, 3, 3, 3, 15, 9, 79, 71}},
    {8, 70, {1, 3, 7, 11, 15, 39, 119, 27}},
    {8, 84, {1, 1, 3, 1, 11, 31, 97, 225}},
    {8, 97, {1, 1, 1, 3, 23, 43, 57, 177}},
    {8, 103, {1, 3, 7, 7, 17, 17, 37, 71}},
    {8, 115, {1, 3, 1, 5, 27, 63, 123, 213}},
    {8, 122, {1, 1, 3, 5, 11, 43, 53, 133}},
    {9, 8, {1, 3, 5, 5, 29, 17, 47, 173, 479}},
    {9, 13, {1, 3, 3, 11, 3, 1, 109, 9, 69}},
    {9, 16, {1, 1, 1, 5, 17, 39, 23, 5, 343}},
    {9, 22, {1, 3, 1, 5, 25, 15, 31, 103, 499}},
    {9, 25, {1, 1, 1, 11, 11, 17, 63, 105, 183}},
    {9, 44, {1, 1, 5, 11, 9, 29, 97, 231, 363}},
    {9, 47, {1, 1, 5, 15, 19, 45, 41, 7, 383}},
    {9, 52, {1, 3, 7, 7, 31, 19, 83, 137, 221}},
    {9, 55, {1, 1, 1, 3, 23, 15, 111, 223, 83}},
    {9, 59, {1, 1, 5, 13, 31, 15, 55, 25, 161}},
    {9, 62, {1, 1, 3, 13, 25, 47, 39, 87, 257}},
};

static unsigned lsim_parity32(uint32_t x)
{
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return x & 1u;
}

lsim_status lsim_sobol_init(lsim_sobol *sobol, size_t dim, int scramble, uint64_t seed)
{
    if (dim < 1 || dim > LSIM_SOBOL_MAX_DIM)
        return lsim_fail(LSIM_ERR_INPUT, "a Sobol' sequence of %zu dimensions: this one has 1 to %d", dim,
                         LSIM_SOBOL_MAX_DIM);
    memset(sobol, 0, sizeof *sobol);
    sobol->dim = dim;
    for (size_t k = 0; k < LSIM_SOBOL_BITS; ++k) sobol->direction[0][k] = 1u << (31 - k);
    for (size_t j = 1; j < dim; ++j) {
        /* V_k = m_k 2^(32-k) for k <= s, then the recurrence of Bratley and
         * Fox as written by [JoeKuo2008]:
         * V_k = V_(k-s) ^ (V_(k-s) >> s) ^ sum_(l=1..s-1) a_l V_(k-l). */
        const unsigned s = lsim_joe_kuo[j - 1].degree, a = lsim_joe_kuo[j - 1].coefficients;
        uint32_t *v = sobol->direction[j];
        for (unsigned k = 0; k < s && k < LSIM_SOBOL_BITS; ++k) v[k] = (uint32_t)lsim_joe_kuo[j - 1].m[k] << (31 - k);
        for (unsigned k = s; k < LSIM_SOBOL_BITS; ++k) {
            uint32_t value = v[k - s] ^ (v[k - s] >> s);
            for (unsigned l = 1; l < s; ++l)
                if ((a >> (s - 1 - l)) & 1u) value ^= v[k - l];
            v[k] = value;
        }
    }
    if (!scramble) return LSIM_OK;
    for (size_t j = 0; j < dim; ++j) {
        /* Random linear matrix scramble [Matousek1998]: digit i of a point
         * (i = 0 the most significant) becomes itself plus a random
         * combination of the digits before it, a lower-triangular matrix with
         * a unit diagonal, so nets stay nets. The map is linear over GF(2):
         * applying it to the direction numbers scrambles every point. */
        uint32_t mask[LSIM_SOBOL_BITS];
        mask[0] = 0;
        for (unsigned i = 1; i < LSIM_SOBOL_BITS; ++i)
            mask[i] = lsim_rng_block(seed, STREAM_SCRAMBLE_MATRIX, j, i).v[0] & (0xFFFFFFFFu << (32 - i));
        for (unsigned k = 0; k < LSIM_SOBOL_BITS; ++k) {
            uint32_t v = sobol->direction[j][k], scrambled = 0;
            for (unsigned i = 0; i < LSIM_SOBOL_BITS; ++i) {
                uint32_t bit = ((v >> (31 - i)) & 1u) ^ lsim_parity32(v & mask[i]);
                scrambled |= bit << (31 - i);
            }
            sobol->direction[j][k] = scrambled;
        }
        sobol->shift[j] = lsim_rng_block(seed, STREAM_SCRAMBLE_SHIFT, j, 0).v[0];
    }
    return LSIM_OK;
}

void lsim_sobol_point(const lsim_sobol *sobol, uint64_t index, double *u)
{
    const uint64_t gray = index ^ (index >> 1);
    for (size_t j = 0; j < sobol->dim; ++j) {
        uint32_t x = sobol->shift[j];
        for (unsigned k = 0; k < LSIM_SOBOL_BITS; ++k)
            if ((gray >> k) & 1u) x ^= sobol->direction[j][k];
        u[j] = (double)x * 0x1.0p-32;
    }
}

lsim_status lsim_saltelli_design(size_t n, size_t d, uint64_t seed, double *x)
{
    if (d < 1 || d > LSIM_SOBOL_MAX_INPUTS)
        return lsim_fail(LSIM_ERR_INPUT, "a Sobol' design of %zu inputs: the Saltelli scheme here takes 1 to %d "
                                         "(2 d Sobol' dimensions of %d)", d, LSIM_SOBOL_MAX_INPUTS, LSIM_SOBOL_MAX_DIM);
    if ((uint64_t)n > ((uint64_t)1 << LSIM_SOBOL_BITS))
        return lsim_fail(LSIM_ERR_INPUT, "a Sobol' design of %zu base rows: at most 2^32", n);
    lsim_sobol *sobol = malloc(sizeof *sobol);
    if (!sobol) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    lsim_status st = lsim_sobol_init(sobol, 2 * d, 1, seed);
    double u[LSIM_SOBOL_MAX_DIM];
    for (size_t row = 0; st == LSIM_OK && row < n; ++row) {
        lsim_sobol_point(sobol, row, u);
        const double *a = u, *b = u + d;
        for (size_t which = 0; which < d + 2; ++which) {
            double *point = x + lsim_saltelli_member(row, d, which) * d;
            for (size_t i = 0; i < d; ++i) {
                /* A, B, and A_B^(i): A with column i taken from B. */
                int from_b = which == lsim_saltelli_b(d) || (which >= 1 && which <= d && which - 1 == i);
                point[i] = from_b ? b[i] : a[i];
            }
        }
    }
    free(sobol);
    return st;
}

lsim_status lsim_morris_design(size_t r, size_t d, unsigned levels, uint64_t seed, double *x)
{
    if (levels < 2 || levels % 2 != 0 || levels > 1000)
        return lsim_fail(LSIM_ERR_INPUT, "Morris levels p = %u: expected an even number from 2 to 1000 (the step "
                                         "p / (2 (p - 1)) then pairs the levels evenly)", levels);
    if (d < 1) return lsim_fail(LSIM_ERR_INPUT, "a Morris design needs at least one input");
    size_t *order = malloc(d * sizeof *order);
    unsigned *level = malloc(d * sizeof *level);
    if (!order || !level) {
        free(order);
        free(level);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    const unsigned step = levels / 2; /* in levels: Delta = step / (p - 1) = p / (2 (p - 1)) */
    const double to_unit = 1.0 / (double)(levels - 1);
    for (size_t t = 0; t < r; ++t) {
        for (size_t i = 0; i < d; ++i) {
            double u = lsim_rng_uniform(seed, STREAM_MORRIS_LEVEL, t, (uint32_t)i, 0);
            unsigned l = (unsigned)(u * (double)levels);
            level[i] = l < levels ? l : levels - 1;
            order[i] = i;
        }
        lsim_rng_shuffle(order, d, seed, STREAM_MORRIS_ORDER, t);
        double *point = x + t * (d + 1) * d;
        for (size_t i = 0; i < d; ++i) point[i] = (double)level[i] * to_unit;
        for (size_t k = 1; k <= d; ++k) {
            double *next = point + d;
            memcpy(next, point, d * sizeof *point);
            size_t i = order[k - 1];
            /* Up by the step where the grid allows, else down: with p even
             * the levels pair up (l, l + p/2), each visited equally often. */
            unsigned moved = level[i] + step <= levels - 1 ? level[i] + step : level[i] - step;
            next[i] = (double)moved * to_unit;
            point = next;
        }
    }
    free(order);
    free(level);
    return LSIM_OK;
}

/* ---- bootstrap helpers ---- */

static int lsim_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The two-sided percentile interval of the finite values among
 * samples[k * stride] (k < count), linear between order statistics. NaN if
 * none is finite. `scratch` holds count doubles. */
static void lsim_percentile_interval(const double *samples, size_t count, size_t stride, double confidence,
                                     double *scratch, double *low, double *high)
{
    size_t m = 0;
    for (size_t k = 0; k < count; ++k)
        if (isfinite(samples[k * stride])) scratch[m++] = samples[k * stride];
    if (m == 0) {
        *low = *high = NAN;
        return;
    }
    qsort(scratch, m, sizeof *scratch, lsim_compare_doubles);
    const double tail = 0.5 * (1.0 - confidence);
    const double at[2] = {tail * (double)(m - 1), (1.0 - tail) * (double)(m - 1)};
    double out[2];
    for (int e = 0; e < 2; ++e) {
        size_t below = (size_t)floor(at[e]);
        if (below >= m - 1) {
            out[e] = scratch[m - 1];
            continue;
        }
        double w = at[e] - (double)below;
        out[e] = scratch[below] + w * (scratch[below + 1] - scratch[below]);
    }
    *low = out[0];
    *high = out[1];
}

/* Resample `b`'s row `j`: uniform over the n rows. */
static size_t lsim_bootstrap_row(uint64_t seed, size_t b, size_t j, size_t n)
{
    size_t row = (size_t)(lsim_rng_uniform(seed, STREAM_BOOTSTRAP, b, (uint32_t)j, 0) * (double)n);
    return row < n ? row : n - 1;
}

/* ---- Sobol' indices ---- */

/* One estimate on the rows rows[0..n-1] (NULL: 0..n-1), sums in row order.
 *
 * [Saltelli2010] Table 2: with f centred on the mean of f(A) and f(B),
 *   V_i  = 1/N sum_j f(B)_j (f(A_B^i)_j - f(A)_j)        (first order, b)
 *   VT_i = 1/(2N) sum_j (f(A)_j - f(A_B^i)_j)^2           (total, f: [Jansen1999])
 * and V the variance of f(A) and f(B) together. Saltelli et al. found these
 * two the most efficient of the estimators they compared for the A, B,
 * A_B^(i) design; centring removes the output's mean from the first-order
 * products, whose error otherwise grows with it. */
static void lsim_sobol_core(const double *f_a, const double *f_b, const double *f_ab, size_t n, size_t d,
                            const size_t *rows, double *s1, double *st)
{
    double sum = 0.0;
    for (size_t j = 0; j < n; ++j) {
        size_t r = rows ? rows[j] : j;
        sum += f_a[r];
        sum += f_b[r];
    }
    const double mean = sum / (double)(2 * n);
    double squares = 0.0;
    for (size_t j = 0; j < n; ++j) {
        size_t r = rows ? rows[j] : j;
        double a = f_a[r] - mean, b = f_b[r] - mean;
        squares += a * a;
        squares += b * b;
    }
    const double variance = squares / (double)(2 * n);
    for (size_t i = 0; i < d; ++i) {
        const double *ab = f_ab + i * n;
        double first = 0.0, total = 0.0;
        for (size_t j = 0; j < n; ++j) {
            size_t r = rows ? rows[j] : j;
            double a = f_a[r], b = f_b[r] - mean, c = ab[r];
            first += b * (c - a);
            total += (a - c) * (a - c);
        }
        s1[i] = variance > 0.0 ? first / (double)n / variance : NAN;
        st[i] = variance > 0.0 ? total / (double)(2 * n) / variance : NAN;
    }
}

static void lsim_fill_nan(double *x, size_t n)
{
    for (size_t i = 0; x && i < n; ++i) x[i] = NAN;
}

lsim_status lsim_sobol_estimate(const double *f_a, const double *f_b, const double *f_ab, size_t n, size_t d,
                                const lsim_sensitivity_options *options, lsim_sobol_indices *out,
                                lsim_sensitivity_reason *reason)
{
    double *all[6] = {out->s1, out->s1_low, out->s1_high, out->st, out->st_low, out->st_high};
    for (int k = 0; k < 6; ++k) lsim_fill_nan(all[k], d);
    *reason = LSIM_SENSITIVITY_COMPUTED;
    int finite = n > 0;
    for (size_t j = 0; finite && j < n; ++j) finite = isfinite(f_a[j]) && isfinite(f_b[j]);
    for (size_t k = 0; finite && k < n * d; ++k) finite = isfinite(f_ab[k]);
    if (!finite) {
        *reason = LSIM_SENSITIVITY_NOT_FINITE;
        return LSIM_OK;
    }
    lsim_sobol_core(f_a, f_b, f_ab, n, d, NULL, out->s1, out->st);
    int constant = 1;
    for (size_t j = 0; constant && j < n; ++j) constant = f_a[j] == f_a[0] && f_b[j] == f_a[0];
    if (constant) {
        /* 0 / (a variance of round-off) is no index. */
        lsim_fill_nan(out->s1, d);
        lsim_fill_nan(out->st, d);
        *reason = LSIM_SENSITIVITY_CONSTANT;
        return LSIM_OK;
    }
    const size_t resamples = options ? options->bootstrap : 0;
    if (resamples == 0) return LSIM_OK;
    size_t *rows = malloc(n * sizeof *rows);
    double *s1 = malloc(resamples * d * sizeof *s1), *st = malloc(resamples * d * sizeof *st);
    double *scratch = malloc(resamples * sizeof *scratch);
    if (!rows || !s1 || !st || !scratch) {
        free(rows);
        free(s1);
        free(st);
        free(scratch);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    for (size_t b = 0; b < resamples; ++b) {
        for (size_t j = 0; j < n; ++j) rows[j] = lsim_bootstrap_row(options->seed, b, j, n);
        lsim_sobol_core(f_a, f_b, f_ab, n, d, rows, s1 + b * d, st + b * d);
    }
    for (size_t i = 0; i < d; ++i) {
        lsim_percentile_interval(s1 + i, resamples, d, options->confidence, scratch, &out->s1_low[i], &out->s1_high[i]);
        lsim_percentile_interval(st + i, resamples, d, options->confidence, scratch, &out->st_low[i], &out->st_high[i]);
    }
    free(rows);
    free(s1);
    free(st);
    free(scratch);
    return LSIM_OK;
}

lsim_status lsim_sobol_estimate_members(const double *f, size_t n, size_t d, const lsim_sensitivity_options *options,
                                        lsim_sobol_indices *indices, lsim_sensitivity_reason *reason)
{
    double *f_a = malloc((n ? n : 1) * sizeof *f_a), *f_b = malloc((n ? n : 1) * sizeof *f_b);
    double *f_ab = malloc((n * d > 0 ? n * d : 1) * sizeof *f_ab);
    lsim_status st = LSIM_OK;
    if (!f_a || !f_b || !f_ab) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
    for (size_t j = 0; st == LSIM_OK && j < n; ++j) {
        f_a[j] = f[lsim_saltelli_member(j, d, LSIM_SALTELLI_A)];
        f_b[j] = f[lsim_saltelli_member(j, d, lsim_saltelli_b(d))];
        for (size_t i = 0; i < d; ++i) f_ab[i * n + j] = f[lsim_saltelli_member(j, d, lsim_saltelli_ab(i))];
    }
    if (st == LSIM_OK) st = lsim_sobol_estimate(f_a, f_b, f_ab, n, d, options, indices, reason);
    free(f_a);
    free(f_b);
    free(f_ab);
    return st;
}

/* ---- Morris elementary effects ---- */

/* mu*, mu and sigma of the effects of trajectories trajectories[0..r-1]
 * (NULL: 0..r-1), effects[t * d + i]. */
static void lsim_morris_core(const double *effects, size_t r, size_t d, const size_t *trajectories, double *mu_star,
                             double *mu, double *sigma)
{
    for (size_t i = 0; i < d; ++i) {
        double sum = 0.0, sum_abs = 0.0;
        for (size_t k = 0; k < r; ++k) {
            double e = effects[(trajectories ? trajectories[k] : k) * d + i];
            sum += e;
            sum_abs += fabs(e);
        }
        const double mean = sum / (double)r;
        if (mu) mu[i] = mean;
        mu_star[i] = sum_abs / (double)r;
        if (!sigma) continue;
        double squares = 0.0;
        for (size_t k = 0; k < r; ++k) {
            double e = effects[(trajectories ? trajectories[k] : k) * d + i] - mean;
            squares += e * e;
        }
        sigma[i] = r > 1 ? sqrt(squares / (double)(r - 1)) : NAN;
    }
}

lsim_status lsim_morris_estimate(const double *f, const double *x, size_t r, size_t d,
                                 const lsim_sensitivity_options *options, lsim_morris_indices *out,
                                 lsim_sensitivity_reason *reason)
{
    double *all[5] = {out->mu_star, out->mu, out->sigma, out->mu_star_low, out->mu_star_high};
    for (int k = 0; k < 5; ++k) lsim_fill_nan(all[k], d);
    *reason = LSIM_SENSITIVITY_COMPUTED;
    if (r == 0 || d == 0) return lsim_fail(LSIM_ERR_INPUT, "Morris: no trajectories or no inputs");
    double *effects = malloc(r * d * sizeof *effects);
    unsigned char *seen = malloc(d);
    if (!effects || !seen) {
        free(effects);
        free(seen);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    lsim_status st = LSIM_OK;
    int finite = 1;
    for (size_t t = 0; st == LSIM_OK && t < r; ++t) {
        memset(seen, 0, d);
        for (size_t k = 1; st == LSIM_OK && k <= d; ++k) {
            const double *before = x + (t * (d + 1) + k - 1) * d, *after = before + d;
            size_t moved = d, count = 0;
            for (size_t i = 0; i < d; ++i)
                if (after[i] != before[i]) {
                    moved = i;
                    ++count;
                }
            if (count != 1 || seen[moved]) {
                st = lsim_fail(LSIM_ERR_INPUT, "Morris trajectory %zu, step %zu: %zu inputs move (expected one, "
                                               "each once per trajectory)", t, k, count);
                break;
            }
            seen[moved] = 1;
            double f0 = f[t * (d + 1) + k - 1], f1 = f[t * (d + 1) + k];
            finite = finite && isfinite(f0) && isfinite(f1);
            effects[t * d + moved] = (f1 - f0) / (after[moved] - before[moved]);
        }
    }
    if (st == LSIM_OK && !finite) *reason = LSIM_SENSITIVITY_NOT_FINITE;
    if (st == LSIM_OK && finite) {
        lsim_morris_core(effects, r, d, NULL, out->mu_star, out->mu, out->sigma);
        const size_t resamples = options ? options->bootstrap : 0;
        size_t *rows = resamples ? malloc(r * sizeof *rows) : NULL;
        double *star = resamples ? malloc(resamples * d * sizeof *star) : NULL;
        double *scratch = resamples ? malloc(resamples * sizeof *scratch) : NULL;
        if (resamples && (!rows || !star || !scratch)) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
        for (size_t b = 0; st == LSIM_OK && b < resamples; ++b) {
            for (size_t k = 0; k < r; ++k) rows[k] = lsim_bootstrap_row(options->seed, b, k, r);
            lsim_morris_core(effects, r, d, rows, star + b * d, NULL, NULL);
        }
        for (size_t i = 0; st == LSIM_OK && resamples && i < d; ++i)
            lsim_percentile_interval(star + i, resamples, d, options->confidence, scratch, &out->mu_star_low[i],
                                     &out->mu_star_high[i]);
        free(rows);
        free(star);
        free(scratch);
    }
    free(effects);
    free(seen);
    return st;
}
