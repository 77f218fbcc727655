#include "variant.h"

#include <string.h>

const void *lsim_variant_find(const void *table, size_t count, size_t stride, const char *name)
{
    const char *row = table;
    for (size_t i = 0; name != NULL && i < count; ++i, row += stride) {
        const lsim_variant_head *head = (const lsim_variant_head *)(const void *)row;
        if (strcmp(head->name, name) == 0) return row;
    }
    return NULL;
}
