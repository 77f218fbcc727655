/* Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11).
 *
 * A draw is a pure function of (seed, stream, entity, step): it depends on
 * what it is for, never on which thread asked or in which order, which is
 * what makes runs bitwise identical for any thread or rank count. */
#ifndef LSIM_RNG_H
#define LSIM_RNG_H

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

/* Standard normal by Box–Muller from one block (deterministic, no caching). */
double lsim_rng_normal(uint64_t seed, uint32_t stream, uint64_t entity, uint32_t step);

#endif
