#include "fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define LSIM_FAULT_NAME_(name, doc) #name,
static const char *const lsim_fault_names[] = {LSIM_FAULT_POINTS(LSIM_FAULT_NAME_)};
#define LSIM_FAULT_COUNT (sizeof lsim_fault_names / sizeof lsim_fault_names[0])

/* Parsed once: the point asked for and on which hit. Points are reached from
 * the run's one thread (output is never written from OpenMP workers), so the
 * hit counter needs no lock. */
static int lsim_fault_parsed;
static char lsim_fault_target[64];
static long lsim_fault_hit_wanted;
static long lsim_fault_hits;

static int lsim_fault_parse(const char *value, char *name, size_t name_size, long *hit)
{
    const char *hash = strchr(value, '#');
    size_t length = hash ? (size_t)(hash - value) : strlen(value);
    if (length == 0 || length >= name_size) return 0;
    memcpy(name, value, length);
    name[length] = '\0';
    *hit = 1;
    if (hash) {
        char *end = NULL;
        *hit = strtol(hash + 1, &end, 10);
        if (!end || *end || *hit < 1) return 0;
    }
    for (size_t i = 0; i < LSIM_FAULT_COUNT; ++i)
        if (strcmp(name, lsim_fault_names[i]) == 0) return 1;
    return 0;
}

void lsim_fault_point(const char *name)
{
    if (!lsim_fault_parsed) {
        lsim_fault_parsed = 1;
        const char *value = getenv("LSIM_FAULT_KILL_AT");
        if (!value || !lsim_fault_parse(value, lsim_fault_target, sizeof lsim_fault_target, &lsim_fault_hit_wanted))
            lsim_fault_target[0] = '\0';
    }
    if (lsim_fault_target[0] == '\0' || strcmp(name, lsim_fault_target) != 0) return;
    if (++lsim_fault_hits == lsim_fault_hit_wanted) raise(SIGKILL);
}

lsim_status lsim_fault_check_environment(void)
{
    const char *value = getenv("LSIM_FAULT_KILL_AT");
    if (!value) return LSIM_OK;
    char name[64];
    long hit = 0;
    if (lsim_fault_parse(value, name, sizeof name, &hit)) return LSIM_OK;
    return lsim_fail(LSIM_ERR_INPUT,
                     "LSIM_FAULT_KILL_AT: '%s' is not a fault point (NAME or NAME#N, N >= 1; points: "
                     "create_after_file ... finish_after_rename, see core/fault.h)",
                     value);
}
