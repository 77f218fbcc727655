/* The vectorised agents' wear kernel gives the bits the per-agent loop gave.
 *
 * 1. The block generators of core/rng.h (lsim_rng_uniform_range for
 *    consecutive entities, lsim_rng_uniform_entities for a list) equal
 *    lsim_rng_uniform bit for bit over many (seed, stream, entity, step,
 *    which), block lengths that are not multiples of any vector width
 *    included, built for the baseline instruction set and for AVX2.
 * 2. The fleet, stepped by lsim_regolith_advance, equals after every step an
 *    oracle that is the per-agent loop the kernel replaced (kept below as it
 *    was), on decks that take every branch: each hazard shape kind, both
 *    repair laws, delays, imperfect repair, both retirements, growth, steps
 *    with no power. Run with the portable and the AVX2 pass and on 1 and 2
 *    threads, so all four agree with the oracle and with each other.
 * Every comparison is bitwise (memcmp): the kernel does the same IEEE
 * operations in the same order, so any difference is a bug, not rounding. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lsim_test.h"
#include "regolith.h"
#include "regolith_internal.h"
#include "regolith_test_util.h"
#include "rng.h"
#if defined(_OPENMP)
#include <omp.h>
#endif

/* --- 1. the block generators --- */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

typedef void range_fn(uint64_t seed, uint32_t stream, uint64_t first, size_t count, uint32_t step, int which,
                      double *out);
typedef void entities_fn(uint64_t seed, uint32_t stream, const uint64_t *entity, size_t count, uint32_t step, int which,
                         double *out);

static void range_baseline(uint64_t seed, uint32_t stream, uint64_t first, size_t count, uint32_t step, int which,
                           double *out)
{
    lsim_rng_uniform_range(seed, stream, first, count, step, which, out);
}

static void entities_baseline(uint64_t seed, uint32_t stream, const uint64_t *entity, size_t count, uint32_t step,
                              int which, double *out)
{
    lsim_rng_uniform_entities(seed, stream, entity, count, step, which, out);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_BUILD 1
/* The same inline generators compiled for AVX2 (wider vectors, other code). */
__attribute__((target("avx2"))) static void range_avx2(uint64_t seed, uint32_t stream, uint64_t first, size_t count,
                                                       uint32_t step, int which, double *out)
{
    lsim_rng_uniform_range(seed, stream, first, count, step, which, out);
}

__attribute__((target("avx2"))) static void entities_avx2(uint64_t seed, uint32_t stream, const uint64_t *entity,
                                                          size_t count, uint32_t step, int which, double *out)
{
    lsim_rng_uniform_entities(seed, stream, entity, count, step, which, out);
}
#endif

#define MAX_BLOCK 1100
static const size_t block_lengths[] = {0,  1,  2,  3,  4,  5,  6,  7,  8,   9,   11,
                                       13, 15, 16, 17, 31, 33, 63, 65, 255, 257, 1023};
#define SENTINEL (-12345.0)

/* Compares one block against lsim_rng_uniform; returns the lanes that differ
 * (the sentinel past the end counts as a lane: a block must not write past count). */
static long check_block(range_fn *range, entities_fn *entities, uint64_t seed, uint32_t stream, uint64_t first,
                        const uint64_t *ids, size_t count, uint32_t step, int which)
{
    static double out[MAX_BLOCK + 1];
    long wrong = 0;
    for (int form = 0; form < 2; ++form) {
        out[count] = SENTINEL;
        if (form == 0)
            range(seed, stream, first, count, step, which, out);
        else
            entities(seed, stream, ids, count, step, which, out);
        for (size_t j = 0; j < count; ++j) {
            uint64_t entity = form == 0 ? first + j : ids[j];
            double expected = lsim_rng_uniform(seed, stream, entity, step, which);
            if (memcmp(&expected, &out[j], sizeof expected) != 0) ++wrong;
        }
        if (out[count] != SENTINEL) ++wrong;
    }
    return wrong;
}

static void test_generators(const char *build, range_fn *range, entities_fn *entities)
{
    static const uint64_t seeds[] = {
        0, 1, 42, 0xFFFFFFFFull, 0x100000000ull, 0xFFFFFFFFFFFFFFFFull, 0x0123456789ABCDEFull};
    static const uint32_t streams[] = {0, LSIM_STREAM_REGOLITH_FAILURE, 0x7FFFFFFFu, 0xFFFFFFFFu};
    static const uint32_t steps[] = {0, 1, 262979, 0xFFFFFFFFu};
    /* consecutive ids crossing the high word (2^32) and wrapping at 2^64, as uint64_t does */
    static const uint64_t firsts[] = {0, 1000, 0xFFFFFFFFull - 5, 0xFFFFFFFFFFFFFFFFull - 9};
    static uint64_t ids[MAX_BLOCK];
    uint64_t rng = 0x5EED;
    long wrong = 0, lanes = 0;
    size_t nlen = sizeof block_lengths / sizeof block_lengths[0];
    for (size_t a = 0; a < sizeof seeds / sizeof seeds[0]; ++a)
        for (size_t b = 0; b < sizeof streams / sizeof streams[0]; ++b)
            for (size_t c = 0; c < sizeof steps / sizeof steps[0]; ++c)
                for (size_t d = 0; d < sizeof firsts / sizeof firsts[0]; ++d)
                    for (int which = 0; which < 2; ++which) {
                        size_t count = block_lengths[(a + b + c + d + (size_t)which) % nlen];
                        /* a fleet's ids after retirements: increasing with gaps, some above 2^32 */
                        uint64_t id = splitmix64(&rng) >> (a + d < 5 ? 40 : 20);
                        for (size_t j = 0; j < count; ++j) ids[j] = (id += 1 + (splitmix64(&rng) & 7));
                        wrong += check_block(range, entities, seeds[a], streams[b], firsts[d], ids, count, steps[c],
                                             which);
                        lanes += 2 * (long)count;
                    }
    /* random everything, every block length */
    for (int trial = 0; trial < 800; ++trial) {
        uint64_t seed = splitmix64(&rng);
        uint32_t stream = (uint32_t)splitmix64(&rng), step = (uint32_t)splitmix64(&rng);
        uint64_t first = splitmix64(&rng);
        size_t count = block_lengths[(size_t)trial % nlen];
        for (size_t j = 0; j < count; ++j) ids[j] = splitmix64(&rng);
        wrong += check_block(range, entities, seed, stream, first, ids, count, step, trial & 1);
        lanes += 2 * (long)count;
    }
    LSIM_CHECK(wrong == 0, "%s build: %ld of %ld lanes differ from lsim_rng_uniform (bitwise: same function)", build,
               wrong, lanes);
    LSIM_CHECK(lanes > 100000, "%s build: %ld lanes compared", build, lanes);
}

/* --- 2. the fleet against the per-agent loop --- */

/* The fleet's arrays, as the oracle keeps them. */
typedef struct {
    size_t count;
    uint8_t *state;
    double *age, *virtual_age, *cumulative_hazard, *repair_remaining;
    uint32_t *repair_count;
    uint64_t *unit_id;
    long n_operating, n_failed, n_under_repair, n_retired_in_place, failures, retirements;
} oracle_fleet;

static void oracle_copy_from(oracle_fleet *o, const lsim_regolith *m)
{
    size_t n = m->count;
    o->count = n;
    o->state = realloc(o->state, n + 1);
    o->age = realloc(o->age, (n + 1) * sizeof *o->age);
    o->virtual_age = realloc(o->virtual_age, (n + 1) * sizeof *o->virtual_age);
    o->cumulative_hazard = realloc(o->cumulative_hazard, (n + 1) * sizeof *o->cumulative_hazard);
    o->repair_remaining = realloc(o->repair_remaining, (n + 1) * sizeof *o->repair_remaining);
    o->repair_count = realloc(o->repair_count, (n + 1) * sizeof *o->repair_count);
    o->unit_id = realloc(o->unit_id, (n + 1) * sizeof *o->unit_id);
    if (!o->state || !o->age || !o->virtual_age || !o->cumulative_hazard || !o->repair_remaining || !o->repair_count ||
        !o->unit_id) {
        fprintf(stderr, "oracle: out of memory for %zu agents\n", n);
        exit(2);
    }
    memcpy(o->state, m->state, n);
    memcpy(o->age, m->age, n * sizeof *o->age);
    memcpy(o->virtual_age, m->virtual_age, n * sizeof *o->virtual_age);
    memcpy(o->cumulative_hazard, m->cumulative_hazard, n * sizeof *o->cumulative_hazard);
    memcpy(o->repair_remaining, m->repair_remaining, n * sizeof *o->repair_remaining);
    memcpy(o->repair_count, m->repair_count, n * sizeof *o->repair_count);
    memcpy(o->unit_id, m->unit_id, n * sizeof *o->unit_id);
}

static void oracle_free(oracle_fleet *o)
{
    free(o->state);
    free(o->age);
    free(o->virtual_age);
    free(o->cumulative_hazard);
    free(o->repair_remaining);
    free(o->repair_count);
    free(o->unit_id);
    memset(o, 0, sizeof *o);
}

/* From here to oracle_wear: regolith_fleet.c's draw_repair_time, compact and
 * lsim_regolith_fleet_agents_wear as they were before the block kernel,
 * reading the fleet's figures from `m` and its arrays from `o`. */
static double oracle_draw_repair_time(const lsim_regolith *m, uint64_t unit, uint32_t step)
{
    if (m->repair_law == LSIM_REGOLITH_REPAIR_LOGNORMAL) {
        double s = m->repair_log_sigma;
        double mu = log(m->repair_mean) - 0.5 * s * s;
        return exp(mu + s * lsim_rng_normal(m->seed, LSIM_STREAM_REGOLITH_REPAIR, unit, step));
    }
    return -m->repair_mean * log(lsim_rng_uniform_open0(m->seed, LSIM_STREAM_REGOLITH_REPAIR, unit, step, 0));
}

static void oracle_compact(oracle_fleet *o)
{
    size_t w = 0;
    for (size_t i = 0; i < o->count; ++i) {
        if (o->state[i] == LSIM_REGOLITH_RETIRED) continue;
        if (w != i) {
            o->state[w] = o->state[i];
            o->age[w] = o->age[i];
            o->virtual_age[w] = o->virtual_age[i];
            o->cumulative_hazard[w] = o->cumulative_hazard[i];
            o->repair_remaining[w] = o->repair_remaining[i];
            o->repair_count[w] = o->repair_count[i];
            o->unit_id[w] = o->unit_id[i];
        }
        ++w;
    }
    o->count = w;
    o->n_retired_in_place = 0;
}

static void oracle_wear(const lsim_regolith *m, oracle_fleet *o, const lsim_clock *clock, double worked)
{
    const double dt = clock->dt;
    const uint32_t step = (uint32_t)clock->step;
    const long n = (long)o->count;
    long n_operating = 0, n_failed = 0, n_under_repair = 0, n_retired = 0, failures = 0, retirements = 0;
    const double restoration = m->repair_age_restoration;
    const double max_life = m->max_life;
    const long max_repairs = m->max_repairs;
    const double delay = m->repair_delay;
    for (long i = 0; i < n; ++i) {
        uint8_t s = o->state[i];
        switch (s) {
        case LSIM_REGOLITH_OPERATING:
            if (worked > 0.0) {
                double v1 = o->virtual_age[i] + worked;
                double h1 = lsim_regolith_cumulative_hazard(m->hazard_shape, m->hazard_scale, v1);
                double dh = h1 - o->cumulative_hazard[i];
                o->virtual_age[i] = v1;
                o->cumulative_hazard[i] = h1;
                o->age[i] += worked;
                int fails = dh > 0.0 && lsim_rng_uniform(m->seed, LSIM_STREAM_REGOLITH_FAILURE, o->unit_id[i], step,
                                                         0) < -expm1(-dh);
                if (fails) {
                    ++failures;
                    if (max_repairs > 0 && (long)o->repair_count[i] >= max_repairs) {
                        s = LSIM_REGOLITH_RETIRED;
                    } else if (delay > 0.0) {
                        s = LSIM_REGOLITH_FAILED;
                        o->repair_remaining[i] = delay;
                    } else {
                        s = LSIM_REGOLITH_UNDER_REPAIR;
                        o->repair_remaining[i] = oracle_draw_repair_time(m, o->unit_id[i], step);
                        o->repair_count[i] += 1;
                    }
                }
                if (s != LSIM_REGOLITH_RETIRED && max_life > 0.0 && o->age[i] >= max_life) s = LSIM_REGOLITH_RETIRED;
                if (s == LSIM_REGOLITH_RETIRED) ++retirements;
            }
            break;
        case LSIM_REGOLITH_FAILED:
            o->repair_remaining[i] -= dt;
            if (o->repair_remaining[i] <= 0.0) {
                s = LSIM_REGOLITH_UNDER_REPAIR;
                o->repair_remaining[i] = oracle_draw_repair_time(m, o->unit_id[i], step);
                o->repair_count[i] += 1;
            }
            break;
        case LSIM_REGOLITH_UNDER_REPAIR:
            o->repair_remaining[i] -= dt;
            if (o->repair_remaining[i] <= 0.0) {
                s = LSIM_REGOLITH_OPERATING;
                o->repair_remaining[i] = 0.0;
                if (restoration > 0.0) {
                    o->virtual_age[i] *= 1.0 - restoration;
                    o->cumulative_hazard[i] = lsim_regolith_cumulative_hazard(m->hazard_shape, m->hazard_scale,
                                                                              o->virtual_age[i]);
                }
            }
            break;
        default: break;
        }
        o->state[i] = s;
        n_operating += s == LSIM_REGOLITH_OPERATING;
        n_failed += s == LSIM_REGOLITH_FAILED;
        n_under_repair += s == LSIM_REGOLITH_UNDER_REPAIR;
        n_retired += s == LSIM_REGOLITH_RETIRED;
    }
    o->n_operating = n_operating;
    o->n_failed = n_failed;
    o->n_under_repair = n_under_repair;
    o->n_retired_in_place = n_retired;
    o->failures = failures;
    o->retirements = retirements;
    if (n_retired > 0 && (size_t)n_retired * 8 >= o->count) oracle_compact(o);
}

/* What a run went through, so a deck that stops taking its branches fails. */
typedef struct {
    long failures, retirements, idle_steps, steps_differing;
} run_totals;

typedef struct {
    const char *name;
    void (*set)(lsim_params *p);
    long agents;
    double dt;
    int steps;
    long min_failures, min_retirements; /* what the deck must produce in one run */
} deck;

#define SAME(field, n) (memcmp(m->field, o->field, (n) * sizeof *m->field) == 0)

static run_totals run_against_oracle(const deck *d, int portable, int threads)
{
#if defined(_OPENMP)
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    lsim_regolith_fleet_agents_force_portable(portable);
    lsim_params *p = regolith_test_params();
    regolith_test_set(p, "initial_excavators", (double)d->agents);
    d->set(p);
    lsim_series_registry *s = lsim_series_new(16);
    lsim_regolith fleet;
    lsim_regolith *m = &fleet;
    regolith_test_init(m, p, s, 0xF1EE7);
    oracle_fleet oracle;
    memset(&oracle, 0, sizeof oracle);
    oracle_fleet *o = &oracle;
    run_totals totals = {0, 0, 0, 0};
    lsim_clock c = regolith_test_clock(d->dt);
    for (int k = 0; k < d->steps; ++k, c.step++) {
        /* growth by a count that leaves a fleet no multiple of 4 or of a block */
        if (k == d->steps / 3) lsim_regolith_add_excavators(m, (double)d->agents / 3.0 + 0.5, &c);
        double demand = lsim_regolith_power_demand(m, &c, INFINITY);
        /* the full grant, a binding one (fractional duty), and none (no digging) */
        double grant = k % 7 == 5 ? 0.0 : k % 3 == 0 ? 0.6 * demand : demand;
        oracle_copy_from(o, m);
        lsim_regolith_step_result result;
        lsim_regolith_advance(m, &c, grant, INFINITY, &result);
        lsim_series_end_step(s, c.dt);
        const double worked = result.duty * c.dt; /* as lsim_regolith_advance hands it to the fleet */
        oracle_wear(m, o, &c, worked);
        if (!(worked > 0.0)) ++totals.idle_steps;
        totals.failures += o->failures;
        totals.retirements += o->retirements;
        size_t n = m->count;
        int same = n == o->count && SAME(state, n) && SAME(age, n) && SAME(virtual_age, n) &&
                   SAME(cumulative_hazard, n) && SAME(repair_remaining, n) && SAME(repair_count, n) &&
                   SAME(unit_id, n) && m->n_operating == o->n_operating && m->n_failed == o->n_failed &&
                   m->n_under_repair == o->n_under_repair && m->n_retired_in_place == o->n_retired_in_place &&
                   m->last_failures == o->failures && m->last_retirements == o->retirements;
        if (!same) {
            if (totals.steps_differing == 0)
                fprintf(stderr, "%s, %s pass, %d thread(s): step %d first differs from the per-agent loop\n", d->name,
                        portable ? "portable" : "auto", threads, k);
            ++totals.steps_differing;
        }
    }
    oracle_free(o);
    lsim_regolith_free(m);
    lsim_series_free(s);
    lsim_params_free(p);
    lsim_regolith_fleet_agents_force_portable(0);
    return totals;
}

/* The other shape kinds: infant 0.7 (pow), no random piece, wear-out 2
 * (square); exponential repair without delay, no retirement limits. */
static void deck_other_shapes(lsim_params *p)
{
    const double hour = 3600.0;
    regolith_test_set(p, "infant_shape", 0.7);
    regolith_test_set(p, "infant_scale", 1.0e6);
    regolith_test_set(p, "random_scale", 0.0);
    regolith_test_set(p, "wearout_shape", 2.0);
    regolith_test_set(p, "wearout_scale", 500.0 * hour);
    regolith_test_set(p, "max_life", 0.0);
    regolith_test_set(p, "max_repairs", 0);
    regolith_test_set_text(p, "repair_distribution", "exponential");
    regolith_test_set(p, "repair_mean", 20.0 * hour);
    regolith_test_set(p, "repair_delay", 0.0);
}

/* Wear-out of shape 2.5 (pow) with the default infant and random pieces,
 * hourly steps, full restoration: the kernel's general path for kinds. */
static void deck_general_wearout(lsim_params *p)
{
    const double hour = 3600.0;
    regolith_test_set(p, "infant_scale", 1.0e6);
    regolith_test_set(p, "random_scale", 100.0 * hour);
    regolith_test_set(p, "wearout_shape", 2.5);
    regolith_test_set(p, "wearout_scale", 200.0 * hour);
    regolith_test_set(p, "max_life", 80.0 * hour);
    regolith_test_set(p, "repair_mean", 10.0 * hour);
    regolith_test_set(p, "repair_delay", 2.0 * hour);
    regolith_test_set(p, "repair_age_restoration", 1.0);
}

int main(void)
{
    test_generators("baseline", range_baseline, entities_baseline);
    int have_avx2 = lsim_regolith_fleet_agents_force_portable(0);
#if defined(HAVE_AVX2_BUILD)
    if (have_avx2) test_generators("AVX2", range_avx2, entities_avx2);
#endif
    printf("generators checked (AVX2 %s)\n", have_avx2 ? "too" : "not on this CPU");

    const double hour = 3600.0;
    const deck decks[] = {
        /* sizes above the OpenMP threshold (4096) and no multiple of 4 */
        {"every branch", regolith_test_every_branch, 20003, 12.0 * hour, 60, 5000, 2000},
        {"other shapes", deck_other_shapes, 9001, 6.0 * hour, 50, 2000, 0},
        {"general wear-out", deck_general_wearout, 6007, hour, 200, 2000, 1000},
    };
    for (size_t d = 0; d < sizeof decks / sizeof decks[0]; ++d)
        for (int portable = 0; portable < 2; ++portable)
            for (int threads = 1; threads <= 2; ++threads) {
                run_totals t = run_against_oracle(&decks[d], portable, threads);
                LSIM_CHECK(t.steps_differing == 0,
                           "%s, %s pass, %d thread(s): %ld of %d steps differ bitwise from the per-agent loop",
                           decks[d].name,
                           portable    ? "portable"
                           : have_avx2 ? "AVX2"
                                       : "portable",
                           threads, t.steps_differing, decks[d].steps);
                LSIM_CHECK(t.failures >= decks[d].min_failures && t.retirements >= decks[d].min_retirements &&
                               t.idle_steps > 0,
                           "%s: the deck takes its branches (%ld failures >= %ld, %ld retirements >= %ld, %ld "
                           "steps without power > 0)",
                           decks[d].name, t.failures, decks[d].min_failures, t.retirements, decks[d].min_retirements,
                           t.idle_steps);
            }
    LSIM_TEST_MAIN_END();
}
