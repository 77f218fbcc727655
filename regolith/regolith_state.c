/* Checkpoint of the excavator fleet: every agent slot [0, count) including
 * retired units not yet compacted away (compaction timing depends on them),
 * the census, the unit serial counter (the RNG entity of the next unit) and
 * the fractional unit carried between growth calls. Site chemistry, unit
 * design and the hazard law are rebuilt from the deck at init. */
#include "regolith.h"

#include <stdlib.h>

#include "fleet_model.h"
#include "state.h"

/* A length above this cannot come from a real run (1e7 excavators is the
 * deck's ceiling): refuse it rather than attempt a huge allocation. */
#define LSIM_REGOLITH_STATE_MAX_AGENTS ((size_t)1 << 34)

static lsim_status visit_long(lsim_state *s, const char *name, long *value)
{
    int64_t v = (int64_t)*value;
    lsim_status st = lsim_state_i64(s, name, &v, 1);
    if (st == LSIM_OK) *value = (long)v;
    return st;
}

/* The census and the carried fraction are the module's, whatever the model. */
lsim_status lsim_regolith_state(lsim_regolith *m, lsim_state *s)
{
    lsim_status st = m->fleet_model->state(m, s);
    if (st == LSIM_OK) st = lsim_state_f64(s, "regolith.pending_units", &m->pending_units, 1);
    if (st == LSIM_OK) st = visit_long(s, "regolith.n_operating", &m->n_operating);
    if (st == LSIM_OK) st = visit_long(s, "regolith.n_failed", &m->n_failed);
    if (st == LSIM_OK) st = visit_long(s, "regolith.n_under_repair", &m->n_under_repair);
    if (st == LSIM_OK) st = visit_long(s, "regolith.n_retired_in_place", &m->n_retired_in_place);
    if (st == LSIM_OK) st = visit_long(s, "regolith.last_failures", &m->last_failures);
    if (st == LSIM_OK) st = visit_long(s, "regolith.last_retirements", &m->last_retirements);
    if (st == LSIM_OK) st = visit_long(s, "regolith.total_built", &m->total_built);
    if (st == LSIM_OK) st = visit_long(s, "regolith.total_retired", &m->total_retired);
    return st;
}

lsim_status lsim_regolith_fleet_agents_state(lsim_regolith *m, lsim_state *s)
{
    const int loading = lsim_state_is_loading(s);
    size_t n = m->count;
    lsim_status st = lsim_state_size(s, "regolith.count", &n);
    if (st != LSIM_OK) return st;
    if (loading) {
        if (n > LSIM_REGOLITH_STATE_MAX_AGENTS)
            return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry 'regolith.count' = %zu excavators is not plausible", n);
        st = lsim_regolith_reserve(m, n);
        if (st != LSIM_OK) return st;
    }
    /* The arrays are visited with the saved length, and the length is only
     * committed once they all loaded: a mismatched entry fails without
     * leaving count beyond what was read. */
    if (st == LSIM_OK) st = lsim_state_u8(s, "regolith.state", m->state, n);
    if (st == LSIM_OK) st = lsim_state_f64(s, "regolith.age", m->age, n);
    if (st == LSIM_OK) st = lsim_state_f64(s, "regolith.virtual_age", m->virtual_age, n);
    if (st == LSIM_OK) st = lsim_state_f64(s, "regolith.cumulative_hazard", m->cumulative_hazard, n);
    if (st == LSIM_OK) st = lsim_state_f64(s, "regolith.repair_remaining", m->repair_remaining, n);
    /* uint32/uint64 are stored bit for bit in the signed entries of the same width. */
    if (st == LSIM_OK) st = lsim_state_i32(s, "regolith.repair_count", (int32_t *)m->repair_count, n);
    if (st == LSIM_OK) st = lsim_state_i64(s, "regolith.unit_id", (int64_t *)m->unit_id, n);
    if (st != LSIM_OK) return st;
    if (loading) {
        for (size_t i = 0; i < n; ++i)
            if (m->state[i] > LSIM_REGOLITH_RETIRED)
                return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry 'regolith.state'[%zu] = %u is not an excavator state",
                                 i, (unsigned)m->state[i]);
        m->count = n;
    }

    int64_t next_unit_id = (int64_t)m->next_unit_id;
    st = lsim_state_i64(s, "regolith.next_unit_id", &next_unit_id, 1);
    if (st == LSIM_OK) m->next_unit_id = (uint64_t)next_unit_id;
    return st;
}
