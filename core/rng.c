#include "rng.h"

#include <math.h>

double lsim_rng_normal(uint64_t seed, uint32_t stream, uint64_t entity, uint32_t step)
{
    lsim_philox_block b = lsim_rng_block(seed, stream, entity, step);
    double u1 = 1.0 - lsim_rng_u01_from(b.v[0], b.v[1]); /* (0,1]: log is finite */
    double u2 = lsim_rng_u01_from(b.v[2], b.v[3]);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
