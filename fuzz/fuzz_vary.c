/* The `--vary section.key=SPEC` parser and sweep plan. The first byte picks
 * the method (bit 0: Latin hypercube) and the --samples count; each
 * following line is one --vary.
 *
 * An unknown name is mapped, by a hash of it, to a registered parameter for
 * 7 lines in 8: the did-you-mean search an unknown name starts cost 80% of
 * the time here, and the deck and --set harnesses fuzz it already, while the
 * SPEC parsing behind a known name is what this harness is for. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "fuzz_util.h"
#include "hash.h"
#include "sweep.h"

enum { LSIM_FUZZ_MAX_VARY = 8 };

/* `line` as given, or with its name replaced by a registered one (malloc'd). */
static char *lsim_fuzz_vary_line(const lsim_params *params, const char *line)
{
    const char *eq = strchr(line, '=');
    const char *dot = strchr(line, '.');
    char name[256];
    if (eq && dot && dot < eq && (size_t)(eq - line) < sizeof name) {
        snprintf(name, sizeof name, "%.*s", (int)(eq - line), line);
        char *key = strchr(name, '.');
        *key++ = '\0';
        if (lsim_params_find(params, name, key) >= 0) eq = NULL; /* known: as given */
    }
    uint64_t hash = lsim_fnv1a64(LSIM_FNV1A64_OFFSET, line, eq ? (size_t)(eq - line) : 0);
    if (!eq || hash % 8 == 0) {
        char *copy = strdup(line);
        if (!copy) abort();
        return copy;
    }
    const lsim_param_def *def = lsim_params_def(params, (size_t)(hash / 8 % lsim_params_count(params)));
    size_t size = strlen(def->section) + strlen(def->key) + strlen(eq) + 2;
    char *renamed = malloc(size);
    if (!renamed) abort();
    snprintf(renamed, size, "%s.%s%s", def->section, def->key, eq);
    return renamed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lsim_params *registered;
    if (!registered) {
        registered = lsim_params_new();
        if (!registered || lsim_chain_register_params(registered) != LSIM_OK) abort();
    }
    if (size < 1) return 0;
    const int lhs = data[0] & 1;
    const size_t samples = 1 + (size_t)(data[0] >> 1);
    char *text = lsim_fuzz_string(data + 1, size - 1);
    char *varies[LSIM_FUZZ_MAX_VARY];
    size_t count = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && count < LSIM_FUZZ_MAX_VARY;
         line = strtok_r(NULL, "\n", &save))
        varies[count++] = lsim_fuzz_vary_line(registered, line);
    lsim_sweep_plan plan;
    if (lsim_sweep_plan_build(registered, (const char *const *)varies, count, samples, lhs, 42, &plan) == LSIM_OK) {
        lsim_params *member = lsim_params_clone(registered);
        if (!member) abort();
        /* The first and last members are applied as a run would. */
        (void)lsim_sweep_apply(&plan, 0, member);
        (void)lsim_sweep_apply(&plan, plan.runs - 1, member);
        lsim_params_free(member);
        lsim_sweep_plan_free(&plan);
    }
    for (size_t i = 0; i < count; ++i) free(varies[i]);
    free(text);
    return 0;
}
