/* Manufacturing: a FIFO of unit orders worked off at the fleet's rate. */
#include "manufacturing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

lsim_status lsim_manufacturing_init(lsim_manufacturing *m, const lsim_manufacturing_design *design, double units)
{
    memset(m, 0, sizeof *m);
    m->design = *design;
    m->units = units;
    return LSIM_OK;
}

double lsim_manufacturing_capacity(const lsim_manufacturing *m, double dt)
{
    return fmax(m->units, 1.0) * m->design.rate_per_unit * dt;
}

double lsim_manufacturing_power_demand(const lsim_manufacturing *m, double dt)
{
    return fmin(m->queued_mass, lsim_manufacturing_capacity(m, dt)) * m->design.specific_energy / dt;
}

double lsim_manufacturing_room(const lsim_manufacturing *m, double dt)
{
    /* At least one step of work may always wait, whatever the lead time. */
    double horizon = fmax(m->design.lead_time, dt);
    return fmax(0.0, fmax(m->units, 1.0) * m->design.rate_per_unit * horizon - m->queued_mass);
}

static lsim_status lsim_manufacturing_grow(lsim_manufacturing *m)
{
    size_t capacity = m->capacity ? 2 * m->capacity : 16;
    int32_t *kind = malloc(capacity * sizeof *kind);
    double *units_ordered = malloc(capacity * sizeof(double)), *lunar = malloc(capacity * sizeof(double)),
           *earth = malloc(capacity * sizeof(double)), *done = malloc(capacity * sizeof(double)),
           *delivered = malloc(capacity * sizeof(double)), *lunar_out = malloc(capacity * sizeof(double)),
           *earth_out = malloc(capacity * sizeof(double));
    uint8_t *whole = malloc(capacity);
    if (!kind || !units_ordered || !lunar || !earth || !done || !delivered || !whole || !lunar_out || !earth_out) {
        free(kind), free(units_ordered), free(lunar), free(earth), free(done), free(delivered), free(whole);
        free(lunar_out), free(earth_out);
        return lsim_fail(LSIM_ERR_RUN, "out of memory growing the manufacturing queue to %zu orders", capacity);
    }
    /* Unwrapped into [0, count): the ring starts again at 0. */
    for (size_t i = 0; i < m->count; ++i) {
        size_t j = (m->head + i) % m->capacity;
        kind[i] = m->kind[j];
        units_ordered[i] = m->units_ordered[j];
        lunar[i] = m->lunar_total[j];
        earth[i] = m->earth_total[j];
        lunar_out[i] = m->lunar_delivered[j];
        earth_out[i] = m->earth_delivered[j];
        done[i] = m->mass_done[j];
        delivered[i] = m->units_delivered[j];
        whole[i] = m->whole_only[j];
    }
    lsim_manufacturing_free(m);
    m->kind = kind, m->units_ordered = units_ordered, m->lunar_total = lunar, m->earth_total = earth;
    m->lunar_delivered = lunar_out, m->earth_delivered = earth_out;
    m->mass_done = done, m->units_delivered = delivered, m->whole_only = whole;
    m->capacity = capacity;
    m->head = 0;
    return LSIM_OK;
}

lsim_status lsim_manufacturing_order(lsim_manufacturing *m, int kind, double count, double lunar_per_unit,
                                     double earth_per_unit, int whole_only, int at_front)
{
    double unit_mass = lunar_per_unit + earth_per_unit;
    if (!(count > 0.0) || !(unit_mass > 0.0)) return LSIM_OK;
    if (!at_front && m->count > 0) {
        size_t last = (m->head + m->count - 1) % m->capacity;
        if (m->kind[last] == kind && m->whole_only[last] == (uint8_t)(whole_only != 0)) {
            m->units_ordered[last] += count;
            m->lunar_total[last] += count * lunar_per_unit;
            m->earth_total[last] += count * earth_per_unit;
            m->queued_mass += count * unit_mass;
            return LSIM_OK;
        }
    }
    if (m->count == m->capacity) {
        lsim_status st = lsim_manufacturing_grow(m);
        if (st != LSIM_OK) return st;
    }
    size_t slot;
    if (at_front) {
        m->head = (m->head + m->capacity - 1) % m->capacity;
        slot = m->head;
    } else {
        slot = (m->head + m->count) % m->capacity;
    }
    m->count++;
    m->kind[slot] = kind;
    m->units_ordered[slot] = count;
    m->lunar_total[slot] = count * lunar_per_unit;
    m->earth_total[slot] = count * earth_per_unit;
    m->lunar_delivered[slot] = 0.0;
    m->earth_delivered[slot] = 0.0;
    m->mass_done[slot] = 0.0;
    m->units_delivered[slot] = 0.0;
    m->whole_only[slot] = (uint8_t)(whole_only != 0);
    m->queued_mass += count * unit_mass;
    return LSIM_OK;
}

double lsim_manufacturing_on_order(const lsim_manufacturing *m, int kind)
{
    double units = 0.0;
    for (size_t i = 0; i < m->count; ++i) {
        size_t j = (m->head + i) % m->capacity;
        if (m->kind[j] == kind) units += m->units_ordered[j] - m->units_delivered[j];
    }
    return units;
}

void lsim_manufacturing_committed(const lsim_manufacturing *m, double *lunar_mass, double *earth_mass)
{
    double lunar = 0.0, earth = 0.0;
    for (size_t i = 0; i < m->count; ++i) {
        size_t j = (m->head + i) % m->capacity;
        lunar += m->lunar_total[j] - m->lunar_delivered[j];
        earth += m->earth_total[j] - m->earth_delivered[j];
    }
    *lunar_mass = lunar;
    *earth_mass = earth;
}

lsim_status lsim_manufacturing_step(lsim_manufacturing *m, double dt, double power_W,
                                    lsim_manufacturing_deliver_fn deliver, void *ctx,
                                    lsim_manufacturing_step_result *out)
{
    double capacity = lsim_manufacturing_capacity(m, dt);
    double budget = fmin(capacity, m->queued_mass);
    if (m->design.specific_energy > 0.0) budget = fmin(budget, power_W * dt / m->design.specific_energy);
    budget = fmax(0.0, budget);
    double made = 0.0;
    while (m->count > 0 && budget > 0.0) {
        size_t j = m->head;
        double order_mass = m->lunar_total[j] + m->earth_total[j];
        double unit_mass = order_mass / m->units_ordered[j];
        double work = fmin(budget, order_mass - m->mass_done[j]);
        m->mass_done[j] += work;
        budget -= work;
        made += work;
        int finished = m->mass_done[j] >= order_mass * (1.0 - 1e-12);
        double ready = finished ? m->units_ordered[j] : m->mass_done[j] / unit_mass;
        if (m->whole_only[j] && !finished) ready = floor(ready);
        double count = ready - m->units_delivered[j];
        if (count > 0.0) {
            /* The last delivery takes what is left, so the books close exactly. */
            double lunar = finished ? m->lunar_total[j] - m->lunar_delivered[j]
                                    : count * m->lunar_total[j] / m->units_ordered[j];
            double earth = finished ? m->earth_total[j] - m->earth_delivered[j]
                                    : count * m->earth_total[j] / m->units_ordered[j];
            m->units_delivered[j] = ready;
            m->lunar_delivered[j] += lunar;
            m->earth_delivered[j] += earth;
            lsim_status st = deliver(ctx, m->kind[j], count, lunar, earth);
            if (st != LSIM_OK) return st;
        }
        if (!finished) break;
        m->head = (m->head + 1) % m->capacity;
        m->count--;
    }
    /* The books follow the orders, so round-off in the work sums never leaves
     * a phantom kilogram queued. */
    double queued = 0.0;
    for (size_t i = 0; i < m->count; ++i) {
        size_t j = (m->head + i) % m->capacity;
        queued += m->lunar_total[j] + m->earth_total[j] - m->mass_done[j];
    }
    m->queued_mass = fmax(0.0, queued);
    if (m->count == 0) m->head = 0;
    m->made_total += made;
    double energy = made * m->design.specific_energy;
    m->energy_total += energy;
    m->last_power = energy / dt;
    if (out) {
        out->mass_made = made;
        out->capacity = capacity;
        out->energy_used = energy;
        out->queue_full = m->queued_mass >= capacity * (1.0 - 1e-9);
    }
    return LSIM_OK;
}

lsim_status lsim_manufacturing_state(lsim_manufacturing *m, lsim_state *state)
{
    int64_t count = (int64_t)m->count;
    lsim_status st = lsim_state_i64(state, "manufacturing.orders", &count, 1);
    if (st != LSIM_OK) return st;
    if (lsim_state_is_loading(state)) {
        if (count < 0) return lsim_fail(LSIM_ERR_INPUT, "checkpoint: manufacturing.orders is %lld, expected >= 0", (long long)count);
        /* Loaded orders sit unwrapped at [0, count). */
        while (m->capacity < (size_t)count) {
            lsim_status grown = lsim_manufacturing_grow(m);
            if (grown != LSIM_OK) return grown;
        }
        m->head = 0;
        m->count = (size_t)count;
    } else if (m->count > 0 && m->head + m->count > m->capacity) {
        /* Saved unwrapped so the entries are contiguous: regrowing unwraps. */
        lsim_status grown = lsim_manufacturing_grow(m);
        if (grown != LSIM_OK) return grown;
    }
    size_t n = m->count, h = m->head;
    double scalars[4] = {m->units, m->queued_mass, m->made_total, m->energy_total};
    st = lsim_state_f64(state, "manufacturing.scalars", scalars, 4);
    if (st == LSIM_OK && n > 0) {
        int64_t *kind = malloc(n * sizeof *kind);
        int32_t *whole = malloc(n * sizeof *whole);
        if (!kind || !whole) {
            free(kind), free(whole);
            return lsim_fail(LSIM_ERR_RUN, "out of memory saving the manufacturing queue");
        }
        for (size_t i = 0; i < n; ++i) kind[i] = m->kind[h + i], whole[i] = m->whole_only[h + i];
        st = lsim_state_i64(state, "manufacturing.kind", kind, n);
        if (st == LSIM_OK) st = lsim_state_i32(state, "manufacturing.whole_only", whole, n);
        if (st == LSIM_OK) st = lsim_state_f64(state, "manufacturing.units_ordered", m->units_ordered + h, n);
        if (st == LSIM_OK) st = lsim_state_f64(state, "manufacturing.lunar_total", m->lunar_total + h, n);
        if (st == LSIM_OK) st = lsim_state_f64(state, "manufacturing.earth_total", m->earth_total + h, n);
        if (st == LSIM_OK) st = lsim_state_f64(state, "manufacturing.lunar_delivered", m->lunar_delivered + h, n);
        if (st == LSIM_OK) st = lsim_state_f64(state, "manufacturing.earth_delivered", m->earth_delivered + h, n);
        if (st == LSIM_OK) st = lsim_state_f64(state, "manufacturing.mass_done", m->mass_done + h, n);
        if (st == LSIM_OK) st = lsim_state_f64(state, "manufacturing.units_delivered", m->units_delivered + h, n);
        for (size_t i = 0; i < n; ++i) m->kind[h + i] = (int32_t)kind[i], m->whole_only[h + i] = (uint8_t)whole[i];
        free(kind), free(whole);
    }
    m->units = scalars[0], m->queued_mass = scalars[1], m->made_total = scalars[2], m->energy_total = scalars[3];
    return st;
}

void lsim_manufacturing_free(lsim_manufacturing *m)
{
    free(m->kind), free(m->units_ordered), free(m->lunar_total), free(m->earth_total), free(m->mass_done),
        free(m->units_delivered), free(m->whole_only), free(m->lunar_delivered), free(m->earth_delivered);
    m->kind = NULL, m->units_ordered = m->lunar_total = m->earth_total = m->mass_done = m->units_delivered = NULL;
    m->lunar_delivered = m->earth_delivered = NULL;
    m->whole_only = NULL;
}
