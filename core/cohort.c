/* Fleets as age cohorts (cohort.h): the bathtub hazard, exact binomial
 * variates from the counter-based generator, and the cohort fleet. */
#include "cohort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* --- the bathtub hazard --- */

static double weibull_piece(double shape, double scale, double age)
{
    if (!(scale > 0.0) || age <= 0.0) return 0.0;
    double x = age / scale;
    /* The common shapes skip pow(). */
    if (shape == 1.0) return x;
    if (shape == 2.0) return x * x;
    if (shape == 0.5) return sqrt(x);
    if (shape == 3.0) return x * x * x;
    return pow(x, shape);
}

double lsim_bathtub_cumulative(const lsim_bathtub *hazard, double age)
{
    double h = 0.0;
    for (int k = 0; k < LSIM_HAZARD_PIECES; ++k) h += weibull_piece(hazard->shape[k], hazard->scale[k], age);
    return h;
}

/* H(a1) - H(a0) without the cancellation of subtracting two large H at old
 * ages: per piece (a0/s)^k ((1 + d/a0)^k - 1) with d = a1 - a0, the bracket
 * as expm1(k log1p(d/a0)), so a one-second tick on a ten-year-old unit keeps
 * its full relative precision. */
double lsim_bathtub_increment(const lsim_bathtub *hazard, double age0, double age1)
{
    if (!(age1 > age0)) return 0.0;
    if (age0 <= 0.0) return lsim_bathtub_cumulative(hazard, age1);
    const double growth = log1p((age1 - age0) / age0);
    double dh = 0.0;
    for (int k = 0; k < LSIM_HAZARD_PIECES; ++k) {
        double shape = hazard->shape[k];
        if (!(hazard->scale[k] > 0.0)) continue;
        double h0 = weibull_piece(shape, hazard->scale[k], age0);
        dh += shape == 1.0 ? (age1 - age0) / hazard->scale[k] : h0 * expm1(shape * growth);
    }
    return dh;
}

/* Probability that a unit alive at age0 fails before age1:
 * q = 1 - exp(-(H(a1) - H(a0))), as -expm1 so tiny q keep their digits. */
double lsim_bathtub_failure_probability(const lsim_bathtub *hazard, double age0, double age1)
{
    return -expm1(-lsim_bathtub_increment(hazard, age0, age1));
}

/* --- binomial variates --- */

/* A sequence of uniforms for one variate. Uniform i comes from Philox block
 * i / 2 with the block index in bits 16..31 of the stream word (streams
 * themselves are below 0x10000, rng.h), so every uniform a variate uses is a
 * distinct counter and the variate stays a pure function of its key. */
typedef struct {
    uint64_t seed;
    uint64_t entity;
    uint32_t stream, step;
    uint32_t next;
    lsim_philox_block block;
} uniform_sequence;

static double next_uniform(uniform_sequence *u)
{
    uint32_t i = u->next++;
    if ((i & 1u) == 0) {
        uint32_t block = i >> 1;
        /* Each BTRD round accepts with probability above 1/2 (Hormann 1993,
         * Table 1: 1.05-1.15 rounds on average), so 65536 blocks are never
         * used up by a working generator. */
        LSIM_ASSERT(block < 0x10000u, "binomial variate used up its 65536 Philox blocks");
        u->block = lsim_rng_block(u->seed, u->stream | (block << 16), u->entity, u->step);
        return lsim_rng_u01_from(u->block.v[0], u->block.v[1]);
    }
    return lsim_rng_u01_from(u->block.v[2], u->block.v[3]);
}

/* Inversion by chop-down search from 0 (expected n p + 1 comparisons):
 * f(0) = (1-p)^n, f(k) = f(k-1) (n-k+1)/k p/(1-p). If rounding leaves the
 * uniform above the summed pmf once it underflows, draw again: that is the
 * exact conditional, and happens with probability ~1e-16. */
static double binomial_inversion(double n, double p, uniform_sequence *u)
{
    const double odds = p / (1.0 - p);
    const double scaled = (n + 1.0) * odds;
    const double f0 = exp(n * log1p(-p));
    for (;;) {
        double v = next_uniform(u);
        double f = f0;
        double k = 0.0;
        while (v >= f) {
            v -= f;
            k += 1.0;
            if (k > n) break;
            f *= scaled / k - odds;
            if (f <= 0.0) break;
        }
        if (v < f && k <= n) return k;
    }
}

/* log k! - [(k + 1/2) log(k+1) - (k+1) + log(2 pi)/2]: the Stirling
 * remainder. Exact values for k < 10 (computed to 50 digits), the series
 * 1/(12(k+1)) - 1/(360(k+1)^3) + 1/(1260(k+1)^5) above, whose error is below
 * 1/(1680 (k+1)^7) < 1e-10, far under the 2^-53 resolution of the uniforms'
 * effect on acceptance at k >= 10. */
static double stirling_remainder(double k)
{
    static const double exact[10] = {
        0.08106146679532726, 0.0413406959554093,   0.02767792568499834,  0.020790672103765093,
        0.016644691189821193, 0.013876128823070748, 0.01189670994589177,  0.010411265261972096,
        0.009255462182712733, 0.00833056343336287,
    };
    if (k < 10.0) return exact[(int)k];
    double r = 1.0 / (k + 1.0);
    double r2 = r * r;
    return (1.0 / 12.0 - (1.0 / 360.0 - r2 / 1260.0) * r2) * r;
}

/* BTRD: transformed rejection with decomposition, W. Hormann, "The
 * generation of binomial random variates", J. Stat. Comput. Simul. 46
 * (1993) 101-110, Algorithm BTRD, for n p >= 10 and p <= 1/2. A hat of the
 * form (a / (1/2 - |u|)^2 + b) over u in (-1/2, 1/2) maps to k; the central
 * box (share u_r v_r of the uniforms) is accepted without a test; otherwise
 * the ratio f(k)/f(m) to the mode m is tested by recursion near the mode
 * (|k - m| <= 15), by a normal-approximation squeeze, and last exactly with
 * Stirling's series. */
static double binomial_btrd(double n, double p, uniform_sequence *u)
{
    const double q = 1.0 - p;
    const double npq = n * p * q;
    const double spq = sqrt(npq);
    const double b = 1.15 + 2.53 * spq;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = n * p + 0.5;
    const double alpha = (2.83 + 5.1 / b) * spq;
    const double v_r = 0.92 - 4.2 / b;
    const double box = 0.86 * v_r; /* u_r v_r */
    const double m = floor((n + 1.0) * p);
    const double r = p / q;
    const double nr = (n + 1.0) * r;

    for (;;) {
        double v = next_uniform(u);
        double us, k;
        if (v <= box) {
            /* Step 1: inside the box, accepted outright. */
            double w = v / v_r - 0.43;
            return floor((2.0 * a / (0.5 - fabs(w)) + b) * w + c);
        }
        double w;
        if (v >= v_r) {
            /* Step 2: outside the box's strip, a fresh u. */
            w = next_uniform(u) - 0.5;
        } else {
            /* Step 2: in the strip beside the box, reuse v for u and draw v anew. */
            w = v / v_r - 0.93;
            w = (w < 0.0 ? -0.5 : 0.5) - w;
            v = next_uniform(u) * v_r;
        }
        /* Step 3.0 */
        us = 0.5 - fabs(w);
        k = floor((2.0 * a / us + b) * w + c);
        if (k < 0.0 || k > n) continue;
        v = v * alpha / (a / (us * us) + b);
        const double km = fabs(k - m);
        if (km <= 15.0) {
            /* Step 3.1: f(k)/f(m) by the recursion f(i)/f(i-1) = (n+1) r / i - r. */
            double f = 1.0;
            if (m < k) {
                for (double i = m + 1.0; i <= k; i += 1.0) f *= nr / i - r;
            } else if (m > k) {
                for (double i = k + 1.0; i <= m; i += 1.0) v *= nr / i - r;
            }
            if (v <= f) return k;
            continue;
        }
        /* Step 3.2: squeeze on log(f(k)/f(m)) around -km^2 / (2 n p q). */
        v = log(v);
        const double rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
        const double t = -km * km / (2.0 * npq);
        if (v < t - rho) return k;
        if (v > t + rho) continue;
        /* Steps 3.3-3.4: the exact log ratio with Stirling remainders. */
        const double nm = n - m + 1.0;
        const double h = (m + 0.5) * log((m + 1.0) / (r * nm)) + stirling_remainder(m) + stirling_remainder(n - m);
        const double nk = n - k + 1.0;
        if (v <= h + (n + 1.0) * log(nm / nk) + (k + 0.5) * log(nk * r / (k + 1.0)) - stirling_remainder(k) -
                      stirling_remainder(n - k))
            return k;
    }
}

/* Below this n p the chop-down search is cheaper than BTRD's set-up. */
#define LSIM_BINOMIAL_INVERSION_MAX_MEAN 10.0

double lsim_binomial(double n, double p, uint64_t seed, uint32_t stream, uint64_t entity, uint32_t step)
{
    LSIM_ASSERT(n >= 0.0 && n <= 0x1p53 && n == floor(n), "binomial n = %g is not an integer in [0, 2^53]", n);
    LSIM_ASSERT(p >= 0.0 && p <= 1.0, "binomial p = %g is not in [0, 1]", p);
    LSIM_ASSERT(stream < 0x10000u, "binomial stream 0x%x leaves no room for the draw index", (unsigned)stream);
    if (n == 0.0 || p == 0.0) return 0.0;
    if (p == 1.0) return n;
    uniform_sequence u = {seed, entity, stream, step, 0, {{0, 0, 0, 0}}};
    /* Symmetry: Bin(n, p) = n - Bin(n, 1 - p), so both methods see p <= 1/2
     * (1 - p is exact in binary for p in [1/2, 1]). */
    const int flipped = p > 0.5;
    const double pp = flipped ? 1.0 - p : p;
    const double k = n * pp < LSIM_BINOMIAL_INVERSION_MAX_MEAN ? binomial_inversion(n, pp, &u) : binomial_btrd(n, pp, &u);
    return flipped ? n - k : k;
}

/* --- the fleet --- */

static lsim_status check_nonnegative(const char *what, const char *field, double value, const char *expected)
{
    if (value >= 0.0 && isfinite(value)) return LSIM_OK;
    return lsim_fail(LSIM_ERR_INPUT, "%s: %s = %g, expected %s", what, field, value, expected);
}

static lsim_status check_config(const lsim_cohort_config *c, const char *what)
{
    static const char *const piece_name[LSIM_HAZARD_PIECES] = {"infant", "random", "wearout"};
    char field[64];
    for (int k = 0; k < LSIM_HAZARD_PIECES; ++k) {
        snprintf(field, sizeof field, "hazard %s scale", piece_name[k]);
        lsim_status st = check_nonnegative(what, field, c->hazard.scale[k], "a finite time >= 0 s (0 leaves the piece out)");
        if (st != LSIM_OK) return st;
        if (c->hazard.scale[k] > 0.0 && !(c->hazard.shape[k] > 0.0 && isfinite(c->hazard.shape[k])))
            return lsim_fail(LSIM_ERR_INPUT, "%s: hazard %s shape = %g, expected a finite shape > 0", what, piece_name[k],
                             c->hazard.shape[k]);
    }
    lsim_status st = check_nonnegative(what, "burn_in_time", c->burn_in_time, "a finite time >= 0 s");
    if (st == LSIM_OK && !(c->repair_share >= 0.0 && c->repair_share <= 1.0))
        st = lsim_fail(LSIM_ERR_INPUT, "%s: repair_share = %g, expected a share in [0, 1]", what, c->repair_share);
    if (st == LSIM_OK) st = check_nonnegative(what, "repair_mean_time", c->repair_mean_time, "a finite time >= 0 s");
    if (st == LSIM_OK) st = check_nonnegative(what, "max_life", c->max_life, "a finite time >= 0 s (0: no limit)");
    if (st == LSIM_OK && !(c->cohort_interval > 0.0 && isfinite(c->cohort_interval)))
        st = lsim_fail(LSIM_ERR_INPUT, "%s: cohort_interval = %g s, expected a finite time > 0 s", what,
                       c->cohort_interval);
    if (st == LSIM_OK && !(c->wear_interval > 0.0 && isfinite(c->wear_interval)))
        st = lsim_fail(LSIM_ERR_INPUT, "%s: wear_interval = %g s, expected a finite time > 0 s", what, c->wear_interval);
    if (st == LSIM_OK && c->stream + LSIM_COHORT_STREAMS > 0x10000u)
        st = lsim_fail(LSIM_ERR_INPUT, "%s: stream = 0x%x, expected a stream below 0x%x", what, (unsigned)c->stream,
                       0x10000u - LSIM_COHORT_STREAMS);
    return st;
}

lsim_status lsim_cohort_init(lsim_cohort_fleet *fleet, const lsim_cohort_config *config, const char *what, double now)
{
    memset(fleet, 0, sizeof *fleet);
    lsim_status st = check_config(config, what);
    if (st != LSIM_OK) return st;
    if (!isfinite(now)) return lsim_fail(LSIM_ERR_INPUT, "%s: start time = %g s, expected a finite time", what, now);
    fleet->config = *config;
    fleet->next_tick = now + config->wear_interval;
    return LSIM_OK;
}

lsim_status lsim_cohort_reserve(lsim_cohort_fleet *fleet, size_t needed)
{
    if (needed <= fleet->capacity) return LSIM_OK;
    size_t cap = fleet->capacity ? fleet->capacity : 16;
    while (cap < needed) cap *= 2;
    /* Each realloc keeps the old block on failure, so the fleet stays consistent. */
#define LSIM_COHORT_GROW(field)                                                                        \
    do {                                                                                               \
        void *grown = realloc(fleet->field, cap * sizeof *fleet->field);                               \
        if (!grown) return lsim_fail(LSIM_ERR_RUN, "cohort fleet: out of memory for %zu cohorts", cap); \
        fleet->field = grown;                                                                          \
    } while (0)
    LSIM_COHORT_GROW(build_time);
    LSIM_COHORT_GROW(burn_in);
    LSIM_COHORT_GROW(in_service);
    LSIM_COHORT_GROW(in_repair);
    LSIM_COHORT_GROW(serial);
#undef LSIM_COHORT_GROW
    fleet->capacity = cap;
    return LSIM_OK;
}

/* Where units built at `build` go: the cohort whose first build time is at
 * most one cohort interval before it, else a new cohort in build order.
 *
 * Merged units take the cohort's first build time, so each is older on the
 * hazard's clock than it really is by less than cohort_interval: its
 * cumulative hazard at any age is off by at most H(a + interval) - H(a), and
 * its retirement at max_life is early by less than one interval. */
lsim_status lsim_cohort_add(lsim_cohort_fleet *fleet, double count, double now, double initial_age)
{
    if (!(count >= 0.0 && isfinite(count)))
        return lsim_fail(LSIM_ERR_INPUT, "cohort fleet: units to add = %g, expected a finite count >= 0", count);
    if (!(initial_age >= 0.0 && isfinite(initial_age)))
        return lsim_fail(LSIM_ERR_INPUT, "cohort fleet: initial_age = %g s, expected a finite age >= 0 s", initial_age);
    double total = fleet->pending + count;
    double whole = floor(total);
    if (whole > 0x1p53) return lsim_fail(LSIM_ERR_INPUT, "cohort fleet: %g units to add, expected at most 2^53", whole);
    fleet->pending = total - whole;
    if (whole == 0.0) return LSIM_OK;

    const double build = now - initial_age;
    size_t at = fleet->count;
    while (at > 0 && fleet->build_time[at - 1] > build) --at;
    size_t cohort;
    if (at > 0 && build - fleet->build_time[at - 1] < fleet->config.cohort_interval) {
        cohort = at - 1;
    } else {
        lsim_status st = lsim_cohort_reserve(fleet, fleet->count + 1);
        if (st != LSIM_OK) return st;
        size_t tail = fleet->count - at;
        if (tail) {
            memmove(fleet->build_time + at + 1, fleet->build_time + at, tail * sizeof *fleet->build_time);
            memmove(fleet->burn_in + at + 1, fleet->burn_in + at, tail * sizeof *fleet->burn_in);
            memmove(fleet->in_service + at + 1, fleet->in_service + at, tail * sizeof *fleet->in_service);
            memmove(fleet->in_repair + at + 1, fleet->in_repair + at, tail * sizeof *fleet->in_repair);
            memmove(fleet->serial + at + 1, fleet->serial + at, tail * sizeof *fleet->serial);
        }
        fleet->build_time[at] = build;
        fleet->burn_in[at] = fleet->in_service[at] = fleet->in_repair[at] = 0.0;
        fleet->serial[at] = fleet->next_serial++;
        fleet->count++;
        cohort = at;
    }
    if (fleet->config.burn_in_time > 0.0 && initial_age == 0.0) {
        fleet->burn_in[cohort] += whole;
        fleet->total_burn_in += whole;
    } else {
        fleet->in_service[cohort] += whole;
        fleet->total_in_service += whole;
    }
    fleet->built_total += whole;
    return LSIM_OK;
}

/* Drops cohorts with no units left, keeping the order of the rest (their
 * serials, not their slots, key their draws). */
static void compact(lsim_cohort_fleet *fleet)
{
    size_t kept = 0;
    for (size_t i = 0; i < fleet->count; ++i) {
        if (fleet->burn_in[i] + fleet->in_service[i] + fleet->in_repair[i] == 0.0) continue;
        if (kept != i) {
            fleet->build_time[kept] = fleet->build_time[i];
            fleet->burn_in[kept] = fleet->burn_in[i];
            fleet->in_service[kept] = fleet->in_service[i];
            fleet->in_repair[kept] = fleet->in_repair[i];
            fleet->serial[kept] = fleet->serial[i];
        }
        ++kept;
    }
    fleet->count = kept;
}

/* One wear tick over [t0, t1] for every cohort, in build order (the order
 * the repair allowance is spent in). Per cohort, with ages a0 = t0 - build
 * (at least 0) and a1 = t1 - build, burn-in ends at tau and life at L:
 *  1. burn-in units fail with q(a0, min(a1, tau, L)) and are scrapped; if
 *     a1 >= tau the rest enter service at max(a0, tau);
 *  2. units in service at t0 fail with q(a0, min(a1, L)), entrants with
 *     q(max(a0, tau), min(a1, L)) (drawn under entity ~serial, a range no
 *     serial reaches);
 *  3. units in repair at t0 come back with 1 - exp(-dt / repair_mean_time);
 *  4. of the failures Binomial(failed, repair_share), capped by what the
 *     allowance has left, go to repair (straight back to service when the
 *     repair time is 0), the rest are retired;
 *  5. at a1 >= L every unit left is retired.
 * A unit changes state at most once per tick: a returned unit cannot fail,
 * a failed one cannot return, before the next tick. */
static void wear_tick(lsim_cohort_fleet *fleet, double t0, double t1, double *allowance, lsim_cohort_step_result *out)
{
    const lsim_cohort_config *c = &fleet->config;
    const double tau = c->burn_in_time;
    const double life = c->max_life > 0.0 ? c->max_life : INFINITY;
    const double return_probability = c->repair_mean_time > 0.0 ? -expm1(-(t1 - t0) / c->repair_mean_time) : 1.0;
    LSIM_ASSERT(fleet->tick >= 0 && fleet->tick < ((int64_t)1 << 32), "wear tick %lld outside the RNG step word",
                (long long)fleet->tick);
    const uint32_t step = (uint32_t)fleet->tick;
    const uint64_t seed = c->seed;

    for (size_t i = 0; i < fleet->count; ++i) {
        const double a1 = t1 - fleet->build_time[i];
        if (a1 <= 0.0) continue;
        const double a0 = fmax(t0 - fleet->build_time[i], 0.0);
        const uint64_t serial = fleet->serial[i];
        const double end = fmin(a1, life);

        /* 1. burn-in */
        double entrants = 0.0, entry_age = a0;
        if (fleet->burn_in[i] > 0.0) {
            if (a0 < tau) {
                double q = lsim_bathtub_failure_probability(&c->hazard, a0, fmin(end, tau));
                double scrapped = lsim_binomial(fleet->burn_in[i], q, seed, c->stream + LSIM_COHORT_STREAM_BURN_IN,
                                                serial, step);
                fleet->burn_in[i] -= scrapped;
                fleet->total_burn_in -= scrapped;
                fleet->failed_burn_in_total += scrapped;
                out->failed_burn_in += scrapped;
            }
            if (a1 >= tau) {
                entrants = fleet->burn_in[i];
                entry_age = fmax(a0, tau);
                fleet->burn_in[i] = 0.0;
                fleet->total_burn_in -= entrants;
                out->entered_service += entrants;
            }
        }

        /* 2. failures in service */
        double failed = 0.0;
        if (fleet->in_service[i] > 0.0)
            failed += lsim_binomial(fleet->in_service[i], lsim_bathtub_failure_probability(&c->hazard, a0, end), seed,
                                    c->stream + LSIM_COHORT_STREAM_SERVICE, serial, step);
        if (entrants > 0.0)
            failed += lsim_binomial(entrants, lsim_bathtub_failure_probability(&c->hazard, entry_age, end), seed,
                                    c->stream + LSIM_COHORT_STREAM_SERVICE, ~serial, step);

        /* 3. returns from repair */
        double returned = 0.0;
        if (fleet->in_repair[i] > 0.0)
            returned = lsim_binomial(fleet->in_repair[i], return_probability, seed,
                                     c->stream + LSIM_COHORT_STREAM_REPAIR_RETURN, serial, step);

        /* 4. repair or retire the failures */
        double to_repair = 0.0;
        if (failed > 0.0 && c->repair_share > 0.0) {
            to_repair = lsim_binomial(failed, c->repair_share, seed, c->stream + LSIM_COHORT_STREAM_REPAIR_SHARE,
                                      serial, step);
            to_repair = fmin(to_repair, floor(*allowance));
            *allowance -= to_repair;
        }
        const double retired_failed = failed - to_repair;
        const int instant_repair = !(c->repair_mean_time > 0.0);
        fleet->in_service[i] += entrants - failed + returned + (instant_repair ? to_repair : 0.0);
        fleet->in_repair[i] += (instant_repair ? 0.0 : to_repair) - returned;
        fleet->total_in_service += entrants - failed + returned + (instant_repair ? to_repair : 0.0);
        fleet->total_in_repair += (instant_repair ? 0.0 : to_repair) - returned;
        out->failed_service += failed;
        out->repairs_started += to_repair;
        out->retired_failed += retired_failed;
        out->repaired += returned + (instant_repair ? to_repair : 0.0);
        fleet->failed_service_total += failed;
        fleet->repairs_total += to_repair;
        fleet->retired_total += retired_failed;

        /* 5. end of life */
        if (a1 >= life) {
            double aged = fleet->burn_in[i] + fleet->in_service[i] + fleet->in_repair[i];
            fleet->total_burn_in -= fleet->burn_in[i];
            fleet->total_in_service -= fleet->in_service[i];
            fleet->total_in_repair -= fleet->in_repair[i];
            fleet->burn_in[i] = fleet->in_service[i] = fleet->in_repair[i] = 0.0;
            out->retired_age += aged;
            fleet->retired_total += aged;
        }
    }
    compact(fleet);
}

void lsim_cohort_step(lsim_cohort_fleet *fleet, double now, double repairs_allowed, lsim_cohort_step_result *out)
{
    LSIM_ASSERT(repairs_allowed >= 0.0, "repairs_allowed = %g is not >= 0", repairs_allowed);
    lsim_cohort_step_result sink;
    if (!out) out = &sink;
    memset(out, 0, sizeof *out);
    double allowance = repairs_allowed;
    while (fleet->next_tick <= now) {
        const double t1 = fleet->next_tick;
        wear_tick(fleet, t1 - fleet->config.wear_interval, t1, &allowance, out);
        fleet->tick++;
        fleet->next_tick = t1 + fleet->config.wear_interval;
    }
}

double lsim_cohort_remove(lsim_cohort_fleet *fleet, double count)
{
    double wanted = floor(count);
    if (!(wanted > 0.0)) return 0.0;
    double removed = 0.0;
    for (size_t i = fleet->count; i-- > 0 && removed < wanted;) {
        double take = fmin(fleet->in_service[i], wanted - removed);
        fleet->in_service[i] -= take;
        removed += take;
    }
    fleet->total_in_service -= removed;
    fleet->removed_total += removed;
    compact(fleet);
    return removed;
}

double lsim_cohort_alive(const lsim_cohort_fleet *fleet)
{
    return fleet->total_burn_in + fleet->total_in_service + fleet->total_in_repair;
}

/* A cohort count above this cannot come from a real run: refuse it rather
 * than attempt a huge allocation. */
#define LSIM_COHORT_STATE_MAX ((size_t)1 << 32)

lsim_status lsim_cohort_state(lsim_cohort_fleet *fleet, lsim_state *state, const char *prefix)
{
    char name[160];
#define LSIM_COHORT_NAME(field)                                                                          \
    (LSIM_ASSERT(snprintf(name, sizeof name, "%s.%s", prefix, field) < (int)sizeof name,                 \
                 "cohort state prefix '%s' is too long", prefix),                                        \
     name)
    const int loading = lsim_state_is_loading(state);
    size_t n = fleet->count;
    lsim_status st = lsim_state_size(state, LSIM_COHORT_NAME("count"), &n);
    if (st != LSIM_OK) return st;
    if (loading) {
        if (n > LSIM_COHORT_STATE_MAX)
            return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry '%s' = %zu cohorts is not plausible", name, n);
        st = lsim_cohort_reserve(fleet, n);
        if (st != LSIM_OK) return st;
    }
    /* Arrays are visited with the saved length; count is committed only once all loaded. */
    if (st == LSIM_OK) st = lsim_state_f64(state, LSIM_COHORT_NAME("build_time"), fleet->build_time, n);
    if (st == LSIM_OK) st = lsim_state_f64(state, LSIM_COHORT_NAME("burn_in"), fleet->burn_in, n);
    if (st == LSIM_OK) st = lsim_state_f64(state, LSIM_COHORT_NAME("in_service"), fleet->in_service, n);
    if (st == LSIM_OK) st = lsim_state_f64(state, LSIM_COHORT_NAME("in_repair"), fleet->in_repair, n);
    /* uint64 serials are stored bit for bit in the signed entry of the same width. */
    if (st == LSIM_OK) st = lsim_state_i64(state, LSIM_COHORT_NAME("serial"), (int64_t *)fleet->serial, n);
    if (st != LSIM_OK) return st;

    int64_t next_serial = (int64_t)fleet->next_serial;
    st = lsim_state_i64(state, LSIM_COHORT_NAME("next_serial"), &next_serial, 1);
    if (st == LSIM_OK) st = lsim_state_i64(state, LSIM_COHORT_NAME("tick"), &fleet->tick, 1);
    if (st == LSIM_OK) st = lsim_state_f64(state, LSIM_COHORT_NAME("pending"), &fleet->pending, 1);
    if (st == LSIM_OK) st = lsim_state_f64(state, LSIM_COHORT_NAME("next_tick"), &fleet->next_tick, 1);
    double totals[9] = {fleet->total_burn_in,        fleet->total_in_service,     fleet->total_in_repair,
                        fleet->built_total,          fleet->failed_burn_in_total, fleet->failed_service_total,
                        fleet->retired_total,        fleet->repairs_total,        fleet->removed_total};
    if (st == LSIM_OK) st = lsim_state_f64(state, LSIM_COHORT_NAME("totals"), totals, 9);
    if (st != LSIM_OK) return st;
    if (loading) {
        double sums[3] = {0.0, 0.0, 0.0};
        for (size_t i = 0; i < n; ++i) {
            double units[3] = {fleet->burn_in[i], fleet->in_service[i], fleet->in_repair[i]};
            for (int k = 0; k < 3; ++k) {
                if (!(units[k] >= 0.0 && units[k] == floor(units[k]) && units[k] <= 0x1p53))
                    return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry '%s.%s'[%zu] = %g is not a unit count", prefix,
                                     k == 0 ? "burn_in" : k == 1 ? "in_service" : "in_repair", i, units[k]);
                sums[k] += units[k];
            }
            if (!((uint64_t)next_serial > fleet->serial[i]))
                return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry '%s.serial'[%zu] is not below next_serial", prefix, i);
        }
        if (sums[0] != totals[0] || sums[1] != totals[1] || sums[2] != totals[2])
            return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry '%s.totals' does not match the cohorts' counts", prefix);
        fleet->count = n;
        fleet->next_serial = (uint64_t)next_serial;
        fleet->total_burn_in = totals[0];
        fleet->total_in_service = totals[1];
        fleet->total_in_repair = totals[2];
        fleet->built_total = totals[3];
        fleet->failed_burn_in_total = totals[4];
        fleet->failed_service_total = totals[5];
        fleet->retired_total = totals[6];
        fleet->repairs_total = totals[7];
        fleet->removed_total = totals[8];
    }
#undef LSIM_COHORT_NAME
    return LSIM_OK;
}

void lsim_cohort_free(lsim_cohort_fleet *fleet)
{
    free(fleet->build_time);
    free(fleet->burn_in);
    free(fleet->in_service);
    free(fleet->in_repair);
    free(fleet->serial);
    fleet->build_time = fleet->burn_in = fleet->in_service = fleet->in_repair = NULL;
    fleet->serial = NULL;
    fleet->count = fleet->capacity = 0;
}
