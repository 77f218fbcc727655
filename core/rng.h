/* Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11).
 *
 * A draw is a pure function of (seed, stream, entity, step): it depends on
 * what it is for, never on which thread asked or in which order, which is
 * what makes runs bitwise identical for any thread or rank count. */
#ifndef LSIM_RNG_H
#define LSIM_RNG_H

#include <stddef.h>
#include <stdint.h>

/* Streams name the purpose of a draw; a module may add a draw index in the
 * low byte (LSIM_STREAM_X + k, k < 256) when it needs several per step. */
enum {
    LSIM_STREAM_TEST = 0x000,
    LSIM_STREAM_REGOLITH_FAILURE = 0x100,
    LSIM_STREAM_REGOLITH_REPAIR = 0x200,
    LSIM_STREAM_GRANULAR = 0x380, /* grain sizes and pouring of the granular sub-model */
    LSIM_STREAM_REFINERY = 0x400,
    LSIM_STREAM_MASSDRIVER = 0x500,
    LSIM_STREAM_ORBIT_DISPERSION = 0x600,
    LSIM_STREAM_POWER = 0x700,
    LSIM_STREAM_SWEEP = 0x800,
    LSIM_STREAM_CHAIN = 0x900,
    LSIM_STREAM_RELEASE = 0xA00, /* per-launch release errors (core/release.h): the one sampler */
    LSIM_STREAM_TRACKING = 0xB00, /* tracking and execution errors of mid-course corrections (orbit) */
    LSIM_STREAM_ORBIT_WEAR = 0xC00 /* compute modules: + 0 .. 3 in orbit, + 0x10 .. 0x13 in burn-in on Earth */
};

typedef struct { uint32_t v[4]; } lsim_philox_block;

static inline void lsim_philox_mulhilo(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo)
{
    uint64_t product = (uint64_t)a * (uint64_t)b;
    *hi = (uint32_t)(product >> 32);
    *lo = (uint32_t)product;
}

/* Philox4x32 with 10 rounds on a 128-bit counter and a 64-bit key. */
static inline lsim_philox_block lsim_philox4x32_10(lsim_philox_block counter, uint32_t key0, uint32_t key1)
{
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key0 += 0x9E3779B9u;
            key1 += 0xBB67AE85u;
        }
        uint32_t hi0, lo0, hi1, lo1;
        lsim_philox_mulhilo(0xD2511F53u, counter.v[0], &hi0, &lo0);
        lsim_philox_mulhilo(0xCD9E8D57u, counter.v[2], &hi1, &lo1);
        lsim_philox_block next = {{hi1 ^ counter.v[1] ^ key0, lo1, hi0 ^ counter.v[3] ^ key1, lo0}};
        counter = next;
    }
    return counter;
}

static inline lsim_philox_block lsim_rng_block(uint64_t seed, uint32_t stream, uint64_t entity, uint32_t step)
{
    lsim_philox_block counter = {{(uint32_t)entity, (uint32_t)(entity >> 32), step, stream}};
    return lsim_philox4x32_10(counter, (uint32_t)seed, (uint32_t)(seed >> 32));
}

/* 53-bit uniform in [0, 1) from two 32-bit words. */
static inline double lsim_rng_u01_from(uint32_t hi, uint32_t lo)
{
    uint64_t bits = ((uint64_t)hi << 32 | lo) >> 11;
    return (double)bits * 0x1.0p-53;
}

/* One uniform in [0,1); `which` (0 or 1) selects one of the two independent
 * doubles a Philox block holds. */
static inline double lsim_rng_uniform(uint64_t seed, uint32_t stream, uint64_t entity, uint32_t step, int which)
{
    lsim_philox_block b = lsim_rng_block(seed, stream, entity, step);
    return which ? lsim_rng_u01_from(b.v[2], b.v[3]) : lsim_rng_u01_from(b.v[0], b.v[1]);
}

/* Uniform in (0, 1]: safe under log(). */
static inline double lsim_rng_uniform_open0(uint64_t seed, uint32_t stream, uint64_t entity, uint32_t step, int which)
{
    return 1.0 - lsim_rng_uniform(seed, stream, entity, step, which);
}

/* --- many entities at once ---
 *
 * The same draws for a block of entities that share (seed, stream, step,
 * which): a loop whose lanes do not depend on each other, written so the
 * compiler vectorises it (Philox's 32x32->64 multiplies are SSE2's pmuludq
 * and AVX2's vpmuludq; the key schedule is the same for every lane and is
 * worked out once). Each out[j] has the bits of lsim_rng_uniform for its
 * entity. Built into the caller (inline) so a caller compiled for a wider
 * instruction set gets wider vectors. */

/* The keys of Philox4x32-10's ten rounds (a Weyl sequence from the seed). */
typedef struct {
    uint32_t k0[10], k1[10];
} lsim_philox_round_keys;

static inline lsim_philox_round_keys lsim_philox_key_schedule(uint64_t seed)
{
    lsim_philox_round_keys keys;
    uint32_t key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
    for (int round = 0; round < 10; ++round) {
        keys.k0[round] = key0;
        keys.k1[round] = key1;
        key0 += 0x9E3779B9u;
        key1 += 0xBB67AE85u;
    }
    return keys;
}

/* lsim_rng_u01_from without a 64-bit integer to double conversion, which
 * x86 SIMD lacks before AVX-512: the 53 bits split as 27 + 26, each an int32
 * converted exactly, and the scaled sum is exact (53 significant bits), so
 * the result is the same double. */
static inline double lsim_rng_u01_split(uint32_t hi, uint32_t lo)
{
    int32_t top27 = (int32_t)(hi >> 5);
    int32_t low26 = (int32_t)(((hi & 31u) << 21) | (lo >> 11));
    return (double)top27 * 0x1.0p-27 + (double)low26 * 0x1.0p-53;
}

/* One lane of lsim_philox4x32_10 on (entity, step, stream) with the key
 * schedule given, rounds unrolled so the loop around a call is the innermost
 * one the vectoriser sees. */
#if defined(__GNUC__)
#define LSIM_RNG_ALWAYS_INLINE_ __attribute__((always_inline))
#else
#define LSIM_RNG_ALWAYS_INLINE_
#endif
static inline LSIM_RNG_ALWAYS_INLINE_ double lsim_rng_uniform_lane(const lsim_philox_round_keys *keys, uint64_t entity,
                                                                   uint32_t step, uint32_t stream, int which)
{
    uint32_t c0 = (uint32_t)entity, c1 = (uint32_t)(entity >> 32), c2 = step, c3 = stream;
#if defined(__GNUC__)
#pragma GCC unroll 10
#endif
    for (int round = 0; round < 10; ++round) {
        uint64_t p0 = (uint64_t)0xD2511F53u * c0;
        uint64_t p1 = (uint64_t)0xCD9E8D57u * c2;
        c0 = (uint32_t)(p1 >> 32) ^ c1 ^ keys->k0[round];
        c1 = (uint32_t)p1;
        c2 = (uint32_t)(p0 >> 32) ^ c3 ^ keys->k1[round];
        c3 = (uint32_t)p0;
    }
    return which ? lsim_rng_u01_split(c2, c3) : lsim_rng_u01_split(c0, c1);
}

/* A random permutation of items[0..n) in place (Fisher-Yates), the swap for
 * position i drawn as lsim_rng_uniform(seed, stream, entity, i, 0): the same
 * permutation for the same arguments on any machine and thread count. */
static inline void lsim_rng_shuffle(size_t *items, size_t n, uint64_t seed, uint32_t stream, uint64_t entity)
{
    for (size_t i = n; i-- > 1;) {
        double u = lsim_rng_uniform(seed, stream, entity, (uint32_t)i, 0);
        size_t k = (size_t)(u * (double)(i + 1));
        if (k > i) k = i;
        size_t swap = items[i];
        items[i] = items[k];
        items[k] = swap;
    }
}

/* out[j] = lsim_rng_uniform(seed, stream, first_entity + j, step, which) for j < count. */
static inline LSIM_RNG_ALWAYS_INLINE_ void lsim_rng_uniform_range(uint64_t seed, uint32_t stream, uint64_t first_entity,
                                                                  size_t count, uint32_t step, int which, double *out)
{
    const lsim_philox_round_keys keys = lsim_philox_key_schedule(seed);
    for (size_t j = 0; j < count; ++j) out[j] = lsim_rng_uniform_lane(&keys, first_entity + j, step, stream, which);
}

/* out[j] = lsim_rng_uniform(seed, stream, entity[j], step, which) for j < count:
 * for agents whose ids are not consecutive (a fleet after retirements). */
static inline LSIM_RNG_ALWAYS_INLINE_ void lsim_rng_uniform_entities(uint64_t seed, uint32_t stream,
                                                                     const uint64_t *entity, size_t count,
                                                                     uint32_t step, int which, double *out)
{
    const lsim_philox_round_keys keys = lsim_philox_key_schedule(seed);
    for (size_t j = 0; j < count; ++j) out[j] = lsim_rng_uniform_lane(&keys, entity[j], step, stream, which);
}

/* Standard normal by Box–Muller from one block (deterministic, no caching). */
double lsim_rng_normal(uint64_t seed, uint32_t stream, uint64_t entity, uint32_t step);

#endif
