/* FNV-1a, 64 bit: the deck hash and the checkpoint checksum. It detects
 * accidental change and truncation; it is not a security measure. */
#ifndef LSIM_HASH_H
#define LSIM_HASH_H

#include <stddef.h>
#include <stdint.h>

#define LSIM_FNV1A64_OFFSET 0xcbf29ce484222325ULL

static inline uint64_t lsim_fnv1a64(uint64_t hash, const void *data, size_t size)
{
    const unsigned char *bytes = data;
    for (size_t i = 0; i < size; ++i) {
        hash ^= bytes[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

#endif
